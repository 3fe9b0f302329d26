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

enum log_level log_get_level(void)
{
	return max_level;
}

void log_set_sink(log_sink_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

int log_level_parse(const char *s)
{
	static const struct {
		const char *name;
		enum log_level lvl;
	} map[] = {
		{ "err", LOG_LVL_ERR }, { "error", LOG_LVL_ERR },
		{ "warn", LOG_LVL_WARN }, { "warning", LOG_LVL_WARN },
		{ "notice", LOG_LVL_NOTICE }, { "info", LOG_LVL_INFO },
		{ "debug", LOG_LVL_DEBUG },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(s, map[i].name) == 0)
			return (int)map[i].lvl;
	return -1;
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
