/* Won prices at a locked rate: parsing, rounding up, tolerance and overflow,
 * against values worked out by hand. */
#include "kiosk/rate.h"

#include <stdint.h>
#include <string.h>

#include "kiosk/compiler.h"
#include "testutil.h"

static struct rate rate_or_fail(const char *text)
{
	struct rate r;
	const char *why = "unset";

	assert_int_equal(rate_parse(text, &r, &why), KERR_OK);
	assert_null(why);
	return r;
}

static int64_t due_or_fail(const char *rate_text, int64_t krw, uint8_t precision)
{
	struct rate r = rate_or_fail(rate_text);
	int64_t amount = -1;

	assert_int_equal(rate_due(&r, krw, precision, &amount), KERR_OK);
	return amount;
}

static void test_rates_parse_as_exact_decimals(void **state)
{
	static const struct {
		const char *text;
		uint64_t units;
		uint8_t scale;
		const char *formatted;
	} cases[] = {
	    {"312", 312, 0, "312"},
	    {"312.5", 3125, 1, "312.5"},
	    {"312.50", 31250, 2, "312.5"},
	    {"0.0125", 125, 4, "0.0125"},
	    {"0.00000001", 1, 8, "0.00000001"},
	    {"1", 1, 0, "1"},
	    {"100000000000000000", 100000000000000000ULL, 0, "100000000000000000"},
	    {"1000000000.00000000", 100000000000000000ULL, 8, "1000000000"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rate r = rate_or_fail(cases[i].text);
		char back[RATE_TEXT_MAX + 1];

		assert_int_equal(r.units, cases[i].units);
		assert_int_equal(r.scale, cases[i].scale);
		assert_int_equal(rate_format(&r, back, sizeof(back)), KERR_OK);
		assert_string_equal(back, cases[i].formatted);
	}
}

static void test_bad_rates_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *text;
		enum kerr err;
		const char *why;
	} cases[] = {
	    {"", KERR_PARSE, "empty rate"},
	    {"-312", KERR_PARSE, "negative rate"},
	    {"+312", KERR_PARSE, "rate must start with a digit"},
	    {" 312", KERR_PARSE, "rate must start with a digit"},
	    {".5", KERR_PARSE, "rate must start with a digit"},
	    {"312.", KERR_PARSE, "no decimals after '.'"},
	    {"0312", KERR_PARSE, "leading zero in the rate"},
	    {"1.123456789", KERR_PARSE, "rate has more than 8 decimals"},
	    {"1,000", KERR_PARSE, "no thousands separators in a rate"},
	    {"312 ", KERR_PARSE, "rate has a character other than digits and one '.'"},
	    {"3e2", KERR_PARSE, "rate has a character other than digits and one '.'"},
	    {"1.2.3", KERR_PARSE, "rate has a character other than digits and one '.'"},
	    {"312KRW", KERR_PARSE, "rate has a character other than digits and one '.'"},
	    {"0", KERR_RANGE, "rate is zero"},
	    {"0.00000000", KERR_RANGE, "rate is zero"},
	    {"100000000000000001", KERR_RANGE, "rate too large"},
	    {"18446744073709551617", KERR_RANGE, "rate too large"},
	    {"1000000000000000000000000000000000", KERR_PARSE, "rate text too long"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rate r = {.units = 7, .scale = 1};
		const char *why = NULL;

		assert_int_equal(rate_parse(cases[i].text, &r, &why), cases[i].err);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(r.units, 0);
		assert_int_equal(r.scale, 0);
	}
}

static void test_due_rounds_up_to_the_smallest_unit(void **state)
{
	(void)state;
	/* 10000 / 312 = 32.05128…: 32.052 at 3 decimals, never 32.051. */
	assert_int_equal(due_or_fail("312", 10000, 3), 32052);
	/* 10000 / 312.5 = 32 exactly: no rounding. */
	assert_int_equal(due_or_fail("312.5", 10000, 3), 32000);
	assert_int_equal(due_or_fail("312.50", 10000, 3), 32000);
	/* 2500 / 1000 = 2.5 on a token with no decimals: 3. */
	assert_int_equal(due_or_fail("1000", 2500, 0), 3);
	/* 1 / 3 = 0.333…: 0.334. */
	assert_int_equal(due_or_fail("3", 1, 3), 334);
	assert_int_equal(due_or_fail("250", 1000, 3), 4000);
	/* A rate below one won: 1 / 0.00000125 = 800000 units, 8 decimals. */
	assert_int_equal(due_or_fail("0.00000125", 1, 8), 80000000000000);
	/* The smallest result: less than one smallest unit is still one. */
	assert_int_equal(due_or_fail("100000000000000000", 1, 0), 1);
	assert_int_equal(due_or_fail("1", INT64_MAX, 0), INT64_MAX);
}

static void test_due_overflow_is_refused_not_wrapped(void **state)
{
	struct rate one = rate_or_fail("1"), r07 = rate_or_fail("0.7");
	int64_t amount = -1;

	(void)state;
	/* 92233720368 * 10^8 fits in int64; one more won does not. */
	assert_int_equal(rate_due(&one, 92233720368, 8, &amount), KERR_OK);
	assert_int_equal(amount, 9223372036800000000);
	assert_int_equal(rate_due(&one, 92233720369, 8, &amount), KERR_OVERFLOW);
	assert_int_equal(amount, 0);
	/* 6456360425798343065 / 0.7 = INT64_MAX + 1/7: the quotient fits, the
	 * rounding up does not. One won less rounds up to INT64_MAX - 1. */
	assert_int_equal(rate_due(&r07, 6456360425798343064, 0, &amount), KERR_OK);
	assert_int_equal(amount, INT64_MAX - 1);
	assert_int_equal(rate_due(&r07, 6456360425798343065, 0, &amount), KERR_OVERFLOW);
	assert_int_equal(amount, 0);
	assert_int_equal(rate_due(&one, INT64_MAX, 12, &amount), KERR_OVERFLOW);
}

static void test_due_refuses_bad_arguments(void **state)
{
	struct rate r = rate_or_fail("312"), zero = {.units = 0, .scale = 0};
	struct rate deep = {.units = 1, .scale = RATE_DECIMALS_MAX + 1};
	int64_t amount = -1;

	(void)state;
	assert_int_equal(rate_due(&r, 0, 3, &amount), KERR_INVAL);
	assert_int_equal(rate_due(&r, -1000, 3, &amount), KERR_INVAL);
	assert_int_equal(rate_due(&r, 1000, RATE_PRECISION_MAX + 1, &amount), KERR_INVAL);
	assert_int_equal(rate_due(&zero, 1000, 3, &amount), KERR_INVAL);
	assert_int_equal(rate_due(&deep, 1000, 3, &amount), KERR_INVAL);
	assert_int_equal(amount, 0);
}

static void test_tolerance_counts_a_small_shortfall_as_paid(void **state)
{
	static const struct {
		int64_t due, got;
		unsigned bp;
		bool paid;
		int64_t remaining;
	} cases[] = {
	    /* 0.5 % of 32.052 is 0.16026: 0.160 forgiven, so 31.892 is paid. */
	    {32052, 31892, 50, true, 0},
	    {32052, 31891, 50, false, 161},
	    /* Exact and over: paid, nothing left. */
	    {32052, 32052, 0, true, 0},
	    {32052, 40000, 0, true, 0},
	    /* No tolerance: one unit short is short by one. */
	    {32052, 32051, 0, false, 1},
	    /* An allowance below one unit forgives nothing: 0.5 % of 0.100 is 0.0005. */
	    {100, 99, 50, false, 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool paid = !cases[i].paid;
		int64_t remaining = -1;

		assert_int_equal(
		    rate_check_paid(cases[i].due, cases[i].got, cases[i].bp, &paid, &remaining),
		    KERR_OK);
		assert_int_equal(paid, cases[i].paid);
		assert_int_equal(remaining, cases[i].remaining);
	}
}

static void test_tolerance_has_no_overflow_at_the_limits(void **state)
{
	bool paid = true;
	int64_t remaining = -1;

	(void)state;
	assert_int_equal(rate_check_paid(INT64_MAX, 0, RATE_BP_MAX, &paid, &remaining), KERR_OK);
	assert_true(paid);
	/* floor(INT64_MAX * 9999 / 10000) forgiven: 922337203685478 is the least paid. */
	assert_int_equal(rate_check_paid(INT64_MAX, 922337203685477, 9999, &paid, &remaining),
	                 KERR_OK);
	assert_false(paid);
	assert_int_equal(remaining, INT64_MAX - 922337203685477);
	assert_int_equal(rate_check_paid(INT64_MAX, 922337203685478, 9999, &paid, &remaining),
	                 KERR_OK);
	assert_true(paid);
	assert_int_equal(rate_check_paid(INT64_MAX, INT64_MAX, 50, &paid, &remaining), KERR_OK);
	assert_true(paid);
}

static void test_tolerance_refuses_bad_arguments(void **state)
{
	bool paid = true;
	int64_t remaining = -1;

	(void)state;
	assert_int_equal(rate_check_paid(100, 100, RATE_BP_MAX + 1, &paid, &remaining), KERR_RANGE);
	assert_false(paid);
	assert_int_equal(remaining, 0);
	assert_int_equal(rate_check_paid(-1, 0, 50, &paid, &remaining), KERR_INVAL);
	assert_int_equal(rate_check_paid(100, -1, 50, &paid, &remaining), KERR_INVAL);
	assert_false(paid);
}

static void test_format_refuses_a_small_buffer(void **state)
{
	struct rate r = rate_or_fail("312.5");
	char buf[5] = "xxxx";

	(void)state;
	assert_int_equal(rate_format(&r, buf, sizeof(buf)), KERR_TOO_BIG);
	assert_string_equal(buf, "");
}

static void test_feed_times_won_per_dollar_is_exact_or_rounds_down(void **state)
{
	struct rate a = rate_or_fail("0.2134"), b = rate_or_fail("1450.5"), out;
	char text[RATE_TEXT_MAX + 1];
	int64_t amount;

	(void)state;
	/* 0.2134 USD x 1450.5 KRW/USD = 309.53670 KRW: exact, shortest form. */
	assert_int_equal(rate_mul(&a, &b, &out), KERR_OK);
	assert_int_equal(rate_format(&out, text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "309.5367");
	/* 12000 KRW at 309.5367 = 38.76705... STEEM, rounded up to 38.768. */
	assert_int_equal(rate_due(&out, 12000, 3, &amount), KERR_OK);
	assert_int_equal(amount, 38768);
	/* 1 USD (a dollar asset's feed) x 1450 is 1450. */
	a = rate_or_fail("1");
	b = rate_or_fail("1450");
	assert_int_equal(rate_mul(&a, &b, &out), KERR_OK);
	assert_int_equal(out.units, 1450);
	assert_int_equal(out.scale, 0);
	/* 16 decimals cut to 8, down: 0.12345678 x 1.99999999 = 0.2469135587654322. */
	a = rate_or_fail("0.12345678");
	b = rate_or_fail("1.99999999");
	assert_int_equal(rate_mul(&a, &b, &out), KERR_OK);
	assert_int_equal(rate_format(&out, text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "0.24691355");
}

static void test_feed_product_out_of_range_is_refused(void **state)
{
	struct rate big = rate_or_fail("100000000000000000"), tiny = rate_or_fail("0.00000001"),
	            out = {.units = 7, .scale = 1}, zero = {0};

	(void)state;
	assert_int_equal(rate_mul(&big, &big, &out), KERR_OVERFLOW);
	assert_int_equal(out.units, 0);
	assert_int_equal(rate_mul(&tiny, &tiny, &out), KERR_RANGE);
	assert_int_equal(rate_mul(&zero, &tiny, &out), KERR_INVAL);
	/* 10^17 x 10 overflows the rate's bound with no decimals to drop. */
	tiny = rate_or_fail("10");
	assert_int_equal(rate_mul(&big, &tiny, &out), KERR_RANGE);
}

static void test_source_names_round_trip(void **state)
{
	enum rate_source s;

	(void)state;
	for (unsigned i = 0; i < RATE_SOURCE_COUNT; i++) {
		assert_true(rate_source_by_name(rate_source_name((enum rate_source)i), &s));
		assert_int_equal(s, i);
	}
	assert_string_equal(rate_source_name(RATE_FEED), "feed");
	assert_false(rate_source_by_name("guess", &s));
	assert_string_equal(rate_source_name(RATE_SOURCE_COUNT), "?");
}

static void test_an_amount_in_won_rounds_down(void **state)
{
	struct rate r = rate_or_fail("312"), frac = rate_or_fail("309.5367");
	int64_t krw = -1;

	(void)state;
	/* 38.462 STEEM x 312 = 12000.144 won: 12000. */
	assert_int_equal(rate_value(&r, 38462, 3, &krw), KERR_OK);
	assert_int_equal(krw, 12000);
	/* 38.347 x 312 = 11964.264: 11964. */
	assert_int_equal(rate_value(&r, 38347, 3, &krw), KERR_OK);
	assert_int_equal(krw, 11964);
	/* 38.768 x 309.5367 = 12000.118...: 12000. */
	assert_int_equal(rate_value(&frac, 38768, 3, &krw), KERR_OK);
	assert_int_equal(krw, 12000);
	/* 12 decimals and 8 more in the rate: a divisor of 10^20, taken in two steps. */
	frac = rate_or_fail("0.00000001");
	assert_int_equal(rate_value(&frac, INT64_MAX, 12, &krw), KERR_OK);
	assert_int_equal(krw, 0);
	assert_int_equal(rate_value(&r, 0, 3, &krw), KERR_OK);
	assert_int_equal(krw, 0);
	assert_int_equal(rate_value(&r, -1, 3, &krw), KERR_INVAL);
	r = rate_or_fail("100000000000000000");
	assert_int_equal(rate_value(&r, 1000, 3, &krw), KERR_OVERFLOW);
	assert_int_equal(krw, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rates_parse_as_exact_decimals),
	    cmocka_unit_test(test_bad_rates_are_refused_with_a_reason),
	    cmocka_unit_test(test_due_rounds_up_to_the_smallest_unit),
	    cmocka_unit_test(test_due_overflow_is_refused_not_wrapped),
	    cmocka_unit_test(test_due_refuses_bad_arguments),
	    cmocka_unit_test(test_tolerance_counts_a_small_shortfall_as_paid),
	    cmocka_unit_test(test_tolerance_has_no_overflow_at_the_limits),
	    cmocka_unit_test(test_tolerance_refuses_bad_arguments),
	    cmocka_unit_test(test_format_refuses_a_small_buffer),
	    cmocka_unit_test(test_feed_times_won_per_dollar_is_exact_or_rounds_down),
	    cmocka_unit_test(test_feed_product_out_of_range_is_refused),
	    cmocka_unit_test(test_source_names_round_trip),
	    cmocka_unit_test(test_an_amount_in_won_rounds_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
