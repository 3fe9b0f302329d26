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
	enum kerr get_err, set_err, newest_err, seen_err;
	int64_t first_ms; /* first_read_ms's answer */
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
	unsigned transfers, heads, refused, unverified, transfer_calls;
	enum kerr transfer_err; /* what the kiosk's transfer callback answers */
	char unverified_reason[128], unverified_memo[16];
	unsigned quit_at_heads; /* 0: the first head ends the run */
	unsigned tokens;        /* token transfers reported */
	char token_memos[8][16];
	struct asset token_amount[8];
	uint32_t token_op[8];
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

static enum kerr fj_first_read_ms(void *ctx, int64_t *ms)
{
	struct fake_journal *j = ctx;

	*ms = j->first_ms;
	return KERR_OK;
}

static const struct watcher_journal_ops fj_ops = {
    .cursor_get = fj_cursor_get,
    .cursor_set = fj_cursor_set,
    .transfer_seen = fj_transfer_seen,
    .newest_transfer_block = fj_newest_transfer_block,
    .first_read_ms = fj_first_read_ms,
    /* no witness keys kept: learned from the quorum at each start */
};

/* The simulator's transaction ids of our transfers, by memo number, for transfer_seen. */
static char trx_ids[TRANSFERS][41];

static enum kerr fj_transfer_seen(void *ctx, const char *trx_id, uint32_t op_index, bool *seen)
{
	struct fake_journal *j = ctx;

	(void)op_index;
	j->seen_asks++;
	*seen = false;
	if (j->seen_err)
		return j->seen_err;
	for (unsigned i = 0; i < TRANSFERS; i++)
		if (j->seen[i] && strcmp(trx_ids[i], trx_id) == 0)
			*seen = true;
	return KERR_OK;
}

static enum kerr on_transfer(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct fx *f = container_of(e, struct fx, ev);

	f->transfer_calls++;
	if (f->transfer_err)
		return f->transfer_err;
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
	return KERR_OK;
}

static enum kerr on_token(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct fx *f = container_of(e, struct fx, ev);

	if (f->tokens < 8) {
		snprintf(f->token_memos[f->tokens], sizeof(f->token_memos[0]), "%.*s",
		         (int)t->memo_len, t->memo);
		f->token_amount[f->tokens] = t->amount;
		f->token_op[f->tokens] = t->op_index;
	}
	f->tokens++;
	return KERR_OK;
}

static int token_seen(const struct fx *f, const char *memo)
{
	for (unsigned i = 0; i < f->tokens && i < 8; i++)
		if (strcmp(f->token_memos[i], memo) == 0)
			return (int)i;
	return -1;
}

static enum kerr on_unverified(struct watcher_events *e, const struct watcher_unverified *u)
{
	struct fx *f = container_of(e, struct fx, ev);

	f->unverified++;
	snprintf(f->unverified_reason, sizeof(f->unverified_reason), "%s", u->reason);
	snprintf(f->unverified_memo, sizeof(f->unverified_memo), "%.*s", (int)u->memo_len, u->memo);
	return KERR_OK;
}

/* The end of a poll: the test looks at what it did. */
static void on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s)
{
	struct fx *f = container_of(e, struct fx, ev);

	(void)head;
	(void)lib;
	(void)head_time_s;
	f->heads++;
	if (f->heads >= f->quit_at_heads)
		loop_quit(f->loop, 0);
}

static void on_refused(struct watcher_events *e, const char *trx_id, const char *why)
{
	struct fx *f = container_of(e, struct fx, ev);

	(void)trx_id;
	(void)why;
	f->refused++;
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
	/* The history lists irreversible blocks only, as real nodes do: one block more makes the
	 * last transfer's block irreversible on Hive. */
	for (unsigned i = 0; i < CHAINSIM_LIB_LAG_HIVE; i++)
		chainsim_produce(f->c.sim);
	f->j.stored = (struct watcher_cursor){.history_index = -1};
	f->j.lowest_set_index = INT64_MAX;
	f->ev = (struct watcher_events){.transfer = on_transfer,
	                                .head = on_head,
	                                .refused = on_refused,
	                                .unverified = on_unverified};
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

/* Runs a watcher for at most ms, or until `heads` polls ended; how many did. */
static unsigned run_for(struct fx *f, unsigned heads, unsigned ms)
{
	struct watcher *w;

	f->heads = 0;
	f->quit_at_heads = heads;
	assert_int_equal(loop_new(clock_system(), &f->loop), KERR_OK);
	assert_int_equal(watcher_open(&f->site, &fj_ops, &f->j, f->loop, clock_system(),
	                              rng_system(), &f->ev, &w),
	                 KERR_OK);
	loop_timer_arm(f->loop, &f->deadline, (int64_t)ms * NS_PER_MS);
	(void)loop_run(f->loop);
	loop_timer_disarm(f->loop, &f->deadline);
	watcher_close(w);
	loop_free(f->loop);
	f->loop = NULL;
	f->quit_at_heads = 0;
	return f->heads;
}

static bool memo_seen(const struct fx *f, const char *memo)
{
	for (unsigned i = 0; i < f->transfers && i < 16; i++)
		if (strcmp(f->memos[i], memo) == 0)
			return true;
	return false;
}

/*
 * Anyone can send the co-op 0.001 in a transaction the kiosk cannot prove
 * (an operation it does not serialize). That is not a lie: the node is not
 * failed, the cursor moves past it, the poll ends (the head is reported)
 * and an honest payment one block later is found in the same poll.
 */
static void test_an_unprovable_transfer_blocks_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
	    chainsim_poisoned_transfer(f->c.sim, "mallory", "coop", "0.001 HIVE", "W-P"), KERR_OK);
	chainsim_produce(f->c.sim);
	assert_int_equal(chainsim_transfer(f->c.sim, "bob", "coop", "1.000 HIVE", "W-HONEST"),
	                 KERR_OK);
	chainsim_produce(f->c.sim);
	chainsim_produce(f->c.sim); /* history shows only irreversible blocks */
	assert_int_equal(run_for(f, 1, 8000), 1);
	assert_true(memo_seen(f, "W-HONEST"));
	assert_false(memo_seen(f, "W-P"));
	assert_int_equal(f->refused, 0);
	assert_int_equal(f->unverified, 1);
	assert_string_equal(f->unverified_memo, "W-P");
	assert_non_null(strstr(f->unverified_reason, "cannot serialize"));
	assert_int_equal(f->j.stored.history_index, TRANSFERS + 1);
}

/* The journal cannot say whether a transfer is recorded: it is not skipped, nor the cursor moved
 * past it. */
static void test_a_failed_seen_lookup_skips_nothing(void **state)
{
	struct fx *f = *state;

	f->j.seen_err = KERR_BUSY;
	(void)run_for(f, 1, 4000);
	assert_int_equal(f->transfers, 0);
	assert_int_equal(f->j.stored.history_index, -1);
	assert_true(f->j.lowest_set_index == INT64_MAX || f->j.lowest_set_index < 0);
	/* The journal answers again: every transfer is found. */
	f->j.seen_err = KERR_OK;
	assert_true(run_for(f, 1, 8000) >= 1);
	assert_int_equal(f->transfers, TRANSFERS);
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
}

/*
 * A node serving history indexes near 2^63: the reply is refused, the
 * cursor is not poisoned, and once a node answers sanely later payments
 * are found.
 */
static void test_a_poisoned_history_index_is_refused(void **state)
{
	struct fx *f = *state;

	chainsim_fault(f->c.sim, CHAINSIM_POISON_INDEX, true);
	(void)run_for(f, 1, 3000);
	assert_true(f->j.stored.history_index < ((int64_t)1 << 53));
	assert_true(f->j.stored.history_index <= TRANSFERS - 1);
	chainsim_fault(f->c.sim, CHAINSIM_POISON_INDEX, false);
	assert_int_equal(chainsim_transfer(f->c.sim, "bob", "coop", "1.000 HIVE", "W-LATER"),
	                 KERR_OK);
	chainsim_produce(f->c.sim);
	chainsim_produce(f->c.sim); /* history shows only irreversible blocks */
	assert_true(run_for(f, 1, 8000) >= 1);
	assert_true(memo_seen(f, "W-LATER"));
	assert_int_equal(f->j.stored.history_index, TRANSFERS);
}

/*
 * A node that answers the head but fails later in every poll backs off
 * over the whole poll: 1 s, 2 s, 4 s..., not about once a second.
 */
static void test_a_node_failing_late_in_every_poll_backs_off(void **state)
{
	struct fx *f = *state;

	chainsim_fault(f->c.sim, CHAINSIM_TAMPER, true);
	(void)run_for(f, 1, 7000);
	assert_int_equal(f->heads, 0);
	assert_true(f->refused >= 2);
	assert_true(f->refused <= 4);
}

/*
 * A first start on a node without account history (it reads blocks) after
 * the member paid: reading does not start at the head, so it is found.
 */
static void test_a_first_start_finds_a_payment_made_before_it(void **state)
{
	struct fx *f = *state;

	chainsim_fault(f->c.sim, CHAINSIM_NO_HISTORY, true);
	for (unsigned i = 0; i < 4; i++)
		chainsim_produce(f->c.sim);
	/* The journal's oldest open payment request: a minute ago. */
	f->j.first_ms = clock_real_ms(clock_system()) - 60000;
	(void)run_for(f, 3, 8000);
	assert_int_equal(f->transfers, TRANSFERS);
	assert_true(memo_seen(f, "W-0"));
}

/*
 * The journal refuses to record a proven transfer (busy, full, read-only):
 * the cursor stays before it, it is offered again later with back-off, and
 * once the journal takes it every transfer is recorded exactly once.
 */
static void test_a_transfer_the_journal_refuses_is_read_again(void **state)
{
	struct fx *f = *state;

	f->transfer_err = KERR_BUSY;
	(void)run_for(f, 1, 4000);
	assert_int_equal(f->transfers, 0);
	assert_true(f->transfer_calls >= 1);
	assert_int_equal(f->j.stored.history_index, -1);
	/* Backed off: not offered again and again within the poll's second. */
	f->transfer_calls = 0;
	(void)run_for(f, 3, 1500);
	assert_true(f->transfer_calls <= 3);
	assert_int_equal(f->j.stored.history_index, -1);
	f->transfer_err = KERR_OK;
	assert_true(run_for(f, 1, 8000) >= 1);
	assert_int_equal(f->transfers, TRANSFERS);
	assert_string_equal(f->memos[0], "W-0");
	assert_int_equal(f->j.stored.history_index, TRANSFERS - 1);
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

/*
 * A token transfer to the co-op is in no history of the co-op's: it is found
 * in the blocks since the oldest open payment request (none on screen here,
 * the kiosk started after it was made), proven, and reported as a token
 * transfer at 8 decimals; the forms the kiosk must refuse are not reported.
 */
static void test_token_transfers_are_found_in_blocks_since_the_oldest_request(void **state)
{
	static const struct {
		const char *to, *symbol, *memo;
		enum chainsim_token_style style;
	} sent[] = {
	    {"coop", "SCT", "T-OK", CHAINSIM_TOKEN_ACTIVE},
	    {"coop", "SCT", "T-POSTING", CHAINSIM_TOKEN_POSTING},
	    {"coop", "SCT", "T-OTHER-ID", CHAINSIM_TOKEN_OTHER_ID},
	    {"coop", "SCT", "T-SECOND", CHAINSIM_TOKEN_SECOND_OP},
	    {"coop", "PAL", "T-NOT-TAKEN", CHAINSIM_TOKEN_ACTIVE},
	    {"bob", "SCT", "T-ELSEWHERE", CHAINSIM_TOKEN_ACTIVE},
	};
	struct fx *f = *state;
	char id[41];
	unsigned op;
	int i;

	f->site.token_count = 1;
	snprintf(f->site.tokens[0], sizeof(f->site.tokens[0]), "SCT");
	f->ev.token = on_token;
	for (size_t k = 0; k < ARRAY_SIZE(sent); k++) {
		assert_int_equal(chainsim_token_transfer(f->c.sim, "alice", sent[k].to,
		                                         sent[k].symbol, "10.5", sent[k].memo,
		                                         sent[k].style, id, &op),
		                 KERR_OK);
		chainsim_produce(f->c.sim);
	}
	/* Nothing open: no block is read for tokens. */
	(void)run_for(f, 2, 8000);
	assert_int_equal(f->tokens, 0);
	/* A request opened a minute ago: the blocks since are read, without the screen. */
	f->j.first_ms = clock_real_ms(clock_system()) - 60000;
	(void)run_for(f, 3, 15000);
	i = token_seen(f, "T-OK");
	assert_true(i >= 0);
	assert_string_equal(f->token_amount[i].symbol, "SCT");
	assert_int_equal(f->token_amount[i].precision, WATCHER_TOKEN_PRECISION);
	assert_int_equal(f->token_amount[i].amount, 1050000000);
	assert_int_equal(f->token_op[i], 0);
	i = token_seen(f, "T-SECOND");
	assert_true(i >= 0);
	assert_int_equal(f->token_op[i], 1);
	assert_int_equal(token_seen(f, "T-POSTING"), -1);
	assert_int_equal(token_seen(f, "T-OTHER-ID"), -1);
	assert_int_equal(token_seen(f, "T-NOT-TAKEN"), -1);
	assert_int_equal(token_seen(f, "T-ELSEWHERE"), -1);
	assert_int_equal(f->tokens, 2);
	assert_int_equal(f->refused, 0);
	/* Token transfers are never handed over as chain transfers. */
	assert_false(memo_seen(f, "T-OK"));
	assert_false(memo_seen(f, "T-SECOND"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_token_transfers_are_found_in_blocks_since_the_oldest_request, setup, teardown),
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
	    cmocka_unit_test_setup_teardown(test_an_unprovable_transfer_blocks_nothing, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_failed_seen_lookup_skips_nothing, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_transfer_the_journal_refuses_is_read_again,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_poisoned_history_index_is_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_node_failing_late_in_every_poll_backs_off, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_first_start_finds_a_payment_made_before_it,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
