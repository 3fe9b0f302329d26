/* The rate a request is made at: the site's order of sources, staleness, the feed. */
#include "kiosk/rate_pick.h"

#include <string.h>

#include "testutil.h"

#define NOW   1795478400000LL
#define HOUR  3600000LL
#define LIMIT 3600 /* max_age_s */

static struct rate_quote quote(const char *text, int64_t at_ms)
{
	struct rate_quote q = {.present = true, .at_ms = at_ms};

	assert_int_equal(rate_parse(text, &q.rate, NULL), KERR_OK);
	return q;
}

static void test_the_first_usable_source_in_the_site_order_wins(void **state)
{
	struct rate_quotes q = {.staff = quote("312", NOW - 60000),
	                        .ticker = quote("305.5", NOW - 1000)};
	const enum rate_source staff_first[] = {RATE_STAFF, RATE_TICKER},
	                       ticker_first[] = {RATE_TICKER, RATE_STAFF};
	struct rate_choice c;
	char why[RATE_PICK_WHY_MAX];

	(void)state;
	assert_int_equal(rate_pick(&q, staff_first, 2, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
	assert_int_equal(c.source, RATE_STAFF);
	assert_int_equal(c.rate.units, 312);
	assert_int_equal(c.at_ms, NOW - 60000);
	assert_int_equal(rate_pick(&q, ticker_first, 2, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
	assert_int_equal(c.source, RATE_TICKER);
	assert_int_equal(c.rate.units, 3055);
}

static void test_a_stale_source_is_passed_over_for_the_next(void **state)
{
	struct rate_quotes q = {.staff = quote("312", NOW - 2 * HOUR),
	                        .ticker = quote("305", NOW - HOUR)};
	const enum rate_source order[] = {RATE_STAFF, RATE_TICKER};
	struct rate_choice c;
	char why[RATE_PICK_WHY_MAX];

	(void)state;
	/* Exactly max_age old is still usable. */
	assert_int_equal(rate_pick(&q, order, 2, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
	assert_int_equal(c.source, RATE_TICKER);
	/* One millisecond later neither is. */
	assert_int_equal(rate_pick(&q, order, 2, NOW + 1, LIMIT, &c, why, sizeof(why)),
	                 KERR_NOTFOUND);
	assert_int_equal(c.rate.units, 0);
	assert_string_equal(why, "staff: 2 h 0 min old, the limit is 1 h 0 min; "
	                         "ticker: 1 h 0 min old, the limit is 1 h 0 min");
}

static void test_nothing_set_says_none_for_each_source(void **state)
{
	struct rate_quotes q = {0};
	const enum rate_source order[] = {RATE_STAFF, RATE_TICKER, RATE_FEED};
	struct rate_choice c;
	char why[RATE_PICK_WHY_MAX];

	(void)state;
	assert_int_equal(rate_pick(&q, order, 3, NOW, LIMIT, &c, why, sizeof(why)), KERR_NOTFOUND);
	assert_string_equal(why, "staff: none; ticker: none; feed: price feed: none");
	assert_int_equal(rate_pick(&q, order, 0, NOW, LIMIT, &c, why, sizeof(why)), KERR_NOTFOUND);
	assert_string_equal(why, "no rate sources");
}

static void test_a_quote_from_the_future_is_not_believed(void **state)
{
	struct rate_quotes q = {.staff = quote("312", NOW + 10 * 60000)};
	const enum rate_source order[] = {RATE_STAFF};
	struct rate_choice c;
	char why[RATE_PICK_WHY_MAX];

	(void)state;
	assert_int_equal(rate_pick(&q, order, 1, NOW, LIMIT, &c, why, sizeof(why)), KERR_NOTFOUND);
	assert_non_null(strstr(why, "future"));
	/* Within the slack it is. */
	q.staff.at_ms = NOW + RATE_FUTURE_SLACK_MS;
	assert_int_equal(rate_pick(&q, order, 1, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
}

static void test_the_feed_is_dollars_times_won_per_dollar_with_the_older_time(void **state)
{
	struct rate_quotes q = {.feed = quote("0.25", NOW - 30000),
	                        .usd = quote("1450", NOW - 50 * 60000)};
	const enum rate_source order[] = {RATE_FEED};
	struct rate_choice c;
	char why[RATE_PICK_WHY_MAX];
	int64_t amount;

	(void)state;
	assert_int_equal(rate_pick(&q, order, 1, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
	assert_int_equal(c.source, RATE_FEED);
	assert_int_equal(c.rate.units, 3625); /* 362.5 */
	assert_int_equal(c.rate.scale, 1);
	assert_int_equal(c.at_ms, NOW - 50 * 60000);
	/* A stale won-per-dollar spoils the feed. */
	q.usd.at_ms = NOW - 2 * HOUR;
	assert_int_equal(rate_pick(&q, order, 1, NOW, LIMIT, &c, why, sizeof(why)), KERR_NOTFOUND);
	assert_string_equal(why, "feed: won per dollar: 2 h 0 min old, the limit is 1 h 0 min");
	/* A dollar asset needs no feed quote: 1 dollar x 1450. */
	q = (struct rate_quotes){.usd = quote("1450", NOW), .pegged = true};
	assert_int_equal(rate_pick(&q, order, 1, NOW, LIMIT, &c, why, sizeof(why)), KERR_OK);
	assert_int_equal(c.rate.units, 1450);
	assert_int_equal(rate_due(&c.rate, 12000, 3, &amount), KERR_OK);
	assert_int_equal(amount, 8276); /* 8.27586... SBD, rounded up */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_first_usable_source_in_the_site_order_wins),
	    cmocka_unit_test(test_a_stale_source_is_passed_over_for_the_next),
	    cmocka_unit_test(test_nothing_set_says_none_for_each_source),
	    cmocka_unit_test(test_a_quote_from_the_future_is_not_believed),
	    cmocka_unit_test(test_the_feed_is_dollars_times_won_per_dollar_with_the_older_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
