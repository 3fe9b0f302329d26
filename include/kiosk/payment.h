/*
 * Payment decisions: what a payment code typed by a member is, whether an
 * order still takes money, what it still owes, and what one transfer to it
 * means. Pure: no clock, journal or network; the caller passes the time and
 * what the journal holds. The matcher (matcher.h), the kiosk and the payment
 * request all decide through these functions, so they cannot disagree.
 *
 * The memo rule (one rule everywhere): a memo's key is its bytes up to the
 * first NUL, with ASCII whitespace (space, tab, LF, CR, VT, FF) trimmed at
 * both ends and ASCII letters folded to upper case. Inner bytes are kept as
 * they are, inner spaces included ("KP-7QK3 M2XD" is not "KP-7QK3M2XD").
 * Members type or paste the code, and wallets add a line end or spaces
 * around it; payment codes are upper case (matcher_paycode_new), so folding
 * case loses nothing. Reading up to the first NUL is how the C-string
 * comparison has always read a memo, so a memo that matched keeps matching.
 * An empty key matches nothing.
 */
#ifndef KIOSK_PAYMENT_H
#define KIOSK_PAYMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/site.h"

/*
 * Writes the key of memo (len bytes, need not end in NUL) to out, NUL
 * terminated. KERR_TOO_BIG (and out empty) when the key needs more than
 * cap - 1 bytes: a memo that long is no payment code. An empty key is
 * KERR_OK with out empty.
 */
KIOSK_MUST_CHECK enum kerr payment_memo_key(const char *memo, size_t len, char *out, size_t cap);

/* True if two NUL-terminated memos have the same, non-empty key. */
bool payment_memo_equal(const char *a, const char *b);

/* True if the memo's key starts with '#': encrypted for the co-op, not a payment code. */
bool payment_memo_encrypted(const char *memo, size_t len);

/*
 * True when an order in this state takes no more money: paid (or being or
 * already handed over), failed at the handover, cancelled or waiting for a
 * refund. Money for it is owed back. Open: ready, awaiting payment,
 * underpaid, expired, and paid_confirming (a second transfer to it is
 * classified against what is still due, which is nothing).
 * A caller may treat a closed order as open when staff confirmed it as
 * "paid on chain" and wait for this very transfer to settle that.
 */
bool payment_order_closed(enum order_state s);

/*
 * True when a payment request may be made or shown for an order in this
 * state: ready, awaiting payment, underpaid, expired. Not paid_confirming:
 * its money is in, only the confirmations are not.
 */
bool payment_order_requestable(enum order_state s);

/*
 * *out = price - received, never below zero, in the price's asset.
 * KERR_INVAL when the kinds differ, KERR_OVERFLOW; on error *out is the
 * price's asset with amount 0.
 */
KIOSK_MUST_CHECK enum kerr payment_amount_due(const struct asset *price,
                                              const struct asset *received, struct asset *out);

/*
 * What a payment request for the order asks: for an underpaid order what is
 * still due (price - received), else the price. Errors as
 * payment_amount_due, with *out = the price.
 */
KIOSK_MUST_CHECK enum kerr payment_request_amount(enum order_state s, const struct asset *price,
                                                  const struct asset *received, struct asset *out);

enum payment_class {
	PAYMENT_WRONG_ASSET, /* not the price's asset: all of it is owed back */
	PAYMENT_CLOSED,      /* closed, or already paid in full: all of it is owed back */
	PAYMENT_LATE_REFUND, /* after expiry, site policy "refund": all of it is owed back */
	PAYMENT_PARTIAL,     /* applied; something is still due */
	PAYMENT_PAID,        /* applied; paid in full exactly */
	PAYMENT_OVERPAID,    /* applied up to what was due; the excess is owed back */
};

/* The order as a transfer finds it. */
struct payment_order {
	struct asset price;
	struct asset received; /* applied so far, in the price's asset */
	int64_t expires_at_ms; /* the payment request's expiry */
	bool closed;           /* payment_order_closed(), or the caller's exception */
};

struct payment_decision {
	enum payment_class cls;
	bool late;              /* after expiry, under policy "accept" */
	struct asset applied;   /* counts towards the order (transfer's asset) */
	struct asset refund;    /* owed back to the payer (transfer's asset) */
	struct asset still_due; /* after this transfer, in the price's asset; 0 once closed */
};

/*
 * Classifies one transfer of `amount` at time at_ms (block time) to order o.
 * The checks run in this order: asset, closed, expiry (late policy), then
 * how the amount compares with what is due; an order with nothing left to
 * pay is PAYMENT_CLOSED. applied + refund == amount always.
 * KERR_INVAL for a non-positive amount or a received of another asset than
 * the price; KERR_OVERFLOW. On error out->cls is PAYMENT_CLOSED and nothing
 * is applied: the caller must not act on it.
 */
KIOSK_MUST_CHECK enum kerr payment_classify(const struct payment_order *o,
                                            const struct asset *amount, int64_t at_ms,
                                            enum site_late late, struct payment_decision *out);

/* Short English name ("partial", "overpaid", ...), as journaled with a refund. */
const char *payment_class_name(enum payment_class c);

#endif
