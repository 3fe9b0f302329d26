/* The locker bank on the simulated GPIO with a fake clock: pulse widths,
 * one at a time, retry, failure, forced doors, alarms, and the boot state. */
#include "kiosk/locker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpio/gpio_sim.h"
#include "kiosk/config.h"
#include "testutil.h"

struct rec {
	struct locker_events ev;
	char log[1024];
};

static void note(struct rec *r, const char *what, unsigned n)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s %u;", what, n);
	strncat(r->log, buf, sizeof(r->log) - strlen(r->log) - 1);
}

static void on_opened(struct locker_events *e, unsigned n)
{
	note((struct rec *)e, "opened", n);
}
static void on_failed(struct locker_events *e, unsigned n, const char *why)
{
	(void)why;
	note((struct rec *)e, "failed", n);
}
static void on_alarm(struct locker_events *e, unsigned n)
{
	note((struct rec *)e, "alarm", n);
}
static void on_forced(struct locker_events *e, unsigned n)
{
	note((struct rec *)e, "forced", n);
}
static void on_closed(struct locker_events *e, unsigned n)
{
	note((struct rec *)e, "closed", n);
}
static void on_other(struct locker_events *e, int line, bool active)
{
	note((struct rec *)e, active ? "press" : "release", (unsigned)line);
}

struct fx {
	struct board board;
	struct clock_fake clk;
	struct loop *loop;
	struct gpio *gpio;
	struct locker *locker;
	struct rec rec;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct config_error e;

	assert_int_equal(config_load_board(KIOSK_SOURCE_DIR "/boards/sim.conf", &f->board, &e),
	                 KERR_OK);
	clock_fake_init(&f->clk, 1795478400000LL);
	assert_int_equal(loop_new(&f->clk.base, &f->loop), KERR_OK);
	assert_int_equal(gpio_sim_open(&f->board.gpio, &f->clk.base, &f->gpio), KERR_OK);
	f->rec.ev =
	    (struct locker_events){on_opened, on_failed, on_alarm, on_forced, on_closed, on_other};
	assert_int_equal(locker_open(&f->board.lockers, f->gpio, f->loop, &f->rec.ev, &f->locker),
	                 KERR_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	locker_close(f->locker);
	gpio_close(f->gpio);
	loop_free(f->loop);
	free(f);
	return 0;
}

/* Moves the fake clock in 1 ms steps, delivering wired doors and timers. */
static void run_ms(struct fx *f, unsigned ms)
{
	for (unsigned i = 0; i < ms; i++) {
		clock_fake_advance(&f->clk, NS_PER_MS);
		gpio_sim_tick(f->gpio);
		locker_poll(f->locker);
		(void)loop_fire_due(f->loop);
	}
}

static void test_boot_requests_every_lock_inactive_first(void **state)
{
	struct fx *f = *state;
	const struct gpio_sim_change *t;
	size_t n;

	t = gpio_sim_timeline(f->gpio, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		assert_true(t[i].request);
		assert_false(t[i].logical);
		/* Active-low relay: inactive is a HIGH pin. */
		assert_true(t[i].physical);
	}
}

static void test_one_pulse_of_exactly_the_board_length_then_the_door(void **state)
{
	struct fx *f = *state;
	const struct gpio_sim_change *t;
	size_t n;

	assert_int_equal(gpio_sim_wire(f->gpio, "GPIO6", "GPIO19", 40, 0), KERR_OK);
	assert_int_equal(locker_request_open(f->locker, 3), KERR_OK);
	run_ms(f, 1000);
	assert_string_equal(f->rec.log, "opened 3;");
	t = gpio_sim_timeline(f->gpio, &n);
	assert_int_equal(n, 10);
	assert_string_equal(t[8].name, "GPIO6");
	assert_true(t[8].logical);
	assert_false(t[8].physical);
	assert_false(t[9].logical);
	assert_int_equal(t[9].ts_ns - t[8].ts_ns, (int64_t)f->board.lockers.pulse_ms * NS_PER_MS);
	assert_false(locker_busy(f->locker));
}

static void test_two_opens_never_overlap(void **state)
{
	struct fx *f = *state;
	const struct gpio_sim_change *t;
	size_t n;
	int on = 0;

	assert_int_equal(gpio_sim_wire(f->gpio, "GPIO4", "GPIO17", 30, 0), KERR_OK);
	assert_int_equal(gpio_sim_wire(f->gpio, "GPIO5", "GPIO18", 30, 0), KERR_OK);
	assert_int_equal(locker_request_open(f->locker, 1), KERR_OK);
	assert_int_equal(locker_request_open(f->locker, 2), KERR_OK);
	assert_int_equal(locker_request_open(f->locker, 2), KERR_BUSY);
	assert_int_equal(locker_request_open(f->locker, 9), KERR_NOTFOUND);
	run_ms(f, 3000);
	assert_string_equal(f->rec.log, "opened 1;opened 2;");
	t = gpio_sim_timeline(f->gpio, &n);
	for (size_t i = 8; i < n; i++) {
		on += t[i].logical ? 1 : -1;
		assert_true(on >= 0 && on <= 1);
	}
}

static void test_door_that_never_opens_is_retried_once_then_fails(void **state)
{
	struct fx *f = *state;
	const struct gpio_sim_change *t;
	size_t n, pulses = 0;

	assert_int_equal(locker_request_open(f->locker, 4), KERR_OK);
	run_ms(f, 10000);
	assert_string_equal(f->rec.log, "failed 4;");
	t = gpio_sim_timeline(f->gpio, &n);
	for (size_t i = 8; i < n; i++)
		pulses += t[i].logical;
	assert_int_equal(pulses, 2);
	assert_false(gpio_sim_level(f->gpio, "GPIO7"));
}

static void test_forced_door_and_door_left_open(void **state)
{
	struct fx *f = *state;

	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO21", true), KERR_OK);
	run_ms(f, 10);
	assert_string_equal(f->rec.log, "forced 5;");
	clock_fake_advance(&f->clk, (int64_t)f->board.lockers.door_alarm_s * NS_PER_S);
	run_ms(f, 1);
	assert_string_equal(f->rec.log, "forced 5;alarm 5;");
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO21", false), KERR_OK);
	run_ms(f, 10);
	assert_string_equal(f->rec.log, "forced 5;alarm 5;closed 5;");
}

static void test_bounces_are_debounced(void **state)
{
	struct fx *f = *state;

	/* A door that chatters while it opens counts as one open. */
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO22", true), KERR_OK);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO22", false), KERR_OK);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO22", true), KERR_OK);
	run_ms(f, 5);
	assert_string_equal(f->rec.log, "forced 6;");
}

static void test_pulse_is_capped_and_a_relay_fault_fails_safe(void **state)
{
	struct fx *f = *state;
	struct board b = f->board;
	struct gpio *g;
	struct locker *l;
	struct rec r = {.ev = {.opened = on_opened,
	                       .failed = on_failed,
	                       .alarm = on_alarm,
	                       .forced = on_forced,
	                       .closed = on_closed,
	                       .other_line = on_other}};
	const struct gpio_sim_change *t;
	size_t n;

	b.lockers.pulse_ms = 10000; /* a board file cannot say this; the code caps it anyway */
	assert_int_equal(gpio_sim_open(&b.gpio, &f->clk.base, &g), KERR_OK);
	assert_int_equal(locker_open(&b.lockers, g, f->loop, &r.ev, &l), KERR_OK);
	assert_int_equal(locker_request_open(l, 1), KERR_OK);
	for (int i = 0; i < 4000; i++) {
		clock_fake_advance(&f->clk, NS_PER_MS);
		(void)loop_fire_due(f->loop);
	}
	t = gpio_sim_timeline(g, &n);
	assert_int_equal(t[9].ts_ns - t[8].ts_ns, (int64_t)LOCKER_PULSE_CAP_MS * NS_PER_MS);
	locker_close(l);
	gpio_close(g);

	/* The relay refuses to switch: reported as failed, nothing left on. */
	gpio_sim_fail_after(f->gpio, 1, KERR_IO);
	assert_int_equal(locker_request_open(f->locker, 8), KERR_OK);
	run_ms(f, 10);
	assert_string_equal(f->rec.log, "failed 8;");
	assert_false(gpio_sim_level(f->gpio, "GPIO16"));
}

static void test_a_button_edge_is_handed_on_and_doors_are_not(void **state)
{
	struct fx *f = *state;
	int ok;
	char want[64];

	/* The staff button shares the chip (and its event fd) with the doors. */
	assert_int_equal(gpio_request_input(f->gpio, &f->board.input.btn_ok, &ok), KERR_OK);
	assert_int_equal(gpio_sim_set_input(f->gpio, f->board.input.btn_ok.name, true), KERR_OK);
	run_ms(f, 30);
	assert_int_equal(gpio_sim_set_input(f->gpio, f->board.input.btn_ok.name, false), KERR_OK);
	run_ms(f, 30);
	snprintf(want, sizeof(want), "press %d;release %d;", ok, ok);
	assert_string_equal(f->rec.log, want);
	/* A door edge still goes to the door logic only. */
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO21", true), KERR_OK);
	run_ms(f, 10);
	strcat(want, "forced 5;");
	assert_string_equal(f->rec.log, want);
}

static void count_schedule(void *arg)
{
	(*(unsigned *)arg)++;
}

/* What lets the kiosk's sim board sleep: nothing is due until an output
 * drives a wire, then the door opening and its closing, each on time. */
static void test_a_wired_door_says_when_it_is_due(void **state)
{
	struct fx *f = *state;
	unsigned scheduled = 0;
	int64_t t0;

	assert_int_equal(gpio_sim_wire(f->gpio, "GPIO6", "GPIO19", 40, 2000), KERR_OK);
	gpio_sim_on_schedule(f->gpio, count_schedule, &scheduled);
	assert_true(gpio_sim_next_due(f->gpio) == INT64_MAX);
	t0 = clock_mono_ns(&f->clk.base);
	assert_int_equal(locker_request_open(f->locker, 3), KERR_OK);
	assert_int_equal(scheduled, 1);
	assert_true(gpio_sim_next_due(f->gpio) == t0 + 40 * NS_PER_MS);
	run_ms(f, 40);
	assert_true(gpio_sim_level(f->gpio, "GPIO19"));
	assert_true(gpio_sim_next_due(f->gpio) == t0 + 2040 * NS_PER_MS);
	run_ms(f, 2000);
	assert_false(gpio_sim_level(f->gpio, "GPIO19"));
	assert_true(gpio_sim_next_due(f->gpio) == INT64_MAX);
	gpio_sim_on_schedule(f->gpio, NULL, NULL);
}

/* A door that bounces shorter than the debounce window, then stays: the
 * final level is seen when the window ends (the dropped edge is read again). */
static void test_a_bounce_inside_the_window_never_hides_the_final_level(void **state)
{
	struct fx *f = *state;

	assert_int_equal(f->board.gpio.debounce_ms, 20);
	/* Opens (reported at once), bounces shut 3 ms later and stays shut. */
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", true), KERR_OK);
	run_ms(f, 3);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", false), KERR_OK);
	run_ms(f, 10);
	assert_string_equal(f->rec.log, "forced 3;");
	run_ms(f, 20);
	assert_string_equal(f->rec.log, "forced 3;closed 3;");
	/* Open, shut, open inside the window and it stays open: no edge is invented. */
	f->rec.log[0] = '\0';
	run_ms(f, 100);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", true), KERR_OK);
	run_ms(f, 2);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", false), KERR_OK);
	run_ms(f, 2);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", true), KERR_OK);
	run_ms(f, 100);
	assert_string_equal(f->rec.log, "forced 3;");
}

/* More edges than the event buffer holds: the doors are read again at once. */
static void test_an_edge_buffer_overflow_rereads_the_doors(void **state)
{
	struct fx *f = *state;

	/* 300 edges without a read: the sim's 256-edge queue overflows (the
	 * edges after the 256th are gone) and the door ends shut. */
	for (int i = 0; i < 300; i++)
		assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", i % 2 == 0), KERR_OK);
	locker_poll(f->locker);
	/* At once, not at the window's end: the full re-read found it shut. */
	assert_string_equal(f->rec.log, "forced 3;closed 3;");
	/* And the next real edge is judged against the level read. */
	run_ms(f, 100);
	assert_int_equal(gpio_sim_set_input(f->gpio, "GPIO19", true), KERR_OK);
	run_ms(f, 5);
	assert_string_equal(f->rec.log, "forced 3;closed 3;forced 3;");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_boot_requests_every_lock_inactive_first),
	    T(test_one_pulse_of_exactly_the_board_length_then_the_door),
	    T(test_two_opens_never_overlap),
	    T(test_door_that_never_opens_is_retried_once_then_fails),
	    T(test_forced_door_and_door_left_open),
	    T(test_bounces_are_debounced),
	    T(test_pulse_is_capped_and_a_relay_fault_fails_safe),
	    T(test_a_button_edge_is_handed_on_and_doors_are_not),
	    T(test_a_wired_door_says_when_it_is_due),
	    T(test_a_bounce_inside_the_window_never_hides_the_final_level),
	    T(test_an_edge_buffer_overflow_rereads_the_doors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
