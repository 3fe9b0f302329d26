/* kioskctl sig recover, run as the built binary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"

#define KIOSKCTL KIOSK_BINARY_DIR "/kioskctl"

#if defined(__aarch64__)
#define EMULATOR "qemu-aarch64 "
#elif defined(__arm__)
#define EMULATOR "qemu-arm "
#else
#define EMULATOR ""
#endif

/*
 * A cross-built suite runs under qemu-user, whose children are host
 * processes: if the host cannot run kioskctl itself, go through the emulator.
 */
static const char *launcher_or_fail(void)
{
	static const char *launcher;
	char cmd[512];

	if (launcher)
		return launcher;
	if (access(KIOSKCTL, X_OK) != 0)
		fail_msg("%s not built; build the kioskctl target first", KIOSKCTL);
	snprintf(cmd, sizeof(cmd), "%s version >/dev/null 2>&1", KIOSKCTL);
	if (system(cmd) == 0) {
		launcher = "";
		return launcher;
	}
	snprintf(cmd, sizeof(cmd), "%s%s version >/dev/null 2>&1", EMULATOR, KIOSKCTL);
	if (EMULATOR[0] && system(cmd) == 0) {
		launcher = EMULATOR;
		return launcher;
	}
	fail_msg("cannot run %s, natively or under an emulator", KIOSKCTL);
	return "";
}

/* Runs kioskctl with args (a shell word list of hex and flags); returns the
 * exit status and the combined output in out. */
static int run_or_fail(const char *args, char *out, size_t max)
{
	char cmd[1024];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s%s %s 2>&1", launcher_or_fail(), KIOSKCTL, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < max) {
		size_t got = fread(out + n, 1, max - 1 - n, p);

		if (got == 0)
			break;
		n += got;
	}
	out[n] = '\0';
	st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

struct vec {
	char digest[65];
	char sig[131];
};

/* The first signature-edge-cases.json case of that kind. */
static void edge_case_or_fail(const char *kind, struct vec *v)
{
	json_error_t jerr;
	json_t *cases = json_load_file(fixture_path("vectors/signature-edge-cases.json"), 0, &jerr);
	json_t *c;
	size_t i;

	assert_non_null(cases);
	json_array_foreach(cases, i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "kind")), kind) != 0)
			continue;
		snprintf(v->digest, sizeof(v->digest), "%s",
		         json_string_value(json_object_get(c, "digest_hex")));
		snprintf(v->sig, sizeof(v->sig), "%s",
		         json_string_value(json_object_get(c, "signature")));
		json_decref(cases);
		return;
	}
	fail_msg("no edge case of kind %s", kind);
}

static void test_recover_prints_signer_key_and_accepts(void **state)
{
	char out[4096], args[512];
	json_error_t jerr;
	json_t *keys = json_load_file(fixture_path("vectors/keys.json"), 0, &jerr);
	json_t *txs =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *tx = NULL, *acct;
	const char *want_hex = NULL, *want_stm = NULL;
	size_t i, k;

	(void)state;
	assert_non_null(keys);
	assert_non_null(txs);
	/* a vector whose signer's key hex is in keys.json (the independent answer) */
	json_array_foreach(txs, i, tx)
	{
		const char *stm = json_string_value(json_object_get(
		    json_array_get(json_object_get(tx, "signers"), 0), "public_key"));

		json_array_foreach(keys, k, acct)
		{
			json_t *a = json_object_get(acct, "active");

			if (strcmp(json_string_value(json_object_get(a, "public_key")), stm) == 0) {
				want_hex = json_string_value(json_object_get(a, "public_key_hex"));
				want_stm = stm;
			}
		}
		if (want_hex)
			break;
	}
	assert_non_null(want_hex);
	snprintf(args, sizeof(args), "sig recover %s %s --chain %s",
	         json_string_value(json_object_get(tx, "digest_hex")),
	         json_string_value(json_array_get(json_object_get(tx, "signatures"), 0)),
	         json_string_value(json_object_get(tx, "chain")));
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, want_hex));
	{
		char line[128];

		snprintf(line, sizeof(line), "public_key=%s\n", want_stm);
		assert_non_null(strstr(out, line));
	}
	assert_non_null(strstr(out, "low_s=yes"));
	assert_non_null(strstr(out, "verdict=accepted"));
	json_decref(txs);
	json_decref(keys);
}

static void test_recover_exits_1_on_high_s_signature(void **state)
{
	char out[4096], args[512];
	struct vec v;

	(void)state;
	edge_case_or_fail("high_s_chain_accepts", &v);
	snprintf(args, sizeof(args), "sig recover %s %s", v.digest, v.sig);
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "low_s=no"));
	assert_non_null(strstr(out, "verdict=refused"));
	assert_null(strstr(out, "public_key"));
}

static void test_recover_accepts_bip62_signature_that_fails_fc_rule(void **state)
{
	char out[4096], args[512];
	struct vec v;

	(void)state;
	edge_case_or_fail("bip62_not_fc", &v);
	snprintf(args, sizeof(args), "sig recover %s %s --chain hive", v.digest, v.sig);
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "fc_canonical=no"));
	assert_non_null(strstr(out, "verdict=accepted"));
}

static void test_recover_exits_2_with_one_line_on_bad_input(void **state)
{
	static const char d[] = "a7c86028b7a01600cb17ccbaa880c4df5c46c4a5ac2ae2ad391d9a22457f71ee";
	static const char s64[] =
	    "1f91f29aedbf462c326d1843cc9f516dbf5d1432702aee60a0efbbf87cce2202"
	    "2300c0894493305fe59dba474392c0ad7702b6949d8b1b03189c277dab1be6fc";
	char out[4096], args[512];

	(void)state;
	/* a 64-byte (truncated) signature is bad input, not a refusal */
	snprintf(args, sizeof(args), "sig recover %s %s", d, s64);
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "SIGNATURE_HEX must be 130 hex digits"));
	assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));

	snprintf(args, sizeof(args), "sig recover %.63sx 1f%s", d, s64);
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "non-hex"));

	snprintf(args, sizeof(args), "sig recover %s 1f%s --chain bitcoin", d, s64);
	assert_int_equal(run_or_fail(args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "--chain"));

	assert_int_equal(run_or_fail("sig recover", out, sizeof(out)), 2);
	assert_int_equal(run_or_fail("sig frobnicate", out, sizeof(out)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recover_prints_signer_key_and_accepts),
	    cmocka_unit_test(test_recover_exits_1_on_high_s_signature),
	    cmocka_unit_test(test_recover_accepts_bip62_signature_that_fails_fc_rule),
	    cmocka_unit_test(test_recover_exits_2_with_one_line_on_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
