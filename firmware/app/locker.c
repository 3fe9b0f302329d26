#include "kiosk/locker.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/log.h"

enum phase { IDLE, PULSING, WAITING };

struct compartment {
	unsigned number;
	int lock, door;                 /* gpio handles */
	bool open;                      /* door state as last seen */
	bool expected;                  /* an open we asked for is pending */
	struct loop_timer alarm;
	struct locker *owner;
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
	int cur;                        /* index into c, or -1 */
	unsigned attempt;
	struct loop_timer pulse_end, door_wait;
	unsigned queue[LOCKER_QUEUE_MAX];
	unsigned qlen;
};

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

	if (gpio_set(l->gpio, c->lock, true) != KERR_OK) {
		/* Make sure it is off, then report. */
		if (gpio_set(l->gpio, c->lock, false) != KERR_OK)
			log_err("locker: compartment %u: relay state unknown; cut its power", c->number);
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

	if (gpio_set(l->gpio, c->lock, false) != KERR_OK)
		log_err("locker: compartment %u: cannot switch its relay off; cut its power", c->number);
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
		log_warn("locker: compartment %u did not open; trying once more", l->c[l->cur].number);
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

void locker_poll(struct locker *l)
{
	struct gpio_event evs[32];
	unsigned n;

	if (gpio_read_events(l->gpio, evs, 32, &n) != KERR_OK)
		return;
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
	if (cfg->pulse_ms > LOCKER_PULSE_CAP_MS)
		log_warn("locker: pulse of %u ms capped at %u ms", cfg->pulse_ms, LOCKER_PULSE_CAP_MS);
	*out = l;
	return KERR_OK;
}

void locker_close(struct locker *l)
{
	if (!l)
		return;
	loop_timer_disarm(l->loop, &l->pulse_end);
	loop_timer_disarm(l->loop, &l->door_wait);
	for (unsigned i = 0; i < l->count; i++) {
		if (gpio_set(l->gpio, l->c[i].lock, false) != KERR_OK)
			log_err("locker: compartment %u: cannot switch its relay off", l->c[i].number);
		loop_timer_disarm(l->loop, &l->c[i].alarm);
	}
	if (l->watch.added)
		loop_del_fd(l->loop, &l->watch);
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
