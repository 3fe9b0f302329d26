/*
 * A payment request for an order: its unique payment code (the memo), the
 * amount and an expiry, journaled before it is shown or sent, with the
 * order moved to awaiting payment in the same transaction. The kiosk makes
 * one when a member picks the order; `kioskctl orders request` makes one
 * ahead of time, for a member who pays from home before coming.
 */
#ifndef KIOSK_PAYREQ_H
#define KIOSK_PAYREQ_H

#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/rng.h"
#include "kiosk/store.h"

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

#endif
