/*
 * Sidechain replies: getTransactionInfo outcomes and findOne precisions. The
 * replies are built in the shape a steemsmartcontracts node sends (its wiki's
 * JSON-RPC page: a transaction's payload and logs are JSON text inside the
 * result; the logs of a tokens transfer as in its block samples).
 */
#include "kiosk/sidechain.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/compiler.h"
#include "testutil.h"

#define TXID "3398782dae26b26a00c6a2784bbbce10d3112435"

#define PAYLOAD_SCT                                                                                \
	"{\"symbol\":\"SCT\",\"to\":\"coop\",\"quantity\":\"10.000\",\"memo\":\"KP-7QK3\","        \
	"\"isSignedWithActiveKey\":true}"
#define EVENT_SCT                                                                                  \
	"{\"events\":[{\"contract\":\"tokens\",\"event\":\"transfer\",\"data\":{\"from\":"         \
	"\"alice\","                                                                               \
	"\"to\":\"coop\",\"symbol\":\"SCT\",\"quantity\":\"10.000\"}}]}"

/* A getTransactionInfo reply whose result is a tokens transfer by sender
 * with this payload text and logs text; caller frees. */
static char *tx_reply(const char *sender, const char *payload, const char *logs)
{
	json_t *reply = json_pack(
	    "{s:s,s:i,s:{s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}}", "jsonrpc", "2.0", "id", 1,
	    "result", "blockNumber", 2061217, "refSteemBlockNumber", 41967403, "transactionId",
	    TXID, "sender", sender, "contract", "tokens", "action", "transfer", "payload", payload,
	    "executedCodeHash", "b220418036c5b78431ebd92327e1d14a5caa71039a357fe452c60a457e8e7825",
	    "hash", "517042930383bb1f578931351489bedcc2ec0bf8d86bae035c03eda117ef1158",
	    "databaseHash", "43a7de40d4d64766cf103347429f150e1b243463e7a050e36c2844c76ba115d8",
	    "logs", logs);
	char *text;

	assert_non_null(reply);
	text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	assert_non_null(text);
	return text;
}

static enum kerr parse(const char *body, struct sidechain_outcome *o, const char **why)
{
	return sidechain_parse_tx_info(body, strlen(body), 3, o, why);
}

static void test_an_executed_transfer_is_read_exactly(void **state)
{
	char *body = tx_reply("alice", PAYLOAD_SCT, EVENT_SCT);
	struct sidechain_outcome o;
	const char *why = "unset";

	(void)state;
	assert_int_equal(parse(body, &o, &why), KERR_OK);
	assert_null(why);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_string_equal(o.txid, TXID);
	assert_int_equal(o.block_num, 2061217);
	assert_string_equal(o.transfer.from, "alice");
	assert_string_equal(o.transfer.to, "coop");
	assert_string_equal(o.transfer.symbol, "SCT");
	assert_int_equal(o.transfer.quantity, 10000);
	assert_int_equal(o.transfer.precision, 3);
	assert_string_equal(o.transfer.memo, "KP-7QK3");
	free(body);
}

static void test_a_payload_object_and_an_event_without_contract_are_read(void **state)
{
	/* The wiki's older getTransactionInfo sample has the payload as an
	 * object; events before nodes named their contract have no "contract". */
	static const char body[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"blockNumber\":12,"
	    "\"refSteemBlockNumber\":25797141,\"transactionId\":\"" TXID "-1\","
	    "\"sender\":\"alice\",\"contract\":\"tokens\",\"action\":\"transfer\","
	    "\"payload\":{\"symbol\":\"BEE\",\"to\":\"coop\",\"quantity\":\"1000\"},"
	    "\"hash\":\"ac33d2fcaf2d72477483ab1f2ed4bf3bb077cdb55d5371aa896e8f3fd034e6fd\","
	    "\"logs\":\"{\\\"events\\\":[{\\\"event\\\":\\\"transfer\\\",\\\"data\\\":{"
	    "\\\"from\\\":"
	    "\\\"alice\\\",\\\"to\\\":\\\"coop\\\",\\\"symbol\\\":\\\"BEE\\\",\\\"quantity\\\":"
	    "\\\"1000\\\"}}]}\"}}";
	struct sidechain_outcome o;
	const char *why = NULL;

	(void)state;
	assert_int_equal(sidechain_parse_tx_info(body, strlen(body), 8, &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_string_equal(o.txid, TXID "-1");
	assert_int_equal(o.transfer.quantity, 100000000000);
	assert_string_equal(o.transfer.memo, "");
}

static void test_a_null_result_is_not_found_yet(void **state)
{
	static const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}";
	struct sidechain_outcome o;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(body, &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
}

static void test_a_refused_transfer_reports_the_sidechain_error(void **state)
{
	char *body = tx_reply("alice", PAYLOAD_SCT, "{\"errors\":[\"overdrawn balance\"]}");
	struct sidechain_outcome o;
	const char *why = NULL;
	char long_error[600], logs[700];

	(void)state;
	assert_int_equal(parse(body, &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "overdrawn balance");
	assert_string_equal(o.transfer.from, "");
	free(body);
	/* A long error is cut, at a character boundary ("가" is 3 bytes). */
	long_error[0] = 'x';
	for (size_t k = 0; k < 199; k++)
		memcpy(long_error + 1 + 3 * k, "가", 3);
	long_error[1 + 3 * 199] = '\0';
	snprintf(logs, sizeof(logs), "{\"errors\":[\"%s\",\"second\"]}", long_error);
	body = tx_reply("alice", PAYLOAD_SCT, logs);
	assert_int_equal(parse(body, &o, &why), KERR_OK);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_int_equal(strlen(o.error), 253);
	assert_int_equal(memcmp(o.error, long_error, 253), 0);
	free(body);
}

static void test_contradicting_or_mismatched_logs_are_refused(void **state)
{
	static const struct {
		const char *sender, *payload, *logs;
		enum kerr err;
		const char *why;
	} cases[] = {
	    {"alice", PAYLOAD_SCT,
	     "{\"errors\":[\"overdrawn balance\"],\"events\":[{\"contract\":\"tokens\",\"event\":"
	     "\"transfer\",\"data\":{\"from\":\"alice\",\"to\":\"coop\",\"symbol\":\"SCT\","
	     "\"quantity\":\"10.000\"}}]}",
	     KERR_INVAL, "the logs hold both errors and events"},
	    {"alice", PAYLOAD_SCT, "{}", KERR_INVAL,
	     "the logs hold neither errors nor a transfer event"},
	    {"alice", PAYLOAD_SCT, "{\"events\":[],\"errors\":[]}", KERR_INVAL,
	     "the logs hold neither errors nor a transfer event"},
	    {"bob", PAYLOAD_SCT, EVENT_SCT, KERR_INVAL,
	     "the transfer event's from is not the transaction's sender"},
	    {"alice",
	     "{\"symbol\":\"SCT\",\"to\":\"coop\",\"quantity\":\"1.000\",\"memo\":\"KP-7QK3\"}",
	     EVENT_SCT, KERR_INVAL, "the transfer event's quantity is not the payload's"},
	    {"alice", "{\"symbol\":\"SCT\",\"to\":\"mallory\",\"quantity\":\"10.000\"}", EVENT_SCT,
	     KERR_INVAL, "the transfer event does not match the payload (to, symbol)"},
	    {"alice", "{\"symbol\":\"DEC\",\"to\":\"coop\",\"quantity\":\"10.000\"}", EVENT_SCT,
	     KERR_INVAL, "the transfer event does not match the payload (to, symbol)"},
	    {"alice", "not json", EVENT_SCT, KERR_PARSE,
	     "the transaction's payload is not a JSON object"},
	    {"alice", PAYLOAD_SCT,
	     "{\"events\":[{\"contract\":\"tokens\",\"event\":\"transferToContract\",\"data\":"
	     "{\"from\":\"alice\",\"to\":\"coop\",\"symbol\":\"SCT\",\"quantity\":\"10.000\"}}]}",
	     KERR_INVAL, "the event is not a tokens transfer"},
	    {"alice", PAYLOAD_SCT,
	     "{\"events\":[{\"contract\":\"market\",\"event\":\"transfer\",\"data\":"
	     "{\"from\":\"alice\",\"to\":\"coop\",\"symbol\":\"SCT\",\"quantity\":\"10.000\"}}]}",
	     KERR_INVAL, "the event is not a tokens transfer"},
	    {"alice", PAYLOAD_SCT,
	     "{\"events\":[{\"contract\":\"tokens\",\"event\":\"transfer\",\"data\":{\"from\":"
	     "\"alice\",\"to\":\"coop\",\"symbol\":\"SCT\",\"quantity\":\"10.000\"}},{\"contract\":"
	     "\"tokens\",\"event\":\"transfer\",\"data\":{\"from\":\"alice\",\"to\":\"coop\","
	     "\"symbol\":\"SCT\",\"quantity\":\"10.000\"}}]}",
	     KERR_INVAL, "a transfer must have exactly one event"},
	    {"alice", PAYLOAD_SCT,
	     "{\"events\":[{\"contract\":\"tokens\",\"event\":\"transfer\",\"data\":{\"from\":"
	     "\"alice\",\"to\":\"coop\",\"symbol\":\"SCT\",\"quantity\":\"10.0000\"}}]}",
	     KERR_PARSE, "quantity has more decimals than the token's precision"},
	    {"alice", PAYLOAD_SCT, "{\"errors\":\"overdrawn balance\"}", KERR_PARSE,
	     "the logs' errors or events are not arrays"},
	    {"alice", PAYLOAD_SCT, "{\"errors\":[7]}", KERR_PARSE,
	     "the sidechain's error is not text"},
	    {"alice", PAYLOAD_SCT, "{\"errors\":[\"a\"],\"errors\":[]}", KERR_PARSE,
	     "the transaction's logs are not a JSON object (or repeat a key)"},
	    {"alice", PAYLOAD_SCT, "", KERR_PARSE,
	     "the transaction's logs are not a JSON object (or repeat a key)"},
	};
	struct sidechain_outcome o;
	const char *why = NULL;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = tx_reply(cases[i].sender, cases[i].payload, cases[i].logs);

		assert_int_equal(parse(body, &o, &why), cases[i].err);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
		assert_string_equal(o.txid, "");
		assert_int_equal(o.transfer.quantity, 0);
		free(body);
	}
}

static void test_replies_that_are_not_a_transfer_are_refused(void **state)
{
	static const struct {
		const char *body;
		enum kerr err;
		const char *why;
	} cases[] = {
	    {"", KERR_PARSE, "empty reply"},
	    {"[]", KERR_PARSE, "the reply is not a JSON object (or repeats a key)"},
	    {"{\"result\":null,\"result\":{}}", KERR_PARSE,
	     "the reply is not a JSON object (or repeats a key)"},
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not "
	     "found\"}}",
	     KERR_PROTO, "the node answered with a JSON-RPC error"},
	    {"{\"jsonrpc\":\"2.0\",\"id\":1}", KERR_PROTO, "the reply has no result"},
	    {"{\"result\":7}", KERR_PARSE, "the result is not a transaction object"},
	    {"{\"result\":{\"blockNumber\":12,\"transactionId\":\"" TXID "\",\"sender\":\"alice\","
	     "\"contract\":\"market\",\"action\":\"buy\",\"payload\":\"{}\",\"logs\":\"{}\"}}",
	     KERR_INVAL, "the sidechain transaction is not a tokens transfer"},
	    {"{\"result\":{\"blockNumber\":12,\"transactionId\":\"" TXID "\",\"sender\":\"alice\","
	     "\"contract\":\"tokens\",\"action\":\"stake\",\"payload\":\"{}\",\"logs\":\"{}\"}}",
	     KERR_INVAL, "the sidechain transaction is not a tokens transfer"},
	    {"{\"result\":{\"blockNumber\":12,\"transactionId\":\"XYZ\",\"sender\":\"alice\","
	     "\"contract\":\"tokens\",\"action\":\"transfer\",\"payload\":\"{}\",\"logs\":\"{}\"}}",
	     KERR_PARSE, "the transactionId is missing or not a transaction id"},
	    {"{\"result\":{\"blockNumber\":1.5,\"transactionId\":\"" TXID "\",\"sender\":\"alice\","
	     "\"contract\":\"tokens\",\"action\":\"transfer\",\"payload\":\"{}\",\"logs\":\"{}\"}}",
	     KERR_PARSE, "the blockNumber is missing or not a positive integer"},
	    {"{\"result\":{\"blockNumber\":12,\"transactionId\":\"" TXID "\",\"sender\":\"alice\","
	     "\"contract\":\"tokens\",\"action\":\"transfer\",\"payload\":\"{}\",\"logs\":{}}}",
	     KERR_PARSE, "the transaction has no logs text"},
	};
	struct sidechain_outcome o;
	const char *why = NULL;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(cases[i].body, &o, &why), cases[i].err);
		assert_string_equal(why, cases[i].why);
	}
	assert_int_equal(sidechain_parse_tx_info("{}", 2, 9, &o, &why), KERR_INVAL);
}

static void test_sizes_are_bounded(void **state)
{
	static char logs[SIDECHAIN_LOGS_MAX + 2], body[SIDECHAIN_REPLY_MAX + 2];
	struct sidechain_outcome o;
	const char *why = NULL;
	char *reply;

	(void)state;
	memset(logs, ' ', sizeof(logs) - 1);
	logs[0] = '{';
	logs[sizeof(logs) - 2] = '}';
	reply = tx_reply("alice", PAYLOAD_SCT, logs);
	assert_int_equal(parse(reply, &o, &why), KERR_TOO_BIG);
	assert_string_equal(why, "the transaction's logs are longer than 8192 bytes");
	free(reply);
	memset(body, ' ', sizeof(body) - 1);
	assert_int_equal(sidechain_parse_tx_info(body, sizeof(body) - 1, 3, &o, &why),
	                 KERR_TOO_BIG);
	assert_string_equal(why, "the reply is larger than 64 KiB");
}

static void test_find_one_gives_the_token_precision(void **state)
{
	/* A tokens table record as the tokens contract writes it (create). */
	static const char sct[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"_id\":7,\"issuer\":\"steem-engine\","
	    "\"symbol\":\"SCT\",\"name\":\"SteemCoinpan\",\"metadata\":\"{\\\"url\\\":\\\"\\\"}\","
	    "\"precision\":3,\"maxSupply\":\"10000000.000\",\"supply\":\"5000000.000\","
	    "\"circulatingSupply\":\"5000000.000\",\"stakingEnabled\":true}}";
	static const struct {
		const char *body, *symbol;
		enum kerr err;
		const char *why;
	} bad[] = {
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}", "SCT", KERR_NOTFOUND,
	     "the sidechain has no such token"},
	    {"{\"result\":{\"symbol\":\"SCT\",\"precision\":9}}", "SCT", KERR_RANGE,
	     "the token's precision is not an integer 0..8"},
	    {"{\"result\":{\"symbol\":\"SCT\",\"precision\":-1}}", "SCT", KERR_RANGE,
	     "the token's precision is not an integer 0..8"},
	    {"{\"result\":{\"symbol\":\"SCT\",\"precision\":3.0}}", "SCT", KERR_RANGE,
	     "the token's precision is not an integer 0..8"},
	    {"{\"result\":{\"symbol\":\"SCT\",\"precision\":\"3\"}}", "SCT", KERR_RANGE,
	     "the token's precision is not an integer 0..8"},
	    {"{\"result\":{\"symbol\":\"SCT\"}}", "SCT", KERR_RANGE,
	     "the token's precision is not an integer 0..8"},
	    {"{\"result\":{\"symbol\":\"DEC\",\"precision\":3}}", "SCT", KERR_PROTO,
	     "the node answered for another token"},
	    {"{\"result\":[{\"symbol\":\"SCT\",\"precision\":3}]}", "SCT", KERR_PARSE,
	     "the result is not a token record"},
	    {"{\"error\":{\"code\":-32600}}", "SCT", KERR_PROTO,
	     "the node answered with a JSON-RPC error"},
	};
	uint8_t precision = 99;
	const char *why = "unset";

	(void)state;
	assert_int_equal(sidechain_parse_token_precision(sct, strlen(sct), "SCT", &precision, &why),
	                 KERR_OK);
	assert_null(why);
	assert_int_equal(precision, 3);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		precision = 99;
		assert_int_equal(sidechain_parse_token_precision(bad[i].body, strlen(bad[i].body),
		                                                 bad[i].symbol, &precision, &why),
		                 bad[i].err);
		assert_string_equal(why, bad[i].why);
		assert_int_equal(precision, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_an_executed_transfer_is_read_exactly),
	    cmocka_unit_test(test_a_payload_object_and_an_event_without_contract_are_read),
	    cmocka_unit_test(test_a_null_result_is_not_found_yet),
	    cmocka_unit_test(test_a_refused_transfer_reports_the_sidechain_error),
	    cmocka_unit_test(test_contradicting_or_mismatched_logs_are_refused),
	    cmocka_unit_test(test_replies_that_are_not_a_transfer_are_refused),
	    cmocka_unit_test(test_sizes_are_bounded),
	    cmocka_unit_test(test_find_one_gives_the_token_precision),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
