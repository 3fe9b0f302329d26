/*
 * Rates for prices in won, fetched while the kiosk runs (docs/prices.md):
 * when the site's sources list the ticker or the feed, rate_fetch asks
 * them in the loop and each fresh quote is journaled as that source's rate
 * of its symbol, at the quote's own time (the ticker's last trade, the
 * feed's agreement), so rate_pick judges its age as it judges a staff
 * rate's. A round that fails only leaves the last rate to age: a stale
 * rate is never used, and the kiosk asks for staff instead.
 */
#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/rate_fetch.h"
#include "kiosk/store_rates.h"

#define RATES_WHO_HOST_MAX 48 /* bytes of the ticker's host in "ticker <host>" */

struct kiosk_rates {
	struct kiosk *k;
	struct http *ticker_http, *chain_http;
	struct rate_fetch *fetch;
	char ticker_who[STORE_RATE_WHO_MAX + 1];
};

/* "ticker api.upbit.com": who set a ticker rate, the host of its URL. */
static void ticker_who(const char *url, char *out, size_t cap)
{
	const char *host = strstr(url, "://");
	size_t n;

	host = host ? host + 3 : url;
	n = strcspn(host, "/?#:");
	if (n > RATES_WHO_HOST_MAX)
		n = RATES_WHO_HOST_MAX;
	snprintf(out, cap, "ticker %.*s", (int)n, host);
}

static void on_quote(void *ctx, enum kerr err, const struct rate_fetch_quote *q, const char *why)
{
	struct kiosk_rates *r = ctx;
	bool ticker = q && q->source == RATE_FETCH_TICKER;
	char text[RATE_TEXT_MAX + 1] = "?";

	if (err) {
		log_info("rates: %s: no fresh quote (%s)", ticker ? "ticker" : "price feed",
		         why ? why : kerr_str(err));
		return;
	}
	if (rate_format(&q->rate, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	if (store_rate_set(r->k->store, q->symbol, ticker ? STORE_RATE_TICKER : STORE_RATE_FEED,
	                   &q->rate, q->at_ms, ticker ? r->ticker_who : "feed")) {
		log_warn("journal: the %s rate %s %s/%s could not be recorded",
		         ticker ? "ticker" : "feed", text, q->unit, q->symbol);
		return;
	}
	log_info("rates: %s %s %s/%s%s", ticker ? "ticker" : "feed", text, q->unit, q->symbol,
	         q->exact ? "" : " (rounded down)");
}

enum kerr kiosk_rates_open(struct kiosk *k)
{
	const struct site *s = k->site;
	bool ticker = false, feed = false;
	struct kiosk_rates *r;
	enum kerr err = KERR_OK;

	for (unsigned i = 0; i < s->rate_source_count; i++) {
		ticker |= s->rate_sources[i] == RATE_TICKER && s->rate_ticker_url[0];
		feed |= s->rate_sources[i] == RATE_FEED && s->node_count;
	}
	if (!ticker && !feed)
		return KERR_OK;
	r = calloc(1, sizeof(*r));
	if (!r)
		return KERR_NOMEM;
	r->k = k;
	ticker_who(s->rate_ticker_url, r->ticker_who, sizeof(r->ticker_who));
	/* The exchange is no chain node: its own client, with its own CA. */
	if (ticker)
		err = http_new(k->loop, s->rate_ticker_ca_path, &r->ticker_http);
	if (!err && feed)
		err = http_new(k->loop, s->ca_path, &r->chain_http);
	if (!err) {
		struct rate_fetch_config cfg = {
		    .chain = s->chain,
		    .ticker_url = ticker ? s->rate_ticker_url : NULL,
		    .ticker_market = ticker ? s->rate_ticker_market : NULL,
		    .nodes = feed ? s->nodes : NULL,
		    .node_count = feed ? s->node_count : 0,
		    .quorum = s->quorum >= RATE_FETCH_QUORUM ? s->quorum : 0,
		    .interval_ms = s->rate_refresh_s * 1000u,
		    .max_age_ms = s->rate_max_age_s * 1000u,
		    .timeout_ms = s->request_timeout_ms};

		err = rate_fetch_new(k->loop, r->ticker_http, r->chain_http, k->rng, &cfg, on_quote,
		                     r, &r->fetch);
	}
	if (err) {
		http_free(r->ticker_http);
		http_free(r->chain_http);
		free(r);
		return err;
	}
	k->rates = r;
	rate_fetch_start(r->fetch);
	return KERR_OK;
}

void kiosk_rates_close(struct kiosk *k)
{
	struct kiosk_rates *r = k->rates;

	if (!r)
		return;
	/* The clients first: what is in flight is dropped without calling back. */
	http_free(r->ticker_http);
	http_free(r->chain_http);
	rate_fetch_free(r->fetch);
	free(r);
	k->rates = NULL;
}
