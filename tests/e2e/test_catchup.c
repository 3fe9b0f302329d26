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
/* Under an emulator (qemu) every simulated block's witness signature costs
 * tens of times more: a tenth of the day, the same 500 transfers closer
 * together, keeps the test inside its time limit and checks the same. */
#define OFFLINE_BLOCKS_EMULATED 2880
#define TRANSFERS               500
#define BEFORE                  3

/* The catch-up's HTTP requests (a batch is one), and its time on this host. */
#define CATCHUP_REQUESTS_MAX 30
#define CATCHUP_S_MAX        10.0

#define IDLE_HISTORY      130
#define IDLE_S            40
#define IDLE_REQUESTS_MAX 12

struct fx {
	struct chainfx c;
	const char *symbol;
	unsigned lib_lag;
};

static int setup_chain(void **state, enum site_chain chain)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = chain, .block_ms = 1000};

	if (chainfx_start(&f->c, &cfg))
		return -1;
	chainfx_write_board(&f->c, NULL, "[locker.1]\nlock = GPIO6\ndoor = GPIO19\n");
	chainfx_write_site(&f->c, NULL, NULL, NULL, NULL);
	f->symbol = chain == SITE_CHAIN_STEEM ? "STEEM" : "HIVE";
	f->lib_lag = chain == SITE_CHAIN_STEEM ? CHAINSIM_LIB_LAG_STEEM : CHAINSIM_LIB_LAG_HIVE;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_chain(state, SITE_CHAIN_HIVE);
}

/* Steem: steemd's strict paging (start >= limit), its history 16 blocks behind the head. */
static int setup_steem(void **state)
{
	return setup_chain(state, SITE_CHAIN_STEEM);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	chainfx_stop(&f->c);
	free(f);
	return 0;
}

static void run_kiosk(struct fx *f, int secs, const char *log_level)
{
	char args[1500], *out = malloc(4 << 20);

	assert_non_null(out);
	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d%s%s", f->c.board, f->c.site,
	         runbin_scale(secs), log_level ? " --log-level " : "", log_level ? log_level : "");
	assert_int_equal(runbin_or_fail("kiosk", args, out, 4 << 20), 0);
	/* The reading strategy: the history, never block by block. */
	if (log_level) {
		unsigned blocks = 0;

		for (const char *p = out; (p = strstr(p, ": get_block [")); p++)
			blocks++;
		print_message("single get_block calls: %u\n", blocks);
		assert_true(blocks <= 2);
	}
	free(out);
}

static void transfer(struct fx *f, unsigned i)
{
	char memo[32];

	/* Memos no request has: each is recorded for staff, which is enough to count them. */
	snprintf(memo, sizeof(memo), "CU-%04u", i);
	char amount[32];

	snprintf(amount, sizeof(amount), "0.001 %s", f->symbol);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amount, memo), KERR_OK);
}

static void test_a_day_offline_every_transfer_found_in_order_none_twice(void **state)
{
	struct fx *f = *state;
	struct store_transfer *t = calloc(BEFORE + TRANSFERS + 10, sizeof(*t));
	struct store *s;
	unsigned n, sent = BEFORE;
	const unsigned offline = runbin_scale(1) > 1 ? OFFLINE_BLOCKS_EMULATED : OFFLINE_BLOCKS;
	const unsigned every = offline / TRANSFERS; /* 57 blocks a day; 5 emulated */
	struct timespec t0, t1;
	unsigned long req0, req1, bytes;

	assert_non_null(t);
	for (unsigned i = 0; i < BEFORE; i++)
		transfer(f, i);
	chainsim_produce(f->c.sim);
	/* The history lists irreversible blocks only, as real nodes do: make that block
	 * irreversible. */
	for (unsigned i = 0; i < f->lib_lag; i++)
		chainsim_produce(f->c.sim);
	run_kiosk(f, 3, NULL);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, BEFORE + TRANSFERS + 10, &n), KERR_OK);
	assert_int_equal(n, BEFORE);
	store_close(s);

	/* The day offline: 28,800 blocks, a transfer every 57 of them. */
	for (unsigned b = 0; b < offline; b++) {
		if (b % every == 0 && sent < BEFORE + TRANSFERS)
			transfer(f, sent++);
		chainsim_produce(f->c.sim);
	}
	assert_int_equal(sent, BEFORE + TRANSFERS);

	chainsim_stats(f->c.sim, &req0, &bytes);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_kiosk(f, 25, "debug");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	chainsim_stats(f->c.sim, &req1, &bytes);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, BEFORE + TRANSFERS + 10, &n), KERR_OK);
	store_close(s);
	print_message("catch-up: blocks=%u transfers=%u found=%u run_s=%.1f requests=%lu\n",
	              offline, TRANSFERS, n - BEFORE,
	              (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	              req1 - req0);
	/* Every one, none twice (the journal refuses a second copy anyway), in chain order. */
	assert_int_equal(n, BEFORE + TRANSFERS);
	/* The run lasts 25 s; its idle polls after the catch-up add a few requests (one a minute).
	 */
	/* An emulator's longer run adds its idle polls (two requests each 20 s at most). */
	assert_true(req1 - req0 <=
	            CATCHUP_REQUESTS_MAX + (unsigned long)(runbin_scale(25) - 25) / 10 + 2);
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

/*
 * An idle kiosk whose co-op has a long history (more entries than any one
 * page, and than the old batch of 100 that came back full forever): it
 * reads it once and then asks a few small questions a minute, nothing in
 * a loop.
 */
static void test_an_idle_kiosk_with_a_long_history_asks_little(void **state)
{
	struct fx *f = *state;
	unsigned long req0, req1, bytes0, bytes1;
	struct store_transfer *t = calloc(IDLE_HISTORY + 10, sizeof(*t));
	struct store *s;
	unsigned n;

	assert_non_null(t);
	for (unsigned i = 0; i < IDLE_HISTORY; i++) {
		transfer(f, i);
		if (i % 10 == 9)
			chainsim_produce(f->c.sim);
	}
	for (unsigned i = 0; i <= f->lib_lag; i++)
		chainsim_produce(f->c.sim);
	run_kiosk(f, 3, NULL);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, IDLE_HISTORY + 10, &n), KERR_OK);
	store_close(s);
	assert_int_equal(n, IDLE_HISTORY);
	free(t);

	/* Idle for a while: blocks every second, nothing new for the co-op. */
	chainsim_stats(f->c.sim, &req0, &bytes0);
	bytes0 = chainsim_body_bytes(f->c.sim);
	run_kiosk(f, IDLE_S, NULL);
	chainsim_stats(f->c.sim, &req1, &bytes1);
	bytes1 = chainsim_body_bytes(f->c.sim);
	print_message("idle: history=%u s=%d requests=%lu body_bytes=%lu\n", IDLE_HISTORY, IDLE_S,
	              req1 - req0, bytes1 - bytes0);
	/*
	 * A poll every 20 block intervals (20 s here), two requests each
	 * (head, newest history entry), and the history probe once: a handful,
	 * where the old paging asked hundreds of times a second. A rate: an
	 * emulator's longer run (runbin_scale) may ask as often, no more.
	 */
	{
		unsigned long max =
		    (unsigned long)IDLE_REQUESTS_MAX * (unsigned long)runbin_scale(IDLE_S) / IDLE_S;

		assert_true(req1 - req0 <= max);
		assert_true(bytes1 - bytes0 <= max * 2048);
	}
}

/* Three parts, each its own ctest entry (CMakeLists.txt): a day offline on
 * Hive, the same on Steem, and the idle kiosk. Each takes a minute or more,
 * and together they ran past the time limit; no argument runs all. */
int main(int argc, char **argv)
{
	const struct CMUnitTest hive[] = {
	    cmocka_unit_test_setup_teardown(
	        test_a_day_offline_every_transfer_found_in_order_none_twice, setup, teardown),
	};
	const struct CMUnitTest steem[] = {
	    cmocka_unit_test_setup_teardown(
	        test_a_day_offline_every_transfer_found_in_order_none_twice, setup_steem, teardown),
	};
	const struct CMUnitTest idle[] = {
	    cmocka_unit_test_setup_teardown(test_an_idle_kiosk_with_a_long_history_asks_little,
	                                    setup, teardown),
	};
	const char *part = argc > 1 ? argv[1] : "all";
	int all = strcmp(part, "all") == 0, failed = 0;

	if (all || strcmp(part, "hive") == 0)
		failed += cmocka_run_group_tests_name("hive", hive, NULL, NULL);
	if (all || strcmp(part, "steem") == 0)
		failed += cmocka_run_group_tests_name("steem", steem, NULL, NULL);
	if (all || strcmp(part, "idle") == 0)
		failed += cmocka_run_group_tests_name("idle", idle, NULL, NULL);
	if (!all && strcmp(part, "hive") != 0 && strcmp(part, "steem") != 0 &&
	    strcmp(part, "idle") != 0) {
		fprintf(stderr, "test_catchup: unknown part '%s' (hive, steem, idle or all)\n",
		        part);
		return 2;
	}
	return failed;
}
