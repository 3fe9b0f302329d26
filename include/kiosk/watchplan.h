/*
 * When the watcher asks the chain next. Blocks come every block interval
 * (3 s), stamped with their production time; a request for the next block
 * sent just after it is due finds it at once, one sent earlier wastes a
 * round trip. So: while a payment request is open, poll just after each
 * expected block (and briskly again if it was late); with nothing open,
 * poll rarely. Pure: times in ms are passed in.
 */
#ifndef KIOSK_WATCHPLAN_H
#define KIOSK_WATCHPLAN_H

#include <stdbool.h>
#include <stdint.h>

struct watchplan {
	unsigned interval_ms; /* block interval (profile: 3000) */
	unsigned after_ms;    /* poll this long after a block is due (300) */
	unsigned retry_ms;    /* a block not there yet: ask again after (250) */
	unsigned idle_ms;     /* nothing open: poll every (20 blocks: 60000) */
	unsigned offline_ms;  /* no usable node: try again after (5000) */
};

/* Defaults for a chain with this block interval. */
void watchplan_defaults(struct watchplan *p, unsigned interval_ms);

struct watchplan_state {
	bool open_requests;           /* a payment request is on screen or awaited */
	bool have_head;               /* head_time_ms is known */
	int64_t head_time_ms;         /* the newest block's timestamp (chain time) */
	int64_t now_ms;               /* wall clock */
	bool last_poll_found_nothing; /* the previous poll saw no new block */
	bool offline;                 /* the pool has no usable node */
};

/* The wall-clock time of the next poll (>= now_ms). */
int64_t watchplan_next(const struct watchplan *p, const struct watchplan_state *s);

/*
 * A node's head is stale when its block time lags the wall clock by more
 * than `blocks` block intervals (its clock or its sync is behind).
 */
bool watchplan_head_stale(const struct watchplan *p, int64_t head_time_ms, int64_t now_ms,
                          unsigned blocks);

#endif
