/*
 * A day offline: the kiosk sees a few transfers, the network goes away for
 * 28,800 blocks (a day of 3 s blocks) while 500 transfers reach the co-op,
 * and on reconnect the watcher resumes from its journaled cursor: every one
 * of the 500 is found, proven and recorded, in chain order, none twice, and
 * the ones from before are not read again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

#define OFFLINE_BLOCKS 28800
#define TRANSFERS 500
#define BEFORE 3

struct fx {
	struct chainfx c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 1000};

	if (chainfx_start(&f->c, &cfg))
		return -1;
	chainfx_write_board(&f->c, NULL, "[locker.1]\nlock = GPIO6\ndoor = GPIO19\n");
	chainfx_write_site(&f->c, NULL, NULL, NULL, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	chainfx_stop(&f->c);
	free(f);
	return 0;
}

static void run_kiosk(struct fx *f, int secs)
{
	char args[1500], *out = malloc(1 << 20);

	assert_non_null(out);
	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d", f->c.board, f->c.site, runbin_scale(secs));
	assert_int_equal(runbin_or_fail("kiosk", args, out, 1 << 20), 0);
	free(out);
}

static void transfer(struct fx *f, unsigned i)
{
	char memo[32];

	/* Memos no request has: each is recorded for staff, which is enough to count them. */
	snprintf(memo, sizeof(memo), "CU-%04u", i);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "0.001 HIVE", memo), KERR_OK);
}

static void test_a_day_offline_every_transfer_found_in_order_none_twice(void **state)
{
	struct fx *f = *state;
	struct store_transfer *t = calloc(BEFORE + TRANSFERS + 10, sizeof(*t));
	struct store *s;
	unsigned n, sent = BEFORE;
	struct timespec t0, t1;

	assert_non_null(t);
	for (unsigned i = 0; i < BEFORE; i++)
		transfer(f, i);
	chainsim_produce(f->c.sim);
	/* The history lists irreversible blocks only, as real nodes do: make that block irreversible. */
	for (unsigned i = 0; i < CHAINSIM_LIB_LAG_HIVE; i++)
		chainsim_produce(f->c.sim);
	run_kiosk(f, 3);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, BEFORE + TRANSFERS + 10, &n), KERR_OK);
	assert_int_equal(n, BEFORE);
	store_close(s);

	/* The day offline: 28,800 blocks, a transfer every 57 of them. */
	for (unsigned b = 0; b < OFFLINE_BLOCKS; b++) {
		if (b % 57 == 0 && sent < BEFORE + TRANSFERS)
			transfer(f, sent++);
		chainsim_produce(f->c.sim);
	}
	assert_int_equal(sent, BEFORE + TRANSFERS);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_kiosk(f, 25);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, BEFORE + TRANSFERS + 10, &n), KERR_OK);
	store_close(s);
	print_message("catch-up: blocks=%u transfers=%u found=%u run_s=%.1f\n", OFFLINE_BLOCKS, TRANSFERS,
	              n - BEFORE, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* Every one, none twice (the journal refuses a second copy anyway), in chain order. */
	assert_int_equal(n, BEFORE + TRANSFERS);
	for (unsigned i = 0; i < n; i++) {
		char want[32];

		snprintf(want, sizeof(want), "CU-%04u", i);
		assert_int_equal(t[i].memo_len, strlen(want));
		assert_memory_equal(t[i].memo, want, strlen(want));
		assert_int_equal(t[i].status, STORE_TRANSFER_FOR_STAFF);
		if (i)
			assert_true(t[i].block >= t[i - 1].block);
	}
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_day_offline_every_transfer_found_in_order_none_twice, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
