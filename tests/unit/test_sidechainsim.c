/*
 * The sidechain simulator over real TLS, through the kiosk's own HTTP
 * client: its replies read with the kiosk's own parsers, and its faults.
 */
#include "sidechainsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/sidechain.h"
#include "scsimfx.h"
#include "testutil.h"

#define TXID  "3398782dae26b26a00c6a2784bbbce10d3112435"
#define TXID3 "aa98782dae26b26a00c6a2784bbbce10d3112435"
#define TXID2 "0f9a2c1b7e3d4a5b6c7d8e9f0a1b2c3d4e5f6a7b-1"

#define TX_INFO(id)                                                                                \
	"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getTransactionInfo\",\"params\":{\"txid\":"    \
	"\"" id "\"}}"
#define FIND_ONE(sym)                                                                              \
	"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"findOne\",\"params\":{\"contract\":"           \
	"\"tokens\","                                                                              \
	"\"table\":\"tokens\",\"query\":{\"symbol\":\"" sym "\"}}}"

static int setup(void **state)
{
	struct scsimfx *x = calloc(1, sizeof(*x));

	*state = x;
	if (!x || scsimfx_start(x, 2, 1))
		return -1;
	if (sidechainsim_token(x->sim, "SCT", 3) ||
	    sidechainsim_transfer(x->sim, TXID, "alice", "coop", "SCT", "10.000", "KP-7QK3") ||
	    sidechainsim_refused(x->sim, TXID2, "bob", "coop", "SCT", "999.000", "KP-8ZZ1",
	                         "overdrawn balance"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	scsimfx_stop(*state);
	free(*state);
	return 0;
}

/* getTransactionInfo of txid on node, read at precision 3. */
static enum kerr tx_info(struct scsimfx *x, unsigned node, const char *body,
                         struct sidechain_outcome *o, const char **why)
{
	struct simhttp_reply r = {0};
	enum kerr err;

	scsimfx_post(x, node, "/blockchain", body, &r);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(r.status, 200);
	err = sidechain_parse_tx_info(r.body, r.len, 3, o, why);
	simhttp_reply_free(&r);
	return err;
}

static void test_an_executed_transfer_reads_as_executed(void **state)
{
	struct scsimfx *x = *state;
	struct sidechain_outcome o;
	const char *why;

	for (unsigned node = 0; node < 2; node++) {
		assert_int_equal(tx_info(x, node, TX_INFO(TXID), &o, &why), KERR_OK);
		assert_int_equal(o.state, SIDECHAIN_EXECUTED);
		assert_string_equal(o.txid, TXID);
		assert_true(o.block_num > 0);
		assert_string_equal(o.transfer.from, "alice");
		assert_string_equal(o.transfer.to, "coop");
		assert_string_equal(o.transfer.symbol, "SCT");
		assert_int_equal(o.transfer.quantity, 10000);
		assert_string_equal(o.transfer.memo, "KP-7QK3");
	}
}

static void test_a_refused_transfer_reads_as_failed_with_its_error(void **state)
{
	struct sidechain_outcome o;
	const char *why;

	assert_int_equal(tx_info(*state, 0, TX_INFO(TXID2), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.txid, TXID2);
	assert_string_equal(o.error, "overdrawn balance");
}

static void test_an_unknown_transaction_is_null(void **state)
{
	struct sidechain_outcome o;
	const char *why;

	assert_int_equal(
	    tx_info(*state, 1, TX_INFO("00000000000000000000000000000000000000ff"), &o, &why),
	    KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
}

static void test_find_one_gives_the_precision_and_null_for_an_unknown_token(void **state)
{
	struct scsimfx *x = *state;
	struct simhttp_reply r = {0};
	const char *why;
	uint8_t p = 99;

	scsimfx_post(x, 0, "/contracts", FIND_ONE("SCT"), &r);
	assert_int_equal(sidechain_parse_token_precision(r.body, r.len, "SCT", &p, &why), KERR_OK);
	assert_int_equal(p, 3);
	scsimfx_post(x, 0, "/contracts", FIND_ONE("NOPE"), &r);
	assert_int_equal(sidechain_parse_token_precision(r.body, r.len, "NOPE", &p, &why),
	                 KERR_NOTFOUND);
	simhttp_reply_free(&r);
}

static void test_a_lying_node_tells_a_consistent_other_story(void **state)
{
	struct scsimfx *x = *state;
	struct simhttp_reply r = {0};
	struct sidechain_outcome o;
	const char *why;
	uint8_t p;

	sidechainsim_node_fault(x->sim, 1, SIDECHAINSIM_LIE, true);
	/* Payload and event agree with each other: only another node shows the lie. */
	assert_int_equal(tx_info(x, 1, TX_INFO(TXID), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_int_equal(o.transfer.quantity, 10001);
	assert_int_equal(tx_info(x, 1, TX_INFO(TXID2), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	scsimfx_post(x, 1, "/contracts", FIND_ONE("SCT"), &r);
	assert_int_equal(sidechain_parse_token_precision(r.body, r.len, "SCT", &p, &why), KERR_OK);
	assert_int_equal(p, 4);
	simhttp_reply_free(&r);
	assert_int_equal(tx_info(x, 0, TX_INFO(TXID), &o, &why), KERR_OK);
	assert_int_equal(o.transfer.quantity, 10000);
}

static void test_a_lagging_node_knows_a_transaction_only_after_its_lag(void **state)
{
	struct scsimfx *x = *state;
	struct sidechain_outcome o;
	const char *why;

	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_LAG, true);
	assert_int_equal(sidechainsim_transfer(x->sim, TXID3, "carol", "coop", "SCT", "1", NULL),
	                 KERR_OK);
	assert_int_equal(tx_info(x, 0, TX_INFO(TXID3), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	assert_int_equal(tx_info(x, 1, TX_INFO(TXID3), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_int_equal(o.transfer.quantity, 1000);
	assert_string_equal(o.transfer.memo, "");
	sleep_ms(1100); /* the fixture's lag is 1 s */
	assert_int_equal(tx_info(x, 0, TX_INFO(TXID3), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
}

/* The body's result, parsed; fails the test when there is none. */
static json_t *result_of(struct scsimfx *x, unsigned node, const char *method, json_t **root)
{
	struct simhttp_reply r = {0};
	char body[160];
	json_error_t jerr;
	json_t *res;

	snprintf(body, sizeof(body),
	         "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":{}}", method);
	scsimfx_post(x, node, "/blockchain", body, &r);
	assert_int_equal(r.status, 200);
	*root = json_loadb(r.body, r.len, 0, &jerr);
	simhttp_reply_free(&r);
	assert_non_null(*root);
	assert_int_equal(json_integer_value(json_object_get(*root, "id")), 7);
	res = json_object_get(*root, "result");
	assert_true(json_is_object(res));
	return res;
}

static void test_latest_block_and_status_name_the_newest_block(void **state)
{
	struct scsimfx *x = *state;
	json_t *root, *status_root, *block, *status, *tx;
	json_int_t num;

	block = result_of(x, 0, "getLatestBlockInfo", &root);
	num = json_integer_value(json_object_get(block, "blockNumber"));
	assert_true(num > 0);
	assert_true(json_is_integer(json_object_get(block, "refSteemBlockNumber")));
	assert_true(json_is_string(json_object_get(block, "timestamp")));
	/* The newest block holds the refused transfer, its logs as JSON text. */
	tx = json_array_get(json_object_get(block, "transactions"), 0);
	assert_string_equal(json_string_value(json_object_get(tx, "transactionId")), TXID2);
	assert_true(json_is_string(json_object_get(tx, "logs")));
	assert_true(json_is_string(json_object_get(tx, "payload")));
	status = result_of(x, 0, "getStatus", &status_root);
	assert_int_equal(json_integer_value(json_object_get(status, "lastBlockNumber")), num);
	assert_true(json_is_integer(json_object_get(status, "lastParsedSteemBlockNumber")));
	json_decref(status_root);
	json_decref(root);
	/* A lagging node's newest block is older. */
	sidechainsim_node_fault(x->sim, 1, SIDECHAINSIM_LAG, true);
	block = result_of(x, 1, "getLatestBlockInfo", &root);
	assert_true(json_integer_value(json_object_get(block, "blockNumber")) < num);
	json_decref(root);
}

static void test_an_unknown_method_is_a_json_rpc_error(void **state)
{
	struct scsimfx *x = *state;
	struct simhttp_reply r = {0};
	struct sidechain_outcome o;
	const char *why;

	scsimfx_post(x, 0, "/contracts", TX_INFO(TXID), &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"code\":-32601"));
	assert_int_equal(sidechain_parse_tx_info(r.body, r.len, 3, &o, &why), KERR_PROTO);
	simhttp_reply_free(&r);
}

static void test_faults_are_per_node_and_requests_are_counted(void **state)
{
	struct scsimfx *x = *state;
	struct simhttp_reply r = {0};
	struct sidechain_outcome o;
	unsigned long before = sidechainsim_requests(x->sim);
	const char *why;

	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_HTTP5XX, true);
	scsimfx_post(x, 0, "/blockchain", TX_INFO(TXID), &r);
	assert_int_equal(r.status, 503);
	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_HTTP5XX, false);
	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_MALFORMED, true);
	scsimfx_post(x, 0, "/blockchain", TX_INFO(TXID), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(sidechain_parse_tx_info(r.body, r.len, 3, &o, &why), KERR_PARSE);
	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_MALFORMED, false);
	sidechainsim_node_fault(x->sim, 0, SIDECHAINSIM_DOWN, true);
	scsimfx_post(x, 0, "/blockchain", TX_INFO(TXID), &r);
	assert_int_not_equal(r.err, KERR_OK);
	/* The other node was never touched. */
	assert_int_equal(tx_info(x, 1, TX_INFO(TXID), &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_true(sidechainsim_requests(x->sim) >= before + 4);
	simhttp_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_an_executed_transfer_reads_as_executed, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_refused_transfer_reads_as_failed_with_its_error,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_unknown_transaction_is_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_find_one_gives_the_precision_and_null_for_an_unknown_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_lying_node_tells_a_consistent_other_story, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_lagging_node_knows_a_transaction_only_after_its_lag, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_latest_block_and_status_name_the_newest_block,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_unknown_method_is_a_json_rpc_error, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_faults_are_per_node_and_requests_are_counted,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
