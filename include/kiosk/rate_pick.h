/*
 * Which rate a payment request is made at: the first usable quote in the
 * site's order of sources, or none with the reason, for staff. Pure: the
 * quotes and the time come in (docs/prices.md).
 */
#ifndef KIOSK_RATE_PICK_H
#define KIOSK_RATE_PICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/rate.h"

#define RATE_PICK_WHY_MAX    200     /* bytes of the reason, with its NUL */
#define RATE_FUTURE_SLACK_MS 60000LL /* a quote this far ahead of the clock is still believed */

struct rate_quote {
	bool present;
	struct rate rate;
	int64_t at_ms; /* when it was quoted or set */
};

/* What the journal holds for one asset, per source. */
struct rate_quotes {
	struct rate_quote staff;  /* won per unit */
	struct rate_quote ticker; /* won per unit */
	struct rate_quote feed;   /* dollars per unit, the chain's price feed */
	struct rate_quote usd;    /* won per dollar, set by staff */
	bool pegged;              /* the chain's dollar asset: its feed price is 1 dollar */
};

struct rate_choice {
	enum rate_source source;
	struct rate rate; /* won per unit */
	int64_t at_ms;    /* the quote's time; for the feed the older of its two parts */
};

/*
 * The first of order[0..n) whose quote is present and no older than
 * max_age_s at now_ms (and not more than RATE_FUTURE_SLACK_MS ahead of it).
 * The feed source is the feed's dollars per unit (1 for a pegged asset)
 * times the staff's won per dollar (rate_mul), usable only when both parts
 * are. KERR_OK with *out; KERR_NOTFOUND when no source is usable, *out
 * zeroed and why (if cap) saying for each source why not, e.g. "staff: set
 * 2 h 5 min ago, the limit is 1 h; ticker: none".
 */
KIOSK_MUST_CHECK enum kerr rate_pick(const struct rate_quotes *q, const enum rate_source *order,
                                     size_t n, int64_t now_ms, uint32_t max_age_s,
                                     struct rate_choice *out, char *why, size_t cap);

#endif
