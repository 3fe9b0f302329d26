/*
 * The chain's price feed as dollars per STEEM or HIVE: exact decimals from
 * the median history price, rounded down only when no 8-place decimal is
 * exact, refusals with reasons; and the chain simulator serving it (with a
 * lying node) through the kiosk's HTTP client.
 */
#include "kiosk/price_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simhttp.h"
#include "testutil.h"

#define REPLY(base, quote)                                                                         \
	"{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"base\":\"" base "\",\"quote\":\"" quote "\"}" \
	"}"

static enum kerr parse(enum site_chain chain, const char *body, struct price_feed *f,
                       const char **why)
{
	return price_feed_parse(chain_profile_get(chain), body, strlen(body), 7, f, why);
}

static void expect_usd(enum site_chain chain, const char *body, const char *want, bool exact)
{
	struct price_feed f;
	const char *why = NULL;
	char got[RATE_TEXT_MAX + 1];

	assert_int_equal(parse(chain, body, &f, &why), KERR_OK);
	assert_int_equal(rate_format(&f.usd, got, sizeof(got)), KERR_OK);
	assert_string_equal(got, want);
	assert_int_equal(f.exact, exact);
}

static void expect_refused(enum site_chain chain, const char *body, enum kerr want,
                           const char *reason)
{
	struct price_feed f;
	const char *why = NULL;

	assert_int_equal(parse(chain, body, &f, &why), want);
	assert_non_null(why);
	assert_non_null(strstr(why, reason));
	assert_int_equal(f.usd.units, 0);
}

static void test_dollars_per_unit_exactly(void **state)
{
	(void)state;
	expect_usd(SITE_CHAIN_STEEM, REPLY("0.250 SBD", "1.000 STEEM"), "0.25", true);
	expect_usd(SITE_CHAIN_HIVE, REPLY("0.303 HBD", "1.000 HIVE"), "0.303", true);
	expect_usd(SITE_CHAIN_HIVE, REPLY("1.000 HBD", "4.000 HIVE"), "0.25", true);
	expect_usd(SITE_CHAIN_STEEM, REPLY("12.345 SBD", "1.000 STEEM"), "12.345", true);
	expect_usd(SITE_CHAIN_STEEM, REPLY("0.001 SBD", "128.000 STEEM"), "0.00000781", false);
	/* 1/3: no exact decimal; rounded down, never up. */
	expect_usd(SITE_CHAIN_STEEM, REPLY("1.000 SBD", "3.000 STEEM"), "0.33333333", false);
	expect_usd(SITE_CHAIN_STEEM, REPLY("2.000 SBD", "3.000 STEEM"), "0.66666666", false);
}

static void test_refusals_say_why(void **state)
{
	(void)state;
	expect_refused(SITE_CHAIN_STEEM, REPLY("0.250 HBD", "1.000 STEEM"), KERR_INVAL,
	               "dollar asset");
	expect_refused(SITE_CHAIN_HIVE, REPLY("0.250 HBD", "1.000 STEEM"), KERR_INVAL,
	               "liquid asset");
	expect_refused(SITE_CHAIN_STEEM, REPLY("1.000 STEEM", "0.250 SBD"), KERR_INVAL,
	               "dollar asset");
	expect_refused(SITE_CHAIN_STEEM, REPLY("0.25 SBD", "1.000 STEEM"), KERR_INVAL, "precision");
	expect_refused(SITE_CHAIN_STEEM, REPLY("0.000 SBD", "1.000 STEEM"), KERR_RANGE, "zero");
	expect_refused(SITE_CHAIN_STEEM, REPLY("0.250 SBD", "0.000 STEEM"), KERR_RANGE, "zero");
	expect_refused(SITE_CHAIN_STEEM, REPLY("0.001 SBD", "900000000.000 STEEM"), KERR_RANGE,
	               "beyond");
	expect_refused(SITE_CHAIN_STEEM,
	               "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{\"base\":\"0.250 SBD\","
	               "\"quote\":\"1.000 STEEM\"}}",
	               KERR_PROTO, "another id");
	expect_refused(
	    SITE_CHAIN_STEEM,
	    "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32000,\"message\":\"x\"}}",
	    KERR_PROTO, "error");
	expect_refused(SITE_CHAIN_STEEM,
	               "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"base\":{\"amount\":\"250\","
	               "\"precision\":3,\"nai\":\"@@000000013\"},\"quote\":\"1.000 STEEM\"}}",
	               KERR_PARSE, "asset strings");
	expect_refused(SITE_CHAIN_STEEM, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}",
	               KERR_PARSE, "no result");
	expect_refused(SITE_CHAIN_STEEM, "{\"id\":7,\"id\":7}", KERR_PARSE, "repeats a key");
	expect_refused(SITE_CHAIN_STEEM, "[", KERR_PARSE, "not a JSON object");
}

static void test_ratio_bounds(void **state)
{
	struct rate r;
	bool exact;

	(void)state;
	assert_int_equal(price_feed_ratio(0, 1, &r, &exact), KERR_INVAL);
	assert_int_equal(price_feed_ratio(1, -1, &r, &exact), KERR_INVAL);
	assert_int_equal(price_feed_ratio(1, 1000000000000LL, &r, &exact), KERR_RANGE);
	assert_int_equal(price_feed_ratio(INT64_MAX, 1, &r, &exact), KERR_RANGE);
	assert_int_equal(price_feed_ratio(INT64_MAX, INT64_MAX, &r, &exact), KERR_OK);
	assert_int_equal(r.units, 1);
	assert_true(exact);
}

/* The simulator's feed, through the kiosk's client, read by the parser. */
static void fetch(struct simhttp *h, enum site_chain chain, struct price_feed *f, enum kerr want)
{
	struct simhttp_reply r = {0};
	const char *why = NULL;

	simhttp_post(h, NULL,
	             "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"condenser_api.get_current_median_"
	             "history_price\",\"params\":[]}",
	             NULL, PRICE_FEED_REPLY_MAX, &r);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(price_feed_parse(chain_profile_get(chain), r.body, r.len, 7, f, &why),
	                 want);
	simhttp_reply_free(&r);
}

static void test_the_chain_simulator_serves_a_settable_feed(void **state)
{
	struct simhttp h;
	struct price_feed f;

	(void)state;
	assert_int_equal(simhttp_start(&h, SITE_CHAIN_HIVE), 0);
	fetch(&h, SITE_CHAIN_HIVE, &f, KERR_OK);
	assert_int_equal(f.usd.units, 25);
	assert_int_equal(f.usd.scale, 2);
	chainsim_price_feed(h.sim, "0.312 HBD", "1.000 HIVE");
	fetch(&h, SITE_CHAIN_HIVE, &f, KERR_OK);
	assert_int_equal(f.usd.units, 312);
	assert_int_equal(f.usd.scale, 3);
	chainsim_fault(h.sim, CHAINSIM_LIE, true);
	fetch(&h, SITE_CHAIN_HIVE, &f, KERR_OK);
	assert_int_equal(f.usd.units, 313);
	chainsim_fault(h.sim, CHAINSIM_LIE, false);
	chainsim_price_feed(h.sim, "0.312 SBD", "1.000 STEEM");
	fetch(&h, SITE_CHAIN_HIVE, &f, KERR_INVAL);
	simhttp_stop(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dollars_per_unit_exactly),
	    cmocka_unit_test(test_refusals_say_why),
	    cmocka_unit_test(test_ratio_bounds),
	    cmocka_unit_test(test_the_chain_simulator_serves_a_settable_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
