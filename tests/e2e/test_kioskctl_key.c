/* kioskctl key: answers match keys.json; bad input exits non-zero with a reason. */
#include <string.h>

#include <jansson.h>

#include "runbin.h"
#include "testutil.h"

static void test_pub_and_check_agree_with_the_vectors(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/keys.json"), 0, &jerr);
	json_t *active = json_object_get(json_array_get(all, 0), "active");
	const char *wif = json_string_value(json_object_get(active, "wif"));
	const char *stm = json_string_value(json_object_get(active, "public_key"));
	const char *tst = json_string_value(json_object_get(active, "public_key_tst"));
	char args[256], out[1024], want[128];

	(void)state;
	snprintf(args, sizeof(args), "key pub %s", wif);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s\n", stm);
	assert_string_equal(out, want);
	snprintf(args, sizeof(args), "key pub %s --chain steem-testnet", wif);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s\n", tst);
	assert_string_equal(out, want);
	snprintf(args, sizeof(args), "key check %s --chain hive", stm);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_string_equal(out, "valid\n");
	snprintf(args, sizeof(args), "key check %s", tst);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "prefix"));
	assert_int_equal(runbin_or_fail("kioskctl", "key pub 5Jnotawif", out, sizeof(out)), 2);
	assert_non_null(strstr(out, "not a valid WIF"));
	assert_int_equal(runbin_or_fail("kioskctl", "key", out, sizeof(out)), 2);
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pub_and_check_agree_with_the_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
