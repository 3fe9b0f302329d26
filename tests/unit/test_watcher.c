/*
 * The watcher against the local chain simulator, with a fake journal in
 * place of the store: it reads the history from the cursor the journal
 * gives it, saves the cursor as it goes, skips what the journal has seen,
 * and does not start when the journal cannot be read.
 */
#include "kiosk/watcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainfx.h"
#include "kiosk/config.h"
#include "testutil.h"

#define TRANSFERS 3

struct fake_journal {
	struct watcher_cursor stored; /* the journal's cursor: moves only on a good save */
	enum kerr get_err, set_err, newest_err;
	char get_chain[16], get_account[32];
	unsigned gets, sets, sets_failed, seen_asks;
	int64_t lowest_set_index; /* of every save attempted */
	bool seen[TRANSFERS];     /* by memo number: recorded before */
};

struct fx {
	struct chainfx c;
	struct site site;
	struct loop *loop;
	struct fake_journal j;
	struct watcher_events ev;
	struct loop_timer deadline;
	char memos[16][16];
	unsigned transfers, heads;
};

static enum kerr fj_cursor_get(void *ctx, const char *chain, const char *account,
                               struct watcher_cursor *out)
{
	struct fake_journal *j = ctx;

	j->gets++;
	snprintf(j->get_chain, sizeof(j->get_chain), "%s", chain);
	snprintf(j->get_account, sizeof(j->get_account), "%s", account);
	*out = j->stored;
	return j->get_err;
}

static enum kerr fj_cursor_set(void *ctx, const char *chain, const char *account,
                               const struct watcher_cursor *c)
{
	struct fake_journal *j = ctx;

	(void)chain;
	(void)account;
	if (c->history_index < j->lowest_set_index)
		j->lowest_set_index = c->history_index;
	if (j->set_err) {
		j->sets_failed++;
		return j->set_err;
	}
	j->sets++;
	j->stored = *c;
	return KERR_OK;
}

static enum kerr fj_transfer_seen(void *ctx, const char *trx_id, uint32_t op_index, bool *seen);

static enum kerr fj_newest_transfer_block(void *ctx, uint32_t *block)
{
	struct fake_journal *j = ctx;

	*block = 0;
	return j->newest_err;
}

static const struct watcher_journal_ops fj_ops = {
    fj_cursor_get,
    fj_cursor_set,
    fj_transfer_seen,
    fj_newest_transfer_block,
    NULL, /* no witness keys kept: learned from the quorum at each start */
    NULL,
};

/* The simulator's transaction ids of our transfers, by memo number, for transfer_seen. */
static char trx_ids[TRANSFERS][41];

static enum kerr fj_transfer_seen(void *ctx, const char *trx_id, uint32_t op_index, bool *seen)
{
	struct fake_journal *j = ctx;

	(void)op_index;
	j->seen_asks++;
	*seen = false;
	for (unsigned i = 0; i < TRANSFERS; i++)
		if (j->seen[i] && strcmp(trx_ids[i], trx_id) == 0)
			*seen = true;
	return KERR_OK;
}

static void on_transfer(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct fx *f = container_of(e, struct fx, ev);

	if (f->transfers < 16)
		snprintf(f->memos[f->transfers], sizeof(f->memos[0]), "%.*s", (int)t->memo_len,
		         t->memo);
	for (unsigned i = 0; i < TRANSFERS; i++) {
		char memo[16];

		snprintf(memo, sizeof(memo), "W-%u", i);
		if (t->memo_len == strlen(memo) && memcmp(t->memo, memo, t->memo_len) == 0)
			snprintf(trx_ids[i], sizeof(trx_ids[i]), "%s", t->trx_id);
	}
	f->transfers++;
}

/* The end of a poll: the test looks at what it did. */
static void on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s)
{
	struct fx *f = container_of(e, struct fx, ev);

	(void)head;
	(void)lib;
	(void)head_time_s;
	f->heads++;
	loop_quit(f->loop, 0);
}

static void on_deadline(struct loop_timer *t)
{
	struct fx *f = container_of(t, struct fx, deadline);

	loop_quit(f->loop, 1);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	/* Blocks only when the test produces them: the watcher sees a still chain. */
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 0};
	struct config_error cerr;

	if (!f || chainfx_start(&f->c, &cfg))
		return -1;
	f->c.block_ms = 3000; /* the site's block interval (the site file needs one) */
	chainfx_write_site(&f->c, NULL, NULL, NULL, NULL);
	if (config_load_site(f->c.site, &f->site, &cerr))
		return -1;
	for (unsigned i = 0; i < TRANSFERS; i++) {
		char memo[16];

		snprintf(memo, sizeof(memo), "W-%u", i);
		if (chainsim_transfer(f->c.sim, "alice", "coop", "0.001 HIVE", memo))
			return -1;
		chainsim_produce(f->c.sim);
	}
	f->j.stored = (struct watcher_cursor){.history_index = -1};
	f->j.lowest_set_index = INT64_MAX;
	f->ev = (struct watcher_events){.transfer = on_transfer, .head = on_head};
	f->deadline.handle = on_deadline;
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

/* Opens a watcher on the fake journal and runs its first poll to its end (a loop of its own). */
static void one_poll(struct fx *f)
{
	struct watcher *w;

	assert_int_equal(loop_new(clock_system(), &f->loop), KERR_OK);
	assert_int_equal(watcher_open(&f->site, &fj_ops, &f->j, f->loop, clock_system(),
	                              rng_system(), &f->ev, &w),
	                 KERR_OK);
	loop_timer_arm(f->loop, &f->deadline, 30000 * NS_PER_MS);
	assert_int_equal(loop_run(f->loop), 0);
	loop_timer_disarm(f->loop, &f->deadline);
	watcher_close(w);
	loop_free(f->loop);
	f->loop = NULL;
	assert_int_equal(f->heads, 1);
}

static void test_no_cursor_reads_the_whole_history_and_saves_the_cursor(void **state)
{
	struct fx *f = *state;

	one_poll(f);
	assert_int_equal(f->j.gets, 1);
	assert_string_equal(f->j.get_chain, "hive");
	assert_string_equal(f->j.get_account, "coop");
	assert_int_equal(f->transfers, TRANSFERS);
	assert_string_equal(f->memos[0], "W-0");
	assert_string_equal(f->memos[2], "W-2");
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
	assert_true(f->j.stored.block >= TRANSFERS);
}

static void test_the_stored_cursor_is_where_reading_starts(void **state)
{
	struct fx *f = *state;

	/* The first transfer (history index 0) was read before. */
	f->j.stored = (struct watcher_cursor){.history_index = 0, .block = 1};
	one_poll(f);
	assert_int_equal(f->transfers, TRANSFERS - 1);
	assert_string_equal(f->memos[0], "W-1");
	assert_string_equal(f->memos[1], "W-2");
	/* Never moved back behind what the journal gave. */
	assert_true(f->j.lowest_set_index >= 1);
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
}

static void test_a_transfer_the_journal_has_is_not_reported_but_passed(void **state)
{
	struct fx *f = *state;

	one_poll(f); /* learns the simulator's transaction ids */
	f->transfers = 0;
	f->heads = 0;
	f->j.stored = (struct watcher_cursor){.history_index = -1};
	f->j.seen[1] = true;
	one_poll(f);
	assert_int_equal(f->transfers, TRANSFERS - 1);
	assert_string_equal(f->memos[0], "W-0");
	assert_string_equal(f->memos[1], "W-2");
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
}

static void test_a_cursor_not_saved_is_read_again_after_a_restart(void **state)
{
	struct fx *f = *state;

	/* The journal refuses every save: the poll still reports what it proved... */
	f->j.set_err = KERR_IO;
	one_poll(f);
	assert_int_equal(f->transfers, TRANSFERS);
	assert_true(f->j.sets_failed >= TRANSFERS);
	assert_int_equal(f->j.sets, 0);
	assert_int_equal(f->j.stored.history_index, -1);
	/* ...and a restart reads them again from the journal's cursor. */
	f->transfers = 0;
	f->heads = 0;
	f->j.set_err = KERR_OK;
	one_poll(f);
	assert_int_equal(f->j.gets, 2);
	assert_int_equal(f->transfers, TRANSFERS);
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
}

static void test_a_journal_that_cannot_be_read_stops_the_start(void **state)
{
	struct fx *f = *state;
	struct watcher *w = (struct watcher *)f;

	assert_int_equal(loop_new(clock_system(), &f->loop), KERR_OK);
	f->j.get_err = KERR_IO;
	assert_int_equal(watcher_open(&f->site, &fj_ops, &f->j, f->loop, clock_system(),
	                              rng_system(), &f->ev, &w),
	                 KERR_IO);
	assert_null(w);
	f->j.get_err = KERR_OK;
	f->j.newest_err = KERR_CORRUPT;
	w = (struct watcher *)f;
	assert_int_equal(watcher_open(&f->site, &fj_ops, &f->j, f->loop, clock_system(),
	                              rng_system(), &f->ev, &w),
	                 KERR_CORRUPT);
	assert_null(w);
	assert_int_equal(f->j.sets + f->j.sets_failed + f->j.seen_asks, 0);
	loop_free(f->loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_no_cursor_reads_the_whole_history_and_saves_the_cursor, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_stored_cursor_is_where_reading_starts, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_transfer_the_journal_has_is_not_reported_but_passed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_cursor_not_saved_is_read_again_after_a_restart,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_journal_that_cannot_be_read_stops_the_start,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
