/* Handover sequencing: intent journaled before the act, outcome after,
 * never an act after a restart without an explicit resume. */
#include "kiosk/handover.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

struct fake {
	char log[512];
	enum kerr begin_err, act_err, finish_err;
	enum handover_outcome last_outcome;
	enum order_state last_to;
	int acts;
};

static void note(struct fake *f, const char *what)
{
	strncat(f->log, what, sizeof(f->log) - strlen(f->log) - 1);
	strncat(f->log, ";", sizeof(f->log) - strlen(f->log) - 1);
}

static enum kerr fake_begin(void *ctx, const struct order *o, enum order_state from,
                            enum handover_kind kind, unsigned compartment, const char *cause,
                            int64_t *intent_id)
{
	struct fake *f = ctx;
	char buf[96];

	(void)o;
	(void)cause;
	*intent_id = 0;
	if (f->begin_err)
		return f->begin_err;
	snprintf(buf, sizeof(buf), "begin %s %s %u", order_state_name(from),
	         kind == HANDOVER_LOCKER ? "locker" : "receipt", compartment);
	note(f, buf);
	*intent_id = 77;
	return KERR_OK;
}

static enum kerr fake_finish(void *ctx, int64_t intent_id, const struct order *o,
                             enum handover_outcome outcome, enum order_state to, const char *detail)
{
	struct fake *f = ctx;
	char buf[96];

	(void)o;
	(void)detail;
	if (f->finish_err)
		return f->finish_err;
	snprintf(buf, sizeof(buf), "finish %lld %d %s", (long long)intent_id, (int)outcome,
	         order_state_name(to));
	note(f, buf);
	f->last_outcome = outcome;
	f->last_to = to;
	return KERR_OK;
}

static enum kerr fake_act(void *ctx, const struct order *o, enum handover_kind kind,
                          unsigned compartment)
{
	struct fake *f = ctx;

	(void)o;
	(void)kind;
	(void)compartment;
	f->acts++;
	note(f, "act");
	return f->act_err;
}

static const struct handover_ops ops = {
    .begin = fake_begin, .finish = fake_finish, .act = fake_act};

static struct order paid_locker(void)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	o.state = ORDER_PAID;
	o.pickup = ORDER_PICKUP_LOCKER;
	o.compartment = 3;
	return o;
}

static void test_intent_is_journaled_before_the_act_and_outcome_after(void **state)
{
	struct fake f = {0};
	struct handover h;
	struct order o = paid_locker();

	(void)state;
	handover_init(&h, &ops, &f);
	assert_int_equal(handover_start(&h, &o, false, "member paid"), KERR_OK);
	assert_string_equal(f.log, "begin paid locker 3;act;");
	assert_int_equal(handover_start(&h, &o, false, "again"), KERR_BUSY);
	assert_int_equal(handover_done(&h, true, "door opened"), KERR_OK);
	assert_string_equal(f.log, "begin paid locker 3;act;finish 77 0 handed_over;");
	assert_int_equal(handover_done(&h, true, "twice"), KERR_STATE);
}

static void test_no_act_without_proven_payment(void **state)
{
	static const enum order_state not_paid[] = {
	    ORDER_READY,        ORDER_AWAITING_PAYMENT, ORDER_PAID_CONFIRMING, ORDER_UNDERPAID,
	    ORDER_EXPIRED,      ORDER_REFUND_DUE,       ORDER_HANDED_OVER,     ORDER_CANCELLED,
	    ORDER_HANDING_OVER, ORDER_HANDOVER_FAILED,
	};
	struct fake f = {0};
	struct handover h;

	(void)state;
	handover_init(&h, &ops, &f);
	for (size_t i = 0; i < ARRAY_SIZE(not_paid); i++) {
		struct order o = paid_locker();

		o.state = not_paid[i];
		assert_int_equal(handover_start(&h, &o, false, "try"), KERR_STATE);
	}
	assert_int_equal(f.acts, 0);
	assert_string_equal(f.log, "");
}

static void test_a_journal_refusal_means_no_act(void **state)
{
	struct fake f = {.begin_err = KERR_STATE};
	struct handover h;
	struct order o = paid_locker();

	(void)state;
	handover_init(&h, &ops, &f);
	assert_int_equal(handover_start(&h, &o, false, "race"), KERR_STATE);
	f.begin_err = KERR_IO;
	assert_int_equal(handover_start(&h, &o, false, "disk"), KERR_IO);
	assert_int_equal(f.acts, 0);
	assert_false(h.busy);
}

static void test_a_failed_act_is_journaled_failed(void **state)
{
	struct fake f = {.act_err = KERR_IO};
	struct handover h;
	struct order o = paid_locker();

	(void)state;
	handover_init(&h, &ops, &f);
	assert_int_equal(handover_start(&h, &o, false, "paid"), KERR_IO);
	assert_int_equal(f.last_outcome, HANDOVER_FAILED);
	assert_int_equal(f.last_to, ORDER_HANDOVER_FAILED);
	assert_false(h.busy);
}

static void test_restart_marks_interrupted_and_only_an_explicit_resume_acts(void **state)
{
	struct fake f = {0};
	struct handover h;
	struct order o = paid_locker();

	(void)state;
	handover_init(&h, &ops, &f);
	o.state = ORDER_HANDING_OVER;
	assert_int_equal(handover_recover(&h, &o, 41), KERR_OK);
	assert_int_equal(f.acts, 0);
	assert_int_equal(f.last_outcome, HANDOVER_INTERRUPTED);
	assert_int_equal(f.last_to, ORDER_HANDOVER_FAILED);
	o.state = ORDER_HANDOVER_FAILED;
	assert_int_equal(handover_start(&h, &o, false, "not a resume"), KERR_STATE);
	assert_int_equal(f.acts, 0);
	assert_int_equal(handover_start(&h, &o, true, "staff resumed"), KERR_OK);
	assert_int_equal(f.acts, 1);
	assert_non_null(strstr(f.log, "begin handover_failed locker 3;act;"));
}

static void test_unwritable_outcome_keeps_the_bank_busy(void **state)
{
	struct fake f = {0};
	struct handover h;
	struct order o = paid_locker();

	(void)state;
	handover_init(&h, &ops, &f);
	assert_int_equal(handover_start(&h, &o, false, "paid"), KERR_OK);
	f.finish_err = KERR_IO;
	assert_int_equal(handover_done(&h, true, "opened"), KERR_IO);
	assert_true(h.busy);
	o.compartment = 4;
	strcpy(o.id, "B1");
	assert_int_equal(handover_start(&h, &o, false, "next"), KERR_BUSY);
	assert_int_equal(f.acts, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intent_is_journaled_before_the_act_and_outcome_after),
	    cmocka_unit_test(test_no_act_without_proven_payment),
	    cmocka_unit_test(test_a_journal_refusal_means_no_act),
	    cmocka_unit_test(test_a_failed_act_is_journaled_failed),
	    cmocka_unit_test(test_restart_marks_interrupted_and_only_an_explicit_resume_acts),
	    cmocka_unit_test(test_unwritable_outcome_keeps_the_bank_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
