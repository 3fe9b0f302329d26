/* The node pool: pick order, back-off with jitter, staleness and the pool's state. */
#include "kiosk/pool.h"

#include <string.h>

#include "testutil.h"

static void test_each_node_is_tried_then_the_fastest_is_used(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 1);
	pool_init(&p, 3, &r.base);
	assert_int_equal(pool_pick(&p, 0), 0);
	pool_ok(&p, 0, 0, 300, 100);
	/* Never measured counts as fast: the others get their turn. */
	assert_int_equal(pool_pick(&p, 0), 1);
	pool_ok(&p, 1, 0, 80, 100);
	assert_int_equal(pool_pick(&p, 0), 2);
	pool_ok(&p, 2, 0, 150, 100);
	assert_int_equal(pool_pick(&p, 0), 1);
	assert_int_equal(pool_state(&p, 0), POOL_ONLINE);
	/* Latency is smoothed: one slow answer does not demote a fast node at once. */
	pool_ok(&p, 1, 10, 200, 101);
	assert_int_equal(p.n[1].latency_ms, (3 * 80 + 200) / 4);
	assert_int_equal(pool_pick(&p, 10), 1);
}

static void test_failures_back_off_exponentially_with_bounded_jitter(void **state)
{
	struct pool p;
	struct rng_fake r;
	int64_t now = 1000000, prev = 0;

	(void)state;
	rng_fake_init(&r, 42);
	pool_init(&p, 1, &r.base);
	for (unsigned k = 1; k <= 12; k++) {
		int64_t base = POOL_BACKOFF_MIN_MS, wait;

		for (unsigned j = 1; j < k && base < POOL_BACKOFF_MAX_MS; j++)
			base *= 2;
		if (base > POOL_BACKOFF_MAX_MS)
			base = POOL_BACKOFF_MAX_MS;
		pool_fail(&p, 0, now, "HTTP 503");
		wait = p.n[0].retry_at_ms - now;
		assert_true(wait >= base - base / 4 && wait <= base + base / 4);
		assert_true(wait <= POOL_BACKOFF_MAX_MS + POOL_BACKOFF_MAX_MS / 4);
		if (k > 1 && base < POOL_BACKOFF_MAX_MS)
			assert_true(wait > prev / 2); /* grows, jitter notwithstanding */
		prev = wait;
		/* In back-off: not picked, the pool is offline, and we know when to look again. */
		assert_int_equal(pool_pick(&p, now), -1);
		assert_int_equal(pool_state(&p, now), POOL_OFFLINE);
		assert_int_equal(pool_next_retry_ms(&p), p.n[0].retry_at_ms);
		assert_int_equal(pool_pick(&p, p.n[0].retry_at_ms), 0);
	}
	assert_int_equal(p.n[0].errors, 12);
	assert_string_equal(p.n[0].why, "HTTP 503");
	/* One good answer ends the back-off. */
	pool_ok(&p, 0, now, 50, 10);
	assert_int_equal(p.n[0].fails, 0);
	assert_int_equal(pool_state(&p, now), POOL_ONLINE);
}

static void test_jitter_spreads_kiosks_apart(void **state)
{
	struct pool a, b;
	struct rng_fake ra, rb;

	(void)state;
	rng_fake_init(&ra, 1);
	rng_fake_init(&rb, 2);
	pool_init(&a, 1, &ra.base);
	pool_init(&b, 1, &rb.base);
	for (int k = 0; k < 4; k++) {
		pool_fail(&a, 0, 0, "down");
		pool_fail(&b, 0, 0, "down");
	}
	assert_true(a.n[0].retry_at_ms != b.n[0].retry_at_ms);
}

static void test_a_failing_node_leaves_the_pool_degraded_and_is_skipped(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 3);
	pool_init(&p, 2, &r.base);
	pool_ok(&p, 0, 0, 50, 100);
	pool_ok(&p, 1, 0, 90, 100);
	pool_fail(&p, 0, 100, "timeout");
	assert_int_equal(pool_pick(&p, 100), 1);
	assert_int_equal(pool_state(&p, 100), POOL_DEGRADED);
	pool_fail(&p, 1, 100, "timeout");
	assert_int_equal(pool_state(&p, 100), POOL_OFFLINE);
}

static void test_a_node_behind_the_others_is_stale_and_not_used(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 4);
	pool_init(&p, 2, &r.base);
	pool_ok(&p, 0, 0, 10, 1000); /* fast, but its head stopped */
	pool_ok(&p, 1, 0, 200, 1000 + POOL_STALE_BLOCKS);
	assert_false(pool_stale(&p, 0)); /* exactly the allowance behind */
	assert_int_equal(pool_pick(&p, 0), 0);
	pool_ok(&p, 1, 1, 200, 1000 + POOL_STALE_BLOCKS + 1);
	assert_true(pool_stale(&p, 0));
	assert_int_equal(pool_pick(&p, 1), 1);
	assert_int_equal(pool_state(&p, 1), POOL_DEGRADED);
	/* Only the stale node answers: it is still asked rather than nothing. */
	pool_fail(&p, 1, 2, "down");
	assert_int_equal(pool_pick(&p, 2), 0);
	/* It catches up: current again. */
	pool_ok(&p, 0, 3, 10, 1000 + POOL_STALE_BLOCKS + 2);
	assert_false(pool_stale(&p, 0));
	assert_string_equal(pool_state_name(POOL_DEGRADED), "degraded");
}

static void test_a_lagging_history_degrades_but_still_serves_blocks(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 5);
	pool_init(&p, 2, &r.base);
	pool_ok(&p, 0, 0, 50, 100);
	pool_ok(&p, 1, 0, 90, 100);
	assert_int_equal(pool_state(&p, 0), POOL_ONLINE);
	pool_history_lagging(&p, 0, 1000);
	assert_true(pool_history_lags(&p, 0, 1000));
	assert_false(pool_history_lags(&p, 1, 1000));
	assert_int_equal(pool_state(&p, 1000), POOL_DEGRADED);
	/* Every history lagging: blocks are still read, so not offline. */
	pool_history_lagging(&p, 1, 1000);
	assert_int_equal(pool_state(&p, 1000), POOL_DEGRADED);
	assert_int_equal(pool_pick(&p, 1000), 0);
	/* Looked at again after the recheck time. */
	assert_true(pool_history_lags(&p, 0, 1000 + POOL_HISTORY_RECHECK_MS - 1));
	assert_false(pool_history_lags(&p, 0, 1000 + POOL_HISTORY_RECHECK_MS));
	assert_int_equal(pool_state(&p, 1000 + POOL_HISTORY_RECHECK_MS), POOL_ONLINE);
	assert_false(pool_history_lags(&p, 7, 0));
}

/* Times: the wall clock is 1,000,000 s; blocks every 3 s. */
#define NOW_S  1000000
#define NOW_MS ((int64_t)NOW_S * 1000)

static void test_a_head_ahead_of_the_clock_is_a_lie(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 5);
	pool_init(&p, 2, &r.base);
	pool_set_interval(&p, 3000);
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS, 500, NOW_S + 60),
	                 POOL_CLAIM_AHEAD_OF_CLOCK);
	assert_int_equal(p.n[0].head, 0); /* counts for nothing */
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS, 500, NOW_S + 3), POOL_CLAIM_OK);
	assert_int_equal(p.n[0].head, 500);
	assert_non_null(strstr(pool_claim_str(POOL_CLAIM_AHEAD_OF_CLOCK), "a lie"));
}

static void test_a_head_far_ahead_of_the_others_does_not_fit_its_time(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 6);
	pool_init(&p, 3, &r.base);
	pool_set_interval(&p, 3000);
	assert_int_equal(pool_head_claim(&p, 1, NOW_MS, 1000, NOW_S), POOL_CLAIM_OK);
	assert_int_equal(pool_head_claim(&p, 2, NOW_MS, 1000, NOW_S - 3), POOL_CLAIM_OK);
	/* Timed now, 1000 blocks ahead of what the others' heads say for now. */
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS, 2000, NOW_S), POOL_CLAIM_UNFIT);
	assert_int_equal(pool_ref_head(&p), 1000);
	assert_false(pool_stale(&p, 1));
	assert_false(pool_stale(&p, 2));
	/* A head that is only behind in time (an old block) fits: judged by staleness instead. */
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS, 980, NOW_S - 60), POOL_CLAIM_OK);
	assert_true(pool_stale(&p, 0));
}

static void test_one_nodes_claim_never_makes_all_others_stale(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 7);
	pool_init(&p, 2, &r.base);
	pool_set_interval(&p, 3000);
	/* The liar speaks first: nothing to judge it against yet. */
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS, 5000, NOW_S), POOL_CLAIM_OK);
	pool_ok(&p, 0, NOW_MS, 10, 5000);
	/* The honest node, behind it by 4000 blocks at the same time: not made stale by it. */
	assert_int_equal(pool_head_claim(&p, 1, NOW_MS, 1000, NOW_S), POOL_CLAIM_OK);
	pool_ok(&p, 1, NOW_MS, 10, 1000);
	assert_false(pool_stale(&p, 1));
	assert_int_equal(pool_ref_head(&p), 1000);
	assert_int_equal(pool_pick(&p, NOW_MS), 0);
	/* The liar's next word is judged against the honest head and refused. */
	assert_int_equal(pool_head_claim(&p, 0, NOW_MS + 3000, 5001, NOW_S + 3), POOL_CLAIM_UNFIT);
	/* Its own pace too: 100 blocks in 3 s is not a chain that makes one in 3. */
	assert_int_equal(pool_head_claim(&p, 1, NOW_MS + 3000, 1100, NOW_S + 3), POOL_CLAIM_UNFIT);
}

static void test_every_nodes_head_is_kept_fresh(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 8);
	pool_init(&p, 3, &r.base);
	pool_set_interval(&p, 3000);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pool_head_claim(&p, i, NOW_MS, 1000, NOW_S), POOL_CLAIM_OK);
	for (unsigned i = 0; i < 3; i++)
		assert_false(pool_head_is_due(&p, i, NOW_MS + 3000));
	/* After POOL_FRESH_BLOCKS blocks every head is due. */
	for (unsigned i = 0; i < 3; i++)
		assert_true(pool_head_is_due(&p, i, NOW_MS + POOL_FRESH_BLOCKS * 3000 + 1));
	assert_int_equal(pool_head_claim(&p, 1, NOW_MS + 9001, 1003, NOW_S + 9), POOL_CLAIM_OK);
	assert_false(pool_head_is_due(&p, 1, NOW_MS + 9002));
	assert_true(pool_head_is_due(&p, 2, NOW_MS + 9002));
	/* A node in back-off waits for it. */
	pool_fail(&p, 2, NOW_MS + 9002, "down");
	assert_false(pool_head_is_due(&p, 2, NOW_MS + 9003));
	assert_false(pool_head_is_due(&p, 7, NOW_MS + 9003));
}

static void test_irreversible_is_the_lowest_among_agreeing_nodes(void **state)
{
	struct pool p;
	struct rng_fake r;

	(void)state;
	rng_fake_init(&r, 9);
	pool_init(&p, 3, &r.base);
	pool_set_interval(&p, 3000);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(pool_head_claim(&p, i, NOW_MS, 1000, NOW_S), POOL_CLAIM_OK);
		pool_ok(&p, i, NOW_MS, 10, 1000);
	}
	pool_set_lib(&p, 0, 990);
	pool_set_lib(&p, 1, 985);
	pool_set_lib(&p, 2, 999);
	assert_int_equal(pool_agreed_lib(&p, 999), 985);
	/* A failing node's word no longer counts. */
	pool_fail(&p, 1, NOW_MS, "down");
	assert_int_equal(pool_agreed_lib(&p, 999), 990);
	assert_int_equal(pool_agreed_lib(&p, 980), 980);
}

static void test_the_request_budget_allows_a_burst_then_two_a_second(void **state)
{
	struct pool p;
	int64_t t = 1000000;
	unsigned sent = 0;

	(void)state;
	pool_init(&p, 2, NULL);
	/* A fresh node: a burst goes at once. */
	for (unsigned k = 0; k < POOL_BUDGET_BURST; k++) {
		assert_int_equal(pool_budget_wait_ms(&p, 0, t), 0);
		pool_spend(&p, 0, t);
	}
	assert_true(pool_budget_wait_ms(&p, 0, t) > 0);
	/* The other node's budget is its own. */
	assert_int_equal(pool_budget_wait_ms(&p, 1, t), 0);
	/* A poll that made progress may run into debt; the next one waits it off. */
	for (unsigned k = 0; k < 10; k++)
		pool_spend(&p, 0, t);
	assert_int_equal(pool_budget_wait_ms(&p, 0, t), (10 * 1000 + 1000) / POOL_BUDGET_PER_S);
	/* A loop that asks whenever it may: POOL_BUDGET_PER_S a second sustained. */
	for (int64_t end = t + 60000; t < end;) {
		int64_t wait = pool_budget_wait_ms(&p, 0, t);

		if (wait) {
			t += wait;
			continue;
		}
		pool_spend(&p, 0, t);
		sent++;
	}
	assert_in_range(sent, 60 * POOL_BUDGET_PER_S - 12, 60 * POOL_BUDGET_PER_S);
	/* Left alone, it refills to the burst and no further. */
	t += 3600 * 1000;
	for (unsigned k = 0; k < POOL_BUDGET_BURST; k++)
		pool_spend(&p, 0, t);
	assert_true(pool_budget_wait_ms(&p, 0, t) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_node_is_tried_then_the_fastest_is_used),
	    cmocka_unit_test(test_failures_back_off_exponentially_with_bounded_jitter),
	    cmocka_unit_test(test_jitter_spreads_kiosks_apart),
	    cmocka_unit_test(test_a_failing_node_leaves_the_pool_degraded_and_is_skipped),
	    cmocka_unit_test(test_a_node_behind_the_others_is_stale_and_not_used),
	    cmocka_unit_test(test_a_lagging_history_degrades_but_still_serves_blocks),
	    cmocka_unit_test(test_a_head_ahead_of_the_clock_is_a_lie),
	    cmocka_unit_test(test_a_head_far_ahead_of_the_others_does_not_fit_its_time),
	    cmocka_unit_test(test_one_nodes_claim_never_makes_all_others_stale),
	    cmocka_unit_test(test_every_nodes_head_is_kept_fresh),
	    cmocka_unit_test(test_irreversible_is_the_lowest_among_agreeing_nodes),
	    cmocka_unit_test(test_the_request_budget_allows_a_burst_then_two_a_second),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
