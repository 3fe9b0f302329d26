/*
 * Rates in the journal: the newest quote per (symbol, source), who set it
 * and when, every change also in the append-only event log; and the rate a
 * payment request was made at, locked with the request (store_rates.c).
 */
#ifndef KIOSK_STORE_RATES_H
#define KIOSK_STORE_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/rate.h"
#include "kiosk/site.h"

struct store;

#define STORE_RATE_SYMBOL_MAX 16 /* bytes of a rate's symbol ("STEEM", "USD", a token) */
#define STORE_RATE_WHO_MAX    64 /* bytes of who set a rate */
#define STORE_RATE_LIST_MAX   64 /* rows store_rate_list returns at most */

/* Where a rate came from; the journal keeps the name. */
#define STORE_RATE_STAFF  "staff"
#define STORE_RATE_TICKER "ticker"
#define STORE_RATE_FEED   "feed"

/*
 * Sets the rate of symbol from source ("staff", "ticker" or "feed"): won
 * per one whole unit, except symbol "USD" (the staff-set won per dollar)
 * and source "feed" (dollars per unit, the chain's price feed). at_ms is
 * when the quote was made; who is the person or program. The row and an
 * event "rate_set" (symbol, source, old rate or "-", new rate, who) are
 * written in one transaction. KERR_INVAL for an unknown source, a symbol
 * that is empty, too long or not upper-case letters, digits and '.', an
 * empty or too long who, a rate rate_parse would refuse or at_ms <= 0.
 */
KIOSK_MUST_CHECK enum kerr store_rate_set(struct store *s, const char *symbol, const char *source,
                                          const struct rate *r, int64_t at_ms, const char *who);

/*
 * The rate of symbol from source, its time and who set it (who may be
 * NULL). KERR_NOTFOUND when none was set; KERR_CORRUPT for a stored rate
 * that does not parse. On error *r and *at_ms are zeroed and who is "".
 */
KIOSK_MUST_CHECK enum kerr store_rate_get(struct store *s, const char *symbol, const char *source,
                                          struct rate *r, int64_t *at_ms, char *who, size_t cap);

struct store_rate_row {
	char symbol[STORE_RATE_SYMBOL_MAX + 1];
	char source[8];
	struct rate rate;
	int64_t at_ms;
	char who[STORE_RATE_WHO_MAX + 1];
};

/* Every rate kept, by symbol then source, at most max into out (*n of them). */
KIOSK_MUST_CHECK enum kerr store_rate_list(struct store *s, struct store_rate_row *out, size_t max,
                                           size_t *n);

/*
 * The rate a won-priced payment request was made at. The request's amount
 * (store_request) is what krw came to at rate, rounded up; it stays due at
 * this rate until until_ms, and a payment within tolerance_bp of it counts.
 */
struct store_rate_lock {
	char memo[ORDER_MEMO_MAX + 1];
	int64_t krw; /* the price in whole won */
	struct rate rate;
	char source[8]; /* STORE_RATE_STAFF, _TICKER or _FEED */
	int64_t rate_ms, until_ms;
	uint32_t tolerance_bp;
};

struct store_request;

/*
 * store_request_insert and the request's rate lock (l->memo is r->memo) in
 * one transaction: both are written or neither. KERR_INVAL for a lock that
 * names another memo, krw <= 0, an unknown source or a tolerance over
 * RATE_BP_MAX.
 */
KIOSK_MUST_CHECK enum kerr store_request_insert_locked(struct store *s,
                                                       const struct store_request *r,
                                                       const struct store_rate_lock *l);

/* The rate lock of a request; KERR_NOTFOUND for a request priced in the asset itself. */
KIOSK_MUST_CHECK enum kerr store_rate_lock_get(struct store *s, const char *memo,
                                               struct store_rate_lock *out);

/* Assets one won-priced request offers at most: the chain's two and every accepted token. */
#define STORE_RATE_OFFERS_MAX (2 + SITE_TOKENS_MAX)

/*
 * One asset a won-priced request may be paid in, and the amount its won
 * price came to in it at the rate locked for that asset (docs/prices.md).
 * A payment in this asset with the request's memo is judged against this
 * amount alone, within the lock's tolerance.
 */
struct store_rate_offer {
	struct asset amount; /* symbol, precision, and the amount due */
	struct rate rate;    /* won per unit */
	char source[8];      /* STORE_RATE_STAFF, _TICKER or _FEED */
	int64_t rate_ms;
};

/*
 * Journals the offers of the request memo in one transaction (inside the
 * caller's, when one is open: store_begin nests). KERR_INVAL for an empty
 * or unknown memo, more than STORE_RATE_OFFERS_MAX offers, an amount <= 0,
 * a symbol listed twice, an unknown source or a rate that does not format;
 * KERR_EXISTS when the memo has offers already.
 */
KIOSK_MUST_CHECK enum kerr store_rate_offers_put(struct store *s, const char *memo,
                                                 const struct store_rate_offer *offers, size_t n);

/* The offer of the request memo in symbol; KERR_NOTFOUND when it offers no such asset. */
KIOSK_MUST_CHECK enum kerr store_rate_offer_get(struct store *s, const char *memo,
                                                const char *symbol, struct store_rate_offer *out);

/* Every offer of the request memo, in the order they were journaled, at most max (*n). */
KIOSK_MUST_CHECK enum kerr store_rate_offer_list(struct store *s, const char *memo,
                                                 struct store_rate_offer *out, size_t max,
                                                 size_t *n);

/*
 * A won-priced order paid in the asset kept: every transfer matched to it
 * in another asset (a part paid before the member switched assets) is owed
 * back, whole, with reason; the transfer no longer counts towards the
 * order. *n how many (may be NULL). One transaction.
 */
KIOSK_MUST_CHECK enum kerr store_rate_offers_refund_others(struct store *s, const char *order_id,
                                                           const struct asset *kept,
                                                           const char *reason, unsigned *n);

/*
 * The rate lock of the request whose memo the transfer transfer_id (a row
 * of the journal's transfers) paid, by the memo rule (payment.h), among
 * its order's requests: a payment made to an earlier request is valued at
 * that request's rate, not at the order's current one. KERR_NOTFOUND when
 * the transfer, its order or a lock of that memo is not there.
 */
KIOSK_MUST_CHECK enum kerr store_rate_lock_of_transfer(struct store *s, int64_t transfer_id,
                                                       struct store_rate_lock *out);

#endif
