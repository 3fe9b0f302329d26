/*
 * The payment matcher: decides what one proven transfer to the co-op means
 * for the open payment requests. Pure: no journal, no clock; the caller
 * passes the requests (with what each has received so far), the transfer,
 * and whether the journal has seen this (trx_id, op_index) before.
 *
 * Rules: a transfer matches a request by its memo (the payment code, compared
 * by its key: payment.h's memo rule, since members may type it); one
 * transfer pays at most one order (memos are unique); a duplicate counts
 * once; encrypted ('#') and unknown memos are kept for staff. What the
 * transfer does to the matched order (wrong asset, closed, late, partial,
 * paid, overpaid, and the amounts) is payment_classify()'s decision.
 */
#ifndef KIOSK_MATCHER_H
#define KIOSK_MATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"

#define MEMO_MAX    2048 /* chain limit: memo < 2048 bytes */
#define PAYCODE_LEN 11   /* "KP-" + 8 symbols */

struct match_request {
	const char *order_id;
	const char *memo; /* the payment code */
	struct asset price;
	struct asset received; /* credited so far (same kind as price) */
	int64_t expires_at_ms;
	bool closed; /* payment_order_closed(), or the caller's exception */
	/* A won-priced request (rate.h): a shortfall up to this many basis
	 * points of the price counts as paid in full; 0 for an exact price. */
	uint32_t tolerance_bp;
};

struct match_transfer {
	const char *from;
	const char *to;
	const char *memo;
	struct asset amount;
	int64_t timestamp_ms; /* block time */
};

enum match_kind {
	MATCH_NOT_FOR_US,     /* to another account: ignored */
	MATCH_DUPLICATE,      /* seen before: counts once, nothing changes */
	MATCH_ENCRYPTED_MEMO, /* '#' memo: recorded for staff */
	MATCH_UNKNOWN_MEMO,   /* no request has this memo: recorded for staff */
	MATCH_WRONG_ASSET,    /* memo matches, asset differs: whole amount refund due */
	MATCH_CLOSED,         /* order no longer open: whole amount refund due */
	MATCH_LATE_REFUND,    /* after expiry, policy "refund": whole amount refund due */
	MATCH_PARTIAL,        /* credited; something still due */
	MATCH_PAID,           /* credited; paid in full exactly */
	MATCH_OVERPAID,       /* credited up to the price; the excess is refund due */
};

struct match_outcome {
	enum match_kind kind;
	int request;            /* index into the requests, or -1 */
	bool late;              /* arrived after expiry (and was accepted) */
	struct asset credited;  /* counted towards the order */
	struct asset refund;    /* owed back to the payer */
	struct asset still_due; /* price - received - credited */
};

/*
 * Applies one transfer. already_seen: the journal holds this (trx_id,
 * op_index). KERR_INVAL for a malformed transfer (non-positive amount);
 * KERR_OVERFLOW if sums overflow. On error out->kind is MATCH_UNKNOWN_MEMO.
 */
KIOSK_MUST_CHECK enum kerr matcher_apply(const struct match_request *reqs, size_t n,
                                         const char *coop_account, enum site_late late,
                                         const struct match_transfer *t, bool already_seen,
                                         struct match_outcome *out);

/* Short English name of a kind ("partial", "overpaid", ...). */
const char *match_kind_name(enum match_kind k);

/* True if two memos are the same payment code: payment_memo_equal(). */
bool matcher_memo_equal(const char *a, const char *b);

/*
 * A fresh payment code "KP-XXXXXXXX" from Crockford base32 (no I, L, O, U:
 * readable and typeable), 40 bits of randomness; never starts with '#'.
 * out must hold PAYCODE_LEN + 1 bytes.
 */
KIOSK_MUST_CHECK enum kerr matcher_paycode_new(struct rng *rng, char *out, size_t len);

#endif
