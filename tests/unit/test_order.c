/* Order names are what the journal stores: they must round-trip exactly. */
#include "kiosk/order.h"

#include <string.h>

#include "testutil.h"

static void test_every_state_name_round_trips(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ORDER_STATE_COUNT; i++) {
		enum order_state s;

		assert_string_not_equal(order_state_name((enum order_state)i), "?");
		assert_int_equal(order_state_parse(order_state_name((enum order_state)i), &s),
		                 KERR_OK);
		assert_int_equal(s, i);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(order_state_name((enum order_state)i),
			                        order_state_name((enum order_state)j));
	}
}

static void test_unknown_names_are_refused(void **state)
{
	enum order_state s;
	enum order_pickup p;

	(void)state;
	assert_int_equal(order_state_parse("Paid", &s), KERR_PARSE);
	assert_int_equal(order_state_parse("", &s), KERR_PARSE);
	assert_int_equal(order_state_parse(NULL, &s), KERR_PARSE);
	assert_string_equal(order_state_name(ORDER_STATE_COUNT), "?");
	assert_int_equal(order_pickup_parse("drone", &p), KERR_PARSE);
	assert_int_equal(order_pickup_parse("receipt", &p), KERR_OK);
	assert_int_equal(p, ORDER_PICKUP_RECEIPT);
	assert_string_equal(order_pickup_name(p), "receipt");
}

static void test_only_handed_over_and_cancelled_are_final(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ORDER_STATE_COUNT; i++)
		assert_int_equal(order_state_final((enum order_state)i),
		                 i == ORDER_HANDED_OVER || i == ORDER_CANCELLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_name_round_trips),
	    cmocka_unit_test(test_unknown_names_are_refused),
	    cmocka_unit_test(test_only_handed_over_and_cancelled_are_final),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
