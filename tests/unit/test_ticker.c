/*
 * An exchange ticker read as an exact rate: Upbit's shape, prices written
 * plainly or with an exponent read digit for digit (no double in between),
 * and every refusal with its reason.
 */
#include "kiosk/ticker.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* A real reply's members (docs.upbit.com), the price and times as given. */
#define UPBIT(price, ts)                                                                           \
	"[{\"market\":\"KRW-STEEM\",\"trade_date\":\"20231114\",\"trade_time\":\"221320\","        \
	"\"trade_date_kst\":\"20231115\",\"trade_time_kst\":\"071320\",\"trade_timestamp\":" ts    \
	",\"opening_price\":300.0,\"high_price\":315.0,\"low_price\":298.0,\"trade_price\":" price \
	",\"prev_closing_price\":301.0,\"change\":\"RISE\",\"change_price\":11.0,"                 \
	"\"change_rate\":0.0365448505,\"signed_change_price\":11.0,\"signed_change_rate\":"        \
	"0.0365448505,\"trade_volume\":120.5,\"acc_trade_price\":1.2345678901E8,"                  \
	"\"acc_trade_price_24h\":2.3456789012E8,\"acc_trade_volume\":400000.1,"                    \
	"\"acc_trade_volume_24h\":750000.2,\"highest_52_week_price\":700.0,"                       \
	"\"highest_52_week_date\":\"2023-02-01\",\"lowest_52_week_price\":180.0,"                  \
	"\"lowest_52_week_date\":\"2023-06-10\",\"timestamp\":1700000000123}]"

static enum kerr parse(const char *body, struct ticker_quote *q, const char **why)
{
	return ticker_parse(body, strlen(body), "KRW-STEEM", q, why);
}

static void expect_rate(const char *price, const char *want)
{
	char body[2048], got[RATE_TEXT_MAX + 1];
	struct ticker_quote q;
	const char *why = NULL;

	snprintf(body, sizeof(body), UPBIT("%s", "1700000000000"), price);
	assert_int_equal(parse(body, &q, &why), KERR_OK);
	assert_int_equal(rate_format(&q.rate, got, sizeof(got)), KERR_OK);
	assert_string_equal(got, want);
}

static void expect_refused(const char *body, enum kerr want, const char *reason)
{
	struct ticker_quote q;
	const char *why = NULL;

	assert_int_equal(parse(body, &q, &why), want);
	assert_non_null(why);
	assert_non_null(strstr(why, reason));
	assert_int_equal(q.rate.units, 0);
	assert_int_equal(q.at_ms, 0);
}

static void test_upbits_reply_gives_the_rate_and_the_trade_time(void **state)
{
	struct ticker_quote q;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(UPBIT("312.0", "1700000000000"), &q, &why), KERR_OK);
	assert_string_equal(q.market, "KRW-STEEM");
	assert_int_equal(q.rate.units, 312);
	assert_int_equal(q.rate.scale, 0);
	assert_int_equal(q.at_ms, 1700000000000LL);
}

static void test_prices_are_read_exactly_as_written(void **state)
{
	(void)state;
	expect_rate("312.1", "312.1");
	/* 0.1 + 0.2 style values that no double holds exactly. */
	expect_rate("0.30000001", "0.30000001");
	expect_rate("3.12E2", "312");
	expect_rate("1.0E-4", "0.0001");
	expect_rate("1.2E-7", "0.00000012");
	expect_rate("12345678.12345678", "12345678.12345678");
	expect_rate("312.100000000000", "312.1");
	expect_rate("7", "7");
}

static void test_plain_decimal_conversion(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ticker_plain_decimal("1.5e1", 5, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "15");
	assert_int_equal(ticker_plain_decimal("0.00", 4, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "0");
	assert_int_equal(ticker_plain_decimal("-2.50", 5, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "-2.5");
	assert_int_equal(ticker_plain_decimal("12e-3", 5, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "0.012");
	assert_int_equal(ticker_plain_decimal("0.5E+1", 6, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "5");
	assert_int_equal(ticker_plain_decimal("01", 2, out, sizeof(out)), KERR_PARSE);
	assert_int_equal(ticker_plain_decimal("1.", 2, out, sizeof(out)), KERR_PARSE);
	assert_int_equal(ticker_plain_decimal("1e", 2, out, sizeof(out)), KERR_PARSE);
	assert_int_equal(ticker_plain_decimal("1e99", 4, out, sizeof(out)), KERR_TOO_BIG);
	assert_int_equal(ticker_plain_decimal("1e30", 4, out, 8), KERR_TOO_BIG);
	assert_string_equal(out, "");
}

static void test_refusals_say_why(void **state)
{
	char big[TICKER_REPLY_MAX + 2];

	(void)state;
	/* The rounding a double would hide: nine decimals are refused, not cut. */
	expect_refused(UPBIT("312.123456789", "1700000000000"), KERR_PARSE, "more than 8 decimals");
	expect_refused(UPBIT("1.2345E-8", "1700000000000"), KERR_PARSE, "more than 8 decimals");
	expect_refused(UPBIT("0.0", "1700000000000"), KERR_RANGE, "zero");
	expect_refused(UPBIT("-312.0", "1700000000000"), KERR_RANGE, "negative");
	expect_refused(UPBIT("\"312.0\"", "1700000000000"), KERR_PARSE, "numeric trade_price");
	expect_refused(UPBIT("312.0", "1.7E12"), KERR_PARSE, "numeric trade_price");
	expect_refused(UPBIT("312.0", "0"), KERR_RANGE, "1970");
	expect_refused("[{\"market\":\"KRW-SBD\",\"trade_price\":1,\"trade_timestamp\":1}]",
	               KERR_NOTFOUND, "does not list");
	expect_refused("{\"error\":{\"name\":404,\"message\":\"Code not found\"}}", KERR_PROTO,
	               "error");
	expect_refused("[{\"market\":\"KRW-STEEM\",\"trade_price\":1,\"trade_price\":2,"
	               "\"trade_timestamp\":1}]",
	               KERR_PARSE, "repeats a key");
	expect_refused("[{\"market\":\"KRW-STEEM\",\"trade_\\u0070rice\":1,\"trade_timestamp\":1}]",
	               KERR_PARSE, "as written");
	expect_refused("[1,2]", KERR_PARSE, "not an object");
	expect_refused("{\"market\":\"KRW-STEEM\"}", KERR_PARSE, "not an array");
	expect_refused("[{\"market\":", KERR_PARSE, "not JSON");
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_refused(big, KERR_TOO_BIG, "16 KiB");
}

static void test_the_right_market_of_several_is_read(void **state)
{
	struct ticker_quote q;
	const char *why;
	const char *body = "[{\"market\":\"KRW-SBD\",\"x\":{\"trade_price\":9},\"trade_price\":"
	                   "5000.5,\"trade_timestamp\":5},{\"market\":\"KRW-STEEM\",\"note\":[1,"
	                   "{\"trade_price\":8}],\"trade_price\":290.25,\"trade_timestamp\":6}]";

	(void)state;
	assert_int_equal(ticker_parse(body, strlen(body), "KRW-STEEM", &q, &why), KERR_OK);
	assert_int_equal(q.rate.units, 29025);
	assert_int_equal(q.rate.scale, 2);
	assert_int_equal(q.at_ms, 6);
	assert_int_equal(ticker_parse(body, strlen(body), "KRW-SBD", &q, &why), KERR_OK);
	assert_int_equal(q.rate.units, 50005);
	assert_int_equal(q.at_ms, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_upbits_reply_gives_the_rate_and_the_trade_time),
	    cmocka_unit_test(test_prices_are_read_exactly_as_written),
	    cmocka_unit_test(test_plain_decimal_conversion),
	    cmocka_unit_test(test_refusals_say_why),
	    cmocka_unit_test(test_the_right_market_of_several_is_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
