/*
 * Rate quotes fetched in the loop, for prices in won: an exchange's ticker
 * (ticker.h; its own URL and CA, so its own HTTP client) gives won per
 * unit, and the chain's price feed (price_feed.h), asked of the chain's
 * nodes, gives dollars per STEEM or HIVE once `quorum` nodes of different
 * operators tell the same median. Each source is asked every interval; a
 * round that fails is retried after a back-off that doubles up to
 * RATE_FETCH_BACKOFF_MAX_MS. Every round ends in one call of the caller's
 * function, with a fresh quote or the reason there is none; storing it
 * (and deciding what is too old to use) is the caller's.
 */
#ifndef KIOSK_RATE_FETCH_H
#define KIOSK_RATE_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/http.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"
#include "kiosk/pool.h"
#include "kiosk/rate.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"
#include "kiosk/ticker.h"

#define RATE_FETCH_INTERVAL_MS    (5 * 60 * 1000)
#define RATE_FETCH_MAX_AGE_MS     (15 * 60 * 1000) /* a ticker's last trade older: not fresh */
#define RATE_FETCH_AHEAD_MS       (60 * 1000)      /* a trade further in our future: refused */
#define RATE_FETCH_BACKOFF_MIN_MS (15 * 1000)
#define RATE_FETCH_BACKOFF_MAX_MS (30 * 60 * 1000)
#define RATE_FETCH_TIMEOUT_MS     8000
#define RATE_FETCH_QUORUM         2
#define RATE_FETCH_WHY_MAX        160

enum rate_fetch_source { RATE_FETCH_TICKER, RATE_FETCH_FEED };

struct rate_fetch_config {
	enum site_chain chain;
	const char *ticker_url;        /* the whole GET URL; NULL or "": no ticker (copied) */
	const char *ticker_market;     /* the market it lists: "KRW-STEEM" (copied) */
	const struct site_node *nodes; /* chain nodes for the feed (copied); none: no feed */
	unsigned node_count;           /* 0..SITE_NODES_MAX */
	unsigned quorum;               /* operators that must agree; 0 = RATE_FETCH_QUORUM */
	unsigned interval_ms;          /* 0 = RATE_FETCH_INTERVAL_MS */
	unsigned max_age_ms;           /* 0 = RATE_FETCH_MAX_AGE_MS */
	unsigned backoff_min_ms;       /* 0 = RATE_FETCH_BACKOFF_MIN_MS */
	unsigned timeout_ms;           /* per request; 0 = RATE_FETCH_TIMEOUT_MS */
};

struct rate_fetch_quote {
	enum rate_fetch_source source;
	char symbol[TICKER_MARKET_MAX + 1]; /* what is priced: "STEEM", "HIVE" */
	char unit[TICKER_MARKET_MAX + 1];   /* in what: "KRW" (ticker), "USD" (feed) */
	struct rate rate;                   /* unit per one symbol */
	int64_t at_ms;                      /* ticker: its last trade; feed: when agreed */
	bool exact;                         /* false: rounded down (price_feed.h) */
};

/* One call per round: err KERR_OK with q, or the failure with why (q->source set).
 * Valid during the call only. */
typedef void (*rate_fetch_fn)(void *ctx, enum kerr err, const struct rate_fetch_quote *q,
                              const char *why);

struct rate_fetch;

/*
 * A fetcher on loop (its clock times rounds; its real time judges a
 * trade's age), asking the ticker through ticker_http and the nodes
 * through chain_http (both borrowed; may be the same), with rng for the
 * nodes' back-off jitter. Nothing is asked before rate_fetch_start(). Free
 * it after http_free() of both clients, or when no round is in flight.
 * KERR_INVAL for a ticker URL without a market (or a market without "-"),
 * too many nodes, or neither source.
 */
KIOSK_MUST_CHECK enum kerr rate_fetch_new(struct loop *loop, struct http *ticker_http,
                                          struct http *chain_http, struct rng *rng,
                                          const struct rate_fetch_config *cfg, rate_fetch_fn done,
                                          void *ctx, struct rate_fetch **out);
void rate_fetch_free(struct rate_fetch *f);

/* The first round of each source now (from the loop), then on schedule. */
void rate_fetch_start(struct rate_fetch *f);

/* The chain nodes' health as the feed rounds saw it. */
const struct pool *rate_fetch_pool(const struct rate_fetch *f);

#endif
