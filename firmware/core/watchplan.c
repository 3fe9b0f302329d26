#include "kiosk/watchplan.h"

void watchplan_defaults(struct watchplan *p, unsigned interval_ms)
{
	p->interval_ms = interval_ms ? interval_ms : 3000;
	p->after_ms = p->interval_ms / 10;
	p->retry_ms = p->interval_ms / 12;
	p->idle_ms = 20 * p->interval_ms; /* 60 s on a 3 s chain */
	p->offline_ms = 5000;
}

int64_t watchplan_next(const struct watchplan *p, const struct watchplan_state *s)
{
	int64_t due;

	if (s->offline)
		return s->now_ms + p->offline_ms;
	if (!s->open_requests)
		return s->now_ms + p->idle_ms;
	if (!s->have_head)
		return s->now_ms;
	/*
	 * The next block after the newest we hold, plus a margin for propagation;
	 * never more than one interval away: a head stamped ahead of the wall
	 * clock (a node's lie, or the kiosk's clock behind after a boot without
	 * RTC) must not put the next poll off by as much.
	 */
	if (s->head_time_ms > s->now_ms)
		return s->now_ms + p->interval_ms + p->after_ms;
	due = s->head_time_ms + p->interval_ms + p->after_ms;
	if (due > s->now_ms)
		return due;
	/* Due already: either it is late, or we are behind (catch up at once). */
	if (s->last_poll_found_nothing)
		return s->now_ms + p->retry_ms;
	return s->now_ms;
}

bool watchplan_head_stale(const struct watchplan *p, int64_t head_time_ms, int64_t now_ms,
                          unsigned blocks)
{
	return now_ms - head_time_ms > (int64_t)p->interval_ms * blocks;
}
