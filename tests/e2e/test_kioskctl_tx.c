/* kioskctl tx id / tx verify against the vectors; bad input exits non-zero. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "runbin.h"
#include "testutil.h"

static json_t *first_vector(json_t *all, const char *chain, bool two_sigs)
{
	json_t *v;
	size_t i;

	json_array_foreach(
	    all, i,
	    v) if (strcmp(json_string_value(json_object_get(v, "chain")), chain) == 0 &&
	           (json_array_size(json_object_get(v, "signatures")) == 2) == two_sigs) return v;
	return NULL;
}

static char *write_tx(const char *dir, const char *name, json_t *v, const char *sig_key)
{
	json_t *tx = json_deep_copy(json_object_get(v, "tx"));
	json_t *from = strcmp(sig_key, "hf26") == 0 ? json_object_get(v, "hf26") : v;
	char *text, *path;

	json_object_set(tx, "signatures", json_object_get(from, "signatures"));
	text = json_dumps(tx, JSON_COMPACT);
	path = write_file_or_fail(dir, name, text);
	free(text);
	json_decref(tx);
	return path;
}

static void test_id_prints_both_hive_forms(void **state)
{
	json_error_t jerr;
	json_t *all =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *v = first_vector(all, "hive", false);
	char *dir = tmpdir_or_fail(), *path = write_tx(dir, "t.json", v, "legacy");
	char args[512], out[2048], want[256];

	(void)state;
	snprintf(args, sizeof(args), "tx id %s --chain hive", path);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "legacy trx_id=%s digest=%s\n",
	         json_string_value(json_object_get(v, "trx_id")),
	         json_string_value(json_object_get(v, "digest_hex")));
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "hf26 trx_id=%s digest=%s\n",
	         json_string_value(json_object_get(json_object_get(v, "hf26"), "trx_id")),
	         json_string_value(json_object_get(json_object_get(v, "hf26"), "digest_hex")));
	assert_non_null(strstr(out, want));
	free(path);
	rm_rf(dir);
	free(dir);
	json_decref(all);
}

static void test_verify_prints_the_signers_and_refuses_bad_input(void **state)
{
	json_error_t jerr;
	json_t *all =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *v = first_vector(all, "steem", true);
	char *dir = tmpdir_or_fail(), *path = write_tx(dir, "t.json", v, "legacy");
	char args[512], out[4096], want[256], *bad;

	(void)state;
	assert_non_null(v);
	snprintf(args, sizeof(args), "tx verify %s --chain steem", path);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	for (size_t s = 0; s < 2; s++) {
		snprintf(want, sizeof(want), "legacy signature %zu key=%s rule=passed\n", s,
		         json_string_value(json_object_get(
		             json_array_get(json_object_get(v, "signers"), s), "public_key")));
		assert_non_null(strstr(out, want));
	}
	snprintf(args, sizeof(args), "tx verify %s", path);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	bad = write_file_or_fail(dir, "bad.json", "{\"ref_block_num\":0}");
	snprintf(args, sizeof(args), "tx id %s", bad);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "bad.json"));
	snprintf(args, sizeof(args), "tx id %s/missing.json", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	free(bad);
	free(path);
	rm_rf(dir);
	free(dir);
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_prints_both_hive_forms),
	    cmocka_unit_test(test_verify_prints_the_signers_and_refuses_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
