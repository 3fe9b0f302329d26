#include "kiosk/matcher.h"

#include <string.h>

#include "testutil.h"

static struct asset steem(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3};

	strcpy(a.symbol, "STEEM");
	return a;
}

static struct asset sbd(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3};

	strcpy(a.symbol, "SBD");
	return a;
}

#define EXPIRES 1700000600000
#define COOP    "coop"

static struct match_request reqs[2];

static int setup(void **state)
{
	(void)state;
	memset(reqs, 0, sizeof(reqs));
	reqs[0] = (struct match_request){.order_id = "A1",
	                                 .memo = "KP-7H3QX9M2",
	                                 .price = steem(12500),
	                                 .received = steem(0),
	                                 .expires_at_ms = EXPIRES};
	reqs[1] = (struct match_request){.order_id = "A2",
	                                 .memo = "KP-AAAA0000",
	                                 .price = steem(1000),
	                                 .received = steem(0),
	                                 .expires_at_ms = EXPIRES};
	return 0;
}

static struct match_transfer xfer(const char *memo, struct asset amount)
{
	return (struct match_transfer){.from = "alice",
	                               .to = COOP,
	                               .memo = memo,
	                               .amount = amount,
	                               .timestamp_ms = EXPIRES - 1000};
}

static struct match_outcome apply_ok(struct match_transfer t, bool seen)
{
	struct match_outcome o;

	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_ACCEPT, &t, seen, &o), KERR_OK);
	return o;
}

static void test_exact_payment_pays_the_order_with_that_memo(void **state)
{
	struct match_outcome o = apply_ok(xfer("KP-AAAA0000", steem(1000)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_PAID);
	assert_int_equal(o.request, 1);
	assert_int_equal(o.credited.amount, 1000);
	assert_int_equal(o.refund.amount, 0);
	assert_int_equal(o.still_due.amount, 0);
}

static void test_memo_compared_trimmed_and_case_folded(void **state)
{
	struct match_outcome o = apply_ok(xfer("  kp-7h3qx9m2\n", steem(12500)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_PAID);
	assert_int_equal(o.request, 0);
	assert_false(matcher_memo_equal("KP-7H3QX9M2", "KP-7H3QX9M"));
	assert_false(matcher_memo_equal("", ""));
}

static void test_memo_with_line_ends_and_tabs_around_matches(void **state)
{
	struct match_outcome o = apply_ok(xfer("\r\n\tKP-AAAA0000 \t\r\n", steem(1000)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_PAID);
	assert_int_equal(o.request, 1);
	o = apply_ok(xfer("KP-AAAA 0000", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_UNKNOWN_MEMO);
	assert_int_equal(o.request, -1);
	o = apply_ok(xfer("\r\n#encrypted", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_ENCRYPTED_MEMO);
}

static void test_partial_payments_add_up_and_show_what_is_due(void **state)
{
	struct match_outcome o = apply_ok(xfer("KP-7H3QX9M2", steem(5000)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_PARTIAL);
	assert_int_equal(o.credited.amount, 5000);
	assert_int_equal(o.still_due.amount, 7500);
	reqs[0].received = steem(5000);
	o = apply_ok(xfer("KP-7H3QX9M2", steem(7000)), false);
	assert_int_equal(o.kind, MATCH_PARTIAL);
	assert_int_equal(o.still_due.amount, 500);
	reqs[0].received = steem(12000);
	o = apply_ok(xfer("KP-7H3QX9M2", steem(500)), false);
	assert_int_equal(o.kind, MATCH_PAID);
	assert_int_equal(o.credited.amount, 500);
}

static void test_overpayment_credits_price_and_refunds_excess(void **state)
{
	struct match_outcome o;

	(void)state;
	reqs[0].received = steem(10000);
	o = apply_ok(xfer("KP-7H3QX9M2", steem(3000)), false);
	assert_int_equal(o.kind, MATCH_OVERPAID);
	assert_int_equal(o.credited.amount, 2500);
	assert_int_equal(o.refund.amount, 500);
	assert_string_equal(o.refund.symbol, "STEEM");
}

static void test_wrong_asset_is_refunded_whole_and_credits_nothing(void **state)
{
	struct match_outcome o = apply_ok(xfer("KP-7H3QX9M2", sbd(12500)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_WRONG_ASSET);
	assert_int_equal(o.request, 0);
	assert_int_equal(o.credited.amount, 0);
	assert_int_equal(o.refund.amount, 12500);
	assert_string_equal(o.refund.symbol, "SBD");
}

static void test_duplicate_transfer_counts_once(void **state)
{
	struct match_outcome o = apply_ok(xfer("KP-7H3QX9M2", steem(12500)), true);

	(void)state;
	assert_int_equal(o.kind, MATCH_DUPLICATE);
	assert_int_equal(o.credited.amount, 0);
	assert_int_equal(o.refund.amount, 0);
}

static void test_transfer_to_paid_order_is_refunded_not_credited_twice(void **state)
{
	struct match_outcome o;

	(void)state;
	reqs[1].received = steem(1000);
	o = apply_ok(xfer("KP-AAAA0000", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_CLOSED);
	assert_int_equal(o.credited.amount, 0);
	assert_int_equal(o.refund.amount, 1000);
	reqs[1].received = steem(0);
	reqs[1].closed = true;
	o = apply_ok(xfer("KP-AAAA0000", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_CLOSED);
	assert_int_equal(o.refund.amount, 1000);
}

static void test_encrypted_and_unknown_memos_are_kept_for_staff(void **state)
{
	struct match_outcome o = apply_ok(xfer("#4f2a9c...", steem(1000)), false);

	(void)state;
	assert_int_equal(o.kind, MATCH_ENCRYPTED_MEMO);
	assert_int_equal(o.request, -1);
	o = apply_ok(xfer("thanks for the carrots", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_UNKNOWN_MEMO);
	assert_int_equal(o.credited.amount, 0);
	o = apply_ok(xfer("", steem(1000)), false);
	assert_int_equal(o.kind, MATCH_UNKNOWN_MEMO);
}

static void test_transfer_to_another_account_is_ignored(void **state)
{
	struct match_transfer t = xfer("KP-AAAA0000", steem(1000));
	struct match_outcome o;

	(void)state;
	t.to = "coop2";
	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_ACCEPT, &t, false, &o), KERR_OK);
	assert_int_equal(o.kind, MATCH_NOT_FOR_US);
}

static void test_late_payment_follows_site_policy(void **state)
{
	struct match_transfer t = xfer("KP-AAAA0000", steem(1000));
	struct match_outcome o;

	(void)state;
	t.timestamp_ms = EXPIRES + 1;
	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_ACCEPT, &t, false, &o), KERR_OK);
	assert_int_equal(o.kind, MATCH_PAID);
	assert_true(o.late);
	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_REFUND, &t, false, &o), KERR_OK);
	assert_int_equal(o.kind, MATCH_LATE_REFUND);
	assert_int_equal(o.refund.amount, 1000);
	assert_int_equal(o.credited.amount, 0);
	assert_int_equal(o.still_due.amount, 1000);
}

static void test_non_positive_amount_is_refused(void **state)
{
	struct match_transfer t = xfer("KP-AAAA0000", steem(0));
	struct match_outcome o;

	(void)state;
	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_ACCEPT, &t, false, &o), KERR_INVAL);
	t.amount = steem(-5);
	assert_int_equal(matcher_apply(reqs, 2, COOP, SITE_LATE_ACCEPT, &t, false, &o), KERR_INVAL);
}

static void test_paycodes_are_unique_readable_and_never_encrypted(void **state)
{
	struct rng_fake rng;
	char codes[200][PAYCODE_LEN + 1];

	(void)state;
	rng_fake_init(&rng, 42);
	for (int i = 0; i < 200; i++) {
		assert_int_equal(matcher_paycode_new(&rng.base, codes[i], sizeof(codes[i])),
		                 KERR_OK);
		assert_int_equal(strlen(codes[i]), PAYCODE_LEN);
		assert_memory_equal(codes[i], "KP-", 3);
		assert_null(strpbrk(codes[i] + 3, "ILOU#abcdefghijklmnopqrstuvwxyz"));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(codes[i], codes[j]);
	}
	assert_int_equal(matcher_paycode_new(&rng.base, codes[0], PAYCODE_LEN), KERR_TOO_BIG);
}

/* A won-priced request of 38.462 STEEM with 0.5 % tolerance (192 milli-STEEM). */
static void test_a_shortfall_within_the_tolerance_pays_and_beyond_it_does_not(void **state)
{
	struct match_outcome o;

	(void)state;
	reqs[0].price = steem(38462);
	reqs[0].tolerance_bp = 50;
	/* 0.3 % short: 38.347 counts as paid in full, nothing still due. */
	o = apply_ok(xfer("KP-7H3QX9M2", steem(38347)), false);
	assert_int_equal(o.kind, MATCH_PAID);
	assert_int_equal(o.credited.amount, 38347);
	assert_int_equal(o.still_due.amount, 0);
	assert_int_equal(o.refund.amount, 0);
	/* Exactly at the edge (38462 - 192 = 38270) still counts; one milli less does not. */
	o = apply_ok(xfer("KP-7H3QX9M2", steem(38270)), false);
	assert_int_equal(o.kind, MATCH_PAID);
	o = apply_ok(xfer("KP-7H3QX9M2", steem(38269)), false);
	assert_int_equal(o.kind, MATCH_PARTIAL);
	/* 1 % short is underpaid, with the exact remainder in the same asset. */
	o = apply_ok(xfer("KP-7H3QX9M2", steem(38077)), false);
	assert_int_equal(o.kind, MATCH_PARTIAL);
	assert_int_equal(o.still_due.amount, 385);
	assert_string_equal(o.still_due.symbol, "STEEM");
	/* A top-up that brings the sum within the tolerance pays it. */
	reqs[0].received = steem(38077);
	o = apply_ok(xfer("KP-7H3QX9M2", steem(300)), false);
	assert_int_equal(o.kind, MATCH_PAID);
	/* Without a tolerance the same shortfall is partial, as before. */
	reqs[0].received = steem(0);
	reqs[0].tolerance_bp = 0;
	o = apply_ok(xfer("KP-7H3QX9M2", steem(38347)), false);
	assert_int_equal(o.kind, MATCH_PARTIAL);
	assert_int_equal(o.still_due.amount, 115);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_exact_payment_pays_the_order_with_that_memo, setup),
	    cmocka_unit_test_setup(test_memo_compared_trimmed_and_case_folded, setup),
	    cmocka_unit_test_setup(test_memo_with_line_ends_and_tabs_around_matches, setup),
	    cmocka_unit_test_setup(test_partial_payments_add_up_and_show_what_is_due, setup),
	    cmocka_unit_test_setup(test_overpayment_credits_price_and_refunds_excess, setup),
	    cmocka_unit_test_setup(test_wrong_asset_is_refunded_whole_and_credits_nothing, setup),
	    cmocka_unit_test_setup(test_duplicate_transfer_counts_once, setup),
	    cmocka_unit_test_setup(test_transfer_to_paid_order_is_refunded_not_credited_twice,
	                           setup),
	    cmocka_unit_test_setup(test_encrypted_and_unknown_memos_are_kept_for_staff, setup),
	    cmocka_unit_test_setup(test_transfer_to_another_account_is_ignored, setup),
	    cmocka_unit_test_setup(test_late_payment_follows_site_policy, setup),
	    cmocka_unit_test_setup(test_non_positive_amount_is_refused, setup),
	    cmocka_unit_test_setup(test_paycodes_are_unique_readable_and_never_encrypted, setup),
	    cmocka_unit_test_setup(
	        test_a_shortfall_within_the_tolerance_pays_and_beyond_it_does_not, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
