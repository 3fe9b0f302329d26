/*
 * The kioskctl end-to-end tests' fixture: a folder with a site file whose
 * journal is in it (no kiosk, no chain), and a runner for kioskctl.
 */
#ifndef KIOSK_TEST_CTLFX_H
#define KIOSK_TEST_CTLFX_H

#include <stddef.h>

#include "kiosk/compiler.h"

struct ctlfx {
	char *dir;
	char *site; /* dir/site.conf */
	char journal[512];
};

/* Writes dir/name: a Hive site with this fixture's journal, in zone (NULL: none given). */
char *ctlfx_site_file(struct ctlfx *f, const char *name, const char *zone);

/* Fills f: the folder, and site.conf in zone (NULL: none given). */
void ctlfx_init(struct ctlfx *f, const char *zone);
void ctlfx_fini(struct ctlfx *f);

/* cmocka: *state = a new struct ctlfx (site.conf without a time zone). */
int ctlfx_setup(void **state);
int ctlfx_teardown(void **state);

/* Runs kioskctl with the formatted arguments and --site site; its exit code, output in out. */
KIOSK_PRINTF(4, 5)
int ctlfx_run(const char *site, char *out, size_t max, const char *fmt, ...);

#endif
