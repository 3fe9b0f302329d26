/* Calendar arithmetic and the one UTC time parser the chain, the order files and reports use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/civil.h"

static void days_known_dates(void **state)
{
	(void)state;
	assert_int_equal(civil_days(1970, 1, 1), 0);
	assert_int_equal(civil_days(1969, 12, 31), -1);
	assert_int_equal(civil_days(2000, 3, 1), 11017);
	/* Steem's genesis block, 2016-03-24. */
	assert_int_equal(civil_days(2016, 3, 24), 16884);
	assert_int_equal(civil_days(2026, 12, 4), 20791);
}

static int64_t parse(const char *s)
{
	int64_t t = -42;

	return civil_parse_utc(s, strlen(s), &t) ? t : INT64_MIN;
}

static void parse_chain_and_order_forms(void **state)
{
	(void)state;
	/* The time of a real Steem block in the fixtures' shape, with and without Z. */
	assert_int_equal(parse("2019-09-27T22:59:06"), 1569625146);
	assert_int_equal(parse("2019-09-27T22:59:06Z"), 1569625146);
	assert_int_equal(parse("1970-01-01T00:00:00"), 0);
	assert_int_equal(parse("2024-02-29T23:59:59"), 1709251199);
}

static void parse_refuses_what_is_not_a_time(void **state)
{
	(void)state;
	assert_int_equal(parse("2023-02-29T00:00:00"), INT64_MIN); /* not a leap year */
	assert_int_equal(parse("1900-02-29T00:00:00"), INT64_MIN);
	assert_int_equal(parse("2026-04-31T00:00:00"), INT64_MIN);
	assert_int_equal(parse("2026-12-04T24:00:00"), INT64_MIN);
	assert_int_equal(parse("2026-12-04T23:60:00"), INT64_MIN);
	assert_int_equal(parse("2026-13-04T00:00:00"), INT64_MIN);
	assert_int_equal(parse("2026-12-04 00:00:00"), INT64_MIN);
	assert_int_equal(parse("2026-12-04T00:00:00+09"), INT64_MIN);
	assert_int_equal(parse("2026-12-04T00:00:0"), INT64_MIN);
	assert_int_equal(parse("2026-12-04T00:00:00ZZ"), INT64_MIN);
	assert_int_equal(parse("+026-12-04T00:00:00"), INT64_MIN);
	assert_int_equal(parse(""), INT64_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(days_known_dates),
	    cmocka_unit_test(parse_chain_and_order_forms),
	    cmocka_unit_test(parse_refuses_what_is_not_a_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
