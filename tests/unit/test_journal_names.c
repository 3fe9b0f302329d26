/*
 * The names the journal stores for payment methods, settlements and
 * handover kinds and outcomes: fixed for ever (old journals must read the
 * same), each the inverse of its parser, and nothing else parses.
 */
#include "kiosk/handover.h"
#include "kiosk/pay_method.h"
#include "kiosk/reconcile.h"

#include <string.h>

#include "testutil.h"

static void test_payment_methods(void **state)
{
	static const char *const want[PAY_METHOD_COUNT] = {
	    [PAY_CHAIN_PENDING] = "chain_pending",
	    [PAY_CASH] = "cash",
	    [PAY_BANK] = "bank",
	    [PAY_WAIVED] = "waived",
	};
	enum pay_method m;

	(void)state;
	for (int i = 0; i < PAY_METHOD_COUNT; i++) {
		assert_string_equal(pay_method_name((enum pay_method)i), want[i]);
		assert_int_equal(pay_method_parse(want[i], &m), KERR_OK);
		assert_int_equal(m, i);
	}
	assert_string_equal(pay_method_name(PAY_METHOD_COUNT), "?");
	assert_string_equal(pay_method_name((enum pay_method) - 1), "?");
	assert_int_equal(pay_method_parse("card", &m), KERR_PARSE);
	assert_int_equal(pay_method_parse("Cash", &m), KERR_PARSE);
	assert_int_equal(pay_method_parse("", &m), KERR_PARSE);
	assert_int_equal(pay_method_parse("?", &m), KERR_PARSE);
	assert_int_equal(pay_method_parse(NULL, &m), KERR_PARSE);
}

static void test_settlements(void **state)
{
	static const struct {
		enum reconcile_state s;
		const char *name;
	} want[] = {
	    {RECONCILE_PENDING, "pending"},
	    {RECONCILE_SETTLED, "settled"},
	    {RECONCILE_UNDERPAID, "underpaid"},
	    {RECONCILE_UNPAID, "unpaid"},
	};
	enum reconcile_state s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(reconcile_state_name(want[i].s), want[i].name);
		assert_int_equal(reconcile_state_parse(want[i].name, &s), KERR_OK);
		assert_int_equal(s, want[i].s);
	}
	assert_string_equal(reconcile_state_name((enum reconcile_state)99), "?");
	assert_int_equal(reconcile_state_parse("paid", &s), KERR_PARSE);
	assert_int_equal(reconcile_state_parse("?", &s), KERR_PARSE);
	assert_int_equal(reconcile_state_parse(NULL, &s), KERR_PARSE);
}

static void test_handover_kinds_and_outcomes(void **state)
{
	enum handover_kind k;
	enum handover_outcome o;

	(void)state;
	assert_string_equal(handover_kind_name(HANDOVER_LOCKER), "locker");
	assert_string_equal(handover_kind_name(HANDOVER_RECEIPT), "receipt");
	assert_string_equal(handover_kind_name((enum handover_kind)2), "?");
	assert_int_equal(handover_kind_parse("locker", &k), KERR_OK);
	assert_int_equal(k, HANDOVER_LOCKER);
	assert_int_equal(handover_kind_parse("receipt", &k), KERR_OK);
	assert_int_equal(k, HANDOVER_RECEIPT);
	assert_int_equal(handover_kind_parse("drone", &k), KERR_PARSE);
	assert_int_equal(handover_kind_parse(NULL, &k), KERR_PARSE);

	assert_string_equal(handover_outcome_name(HANDOVER_OK), "ok");
	assert_string_equal(handover_outcome_name(HANDOVER_FAILED), "failed");
	assert_string_equal(handover_outcome_name(HANDOVER_INTERRUPTED), "interrupted");
	assert_string_equal(handover_outcome_name((enum handover_outcome)3), "?");
	assert_int_equal(handover_outcome_parse("ok", &o), KERR_OK);
	assert_int_equal(o, HANDOVER_OK);
	assert_int_equal(handover_outcome_parse("failed", &o), KERR_OK);
	assert_int_equal(o, HANDOVER_FAILED);
	assert_int_equal(handover_outcome_parse("interrupted", &o), KERR_OK);
	assert_int_equal(o, HANDOVER_INTERRUPTED);
	assert_int_equal(handover_outcome_parse("OK", &o), KERR_PARSE);
	assert_int_equal(handover_outcome_parse("", &o), KERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payment_methods),
	    cmocka_unit_test(test_settlements),
	    cmocka_unit_test(test_handover_kinds_and_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
