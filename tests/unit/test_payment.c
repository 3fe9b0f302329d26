#include "kiosk/payment.h"

#include <string.h>

#include "kiosk/order_fsm.h"
#include "testutil.h"

static struct asset hive(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3};

	strcpy(a.symbol, "HIVE");
	return a;
}

static struct asset hbd(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3};

	strcpy(a.symbol, "HBD");
	return a;
}

#define EXPIRES 1700000600000
#define BEFORE  (EXPIRES - 1000)
#define PRICE   7250

static struct payment_order order_with(int64_t received)
{
	return (struct payment_order){
	    .price = hive(PRICE), .received = hive(received), .expires_at_ms = EXPIRES};
}

static struct payment_decision classify_ok(const struct payment_order *o, struct asset amount,
                                           int64_t at_ms, enum site_late late)
{
	struct payment_decision d;

	assert_int_equal(payment_classify(o, &amount, at_ms, late, &d), KERR_OK);
	/* Every unit of the transfer is either applied or owed back. */
	assert_string_equal(d.applied.symbol, amount.symbol);
	assert_string_equal(d.refund.symbol, amount.symbol);
	assert_int_equal(d.applied.amount + d.refund.amount, amount.amount);
	assert_string_equal(d.still_due.symbol, o->price.symbol);
	assert_true(d.still_due.amount >= 0);
	return d;
}

/* ---- memo key ---- */

static void key_of(const char *memo, size_t len, const char *want)
{
	char out[ORDER_MEMO_MAX + 1];

	assert_int_equal(payment_memo_key(memo, len, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, want);
}

static void test_memo_key_trims_ascii_whitespace_at_both_ends(void **state)
{
	(void)state;
	key_of("KP-7QK3M2XD", 11, "KP-7QK3M2XD");
	key_of("  KP-7QK3M2XD  ", 15, "KP-7QK3M2XD");
	key_of("\tKP-7QK3M2XD\t", 13, "KP-7QK3M2XD");
	key_of("KP-7QK3M2XD\r\n", 13, "KP-7QK3M2XD");
	key_of("\r\n \t\v\fKP-7QK3M2XD\f\v\t \n\r", 23, "KP-7QK3M2XD");
}

static void test_memo_key_folds_ascii_case_only(void **state)
{
	(void)state;
	key_of("kp-7qk3m2xd", 11, "KP-7QK3M2XD");
	key_of(" Kp-7qK3m2Xd\n", 13, "KP-7QK3M2XD");
	/* UTF-8 bytes pass through unchanged. */
	key_of("kp-\xea\xb0\x90", 6, "KP-\xea\xb0\x90");
}

static void test_memo_key_keeps_inner_spaces(void **state)
{
	(void)state;
	key_of(" KP-7QK3 M2XD ", 14, "KP-7QK3 M2XD");
	key_of("KP-7QK3\tM2XD", 12, "KP-7QK3\tM2XD");
	key_of("KP-7QK3\r\nM2XD", 13, "KP-7QK3\r\nM2XD");
	assert_false(payment_memo_equal("KP-7QK3 M2XD", "KP-7QK3M2XD"));
}

static void test_memo_key_reads_up_to_the_first_nul(void **state)
{
	(void)state;
	/* len counts bytes; the memo need not end in NUL. */
	key_of("KP-7QK3M2XDjunk", 11, "KP-7QK3M2XD");
	key_of("KP-7QK3M2XD\0junk", 16, "KP-7QK3M2XD");
	key_of("KP-7QK3M2XD \0junk", 17, "KP-7QK3M2XD");
	key_of("\0KP-7QK3M2XD", 12, "");
}

static void test_memo_key_empty_and_too_long(void **state)
{
	char out[12], big[200];

	(void)state;
	key_of("", 0, "");
	key_of(" \t\r\n", 4, "");
	/* Exactly fits: 11 bytes and the NUL. */
	assert_int_equal(payment_memo_key(" kp-7qk3m2xd\n", 13, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "KP-7QK3M2XD");
	/* One byte too many: refused and empty, never a truncated key. */
	assert_int_equal(payment_memo_key("KP-7QK3M2XDX", 12, out, sizeof(out)), KERR_TOO_BIG);
	assert_string_equal(out, "");
	memset(big, 'A', sizeof(big));
	assert_int_equal(payment_memo_key(big, sizeof(big), out, sizeof(out)), KERR_TOO_BIG);
	assert_string_equal(out, "");
	assert_int_equal(payment_memo_key("KP", 2, out, 0), KERR_TOO_BIG);
}

static void test_memo_equal_is_the_key_rule(void **state)
{
	(void)state;
	assert_true(payment_memo_equal("KP-7QK3M2XD", "KP-7QK3M2XD"));
	assert_true(payment_memo_equal("KP-7QK3M2XD", "  kp-7qk3m2xd\r\n"));
	assert_true(payment_memo_equal("\tKP-7QK3M2XD", "KP-7QK3M2XD\t"));
	assert_false(payment_memo_equal("KP-7QK3M2XD", "KP-7QK3M2X"));
	assert_false(payment_memo_equal("KP-7QK3M2XD", "KP-7QK3M2XE"));
	assert_false(payment_memo_equal("KP-7QK3M2XD", "xKP-7QK3M2XD"));
	/* Empty keys match nothing, not even each other. */
	assert_false(payment_memo_equal("", ""));
	assert_false(payment_memo_equal(" \n", "\t"));
}

static void test_memo_encrypted(void **state)
{
	(void)state;
	assert_true(payment_memo_encrypted("#abc", 4));
	assert_true(payment_memo_encrypted(" \n#abc", 6));
	assert_false(payment_memo_encrypted("KP-#abc", 7));
	assert_false(payment_memo_encrypted("", 0));
	assert_false(payment_memo_encrypted("  ", 2));
	assert_false(payment_memo_encrypted("\0#abc", 5));
}

/* ---- order states ---- */

static void test_closed_for_every_order_state(void **state)
{
	static const struct {
		enum order_state s;
		bool closed, requestable;
	} want[] = {
	    {ORDER_READY, false, true},
	    {ORDER_AWAITING_PAYMENT, false, true},
	    {ORDER_PAID_CONFIRMING, false, false},
	    {ORDER_PAID, true, false},
	    {ORDER_HANDING_OVER, true, false},
	    {ORDER_HANDED_OVER, true, false},
	    {ORDER_UNDERPAID, false, true},
	    {ORDER_EXPIRED, false, true},
	    {ORDER_REFUND_DUE, true, false},
	    {ORDER_HANDOVER_FAILED, true, false},
	    {ORDER_CANCELLED, true, false},
	};

	(void)state;
	assert_int_equal(ARRAY_SIZE(want), ORDER_STATE_COUNT);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(want[i].s, (enum order_state)i);
		assert_int_equal(payment_order_closed(want[i].s), want[i].closed);
		assert_int_equal(payment_order_requestable(want[i].s), want[i].requestable);
		/* A final state never takes money; a request is only made for an open order. */
		if (order_state_final(want[i].s))
			assert_true(payment_order_closed(want[i].s));
		if (want[i].requestable)
			assert_false(payment_order_closed(want[i].s));
	}
	assert_true(payment_order_closed(ORDER_STATE_COUNT));
	assert_false(payment_order_requestable(ORDER_STATE_COUNT));
}

/* ---- amounts due ---- */

static void test_amount_due_is_price_minus_received_never_negative(void **state)
{
	struct asset price = hive(PRICE), got, due;

	(void)state;
	got = hive(0);
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_OK);
	assert_int_equal(due.amount, PRICE);
	assert_string_equal(due.symbol, "HIVE");
	assert_int_equal(due.precision, 3);
	got = hive(PRICE - 1);
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_OK);
	assert_int_equal(due.amount, 1);
	got = hive(PRICE);
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_OK);
	assert_int_equal(due.amount, 0);
	got = hive(PRICE + 1);
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_OK);
	assert_int_equal(due.amount, 0);
	assert_string_equal(due.symbol, "HIVE");
	got = hbd(1);
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_INVAL);
	assert_int_equal(due.amount, 0);
	assert_string_equal(due.symbol, "HIVE");
	got = hive(-1);
	price.amount = INT64_MAX;
	assert_int_equal(payment_amount_due(&price, &got, &due), KERR_OVERFLOW);
	assert_int_equal(due.amount, 0);
}

static void test_request_asks_what_is_still_due_when_underpaid(void **state)
{
	struct asset price = hive(PRICE), got = hive(3000), ask;

	(void)state;
	assert_int_equal(payment_request_amount(ORDER_UNDERPAID, &price, &got, &ask), KERR_OK);
	assert_int_equal(ask.amount, PRICE - 3000);
	assert_string_equal(ask.symbol, "HIVE");
	got = hive(PRICE - 1);
	assert_int_equal(payment_request_amount(ORDER_UNDERPAID, &price, &got, &ask), KERR_OK);
	assert_int_equal(ask.amount, 1);
	/* Nothing left: the price, never a request for zero. */
	got = hive(PRICE);
	assert_int_equal(payment_request_amount(ORDER_UNDERPAID, &price, &got, &ask), KERR_OK);
	assert_int_equal(ask.amount, PRICE);
	/* Other states ask the price. */
	got = hive(3000);
	for (int s = 0; s < ORDER_STATE_COUNT; s++) {
		if (s == ORDER_UNDERPAID)
			continue;
		assert_int_equal(payment_request_amount((enum order_state)s, &price, &got, &ask),
		                 KERR_OK);
		assert_int_equal(ask.amount, PRICE);
	}
	got = hbd(3000);
	assert_int_equal(payment_request_amount(ORDER_UNDERPAID, &price, &got, &ask), KERR_INVAL);
	assert_int_equal(ask.amount, PRICE);
}

/* ---- classifying a transfer ---- */

static void test_exact_amount_pays(void **state)
{
	struct payment_order o = order_with(0);
	struct payment_decision d = classify_ok(&o, hive(PRICE), BEFORE, SITE_LATE_ACCEPT);

	(void)state;
	assert_int_equal(d.cls, PAYMENT_PAID);
	assert_false(d.late);
	assert_int_equal(d.applied.amount, PRICE);
	assert_int_equal(d.refund.amount, 0);
	assert_int_equal(d.still_due.amount, 0);
}

static void test_one_unit_short_is_partial(void **state)
{
	struct payment_order o = order_with(0);
	struct payment_decision d = classify_ok(&o, hive(PRICE - 1), BEFORE, SITE_LATE_ACCEPT);

	(void)state;
	assert_int_equal(d.cls, PAYMENT_PARTIAL);
	assert_int_equal(d.applied.amount, PRICE - 1);
	assert_int_equal(d.refund.amount, 0);
	assert_int_equal(d.still_due.amount, 1);
}

static void test_one_unit_over_refunds_one_unit(void **state)
{
	struct payment_order o = order_with(0);
	struct payment_decision d = classify_ok(&o, hive(PRICE + 1), BEFORE, SITE_LATE_ACCEPT);

	(void)state;
	assert_int_equal(d.cls, PAYMENT_OVERPAID);
	assert_int_equal(d.applied.amount, PRICE);
	assert_int_equal(d.refund.amount, 1);
	assert_int_equal(d.still_due.amount, 0);
}

static void test_top_up_counts_what_came_in_before(void **state)
{
	struct payment_order o = order_with(3000);
	struct payment_decision d;

	(void)state;
	d = classify_ok(&o, hive(PRICE - 3000), BEFORE, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_PAID);
	assert_int_equal(d.applied.amount, PRICE - 3000);
	d = classify_ok(&o, hive(PRICE - 3000 - 1), BEFORE, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_PARTIAL);
	assert_int_equal(d.still_due.amount, 1);
	d = classify_ok(&o, hive(PRICE), BEFORE, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_OVERPAID);
	assert_int_equal(d.applied.amount, PRICE - 3000);
	assert_int_equal(d.refund.amount, 3000);
}

static void test_wrong_asset_is_refunded_whole(void **state)
{
	struct payment_order o = order_with(1000);
	struct payment_decision d = classify_ok(&o, hbd(PRICE), BEFORE, SITE_LATE_ACCEPT);
	struct asset other_precision = hive(PRICE);

	(void)state;
	assert_int_equal(d.cls, PAYMENT_WRONG_ASSET);
	assert_int_equal(d.applied.amount, 0);
	assert_int_equal(d.refund.amount, PRICE);
	assert_string_equal(d.refund.symbol, "HBD");
	assert_int_equal(d.still_due.amount, PRICE - 1000);
	/* Same symbol, other precision: another asset too. */
	other_precision.precision = 6;
	d = classify_ok(&o, other_precision, BEFORE, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_WRONG_ASSET);
	/* Checked before anything else: a closed order's wrong asset is still "wrong asset". */
	o.closed = true;
	d = classify_ok(&o, hbd(1), EXPIRES + 1, SITE_LATE_REFUND);
	assert_int_equal(d.cls, PAYMENT_WRONG_ASSET);
}

static void test_closed_order_refunds_everything(void **state)
{
	struct payment_order o = order_with(0);
	struct payment_decision d;

	(void)state;
	o.closed = true;
	d = classify_ok(&o, hive(PRICE), BEFORE, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_CLOSED);
	assert_int_equal(d.applied.amount, 0);
	assert_int_equal(d.refund.amount, PRICE);
	assert_int_equal(d.still_due.amount, 0);
	/* Closed wins over late. */
	d = classify_ok(&o, hive(1), EXPIRES + 1, SITE_LATE_REFUND);
	assert_int_equal(d.cls, PAYMENT_CLOSED);
}

static void test_already_paid_in_full_refunds_everything(void **state)
{
	struct payment_order o = order_with(PRICE);
	struct payment_decision d = classify_ok(&o, hive(1), BEFORE, SITE_LATE_ACCEPT);

	(void)state;
	assert_int_equal(d.cls, PAYMENT_CLOSED);
	assert_int_equal(d.refund.amount, 1);
	assert_int_equal(d.still_due.amount, 0);
}

static void test_after_expiry_follows_the_late_policy(void **state)
{
	struct payment_order o = order_with(1000);
	struct payment_decision d;

	(void)state;
	/* At the expiry itself it is still in time. */
	d = classify_ok(&o, hive(PRICE - 1000), EXPIRES, SITE_LATE_REFUND);
	assert_int_equal(d.cls, PAYMENT_PAID);
	assert_false(d.late);
	d = classify_ok(&o, hive(PRICE - 1000), EXPIRES + 1, SITE_LATE_REFUND);
	assert_int_equal(d.cls, PAYMENT_LATE_REFUND);
	assert_int_equal(d.applied.amount, 0);
	assert_int_equal(d.refund.amount, PRICE - 1000);
	assert_int_equal(d.still_due.amount, PRICE - 1000);
	d = classify_ok(&o, hive(PRICE - 1000), EXPIRES + 1, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_PAID);
	assert_true(d.late);
	assert_int_equal(d.applied.amount, PRICE - 1000);
	d = classify_ok(&o, hive(1), EXPIRES + 1, SITE_LATE_ACCEPT);
	assert_int_equal(d.cls, PAYMENT_PARTIAL);
	assert_true(d.late);
}

static void test_bad_input_is_refused(void **state)
{
	struct payment_order o = order_with(0);
	struct payment_decision d;
	struct asset a = hive(0);

	(void)state;
	assert_int_equal(payment_classify(&o, &a, BEFORE, SITE_LATE_ACCEPT, &d), KERR_INVAL);
	assert_int_equal(d.cls, PAYMENT_CLOSED);
	assert_int_equal(d.applied.amount, 0);
	a = hive(-5);
	assert_int_equal(payment_classify(&o, &a, BEFORE, SITE_LATE_ACCEPT, &d), KERR_INVAL);
	assert_int_equal(d.applied.amount, 0);
	assert_int_equal(d.refund.amount, 0);
	/* What came in must be counted in the price's asset. */
	o.received = hbd(1);
	a = hive(1);
	assert_int_equal(payment_classify(&o, &a, BEFORE, SITE_LATE_ACCEPT, &d), KERR_INVAL);
	assert_int_equal(d.applied.amount, 0);
}

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(payment_class_name(PAYMENT_WRONG_ASSET), "wrong-asset");
	assert_string_equal(payment_class_name(PAYMENT_CLOSED), "closed");
	assert_string_equal(payment_class_name(PAYMENT_LATE_REFUND), "late-refund");
	assert_string_equal(payment_class_name(PAYMENT_PARTIAL), "partial");
	assert_string_equal(payment_class_name(PAYMENT_PAID), "paid");
	assert_string_equal(payment_class_name(PAYMENT_OVERPAID), "overpaid");
	assert_string_equal(payment_class_name((enum payment_class)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memo_key_trims_ascii_whitespace_at_both_ends),
	    cmocka_unit_test(test_memo_key_folds_ascii_case_only),
	    cmocka_unit_test(test_memo_key_keeps_inner_spaces),
	    cmocka_unit_test(test_memo_key_reads_up_to_the_first_nul),
	    cmocka_unit_test(test_memo_key_empty_and_too_long),
	    cmocka_unit_test(test_memo_equal_is_the_key_rule),
	    cmocka_unit_test(test_memo_encrypted),
	    cmocka_unit_test(test_closed_for_every_order_state),
	    cmocka_unit_test(test_amount_due_is_price_minus_received_never_negative),
	    cmocka_unit_test(test_request_asks_what_is_still_due_when_underpaid),
	    cmocka_unit_test(test_exact_amount_pays),
	    cmocka_unit_test(test_one_unit_short_is_partial),
	    cmocka_unit_test(test_one_unit_over_refunds_one_unit),
	    cmocka_unit_test(test_top_up_counts_what_came_in_before),
	    cmocka_unit_test(test_wrong_asset_is_refunded_whole),
	    cmocka_unit_test(test_closed_order_refunds_everything),
	    cmocka_unit_test(test_already_paid_in_full_refunds_everything),
	    cmocka_unit_test(test_after_expiry_follows_the_late_policy),
	    cmocka_unit_test(test_bad_input_is_refused),
	    cmocka_unit_test(test_class_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
