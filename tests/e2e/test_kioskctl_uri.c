/* kioskctl uri: its output decodes to the payment asked for; bad input exits 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/uri.h"
#include "runbin.h"
#include "testutil.h"

static void test_printed_uri_decodes_to_the_payment(void **state)
{
	char out[8192], *text;
	json_t *j, *op;
	json_error_t jerr;

	(void)state;
	assert_int_equal(
	    runbin_or_fail("kioskctl",
	                   "uri --to coop --amount '7.250 HIVE' --memo '감자 KP-7QK3' --chain hive",
	                   out, sizeof(out)),
	    0);
	assert_int_equal(strncmp(out, "hive://sign/op/", 15), 0);
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(uri_decode(out, &text), KERR_OK);
	j = json_loads(text, 0, &jerr);
	op = json_array_get(json_object_get(json_object_get(j, "tx"), "operations"), 0);
	assert_string_equal(json_string_value(json_array_get(op, 0)), "transfer");
	assert_string_equal(json_string_value(json_object_get(json_array_get(op, 1), "amount")),
	                    "7.250 HIVE");
	assert_string_equal(json_string_value(json_object_get(json_array_get(op, 1), "memo")),
	                    "감자 KP-7QK3");
	assert_null(json_object_get(json_array_get(op, 1), "from"));
	json_decref(j);
	free(text);
	assert_int_equal(
	    runbin_or_fail("kioskctl",
	                   "uri --to coop --amount '1.000 SBD' --memo x --style https-transfer",
	                   out, sizeof(out)),
	    0);
	assert_string_equal(
	    out, "https://steemlogin.com/sign/transfer?to=coop&amount=1.000%20SBD&memo=x\n");
}

struct refusal {
	const char *args, *reason;
};

/* Each command line is refused (exit 2) with its reason in the output. */
static void refused_each(const struct refusal *bad, size_t n)
{
	char out[2048];

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(runbin_or_fail("kioskctl", bad[i].args, out, sizeof(out)), 2);
		if (!strstr(out, bad[i].reason))
			fail_msg("%s: %s", bad[i].args, out);
	}
}

static void test_bad_input_is_refused_with_a_reason(void **state)
{
	static const struct refusal bad[] = {
	    {"uri --to coop --amount '1.0 STEEM'", "3 decimals"},
	    {"uri --to coop --amount '1.000 HIVE'", "chain"},
	    {"uri --to Coop --amount '1.000 STEEM'", "account"},
	    {"uri --to coop --amount '1.000 STEEM' --memo '김치'", "ASCII"},
	    {"uri --to coop --amount '1.000 STEEM' --chain eos", "unknown chain"},
	    {"uri --amount '1.000 STEEM'", "usage"},
	};

	(void)state;
	refused_each(bad, ARRAY_SIZE(bad));
}

/* The operation of a printed sign URI, decoded with the kiosk's decoder. */
static json_t *printed_op_or_fail(char *out)
{
	char *text;
	json_t *j, *op;
	json_error_t jerr;

	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(uri_decode(out, &text), KERR_OK);
	j = json_loads(text, 0, &jerr);
	free(text);
	assert_non_null(j);
	op = json_array_get(json_object_get(json_object_get(j, "tx"), "operations"), 0);
	assert_non_null(op);
	json_incref(op);
	json_decref(j);
	return op;
}

static void test_a_token_uri_is_the_sidechain_custom_json(void **state)
{
	static const struct {
		const char *chain, *scheme, *id;
	} chains[] = {
	    {"steem", "steem://sign/op/", "ssc-mainnet1"},
	    {"hive", "hive://sign/op/", "ssc-mainnet-hive"},
	};
	char out[8192], args[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(chains); i++) {
		json_t *op, *body, *auths, *inner, *payload;
		json_error_t jerr;

		snprintf(args, sizeof(args),
		         "uri --to coop --amount 10.000 --token SCT --memo KP-7QK3 --chain %s",
		         chains[i].chain);
		assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
		assert_int_equal(strncmp(out, chains[i].scheme, strlen(chains[i].scheme)), 0);
		op = printed_op_or_fail(out);
		body = json_array_get(op, 1);
		assert_string_equal(json_string_value(json_array_get(op, 0)), "custom_json");
		assert_string_equal(json_string_value(json_object_get(body, "id")), chains[i].id);
		auths = json_object_get(body, "required_auths");
		assert_int_equal(json_array_size(auths), 1);
		assert_string_equal(json_string_value(json_array_get(auths, 0)), "__signer");
		assert_int_equal(json_array_size(json_object_get(body, "required_posting_auths")),
		                 0);
		assert_true(json_is_array(json_object_get(body, "required_posting_auths")));
		inner = json_loads(json_string_value(json_object_get(body, "json")), 0, &jerr);
		assert_non_null(inner);
		assert_string_equal(json_string_value(json_object_get(inner, "contractName")),
		                    "tokens");
		assert_string_equal(json_string_value(json_object_get(inner, "contractAction")),
		                    "transfer");
		payload = json_object_get(inner, "contractPayload");
		assert_string_equal(json_string_value(json_object_get(payload, "symbol")), "SCT");
		assert_string_equal(json_string_value(json_object_get(payload, "to")), "coop");
		assert_string_equal(json_string_value(json_object_get(payload, "quantity")),
		                    "10.000");
		assert_string_equal(json_string_value(json_object_get(payload, "memo")), "KP-7QK3");
		json_decref(inner);
		json_decref(op);
	}
}

static void test_bad_token_input_is_refused_with_a_reason(void **state)
{
	static const struct refusal bad[] = {
	    {"uri --to coop --amount '10.000 SCT' --token SCT", "plain decimal"},
	    {"uri --to coop --amount 1e3 --token SCT", "quantity"},
	    {"uri --to coop --amount -1 --token SCT", "negative"},
	    {"uri --to coop --amount 0.000 --token SCT", "above zero"},
	    {"uri --to coop --amount 1.123456789 --token SCT", "8 decimals"},
	    {"uri --to coop --amount 10 --token sct", "--token"},
	    {"uri --to coop --amount 10 --token SCT --style https-transfer", "https-transfer"},
	    {"uri --to coop --amount 10 --token SCT --memo '김치'", "ASCII"},
	};

	(void)state;
	refused_each(bad, ARRAY_SIZE(bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printed_uri_decodes_to_the_payment),
	    cmocka_unit_test(test_bad_input_is_refused_with_a_reason),
	    cmocka_unit_test(test_a_token_uri_is_the_sidechain_custom_json),
	    cmocka_unit_test(test_bad_token_input_is_refused_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
