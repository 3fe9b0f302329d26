#include "kiosk/loop.h"

#include <poll.h>
#include <unistd.h>

#include "testutil.h"

struct counter {
	struct loop_timer t;
	struct loop *l;
	int fired;
	int64_t fired_at;
	int rearm_ms;
};

static void handle_count(struct loop_timer *t)
{
	struct counter *c = container_of(t, struct counter, t);

	c->fired++;
	c->fired_at = clock_mono_ns(loop_clock(c->l));
	if (c->rearm_ms)
		loop_timer_arm(c->l, t, c->rearm_ms * NS_PER_MS);
}

static void test_timer_fires_only_when_fake_clock_reaches_deadline(void **state)
{
	struct clock_fake clk;
	struct loop *l;
	struct counter c = {.t.handle = handle_count};

	(void)state;
	clock_fake_init(&clk, 1700000000000);
	assert_int_equal(loop_new(&clk.base, &l), KERR_OK);
	c.l = l;
	loop_timer_arm(l, &c.t, 3 * NS_PER_S);
	assert_true(loop_timer_armed(&c.t));
	clock_fake_advance(&clk, 3 * NS_PER_S - 1);
	assert_int_equal(loop_fire_due(l), 0);
	assert_int_equal(c.fired, 0);
	clock_fake_advance(&clk, 1);
	assert_int_equal(loop_fire_due(l), 1);
	assert_int_equal(c.fired, 1);
	assert_false(loop_timer_armed(&c.t));
	assert_int_equal(loop_fire_due(l), 0);
	loop_free(l);
}

static void test_timers_fire_in_deadline_order_and_rearm(void **state)
{
	struct clock_fake clk;
	struct loop *l;
	struct counter a = {.t.handle = handle_count, .rearm_ms = 100};
	struct counter b = {.t.handle = handle_count};

	(void)state;
	clock_fake_init(&clk, 0);
	assert_int_equal(loop_new(&clk.base, &l), KERR_OK);
	a.l = b.l = l;
	loop_timer_arm(l, &b.t, 250 * NS_PER_MS);
	loop_timer_arm(l, &a.t, 100 * NS_PER_MS);
	assert_int_equal(loop_next_deadline(l), clk.mono_ns + 100 * NS_PER_MS);
	for (int i = 0; i < 10; i++) {
		clock_fake_advance(&clk, 50 * NS_PER_MS);
		loop_fire_due(l);
	}
	/* 500 ms: a every 100 ms = 5 times, b once at 250 ms. */
	assert_int_equal(a.fired, 5);
	assert_int_equal(b.fired, 1);
	assert_int_equal(b.fired_at, NS_PER_S + 250 * NS_PER_MS);
	loop_timer_disarm(l, &a.t);
	clock_fake_advance(&clk, NS_PER_S);
	assert_int_equal(loop_fire_due(l), 0);
	loop_free(l);
}

static void test_rearming_moves_a_timer(void **state)
{
	struct clock_fake clk;
	struct loop *l;
	struct counter a = {.t.handle = handle_count};

	(void)state;
	clock_fake_init(&clk, 0);
	assert_int_equal(loop_new(&clk.base, &l), KERR_OK);
	a.l = l;
	loop_timer_arm(l, &a.t, 100 * NS_PER_MS);
	loop_timer_arm(l, &a.t, 300 * NS_PER_MS);
	clock_fake_advance(&clk, 200 * NS_PER_MS);
	assert_int_equal(loop_fire_due(l), 0);
	clock_fake_advance(&clk, 100 * NS_PER_MS);
	assert_int_equal(loop_fire_due(l), 1);
	loop_free(l);
}

struct pipe_reader {
	struct loop_fd w;
	char got[16];
	int n;
};

static void handle_readable(struct loop_fd *w, short revents)
{
	struct pipe_reader *r = container_of(w, struct pipe_reader, w);

	assert_true(revents & POLLIN);
	r->n += (int)read(w->fd, r->got + r->n, sizeof(r->got) - 1 - (size_t)r->n);
}

static void test_fd_watch_dispatches_readable_fd(void **state)
{
	struct loop *l;
	struct pipe_reader r = {.w.events = POLLIN, .w.handle = handle_readable};
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_new(clock_system(), &l), KERR_OK);
	r.w.fd = p[0];
	assert_int_equal(loop_add_fd(l, &r.w), KERR_OK);
	assert_int_equal(loop_add_fd(l, &r.w), KERR_EXISTS);
	assert_int_equal(loop_run_once(l, 0), KERR_OK);
	assert_int_equal(r.n, 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	assert_int_equal(loop_run_once(l, 1000), KERR_OK);
	assert_int_equal(r.n, 3);
	assert_memory_equal(r.got, "abc", 3);
	loop_del_fd(l, &r.w);
	assert_int_equal(write(p[1], "d", 1), 1);
	assert_int_equal(loop_run_once(l, 0), KERR_OK);
	assert_int_equal(r.n, 3);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void handle_quit(struct loop_timer *t)
{
	struct counter *c = container_of(t, struct counter, t);

	c->fired++;
	loop_quit(c->l, 7);
}

static void test_real_timerfd_wakes_poll_and_quit_returns_code(void **state)
{
	struct loop *l;
	struct counter c = {.t.handle = handle_quit};

	(void)state;
	assert_int_equal(loop_new(clock_system(), &l), KERR_OK);
	c.l = l;
	loop_timer_arm(l, &c.t, 5 * NS_PER_MS);
	assert_int_equal(loop_run(l), 7);
	assert_int_equal(c.fired, 1);
	assert_true(loop_quitting(l));
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timer_fires_only_when_fake_clock_reaches_deadline),
	    cmocka_unit_test(test_timers_fire_in_deadline_order_and_rearm),
	    cmocka_unit_test(test_rearming_moves_a_timer),
	    cmocka_unit_test(test_fd_watch_dispatches_readable_fd),
	    cmocka_unit_test(test_real_timerfd_wakes_poll_and_quit_returns_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
