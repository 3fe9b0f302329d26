#include "storefx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

void storefx_init(struct storefx *x, bool open)
{
	memset(x, 0, sizeof(*x));
	x->dir = tmpdir_or_fail();
	snprintf(x->path, sizeof(x->path), "%s/journal.db", x->dir);
	clock_fake_init(&x->clk, STOREFX_T0);
	if (open)
		assert_int_equal(store_open(x->path, &x->clk.base, &x->s), KERR_OK);
}

void storefx_fini(struct storefx *x)
{
	store_close(x->s);
	rm_rf(x->dir);
	free(x->dir);
	memset(x, 0, sizeof(*x));
}

static int setup_as(void **state, bool open)
{
	struct storefx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	storefx_init(x, open);
	*state = x;
	return 0;
}

int storefx_setup(void **state)
{
	return setup_as(state, true);
}

int storefx_setup_closed(void **state)
{
	return setup_as(state, false);
}

int storefx_teardown(void **state)
{
	storefx_fini(*state);
	free(*state);
	return 0;
}
