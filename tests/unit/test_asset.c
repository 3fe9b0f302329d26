/* Exact money: what is accepted, what is refused and why, and arithmetic. */
#include "kiosk/asset.h"

#include <stdint.h>
#include <string.h>

#include "testutil.h"

static struct asset parse_ok(const char *s)
{
	struct asset a;
	const char *why = "unset";

	assert_int_equal(asset_parse(s, &a, &why), KERR_OK);
	assert_null(why);
	return a;
}

static void test_well_formed_amounts_parse_exactly(void **state)
{
	static const struct {
		const char *text;
		int64_t amount;
		uint8_t precision;
		const char *symbol;
	} cases[] = {
	    {"12.345 STEEM", 12345, 3, "STEEM"},
	    {"0.001 SBD", 1, 3, "SBD"},
	    {"0.000 HIVE", 0, 3, "HIVE"},
	    {"1000000.000 HBD", 1000000000, 3, "HBD"},
	    {"123.456789 VESTS", 123456789, 6, "VESTS"},
	    {"9223372036854775.807 STEEM", INT64_MAX, 3, "STEEM"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct asset a = parse_ok(cases[i].text);
		char back[ASSET_STR_MAX];

		assert_int_equal(a.amount, cases[i].amount);
		assert_int_equal(a.precision, cases[i].precision);
		assert_string_equal(a.symbol, cases[i].symbol);
		assert_int_equal(asset_format(&a, back, sizeof(back)), KERR_OK);
		assert_string_equal(back, cases[i].text);
	}
}

static void test_malformed_amounts_are_refused_with_a_reason(void **state)
{
	static const char *const bad[] = {
	    "1.2345 STEEM",
	    "1,000 SBD",
	    "1,000.000 SBD",
	    "-1.000 STEEM",
	    "1.000 steem",
	    " 1.000 STEEM",
	    "1.000  STEEM",
	    "1.000 STEEM ",
	    ".5 STEEM",
	    "1. STEEM",
	    "1 STEEM",
	    "1.00 STEEM",
	    "",
	    "1.000",
	    "1.000 ",
	    "1.000 FOO",
	    "01.000 STEEM",
	    "+1.000 STEEM",
	    "1.000 STE EM",
	    "1.0e3 STEEM",
	    "1.000\tSTEEM",
	    "1.000 STEEMSTEEM",
	    "1.000000 STEEM",
	    "1.000 VESTS",
	    "9223372036854775.808 STEEM",
	    "99999999999999999999.000 STEEM",
	    "１.000 STEEM",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct asset a;
		const char *why = NULL;

		memset(&a, 0x5a, sizeof(a));
		if (asset_parse(bad[i], &a, &why) == KERR_OK)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(why);
		assert_true(strlen(why) > 5);
		/* Out-param zeroed: a caller that ignores the code sees nothing. */
		assert_int_equal(a.amount, 0);
		assert_int_equal(a.symbol[0], '\0');
	}
}

static void test_reasons_name_the_problem(void **state)
{
	struct asset a;
	const char *why;

	(void)state;
	assert_int_not_equal(asset_parse("-1.000 STEEM", &a, &why), KERR_OK);
	assert_non_null(strstr(why, "negative"));
	assert_int_not_equal(asset_parse("1,000 SBD", &a, &why), KERR_OK);
	assert_non_null(strstr(why, "separator"));
	assert_int_not_equal(asset_parse("1.000 steem", &a, &why), KERR_OK);
	assert_non_null(strstr(why, "upper case"));
	assert_int_not_equal(asset_parse("1.2345 STEEM", &a, &why), KERR_OK);
	assert_non_null(strstr(why, "3 decimals"));
	assert_int_equal(asset_parse("99999999999999999999.000 STEEM", &a, &why), KERR_RANGE);
	assert_non_null(strstr(why, "too large"));
}

static void test_embedded_nul_is_refused(void **state)
{
	static const char text[] = "1.000 STEEM\0 and more";
	struct asset a;
	const char *why;

	(void)state;
	assert_int_equal(asset_parse_n(text, sizeof(text) - 1, &a, &why), KERR_PARSE);
	assert_non_null(strstr(why, "NUL"));
	assert_int_equal(asset_parse_n(text, strlen(text), &a, &why), KERR_OK);
	assert_int_equal(a.amount, 1000);
}

static void test_compare_add_sub_are_exact_and_kind_checked(void **state)
{
	struct asset a = parse_ok("0.100 HIVE"), b = parse_ok("0.200 HIVE");
	struct asset c = parse_ok("0.300 HIVE"), hbd = parse_ok("0.300 HBD"), sum, diff;
	int cmp;

	(void)state;
	/* 0.1 + 0.2 == 0.3 exactly: the classic float trap. */
	assert_int_equal(asset_add(&a, &b, &sum), KERR_OK);
	assert_int_equal(asset_cmp(&sum, &c, &cmp), KERR_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(asset_sub(&a, &c, &diff), KERR_OK);
	assert_int_equal(diff.amount, -200);
	assert_int_equal(asset_cmp(&a, &b, &cmp), KERR_OK);
	assert_int_equal(cmp, -1);
	assert_int_equal(asset_cmp(&hbd, &c, &cmp), KERR_INVAL);
	assert_int_equal(asset_add(&hbd, &c, &sum), KERR_INVAL);
	assert_int_equal(sum.amount, 0);
	assert_false(asset_same_kind(&hbd, &c));
}

static void test_overflow_is_detected(void **state)
{
	struct asset max = parse_ok("9223372036854775.807 STEEM");
	struct asset one = parse_ok("0.001 STEEM"), out;

	(void)state;
	assert_int_equal(asset_add(&max, &one, &out), KERR_OVERFLOW);
	assert_int_equal(out.amount, 0);
	max.amount = INT64_MIN;
	assert_int_equal(asset_sub(&max, &one, &out), KERR_OVERFLOW);
}

static void test_format_handles_negative_and_small_buffers(void **state)
{
	struct asset a = {.amount = -5, .precision = 3, .symbol = "SBD"};
	struct asset min = {.amount = INT64_MIN, .precision = 3, .symbol = "SBD"};
	char buf[ASSET_STR_MAX];

	(void)state;
	assert_int_equal(asset_format(&a, buf, sizeof(buf)), KERR_OK);
	assert_string_equal(buf, "-0.005 SBD");
	assert_int_equal(asset_format(&min, buf, sizeof(buf)), KERR_OK);
	assert_string_equal(buf, "-9223372036854775.808 SBD");
	assert_int_equal(asset_format(&a, buf, 6), KERR_TOO_BIG);
	assert_string_equal(buf, "");
	a.precision = 40;
	assert_int_equal(asset_format(&a, buf, sizeof(buf)), KERR_INVAL);
}

static void test_symbol_precisions(void **state)
{
	(void)state;
	assert_int_equal(asset_symbol_precision("STEEM"), 3);
	assert_int_equal(asset_symbol_precision("HBD"), 3);
	assert_int_equal(asset_symbol_precision("VESTS"), 6);
	assert_int_equal(asset_symbol_precision("steem"), -1);
	assert_int_equal(asset_symbol_precision("BTC"), -1);
}

/* Token amounts ride in struct asset: up to 10-byte symbols, 0..8 decimals,
 * never mistaken for a chain asset, never parsed as one. */
static void test_token_amounts_are_assets_of_their_own_kind(void **state)
{
	struct asset a, b, sum;
	char buf[ASSET_STR_MAX];
	int cmp;

	(void)state;
	assert_int_equal(asset_token("SWAP.HIVE", 8, INT64_MAX, &a), KERR_OK);
	assert_int_equal(asset_format(&a, buf, sizeof(buf)), KERR_OK);
	assert_string_equal(buf, "92233720368.54775807 SWAP.HIVE");
	a.symbol[0] = 'X';
	assert_int_equal(asset_token("SCT", 3, 10000, &a), KERR_OK);
	assert_int_equal(asset_format(&a, buf, sizeof(buf)), KERR_OK);
	assert_string_equal(buf, "10.000 SCT");
	assert_int_equal(asset_token("SCT", 0, 7, &b), KERR_OK);
	assert_int_equal(asset_format(&b, buf, sizeof(buf)), KERR_OK);
	assert_string_equal(buf, "7 SCT");
	/* Same symbol, other precision: another kind, not added. */
	assert_int_equal(asset_add(&a, &b, &sum), KERR_INVAL);
	assert_int_equal(asset_token("SCT", 3, 5, &b), KERR_OK);
	assert_int_equal(asset_add(&a, &b, &sum), KERR_OK);
	assert_int_equal(sum.amount, 10005);
	assert_int_equal(asset_cmp(&a, &b, &cmp), KERR_OK);
	assert_int_equal(cmp, 1);
	/* A chain asset's symbol is refused: the matcher could not tell them apart. */
	assert_int_equal(asset_token("STEEM", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("HBD", 3, 1, &a), KERR_INVAL);
	assert_int_equal(a.symbol[0], '\0');
	assert_int_equal(asset_token("SWAP.HIVEXX", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("sct", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token(".SCT", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("SCT.", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("A.B.C", 3, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("SCT", 9, 1, &a), KERR_INVAL);
	assert_int_equal(asset_token("SCT", 3, -1, &a), KERR_INVAL);
	assert_int_equal(asset_token("", 3, 1, &a), KERR_INVAL);
	/* The chains' text form knows only their own assets. */
	assert_int_equal(asset_parse("10.000 SCT", &a, NULL), KERR_INVAL);
	assert_int_equal(asset_parse("10.000 SWAPHIVEXYZ", &a, NULL), KERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_well_formed_amounts_parse_exactly),
	    cmocka_unit_test(test_malformed_amounts_are_refused_with_a_reason),
	    cmocka_unit_test(test_reasons_name_the_problem),
	    cmocka_unit_test(test_embedded_nul_is_refused),
	    cmocka_unit_test(test_compare_add_sub_are_exact_and_kind_checked),
	    cmocka_unit_test(test_overflow_is_detected),
	    cmocka_unit_test(test_format_handles_negative_and_small_buffers),
	    cmocka_unit_test(test_symbol_precisions),
	    cmocka_unit_test(test_token_amounts_are_assets_of_their_own_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
