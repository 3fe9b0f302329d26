/*
 * The chain's own price feed as a rate: condenser_api.
 * get_current_median_history_price answers the median of the witnesses'
 * feeds as {"base":"0.250 SBD","quote":"1.000 STEEM"} (hived:
 * "HBD"/"HIVE"), the dollar-pegged asset per one liquid unit. Taking the
 * dollar asset at its peg, that is US dollars per STEEM or HIVE. Only
 * parsing: which nodes are asked, and how many must agree, is the caller's.
 */
#ifndef KIOSK_PRICE_FEED_H
#define KIOSK_PRICE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/rate.h"

#define PRICE_FEED_REPLY_MAX 4096 /* bytes of a reply; a real one is about 110 */

struct price_feed {
	struct asset base;  /* "0.250 SBD" */
	struct asset quote; /* "1.000 STEEM" */
	struct rate usd;    /* base / quote: dollars per one liquid unit ("0.25") */
	/* false when base / quote has no exact decimal of 8 places or fewer
	 * ("1.000 SBD" / "3.000 STEEM"): usd is then rounded DOWN at 8 decimals,
	 * so an amount due computed from it (rate.h, rounded up) is never less. */
	bool exact;
};

/*
 * Reads a get_current_median_history_price reply (the whole JSON-RPC body,
 * len bytes) with JSON-RPC id `id` on chain p. base must be the chain's
 * dollar asset and quote its liquid asset, each "N.NNN SYMBOL" with the
 * asset's precision, both above zero. Refused, with *why (static text):
 * over PRICE_FEED_REPLY_MAX (KERR_TOO_BIG), not JSON or another shape
 * (KERR_PARSE), another id or an error object (KERR_PROTO), wrong symbols
 * or a swapped pair (KERR_INVAL), zero (KERR_RANGE), a rate beyond
 * RATE_UNITS_MAX (KERR_RANGE). *out is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr price_feed_parse(const struct chain_profile *p, const char *body,
                                            size_t len, uint64_t id, struct price_feed *out,
                                            const char **why);

/*
 * The exact decimal of num / den (both > 0) in at most RATE_DECIMALS_MAX
 * places: *exact false when it needs more (then rounded down). KERR_RANGE
 * when the result is 0 at 8 places or over RATE_UNITS_MAX, KERR_INVAL for a
 * non-positive input.
 */
KIOSK_MUST_CHECK enum kerr price_feed_ratio(int64_t num, int64_t den, struct rate *out,
                                            bool *exact);

#endif
