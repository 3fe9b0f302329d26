/*
 * Prices in won at a locked rate, in integers only. A rate is "R won per one
 * whole unit of an asset" as an exact decimal: units / 10^scale (312.5 is
 * 3125 with scale 1). Amounts are in the asset's smallest unit (asset.h).
 */
#ifndef KIOSK_RATE_H
#define KIOSK_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define RATE_TEXT_MAX      32                    /* bytes of a rate's text, without the NUL */
#define RATE_DECIMALS_MAX  8                     /* decimals a rate may have */
#define RATE_UNITS_MAX     100000000000000000ULL /* 10^17: keeps the division in uint64 */
#define RATE_PRECISION_MAX 12    /* the asset precisions rate_due accepts (ASSET_PRECISION_MAX) */
#define RATE_BP_MAX        10000 /* basis points in 100 % */
#define RATE_WON_SYMBOL    "KRW" /* a price in whole won: an asset of precision 0 */

struct rate {
	uint64_t units; /* won per whole asset unit, times 10^scale; never 0 */
	uint8_t scale;  /* 0..RATE_DECIMALS_MAX */
};

/*
 * Parses "312", "312.5", "0.0125": digits, optionally '.' and 1..8 decimals.
 * Refused with KERR_PARSE: empty, signs, spaces, exponents, a leading zero
 * before other digits ("0312"), a bare '.', more than 8 decimals, text over
 * RATE_TEXT_MAX; KERR_RANGE: zero, or more than RATE_UNITS_MAX units. On
 * error *out is zeroed and *why (if not NULL) points to a static reason.
 */
KIOSK_MUST_CHECK enum kerr rate_parse(const char *s, struct rate *out, const char **why);

/* Formats as the shortest exact decimal ("312.5") into buf; KERR_TOO_BIG if
 * it does not fit, KERR_INVAL for a rate rate_parse would refuse. */
KIOSK_MUST_CHECK enum kerr rate_format(const struct rate *r, char *buf, size_t len);

/*
 * The amount due, in smallest units of an asset of `precision` decimals, for a
 * price of `krw` won: krw / rate, rounded UP to the next smallest unit when it
 * does not divide exactly, so the co-op is never paid less than the price at
 * the locked rate and the member pays at most one smallest unit more.
 * KERR_INVAL for krw <= 0, a precision over RATE_PRECISION_MAX or a rate
 * rate_parse would refuse; KERR_OVERFLOW when the amount exceeds INT64_MAX.
 * *amount is 0 on every failure.
 */
KIOSK_MUST_CHECK enum kerr rate_due(const struct rate *r, int64_t krw, uint8_t precision,
                                    int64_t *amount);

/*
 * Whether `received` counts as paid against `locked` (both in the same
 * asset's smallest units) within `tolerance_bp` basis points (50 = 0.5 %):
 * paid when received >= locked - floor(locked * tolerance_bp / 10000).
 * *remaining is locked - received when not paid and 0 when paid (a shortfall
 * inside the tolerance is forgiven; an overpayment leaves nothing due).
 * KERR_INVAL for a negative amount, KERR_RANGE for tolerance_bp over 10000;
 * then *paid is false and *remaining 0.
 */
KIOSK_MUST_CHECK enum kerr rate_check_paid(int64_t locked, int64_t received, uint32_t tolerance_bp,
                                           bool *paid, int64_t *remaining);

/*
 * What amount (smallest units of an asset of `precision` decimals) is worth
 * in whole won at rate r: amount x rate, rounded DOWN to the won (a
 * report never shows more won than came in). KERR_INVAL for a negative
 * amount, a precision over RATE_PRECISION_MAX or a bad rate; KERR_OVERFLOW
 * when amount x units overflows. *krw is 0 on every failure.
 */
KIOSK_MUST_CHECK enum kerr rate_value(const struct rate *r, int64_t amount, uint8_t precision,
                                      int64_t *krw);

/*
 * Where a rate comes from, in the site file's words (docs/prices.md): set
 * by staff, an exchange's ticker, or the chain's price feed (dollars per
 * unit) times the staff-set won per dollar.
 */
enum rate_source { RATE_STAFF, RATE_TICKER, RATE_FEED, RATE_SOURCE_COUNT };

/* "staff", "ticker", "feed"; "?" out of range. */
const char *rate_source_name(enum rate_source s);
/* By name; false for another name. */
bool rate_source_by_name(const char *name, enum rate_source *out);

/*
 * a times b, exactly when the product has at most RATE_DECIMALS_MAX
 * decimals, else rounded DOWN to 8 decimals: a lower won rate makes the
 * amount due larger, so the rounding never costs the co-op. Used for the
 * feed: (dollars per unit) x (won per dollar) = won per unit.
 * KERR_INVAL for a rate rate_parse would refuse; KERR_OVERFLOW when the
 * product's units overflow; KERR_RANGE when it rounds to 0 or exceeds
 * RATE_UNITS_MAX. *out is zeroed on every failure.
 */
KIOSK_MUST_CHECK enum kerr rate_mul(const struct rate *a, const struct rate *b, struct rate *out);

#endif
