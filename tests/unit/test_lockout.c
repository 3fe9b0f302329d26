/* Wrong-code lockouts as arithmetic: when they lock, for how long, and how they grow. */
#include "kiosk/lockout.h"

#include "testutil.h"

#define MIN (60 * 1000LL)

static void test_five_wrong_codes_lock_an_order_for_15_minutes_doubling(void **state)
{
	struct lockout l = {0};
	int64_t t = 1000000;
	int64_t left;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_false(lockout_record(&lockout_pickup_order, &l, t + i, false));
	assert_false(lockout_locked(&l, t + 4, NULL));
	assert_true(lockout_record(&lockout_pickup_order, &l, t + 4, false));
	assert_true(lockout_locked(&l, t + 4, &left));
	assert_int_equal(left, 15 * MIN);
	assert_true(lockout_locked(&l, t + 4 + 15 * MIN - 1, NULL));
	assert_false(lockout_locked(&l, t + 4 + 15 * MIN, &left));
	assert_int_equal(left, 0);
	/* Five more after it ends: 30 min, then 60, 120 ... */
	t += 4 + 15 * MIN;
	for (int i = 0; i < 4; i++)
		assert_false(lockout_record(&lockout_pickup_order, &l, t, false));
	assert_true(lockout_record(&lockout_pickup_order, &l, t, false));
	assert_int_equal(l.until_ms - t, 30 * MIN);
	assert_int_equal(lockout_length_ms(&lockout_pickup_order, 2), 60 * MIN);
	assert_int_equal(lockout_length_ms(&lockout_pickup_order, 6), 16 * 60 * MIN);
	/* ... never longer than a day, however often. */
	assert_int_equal(lockout_length_ms(&lockout_pickup_order, 7), 24 * 60 * MIN);
	assert_int_equal(lockout_length_ms(&lockout_pickup_order, 60), 24 * 60 * MIN);
	/* The right code clears the count and the level. */
	assert_false(lockout_record(&lockout_pickup_order, &l, t + 30 * MIN, true));
	assert_int_equal(l.failures, 0);
	assert_int_equal(l.level, 0);
}

static void test_the_kiosk_locks_after_twenty_wrong_codes_within_an_hour(void **state)
{
	struct lockout l = {0};
	int64_t t = 5000000;

	(void)state;
	/* Nineteen, then the hour passes: the count starts again. */
	for (int i = 0; i < 19; i++)
		assert_false(lockout_record(&lockout_pickup_kiosk, &l, t + i * MIN, false));
	t += 60 * MIN;
	assert_false(lockout_record(&lockout_pickup_kiosk, &l, t, false));
	assert_int_equal(l.failures, 1);
	for (int i = 1; i < 19; i++)
		assert_false(lockout_record(&lockout_pickup_kiosk, &l, t + i, false));
	assert_true(lockout_record(&lockout_pickup_kiosk, &l, t + 19, false));
	assert_int_equal(l.until_ms, t + 19 + 15 * MIN);
	/* It does not grow: the next one is 15 minutes again. */
	assert_int_equal(lockout_length_ms(&lockout_pickup_kiosk, 5), 15 * MIN);
}

static void test_staff_codes_escalate_and_a_login_resets_nothing(void **state)
{
	const struct lockout_rule r = {.max_failures = 5,
	                               .window_ms = 24 * 60 * MIN,
	                               .base_ms = 5 * MIN,
	                               .max_ms = 24 * 60 * MIN,
	                               .escalate = true,
	                               .keep_on_success = true,
	                               .decay_ms = 7 * 24 * 60 * MIN};
	struct lockout l = {0};
	int64_t t = 1000;

	(void)state;
	/* Four wrong, a colleague logs in, one more wrong: it locks anyway. */
	for (int i = 0; i < 4; i++)
		assert_false(lockout_record(&r, &l, t, false));
	assert_false(lockout_record(&r, &l, t, true));
	assert_true(lockout_record(&r, &l, t, false));
	assert_int_equal(l.until_ms - t, 5 * MIN);
	/* 5, 10, 20 ... 1280 minutes, then a day each time. */
	assert_int_equal(lockout_length_ms(&r, 8), 1280 * MIN);
	assert_int_equal(lockout_length_ms(&r, 9), 24 * 60 * MIN);
	t = l.until_ms;
	for (int i = 0; i < 5; i++)
		(void)lockout_record(&r, &l, t, false);
	assert_int_equal(l.until_ms - t, 10 * MIN);
	assert_int_equal(l.level, 2);
	/* A week after the last lock ended, the doubling starts again. */
	t = l.until_ms + 7 * 24 * 60 * MIN;
	assert_false(lockout_record(&r, &l, t, true));
	assert_int_equal(l.level, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_five_wrong_codes_lock_an_order_for_15_minutes_doubling),
	    cmocka_unit_test(test_the_kiosk_locks_after_twenty_wrong_codes_within_an_hour),
	    cmocka_unit_test(test_staff_codes_escalate_and_a_login_resets_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
