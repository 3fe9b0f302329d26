#include "kiosk/pool.h"

#include <stdio.h>
#include <string.h>

void pool_init(struct pool *p, unsigned count, struct rng *rng)
{
	memset(p, 0, sizeof(*p));
	p->count = count < SITE_NODES_MAX ? count : SITE_NODES_MAX;
	p->rng = rng;
}

bool pool_stale(const struct pool *p, unsigned i)
{
	return p->n[i].head && p->best_head > p->n[i].head + POOL_STALE_BLOCKS;
}

static bool usable(const struct pool *p, unsigned i, int64_t now_ms)
{
	return p->n[i].retry_at_ms <= now_ms && !pool_stale(p, i);
}

int pool_pick(const struct pool *p, int64_t now_ms)
{
	int best = -1;

	for (unsigned i = 0; i < p->count; i++)
		if (usable(p, i, now_ms) &&
		    (best < 0 || p->n[i].latency_ms < p->n[best].latency_ms))
			best = (int)i;
	/* Only stale nodes answer: better behind than nothing (the watcher's own
	 * clock check still refuses a head far behind the wall clock). */
	for (unsigned i = 0; best < 0 && i < p->count; i++)
		if (p->n[i].retry_at_ms <= now_ms)
			best = (int)i;
	return best;
}

int pool_pick_other(const struct pool *p, int64_t now_ms, unsigned not )
{
	int best = -1;

	for (unsigned i = 0; i < p->count; i++)
		if (i != not &&usable(p, i, now_ms) &&
		    (best < 0 || p->n[i].latency_ms < p->n[best].latency_ms))
			best = (int)i;
	return best;
}

int64_t pool_next_retry_ms(const struct pool *p)
{
	int64_t t = INT64_MAX;

	for (unsigned i = 0; i < p->count; i++)
		if (p->n[i].retry_at_ms < t)
			t = p->n[i].retry_at_ms;
	return t;
}

void pool_answered(struct pool *p, unsigned i, int64_t now_ms, unsigned latency_ms, uint32_t head)
{
	struct pool_node *n;

	if (i >= p->count)
		return;
	n = &p->n[i];
	n->latency_ms = n->measured ? (3 * n->latency_ms + latency_ms) / 4 : latency_ms;
	n->measured = true;
	n->ok_at_ms = now_ms;
	if (head) {
		n->head = head;
		if (head > p->best_head)
			p->best_head = head;
	}
}

void pool_poll_done(struct pool *p, unsigned i)
{
	if (i >= p->count)
		return;
	p->n[i].fails = 0;
	p->n[i].retry_at_ms = 0;
	p->n[i].why[0] = '\0';
}

void pool_ok(struct pool *p, unsigned i, int64_t now_ms, unsigned latency_ms, uint32_t head)
{
	pool_answered(p, i, now_ms, latency_ms, head);
	pool_poll_done(p, i);
}

void pool_fail(struct pool *p, unsigned i, int64_t now_ms, const char *why)
{
	struct pool_node *n;
	int64_t backoff = POOL_BACKOFF_MIN_MS;

	if (i >= p->count)
		return;
	n = &p->n[i];
	n->errors++;
	if (n->fails < 31)
		n->fails++;
	for (unsigned k = 1; k < n->fails && backoff < POOL_BACKOFF_MAX_MS; k++)
		backoff *= 2;
	if (backoff > POOL_BACKOFF_MAX_MS)
		backoff = POOL_BACKOFF_MAX_MS;
	/* ±25 %: kiosks that lost the same node come back to it at different times. */
	backoff +=
	    (int64_t)(p->rng ? rng_below(p->rng, (uint32_t)(backoff / 2 + 1)) : backoff / 4) -
	    backoff / 4;
	n->retry_at_ms = now_ms + backoff;
	snprintf(n->why, sizeof(n->why), "%s", why ? why : "failed");
}

void pool_history_lagging(struct pool *p, unsigned i, int64_t now_ms)
{
	if (i < p->count)
		p->n[i].history_lag_until_ms = now_ms + POOL_HISTORY_RECHECK_MS;
}

bool pool_history_lags(const struct pool *p, unsigned i, int64_t now_ms)
{
	return i < p->count && now_ms < p->n[i].history_lag_until_ms;
}

/* Node i's tokens (thousandths) at now_ms: refilled at POOL_BUDGET_PER_S, capped at the burst. */
static int64_t budget_now(const struct pool_node *n, int64_t now_ms)
{
	int64_t t;

	if (!n->budget_at_ms)
		return (int64_t)POOL_BUDGET_BURST * 1000;
	t = n->budget_milli +
	    (now_ms > n->budget_at_ms ? (now_ms - n->budget_at_ms) * POOL_BUDGET_PER_S : 0);
	return t > (int64_t)POOL_BUDGET_BURST * 1000 ? (int64_t)POOL_BUDGET_BURST * 1000 : t;
}

void pool_spend(struct pool *p, unsigned i, int64_t now_ms)
{
	if (i >= p->count)
		return;
	p->n[i].budget_milli = budget_now(&p->n[i], now_ms) - 1000;
	p->n[i].budget_at_ms = now_ms ? now_ms : 1;
}

int64_t pool_budget_wait_ms(const struct pool *p, unsigned i, int64_t now_ms)
{
	int64_t t;

	if (i >= p->count)
		return 0;
	t = budget_now(&p->n[i], now_ms);
	/* One whole token is needed to start. */
	return t >= 1000 ? 0 : (1000 - t + POOL_BUDGET_PER_S - 1) / POOL_BUDGET_PER_S;
}

enum pool_state pool_state(const struct pool *p, int64_t now_ms)
{
	unsigned good = 0, serving = 0;

	for (unsigned i = 0; i < p->count; i++) {
		/* In back-off, failing, or behind: not serving. */
		bool ok = p->n[i].fails == 0 && usable(p, i, now_ms);

		serving += ok;
		/* A lagging history still leaves its blocks: serving, but not good. */
		good += ok && !pool_history_lags(p, i, now_ms);
	}
	return serving == 0 ? POOL_OFFLINE : good < p->count ? POOL_DEGRADED : POOL_ONLINE;
}

const char *pool_state_name(enum pool_state s)
{
	switch (s) {
	case POOL_ONLINE:
		return "online";
	case POOL_DEGRADED:
		return "degraded";
	case POOL_OFFLINE:
		return "offline";
	}
	return "?";
}
