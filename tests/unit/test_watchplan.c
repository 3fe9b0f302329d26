/* Poll timing: just after each expected block while a request is open. */
#include "kiosk/watchplan.h"

#include "testutil.h"

static struct watchplan plan(void)
{
	struct watchplan p;

	watchplan_defaults(&p, 3000);
	return p;
}

static void test_open_request_polls_just_after_the_next_block(void **state)
{
	struct watchplan p = plan();
	struct watchplan_state s = {
	    .open_requests = true, .have_head = true, .head_time_ms = 900000, .now_ms = 900400};
	int64_t next = watchplan_next(&p, &s);

	(void)state;
	/* Due at 903000; asked for within a tenth of an interval after. */
	assert_true(next > 903000);
	assert_true(next <= 903000 + 300);
	/* Over a simulated hour of on-time blocks: one poll per block. */
	unsigned polls = 0;
	for (s.now_ms = 900400; s.now_ms < 900400 + 3600000;) {
		s.now_ms = watchplan_next(&p, &s);
		polls++;
		if (s.now_ms >= s.head_time_ms + 3000)
			s.head_time_ms += 3000; /* the block was there */
	}
	assert_in_range(polls, 1200 - 2, 1200 + 2);
}

static void test_late_block_is_asked_again_briskly_not_in_a_loop(void **state)
{
	struct watchplan p = plan();
	struct watchplan_state s = {.open_requests = true,
	                            .have_head = true,
	                            .head_time_ms = 900000,
	                            .now_ms = 903400,
	                            .last_poll_found_nothing = true};
	int64_t next = watchplan_next(&p, &s);

	(void)state;
	assert_true(next > s.now_ms);
	assert_true(next <= s.now_ms + 300);
	/* Behind by many blocks (catching up): no waiting at all. */
	s.last_poll_found_nothing = false;
	s.now_ms = 990000;
	assert_int_equal(watchplan_next(&p, &s), s.now_ms);
}

static void test_nothing_open_polls_rarely_and_offline_backs_off(void **state)
{
	struct watchplan p = plan();
	struct watchplan_state s = {.have_head = true, .head_time_ms = 900000, .now_ms = 903400};

	(void)state;
	assert_int_equal(watchplan_next(&p, &s), s.now_ms + 60000);
	s.open_requests = true;
	s.offline = true;
	assert_int_equal(watchplan_next(&p, &s), s.now_ms + 5000);
	s.offline = false;
	s.have_head = false;
	assert_int_equal(watchplan_next(&p, &s), s.now_ms);
}

static void test_stale_head_by_wall_clock(void **state)
{
	struct watchplan p = plan();

	(void)state;
	assert_false(watchplan_head_stale(&p, 900000, 900000 + 3000 * 10, 10));
	assert_true(watchplan_head_stale(&p, 900000, 900000 + 3000 * 10 + 1, 10));
}

/* Found by fuzz_watcher: a node's head stamped in the year 8769 put the next poll
 * off by millennia (and overflowed the watcher's timer arithmetic). */
static void test_head_ahead_of_the_clock_waits_one_block_at_most(void **state)
{
	struct watchplan p = plan();
	struct watchplan_state s = {.open_requests = true,
	                            .have_head = true,
	                            .head_time_ms = ((int64_t)1 << 40) * 1000,
	                            .now_ms = 1796424803000};
	int64_t next = watchplan_next(&p, &s);

	(void)state;
	assert_true(next >= s.now_ms);
	assert_true(next <= s.now_ms + 3000 + 300);
	/* The kiosk's clock a day behind (no RTC): still a poll per block. */
	s.head_time_ms = s.now_ms + 86400000;
	next = watchplan_next(&p, &s);
	assert_true(next <= s.now_ms + 3000 + 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_request_polls_just_after_the_next_block),
	    cmocka_unit_test(test_late_block_is_asked_again_briskly_not_in_a_loop),
	    cmocka_unit_test(test_nothing_open_polls_rarely_and_offline_backs_off),
	    cmocka_unit_test(test_stale_head_by_wall_clock),
	    cmocka_unit_test(test_head_ahead_of_the_clock_waits_one_block_at_most),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
