#include "kiosk/lockout.h"

#define MIN_MS (60 * 1000LL)

const struct lockout_rule lockout_pickup_order = {
    .max_failures = 5, .base_ms = 15 * MIN_MS, .max_ms = 24 * 60 * MIN_MS, .escalate = true};
const struct lockout_rule lockout_pickup_kiosk = {
    .max_failures = 20, .window_ms = 60 * MIN_MS, .base_ms = 15 * MIN_MS, .escalate = false};

bool lockout_locked(const struct lockout *l, int64_t now_ms, int64_t *left_ms)
{
	int64_t left = l->until_ms > now_ms ? l->until_ms - now_ms : 0;

	if (left_ms)
		*left_ms = left;
	return left > 0;
}

int64_t lockout_length_ms(const struct lockout_rule *r, unsigned level)
{
	int64_t max = r->max_ms > 0 ? r->max_ms : r->base_ms << 20, len = r->base_ms;

	if (!r->escalate)
		return len < max ? len : max;
	for (unsigned i = 0; i < level && len < max; i++)
		len *= 2;
	return len < max ? len : max;
}

bool lockout_record(const struct lockout_rule *r, struct lockout *l, int64_t now_ms, bool ok)
{
	if (r->decay_ms > 0 && l->until_ms && now_ms - l->until_ms >= r->decay_ms)
		l->level = 0;
	if (ok && r->keep_on_success)
		return false;
	if (ok) {
		l->failures = 0;
		l->level = 0;
		l->first_ms = 0;
		return false;
	}
	/* A window: failures older than it no longer count. */
	if (r->window_ms > 0 && l->failures > 0 && now_ms - l->first_ms >= r->window_ms)
		l->failures = 0;
	if (l->failures == 0)
		l->first_ms = now_ms;
	if (++l->failures < (r->max_failures ? r->max_failures : 1))
		return false;
	l->until_ms = now_ms + lockout_length_ms(r, l->level);
	if (r->escalate && l->level < 63)
		l->level++;
	l->failures = 0;
	l->first_ms = 0;
	return true;
}
