/* Rates in the journal and the rate locked with a payment request (store_rates.c). */
#include "kiosk/store_rates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/order_fsm.h"
#include "storefx.h"
#include "testutil.h"

#define T0 STOREFX_T0

static struct rate rate_of(const char *text)
{
	struct rate r;

	assert_int_equal(rate_parse(text, &r, NULL), KERR_OK);
	return r;
}

static void test_a_rate_set_reads_back_with_its_time_and_who(void **state)
{
	struct storefx *f = *state;
	struct rate r = rate_of("312.5"), got;
	int64_t at;
	char who[STORE_RATE_WHO_MAX + 1];

	assert_int_equal(store_rate_get(f->s, "STEEM", "staff", &got, &at, who, sizeof(who)),
	                 KERR_NOTFOUND);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &r, T0, "jiwoo"), KERR_OK);
	assert_int_equal(store_rate_get(f->s, "STEEM", "staff", &got, &at, who, sizeof(who)),
	                 KERR_OK);
	assert_int_equal(got.units, 3125);
	assert_int_equal(got.scale, 1);
	assert_int_equal(at, T0);
	assert_string_equal(who, "jiwoo");
	/* Another source of the same symbol is another row. */
	assert_int_equal(store_rate_get(f->s, "STEEM", "ticker", &got, &at, NULL, 0),
	                 KERR_NOTFOUND);
}

struct seen {
	unsigned n;
	char detail[4][STORE_DETAIL_MAX];
};

static void collect(const struct store_event_row *e, void *arg)
{
	struct seen *s = arg;

	if (strcmp(e->kind, "rate_set") == 0 && s->n < 4)
		snprintf(s->detail[s->n++], STORE_DETAIL_MAX, "%s", e->detail);
}

static void test_every_change_is_an_event_with_old_and_new(void **state)
{
	struct storefx *f = *state;
	struct rate a = rate_of("312"), b = rate_of("298.75"), got;
	struct seen seen = {0};
	int64_t at;

	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &a, T0, "jiwoo"), KERR_OK);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &b, T0 + 60000, "minho"), KERR_OK);
	assert_int_equal(store_events(f->s, 0, 100, collect, &seen), KERR_OK);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.detail[0], "STEEM\tstaff\t-\t312\tjiwoo");
	assert_string_equal(seen.detail[1], "STEEM\tstaff\t312\t298.75\tminho");
	assert_int_equal(store_rate_get(f->s, "STEEM", "staff", &got, &at, NULL, 0), KERR_OK);
	assert_int_equal(got.units, 29875);
	assert_int_equal(at, T0 + 60000);
}

static void test_bad_input_is_refused_and_nothing_written(void **state)
{
	struct storefx *f = *state;
	struct rate r = rate_of("312"), zero = {0};
	struct store_rate_row rows[4];
	size_t n;

	assert_int_equal(store_rate_set(f->s, "STEEM", "guess", &r, T0, "jiwoo"), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "steem", "staff", &r, T0, "jiwoo"), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "", "staff", &r, T0, "jiwoo"), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "ABCDEFGHIJKLMNOPQ", "staff", &r, T0, "jiwoo"),
	                 KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &zero, T0, "jiwoo"), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &r, T0, ""), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &r, T0, "a\tb"), KERR_INVAL);
	assert_int_equal(store_rate_set(f->s, "STEEM", "staff", &r, 0, "jiwoo"), KERR_INVAL);
	assert_int_equal(store_rate_list(f->s, rows, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
}

static void test_a_failed_event_write_leaves_the_old_rate(void **state)
{
	struct storefx *f = *state;
	struct rate a = rate_of("312"), b = rate_of("400"), got;
	int64_t at;

	assert_int_equal(store_rate_set(f->s, "SBD", "staff", &a, T0, "jiwoo"), KERR_OK);
	store_fail_after(f->s, 2, KERR_IO); /* the row is written, its event fails */
	assert_int_not_equal(store_rate_set(f->s, "SBD", "staff", &b, T0 + 1, "jiwoo"), KERR_OK);
	assert_int_equal(store_rate_get(f->s, "SBD", "staff", &got, &at, NULL, 0), KERR_OK);
	assert_int_equal(got.units, 312);
	assert_int_equal(at, T0);
}

static void test_the_list_is_by_symbol_then_source(void **state)
{
	struct storefx *f = *state;
	struct rate r = rate_of("1450"), s = rate_of("0.21");
	struct store_rate_row rows[4];
	size_t n;

	assert_int_equal(store_rate_set(f->s, "USD", "staff", &r, T0, "jiwoo"), KERR_OK);
	assert_int_equal(store_rate_set(f->s, "STEEM", "ticker", &r, T0, "ticker"), KERR_OK);
	assert_int_equal(store_rate_set(f->s, "STEEM", "feed", &s, T0, "feed"), KERR_OK);
	assert_int_equal(store_rate_list(f->s, rows, 4, &n), KERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].symbol, "STEEM");
	assert_string_equal(rows[0].source, "feed");
	assert_int_equal(rows[0].rate.units, 21);
	assert_string_equal(rows[1].source, "ticker");
	assert_string_equal(rows[2].symbol, "USD");
}

static void insert_order(struct store *s, const char *id, int64_t krw)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.price.amount = krw;
	o.price.precision = 0;
	strcpy(o.price.symbol, "KRW");
	o.state = ORDER_READY;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
}

static void request_and_lock(const char *memo, struct store_request *r, struct store_rate_lock *l)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->order_id, "W1");
	snprintf(r->memo, sizeof(r->memo), "%s", memo);
	assert_int_equal(asset_parse("38.462 STEEM", &r->amount, NULL), KERR_OK);
	r->created_ms = T0;
	r->expires_ms = T0 + 900000;
	memset(l, 0, sizeof(*l));
	snprintf(l->memo, sizeof(l->memo), "%s", memo);
	l->krw = 12000;
	l->rate = rate_of("312");
	strcpy(l->source, "staff");
	l->rate_ms = T0 - 5000;
	l->until_ms = T0 + 900000;
	l->tolerance_bp = 50;
}

static void test_a_lock_is_kept_with_its_request(void **state)
{
	struct storefx *f = *state;
	struct store_request r, got;
	struct store_rate_lock l, lg;

	insert_order(f->s, "W1", 12000);
	request_and_lock("KP-W1", &r, &l);
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	assert_int_equal(store_request_find(f->s, "KP-W1", &got), KERR_OK);
	assert_int_equal(got.amount.amount, 38462);
	assert_int_equal(store_rate_lock_get(f->s, "KP-W1", &lg), KERR_OK);
	assert_int_equal(lg.krw, 12000);
	assert_int_equal(lg.rate.units, 312);
	assert_string_equal(lg.source, "staff");
	assert_int_equal(lg.rate_ms, T0 - 5000);
	assert_int_equal(lg.until_ms, T0 + 900000);
	assert_int_equal(lg.tolerance_bp, 50);
	assert_int_equal(store_rate_lock_get(f->s, "KP-NONE", &lg), KERR_NOTFOUND);
}

static void test_a_failed_lock_write_leaves_no_request(void **state)
{
	struct storefx *f = *state;
	struct store_request r, got;
	struct store_rate_lock l;

	insert_order(f->s, "W1", 12000);
	request_and_lock("KP-W2", &r, &l);
	/* The request, its order memo and its event are writes 1..3; the lock is the 4th. */
	store_fail_after(f->s, 4, KERR_IO);
	assert_int_not_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	assert_int_equal(store_request_find(f->s, "KP-W2", &got), KERR_NOTFOUND);
	/* A lock for another memo is refused before anything is written. */
	request_and_lock("KP-W3", &r, &l);
	strcpy(l.memo, "KP-OTHER");
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_INVAL);
	assert_int_equal(store_request_find(f->s, "KP-W3", &got), KERR_NOTFOUND);
}

static struct store_rate_offer offer_of(const char *amount, const char *rate)
{
	struct store_rate_offer o;

	memset(&o, 0, sizeof(o));
	assert_int_equal(asset_parse(amount, &o.amount, NULL), KERR_OK);
	o.rate = rate_of(rate);
	strcpy(o.source, "staff");
	o.rate_ms = T0 - 1000;
	return o;
}

/* Every asset a request offers is journaled with it and read back by symbol, in order. */
static void test_offers_are_kept_per_asset(void **state)
{
	struct storefx *f = *state;
	struct store_request r;
	struct store_rate_lock l;
	struct store_rate_offer offers[3], got[STORE_RATE_OFFERS_MAX], one;
	size_t n = 99;

	insert_order(f->s, "W1", 12000);
	request_and_lock("KP-W1", &r, &l);
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	offers[0] = offer_of("38.462 STEEM", "312");
	offers[1] = offer_of("8.276 SBD", "1450");
	offers[2] = offers[0];
	/* A token: its own precision, set by the caller (the sidechain's). */
	strcpy(offers[2].amount.symbol, "SCT");
	offers[2].amount.precision = 8;
	offers[2].amount.amount = 8000000000;
	offers[2].rate = rate_of("150");
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 3), KERR_OK);
	assert_int_equal(store_rate_offer_list(f->s, "KP-W1", got, STORE_RATE_OFFERS_MAX, &n),
	                 KERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(got[0].amount.symbol, "STEEM");
	assert_string_equal(got[1].amount.symbol, "SBD");
	assert_int_equal(got[1].amount.amount, 8276);
	assert_int_equal(store_rate_offer_get(f->s, "KP-W1", "SCT", &one), KERR_OK);
	assert_int_equal(one.amount.precision, 8);
	assert_int_equal(one.amount.amount, 8000000000);
	assert_int_equal(one.rate.units, 150);
	assert_string_equal(one.source, "staff");
	assert_int_equal(one.rate_ms, T0 - 1000);
	assert_int_equal(store_rate_offer_get(f->s, "KP-W1", "HIVE", &one), KERR_NOTFOUND);
	/* Locked once: a second set for the same request is refused. */
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 1), KERR_EXISTS);
}

static void test_bad_offers_are_refused_and_nothing_written(void **state)
{
	struct storefx *f = *state;
	struct store_request r;
	struct store_rate_lock l;
	struct store_rate_offer offers[2], got[STORE_RATE_OFFERS_MAX];
	size_t n = 99;

	insert_order(f->s, "W1", 12000);
	request_and_lock("KP-W1", &r, &l);
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	offers[0] = offer_of("38.462 STEEM", "312");
	offers[1] = offers[0];
	/* The same asset twice would make a payment's amount ambiguous. */
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 2), KERR_INVAL);
	offers[1] = offer_of("8.276 SBD", "1450");
	offers[1].amount.amount = 0;
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 2), KERR_INVAL);
	offers[1].amount.amount = 8276;
	strcpy(offers[1].source, "guess");
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 2), KERR_INVAL);
	/* No such request. */
	strcpy(offers[1].source, "staff");
	assert_int_equal(store_rate_offers_put(f->s, "KP-NONE", offers, 2), KERR_INVAL);
	/* A write failing half way leaves none. */
	store_fail_after(f->s, 2, KERR_IO);
	assert_int_not_equal(store_rate_offers_put(f->s, "KP-W1", offers, 2), KERR_OK);
	assert_int_equal(store_rate_offer_list(f->s, "KP-W1", got, STORE_RATE_OFFERS_MAX, &n),
	                 KERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_rate_offers_put(f->s, "KP-W1", offers, 2), KERR_OK);
}

static int64_t transfer_to(struct store *s, const char *trx, const char *memo)
{
	struct store_transfer t;

	memset(&t, 0, sizeof(t));
	snprintf(t.trx_id, sizeof(t.trx_id), "%s", trx);
	strcpy(t.from, "alice");
	strcpy(t.to, "coop");
	t.timestamp_ms = T0;
	assert_int_equal(asset_parse("1.000 STEEM", &t.amount, NULL), KERR_OK);
	t.memo_len = strlen(memo);
	memcpy(t.memo, memo, t.memo_len);
	assert_int_equal(store_transfer_insert(s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(s, t.rowid, "W1"), KERR_OK);
	return t.rowid;
}

/* A payment's lock is its own request's (by the memo rule: trimmed, case folded), never another's.
 */
static void test_a_transfer_finds_the_lock_of_the_memo_it_paid(void **state)
{
	struct storefx *f = *state;
	struct store_request r;
	struct store_rate_lock l, got;

	insert_order(f->s, "W1", 12000);
	request_and_lock("KP-W1A", &r, &l);
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	request_and_lock("KP-W1B", &r, &l);
	l.rate = rate_of("400");
	assert_int_equal(store_request_insert_locked(f->s, &r, &l), KERR_OK);
	assert_int_equal(
	    store_rate_lock_of_transfer(f->s, transfer_to(f->s, "t1", " kp-w1a\n"), &got), KERR_OK);
	assert_string_equal(got.memo, "KP-W1A");
	assert_int_equal(got.rate.units, 312);
	assert_int_equal(store_rate_lock_of_transfer(f->s, transfer_to(f->s, "t2", "KP-W1B"), &got),
	                 KERR_OK);
	assert_int_equal(got.rate.units, 400);
	/* A memo of no locked request, and no such transfer: nothing, zeroed. */
	assert_int_equal(store_rate_lock_of_transfer(f->s, transfer_to(f->s, "t3", "KP-W1"), &got),
	                 KERR_NOTFOUND);
	assert_int_equal(got.krw, 0);
	assert_int_equal(store_rate_lock_of_transfer(f->s, 999, &got), KERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_rate_set_reads_back_with_its_time_and_who,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_every_change_is_an_event_with_old_and_new,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input_is_refused_and_nothing_written,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_a_failed_event_write_leaves_the_old_rate,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_the_list_is_by_symbol_then_source, storefx_setup,
	                                    storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_a_lock_is_kept_with_its_request, storefx_setup,
	                                    storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_a_failed_lock_write_leaves_no_request,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_offers_are_kept_per_asset, storefx_setup,
	                                    storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_offers_are_refused_and_nothing_written,
	                                    storefx_setup, storefx_teardown),
	    cmocka_unit_test_setup_teardown(test_a_transfer_finds_the_lock_of_the_memo_it_paid,
	                                    storefx_setup, storefx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
