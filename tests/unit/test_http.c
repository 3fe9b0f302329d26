/* The HTTPS transport against the local chain simulator over real TLS. */
#include "kiosk/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/rpc.h"
#include "simhttp.h"
#include "testutil.h"

static int setup(void **state)
{
	struct simhttp *x = calloc(1, sizeof(*x));

	*state = x;
	return x ? simhttp_start(x, SITE_CHAIN_HIVE) : -1;
}

static int teardown(void **state)
{
	simhttp_stop(*state);
	free(*state);
	return 0;
}

/* The chain's global properties, with client h, pin and reply size max. */
static void post(struct simhttp *f, struct http *h, struct simhttp_reply *res, const char *pin,
                 size_t max)
{
	static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"condenser_api.get_"
	                           "dynamic_global_properties\",\"params\":[]}";

	simhttp_post(f, h, body, pin, max, res);
}

static void test_a_request_is_answered_over_verified_tls_and_reused(void **state)
{
	struct simhttp *f = *state;
	struct simhttp_reply a = {0}, b = {0};
	struct rpc_doc *d;
	struct rpc_dgp g;

	post(f, f->http, &a, NULL, 65536);
	assert_int_equal(a.err, KERR_OK);
	assert_int_equal(a.status, 200);
	assert_int_equal(rpc_reply(a.body, a.len, 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_dgp(d, &g), KERR_OK);
	assert_true(g.head_block >= 1);
	rpc_doc_free(d);
	assert_int_equal(a.req.connects, 1);
	/* The second request rides the same connection. */
	post(f, f->http, &b, NULL, 65536);
	assert_int_equal(b.err, KERR_OK);
	assert_int_equal(b.req.connects, 0);
	simhttp_reply_free(&a);
	simhttp_reply_free(&b);
}

static void test_an_unknown_ca_or_a_wrong_pin_is_refused(void **state)
{
	struct simhttp *f = *state;
	struct http *other;
	struct simhttp_reply r = {0};

	/* The system's CAs do not know the simulator's. */
	assert_int_equal(http_new(f->loop, NULL, &other), KERR_OK);
	post(f, other, &r, NULL, 65536);
	assert_int_equal(r.err, KERR_CRYPTO);
	http_free(other);
	post(f, f->http, &r, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 65536);
	assert_int_equal(r.err, KERR_CRYPTO);
	simhttp_reply_free(&r);
}

static void test_oversized_replies_and_server_errors(void **state)
{
	struct simhttp *f = *state;
	struct simhttp_reply r = {0};

	post(f, f->http, &r, NULL, 20);
	assert_int_equal(r.err, KERR_TOO_BIG);
	chainsim_fault(f->sim, CHAINSIM_HTTP5XX, true);
	post(f, f->http, &r, NULL, 65536);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(r.status, 503);
	chainsim_fault(f->sim, CHAINSIM_HTTP5XX, false);
	chainsim_fault(f->sim, CHAINSIM_MALFORMED, true);
	post(f, f->http, &r, NULL, 65536);
	assert_int_equal(r.status, 200);
	assert_int_equal(rpc_reply(r.body, r.len, 1, &(struct rpc_doc *){NULL}, NULL), KERR_PARSE);
	simhttp_reply_free(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_a_request_is_answered_over_verified_tls_and_reused),
	    T(test_an_unknown_ca_or_a_wrong_pin_is_refused),
	    T(test_oversized_replies_and_server_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
