#include "kiosk/log.h"

#include <stdio.h>
#include <string.h>

/* Process-wide by nature: one program, one place its lines go. */
static enum log_level max_level = LOG_LVL_INFO;
static log_sink_fn sink;
static void *sink_arg;

void log_set_level(enum log_level lvl)
{
	max_level = lvl;
}

void log_set_sink(log_sink_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

const char *const log_level_names[] = {"err", "warn", "notice", "info", "debug", NULL};

int log_level_parse(const char *s)
{
	for (int i = 0; log_level_names[i]; i++)
		if (strcmp(s, log_level_names[i]) == 0)
			return LOG_LVL_ERR + i;
	if (strcmp(s, "error") == 0)
		return LOG_LVL_ERR;
	if (strcmp(s, "warning") == 0)
		return LOG_LVL_WARN;
	return -1;
}

const char *log_level_label(enum log_level lvl)
{
	if (lvl <= LOG_LVL_ERR)
		return "error";
	if (lvl == LOG_LVL_WARN)
		return "warning";
	if (lvl >= LOG_LVL_DEBUG)
		return "debug";
	return log_level_names[lvl - LOG_LVL_ERR];
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[1024];

	if (lvl > max_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One record per line: a message must not forge another record. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* No sink installed: the program did not ask for lines (a library
	 * caller, a fuzz target), so they go nowhere rather than to a stream
	 * this layer does not own. */
	if (sink)
		sink(lvl, line, sink_arg);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
