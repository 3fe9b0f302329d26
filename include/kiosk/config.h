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

#define CONFIG_MSG_MAX 320
#define CONFIG_FILE_MAX (64 * 1024)
#define CONFIG_LINE_MAX 199         /* inih's line buffer, as Debian builds it */
#define BOARD_PULSE_CAP_MS 3000     /* a relay is never energized longer */

struct config_error {
	char file[256];
	unsigned line;                  /* 0: about the file as a whole */
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

#endif
