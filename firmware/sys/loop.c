#include "kiosk/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "kiosk/log.h"

/* Bounded: the kiosk has a fixed, small set of sources (nodes, lines, inputs). */
#define LOOP_MAX_FDS 64

struct loop {
	const struct clock *clock;
	struct loop_fd *fds;
	struct loop_timer *timers; /* sorted by deadline */
	struct loop_fd timer_w;
	struct loop_fd signal_w;
	int64_t timerfd_armed_at;
	bool quit;
	int quit_code;
};

static void rearm_timerfd(struct loop *l)
{
	int64_t next = loop_next_deadline(l);
	struct itimerspec its = {0};

	if (next == l->timerfd_armed_at)
		return;
	l->timerfd_armed_at = next;
	if (next != INT64_MAX) {
		/* The timerfd is only a wake-up: timers fire by the loop's own clock. */
		int64_t delay = next - clock_mono_ns(l->clock);

		if (delay < 1)
			delay = 1;
		its.it_value.tv_sec = delay / NS_PER_S;
		its.it_value.tv_nsec = delay % NS_PER_S;
	}
	timerfd_settime(l->timer_w.fd, 0, &its, NULL);
}

static void handle_timerfd(struct loop_fd *w, short revents)
{
	struct loop *l = container_of(w, struct loop, timer_w);
	uint64_t ticks;

	(void)revents;
	if (read(w->fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_warn("loop: timerfd read failed: %s", strerror(errno));
	l->timerfd_armed_at = INT64_MIN;
}

static void handle_signal(struct loop_fd *w, short revents)
{
	struct loop *l = container_of(w, struct loop, signal_w);
	struct signalfd_siginfo si;

	(void)revents;
	if (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		log_notice("received signal %u, shutting down", si.ssi_signo);
		loop_quit(l, 0);
	}
}

enum kerr loop_new(const struct clock *clock, struct loop **out)
{
	struct loop *l;
	enum kerr err;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return KERR_NOMEM;
	l->clock = clock;
	l->timerfd_armed_at = INT64_MIN;
	l->signal_w.fd = -1;
	l->timer_w.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->timer_w.fd < 0) {
		err = KERR_IO;
		goto err_free;
	}
	l->timer_w.events = POLLIN;
	l->timer_w.handle = handle_timerfd;
	err = loop_add_fd(l, &l->timer_w);
	if (err != KERR_OK)
		goto err_close;
	*out = l;
	return KERR_OK;

err_close:
	close(l->timer_w.fd);
err_free:
	free(l);
	return err;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->timer_w.fd);
	if (l->signal_w.fd >= 0)
		close(l->signal_w.fd);
	free(l);
}

enum kerr loop_add_fd(struct loop *l, struct loop_fd *w)
{
	unsigned n = 0;

	if (w->added)
		return KERR_EXISTS;
	for (struct loop_fd *p = l->fds; p; p = p->next)
		n++;
	if (n >= LOOP_MAX_FDS)
		return KERR_TOO_BIG;
	w->next = l->fds;
	l->fds = w;
	w->added = true;
	return KERR_OK;
}

void loop_del_fd(struct loop *l, struct loop_fd *w)
{
	for (struct loop_fd **pp = &l->fds; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	w->next = NULL;
	w->added = false;
}

void loop_timer_arm_at(struct loop *l, struct loop_timer *t, int64_t deadline_ns)
{
	struct loop_timer **pp;

	loop_timer_disarm(l, t);
	t->deadline_ns = deadline_ns;
	/* Insert after equal deadlines so timers armed for the same time fire in order. */
	for (pp = &l->timers; *pp && (*pp)->deadline_ns <= deadline_ns; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

void loop_timer_arm(struct loop *l, struct loop_timer *t, int64_t delay_ns)
{
	loop_timer_arm_at(l, t, clock_mono_ns(l->clock) + (delay_ns > 0 ? delay_ns : 0));
}

void loop_timer_disarm(struct loop *l, struct loop_timer *t)
{
	if (!t->armed)
		return;
	for (struct loop_timer **pp = &l->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

enum kerr loop_watch_signals(struct loop *l)
{
	sigset_t set;

	if (l->signal_w.fd >= 0)
		return KERR_OK;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return KERR_IO;
	l->signal_w.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->signal_w.fd < 0)
		return KERR_IO;
	l->signal_w.events = POLLIN;
	l->signal_w.handle = handle_signal;
	return loop_add_fd(l, &l->signal_w);
}

unsigned loop_fire_due(struct loop *l)
{
	unsigned fired = 0;

	/* Re-read the clock per timer: a handler may re-arm itself for "now". */
	while (l->timers && l->timers->deadline_ns <= clock_mono_ns(l->clock)) {
		struct loop_timer *t = l->timers;

		l->timers = t->next;
		t->next = NULL;
		t->armed = false;
		t->handle(t);
		fired++;
		/* A timer re-armed at or before now must not starve fds forever. */
		if (fired >= 1000)
			break;
	}
	return fired;
}

int64_t loop_next_deadline(const struct loop *l)
{
	return l->timers ? l->timers->deadline_ns : INT64_MAX;
}

const struct clock *loop_clock(const struct loop *l)
{
	return l->clock;
}

enum kerr loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd pfd[LOOP_MAX_FDS];
	struct loop_fd *w[LOOP_MAX_FDS];
	int64_t next = loop_next_deadline(l);
	unsigned n = 0;
	int timeout = max_wait_ms;
	int rc;

	rearm_timerfd(l);
	if (next != INT64_MAX) {
		int64_t wait_ms = (next - clock_mono_ns(l->clock) + NS_PER_MS - 1) / NS_PER_MS;

		if (wait_ms < 0)
			wait_ms = 0;
		if (timeout < 0 || wait_ms < timeout)
			timeout = wait_ms > 60000 ? 60000 : (int)wait_ms;
	}
	for (struct loop_fd *p = l->fds; p && n < LOOP_MAX_FDS; p = p->next) {
		w[n] = p;
		pfd[n].fd = p->fd;
		pfd[n].events = p->events;
		pfd[n].revents = 0;
		n++;
	}
	rc = poll(pfd, n, timeout);
	if (rc < 0) {
		if (errno == EINTR)
			return KERR_OK;
		log_err("loop: poll failed: %s", strerror(errno));
		return KERR_IO;
	}
	for (unsigned i = 0; i < n && rc > 0; i++) {
		if (!pfd[i].revents)
			continue;
		rc--;
		/* A handler may have removed a later watch: only dispatch live ones. */
		bool live = false;

		for (struct loop_fd *p = l->fds; p; p = p->next)
			if (p == w[i])
				live = true;
		if (live)
			w[i]->handle(w[i], pfd[i].revents);
	}
	loop_fire_due(l);
	return KERR_OK;
}

int loop_run(struct loop *l)
{
	while (!l->quit) {
		if (loop_run_once(l, -1) != KERR_OK)
			return 1;
	}
	return l->quit_code;
}

void loop_quit(struct loop *l, int code)
{
	l->quit = true;
	l->quit_code = code;
}

bool loop_quitting(const struct loop *l)
{
	return l->quit;
}
