#include "ctlfx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runbin.h"
#include "testutil.h"

char *ctlfx_site_file(struct ctlfx *f, const char *name, const char *zone)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s\n%s%s%s",
	         f->journal, zone ? "timezone = " : "", zone ? zone : "", zone ? "\n" : "");
	return write_file_or_fail(f->dir, name, text);
}

void ctlfx_init(struct ctlfx *f, const char *zone)
{
	f->dir = tmpdir_or_fail();
	snprintf(f->journal, sizeof(f->journal), "%s/j.db", f->dir);
	f->site = ctlfx_site_file(f, "site.conf", zone);
}

void ctlfx_fini(struct ctlfx *f)
{
	rm_rf(f->dir);
	free(f->dir);
	free(f->site);
}

int ctlfx_setup(void **state)
{
	struct ctlfx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	ctlfx_init(f, NULL);
	*state = f;
	return 0;
}

int ctlfx_teardown(void **state)
{
	ctlfx_fini(*state);
	free(*state);
	return 0;
}

int ctlfx_run(const char *site, char *out, size_t max, const char *fmt, ...)
{
	char cmd[2048], args[1500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s --site %s", args, site);
	return runbin_or_fail("kioskctl", cmd, out, max);
}
