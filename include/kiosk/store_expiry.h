/*
 * Payment requests that ran out (store_expiry.c): which open orders'
 * requests expired, and the one write that makes an underpaid order's money
 * refund due when its request expires. The decisions (which transition,
 * when) are the caller's: the kiosk's sweep (firmware/app/kiosk_expiry.c)
 * asks order_fsm and passes the states in.
 */
#ifndef KIOSK_STORE_EXPIRY_H
#define KIOSK_STORE_EXPIRY_H

#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/store.h"

/* The reason journaled with the refunds due of an order that expired underpaid. */
#define STORE_EXPIRED_UNDERPAID "expired underpaid"

struct store_expired {
	char order_id[ORDER_ID_MAX + 1];
	char memo[ORDER_MEMO_MAX + 1]; /* the order's current request */
	int64_t expires_ms;
};

/*
 * Up to max orders in `state` whose current payment request (the one the
 * order's memo names, i.e. its newest) expired at or before cutoff_ms,
 * soonest expiry first. Reads only the orders in that state (by the
 * orders_by_state index) and each one's request by its memo (primary key):
 * the cost follows the open orders in that state, never the journal's size.
 */
KIOSK_MUST_CHECK enum kerr store_expired_requests(struct store *s, enum order_state state,
                                                  int64_t cutoff_ms, struct store_expired *out,
                                                  unsigned max, unsigned *n);

/*
 * The order's request expired while it was part paid: in one transaction,
 * one refund due (reason STORE_EXPIRED_UNDERPAID) per transfer counted
 * towards it, to that transfer's payer, for what of it is not owed back
 * already; an event per refund; and the order moved from `from` to `to`
 * with cause (store_order_set_state). *owed is the total owed back (in the
 * price's asset `kind`). KERR_STATE (nothing written) when the order is no
 * longer in `from`.
 */
KIOSK_MUST_CHECK enum kerr store_expire_refund(struct store *s, const char *order_id,
                                               enum order_state from, enum order_state to,
                                               const char *cause, const struct asset *kind,
                                               struct asset *owed);

/*
 * For kioskctl status: how many orders in awaiting_payment or underpaid
 * have a request expired at or before now_ms (the kiosk's sweep moves them
 * on), and how many refunds are due for orders that expired underpaid.
 */
KIOSK_MUST_CHECK enum kerr store_expiry_counts(struct store *s, int64_t now_ms, unsigned *overdue,
                                               unsigned *refunds);

/* One refund due for an order that expired underpaid, for the report. */
struct store_expiry_refund {
	const char *order_id;
	const char *payer;
	struct asset amount;
	int64_t at_ms;
};
/* Calls fn for each refund due for an expired underpaid order, oldest first. */
KIOSK_MUST_CHECK enum kerr
store_expiry_refunds(struct store *s, void (*fn)(const struct store_expiry_refund *r, void *arg),
                     void *arg);

#endif
