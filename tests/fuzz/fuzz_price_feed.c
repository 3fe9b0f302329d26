/*
 * Median history price replies: arbitrary bytes through the price feed
 * parser on both chains; no crash, no leak, and what is accepted is the
 * chain's dollar asset over its liquid one, as a rate within its bounds
 * that is never above the true ratio.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/price_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum site_chain chain = size & 1 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM;
	const struct chain_profile *p = chain_profile_get(chain);
	struct price_feed f;

	if (price_feed_parse(p, (const char *)data, size, 7, &f, NULL) == KERR_OK) {
		if (strcmp(f.base.symbol, p->assets[CHAIN_DOLLAR].symbol) != 0 ||
		    strcmp(f.quote.symbol, p->assets[CHAIN_LIQUID].symbol) != 0 ||
		    f.base.amount <= 0 || f.quote.amount <= 0 || f.usd.units == 0 ||
		    f.usd.units > RATE_UNITS_MAX || f.usd.scale > RATE_DECIMALS_MAX)
			abort();
		/* usd <= base / quote: usd.units * quote <= base * 10^scale, in 128 bits. */
		{
			unsigned __int128 lhs =
			    (unsigned __int128)f.usd.units * (uint64_t)f.quote.amount;
			unsigned __int128 rhs = (uint64_t)f.base.amount;

			for (unsigned i = 0; i < f.usd.scale; i++)
				rhs *= 10;
			if (lhs > rhs || (f.exact && lhs != rhs))
				abort();
		}
	}
	return 0;
}
