#include "kiosk/policy.h"

#include <string.h>

#include "testutil.h"

static struct asset steem(int64_t milli)
{
	struct asset a = {.amount = milli, .precision = 3};

	strcpy(a.symbol, "STEEM");
	return a;
}

static struct policy_result check(const struct policy *p, struct policy_input in)
{
	struct policy_result r;

	assert_int_equal(policy_check(p, &in, &r), KERR_OK);
	return r;
}

static void test_head_mode_confirms_once_in_a_block(void **state)
{
	struct policy p = {.mode = SITE_CONFIRM_HEAD};
	struct policy_result r = check(&p, (struct policy_input){.amount = steem(1000),
	                                                         .tx_block = 100,
	                                                         .head_block = 100,
	                                                         .irreversible_block = 85,
	                                                         .agreeing_nodes = 1});

	(void)state;
	assert_true(r.confirmed);
	assert_false(r.strict);
	assert_int_equal(r.have, 1);
	assert_int_equal(r.need, 1);
}

static void test_blocks_mode_counts_its_own_block(void **state)
{
	struct policy p = {.mode = SITE_CONFIRM_BLOCKS, .blocks = 3};
	struct policy_input in = {.amount = steem(1000),
	                          .tx_block = 100,
	                          .head_block = 101,
	                          .irreversible_block = 85,
	                          .agreeing_nodes = 1};
	struct policy_result r = check(&p, in);

	(void)state;
	assert_false(r.confirmed);
	assert_int_equal(r.have, 2);
	assert_int_equal(r.need, 3);
	in.head_block = 102;
	r = check(&p, in);
	assert_true(r.confirmed);
	assert_int_equal(r.have, 3);
}

static void test_irreversible_mode_waits_for_lib(void **state)
{
	struct policy p = {.mode = SITE_CONFIRM_IRREVERSIBLE};
	struct policy_input in = {.amount = steem(1000),
	                          .tx_block = 100,
	                          .head_block = 110,
	                          .irreversible_block = 99,
	                          .agreeing_nodes = 1};
	struct policy_result r = check(&p, in);

	(void)state;
	assert_false(r.confirmed);
	assert_true(r.have < r.need);
	in.irreversible_block = 100;
	r = check(&p, in);
	assert_true(r.confirmed);
}

static void test_amount_above_threshold_needs_irreversible_and_two_nodes(void **state)
{
	struct policy p = {
	    .mode = SITE_CONFIRM_HEAD, .strict_set = true, .strict_above = steem(50000)};
	struct policy_input in = {.amount = steem(50001),
	                          .tx_block = 100,
	                          .head_block = 100,
	                          .irreversible_block = 90,
	                          .agreeing_nodes = 1};
	struct policy_result r = check(&p, in);

	(void)state;
	assert_true(r.strict);
	assert_false(r.confirmed);
	in.irreversible_block = 100;
	r = check(&p, in);
	assert_false(r.confirmed);
	assert_true(r.waiting_for_second_node);
	in.agreeing_nodes = 2;
	r = check(&p, in);
	assert_true(r.confirmed);
	/* At the threshold itself the normal rule applies. */
	in = (struct policy_input){.amount = steem(50000),
	                           .tx_block = 100,
	                           .head_block = 100,
	                           .irreversible_block = 90,
	                           .agreeing_nodes = 1};
	r = check(&p, in);
	assert_false(r.strict);
	assert_true(r.confirmed);
}

static void test_amount_of_other_kind_than_threshold_is_treated_strictly(void **state)
{
	struct policy p = {
	    .mode = SITE_CONFIRM_HEAD, .strict_set = true, .strict_above = steem(50000)};
	struct policy_input in = {.amount = steem(1),
	                          .tx_block = 100,
	                          .head_block = 100,
	                          .irreversible_block = 90,
	                          .agreeing_nodes = 1};
	struct policy_result r;

	(void)state;
	strcpy(in.amount.symbol, "SBD");
	r = check(&p, in);
	assert_true(r.strict);
	assert_false(r.confirmed);
}

static void test_impossible_chain_state_is_never_confirmed(void **state)
{
	struct policy p = {.mode = SITE_CONFIRM_HEAD};
	struct policy_input in = {.amount = steem(1000),
	                          .tx_block = 101,
	                          .head_block = 100,
	                          .irreversible_block = 90,
	                          .agreeing_nodes = 1};
	struct policy_result r;

	(void)state;
	assert_int_equal(policy_check(&p, &in, &r), KERR_INVAL);
	assert_false(r.confirmed);
	in.tx_block = 0;
	assert_int_equal(policy_check(&p, &in, &r), KERR_INVAL);
	in.tx_block = 100;
	in.irreversible_block = 101;
	assert_int_equal(policy_check(&p, &in, &r), KERR_INVAL);
	assert_false(r.confirmed);
}

static void test_policy_from_site_copies_mode_and_threshold(void **state)
{
	struct site s;
	struct policy p;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.confirm = SITE_CONFIRM_BLOCKS;
	s.confirm_blocks = 5;
	s.strict_set = true;
	s.strict_above = steem(7000);
	policy_from_site(&s, &p);
	assert_int_equal(p.mode, SITE_CONFIRM_BLOCKS);
	assert_int_equal(p.blocks, 5);
	assert_true(p.strict_set);
	assert_int_equal(p.strict_above.amount, 7000);
}

/* An order paid in parts is as weak as its weakest part: a confirmed first
 * part does not carry an unconfirmed top-up. */
static void test_every_transfer_of_an_order_must_be_confirmed(void **state)
{
	struct policy_result r[3] = {
	    {.confirmed = true, .have = 20, .need = 20},
	    {.confirmed = false, .have = 2, .need = 20},
	    {.confirmed = false, .have = 9, .need = 20, .waiting_for_second_node = true},
	};
	struct policy_result out;

	(void)state;
	policy_combine(r, 3, &out);
	assert_false(out.confirmed);
	assert_true(out.waiting_for_second_node);
	assert_int_equal(out.have, 2);
	assert_int_equal(out.need, 20);
	/* Order does not matter: the weakest still decides. */
	policy_combine(&r[1], 2, &out);
	assert_int_equal(out.have, 2);
	policy_combine(r, 1, &out);
	assert_true(out.confirmed);
	assert_false(out.waiting_for_second_node);
	assert_int_equal(out.have, 20);
	/* Progress compares as a fraction: 1 of 3 is behind 5 of 10. */
	r[1] = (struct policy_result){.have = 5, .need = 10};
	r[2] = (struct policy_result){.have = 1, .need = 3};
	policy_combine(&r[1], 2, &out);
	assert_int_equal(out.have, 1);
	assert_int_equal(out.need, 3);
	r[0].confirmed = r[1].confirmed = r[2].confirmed = true;
	policy_combine(r, 3, &out);
	assert_true(out.confirmed);
	policy_combine(r, 0, &out);
	assert_false(out.confirmed);
}

static void test_one_node_makes_every_payment_strict(void **state)
{
	struct site s;
	struct policy p;
	struct policy_result r;
	struct policy_input in = {.amount = steem(1),
	                          .tx_block = 100,
	                          .head_block = 130,
	                          .irreversible_block = 110,
	                          .agreeing_nodes = 1};

	(void)state;
	memset(&s, 0, sizeof(s));
	s.confirm = SITE_CONFIRM_HEAD;
	s.node_count = 1;
	policy_from_site(&s, &p);
	assert_true(p.one_node);
	/* The smallest payment, irreversible: still waits for a second node that never comes. */
	assert_int_equal(policy_check(&p, &in, &r), KERR_OK);
	assert_true(r.strict);
	assert_true(r.waiting_for_second_node);
	assert_false(r.confirmed);
	s.node_count = 2;
	policy_from_site(&s, &p);
	assert_false(p.one_node);
	assert_int_equal(policy_check(&p, &in, &r), KERR_OK);
	assert_true(r.confirmed);
}

static void test_head_mode_only_up_to_head_max(void **state)
{
	struct policy p = {.mode = SITE_CONFIRM_HEAD, .head_max_set = true, .head_max = {0}};
	struct policy_result r;
	struct policy_input in = {.amount = steem(5000),
	                          .tx_block = 100,
	                          .head_block = 100,
	                          .irreversible_block = 90,
	                          .agreeing_nodes = 1};

	(void)state;
	p.head_max = steem(5000);
	assert_int_equal(policy_check(&p, &in, &r), KERR_OK);
	assert_true(r.confirmed);
	/* Above the cap: the block must be irreversible first. */
	in.amount = steem(5001);
	assert_int_equal(policy_check(&p, &in, &r), KERR_OK);
	assert_false(r.confirmed);
	in.irreversible_block = 100;
	assert_int_equal(policy_check(&p, &in, &r), KERR_OK);
	assert_true(r.confirmed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_head_mode_confirms_once_in_a_block),
	    cmocka_unit_test(test_blocks_mode_counts_its_own_block),
	    cmocka_unit_test(test_irreversible_mode_waits_for_lib),
	    cmocka_unit_test(test_amount_above_threshold_needs_irreversible_and_two_nodes),
	    cmocka_unit_test(test_amount_of_other_kind_than_threshold_is_treated_strictly),
	    cmocka_unit_test(test_impossible_chain_state_is_never_confirmed),
	    cmocka_unit_test(test_policy_from_site_copies_mode_and_threshold),
	    cmocka_unit_test(test_every_transfer_of_an_order_must_be_confirmed),
	    cmocka_unit_test(test_one_node_makes_every_payment_strict),
	    cmocka_unit_test(test_head_mode_only_up_to_head_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
