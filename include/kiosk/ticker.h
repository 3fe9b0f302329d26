/*
 * An exchange's public ticker for a won market, read as an exact rate: the
 * shape of Upbit's GET /v1/ticker?markets=KRW-STEEM (docs.upbit.com, "시세
 * Ticker 조회"), an array of one object per market asked:
 * [{"market":"KRW-STEEM","trade_price":312.0,"trade_timestamp":1700000000000,
 *   "timestamp":1700000000123,...}], and {"error":{"name":...,"message":...}}
 * when the exchange refuses the request. Only parsing: fetching is the
 * caller's. No floating point: the price is read from the number's own text.
 */
#ifndef KIOSK_TICKER_H
#define KIOSK_TICKER_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/rate.h"

#define TICKER_REPLY_MAX  (16 * 1024) /* bytes of a reply; one market's is about 900 */
#define TICKER_MARKET_MAX 32          /* bytes of a market code ("KRW-STEEM") */
#define TICKER_NUMBER_MAX 40          /* bytes of the price's number text */

struct ticker_quote {
	char market[TICKER_MARKET_MAX + 1];
	struct rate rate; /* won per one unit of the market's asset */
	int64_t at_ms;    /* when that price was made: trade_timestamp, ms since 1970 */
};

/*
 * Reads the quote of `market` from a ticker reply (len bytes, not
 * NUL-terminated). trade_price must be a positive JSON number, written
 * plainly or with an exponent, that is an exact decimal rate_parse accepts
 * (at most 8 decimals once trailing zeros are dropped); trade_timestamp a
 * positive integer. Refused, with *why (static text): over TICKER_REPLY_MAX
 * (KERR_TOO_BIG), not JSON or a duplicate key or a member of the wrong type
 * (KERR_PARSE), the exchange's error object (KERR_PROTO), the market absent
 * (KERR_NOTFOUND), a price of zero, negative or too precise (KERR_RANGE or
 * rate_parse's code). *out is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr ticker_parse(const char *body, size_t len, const char *market,
                                        struct ticker_quote *out, const char **why);

/*
 * A JSON number's text (-?int(.frac)?([eE][+-]?exp)?, len bytes) as a plain
 * decimal ("3.12E2" -> "312", "1.0E-4" -> "0.0001", "312.50" -> "312.5"):
 * no exponent, no leading zeros, no trailing zeros after '.'. KERR_PARSE for
 * another text, KERR_TOO_BIG when it does not fit cap or the exponent moves
 * the point more than TICKER_NUMBER_MAX places.
 */
KIOSK_MUST_CHECK enum kerr ticker_plain_decimal(const char *num, size_t len, char *out, size_t cap);

#endif
