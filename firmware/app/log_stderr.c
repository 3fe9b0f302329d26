#include "kiosk/log_stderr.h"

#include <stdio.h>
#include <stdlib.h>

#include "kiosk/log.h"

static void stderr_sink(enum log_level lvl, const char *line, void *arg)
{
	(void)arg;
	/* journald reads "<N>" as the priority of a stream line. Looked up for
	 * every line, as the log module always did, not cached at install. */
	if (getenv("JOURNAL_STREAM"))
		fprintf(stderr, "<%d>%s\n", (int)lvl, line);
	else
		fprintf(stderr, "%s: %s\n", log_level_label(lvl), line);
}

void log_stderr_install(void)
{
	log_set_sink(stderr_sink, NULL);
}
