/*
 * The kiosk's one poll(2) loop: fd watches, timers on one timerfd, and
 * SIGINT/SIGTERM through a signalfd. Nothing in a callback may block.
 *
 * Watches and timers are caller-owned structs embedded in their owner; the
 * callback finds the owner with container_of(). Time comes from the clock
 * given to loop_new(), so tests drive timers with a fake clock and
 * loop_fire_due().
 */
#ifndef KIOSK_LOOP_H
#define KIOSK_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

struct loop;

struct loop_fd {
	int fd;
	short events; /* POLLIN, POLLOUT */
	void (*handle)(struct loop_fd *w, short revents);
	/* private to the loop */
	struct loop_fd *next;
	bool added;
};

struct loop_timer {
	void (*handle)(struct loop_timer *t);
	/* private to the loop */
	int64_t deadline_ns;
	struct loop_timer *next;
	bool armed;
};

/* clock is borrowed and must outlive the loop. KERR_IO if timerfd fails. */
KIOSK_MUST_CHECK enum kerr loop_new(const struct clock *clock, struct loop **out);
void loop_free(struct loop *l);

/* Watches w->fd for w->events. w must stay valid until loop_del_fd(). */
KIOSK_MUST_CHECK enum kerr loop_add_fd(struct loop *l, struct loop_fd *w);
void loop_del_fd(struct loop *l, struct loop_fd *w);

/* (Re)arms t to fire once, delay_ns from now (or at mono deadline_ns). */
void loop_timer_arm(struct loop *l, struct loop_timer *t, int64_t delay_ns);
void loop_timer_arm_at(struct loop *l, struct loop_timer *t, int64_t deadline_ns);
void loop_timer_disarm(struct loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
	return t->armed;
}

/* Quit on SIGINT/SIGTERM (blocked and read through a signalfd). */
KIOSK_MUST_CHECK enum kerr loop_watch_signals(struct loop *l);

/* One poll() of at most max_wait_ms (-1: until the next timer), then dispatch. */
KIOSK_MUST_CHECK enum kerr loop_run_once(struct loop *l, int max_wait_ms);
/* Runs until loop_quit(); returns the code given to loop_quit(). */
int loop_run(struct loop *l);
void loop_quit(struct loop *l, int code);
bool loop_quitting(const struct loop *l);

/* Fires every timer due at the clock's now; returns how many fired. */
unsigned loop_fire_due(struct loop *l);
/* Deadline of the earliest armed timer, or INT64_MAX. */
int64_t loop_next_deadline(const struct loop *l);
const struct clock *loop_clock(const struct loop *l);

#endif
