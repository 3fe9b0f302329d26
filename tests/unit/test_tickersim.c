/*
 * The ticker simulator over real TLS, through the kiosk's own HTTP client
 * (a GET) and read with the kiosk's ticker parser: prices arrive as the
 * number text set, several markets at once, Upbit's error for an unknown
 * market, and each fault as a client sees it.
 */
#include "tickersim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/http.h"
#include "kiosk/loop.h"
#include "kiosk/ticker.h"
#include "testutil.h"

struct fx {
	char *dir;
	struct tickersim *sim;
	struct loop *loop;
	struct http *http;
};

struct reply {
	struct http_request req;
	bool done;
	enum kerr err;
	long status;
	char body[TICKER_REPLY_MAX + 1];
	size_t len;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct tickersim_config cfg = {0};
	char ca[512];

	*state = f;
	f->dir = tmpdir_or_fail();
	cfg.dir = f->dir;
	if (tickersim_start(&cfg, &f->sim))
		return -1;
	snprintf(ca, sizeof(ca), "%s/%s", f->dir, TICKERSIM_CA_FILE);
	if (loop_new(clock_system(), &f->loop) || http_new(f->loop, ca, &f->http))
		return -1;
	return tickersim_price(f->sim, "KRW-STEEM", "312.1", 1700000000000LL) ||
	       tickersim_price(f->sim, "KRW-SBD", "3.121E3", 0);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	http_free(f->http);
	loop_free(f->loop);
	tickersim_stop(f->sim);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void on_done(struct http_request *req, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct reply *r = container_of(req, struct reply, req);

	r->err = err;
	r->status = status;
	r->len = len < TICKER_REPLY_MAX ? len : TICKER_REPLY_MAX;
	memcpy(r->body, body, r->len);
	r->body[r->len] = '\0';
	r->done = true;
}

static void get(struct fx *f, const char *markets, unsigned timeout_ms, struct reply *r)
{
	char url[256];

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/v1/ticker?markets=%s",
	         tickersim_port(f->sim), markets);
	r->req = (struct http_request){.url = url,
	                               .body = NULL,
	                               .timeout_ms = timeout_ms,
	                               .max_bytes = TICKER_REPLY_MAX,
	                               .done = on_done};
	assert_int_equal(http_post(f->http, &r->req), KERR_OK);
	for (int i = 0; i < 400 && !r->done; i++)
		assert_int_equal(loop_run_once(f->loop, 20), KERR_OK);
	assert_true(r->done);
}

static void test_prices_arrive_as_set_for_each_market_asked(void **state)
{
	struct fx *f = *state;
	struct reply r;
	struct ticker_quote q;
	const char *why = NULL;
	int64_t before = (int64_t)time(NULL) * 1000;

	get(f, "KRW-STEEM,KRW-SBD", 3000, &r);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"trade_price\":3.121E3"));
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-STEEM", &q, &why), KERR_OK);
	assert_int_equal(q.rate.units, 3121);
	assert_int_equal(q.rate.scale, 1);
	assert_int_equal(q.at_ms, 1700000000000LL);
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-SBD", &q, &why), KERR_OK);
	assert_int_equal(q.rate.units, 3121);
	assert_int_equal(q.rate.scale, 0);
	/* No time set: the trade is as recent as the request. */
	assert_true(q.at_ms >= before && q.at_ms <= before + 5000);
}

static void test_an_unknown_market_is_upbits_404(void **state)
{
	struct fx *f = *state;
	struct reply r;
	struct ticker_quote q;
	const char *why = NULL;

	get(f, "KRW-NOPE", 3000, &r);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(r.status, 404);
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-NOPE", &q, &why), KERR_PROTO);
}

static void test_faults_as_a_client_sees_them(void **state)
{
	struct fx *f = *state;
	struct reply r;
	struct ticker_quote q;
	const char *why = NULL;
	int64_t now = (int64_t)time(NULL) * 1000;

	tickersim_price(f->sim, "KRW-STEEM", "312.1", 0);
	tickersim_fault(f->sim, TICKERSIM_STALE, true);
	get(f, "KRW-STEEM", 3000, &r);
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-STEEM", &q, &why), KERR_OK);
	assert_true(q.at_ms <= now - TICKERSIM_STALE_MS + 5000);
	tickersim_fault(f->sim, TICKERSIM_STALE, false);

	tickersim_fault(f->sim, TICKERSIM_MALFORMED, true);
	get(f, "KRW-STEEM", 3000, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-STEEM", &q, &why), KERR_PARSE);
	tickersim_fault(f->sim, TICKERSIM_MALFORMED, false);

	tickersim_fault(f->sim, TICKERSIM_HTTP5XX, true);
	get(f, "KRW-STEEM", 3000, &r);
	assert_int_equal(r.status, 503);
	assert_int_equal(ticker_parse(r.body, r.len, "KRW-STEEM", &q, &why), KERR_PARSE);
	tickersim_fault(f->sim, TICKERSIM_HTTP5XX, false);

	tickersim_fault(f->sim, TICKERSIM_RATE_LIMIT, true);
	get(f, "KRW-STEEM", 3000, &r);
	assert_int_equal(r.status, 429);
	tickersim_fault(f->sim, TICKERSIM_RATE_LIMIT, false);

	tickersim_fault(f->sim, TICKERSIM_DOWN, true);
	get(f, "KRW-STEEM", 3000, &r);
	assert_int_not_equal(r.err, KERR_OK);
	tickersim_fault(f->sim, TICKERSIM_DOWN, false);

	tickersim_fault(f->sim, TICKERSIM_SLOW, true);
	get(f, "KRW-STEEM", 500, &r);
	assert_int_equal(r.err, KERR_TIMEOUT);
	tickersim_fault(f->sim, TICKERSIM_SLOW, false);

	get(f, "KRW-STEEM", 3000, &r);
	assert_int_equal(r.status, 200);
	assert_true(tickersim_requests(f->sim) >= 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_prices_arrive_as_set_for_each_market_asked, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_an_unknown_market_is_upbits_404, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_faults_as_a_client_sees_them, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
