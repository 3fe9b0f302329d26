/*
 * The journal unit tests' fixture: a fresh journal in a new folder, with
 * a fake clock at STOREFX_T0, as cmocka setup and teardown functions.
 */
#ifndef KIOSK_TEST_STOREFX_H
#define KIOSK_TEST_STOREFX_H

#include <stdbool.h>

#include "kiosk/clock.h"
#include "kiosk/store.h"

#define STOREFX_T0 1795478400000LL /* 2026-11-24 00:00 UTC */

struct storefx {
	char *dir;
	char path[512]; /* dir/journal.db */
	struct clock_fake clk;
	struct store *s; /* open, or NULL (storefx_setup_closed) */
};

/* Fills x: the folder made, the journal opened when open is true. */
void storefx_init(struct storefx *x, bool open);
/* Closes the journal (if open) and removes the folder. */
void storefx_fini(struct storefx *x);

/* cmocka: *state = a new struct storefx, its journal open (or not). */
int storefx_setup(void **state);
int storefx_setup_closed(void **state);
int storefx_teardown(void **state);

#endif
