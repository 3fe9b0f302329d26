#include "kiosk/locker.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/log.h"

enum phase { IDLE, PULSING, WAITING };

struct compartment {
	unsigned number;
	int lock, door; /* gpio handles */
	bool open;      /* door state as last seen */
	bool expected;  /* an open we asked for is pending */
	struct loop_timer alarm;
	struct locker *owner;
};

/*
 * The pulse guard: a thread that ends a pulse at its deadline by itself, so
 * the lock line goes inactive on time even while the loop is held (a
 * journal write waiting out SQLite's busy timeout, a slow display). The
 * loop's pulse_end timer still runs the locker's logic; whichever comes
 * first switches the line off, under mu. Only with the system clock: a
 * test's fake clock is the loop's alone.
 */
/* A loop this late at a pulse's end is worth a warning (it was held by something). */
#define GUARD_WARN_LATE_MS 50

struct guard {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stop;
	int line;              /* the lock line pulsing; -1 = none */
	struct timespec until; /* CLOCK_MONOTONIC */
	int64_t late_ns;       /* the guard ended it: the loop was this late */
	bool failed;           /* the guard could not switch it off */
};

struct locker {
	const struct board_lockers *cfg;
	struct gpio *gpio;
	struct loop *loop;
	struct locker_events *ev;
	struct loop_fd watch;
	unsigned count;
	struct compartment c[BOARD_LOCKERS_MAX];
	/* the one operation in progress */
	enum phase phase;
	int cur; /* index into c, or -1 */
	unsigned attempt;
	struct loop_timer pulse_end, door_wait;
	unsigned queue[LOCKER_QUEUE_MAX];
	unsigned qlen;
	struct loop_timer settle; /* a debounce window ends: read the lines again */
	struct guard guard;
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void *guard_main(void *arg)
{
	struct guard *g = arg;

	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		if (g->line < 0) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		if (pthread_cond_timedwait(&g->cv, &g->mu, &g->until) == ETIMEDOUT &&
		    g->line >= 0 && !g->stop) {
			struct locker *l = container_of(g, struct locker, guard);
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > g->until.tv_sec ||
			    (now.tv_sec == g->until.tv_sec && now.tv_nsec >= g->until.tv_nsec)) {
				g->failed = gpio_set(l->gpio, g->line, false) != KERR_OK;
				g->late_ns = 1; /* the loop fills in how late it was */
				g->line = -1;
			}
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

static void guard_start(struct locker *l)
{
	struct guard *g = &l->guard;
	pthread_condattr_t ca;

	g->line = -1;
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (loop_clock(l->loop) != clock_system())
		return;
	if (pthread_create(&g->th, NULL, guard_main, g) == 0)
		g->running = true;
	else
		log_warn("locker: no pulse guard thread: pulses end by the loop's timer only");
}

static void guard_stop(struct locker *l)
{
	struct guard *g = &l->guard;

	if (g->running) {
		pthread_mutex_lock(&g->mu);
		g->stop = true;
		pthread_cond_signal(&g->cv);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->th, NULL);
	}
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
}

/* Every lock line change goes through here, under the guard's lock. */
static enum kerr lock_set(struct locker *l, int line, bool active, unsigned ms)
{
	struct guard *g = &l->guard;
	enum kerr err;

	pthread_mutex_lock(&g->mu);
	err = gpio_set(l->gpio, line, active);
	if (active && err == KERR_OK) {
		int64_t until = mono_ns() + (int64_t)ms * NS_PER_MS;

		g->line = line;
		g->until.tv_sec = until / NS_PER_S;
		g->until.tv_nsec = until % NS_PER_S;
		g->late_ns = 0;
		g->failed = false;
		pthread_cond_signal(&g->cv);
	} else if (!active && g->line == line) {
		g->line = -1;
		pthread_cond_signal(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return err;
}

static unsigned pulse_ms(const struct locker *l)
{
	return l->cfg->pulse_ms > LOCKER_PULSE_CAP_MS ? LOCKER_PULSE_CAP_MS : l->cfg->pulse_ms;
}

static int index_of(const struct locker *l, unsigned number)
{
	for (unsigned i = 0; i < l->count; i++)
		if (l->c[i].number == number)
			return (int)i;
	return -1;
}

static void start_next(struct locker *l);

static void start_pulse(struct locker *l)
{
	struct compartment *c = &l->c[l->cur];

	if (lock_set(l, c->lock, true, pulse_ms(l)) != KERR_OK) {
		/* Make sure it is off, then report. */
		if (lock_set(l, c->lock, false, 0) != KERR_OK)
			log_err("locker: compartment %u: relay state unknown; cut its power",
			        c->number);
		c->expected = false;
		l->phase = IDLE;
		l->cur = -1;
		if (l->ev->failed)
			l->ev->failed(l->ev, c->number, "the lock relay could not be switched");
		start_next(l);
		return;
	}
	l->phase = PULSING;
	loop_timer_arm(l->loop, &l->pulse_end, (int64_t)pulse_ms(l) * NS_PER_MS);
}

static void start_next(struct locker *l)
{
	int i;

	if (l->phase != IDLE || l->qlen == 0)
		return;
	i = index_of(l, l->queue[0]);
	memmove(l->queue, l->queue + 1, (l->qlen - 1) * sizeof(l->queue[0]));
	l->qlen--;
	l->cur = i;
	l->attempt = 1;
	l->c[i].expected = true;
	start_pulse(l);
}

static void finish(struct locker *l, bool ok, const char *why)
{
	struct compartment *c = &l->c[l->cur];

	loop_timer_disarm(l->loop, &l->door_wait);
	c->expected = false;
	l->phase = IDLE;
	l->cur = -1;
	if (ok && l->ev->opened)
		l->ev->opened(l->ev, c->number);
	else if (!ok && l->ev->failed)
		l->ev->failed(l->ev, c->number, why);
	start_next(l);
}

static void on_pulse_end(struct loop_timer *t)
{
	struct locker *l = container_of(t, struct locker, pulse_end);
	struct compartment *c = &l->c[l->cur];
	bool by_guard, guard_failed;

	/* Off first: whatever happens next (a journal write) comes after. */
	pthread_mutex_lock(&l->guard.mu);
	by_guard = l->guard.late_ns != 0;
	guard_failed = l->guard.failed;
	l->guard.late_ns = 0;
	pthread_mutex_unlock(&l->guard.mu);
	if (lock_set(l, c->lock, false, 0) != KERR_OK || guard_failed)
		log_err("locker: compartment %u: cannot switch its relay off; cut its power",
		        c->number);
	if (by_guard) {
		long long late_ms =
		    (long long)((clock_mono_ns(loop_clock(l->loop)) - t->deadline_ns) / NS_PER_MS);

		/* The guard wakes at the deadline itself and usually beats the loop by a hair:
		 * worth a warning only when the loop was really held. */
		log_msg(
		    late_ms >= GUARD_WARN_LATE_MS ? LOG_LVL_WARN : LOG_LVL_DEBUG,
		    "locker: compartment %u: the pulse guard ended the pulse; the loop was %lld "
		    "ms late",
		    c->number, late_ms);
	}
	if (c->open) {
		/* Sprang open during the pulse. */
		finish(l, true, NULL);
		return;
	}
	l->phase = WAITING;
	loop_timer_arm(l->loop, &l->door_wait, (int64_t)l->cfg->door_timeout_ms * NS_PER_MS);
}

static void on_door_wait(struct loop_timer *t)
{
	struct locker *l = container_of(t, struct locker, door_wait);

	if (l->attempt == 1) {
		log_warn("locker: compartment %u did not open; trying once more",
		         l->c[l->cur].number);
		l->attempt = 2;
		start_pulse(l);
		return;
	}
	finish(l, false, "the door did not open after two pulses");
}

static void on_alarm(struct loop_timer *t)
{
	struct compartment *c = container_of(t, struct compartment, alarm);

	if (c->open && c->owner->ev->alarm)
		c->owner->ev->alarm(c->owner->ev, c->number);
}

static void door_changed(struct locker *l, int i, bool open)
{
	struct compartment *c = &l->c[i];

	if (c->open == open)
		return;
	c->open = open;
	if (!open) {
		loop_timer_disarm(l->loop, &c->alarm);
		if (l->ev->closed)
			l->ev->closed(l->ev, c->number);
		return;
	}
	loop_timer_arm(l->loop, &c->alarm, (int64_t)l->cfg->door_alarm_s * NS_PER_S);
	if (l->cur == i && c->expected) {
		if (l->phase == WAITING)
			finish(l, true, NULL);
		/* During the pulse: on_pulse_end sees it and finishes. */
		return;
	}
	log_warn("locker: compartment %u opened without a pulse", c->number);
	if (l->ev->forced)
		l->ev->forced(l->ev, c->number);
}

static void dispatch(struct locker *l, const struct gpio_event *evs, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		bool door = false;

		for (unsigned i = 0; i < l->count; i++)
			if (l->c[i].door == evs[k].line) {
				door_changed(l, (int)i, evs[k].active);
				door = true;
			}
		if (!door && l->ev->other_line)
			l->ev->other_line(l->ev, evs[k].line, evs[k].active);
	}
}

/* Edges were lost (a buffer overflowed): every door is read again. */
static void reread_doors(struct locker *l)
{
	log_warn("locker: GPIO edges were lost (event buffer overflow): reading every door again");
	for (unsigned i = 0; i < l->count; i++) {
		bool open;

		if (gpio_reread(l->gpio, l->c[i].door, &open) == KERR_OK)
			door_changed(l, (int)i, open);
		else
			log_err("locker: compartment %u: door sensor unreadable", l->c[i].number);
	}
}

static void arm_settle(struct locker *l)
{
	int64_t due = gpio_debounce_due(l->gpio);

	if (due == INT64_MAX)
		loop_timer_disarm(l->loop, &l->settle);
	else
		loop_timer_arm_at(l->loop, &l->settle, due);
}

static void on_settle(struct loop_timer *t)
{
	struct locker *l = container_of(t, struct locker, settle);
	struct gpio_event evs[GPIO_LINES_MAX];
	unsigned n = 0;

	if (gpio_debounce_settle(l->gpio, clock_mono_ns(loop_clock(l->loop)), evs, GPIO_LINES_MAX,
	                         &n) == KERR_OK)
		dispatch(l, evs, n);
	arm_settle(l);
}

void locker_poll(struct locker *l)
{
	struct gpio_event evs[32];
	unsigned n;

	/* Until the buffer is empty: a full read may leave more behind. */
	do {
		if (gpio_read_events(l->gpio, evs, 32, &n) != KERR_OK)
			break;
		dispatch(l, evs, n);
	} while (n == 32);
	if (gpio_events_lost(l->gpio))
		reread_doors(l);
	arm_settle(l);
}

static void on_fd(struct loop_fd *w, short revents)
{
	(void)revents;
	locker_poll(container_of(w, struct locker, watch));
}

enum kerr locker_open(const struct board_lockers *cfg, struct gpio *gpio, struct loop *loop,
                      struct locker_events *ev, struct locker **out)
{
	struct locker *l = calloc(1, sizeof(*l));
	enum kerr err = KERR_OK;

	*out = NULL;
	if (!l)
		return KERR_NOMEM;
	l->cfg = cfg;
	l->gpio = gpio;
	l->loop = loop;
	l->ev = ev;
	l->cur = -1;
	l->count = cfg->count;
	l->pulse_end.handle = on_pulse_end;
	l->door_wait.handle = on_door_wait;
	l->settle.handle = on_settle;
	/* Every relay inactive before anything else looks at the doors. */
	for (unsigned i = 0; !err && i < l->count; i++) {
		l->c[i].number = cfg->c[i].number;
		l->c[i].owner = l;
		l->c[i].alarm.handle = on_alarm;
		err = gpio_request_output(gpio, &cfg->c[i].lock, &l->c[i].lock);
	}
	for (unsigned i = 0; !err && i < l->count; i++) {
		err = gpio_request_input(gpio, &cfg->c[i].door, &l->c[i].door);
		if (!err)
			err = gpio_get(gpio, l->c[i].door, &l->c[i].open);
	}
	if (!err && gpio_event_fd(gpio) >= 0) {
		l->watch.fd = gpio_event_fd(gpio);
		l->watch.events = POLLIN;
		l->watch.handle = on_fd;
		err = loop_add_fd(loop, &l->watch);
	}
	if (err) {
		free(l);
		return err;
	}
	guard_start(l);
	if (cfg->pulse_ms > LOCKER_PULSE_CAP_MS)
		log_warn("locker: pulse of %u ms capped at %u ms", cfg->pulse_ms,
		         LOCKER_PULSE_CAP_MS);
	*out = l;
	return KERR_OK;
}

void locker_close(struct locker *l)
{
	if (!l)
		return;
	loop_timer_disarm(l->loop, &l->pulse_end);
	loop_timer_disarm(l->loop, &l->door_wait);
	loop_timer_disarm(l->loop, &l->settle);
	for (unsigned i = 0; i < l->count; i++) {
		if (lock_set(l, l->c[i].lock, false, 0) != KERR_OK)
			log_err("locker: compartment %u: cannot switch its relay off",
			        l->c[i].number);
		loop_timer_disarm(l->loop, &l->c[i].alarm);
	}
	if (l->watch.added)
		loop_del_fd(l->loop, &l->watch);
	guard_stop(l);
	free(l);
}

enum kerr locker_request_open(struct locker *l, unsigned n)
{
	int i = index_of(l, n);

	if (i < 0)
		return KERR_NOTFOUND;
	if (l->qlen >= LOCKER_QUEUE_MAX || (l->cur == i && l->phase != IDLE))
		return KERR_BUSY;
	for (unsigned k = 0; k < l->qlen; k++)
		if (l->queue[k] == n)
			return KERR_BUSY;
	l->queue[l->qlen++] = n;
	start_next(l);
	return KERR_OK;
}

bool locker_busy(const struct locker *l)
{
	return l->phase != IDLE || l->qlen > 0;
}
