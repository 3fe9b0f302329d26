/*
 * Exchange ticker replies: arbitrary bytes through the ticker parser and
 * the number reader; no crash, no leak, and what is accepted is an exact
 * rate within its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/ticker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rate(const struct rate *r)
{
	char text[RATE_TEXT_MAX + 1];
	struct rate back;
	uint64_t v;

	if (r->units == 0 || r->units > RATE_UNITS_MAX || r->scale > RATE_DECIMALS_MAX)
		abort();
	/* Exact: its text reads back as the same value (perhaps with fewer decimals). */
	if (rate_format(r, text, sizeof(text)) || rate_parse(text, &back, NULL) ||
	    back.scale > r->scale)
		abort();
	v = back.units;
	for (unsigned i = back.scale; i < r->scale; i++)
		v *= 10;
	if (v != r->units)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ticker_quote q;
	char plain[TICKER_NUMBER_MAX * 2 + 4];

	if (ticker_parse(text, size, "KRW-STEEM", &q, NULL) == KERR_OK) {
		check_rate(&q.rate);
		if (q.at_ms <= 0 || strcmp(q.market, "KRW-STEEM") != 0)
			abort();
	}
	if (ticker_plain_decimal(text, size, plain, sizeof(plain)) == KERR_OK &&
	    (strchr(plain, 'e') || strchr(plain, 'E') || strlen(plain) >= sizeof(plain)))
		abort();
	return 0;
}
