/* The HTTPS transport against the local chain simulator over real TLS. */
#include "kiosk/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainsim.h"
#include "kiosk/rpc.h"
#include "testutil.h"

struct fx {
	char *dir;
	char ca[512], url[128];
	struct chainsim *sim;
	struct loop *loop;
	struct http *http;
};

struct result {
	struct http_request req;
	bool done;
	enum kerr err;
	long status;
	char body[4096];
	size_t len;
};

static void on_done(struct http_request *r, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct result *res = container_of(r, struct result, req);

	res->done = true;
	res->err = err;
	res->status = status;
	res->len = len < sizeof(res->body) - 1 ? len : sizeof(res->body) - 1;
	memcpy(res->body, body, res->len);
	res->body[res->len] = '\0';
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE};

	f->dir = tmpdir_or_fail();
	cfg.dir = f->dir;
	if (chainsim_start(&cfg, &f->sim) != KERR_OK)
		return -1;
	snprintf(f->ca, sizeof(f->ca), "%s/ca.pem", f->dir);
	snprintf(f->url, sizeof(f->url), "https://127.0.0.1:%u", chainsim_port(f->sim));
	if (loop_new(clock_system(), &f->loop) || http_new(f->loop, f->ca, &f->http))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	http_free(f->http);
	loop_free(f->loop);
	chainsim_stop(f->sim);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void post(struct fx *f, struct http *h, struct result *res, const char *pin, size_t max)
{
	static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"condenser_api.get_"
	                           "dynamic_global_properties\",\"params\":[]}";

	memset(res, 0, sizeof(*res));
	res->req = (struct http_request){.url = f->url,
	                                 .pin = pin,
	                                 .body = body,
	                                 .timeout_ms = 3000,
	                                 .max_bytes = max,
	                                 .done = on_done};
	assert_int_equal(http_post(h, &res->req), KERR_OK);
	for (int i = 0; i < 400 && !res->done; i++)
		assert_int_equal(loop_run_once(f->loop, 20), KERR_OK);
	assert_true(res->done);
}

static void test_a_request_is_answered_over_verified_tls_and_reused(void **state)
{
	struct fx *f = *state;
	struct result a, b;
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
}

static void test_an_unknown_ca_or_a_wrong_pin_is_refused(void **state)
{
	struct fx *f = *state;
	struct http *other;
	struct result r;

	/* The system's CAs do not know the simulator's. */
	assert_int_equal(http_new(f->loop, NULL, &other), KERR_OK);
	post(f, other, &r, NULL, 65536);
	assert_int_equal(r.err, KERR_CRYPTO);
	http_free(other);
	post(f, f->http, &r, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 65536);
	assert_int_equal(r.err, KERR_CRYPTO);
}

static void test_oversized_replies_and_server_errors(void **state)
{
	struct fx *f = *state;
	struct result r;

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
