/*
 * The sidechain checker against the sidechain simulator over real TLS:
 * agreement of two nodes, lies, refusals, lag, nodes down, and the
 * precision cache.
 */
#include "kiosk/sidechain_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scsimfx.h"
#include "testutil.h"

#define TXID  "3398782dae26b26a00c6a2784bbbce10d3112435"
#define TXID2 "0f9a2c1b7e3d4a5b6c7d8e9f0a1b2c3d4e5f6a7b-1"

struct fx {
	struct scsimfx sim;
	struct rng_fake rng;
	struct sidechain_check *check;
	struct sidechain_check_result r;
	bool done;
	enum kerr p_err;
	uint8_t p;
	char p_why[SIDECHAIN_CHECK_WHY_MAX + 1];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	if (!f || scsimfx_start(&f->sim, 3, 0))
		return -1;
	rng_fake_init(&f->rng, 19);
	if (sidechainsim_token(f->sim.sim, "SCT", 3) ||
	    sidechainsim_transfer(f->sim.sim, TXID, "alice", "coop", "SCT", "10.000", "KP-7QK3") ||
	    sidechainsim_refused(f->sim.sim, TXID2, "bob", "coop", "SCT", "999.000", "KP-8ZZ1",
	                         "overdrawn balance"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	/* The client first: it drops what is in flight, then the checker may go. */
	http_free(f->sim.http);
	f->sim.http = NULL;
	sidechain_check_free(f->check);
	scsimfx_stop(&f->sim);
	free(f);
	return 0;
}

/* A checker over the simulator's first `nodes` nodes. */
static void checker(struct fx *f, unsigned nodes)
{
	struct site_node list[SIDECHAINSIM_NODES_MAX] = {0};
	struct sidechain_check_config cfg = {
	    .nodes = list, .node_count = nodes, .timeout_ms = 3000};

	for (unsigned i = 0; i < nodes; i++)
		snprintf(list[i].url, sizeof(list[i].url), "%s/", f->sim.url[i]);
	assert_int_equal(
	    sidechain_check_new(f->sim.loop, f->sim.http, &f->rng.base, &cfg, &f->check), KERR_OK);
}

static void on_tx(void *ctx, const struct sidechain_check_result *r)
{
	struct fx *f = ctx;

	assert_false(f->done);
	f->r = *r;
	f->done = true;
}

static void on_precision(void *ctx, enum kerr err, uint8_t precision, const char *why)
{
	struct fx *f = ctx;

	assert_false(f->done);
	f->p_err = err;
	f->p = precision;
	snprintf(f->p_why, sizeof(f->p_why), "%s", why ? why : "");
	f->done = true;
}

/* Checks txid and waits for the verdict. */
static void check(struct fx *f, const char *txid, const struct token_transfer *expect)
{
	f->done = false;
	assert_int_equal(sidechain_check_tx(f->check, txid, 3, expect, on_tx, f), KERR_OK);
	assert_false(f->done); /* never from inside the call */
	scsimfx_run_until(&f->sim, &f->done);
}

static const struct token_transfer proven = {.from = "alice",
                                             .to = "coop",
                                             .symbol = "SCT",
                                             .quantity = 10000,
                                             .precision = 3,
                                             .memo = "KP-7QK3"};

static bool backing_off(struct fx *f, unsigned node)
{
	const struct pool *p = sidechain_check_pool(f->check);

	return p->n[node].fails > 0 && p->n[node].retry_at_ms > mono_ms();
}

static void test_two_nodes_that_agree_make_it_executed(void **state)
{
	struct fx *f = *state;

	checker(f, 2);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_EXECUTED);
	assert_int_equal(f->r.agreed, 2);
	assert_int_equal(f->r.asked, 2);
	assert_string_equal(f->r.outcome.txid, TXID);
	assert_string_equal(f->r.outcome.transfer.from, "alice");
	assert_int_equal(f->r.outcome.transfer.quantity, 10000);
	assert_string_equal(f->r.outcome.transfer.memo, "KP-7QK3");
	assert_false(backing_off(f, 0));
	assert_false(backing_off(f, 1));
}

static void test_a_lying_node_stops_the_verdict_and_backs_off(void **state)
{
	struct fx *f = *state;

	checker(f, 2);
	sidechainsim_node_fault(f->sim.sim, 1, SIDECHAINSIM_LIE, true);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_PENDING);
	assert_non_null(strstr(f->r.why, "node 1: executed 10.001 SCT"));
	assert_non_null(strstr(f->r.why, "not the transfer proven"));
	assert_true(backing_off(f, 1));
	assert_false(backing_off(f, 0));
}

static void test_a_lying_minority_is_outvoted_and_backs_off(void **state)
{
	struct fx *f = *state;

	/* Nothing proven to compare with: the two that agree decide. */
	checker(f, 3);
	sidechainsim_node_fault(f->sim.sim, 2, SIDECHAINSIM_LIE, true);
	check(f, TXID, NULL);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_EXECUTED);
	assert_int_equal(f->r.outcome.transfer.quantity, 10000);
	assert_int_equal(f->r.agreed, 2);
	assert_true(backing_off(f, 2));
	assert_string_equal(sidechain_check_pool(f->check)->n[2].why,
	                    "disagreed with the other sidechain nodes");
}

static void test_a_refused_transfer_is_failed_with_the_sidechains_reason(void **state)
{
	struct fx *f = *state;

	checker(f, 2);
	check(f, TXID2, NULL);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_FAILED);
	assert_string_equal(f->r.why, "overdrawn balance");
	assert_string_equal(f->r.outcome.error, "overdrawn balance");
}

static void test_a_lagging_node_keeps_it_pending_until_it_catches_up(void **state)
{
	struct fx *f = *state;

	checker(f, 2);
	sidechainsim_node_fault(f->sim.sim, 0, SIDECHAINSIM_LAG, true);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_PENDING);
	assert_non_null(strstr(f->r.why, "node 0: not found yet"));
	assert_false(backing_off(f, 0)); /* late is not wrong */
	sidechainsim_node_fault(f->sim.sim, 0, SIDECHAINSIM_LAG, false);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_EXECUTED);
}

static void test_one_node_down_of_three_leaves_two_that_agree(void **state)
{
	struct fx *f = *state;

	checker(f, 3);
	sidechainsim_node_fault(f->sim.sim, 1, SIDECHAINSIM_DOWN, true);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_EXECUTED);
	assert_int_equal(f->r.asked, 3);
	assert_int_equal(f->r.answered, 2);
	assert_true(backing_off(f, 1));
	/* Asked again at once: the node in back-off is left alone. */
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_EXECUTED);
	assert_int_equal(f->r.asked, 2);
}

static void test_with_every_node_down_it_is_pending_then_offline(void **state)
{
	struct fx *f = *state;

	checker(f, 2);
	sidechainsim_node_fault(f->sim.sim, 0, SIDECHAINSIM_HTTP5XX, true);
	sidechainsim_node_fault(f->sim.sim, 1, SIDECHAINSIM_MALFORMED, true);
	check(f, TXID, &proven);
	assert_int_equal(f->r.verdict, SIDECHAIN_VERDICT_PENDING);
	assert_non_null(strstr(f->r.why, "node 0: no answer (HTTP status 503)"));
	assert_int_equal(sidechain_check_tx(f->check, TXID, 3, &proven, on_tx, f), KERR_OFFLINE);
	assert_int_equal(sidechain_check_tx(f->check, "not a txid", 3, NULL, on_tx, f), KERR_INVAL);
}

static void test_a_precision_is_agreed_then_cached(void **state)
{
	struct fx *f = *state;
	unsigned long requests;
	uint8_t p;

	checker(f, 2);
	assert_int_equal(sidechain_check_precision(f->check, "SCT", &p, on_precision, f),
	                 KERR_BUSY);
	scsimfx_run_until(&f->sim, &f->done);
	assert_int_equal(f->p_err, KERR_OK);
	assert_int_equal(f->p, 3);
	requests = sidechainsim_requests(f->sim.sim);
	f->done = false;
	assert_int_equal(sidechain_check_precision(f->check, "SCT", &p, on_precision, f), KERR_OK);
	assert_int_equal(p, 3);
	assert_false(f->done);
	assert_int_equal(sidechainsim_requests(f->sim.sim), requests);
}

static void test_a_precision_in_dispute_or_unknown_is_not_cached(void **state)
{
	struct fx *f = *state;
	uint8_t p;

	checker(f, 2);
	sidechainsim_node_fault(f->sim.sim, 1, SIDECHAINSIM_LIE, true);
	assert_int_equal(sidechain_check_precision(f->check, "SCT", &p, on_precision, f),
	                 KERR_BUSY);
	scsimfx_run_until(&f->sim, &f->done);
	assert_int_equal(f->p_err, KERR_BUSY);
	assert_non_null(strstr(f->p_why, "node 1: precision 4"));
	f->done = false;
	assert_int_equal(sidechain_check_precision(f->check, "NOPE", &p, on_precision, f),
	                 KERR_BUSY);
	scsimfx_run_until(&f->sim, &f->done);
	assert_int_equal(f->p_err, KERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_two_nodes_that_agree_make_it_executed, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_lying_node_stops_the_verdict_and_backs_off,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_lying_minority_is_outvoted_and_backs_off, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_refused_transfer_is_failed_with_the_sidechains_reason, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_lagging_node_keeps_it_pending_until_it_catches_up, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_node_down_of_three_leaves_two_that_agree,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_with_every_node_down_it_is_pending_then_offline,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_precision_is_agreed_then_cached, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_precision_in_dispute_or_unknown_is_not_cached,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
