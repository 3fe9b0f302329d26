/*
 * The board file (hardware) and the site file (chain, co-op, policies),
 * parsed with inih and validated whole at start-up. Any problem is reported
 * as "file:line: what is wrong; how to fix it" and the daemon exits 2.
 */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/site.h"

#define CONFIG_MSG_MAX     320
#define CONFIG_FILE_MAX    (64 * 1024)
#define CONFIG_LINE_MAX    199  /* inih's line buffer, as Debian builds it */
#define BOARD_PULSE_CAP_MS 3000 /* a relay is never energized longer */

struct config_error {
	char file[256];
	unsigned line; /* 0: about the file as a whole */
	char msg[CONFIG_MSG_MAX];
};

/* "file:line: msg" (or "file: msg") into buf. */
void config_error_format(const struct config_error *e, char *buf, size_t len);

/* Parses and validates a board file. KERR_PARSE with *err filled, KERR_IO if unreadable. */
KIOSK_MUST_CHECK enum kerr config_load_board(const char *path, struct board *out,
                                             struct config_error *err);

/* As config_load_board, from text (path is used in messages only). */
KIOSK_MUST_CHECK enum kerr config_parse_board(const char *text, size_t len, const char *path,
                                              struct board *out, struct config_error *err);

KIOSK_MUST_CHECK enum kerr config_load_site(const char *path, struct site *out,
                                            struct config_error *err);
KIOSK_MUST_CHECK enum kerr config_parse_site(const char *text, size_t len, const char *path,
                                             struct site *out, struct config_error *err);

/* Every problem of one or more files, in order; count may exceed those kept. */
#define CONFIG_ERRORS_MAX 64
struct config_errors {
	unsigned count;
	struct config_error e[CONFIG_ERRORS_MAX];
};

/*
 * As config_load_board and config_load_site, but going on past the first
 * problem: every one found is appended to *all (zero it first), so one run
 * of `kioskctl config check` or of the daemon's start-up lists them all.
 * KERR_PARSE when the file had any, KERR_IO when unreadable.
 */
KIOSK_MUST_CHECK enum kerr config_check_board_file(const char *path, struct board *out,
                                                   struct config_errors *all);
KIOSK_MUST_CHECK enum kerr config_check_site_file(const char *path, struct site *out,
                                                  struct config_errors *all);

#endif
