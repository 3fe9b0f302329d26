/*
 * The rate fetcher in a real loop against the ticker simulator (its own
 * CA) and the chain simulator's nodes: fresh quotes from both sources, a
 * stale or failing ticker reported and retried after a back-off, and a
 * price feed taken only when two node operators agree (a lying node is
 * outvoted and backed off, or, alone against one honest node, blocks it).
 */
#include "kiosk/rate_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainsim.h"
#include "kiosk/clock.h"
#include "tickersim.h"
#include "testutil.h"

#define CALLS_MAX 32

struct call {
	int64_t at_ns; /* when it came, on the loop's clock */
	enum kerr err;
	struct rate_fetch_quote q;
	char why[RATE_FETCH_WHY_MAX];
};

struct fx {
	char *dir;
	struct tickersim *ticker;
	struct chainsim *chain;
	struct loop *loop;
	struct http *ticker_http, *chain_http;
	struct rng_fake rng;
	struct rate_fetch *fetch;
	struct call calls[CALLS_MAX];
	unsigned ncalls;
};

static void on_quote(void *ctx, enum kerr err, const struct rate_fetch_quote *q, const char *why)
{
	struct fx *f = ctx;

	if (f->ncalls == CALLS_MAX)
		return;
	f->calls[f->ncalls].at_ns = clock_mono_ns(clock_system());
	f->calls[f->ncalls].err = err;
	f->calls[f->ncalls].q = *q;
	snprintf(f->calls[f->ncalls].why, sizeof(f->calls[0].why), "%s", why ? why : "");
	f->ncalls++;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct tickersim_config tc = {0};
	struct chainsim_config cc = {.chain = SITE_CHAIN_STEEM, .nodes = 3};
	char ca[512];

	*state = f;
	f->dir = tmpdir_or_fail();
	tc.dir = cc.dir = f->dir;
	if (tickersim_start(&tc, &f->ticker) || chainsim_start(&cc, &f->chain))
		return -1;
	if (tickersim_price(f->ticker, "KRW-STEEM", "312.5", 0))
		return -1;
	if (loop_new(clock_system(), &f->loop))
		return -1;
	snprintf(ca, sizeof(ca), "%s/%s", f->dir, TICKERSIM_CA_FILE);
	if (http_new(f->loop, ca, &f->ticker_http))
		return -1;
	snprintf(ca, sizeof(ca), "%s/ca.pem", f->dir);
	if (http_new(f->loop, ca, &f->chain_http))
		return -1;
	rng_fake_init(&f->rng, 19);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	http_free(f->ticker_http);
	http_free(f->chain_http);
	rate_fetch_free(f->fetch);
	loop_free(f->loop);
	tickersim_stop(f->ticker);
	chainsim_stop(f->chain);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* A fetcher of the ticker and/or the first `nodes` chain nodes. */
static void start_fetch(struct fx *f, bool ticker, unsigned nodes)
{
	struct site_node n[3];
	char url[SITE_URL_MAX];
	struct rate_fetch_config cfg = {.chain = SITE_CHAIN_STEEM,
	                                .ticker_market = "KRW-STEEM",
	                                .nodes = n,
	                                .node_count = nodes,
	                                .interval_ms = 60000,
	                                .backoff_min_ms = 200,
	                                .timeout_ms = 2000};

	memset(n, 0, sizeof(n));
	for (unsigned i = 0; i < 3; i++)
		snprintf(n[i].url, sizeof(n[i].url), "https://127.0.0.1:%u",
		         chainsim_node_port(f->chain, i));
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/v1/ticker?markets=KRW-STEEM",
	         tickersim_port(f->ticker));
	cfg.ticker_url = ticker ? url : NULL;
	assert_int_equal(rate_fetch_new(f->loop, f->ticker_http, f->chain_http, &f->rng.base, &cfg,
	                                on_quote, f, &f->fetch),
	                 KERR_OK);
	rate_fetch_start(f->fetch);
}

static void run_until_calls(struct fx *f, unsigned n)
{
	for (int i = 0; i < 500 && f->ncalls < n; i++)
		assert_int_equal(loop_run_once(f->loop, 20), KERR_OK);
	assert_true(f->ncalls >= n);
}

static const struct call *first_of(struct fx *f, enum rate_fetch_source s)
{
	for (unsigned i = 0; i < f->ncalls; i++)
		if (f->calls[i].q.source == s)
			return &f->calls[i];
	fail_msg("no call from that source");
	return NULL;
}

static void test_fresh_quotes_from_the_ticker_and_the_feed(void **state)
{
	struct fx *f = *state;
	const struct call *c;
	int64_t now = clock_real_ms(clock_system());

	start_fetch(f, true, 2);
	run_until_calls(f, 2);
	c = first_of(f, RATE_FETCH_TICKER);
	assert_int_equal(c->err, KERR_OK);
	assert_string_equal(c->q.symbol, "STEEM");
	assert_string_equal(c->q.unit, "KRW");
	assert_int_equal(c->q.rate.units, 3125);
	assert_int_equal(c->q.rate.scale, 1);
	assert_true(c->q.at_ms >= now - 5000);
	c = first_of(f, RATE_FETCH_FEED);
	assert_int_equal(c->err, KERR_OK);
	assert_string_equal(c->q.symbol, "STEEM");
	assert_string_equal(c->q.unit, "USD");
	assert_int_equal(c->q.rate.units, 25);
	assert_int_equal(c->q.rate.scale, 2);
	assert_true(c->q.exact);
}

static void test_a_stale_ticker_is_refused_and_retried_after_a_back_off(void **state)
{
	struct fx *f = *state;
	unsigned long before;

	tickersim_fault(f->ticker, TICKERSIM_STALE, true);
	start_fetch(f, true, 0);
	run_until_calls(f, 1);
	assert_int_equal(f->calls[0].err, KERR_RANGE);
	assert_non_null(strstr(f->calls[0].why, "old"));
	/* No second request before the back-off (200 ms) has passed. */
	before = tickersim_requests(f->ticker);
	assert_int_equal(loop_run_once(f->loop, 50), KERR_OK);
	assert_int_equal(tickersim_requests(f->ticker), before);
	tickersim_fault(f->ticker, TICKERSIM_STALE, false);
	run_until_calls(f, 2);
	assert_int_equal(f->calls[1].err, KERR_OK);
	assert_int_equal(f->calls[1].q.rate.units, 3125);
}

static void test_a_failing_ticker_backs_off_longer_each_time(void **state)
{
	struct fx *f = *state;

	tickersim_fault(f->ticker, TICKERSIM_HTTP5XX, true);
	start_fetch(f, true, 0);
	run_until_calls(f, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(f->calls[i].err, KERR_PROTO);
		assert_non_null(strstr(f->calls[i].why, "HTTP 503"));
	}
	/* 200 ms after the first failure, then 400 ms after the second (lower bounds only). */
	assert_true(f->calls[1].at_ns - f->calls[0].at_ns >= 190 * 1000000LL);
	assert_true(f->calls[2].at_ns - f->calls[1].at_ns >= 390 * 1000000LL);
	assert_int_equal(tickersim_requests(f->ticker), 3);
}

static void test_a_lying_node_is_outvoted_and_backed_off(void **state)
{
	struct fx *f = *state;
	const struct pool *p;

	chainsim_node_fault(f->chain, 2, CHAINSIM_LIE, true);
	start_fetch(f, false, 3);
	run_until_calls(f, 1);
	assert_int_equal(f->calls[0].err, KERR_OK);
	assert_int_equal(f->calls[0].q.rate.units, 25);
	p = rate_fetch_pool(f->fetch);
	assert_int_equal(p->n[0].fails, 0);
	assert_int_equal(p->n[1].fails, 0);
	assert_int_equal(p->n[2].fails, 1);
	assert_non_null(strstr(p->n[2].why, "another price feed"));
}

static void test_one_liar_against_one_honest_node_gives_no_feed(void **state)
{
	struct fx *f = *state;

	chainsim_node_fault(f->chain, 1, CHAINSIM_LIE, true);
	start_fetch(f, false, 2);
	run_until_calls(f, 1);
	assert_int_equal(f->calls[0].err, KERR_BUSY);
	assert_non_null(strstr(f->calls[0].why, "agreed"));
	assert_int_equal(f->calls[0].q.rate.units, 0);
}

static void test_bad_configurations_are_refused(void **state)
{
	struct fx *f = *state;
	struct rate_fetch *r = NULL;
	struct rate_fetch_config none = {.chain = SITE_CHAIN_STEEM};
	struct rate_fetch_config no_market = {.chain = SITE_CHAIN_STEEM,
	                                      .ticker_url = "https://x/v1/ticker",
	                                      .ticker_market = "STEEM"};

	assert_int_equal(rate_fetch_new(f->loop, f->ticker_http, f->chain_http, &f->rng.base, &none,
	                                on_quote, f, &r),
	                 KERR_INVAL);
	assert_int_equal(rate_fetch_new(f->loop, f->ticker_http, f->chain_http, &f->rng.base,
	                                &no_market, on_quote, f, &r),
	                 KERR_INVAL);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fresh_quotes_from_the_ticker_and_the_feed, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_stale_ticker_is_refused_and_retried_after_a_back_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_failing_ticker_backs_off_longer_each_time, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_lying_node_is_outvoted_and_backed_off, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_one_liar_against_one_honest_node_gives_no_feed,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_configurations_are_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
