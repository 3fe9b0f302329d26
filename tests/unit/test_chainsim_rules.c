/*
 * The chain simulator answers account history as the real nodes do:
 * each chain's paging rule and refusal (steemd: start >= limit, limit + 1
 * entries; hived: start >= limit - 1, limit entries), irreversible blocks
 * only, JSON-RPC batches, and gzip bodies for a client that accepts them
 * (the kiosk's HTTP client always does).
 */
#include "kiosk/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chainsim.h"
#include "testutil.h"

struct fx {
	char *dir;
	char ca[512], url[128];
	struct chainsim *sim;
	struct loop *loop;
	struct http *http;
	enum site_chain chain;
};

struct result {
	struct http_request req;
	bool done;
	enum kerr err;
	long status;
	char *body;
	size_t len;
};

static void on_done(struct http_request *r, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct result *res = container_of(r, struct result, req);

	res->done = true;
	res->err = err;
	res->status = status;
	res->body = malloc(len + 1);
	memcpy(res->body, body, len);
	res->body[len] = '\0';
	res->len = len;
}

static int start(void **state, enum site_chain chain)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = chain};
	const char *amount = chain == SITE_CHAIN_STEEM ? "0.001 STEEM" : "0.001 HIVE";

	f->dir = tmpdir_or_fail();
	f->chain = chain;
	cfg.dir = f->dir;
	if (chainsim_start(&cfg, &f->sim) != KERR_OK)
		return -1;
	snprintf(f->ca, sizeof(f->ca), "%s/ca.pem", f->dir);
	snprintf(f->url, sizeof(f->url), "https://127.0.0.1:%u", chainsim_port(f->sim));
	if (loop_new(clock_system(), &f->loop) || http_new(f->loop, f->ca, &f->http))
		return -1;
	/* Five transfers to the co-op (indices 0..4), each in its own block, all irreversible. */
	for (unsigned i = 0; i < 5; i++) {
		char memo[16];

		snprintf(memo, sizeof(memo), "R-%u", i);
		if (chainsim_transfer(f->sim, "alice", "coop", amount, memo))
			return -1;
		chainsim_produce(f->sim);
	}
	for (unsigned i = 0;
	     i < (chain == SITE_CHAIN_STEEM ? CHAINSIM_LIB_LAG_STEEM : CHAINSIM_LIB_LAG_HIVE); i++)
		chainsim_produce(f->sim);
	*state = f;
	return 0;
}

static int setup_steem(void **state)
{
	return start(state, SITE_CHAIN_STEEM);
}

static int setup_hive(void **state)
{
	return start(state, SITE_CHAIN_HIVE);
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

/* Posts body; the parsed reply (the caller frees it). */
static json_t *post(struct fx *f, const char *body)
{
	struct result res;
	json_error_t jerr;
	json_t *j;

	memset(&res, 0, sizeof(res));
	res.req = (struct http_request){
	    .url = f->url, .body = body, .timeout_ms = 3000, .max_bytes = 1 << 20, .done = on_done};
	assert_int_equal(http_post(f->http, &res.req), KERR_OK);
	for (int i = 0; i < 400 && !res.done; i++)
		assert_int_equal(loop_run_once(f->loop, 20), KERR_OK);
	assert_true(res.done);
	assert_int_equal(res.err, KERR_OK);
	assert_int_equal(res.status, 200);
	j = json_loadb(res.body, res.len, 0, &jerr);
	assert_non_null(j);
	free(res.body);
	return j;
}

static json_t *history(struct fx *f, long long start, long long limit)
{
	char body[256];

	snprintf(body, sizeof(body),
	         "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"condenser_api.get_account_history\","
	         "\"params\":[\"coop\",%lld,%lld]}",
	         start, limit);
	return post(f, body);
}

/* The indices a history reply lists, in order, as "0,1,2". */
static void indices(json_t *reply, char *out, size_t cap)
{
	json_t *res = json_object_get(reply, "result"), *e;
	size_t i, n = 0;

	assert_true(json_is_array(res));
	out[0] = '\0';
	json_array_foreach(res, i, e) n +=
	    (size_t)snprintf(out + n, cap - n, "%s%lld", i ? "," : "",
	                     (long long)json_integer_value(json_array_get(e, 0)));
}

static void expect(struct fx *f, long long start, long long limit, const char *want)
{
	json_t *r = history(f, start, limit);
	char got[256];

	indices(r, got, sizeof(got));
	assert_string_equal(got, want);
	json_decref(r);
}

static void expect_refused(struct fx *f, long long start, long long limit, const char *text)
{
	json_t *r = history(f, start, limit);
	const char *msg =
	    json_string_value(json_object_get(json_object_get(r, "error"), "message"));

	assert_non_null(msg);
	assert_non_null(strstr(msg, text));
	assert_null(json_object_get(r, "result"));
	json_decref(r);
}

static void test_steem_pages_by_steemds_rule(void **state)
{
	struct fx *f = *state;

	/* What the kiosk used to ask first: refused. */
	expect_refused(f, 99, 100, "start must be greater than limit");
	expect_refused(f, 0, 1, "start must be greater than limit");
	expect_refused(f, -1, 10001, "limit of 10001 is greater than maxmimum allowed");
	/* [start - limit, start]: one more than limit. */
	expect(f, -1, 1, "3,4");
	expect(f, 3, 2, "1,2,3");
	expect(f, 1, 1, "0,1");
	expect(f, 100, 100, "0,1,2,3,4");
	expect(f, 4, 0, "4");
}

static void test_hive_pages_by_hiveds_rule(void **state)
{
	struct fx *f = *state;

	expect_refused(f, 1, 3,
	               "start must be greater than or equal to limit-1 (start is 0-based index)");
	expect_refused(f, -1, 1001, "limit of 1001 is greater than maxmimum allowed");
	/* [start - limit + 1, start]: limit entries. */
	expect(f, -1, 1, "4");
	expect(f, 3, 2, "2,3");
	expect(f, 99, 100, "0,1,2,3,4");
	expect(f, 2, 3, "0,1,2");
}

static void test_only_irreversible_operations_are_listed(void **state)
{
	struct fx *f = *state;
	unsigned lag =
	    f->chain == SITE_CHAIN_STEEM ? CHAINSIM_LIB_LAG_STEEM : CHAINSIM_LIB_LAG_HIVE;
	json_t *r;

	assert_int_equal(
	    chainsim_transfer(f->sim, "alice", "coop",
	                      f->chain == SITE_CHAIN_STEEM ? "1.000 STEEM" : "1.000 HIVE", "NEW"),
	    KERR_OK);
	chainsim_produce(f->sim);
	/* In the head block: not yet. */
	expect(f, -1, 1, f->chain == SITE_CHAIN_STEEM ? "3,4" : "4");
	r = post(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"condenser_api.get_dynamic_global_"
	            "properties\",\"params\":[]}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "result"),
	                                                    "last_irreversible_block_num")),
	                 chainsim_head(f->sim) - lag);
	json_decref(r);
	for (unsigned i = 1; i < lag; i++)
		chainsim_produce(f->sim);
	expect(f, -1, 1, f->chain == SITE_CHAIN_STEEM ? "3,4" : "4");
	/* Once its block is irreversible. */
	chainsim_produce(f->sim);
	expect(f, -1, 1, f->chain == SITE_CHAIN_STEEM ? "4,5" : "5");
}

static void test_a_batch_is_answered_with_an_array_compressed(void **state)
{
	struct fx *f = *state;
	unsigned long req0, req1, bytes, body0, body1;
	char batch[4096];
	size_t n = 1;
	json_t *r, *e;
	size_t i;
	char *text;

	batch[0] = '[';
	for (unsigned k = 0; k < 20; k++)
		n += (size_t)snprintf(batch + n, sizeof(batch) - n,
		                      "%s{\"jsonrpc\":\"2.0\",\"id\":%u,\"method\":\"condenser_api."
		                      "get_block\",\"params\":[%u]}",
		                      k ? "," : "", 100 + k, 2 + k % 5);
	snprintf(batch + n, sizeof(batch) - n, "]");
	chainsim_stats(f->sim, &req0, &bytes);
	body0 = chainsim_body_bytes(f->sim);
	r = post(f, batch);
	chainsim_stats(f->sim, &req1, &bytes);
	body1 = chainsim_body_bytes(f->sim);
	assert_true(json_is_array(r));
	assert_int_equal(json_array_size(r), 20);
	json_array_foreach(r, i, e)
	{
		assert_int_equal(json_integer_value(json_object_get(e, "id")), 100 + (long long)i);
		assert_true(json_is_object(json_object_get(e, "result")));
	}
	/* One HTTP request, its body sent compressed (the client asked for gzip). */
	assert_int_equal(req1 - req0, 1);
	text = json_dumps(r, JSON_COMPACT);
	assert_true(body1 - body0 < strlen(text) / 2);
	free(text);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_steem_pages_by_steemds_rule, setup_steem,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_hive_pages_by_hiveds_rule, setup_hive, teardown),
	    cmocka_unit_test_setup_teardown(test_only_irreversible_operations_are_listed,
	                                    setup_steem, teardown),
	    cmocka_unit_test_setup_teardown(test_only_irreversible_operations_are_listed,
	                                    setup_hive, teardown),
	    cmocka_unit_test_setup_teardown(test_a_batch_is_answered_with_an_array_compressed,
	                                    setup_hive, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
