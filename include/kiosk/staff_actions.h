/*
 * What staff do to an order, once: confirm how it was paid (cash, bank,
 * waived with a reason, or "paid on chain, not seen yet"), cancel it, retry
 * its handover, make its payment request, record its refund as paid back.
 *
 * The kiosk's staff menu and kioskctl both call these, so the two cannot
 * drift apart; a web page would be a third caller. Each action reads the
 * order afresh from the journal, checks the move against order_fsm, and
 * journals it with its cause in one transaction (all or nothing on a power
 * cut). Nothing is printed, drawn or logged here: the result carries what
 * a caller shows, in its own words and language.
 */
#ifndef KIOSK_STAFF_ACTIONS_H
#define KIOSK_STAFF_ACTIONS_H

#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/handover.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/pay_method.h"
#include "kiosk/reconcile.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/rate_pick.h"
#include "kiosk/uri.h"

#define STAFF_ACTOR_MAX 32 /* fits store_confirmation.staff */

/* Who acts, where, and when. */
struct staff_ctx {
	struct store *store;
	const struct site *site; /* account, chain and URI style (payment requests) */
	struct rng *rng;         /* payment codes; only payment requests need it */
	int64_t now_ms;          /* wall clock */
	const char *actor;       /* the staff member's name, or "(kioskctl)"; journaled */
	/* A sidechain token's precision when known (cached), else -1 (a won
	 * price then offers no such token this time). NULL: none known. */
	int (*token_precision)(void *ctx, const char *symbol);
	void *token_ctx;
};

enum staff_status {
	STAFF_OK,       /* done and journaled */
	STAFF_NO_ORDER, /* no order with that id */
	STAFF_REFUSED,  /* its state does not allow it: nothing journaled */
	STAFF_BUSY,     /* retry: another handover is running */
	STAFF_FAILED,   /* err says why; nothing journaled */
	STAFF_NO_RATE,  /* a won-priced order and no usable rate: why says why; nothing journaled */
};

struct staff_result {
	enum staff_status status;
	enum kerr err;           /* KERR_OK, or the cause (KERR_STATE for refused) */
	enum order_state from;   /* the order's state before */
	struct order order;      /* as it is now (empty id for STAFF_NO_ORDER) */
	struct asset received;   /* money matched to it on chain so far */
	struct asset due;        /* still to pay: price less received, never below 0 */
	struct asset refund_due; /* cancel: the money received that must go back */
	/* confirm */
	int64_t confirmation_id;
	enum reconcile_state settlement; /* settled, or pending for PAY_CHAIN_PENDING */
	/* payment request */
	struct asset asked; /* what the request asks for: the price, or what is still due */
	char memo[ORDER_MEMO_MAX + 1];
	int64_t expires_ms;
	char uri[URI_MAX];
	const char *why; /* why the URI could not be built (or no rate was usable), or NULL */
	/* a won-priced order's request: the rate it locked (lock.krw 0 otherwise) */
	struct store_rate_lock lock;
	char rate_why[RATE_PICK_WHY_MAX];
};

/*
 * Staff confirm payment: the confirmation (with reason for waived), its
 * settlement (at once unless PAY_CHAIN_PENDING) and the order's move to
 * paid, in one transaction. The caller starts the handover. KERR_INVAL for
 * PAY_WAIVED without a reason, or a method out of range.
 */
KIOSK_MUST_CHECK enum staff_status staff_confirm_paid(const struct staff_ctx *c,
                                                      const char *order_id, enum pay_method how,
                                                      const char *reason, struct staff_result *r);

/*
 * Cancels the order: cancelled, or refund due when money came in for it
 * (the table decides); r->refund_due says how much came in on chain.
 */
KIOSK_MUST_CHECK enum staff_status staff_cancel_order(const struct staff_ctx *c,
                                                      const char *order_id, struct staff_result *r);

/*
 * Staff recorded the refund as paid back: refund due -> cancelled.
 */
KIOSK_MUST_CHECK enum staff_status
staff_refund_recorded(const struct staff_ctx *c, const char *order_id, struct staff_result *r);

/*
 * Refund refund_id (store_report.h) was paid back, by c->actor ("chain"
 * when the watcher saw it), with transaction trx ("" if unknown): journaled
 * with who and when; *refund is the row after. When it was the last refund
 * owed for an order in refund_due, the order takes its refunded step (to
 * cancelled), in the same transaction. STAFF_NO_ORDER: no such refund;
 * STAFF_REFUSED: it was paid before.
 */
struct store_refund;
KIOSK_MUST_CHECK enum staff_status staff_refund_paid(const struct staff_ctx *c, int64_t refund_id,
                                                     const char *trx, struct store_refund *refund,
                                                     struct staff_result *r);

/*
 * Tries an interrupted or failed handover again (an explicit resume) on the
 * caller's handover machine, which journals the intent before it acts.
 */
KIOSK_MUST_CHECK enum staff_status staff_retry_handover(const struct staff_ctx *c,
                                                        struct handover *h, const char *order_id,
                                                        struct staff_result *r);

/*
 * The order's payment request: its standing one, or a new one lasting
 * ttl_ms, journaled (payreq_ensure). r->asked is what is still due for an
 * underpaid order, else the price; r->uri asks for exactly that with the
 * payment code. KERR_STATE (refused) for an order that takes no payment.
 * A won-priced order's new request is in the chain's liquid asset at the
 * rate payreq_pick_rate chooses, and lives the site's rate lock instead of
 * ttl_ms; STAFF_NO_RATE when no rate is usable (r->why says why).
 */
KIOSK_MUST_CHECK enum staff_status staff_payment_request(const struct staff_ctx *c,
                                                         const char *order_id, int64_t ttl_ms,
                                                         struct staff_result *r);

#endif
