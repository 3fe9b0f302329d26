/* One time zone for every time a person reads (timefmt.h). */
#include "kiosk/timefmt.h"

#include <string.h>

#include "testutil.h"

/* 2026-12-04T12:45:07Z */
#define T0 1796388307000LL

static void test_seoul_and_utc(void **state)
{
	char b[TIMEFMT_MAX];

	(void)state;
	assert_int_equal(timefmt_use_zone("Asia/Seoul"), KERR_OK);
	timefmt_minutes(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04 21:45 KST");
	timefmt_seconds(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04 21:45:07 KST");
	timefmt_iso(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04T21:45:07+09:00");
	assert_int_equal(timefmt_use_zone(""), KERR_OK);
	timefmt_minutes(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04 12:45 UTC");
	timefmt_iso(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04T12:45:07Z");
	assert_int_equal(timefmt_use_zone("America/New_York"), KERR_OK);
	timefmt_iso(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04T07:45:07-05:00");
	timefmt_minutes(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-04 07:45 EST");
}

static void test_days_are_local(void **state)
{
	int64_t from, to;

	(void)state;
	assert_int_equal(timefmt_use_zone("Asia/Seoul"), KERR_OK);
	assert_true(timefmt_day("2026-12-04", &from, &to));
	assert_int_equal(from, 1796310000000LL); /* 2026-12-03T15:00Z */
	assert_int_equal(to - from, 86400000LL);
	assert_int_equal(timefmt_use_zone("UTC"), KERR_OK);
	assert_true(timefmt_day("2026-12-04", &from, &to));
	assert_int_equal(from, 1796342400000LL);
	/* A DST day is 23 hours long. */
	assert_int_equal(timefmt_use_zone("Europe/Berlin"), KERR_OK);
	assert_true(timefmt_day("2026-03-29", &from, &to));
	assert_int_equal(to - from, 23 * 3600000LL);
	assert_false(timefmt_day("2026-02-30", &from, &to));
	assert_false(timefmt_day("2026-13-01", &from, &to));
	assert_false(timefmt_day("04-12-2026", &from, &to));
	assert_false(timefmt_day("2026-12-04x", &from, &to));
}

static void test_zone_names_are_checked(void **state)
{
	(void)state;
	assert_true(timefmt_zone_valid("UTC"));
	assert_true(timefmt_zone_valid("Asia/Seoul"));
	assert_false(timefmt_zone_valid(""));
	assert_false(timefmt_zone_valid("Asia/Atlantis"));
	assert_false(timefmt_zone_valid("../../etc/passwd"));
	assert_false(timefmt_zone_valid("/usr/share/zoneinfo/UTC"));
	assert_false(timefmt_zone_valid("Asia")); /* a directory */
	assert_int_equal(timefmt_use_zone("Mars/Olympus"), KERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seoul_and_utc),
	    cmocka_unit_test(test_days_are_local),
	    cmocka_unit_test(test_zone_names_are_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
