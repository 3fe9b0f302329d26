/* kioskctl uri: its output decodes to the payment asked for; bad input exits 2. */
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

static void test_bad_input_is_refused_with_a_reason(void **state)
{
	static const struct {
		const char *args, *reason;
	} bad[] = {
	    {"uri --to coop --amount '1.0 STEEM'", "3 decimals"},
	    {"uri --to coop --amount '1.000 HIVE'", "chain"},
	    {"uri --to Coop --amount '1.000 STEEM'", "account"},
	    {"uri --to coop --amount '1.000 STEEM' --memo '김치'", "ASCII"},
	    {"uri --to coop --amount '1.000 STEEM' --chain eos", "unknown chain"},
	    {"uri --amount '1.000 STEEM'", "usage"},
	};
	char out[2048];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(runbin_or_fail("kioskctl", bad[i].args, out, sizeof(out)), 2);
		if (!strstr(out, bad[i].reason))
			fail_msg("%s: %s", bad[i].args, out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printed_uri_decodes_to_the_payment),
	    cmocka_unit_test(test_bad_input_is_refused_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
