/*
 * A payment request for an order: its unique payment code (the memo), the
 * amount and an expiry, journaled before it is shown or sent, with the
 * order moved to awaiting payment in the same transaction. The kiosk makes
 * one when a member picks the order; `kioskctl orders request` makes one
 * ahead of time, for a member who pays from home before coming.
 */
#ifndef KIOSK_PAYREQ_H
#define KIOSK_PAYREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/rate_pick.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"

/* A request that still stands for at least this long is shown again, not replaced. */
#define PAYREQ_REUSE_MIN_MS 60000

/*
 * Finds o's standing request or makes a new one lasting ttl_ms from now_ms;
 * fills *out and o->memo, and moves o (ready or expired) to awaiting
 * payment. KERR_STATE for an order that takes no payment now (paid,
 * handed over, cancelled, ...).
 */
KIOSK_MUST_CHECK enum kerr payreq_ensure(struct store *s, struct rng *rng, int64_t now_ms,
                                         int64_t ttl_ms, struct order *o,
                                         struct store_request *out);

/*
 * For a won-priced order (o->won set): the asset it is paid in (symbol and
 * precision; the amount is ignored), the rate chosen (rate_pick), how long
 * the request and its rate hold, and the payment tolerance.
 */
struct payreq_won {
	struct asset asset;
	struct rate_choice rate;
	int64_t lock_ms;
	uint32_t tolerance_bp;
	/* The other assets offered beside asset (the chain's dollar asset,
	 * accepted tokens at their sidechain precision), each at its own rate. */
	size_t other_count;
	struct payreq_other {
		struct asset asset;
		struct rate_choice rate;
	} others[STORE_RATE_OFFERS_MAX - 1];
};

/*
 * payreq_ensure for a won-priced order: a new request asks for o->won at
 * won->rate, rounded up to the asset's smallest unit (rate_due), lasts
 * won->lock_ms and is journaled with its rate lock and its offers (asset
 * and every other asset, each at its rate, rounded up the same way;
 * store_rate_offers_put) in one transaction. A standing request is reused with the rate
 * it locked; won may be NULL only then. KERR_NOTFOUND when a new request is
 * needed and won is NULL; KERR_INVAL for an order not priced in won.
 */
KIOSK_MUST_CHECK enum kerr payreq_ensure_won(struct store *s, struct rng *rng, int64_t now_ms,
                                             const struct payreq_won *won, struct order *o,
                                             struct store_request *out);

/* Whether o has a request that still stands at now_ms (payreq_ensure reuses it). */
bool payreq_standing(struct store *s, const struct order *o, int64_t now_ms);

/*
 * The rate for a new request in asset symbol on site's chain: the journal's
 * quotes (store_rates.h) through rate_pick in the site's order and age
 * limit. KERR_NOTFOUND with why when none is usable; a journal error else.
 */
KIOSK_MUST_CHECK enum kerr payreq_pick_rate(struct store *s, const struct site *site,
                                            const char *symbol, int64_t now_ms,
                                            struct rate_choice *out, char *why, size_t cap);

struct store_rate_lock;

/*
 * What a won price was locked at, for people: "12000 KRW at 312 KRW/STEEM,
 * staff 2026-12-05 17:12 KST" (the rate's time in the site's zone); "" for
 * a lock without a won price. symbol is the asset asked for.
 */
void payreq_won_line(const struct store_rate_lock *l, const char *symbol, char *buf, size_t cap);

#endif
