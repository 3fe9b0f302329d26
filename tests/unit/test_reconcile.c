/* Staff confirmations settled with the chain, or flagged after the deadline. */
#include "kiosk/reconcile.h"

#include <string.h>

#include "testutil.h"

static struct asset hive(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3, .symbol = "HIVE"};
	return a;
}

static struct reconcile_input base(void)
{
	struct reconcile_input in = {
	    .price = hive(7250),
	    .proven = hive(0),
	    .confirmed_at_s = 1000000,
	    .after_s = 86400,
	    .now_s = 1000000 + 3600,
	    .scanned_to_s = 1000000 + 3600,
	};
	return in;
}

static void test_full_payment_settles_at_once(void **state)
{
	struct reconcile_input in = base();
	struct reconcile_result r;

	(void)state;
	in.proven = hive(7250);
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_SETTLED);
	assert_int_equal(r.due.amount, 0);
	assert_int_equal(r.excess.amount, 0);
	in.proven = hive(8000);
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_SETTLED);
	assert_int_equal(r.excess.amount, 750);
}

static void test_nothing_flagged_before_the_deadline(void **state)
{
	struct reconcile_input in = base();
	struct reconcile_result r;

	(void)state;
	in.proven = hive(5000);
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_PENDING);
	assert_int_equal(r.due.amount, 2250);
	in.now_s = in.scanned_to_s = in.confirmed_at_s + in.after_s - 1;
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_PENDING);
}

static void test_after_the_deadline_underpaid_and_unpaid_are_flagged_with_amounts(void **state)
{
	struct reconcile_input in = base();
	struct reconcile_result r;

	(void)state;
	in.now_s = in.scanned_to_s = in.confirmed_at_s + in.after_s;
	in.proven = hive(5000);
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_UNDERPAID);
	assert_int_equal(r.due.amount, 2250);
	in.proven = hive(0);
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_UNPAID);
	assert_int_equal(r.due.amount, 7250);
	assert_string_equal(r.due.symbol, "HIVE");
}

static void test_a_kiosk_still_catching_up_does_not_flag(void **state)
{
	struct reconcile_input in = base();
	struct reconcile_result r;

	(void)state;
	/* Two days offline: the wall clock is past the deadline, the chain scan is not. */
	in.now_s = in.confirmed_at_s + 2 * 86400;
	in.scanned_to_s = in.confirmed_at_s + 600;
	assert_int_equal(reconcile_decide(&in, &r), KERR_OK);
	assert_int_equal(r.state, RECONCILE_PENDING);
}

static void test_mixed_assets_are_refused(void **state)
{
	struct reconcile_input in = base();
	struct reconcile_result r;

	(void)state;
	in.proven.precision = 3;
	strcpy(in.proven.symbol, "HBD");
	in.proven.amount = 7250;
	assert_int_equal(reconcile_decide(&in, &r), KERR_INVAL);
	assert_int_equal(r.state, RECONCILE_PENDING);
	assert_string_equal(reconcile_state_name(RECONCILE_UNDERPAID), "underpaid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_payment_settles_at_once),
	    cmocka_unit_test(test_nothing_flagged_before_the_deadline),
	    cmocka_unit_test(test_after_the_deadline_underpaid_and_unpaid_are_flagged_with_amounts),
	    cmocka_unit_test(test_a_kiosk_still_catching_up_does_not_flag),
	    cmocka_unit_test(test_mixed_assets_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
