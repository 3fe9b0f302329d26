/*
 * Two independent schedules on one loop: the ticker's single GET, and the
 * feed's round of one request per usable node, tallied when the last
 * answers. A node that fails, or tells another median than the agreed one,
 * goes into back-off in the fetcher's pool.
 */
#include "kiosk/rate_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/compiler.h"
#include "kiosk/price_feed.h"
#include "kiosk/rpc.h"

#define FEED_ID 1 /* the JSON-RPC id of every feed request */

struct source {
	struct rate_fetch *f;
	struct loop_timer timer;
	unsigned backoff_ms; /* the next failure's delay */
};

struct feed_ask {
	struct rate_fetch *f;
	struct http_request req;
	unsigned node;
	bool asked, done;
	enum kerr err;
	struct price_feed pf;
	int64_t started_ms;
};

struct rate_fetch {
	struct loop *loop;
	struct http *ticker_http, *chain_http;
	struct rate_fetch_config cfg;
	char ticker_url[SITE_URL_MAX], market[TICKER_MARKET_MAX + 1];
	struct site_node nodes[SITE_NODES_MAX];
	rate_fetch_fn done;
	void *ctx;
	struct pool pool;
	struct source ticker, feed;
	struct http_request ticker_req;
	bool ticker_busy;
	struct feed_ask ask[SITE_NODES_MAX];
	unsigned pending; /* feed requests in flight */
	char body[RPC_BODY_MAX];
};

static int64_t mono_ms(const struct rate_fetch *f)
{
	return clock_mono_ns(loop_clock(f->loop)) / 1000000;
}

/* The quote's fields for a source: what is priced, in what. */
static void quote_init(const struct rate_fetch *f, enum rate_fetch_source s,
                       struct rate_fetch_quote *q)
{
	const char *dash = strchr(f->market, '-');

	memset(q, 0, sizeof(*q));
	q->source = s;
	if (s == RATE_FETCH_TICKER && dash) {
		snprintf(q->unit, sizeof(q->unit), "%.*s", (int)(dash - f->market), f->market);
		snprintf(q->symbol, sizeof(q->symbol), "%s", dash + 1);
	} else if (s == RATE_FETCH_FEED) {
		snprintf(q->unit, sizeof(q->unit), "USD");
		snprintf(q->symbol, sizeof(q->symbol), "%s",
		         chain_profile_get(f->cfg.chain)->assets[CHAIN_LIQUID].symbol);
	}
}

/* Ends a round: tells the caller, and sets the source's next round. */
static void finish(struct source *src, enum rate_fetch_source s, enum kerr err,
                   struct rate_fetch_quote *q, const char *why)
{
	struct rate_fetch *f = src->f;
	unsigned delay;

	if (err == KERR_OK) {
		src->backoff_ms = f->cfg.backoff_min_ms;
		delay = f->cfg.interval_ms;
	} else {
		delay = src->backoff_ms;
		src->backoff_ms = src->backoff_ms >= RATE_FETCH_BACKOFF_MAX_MS / 2
		                      ? RATE_FETCH_BACKOFF_MAX_MS
		                      : src->backoff_ms * 2;
	}
	loop_timer_arm(f->loop, &src->timer, (int64_t)delay * 1000000);
	q->source = s;
	f->done(f->ctx, err, q, err ? why : NULL);
}

static void ticker_done(struct http_request *r, enum kerr err, long status, const char *body,
                        size_t len)
{
	struct rate_fetch *f = container_of(r, struct rate_fetch, ticker_req);
	struct rate_fetch_quote q;
	struct ticker_quote tq;
	const char *why = NULL;
	char msg[RATE_FETCH_WHY_MAX];
	int64_t now = clock_real_ms(loop_clock(f->loop));

	f->ticker_busy = false;
	quote_init(f, RATE_FETCH_TICKER, &q);
	if (err) {
		snprintf(msg, sizeof(msg), "the ticker did not answer: %s", kerr_str(err));
		finish(&f->ticker, RATE_FETCH_TICKER, err, &q, msg);
		return;
	}
	if (status != 200) {
		snprintf(msg, sizeof(msg), "the ticker answered HTTP %ld", status);
		finish(&f->ticker, RATE_FETCH_TICKER, KERR_PROTO, &q, msg);
		return;
	}
	err = ticker_parse(body, len, f->market, &tq, &why);
	if (err) {
		snprintf(msg, sizeof(msg), "the ticker's reply was refused: %s", why);
		finish(&f->ticker, RATE_FETCH_TICKER, err, &q, msg);
		return;
	}
	if (tq.at_ms < now - (int64_t)f->cfg.max_age_ms) {
		snprintf(msg, sizeof(msg), "the ticker's last trade is %lld s old (limit %u s)",
		         (long long)((now - tq.at_ms) / 1000), f->cfg.max_age_ms / 1000);
		finish(&f->ticker, RATE_FETCH_TICKER, KERR_RANGE, &q, msg);
		return;
	}
	if (tq.at_ms > now + RATE_FETCH_AHEAD_MS) {
		finish(&f->ticker, RATE_FETCH_TICKER, KERR_CLOCK, &q,
		       "the ticker's last trade is in our future: check the kiosk's clock");
		return;
	}
	q.rate = tq.rate;
	q.at_ms = tq.at_ms;
	q.exact = true;
	finish(&f->ticker, RATE_FETCH_TICKER, KERR_OK, &q, NULL);
}

static void ticker_round(struct loop_timer *t)
{
	struct source *src = container_of(t, struct source, timer);
	struct rate_fetch *f = src->f;
	struct rate_fetch_quote q;

	if (f->ticker_busy)
		return;
	f->ticker_req = (struct http_request){.url = f->ticker_url,
	                                      .body = NULL, /* a GET */
	                                      .timeout_ms = f->cfg.timeout_ms,
	                                      .max_bytes = TICKER_REPLY_MAX,
	                                      .done = ticker_done};
	if (http_post(f->ticker_http, &f->ticker_req) == KERR_OK) {
		f->ticker_busy = true;
		return;
	}
	quote_init(f, RATE_FETCH_TICKER, &q);
	finish(src, RATE_FETCH_TICKER, KERR_BUSY, &q, "the ticker request could not be started");
}

/* Nodes of one operator count once. */
static unsigned operator_of(const struct rate_fetch *f, unsigned i)
{
	if (f->nodes[i].operator_name[0] == '\0')
		return i;
	for (unsigned j = 0; j < i; j++)
		if (strcmp(f->nodes[j].operator_name, f->nodes[i].operator_name) == 0)
			return j;
	return i;
}

static bool same_feed(const struct price_feed *a, const struct price_feed *b)
{
	return a->base.amount == b->base.amount && a->quote.amount == b->quote.amount;
}

/* The answers of a round: the feed `quorum` operators agree on, if any. */
static void tally(struct rate_fetch *f)
{
	int64_t now = mono_ms(f);
	struct rate_fetch_quote q;
	char msg[RATE_FETCH_WHY_MAX];
	int agreed = -1;
	unsigned answered = 0, asked = 0;

	quote_init(f, RATE_FETCH_FEED, &q);
	for (unsigned i = 0; i < f->cfg.node_count && agreed < 0; i++) {
		bool seen[SITE_NODES_MAX] = {false};
		unsigned ops = 0;

		if (!f->ask[i].asked || f->ask[i].err)
			continue;
		for (unsigned j = 0; j < f->cfg.node_count; j++)
			if (f->ask[j].asked && !f->ask[j].err &&
			    same_feed(&f->ask[i].pf, &f->ask[j].pf) && !seen[operator_of(f, j)]) {
				seen[operator_of(f, j)] = true;
				ops++;
			}
		if (ops >= f->cfg.quorum)
			agreed = (int)i;
	}
	for (unsigned i = 0; i < f->cfg.node_count; i++) {
		struct feed_ask *a = &f->ask[i];

		if (!a->asked)
			continue;
		asked++;
		if (a->err) {
			pool_fail(&f->pool, i, now, kerr_str(a->err));
			continue;
		}
		answered++;
		if (agreed >= 0 && !same_feed(&a->pf, &f->ask[agreed].pf))
			pool_fail(&f->pool, i, now, "told another price feed than the agreed one");
		else
			pool_ok(&f->pool, i, now, (unsigned)(now - a->started_ms), 0);
	}
	if (agreed < 0) {
		snprintf(msg, sizeof(msg),
		         "no %u node operators agreed on the price feed (%u asked, %u answered)",
		         f->cfg.quorum, asked, answered);
		finish(&f->feed, RATE_FETCH_FEED, KERR_BUSY, &q, msg);
		return;
	}
	q.rate = f->ask[agreed].pf.usd;
	q.exact = f->ask[agreed].pf.exact;
	q.at_ms = clock_real_ms(loop_clock(f->loop));
	finish(&f->feed, RATE_FETCH_FEED, KERR_OK, &q, NULL);
}

static void feed_done(struct http_request *r, enum kerr err, long status, const char *body,
                      size_t len)
{
	struct feed_ask *a = container_of(r, struct feed_ask, req);
	struct rate_fetch *f = a->f;

	a->done = true;
	a->err = err;
	if (!err && status != 200)
		a->err = KERR_PROTO;
	if (!a->err)
		a->err = price_feed_parse(chain_profile_get(f->cfg.chain), body, len, FEED_ID,
		                          &a->pf, NULL);
	if (--f->pending == 0)
		tally(f);
}

static void feed_round(struct loop_timer *t)
{
	struct source *src = container_of(t, struct source, timer);
	struct rate_fetch *f = src->f;
	int64_t now = mono_ms(f);
	struct rate_fetch_quote q;

	if (f->pending)
		return;
	for (unsigned i = 0; i < f->cfg.node_count; i++) {
		struct feed_ask *a = &f->ask[i];

		memset(a, 0, sizeof(*a));
		a->f = f;
		a->node = i;
		if (!pool_usable(&f->pool, i, now))
			continue;
		a->req = (struct http_request){.url = f->nodes[i].url,
		                               .pin = f->nodes[i].pin,
		                               .body = f->body,
		                               .timeout_ms = f->cfg.timeout_ms,
		                               .max_bytes = PRICE_FEED_REPLY_MAX,
		                               .done = feed_done};
		a->started_ms = now;
		if (http_post(f->chain_http, &a->req) == KERR_OK) {
			a->asked = true;
			f->pending++;
		}
	}
	if (f->pending)
		return;
	quote_init(f, RATE_FETCH_FEED, &q);
	finish(src, RATE_FETCH_FEED, KERR_OFFLINE, &q,
	       "every chain node is in back-off: no price feed asked");
}

enum kerr rate_fetch_new(struct loop *loop, struct http *ticker_http, struct http *chain_http,
                         struct rng *rng, const struct rate_fetch_config *cfg, rate_fetch_fn done,
                         void *ctx, struct rate_fetch **out)
{
	bool ticker = cfg->ticker_url && cfg->ticker_url[0];
	struct rate_fetch *f;

	*out = NULL;
	if ((!ticker && cfg->node_count == 0) || cfg->node_count > SITE_NODES_MAX || !done ||
	    (cfg->node_count && !cfg->nodes))
		return KERR_INVAL;
	if (ticker && (!cfg->ticker_market || !strchr(cfg->ticker_market, '-') ||
	               strlen(cfg->ticker_market) > TICKER_MARKET_MAX ||
	               strlen(cfg->ticker_url) >= SITE_URL_MAX || !ticker_http))
		return KERR_INVAL;
	if (cfg->node_count && !chain_http)
		return KERR_INVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return KERR_NOMEM;
	f->loop = loop;
	f->ticker_http = ticker_http;
	f->chain_http = chain_http;
	f->cfg = *cfg;
	f->done = done;
	f->ctx = ctx;
	if (ticker) {
		snprintf(f->ticker_url, sizeof(f->ticker_url), "%s", cfg->ticker_url);
		snprintf(f->market, sizeof(f->market), "%s", cfg->ticker_market);
	}
	f->cfg.ticker_url = NULL;
	f->cfg.ticker_market = NULL;
	f->cfg.nodes = NULL;
	if (cfg->node_count)
		memcpy(f->nodes, cfg->nodes, cfg->node_count * sizeof(f->nodes[0]));
	f->cfg.quorum = cfg->quorum ? cfg->quorum : RATE_FETCH_QUORUM;
	f->cfg.interval_ms = cfg->interval_ms ? cfg->interval_ms : RATE_FETCH_INTERVAL_MS;
	f->cfg.max_age_ms = cfg->max_age_ms ? cfg->max_age_ms : RATE_FETCH_MAX_AGE_MS;
	f->cfg.backoff_min_ms =
	    cfg->backoff_min_ms ? cfg->backoff_min_ms : RATE_FETCH_BACKOFF_MIN_MS;
	f->cfg.timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : RATE_FETCH_TIMEOUT_MS;
	pool_init(&f->pool, cfg->node_count, rng);
	f->ticker = (struct source){
	    .f = f, .timer = {.handle = ticker_round}, .backoff_ms = f->cfg.backoff_min_ms};
	f->feed = (struct source){
	    .f = f, .timer = {.handle = feed_round}, .backoff_ms = f->cfg.backoff_min_ms};
	if (rpc_request(f->body, sizeof(f->body), FEED_ID, "get_current_median_history_price",
	                "[]")) {
		free(f);
		return KERR_INVAL;
	}
	*out = f;
	return KERR_OK;
}

void rate_fetch_start(struct rate_fetch *f)
{
	if (f->ticker_url[0])
		loop_timer_arm(f->loop, &f->ticker.timer, 0);
	if (f->cfg.node_count)
		loop_timer_arm(f->loop, &f->feed.timer, 0);
}

void rate_fetch_free(struct rate_fetch *f)
{
	if (!f)
		return;
	loop_timer_disarm(f->loop, &f->ticker.timer);
	loop_timer_disarm(f->loop, &f->feed.timer);
	free(f);
}

const struct pool *rate_fetch_pool(const struct rate_fetch *f)
{
	return &f->pool;
}
