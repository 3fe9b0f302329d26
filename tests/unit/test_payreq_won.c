/*
 * Won-priced orders' payment requests (payreq.c, staff_actions.c): the rate
 * chosen in the site's order, the amount rounded up and locked with the
 * request, reused while it stands, and no request at all without a rate.
 */
#include "kiosk/payreq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/receipt.h"
#include "kiosk/staff_actions.h"
#include "kiosk/store_rates.h"
#include "kiosk/uri.h"
#include "storefx.h"
#include "testutil.h"

#define T0 STOREFX_T0

struct fx {
	struct storefx s;
	struct site site;
	struct rng_fake rng;
	struct staff_result r;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	storefx_init(&f->s, true);
	f->site.chain = SITE_CHAIN_STEEM;
	snprintf(f->site.account, sizeof(f->site.account), "coop");
	f->site.uri_style = SITE_URI_CHAIN;
	f->site.request_ttl_s = 600;
	f->site.rate_source_count = 2;
	f->site.rate_sources[0] = RATE_STAFF;
	f->site.rate_sources[1] = RATE_FEED;
	f->site.rate_max_age_s = 3600;
	f->site.rate_lock_s = 900;
	f->site.rate_tolerance_bp = 50;
	rng_fake_init(&f->rng, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	storefx_fini(&f->s);
	free(f);
	return 0;
}

static struct staff_ctx ctx(struct fx *f, int64_t now_ms)
{
	return (struct staff_ctx){.store = f->s.s,
	                          .site = &f->site,
	                          .rng = &f->rng.base,
	                          .now_ms = now_ms,
	                          .actor = "(test)"};
}

static void add_won_order(struct fx *f, const char *id, int64_t krw)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.item_count = 1;
	strcpy(o.items[0].name, "쌀");
	o.items[0].quantity = 1;
	o.items[0].unit_price = (struct asset){.amount = krw, .precision = 0, .symbol = "KRW"};
	o.price = o.items[0].unit_price;
	o.compartment = 1;
	assert_int_equal(store_order_insert(f->s.s, &o), KERR_OK);
}

static void set_rate(struct fx *f, const char *symbol, const char *source, const char *text,
                     int64_t at_ms)
{
	struct rate r;

	assert_int_equal(rate_parse(text, &r, NULL), KERR_OK);
	assert_int_equal(store_rate_set(f->s.s, symbol, source, &r, at_ms, "jiwoo"), KERR_OK);
}

static void test_12000_won_at_312_asks_38_462_steem_locked(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);
	struct store_rate_lock lock;
	struct order o;
	char *json = NULL;

	add_won_order(f, "W1", 12000);
	set_rate(f, "STEEM", "staff", "312", T0 - 60000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	/* 12000 / 312 = 38.4615..., rounded up to the milli-STEEM. */
	assert_int_equal(f->r.asked.amount, 38462);
	assert_string_equal(f->r.asked.symbol, "STEEM");
	assert_int_equal(f->r.order.state, ORDER_AWAITING_PAYMENT);
	/* It lives the rate lock (900 s), not the request ttl given. */
	assert_int_equal(f->r.expires_ms, T0 + 900000);
	assert_int_equal(f->r.lock.krw, 12000);
	assert_int_equal(f->r.lock.rate.units, 312);
	assert_string_equal(f->r.lock.source, "staff");
	assert_int_equal(f->r.lock.rate_ms, T0 - 60000);
	assert_int_equal(f->r.lock.tolerance_bp, 50);
	assert_int_equal(uri_decode(f->r.uri, &json), KERR_OK);
	if (!strstr(json, "38.462 STEEM") || !strstr(json, f->r.memo))
		fail_msg("the QR holds %s", json);
	free(json);
	/* The journal's order: paid against the locked amount, its won price kept. */
	assert_int_equal(store_order_get(f->s.s, "W1", &o), KERR_OK);
	assert_int_equal(o.price.amount, 38462);
	assert_string_equal(o.price.symbol, "STEEM");
	assert_int_equal(o.won.amount, 12000);
	assert_string_equal(o.won.symbol, "KRW");
	assert_int_equal(store_rate_lock_get(f->s.s, o.memo, &lock), KERR_OK);
	assert_int_equal(lock.until_ms, T0 + 900000);
}

static void test_a_standing_request_keeps_its_rate_when_staff_change_it(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);
	char memo[ORDER_MEMO_MAX + 1];

	add_won_order(f, "W1", 12000);
	set_rate(f, "STEEM", "staff", "312", T0);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	snprintf(memo, sizeof(memo), "%s", f->r.memo);
	set_rate(f, "STEEM", "staff", "400", T0 + 1000);
	/* Ten minutes on, the journal reopened (a restart): the same request and amount. */
	store_close(f->s.s);
	assert_int_equal(store_open(f->s.path, &f->s.clk.base, &f->s.s), KERR_OK);
	c = ctx(f, T0 + 600000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	assert_string_equal(f->r.memo, memo);
	assert_int_equal(f->r.asked.amount, 38462);
	assert_int_equal(f->r.lock.rate.units, 312);
	/* Once it ran out, a new request takes the rate of now: 12000 / 400 = 30.000. */
	c = ctx(f, T0 + 900000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	assert_string_not_equal(f->r.memo, memo);
	assert_int_equal(f->r.asked.amount, 30000);
	assert_int_equal(f->r.lock.rate.units, 400);
}

static void test_no_usable_rate_makes_no_request_and_says_why(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);
	struct store_request req;

	add_won_order(f, "W1", 12000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_NO_RATE);
	assert_string_equal(f->r.why, "staff: none; feed: price feed: none");
	/* A staff rate older than max_age is no better. */
	set_rate(f, "STEEM", "staff", "312", T0 - 3600001);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_NO_RATE);
	assert_non_null(strstr(f->r.why, "staff: 1 h 0 min old, the limit is 1 h 0 min"));
	assert_int_equal(store_request_of_order(f->s.s, "W1", &req), KERR_NOTFOUND);
}

static void test_the_feed_comes_next_in_the_site_order(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);

	add_won_order(f, "W1", 12000);
	set_rate(f, "STEEM", "staff", "312", T0 - 7200000); /* stale */
	set_rate(f, "STEEM", "feed", "0.25", T0 - 60000);   /* dollars per STEEM */
	set_rate(f, "USD", "staff", "1450", T0 - 120000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	/* 0.25 x 1450 = 362.5 won per STEEM; 12000 / 362.5 = 33.1034... -> 33.104. */
	assert_string_equal(f->r.lock.source, "feed");
	assert_int_equal(f->r.lock.rate.units, 3625);
	assert_int_equal(f->r.lock.rate_ms, T0 - 120000);
	assert_int_equal(f->r.asked.amount, 33104);
}

/* The sidechain's precisions as the kiosk's cache knows them: SCT 3, PAL 2, BEE not yet. */
static int fake_precision(void *ctx, const char *symbol)
{
	(void)ctx;
	return strcmp(symbol, "SCT") == 0 ? 3 : strcmp(symbol, "PAL") == 0 ? 2 : -1;
}

/*
 * Every asset with a usable rate is offered and locked with the request:
 * the dollar asset, each token at its own precision; a token whose
 * precision is not known, or an asset with no rate, is left out.
 */
static void test_every_asset_with_a_rate_is_offered_and_locked(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);
	struct store_rate_offer offers[STORE_RATE_OFFERS_MAX];
	size_t n = 0;

	f->site.token_count = 3;
	strcpy(f->site.tokens[0], "SCT");
	strcpy(f->site.tokens[1], "BEE");
	strcpy(f->site.tokens[2], "PAL");
	c.token_precision = fake_precision;
	add_won_order(f, "W1", 12000);
	set_rate(f, "STEEM", "staff", "312", T0 - 60000);
	set_rate(f, "SBD", "staff", "1450", T0 - 50000);
	set_rate(f, "SCT", "staff", "150", T0 - 40000);
	set_rate(f, "BEE", "staff", "10", T0 - 30000); /* precision unknown: not offered */
	/* PAL: no rate, not offered. */
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	assert_int_equal(f->r.asked.amount, 38462);
	assert_int_equal(
	    store_rate_offer_list(f->s.s, f->r.memo, offers, STORE_RATE_OFFERS_MAX, &n), KERR_OK);
	assert_int_equal(n, 3);
	/* The asset asked for first, the same amount as the request. */
	assert_string_equal(offers[0].amount.symbol, "STEEM");
	assert_int_equal(offers[0].amount.amount, 38462);
	/* 12000 / 1450 = 8.27586... -> 8.276 SBD. */
	assert_string_equal(offers[1].amount.symbol, "SBD");
	assert_int_equal(offers[1].amount.amount, 8276);
	assert_int_equal(offers[1].rate.units, 1450);
	assert_int_equal(offers[1].rate_ms, T0 - 50000);
	/* 12000 / 150 = 80 SCT at the token's 3 decimals. */
	assert_string_equal(offers[2].amount.symbol, "SCT");
	assert_int_equal(offers[2].amount.precision, 3);
	assert_int_equal(offers[2].amount.amount, 80000);
	assert_string_equal(offers[2].source, "staff");
	/* kioskctl knows no precision: the same order's next request offers no token. */
	store_close(f->s.s);
	assert_int_equal(store_open(f->s.path, &f->s.clk.base, &f->s.s), KERR_OK);
	c = ctx(f, T0 + 900000);
	set_rate(f, "STEEM", "staff", "312", T0 + 900000);
	set_rate(f, "SBD", "staff", "1450", T0 + 900000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	assert_int_equal(
	    store_rate_offer_list(f->s.s, f->r.memo, offers, STORE_RATE_OFFERS_MAX, &n), KERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(offers[1].amount.symbol, "SBD");
}

/* The receipt of a won price paid in SBD names SBD, the amount and SBD's locked rate. */
static void test_the_receipt_names_the_asset_paid_and_its_rate(void **state)
{
	struct fx *f = *state;
	struct staff_ctx c = ctx(f, T0);
	struct store_transfer t;
	struct store_rate_lock lock;
	struct receipt_data rd;
	struct order o;

	add_won_order(f, "W1", 12000);
	set_rate(f, "STEEM", "staff", "312", T0 - 60000);
	set_rate(f, "SBD", "staff", "1450", T0 - 50000);
	assert_int_equal(staff_payment_request(&c, "W1", 600000, &f->r), STAFF_OK);
	memset(&t, 0, sizeof(t));
	strcpy(t.trx_id, "aa00000000000000000000000000000000000001");
	t.timestamp_ms = T0 + 1000;
	strcpy(t.from, "alice");
	strcpy(t.to, "coop");
	assert_int_equal(asset_parse("8.276 SBD", &t.amount, NULL), KERR_OK);
	snprintf(t.memo, sizeof(t.memo), "%s", f->r.memo);
	t.memo_len = strlen(t.memo);
	assert_int_equal(store_transfer_insert(f->s.s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(f->s.s, t.rowid, "W1"), KERR_OK);
	assert_int_equal(store_order_get(f->s.s, "W1", &o), KERR_OK);
	memset(&rd, 0, sizeof(rd));
	assert_int_equal(receipt_set_won(&rd, f->s.s, &o, &lock), KERR_OK);
	assert_non_null(rd.won_lock);
	assert_string_equal(rd.paid.symbol, "SBD");
	assert_int_equal(rd.paid.amount, 8276);
	assert_int_equal(lock.rate.units, 1450);
	assert_int_equal(lock.rate_ms, T0 - 50000);
	assert_int_equal(lock.krw, 12000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_12000_won_at_312_asks_38_462_steem_locked, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_standing_request_keeps_its_rate_when_staff_change_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_usable_rate_makes_no_request_and_says_why,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_feed_comes_next_in_the_site_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_every_asset_with_a_rate_is_offered_and_locked,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_receipt_names_the_asset_paid_and_its_rate,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
