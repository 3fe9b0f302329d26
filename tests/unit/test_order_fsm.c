/* The order lifecycle table: what may happen, and above all what may not. */
#include "kiosk/order_fsm.h"

#include <string.h>

#include "testutil.h"

static bool allowed(enum order_state from, enum order_event ev, enum order_state *to)
{
	return order_fsm_next(from, ev, to) == KERR_OK;
}

static void test_happy_path_reaches_handed_over(void **state)
{
	static const enum order_event path[] = {
	    ORDER_EV_REQUEST,        ORDER_EV_PAID_FULL,     ORDER_EV_CONFIRMED,
	    ORDER_EV_HANDOVER_START, ORDER_EV_HANDOVER_DONE,
	};
	static const enum order_state want[] = {
	    ORDER_AWAITING_PAYMENT, ORDER_PAID_CONFIRMING, ORDER_PAID,
	    ORDER_HANDING_OVER,     ORDER_HANDED_OVER,
	};
	enum order_state s = ORDER_READY;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(path); i++) {
		assert_true(allowed(s, path[i], &s));
		assert_int_equal(s, want[i]);
	}
	assert_true(order_state_final(s));
}

static void test_handover_only_starts_from_paid(void **state)
{
	(void)state;
	for (unsigned s = 0; s < ORDER_STATE_COUNT; s++) {
		enum order_state to;
		bool ok = allowed((enum order_state)s, ORDER_EV_HANDOVER_START, &to);

		assert_int_equal(ok, s == ORDER_PAID);
		if (!ok)
			assert_int_equal(to, s);
	}
	/* The only other way in is an explicit resume of a failed handover. */
	size_t n;
	const struct order_transition *t = order_fsm_table(&n);
	for (size_t i = 0; i < n; i++)
		if (t[i].to == ORDER_HANDING_OVER)
			assert_true(
			    (t[i].from == ORDER_PAID && t[i].event == ORDER_EV_HANDOVER_START) ||
			    (t[i].from == ORDER_HANDOVER_FAILED && t[i].event == ORDER_EV_RESUME));
}

static void test_paid_only_through_confirmation_or_staff(void **state)
{
	size_t n;
	const struct order_transition *t = order_fsm_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (t[i].to == ORDER_PAID)
			assert_true(t[i].event == ORDER_EV_CONFIRMED ||
			            t[i].event == ORDER_EV_STAFF_CONFIRM);
}

static void test_interrupted_handover_waits_for_an_explicit_resume(void **state)
{
	enum order_state s = ORDER_HANDING_OVER;

	(void)state;
	assert_true(allowed(s, ORDER_EV_INTERRUPTED, &s));
	assert_int_equal(s, ORDER_HANDOVER_FAILED);
	/* Nothing automatic moves it on: no start, no confirm, no expiry. */
	assert_false(allowed(s, ORDER_EV_HANDOVER_START, &s));
	assert_false(allowed(s, ORDER_EV_CONFIRMED, &s));
	assert_false(allowed(s, ORDER_EV_EXPIRE, &s));
	assert_true(allowed(s, ORDER_EV_RESUME, &s));
	assert_int_equal(s, ORDER_HANDING_OVER);
}

static void test_final_states_have_no_way_out(void **state)
{
	size_t n;
	const struct order_transition *t = order_fsm_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_false(order_state_final(t[i].from));
	for (unsigned ev = 0; ev < ORDER_EV_COUNT; ev++) {
		enum order_state to;

		assert_false(allowed(ORDER_HANDED_OVER, (enum order_event)ev, &to));
		assert_false(allowed(ORDER_CANCELLED, (enum order_event)ev, &to));
	}
}

static void test_money_received_is_never_cancelled_silently(void **state)
{
	static const enum order_state holding[] = {
	    ORDER_UNDERPAID,
	    ORDER_PAID_CONFIRMING,
	    ORDER_PAID,
	    ORDER_HANDOVER_FAILED,
	};
	enum order_state to;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(holding); i++) {
		assert_true(allowed(holding[i], ORDER_EV_CANCEL, &to));
		assert_int_equal(to, ORDER_REFUND_DUE);
	}
	assert_true(allowed(ORDER_UNDERPAID, ORDER_EV_EXPIRE, &to));
	assert_int_equal(to, ORDER_REFUND_DUE);
}

static void test_table_is_deterministic_and_every_state_reachable(void **state)
{
	size_t n;
	const struct order_transition *t = order_fsm_table(&n);
	bool seen[ORDER_STATE_COUNT] = {[ORDER_READY] = true};
	bool grew = true;

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_false(t[i].from == t[j].from && t[i].event == t[j].event);
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			if (seen[t[i].from] && !seen[t[i].to])
				seen[t[i].to] = grew = true;
	}
	for (unsigned s = 0; s < ORDER_STATE_COUNT; s++)
		if (!seen[s])
			fail_msg("state %s unreachable from ready",
			         order_state_name((enum order_state)s));
}

/* The sweep's moves: an unpaid request lapses, a part-paid one owes back,
 * and an expired order still takes a late payment (late_payment = accept). */
static void test_expiry_and_late_payments(void **state)
{
	enum order_state to;

	(void)state;
	assert_true(allowed(ORDER_AWAITING_PAYMENT, ORDER_EV_EXPIRE, &to));
	assert_int_equal(to, ORDER_EXPIRED);
	assert_true(allowed(ORDER_UNDERPAID, ORDER_EV_EXPIRE, &to));
	assert_int_equal(to, ORDER_REFUND_DUE);
	assert_true(allowed(ORDER_EXPIRED, ORDER_EV_PAID_FULL, &to));
	assert_int_equal(to, ORDER_PAID_CONFIRMING);
	assert_true(allowed(ORDER_EXPIRED, ORDER_EV_PAID_PART, &to));
	assert_int_equal(to, ORDER_UNDERPAID);
	assert_true(allowed(ORDER_EXPIRED, ORDER_EV_REQUEST, &to));
	assert_int_equal(to, ORDER_AWAITING_PAYMENT);
	/* Late and in full: confirmed, then handed over like any paid order. */
	assert_true(allowed(ORDER_PAID_CONFIRMING, ORDER_EV_CONFIRMED, &to));
	assert_true(allowed(to, ORDER_EV_HANDOVER_START, &to));
	/* Only a request awaiting payment or part paid expires; money in is never just expired. */
	for (unsigned s = 0; s < ORDER_STATE_COUNT; s++) {
		bool ok = allowed((enum order_state)s, ORDER_EV_EXPIRE, &to);

		assert_int_equal(ok, s == ORDER_AWAITING_PAYMENT || s == ORDER_UNDERPAID);
	}
}

static void test_event_names_are_distinct(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ORDER_EV_COUNT; i++) {
		assert_string_not_equal(order_event_name((enum order_event)i), "?");
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(order_event_name((enum order_event)i),
			                        order_event_name((enum order_event)j));
	}
	assert_string_equal(order_event_name(ORDER_EV_COUNT), "?");
	assert_true(order_fsm_may_hand_over(ORDER_PAID));
	assert_false(order_fsm_may_hand_over(ORDER_PAID_CONFIRMING));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_happy_path_reaches_handed_over),
	    cmocka_unit_test(test_handover_only_starts_from_paid),
	    cmocka_unit_test(test_paid_only_through_confirmation_or_staff),
	    cmocka_unit_test(test_interrupted_handover_waits_for_an_explicit_resume),
	    cmocka_unit_test(test_final_states_have_no_way_out),
	    cmocka_unit_test(test_money_received_is_never_cancelled_silently),
	    cmocka_unit_test(test_table_is_deterministic_and_every_state_reachable),
	    cmocka_unit_test(test_event_names_are_distinct),
	    cmocka_unit_test(test_expiry_and_late_payments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
