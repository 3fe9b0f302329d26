/*
 * Logging with levels. Lines go to the sink the program installs (kiosk and
 * kioskctl: stderr, see log_stderr.h); with none installed they are dropped,
 * so this module neither reads the environment nor writes a stream. Log once,
 * at the layer that decides, saying what, where and what to do.
 */
#ifndef KIOSK_LOG_H
#define KIOSK_LOG_H

#include <stdarg.h>

#include "kiosk/compiler.h"

/* syslog priorities, so the journald prefix is the level itself. */
enum log_level {
	LOG_LVL_ERR = 3,
	LOG_LVL_WARN = 4,
	LOG_LVL_NOTICE = 5,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

/*
 * The levels' names, in order from LOG_LVL_ERR (index 0) to LOG_LVL_DEBUG,
 * NULL-terminated: the one list the site file, --log-level and the sinks use.
 */
extern const char *const log_level_names[];

/* Where lines go. Tests capture with their own. */
typedef void (*log_sink_fn)(enum log_level lvl, const char *line, void *arg);

/* Lines above lvl are dropped. Default LOG_LVL_INFO. */
void log_set_level(enum log_level lvl);
/* NULL drops every line (the default). */
void log_set_sink(log_sink_fn fn, void *arg);
/* Parses a name of log_level_names (or "error", "warning"); -1 if unknown. */
int log_level_parse(const char *s);
/* The word a line is labelled with: "error", "warning", "notice", "info", "debug". */
const char *log_level_label(enum log_level lvl);

void log_msg(enum log_level lvl, const char *fmt, ...) KIOSK_PRINTF(2, 3);
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap) KIOSK_PRINTF(2, 0);

#define log_err(...)    log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)   log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...)   log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)  log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
