/* Helpers the kioskctl commands share. */
#include <stdio.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/timefmt.h"
#include "kioskctl_priv.h"

int ctl_open_journal(const char *cmd, const char *site_path, struct site *site, struct store **out)
{
	struct config_error e;

	*out = NULL;
	if (!site_path) {
		fprintf(stderr, "kioskctl %s: which kiosk? give --site FILE\n", cmd);
		return 2;
	}
	if (config_load_site(site_path, site, &e)) {
		char msg[CONFIG_MSG_MAX + 300];

		config_error_format(&e, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	/* Every time kioskctl prints is in the site's zone (config checked it). */
	if (timefmt_use_zone(site->timezone))
		fprintf(stderr, "kioskctl %s: time zone %s unknown; times are in UTC\n", cmd, site->timezone);
	if (store_open(site->journal_path, clock_system(), out)) {
		fprintf(stderr, "kioskctl %s: cannot open the journal %s\n", cmd, site->journal_path);
		return 1;
	}
	return 0;
}

const char *ctl_opt(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}
