/* Sidechain token transfers: what the kiosk accepts from a custom_json, what
 * it refuses and why, quantities, and the json it builds for a URI. */
#include "kiosk/token.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/compiler.h"
#include "testutil.h"

#define SCT_TRANSFER                                                                               \
	"{\"contractName\":\"tokens\",\"contractAction\":\"transfer\",\"contractPayload\":"        \
	"{\"symbol\":\"SCT\",\"to\":\"coop\",\"quantity\":\"10.000\",\"memo\":\"KP-7QK3\"}}"

static const char *const alice[] = {"alice"};

static enum kerr parse_json(const char *json, uint8_t precision, struct token_transfer *t,
                            const char **why)
{
	return token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", alice, 1, 0, json,
	                            strlen(json), precision, t, why);
}

static void test_a_steem_engine_transfer_parses_exactly(void **state)
{
	struct token_transfer t;
	const char *why = "unset";

	(void)state;
	assert_int_equal(parse_json(SCT_TRANSFER, 3, &t, &why), KERR_OK);
	assert_null(why);
	assert_string_equal(t.from, "alice");
	assert_string_equal(t.to, "coop");
	assert_string_equal(t.symbol, "SCT");
	assert_int_equal(t.quantity, 10000);
	assert_int_equal(t.precision, 3);
	assert_string_equal(t.memo, "KP-7QK3");
}

static void test_the_sidechain_id_follows_the_chain(void **state)
{
	struct token_transfer t;
	const char *why = NULL;

	(void)state;
	assert_string_equal(token_sidechain_id(SITE_CHAIN_STEEM), "ssc-mainnet1");
	assert_string_equal(token_sidechain_id(SITE_CHAIN_HIVE), "ssc-mainnet-hive");
	assert_int_equal(token_transfer_parse(SITE_CHAIN_HIVE, "ssc-mainnet-hive", alice, 1, 0,
	                                      SCT_TRANSFER, strlen(SCT_TRANSFER), 3, &t, &why),
	                 KERR_OK);
	/* A Steem-Engine id on Hive (a replayed or misrouted operation) is not ours. */
	assert_int_equal(token_transfer_parse(SITE_CHAIN_HIVE, "ssc-mainnet1", alice, 1, 0,
	                                      SCT_TRANSFER, strlen(SCT_TRANSFER), 3, &t, &why),
	                 KERR_INVAL);
	assert_string_equal(why, "the custom_json id is not this chain's sidechain");
	assert_string_equal(t.symbol, "");
}

static void test_auths_must_be_one_active_and_no_posting(void **state)
{
	static const char *const two[] = {"alice", "bob"};
	static const char *const bad_name[] = {"Alice"};
	struct token_transfer t;
	const char *why = NULL;
	const char *json = SCT_TRANSFER;

	(void)state;
	assert_int_equal(token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", alice, 0, 1, json,
	                                      strlen(json), 3, &t, &why),
	                 KERR_INVAL);
	assert_string_equal(why, "a token transfer must not have posting auths");
	assert_int_equal(token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", alice, 1, 1, json,
	                                      strlen(json), 3, &t, &why),
	                 KERR_INVAL);
	assert_int_equal(token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", two, 2, 0, json,
	                                      strlen(json), 3, &t, &why),
	                 KERR_INVAL);
	assert_string_equal(why, "a token transfer needs exactly one required_auth (active)");
	assert_int_equal(token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", alice, 0, 0, json,
	                                      strlen(json), 3, &t, &why),
	                 KERR_INVAL);
	assert_int_equal(token_transfer_parse(SITE_CHAIN_STEEM, "ssc-mainnet1", bad_name, 1, 0,
	                                      json, strlen(json), 3, &t, &why),
	                 KERR_INVAL);
	assert_string_equal(why, "the sender is not a valid account name");
}

static void test_bad_json_is_refused_with_a_reason(void **state)
{
	static const struct {
		const char *json;
		enum kerr err;
		const char *why;
	} cases[] = {
	    {"", KERR_PARSE, "the custom_json's json is not valid JSON (or repeats a key)"},
	    {"{\"contractName\":\"tokens\"", KERR_PARSE,
	     "the custom_json's json is not valid JSON (or repeats a key)"},
	    {"\"tokens\"", KERR_PARSE, "the custom_json's json is not an object"},
	    {"[" SCT_TRANSFER "]", KERR_INVAL,
	     "the kiosk takes one sidechain action per operation"},
	    {"{\"contractName\":\"market\",\"contractAction\":\"transfer\",\"contractPayload\":{}}",
	     KERR_INVAL, "not a tokens transfer (contractName, contractAction)"},
	    {"{\"contractName\":\"tokens\",\"contractAction\":\"stake\",\"contractPayload\":{}}",
	     KERR_INVAL, "not a tokens transfer (contractName, contractAction)"},
	    {"{\"contractName\":\"Tokens\",\"contractAction\":\"transfer\",\"contractPayload\":{}}",
	     KERR_INVAL, "not a tokens transfer (contractName, contractAction)"},
	    {"{\"contractName\":\"tokens\",\"contractAction\":\"transfer\",\"contractPayload\":"
	     "\"x\"}",
	     KERR_PARSE, "the contractPayload is missing or not an object"},
	    /* A repeated key could mean different things to different parsers. */
	    {"{\"contractName\":\"tokens\",\"contractName\":\"tokens\",\"contractAction\":"
	     "\"transfer\",\"contractPayload\":{}}",
	     KERR_PARSE, "the custom_json's json is not valid JSON (or repeats a key)"},
	    {"{\"contractName\":\"tokens\",\"contractAction\":\"transfer\",\"contractPayload\":"
	     "{\"symbol\":\"SCT\",\"to\":\"coop\",\"quantity\":\"1\",\"quantity\":\"100\"}}",
	     KERR_PARSE, "the custom_json's json is not valid JSON (or repeats a key)"},
	    {"{\"contractName\":\"tokens\",\"contractAction\":\"transfer\",\"contractPayload\":"
	     "{\"symbol\":\"SCT\",\"to\":\"coop\",\"quantity\":\"1\",\"memo\":\"a\\u0000b\"}}",
	     KERR_PARSE, "the custom_json's json is not valid JSON (or repeats a key)"},
	};
	struct token_transfer t;
	const char *why = NULL;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse_json(cases[i].json, 3, &t, &why), cases[i].err);
		assert_string_equal(why, cases[i].why);
	}
}

/* The SCT_TRANSFER payload with one member's value text replaced. */
static void payload_with(char *out, size_t cap, const char *symbol, const char *to,
                         const char *quantity, const char *memo)
{
	int n = snprintf(out, cap,
	                 "{\"contractName\":\"tokens\",\"contractAction\":\"transfer\","
	                 "\"contractPayload\":{\"symbol\":%s,\"to\":%s,\"quantity\":%s%s%s}}",
	                 symbol, to, quantity, memo ? ",\"memo\":" : "", memo ? memo : "");

	assert_true(n > 0 && (size_t)n < cap);
}

static void test_bad_payload_fields_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *symbol, *to, *quantity, *memo;
		enum kerr err;
		const char *why;
	} cases[] = {
	    {"\"sct\"", "\"coop\"", "\"1\"", NULL, KERR_INVAL,
	     "the token symbol is missing or not 1..10 upper-case letters"},
	    {"\"ABCDEFGHIJK\"", "\"coop\"", "\"1\"", NULL, KERR_INVAL,
	     "the token symbol is missing or not 1..10 upper-case letters"},
	    {"7", "\"coop\"", "\"1\"", NULL, KERR_INVAL,
	     "the token symbol is missing or not 1..10 upper-case letters"},
	    {"\"SCT\"", "\"Coop\"", "\"1\"", NULL, KERR_INVAL,
	     "the receiving account is missing or not a valid account name"},
	    {"\"SCT\"", "\" coop\"", "\"1\"", NULL, KERR_INVAL,
	     "the receiving account is missing or not a valid account name"},
	    {"\"SCT\"", "\"alice\"", "\"1\"", NULL, KERR_INVAL,
	     "the sender and the receiver are the same account"},
	    {"\"SCT\"", "\"coop\"", "10", NULL, KERR_PARSE,
	     "the quantity is missing or not a string"},
	    {"\"SCT\"", "\"coop\"", "\"1.0000\"", NULL, KERR_PARSE,
	     "quantity has more decimals than the token's precision"},
	    {"\"SCT\"", "\"coop\"", "\"0.000\"", NULL, KERR_PARSE, "quantity must be above zero"},
	    {"\"SCT\"", "\"coop\"", "\"1e3\"", NULL, KERR_PARSE,
	     "quantity has a character other than digits and one '.'"},
	    {"\"SCT\"", "\"coop\"", "\"1\"", "5", KERR_PARSE, "the memo is not a string"},
	};
	struct token_transfer t;
	const char *why = NULL;
	char json[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		payload_with(json, sizeof(json), cases[i].symbol, cases[i].to, cases[i].quantity,
		             cases[i].memo);
		assert_int_equal(parse_json(json, 3, &t, &why), cases[i].err);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(t.quantity, 0);
		assert_string_equal(t.from, "");
	}
}

static void test_a_missing_memo_is_empty_and_other_members_are_ignored(void **state)
{
	const char *json = "{\"contractName\":\"tokens\",\"contractAction\":\"transfer\","
	                   "\"contractPayload\":{\"symbol\":\"SWAP.HIVE\",\"to\":\"coop\","
	                   "\"quantity\":\"0.99\",\"isSignedWithActiveKey\":true}}";
	struct token_transfer t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse_json(json, 8, &t, &why), KERR_OK);
	assert_string_equal(t.symbol, "SWAP.HIVE");
	assert_int_equal(t.quantity, 99000000);
	assert_string_equal(t.memo, "");
}

static void test_sizes_are_bounded(void **state)
{
	static char json[TOKEN_JSON_MAX + 64], memo[TOKEN_MEMO_MAX + 4];
	struct token_transfer t;
	const char *why = NULL;

	(void)state;
	memset(memo, 'a', sizeof(memo) - 1);
	memo[0] = '"';
	memo[TOKEN_MEMO_MAX + 2] = '"';
	memo[TOKEN_MEMO_MAX + 3] = '\0';
	payload_with(json, sizeof(json), "\"SCT\"", "\"coop\"", "\"1\"", memo);
	assert_int_equal(parse_json(json, 3, &t, &why), KERR_TOO_BIG);
	assert_string_equal(why, "the memo is longer than 2047 bytes");
	/* 2047 bytes is the limit, not over it. */
	memo[TOKEN_MEMO_MAX + 1] = '"';
	memo[TOKEN_MEMO_MAX + 2] = '\0';
	payload_with(json, sizeof(json), "\"SCT\"", "\"coop\"", "\"1\"", memo);
	assert_int_equal(parse_json(json, 3, &t, &why), KERR_OK);
	assert_int_equal(strlen(t.memo), TOKEN_MEMO_MAX);
	memset(json, ' ', TOKEN_JSON_MAX + 1);
	json[TOKEN_JSON_MAX + 1] = '\0';
	assert_int_equal(parse_json(json, 3, &t, &why), KERR_TOO_BIG);
	assert_string_equal(why, "the custom_json's json is longer than 8192 bytes");
}

static void test_quantities_parse_at_the_token_precision(void **state)
{
	static const struct {
		const char *text;
		uint8_t precision;
		int64_t units;
	} ok[] = {
	    {"10.000", 3, 10000},
	    {"10", 3, 10000},
	    {"0.5", 3, 500},
	    {"1000", 8, 100000000000},
	    {"0.00000001", 8, 1},
	    {"7", 0, 7},
	    {"92233720368.54775807", 8, INT64_MAX},
	};
	static const struct {
		const char *text;
		uint8_t precision;
		enum kerr err;
	} bad[] = {
	    {"", 3, KERR_PARSE},
	    {"-1", 3, KERR_PARSE},
	    {"+1", 3, KERR_PARSE},
	    {".5", 3, KERR_PARSE},
	    {"5.", 3, KERR_PARSE},
	    {"01", 3, KERR_PARSE},
	    {"0", 3, KERR_PARSE},
	    {"1.5", 0, KERR_PARSE},
	    {"1 ", 3, KERR_PARSE},
	    {"1,000", 3, KERR_PARSE},
	    {"Infinity", 3, KERR_PARSE},
	    {"NaN", 3, KERR_PARSE},
	    {"92233720368.54775808", 8, KERR_RANGE},
	    {"92233720369", 8, KERR_RANGE},
	    {"1", 9, KERR_INVAL},
	};
	int64_t units;
	const char *why;
	char back[TOKEN_QUANTITY_MAX + 1];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		why = "unset";
		assert_int_equal(token_quantity_parse(ok[i].text, strlen(ok[i].text),
		                                      ok[i].precision, &units, &why),
		                 KERR_OK);
		assert_null(why);
		assert_int_equal(units, ok[i].units);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		units = -1;
		why = NULL;
		assert_int_equal(token_quantity_parse(bad[i].text, strlen(bad[i].text),
		                                      bad[i].precision, &units, &why),
		                 bad[i].err);
		assert_non_null(why);
		assert_int_equal(units, 0);
	}
	/* An embedded NUL is not the end of the text. */
	assert_int_equal(token_quantity_parse("1\0"
	                                      "5",
	                                      3, 3, &units, &why),
	                 KERR_PARSE);
	assert_int_equal(token_quantity_format(10000, 3, back, sizeof(back)), KERR_OK);
	assert_string_equal(back, "10.000");
	assert_int_equal(token_quantity_format(7, 0, back, sizeof(back)), KERR_OK);
	assert_string_equal(back, "7");
	assert_int_equal(token_quantity_format(1, 8, back, sizeof(back)), KERR_OK);
	assert_string_equal(back, "0.00000001");
	assert_int_equal(token_quantity_format(INT64_MAX, 8, back, sizeof(back)), KERR_OK);
	assert_string_equal(back, "92233720368.54775807");
	assert_int_equal(token_quantity_format(10000, 3, back, 6), KERR_TOO_BIG);
	assert_int_equal(token_quantity_format(-1, 3, back, sizeof(back)), KERR_INVAL);
}

static void test_symbols_and_accounts_follow_the_chain_rules(void **state)
{
	static const char *const good_symbols[] = {"SCT", "A", "SWAP.HIVE", "ABCDEFGHIJ", "STEEMP"};
	static const char *const bad_symbols[] = {"",      "sct",         "SC1", ".SCT", "SCT.",
	                                          "A.B.C", "ABCDEFGHIJK", "S T", "SCT "};
	static const char *const good_accounts[] = {"coop",         "abc",     "a-1",
	                                            "steem-engine", "abc.def", "abcdefghijklmnop"};
	static const char *const bad_accounts[] = {
	    "ab",   "Coop",     "1abc", "abc-", "ab.cde", "abc.", ".abc", "abcdefghijklmnopq",
	    "a_bc", "abc..def", ""};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good_symbols); i++)
		assert_true(token_symbol_valid(good_symbols[i]));
	for (size_t i = 0; i < ARRAY_SIZE(bad_symbols); i++)
		if (token_symbol_valid(bad_symbols[i]))
			fail_msg("symbol \"%s\" accepted", bad_symbols[i]);
	for (size_t i = 0; i < ARRAY_SIZE(good_accounts); i++)
		if (!token_account_valid(good_accounts[i]))
			fail_msg("account \"%s\" refused", good_accounts[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bad_accounts); i++)
		if (token_account_valid(bad_accounts[i]))
			fail_msg("account \"%s\" accepted", bad_accounts[i]);
	assert_false(token_symbol_valid(NULL));
	assert_false(token_account_valid(NULL));
}

static void test_a_node_operation_body_parses(void **state)
{
	static const char op[] =
	    "{\"required_auths\":[\"alice\"],\"required_posting_auths\":[],"
	    "\"id\":\"ssc-mainnet-hive\",\"json\":\"{\\\"contractName\\\":\\\"tokens\\\","
	    "\\\"contractAction\\\":\\\"transfer\\\",\\\"contractPayload\\\":{\\\"symbol\\\":"
	    "\\\"BEE\\\",\\\"to\\\":\\\"coop\\\",\\\"quantity\\\":\\\"1000\\\",\\\"memo\\\":"
	    "\\\"\\\"}}\"}";
	static const char posting[] =
	    "{\"required_auths\":[],\"required_posting_auths\":[\"alice\"],"
	    "\"id\":\"ssc-mainnet-hive\",\"json\":\"{}\"}";
	static const char no_json[] =
	    "{\"required_auths\":[\"alice\"],\"required_posting_auths\":[],"
	    "\"id\":\"ssc-mainnet-hive\"}";
	static const char number_auth[] = "{\"required_auths\":[7],\"required_posting_auths\":[],"
	                                  "\"id\":\"ssc-mainnet-hive\",\"json\":\"{}\"}";
	struct token_transfer t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(token_transfer_parse_op(SITE_CHAIN_HIVE, op, strlen(op), 8, &t, &why),
	                 KERR_OK);
	assert_string_equal(t.from, "alice");
	assert_string_equal(t.symbol, "BEE");
	assert_int_equal(t.quantity, 100000000000);
	assert_int_equal(
	    token_transfer_parse_op(SITE_CHAIN_HIVE, posting, strlen(posting), 8, &t, &why),
	    KERR_INVAL);
	assert_string_equal(why, "a token transfer must not have posting auths");
	assert_int_equal(
	    token_transfer_parse_op(SITE_CHAIN_HIVE, no_json, strlen(no_json), 8, &t, &why),
	    KERR_PARSE);
	assert_int_equal(
	    token_transfer_parse_op(SITE_CHAIN_HIVE, number_auth, strlen(number_auth), 8, &t, &why),
	    KERR_PARSE);
	assert_string_equal(why, "a required_auth is not a string");
	assert_int_equal(token_transfer_parse_op(SITE_CHAIN_HIVE, "[]", 2, 8, &t, &why),
	                 KERR_PARSE);
}

static void test_built_json_is_the_sidechain_shape_and_parses_back(void **state)
{
	struct token_transfer t = {
	    .to = "coop", .symbol = "SCT", .quantity = 10000, .precision = 3, .memo = "KP-7QK3"};
	struct token_transfer back;
	char json[1024];
	const char *why = NULL;

	(void)state;
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_OK);
	assert_string_equal(json, SCT_TRANSFER);
	assert_int_equal(parse_json(json, 3, &back, &why), KERR_OK);
	assert_int_equal(back.quantity, t.quantity);
	assert_string_equal(back.memo, t.memo);
	/* Quotes and UTF-8 in a memo are escaped, not cut. */
	strcpy(t.memo, "감자 \"KP\"");
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_OK);
	assert_int_equal(parse_json(json, 3, &back, &why), KERR_OK);
	assert_string_equal(back.memo, "감자 \"KP\"");
	assert_int_equal(token_transfer_json(&t, json, 20, &why), KERR_TOO_BIG);
	assert_string_equal(json, "");
}

static void test_build_refuses_what_parse_would_refuse(void **state)
{
	struct token_transfer t = {.to = "coop", .symbol = "SCT", .quantity = 1, .precision = 3};
	char json[1024];
	const char *why = NULL;

	(void)state;
	strcpy(t.symbol, "sct");
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_INVAL);
	strcpy(t.symbol, "SCT");
	strcpy(t.to, "Coop");
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_INVAL);
	assert_string_equal(why, "the receiving account is not a valid account name");
	strcpy(t.to, "coop");
	t.quantity = 0;
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_INVAL);
	t.quantity = 1;
	t.precision = 9;
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_INVAL);
	t.precision = 3;
	strcpy(t.memo, "\xff");
	assert_int_equal(token_transfer_json(&t, json, sizeof(json), &why), KERR_INVAL);
	assert_string_equal(why, "the memo is not valid UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_steem_engine_transfer_parses_exactly),
	    cmocka_unit_test(test_the_sidechain_id_follows_the_chain),
	    cmocka_unit_test(test_auths_must_be_one_active_and_no_posting),
	    cmocka_unit_test(test_bad_json_is_refused_with_a_reason),
	    cmocka_unit_test(test_bad_payload_fields_are_refused_with_a_reason),
	    cmocka_unit_test(test_a_missing_memo_is_empty_and_other_members_are_ignored),
	    cmocka_unit_test(test_sizes_are_bounded),
	    cmocka_unit_test(test_quantities_parse_at_the_token_precision),
	    cmocka_unit_test(test_symbols_and_accounts_follow_the_chain_rules),
	    cmocka_unit_test(test_a_node_operation_body_parses),
	    cmocka_unit_test(test_built_json_is_the_sidechain_shape_and_parses_back),
	    cmocka_unit_test(test_build_refuses_what_parse_would_refuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
