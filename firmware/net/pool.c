#include "kiosk/pool.h"

#include <stdio.h>
#include <string.h>

void pool_init(struct pool *p, unsigned count, struct rng *rng)
{
	memset(p, 0, sizeof(*p));
	p->count = count < SITE_NODES_MAX ? count : SITE_NODES_MAX;
	p->rng = rng;
}

static unsigned interval_of(const struct pool *p)
{
	return p->interval_ms ? p->interval_ms : 3000;
}

/* Node j's head is ahead of what the others' heads, carried to its time, say. */
static bool ahead_unfit(const struct pool *p, unsigned j, uint32_t head, int64_t time_s)
{
	int64_t e[SITE_NODES_MAX];
	unsigned n = 0;

	if (!time_s)
		return false;
	for (unsigned k = 0; k < p->count; k++) {
		const struct pool_node *o = &p->n[k];

		if (k == j || !o->head || !o->head_time_s)
			continue;
		e[n++] = (int64_t)o->head + (time_s - o->head_time_s) * 1000 / interval_of(p);
	}
	if (n == 0)
		return false;
	/* The lower middle of the others: a claim must fit most of them. */
	for (unsigned a = 1; a < n; a++)
		for (unsigned b = a; b > 0 && e[b - 1] > e[b]; b--) {
			int64_t t = e[b];

			e[b] = e[b - 1];
			e[b - 1] = t;
		}
	return (int64_t)head > e[(n - 1) / 2] + POOL_STALE_BLOCKS;
}

uint32_t pool_ref_head(const struct pool *p)
{
	uint32_t h[SITE_NODES_MAX];
	unsigned n = 0;

	for (unsigned i = 0; i < p->count; i++)
		if (p->n[i].head && !ahead_unfit(p, i, p->n[i].head, p->n[i].head_time_s))
			h[n++] = p->n[i].head;
	if (n == 0)
		return 0;
	for (unsigned a = 1; a < n; a++)
		for (unsigned b = a; b > 0 && h[b - 1] < h[b]; b--) {
			uint32_t t = h[b];

			h[b] = h[b - 1];
			h[b - 1] = t;
		}
	/* Highest first: the upper middle (with two, the higher; with three, the middle). */
	return h[(n + 1) / 2 - 1];
}

bool pool_stale(const struct pool *p, unsigned i)
{
	return p->n[i].head && pool_ref_head(p) > p->n[i].head + POOL_STALE_BLOCKS;
}

void pool_set_interval(struct pool *p, unsigned interval_ms)
{
	p->interval_ms = interval_ms;
}

enum pool_claim pool_head_claim(struct pool *p, unsigned i, int64_t now_ms, uint32_t head,
                                int64_t head_time_s)
{
	struct pool_node *n;
	enum pool_claim c = POOL_CLAIM_OK;

	if (i >= p->count)
		return POOL_CLAIM_UNFIT;
	n = &p->n[i];
	if (head_time_s * 1000 > now_ms + (int64_t)interval_of(p) + POOL_CLOCK_SLACK_MS)
		c = POOL_CLAIM_AHEAD_OF_CLOCK;
	else if (ahead_unfit(p, i, head, head_time_s))
		c = POOL_CLAIM_UNFIT;
	/* Its own last word: the head cannot run ahead of the blocks its time allows. */
	else if (n->head && n->head_time_s && head_time_s >= n->head_time_s &&
	         (int64_t)head > (int64_t)n->head +
	                             (head_time_s - n->head_time_s) * 1000 / interval_of(p) +
	                             POOL_STALE_BLOCKS)
		c = POOL_CLAIM_UNFIT;
	if (c != POOL_CLAIM_OK) {
		n->head = 0;
		n->head_time_s = 0;
		n->head_at_ms = now_ms;
		return c;
	}
	n->head = head;
	n->head_time_s = head_time_s;
	n->head_at_ms = now_ms;
	if (head > p->best_head)
		p->best_head = head;
	return c;
}

const char *pool_claim_str(enum pool_claim c)
{
	switch (c) {
	case POOL_CLAIM_OK:
		return "head fits";
	case POOL_CLAIM_AHEAD_OF_CLOCK:
		return "head time ahead of the clock (a lie)";
	case POOL_CLAIM_UNFIT:
		return "head number does not fit its time (a lie)";
	}
	return "?";
}

bool pool_head_is_due(const struct pool *p, unsigned i, int64_t now_ms)
{
	return i < p->count && p->n[i].retry_at_ms <= now_ms &&
	       now_ms - p->n[i].head_at_ms > (int64_t)POOL_FRESH_BLOCKS * interval_of(p);
}

bool pool_usable(const struct pool *p, unsigned i, int64_t now_ms)
{
	return i < p->count && p->n[i].retry_at_ms <= now_ms && !pool_stale(p, i);
}

int pool_pick(const struct pool *p, int64_t now_ms)
{
	int best = -1;

	for (unsigned i = 0; i < p->count; i++)
		if (pool_usable(p, i, now_ms) &&
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
		if (i != not &&pool_usable(p, i, now_ms) &&
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
		bool ok = p->n[i].fails == 0 && pool_usable(p, i, now_ms);

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

void pool_set_lib(struct pool *p, unsigned i, uint32_t lib)
{
	if (i < p->count)
		p->n[i].lib = lib;
}

uint32_t pool_agreed_lib(const struct pool *p, uint32_t own)
{
	uint32_t lib = own;

	for (unsigned i = 0; i < p->count; i++)
		if (p->n[i].head && p->n[i].lib && !p->n[i].fails && !pool_stale(p, i) &&
		    p->n[i].lib < lib)
			lib = p->n[i].lib;
	return lib;
}
