/* JSON-RPC replies from real nodes (the fixtures), and the malformed ones. */
#include "kiosk/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/block.h"
#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "testutil.h"

/* The recorded response of a fixture file, as the node sent it. */
static char *response_of(const char *rel, uint64_t *id)
{
	json_error_t jerr;
	json_t *f = json_load_file(fixture_path(rel), JSON_ALLOW_NUL, &jerr), *r;
	char *text;

	assert_non_null(f);
	r = json_object_get(f, "response");
	*id = (uint64_t)json_integer_value(json_object_get(json_object_get(f, "request"), "id"));
	text = json_dumps(r, JSON_COMPACT);
	json_decref(f);
	return text;
}

static struct rpc_doc *doc_or_fail(const char *rel)
{
	uint64_t id;
	char *body = response_of(rel, &id);
	struct rpc_doc *d;

	assert_int_equal(rpc_reply(body, strlen(body), id, &d, NULL), KERR_OK);
	free(body);
	return d;
}

static void test_dynamic_global_properties(void **state)
{
	struct rpc_doc *d =
	    doc_or_fail("chain/rpc/steem-condenser_api.get_dynamic_global_properties-2018.json");
	struct rpc_dgp g;

	(void)state;
	assert_int_equal(rpc_dgp(d, &g), KERR_OK);
	assert_int_equal(g.head_block, 21908605);
	assert_int_equal(g.irreversible_block, 21908590);
	assert_string_equal(g.head_block_id, "014e4c7de172523f69725e96591e3c941ccc0905");
	assert_int_equal(g.time_s, 1524757731); /* 2018-04-26T15:48:51Z */
	rpc_doc_free(d);
}

static void test_account_history_transfers(void **state)
{
	struct rpc_doc *d =
	    doc_or_fail("chain/rpc/hive-condenser_api.get_account_history-transfers-filter4.json");
	struct rpc_history *h = calloc(64, sizeof(*h));
	size_t n;

	(void)state;
	assert_int_equal(rpc_history(d, chain_profile_get(SITE_CHAIN_HIVE), h, 64, &n), KERR_OK);
	assert_true(n > 0);
	assert_int_equal(h[0].index, 204927);
	assert_int_equal(h[0].block, 4747375);
	assert_true(h[0].is_transfer);
	assert_string_equal(h[0].from, "stealthtrader");
	assert_string_equal(h[0].to, "blocktrades");
	assert_int_equal(h[0].amount.amount, 1372);
	assert_string_equal(h[0].amount.symbol, "HBD");
	assert_string_equal(h[0].memo, "54ff32be-1446-4582-b2ef-43c645821a3e");
	assert_string_equal(h[0].trx_id, "0e4bf604dfa68169b01dd537901ebf7bd775470f");
	assert_int_equal(h[0].trx_in_block, 2);
	/* Asked with Steem's profile, HBD is not an asset: refused. */
	assert_int_equal(rpc_history(d, chain_profile_get(SITE_CHAIN_STEEM), h, 64, &n),
	                 KERR_PARSE);
	assert_int_equal(rpc_history(d, chain_profile_get(SITE_CHAIN_HIVE), h, 0, &n),
	                 KERR_TOO_BIG);
	free(h);
	rpc_doc_free(d);
}

static void test_block_and_its_transactions(void **state)
{
	struct rpc_doc *d = doc_or_fail("chain/rpc/hive-condenser_api.get_block-1000000.json");
	struct rpc_block b;

	(void)state;
	assert_int_equal(rpc_block(d, &b), KERR_OK);
	assert_string_equal(b.block_id, "000f4240e8f91385f7bff8f5aeebddc9b14e4281");
	assert_string_equal(b.previous, "000f423f974857674873d93d1909e0eeb7e4916e");
	rpc_doc_free(d);
}

static void test_block_checked_from_its_bytes(void **state)
{
	static const char *const files[] = {"chain/rpc/hive-condenser_api.get_block-1000000.json",
	                                    "chain/rpc/hive-block_api.get_block-1000000.json"};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct rpc_doc *d = doc_or_fail(files[i]);
		struct block_verdict v;
		struct block *b;

		assert_int_equal(rpc_block_parse(d, chain_profile_get(SITE_CHAIN_HIVE), &b, NULL),
		                 KERR_OK);
		assert_int_equal(block_verify(b, &v), KERR_OK);
		assert_string_equal(v.id_hex, "000f4240e8f91385f7bff8f5aeebddc9b14e4281");
		assert_string_equal(v.signing_key_text,
		                    "STM67P2LhV4FCvk2y6sQjNTnp6b1MVTKnftw2mLE2Vxf89Vdn7xYG");
		block_free(b);
		rpc_doc_free(d);
	}
}

static void test_transaction_recomputes_to_the_nodes_id(void **state)
{
	struct rpc_doc *d = doc_or_fail("chain/rpc/hive-condenser_api.get_transaction-get.json");
	struct tx *tx;
	uint32_t block;
	uint8_t id[TX_ID_LEN];
	char hex[41];

	(void)state;
	assert_int_equal(rpc_transaction(d, chain_profile_get(SITE_CHAIN_HIVE), &tx, &block),
	                 KERR_OK);
	assert_int_equal(block, 2000000);
	assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
	hex_encode(id, sizeof(id), hex);
	assert_string_equal(hex, "ac7489dbe69ac338cae85824dc58160515095341");
	tx_free(tx);
	rpc_doc_free(d);
}

static void test_account_authorities(void **state)
{
	struct rpc_doc *d = doc_or_fail("chain/rpc/hive-condenser_api.get_accounts.json");
	struct authority active, owner;
	uint8_t want[33];

	(void)state;
	assert_int_equal(
	    rpc_account_auth(d, chain_profile_get(SITE_CHAIN_HIVE), "gtg", &active, &owner),
	    KERR_OK);
	assert_int_equal(active.threshold, 1);
	assert_int_equal(active.key_count, 1);
	assert_int_equal(key_public_parse("STM4vuEE8F2xyJhwiNCnHxjUVLNXxdFXtVxgghBq5LVLt49zLKLRX",
	                                  "STM", want, NULL),
	                 KERR_OK);
	assert_memory_equal(active.keys[0].key, want, 33);
	assert_int_equal(
	    rpc_account_auth(d, chain_profile_get(SITE_CHAIN_HIVE), "nobody", &active, &owner),
	    KERR_NOTFOUND);
	rpc_doc_free(d);
}

static struct rpc_doc *reply_or_fail(const char *body)
{
	struct rpc_doc *d = NULL;

	assert_int_equal(rpc_reply(body, strlen(body), 1, &d, NULL), KERR_OK);
	return d;
}

static void test_account_authorities_in_full_and_bounded(void **state)
{
	static const char two[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"name\":\"coop-payer\","
	    "\"active\":{\"weight_threshold\":3,\"account_auths\":[[\"alice\",1],[\"bob\",2]],"
	    "\"key_auths\":[[\"STM4vuEE8F2xyJhwiNCnHxjUVLNXxdFXtVxgghBq5LVLt49zLKLRX\",65535]]},"
	    "\"owner\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]}},"
	    "{\"name\":\"alice\",\"active\":{\"weight_threshold\":1,\"account_auths\":[],"
	    "\"key_auths\":[[\"STM5RLQ1Jh8Kf56go3xpzoodg4vRsgCeWhANXoEXrYH7bLEwSVyjh\",1]]},"
	    "\"owner\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]}}]}";
	const struct chain_profile *p = chain_profile_get(SITE_CHAIN_HIVE);
	struct authority active, owner;
	struct authority_table t;
	struct rpc_doc *d = reply_or_fail(two);
	char *big, *at;

	(void)state;
	assert_int_equal(rpc_account_auth(d, p, "coop-payer", &active, &owner), KERR_OK);
	assert_int_equal(active.threshold, 3);
	assert_int_equal(active.account_count, 2);
	assert_string_equal(active.accounts[1].name, "bob");
	assert_int_equal(active.accounts[1].weight, 2);
	assert_int_equal(active.keys[0].weight, 65535);
	/* the same reply answers for the second account the watcher asked for */
	assert_int_equal(rpc_account_auth(d, p, "alice", &active, &owner), KERR_OK);
	authority_table_init(&t);
	assert_int_equal(authority_table_add(&t, "alice", &active), KERR_OK);
	assert_int_equal(authority_table_add(&t, "alice", &active), KERR_EXISTS);
	assert_ptr_equal(t.base.active(&t.base, "alice"), &t.active[0]);
	assert_null(t.base.active(&t.base, "bob"));
	rpc_doc_free(d);

	/* 41 key entries: past the chains' limit, refused whole */
	big = malloc(8192);
	assert_non_null(big);
	at = big + sprintf(big,
	                   "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"name\":\"x\",\"active\":"
	                   "{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[");
	for (int i = 0; i <= AUTHORITY_AUTHS_MAX; i++)
		at += sprintf(at, "%s[\"STM4vuEE8F2xyJhwiNCnHxjUVLNXxdFXtVxgghBq5LVLt49zLKLRX\",1]",
		              i ? "," : "");
	sprintf(at,
	        "]},\"owner\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]}}]}");
	d = reply_or_fail(big);
	assert_int_equal(rpc_account_auth(d, p, "x", &active, &owner), KERR_TOO_BIG);
	rpc_doc_free(d);
	/* an entry that is not a [name, weight] pair, a weight past uint16 */
	strcpy(big, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"name\":\"x\",\"active\":"
	            "{\"weight_threshold\":1,\"account_auths\":[[\"a\",1,2]],\"key_auths\":[]},"
	            "\"owner\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]}}]}");
	d = reply_or_fail(big);
	assert_int_equal(rpc_account_auth(d, p, "x", &active, &owner), KERR_PARSE);
	rpc_doc_free(d);
	strcpy(big, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"name\":\"x\",\"active\":"
	            "{\"weight_threshold\":1,\"account_auths\":[[\"a\",65536]],\"key_auths\":[]},"
	            "\"owner\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]}}]}");
	d = reply_or_fail(big);
	assert_int_equal(rpc_account_auth(d, p, "x", &active, &owner), KERR_PARSE);
	rpc_doc_free(d);
	free(big);
}

static void test_block_transaction_refused_with_its_reason(void **state)
{
	static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"transaction_ids\":["
	                           "\"0000000000000000000000000000000000000000\"],"
	                           "\"transactions\":[{\"ref_block_num\":0,\"ref_block_prefix\":0,"
	                           "\"expiration\":\"2025-01-01T00:00:00\","
	                           "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"coop\","
	                           "\"amount\":\"1.000 HIVE\",\"memo\":\"\"}],"
	                           "[\"future_operation\",{}]],\"extensions\":[]}]}}";
	struct rpc_doc *d = reply_or_fail(body);
	const char *why = NULL;
	struct tx *tx;
	char id[41];

	(void)state;
	assert_int_equal(rpc_block_tx_why(d, chain_profile_get(SITE_CHAIN_HIVE), 0, &tx, id, &why),
	                 KERR_NOTSUP);
	assert_null(tx);
	assert_non_null(why);
	assert_non_null(strstr(why, "unknown operation"));
	assert_int_equal(rpc_block_tx_why(d, chain_profile_get(SITE_CHAIN_HIVE), 1, &tx, id, &why),
	                 KERR_PARSE);
	rpc_doc_free(d);
}

static void test_ops_in_block_every_block_has_its_producer_reward(void **state)
{
	struct rpc_doc *d =
	    doc_or_fail("chain/rpc/hive-condenser_api.get_ops_in_block-only_virtual_true.json");
	static const char empty[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}";
	static const char other[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"block\":7},{\"block\":8}]}";
	size_t n = 9;

	(void)state;
	assert_int_equal(rpc_ops_in_block(d, 2797050, &n), KERR_OK);
	assert_int_equal(n, 2); /* a vote's payout and the producer's reward */
	/* Entries for another block than asked: not trusted. */
	assert_int_equal(rpc_ops_in_block(d, 2797051, &n), KERR_PARSE);
	assert_int_equal(n, 0);
	rpc_doc_free(d);
	assert_int_equal(rpc_reply(other, strlen(other), 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_ops_in_block(d, 7, &n), KERR_PARSE);
	rpc_doc_free(d);
	/* None at all (a lagging history plugin): an empty list. */
	assert_int_equal(rpc_reply(empty, strlen(empty), 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_ops_in_block(d, 7, &n), KERR_OK);
	assert_int_equal(n, 0);
	rpc_doc_free(d);
}

static void test_errors_ids_and_missing_results(void **state)
{
	uint64_t id;
	char *body =
	    response_of("chain/rpc/steem-condenser_api.get_account_history-error-2018.json", &id);
	struct rpc_error e;
	struct rpc_doc *d;
	static const char *const bad[] = {
	    "",
	    "{",
	    "[]",
	    "{\"jsonrpc\":\"2.0\",\"id\":7}",
	    "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"result\":1}",
	    "{\"jsonrpc\":\"2.0\",\"result\":1}",
	};
	char buf[RPC_BODY_MAX];

	(void)state;
	assert_int_equal(rpc_reply(body, strlen(body), id, &d, &e), KERR_PROTO);
	assert_int_equal(e.code, -32003);
	assert_non_null(strstr(e.message, "Expected"));
	assert_null(d);
	free(body);
	body = response_of("chain/rpc/hive-condenser_api.get_block-non_existing.json", &id);
	assert_int_equal(rpc_reply(body, strlen(body), id, &d, &e), KERR_NOTFOUND);
	free(body);
	body = response_of("chain/rpc/hive-condenser_api.get_block-1000000.json", &id);
	assert_int_equal(rpc_reply(body, strlen(body), id + 1, &d, &e),
	                 KERR_PROTO); /* not our id */
	free(body);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		enum kerr err = rpc_reply(bad[i], strlen(bad[i]), 7, &d, &e);

		assert_true(err == KERR_PARSE || err == KERR_PROTO);
		assert_null(d);
	}
	assert_int_equal(rpc_request(buf, sizeof(buf), 9, "get_block", "[12]"), KERR_OK);
	assert_string_equal(buf, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"condenser_api.get_"
	                         "block\",\"params\":[12]}");
	assert_int_equal(rpc_request(buf, 20, 9, "get_block", "[12]"), KERR_TOO_BIG);
}

static void test_wrong_shapes_are_refused(void **state)
{
	static const char dgp[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"head_block_number\":\"5\"}}";
	static const char hist[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[[1,{\"block\":1}]]}";
	static const char lib_above[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"head_block_number\":5,"
	    "\"head_block_id\":\"0000000000000000000000000000000000000000\","
	    "\"time\":\"2018-04-26T15:48:51\",\"last_irreversible_block_num\":9}}";
	struct rpc_doc *d;
	struct rpc_dgp g;
	struct rpc_history h[2];
	size_t n;

	(void)state;
	assert_int_equal(rpc_reply(dgp, strlen(dgp), 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_dgp(d, &g), KERR_PARSE);
	rpc_doc_free(d);
	assert_int_equal(rpc_reply(lib_above, strlen(lib_above), 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_dgp(d, &g), KERR_PROTO);
	rpc_doc_free(d);
	assert_int_equal(rpc_reply(hist, strlen(hist), 1, &d, NULL), KERR_OK);
	assert_int_equal(rpc_history(d, chain_profile_get(SITE_CHAIN_HIVE), h, 2, &n), KERR_PARSE);
	rpc_doc_free(d);
}

static void test_a_batch_reply_is_split_by_id(void **state)
{
	/* In any order; an error, a null and an unknown id leave their slot empty. */
	static const char body[] =
	    "[{\"jsonrpc\":\"2.0\",\"id\":12,\"result\":{\"head_block_number\":5,\"head_block_id\":"
	    "\"0000000500000000000000000000000000000000\",\"time\":\"2026-01-01T00:00:00\","
	    "\"last_irreversible_block_num\":4}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":{\"code\":-32003,\"message\":\"no\"}},"
	    "{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":null},"
	    "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{\"x\":1}}]";
	struct rpc_doc *d[3];

	(void)state;
	assert_int_equal(rpc_batch_reply(body, strlen(body), 10, 3, d), KERR_OK);
	assert_null(d[0]);
	assert_null(d[1]);
	assert_non_null(d[2]);
	rpc_doc_free(d[2]);
	assert_int_equal(rpc_batch_reply("{\"id\":10}", 9, 10, 3, d), KERR_PROTO);
	assert_int_equal(rpc_batch_reply("[1,", 3, 10, 3, d), KERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dynamic_global_properties),
	    cmocka_unit_test(test_account_history_transfers),
	    cmocka_unit_test(test_block_and_its_transactions),
	    cmocka_unit_test(test_block_checked_from_its_bytes),
	    cmocka_unit_test(test_transaction_recomputes_to_the_nodes_id),
	    cmocka_unit_test(test_account_authorities),
	    cmocka_unit_test(test_account_authorities_in_full_and_bounded),
	    cmocka_unit_test(test_block_transaction_refused_with_its_reason),
	    cmocka_unit_test(test_ops_in_block_every_block_has_its_producer_reward),
	    cmocka_unit_test(test_errors_ids_and_missing_results),
	    cmocka_unit_test(test_wrong_shapes_are_refused),
	    cmocka_unit_test(test_a_batch_reply_is_split_by_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
