#include "kiosk/payreq.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/log.h"
#include "kiosk/matcher.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payment.h"
#include "kiosk/store_rates.h"
#include "kiosk/timefmt.h"

bool payreq_standing(struct store *s, const struct order *o, int64_t now_ms)
{
	struct store_request r;

	return store_request_of_order(s, o->id, &r) == KERR_OK &&
	       r.expires_ms > now_ms + PAYREQ_REUSE_MIN_MS;
}

/* A new request's amount and lock for a won-priced order. */
static enum kerr won_amount(const struct order *o, const struct payreq_won *won,
                            struct store_request *out, struct store_rate_lock *lock)
{
	enum kerr err;

	memset(lock, 0, sizeof(*lock));
	out->amount = won->asset;
	err = rate_due(&won->rate.rate, o->won.amount, won->asset.precision, &out->amount.amount);
	if (err)
		return err;
	snprintf(lock->memo, sizeof(lock->memo), "%s", out->memo);
	lock->krw = o->won.amount;
	lock->rate = won->rate.rate;
	snprintf(lock->source, sizeof(lock->source), "%s", rate_source_name(won->rate.source));
	lock->rate_ms = won->rate.at_ms;
	lock->until_ms = out->expires_ms;
	lock->tolerance_bp = won->tolerance_bp;
	return KERR_OK;
}

static void offer_of(const struct asset *a, const struct rate_choice *c, struct store_rate_offer *o)
{
	memset(o, 0, sizeof(*o));
	o->amount = *a;
	o->rate = c->rate;
	snprintf(o->source, sizeof(o->source), "%s", rate_source_name(c->source));
	o->rate_ms = c->at_ms;
}

/*
 * Every asset a new won-priced request offers, the one asked for first:
 * each amount is the won price at that asset's rate, rounded up. An asset
 * whose amount cannot be computed (overflow) is left out, and logged.
 */
static enum kerr won_offers(const struct order *o, const struct payreq_won *won,
                            const struct store_request *req, struct store *s)
{
	struct store_rate_offer offers[STORE_RATE_OFFERS_MAX];
	size_t n = 0;

	offer_of(&req->amount, &won->rate, &offers[n++]);
	for (size_t i = 0; i < won->other_count && i < STORE_RATE_OFFERS_MAX - 1; i++) {
		struct asset a = won->others[i].asset;

		if (rate_due(&won->others[i].rate.rate, o->won.amount, a.precision, &a.amount) !=
		    KERR_OK) {
			log_warn("order %s: %lld KRW in %s cannot be computed; not offered", o->id,
			         (long long)o->won.amount, a.symbol);
			continue;
		}
		offer_of(&a, &won->others[i].rate, &offers[n++]);
	}
	return store_rate_offers_put(s, req->memo, offers, n);
}

static enum kerr ensure(struct store *s, struct rng *rng, int64_t now_ms, int64_t ttl_ms,
                        const struct payreq_won *won, struct order *o, struct store_request *out)
{
	struct store_rate_lock lock;
	enum order_state to;
	enum kerr err;
	bool fresh = false;

	if (!payment_order_requestable(o->state))
		return KERR_STATE;
	memset(out, 0, sizeof(*out));
	err = store_begin(s);
	if (err)
		return err;
	if (store_request_of_order(s, o->id, out) != KERR_OK ||
	    out->expires_ms <= now_ms + PAYREQ_REUSE_MIN_MS) {
		bool by_won = o->won.symbol[0] != '\0';

		memset(out, 0, sizeof(*out));
		snprintf(out->order_id, sizeof(out->order_id), "%s", o->id);
		err = by_won && !won ? KERR_NOTFOUND
		                     : matcher_paycode_new(rng, out->memo, sizeof(out->memo));
		out->amount = o->price;
		out->created_ms = now_ms;
		/* A won-priced request lives as long as its rate holds. */
		out->expires_ms = now_ms + (by_won && won ? won->lock_ms : ttl_ms);
		if (!err && by_won)
			err = won_amount(o, won, out, &lock);
		if (!err)
			err = by_won ? store_request_insert_locked(s, out, &lock)
			             : store_request_insert(s, out);
		if (!err && by_won)
			err = won_offers(o, won, out, s);
		if (!err && by_won)
			o->price = out->amount;
		fresh = true;
	}
	/* Underpaid stays underpaid: the table has no request move from there. */
	if (!err && o->state != ORDER_AWAITING_PAYMENT &&
	    order_fsm_next(o->state, ORDER_EV_REQUEST, &to) == KERR_OK)
		err =
		    store_order_set_state(s, o->id, o->state, to,
		                          fresh ? "payment request made" : "payment request shown");
	else
		to = o->state;
	if (err) {
		store_rollback(s);
		return err;
	}
	err = store_commit(s);
	if (err)
		return err;
	o->state = to;
	snprintf(o->memo, sizeof(o->memo), "%s", out->memo);
	return KERR_OK;
}

enum kerr payreq_ensure(struct store *s, struct rng *rng, int64_t now_ms, int64_t ttl_ms,
                        struct order *o, struct store_request *out)
{
	return ensure(s, rng, now_ms, ttl_ms, NULL, o, out);
}

enum kerr payreq_ensure_won(struct store *s, struct rng *rng, int64_t now_ms,
                            const struct payreq_won *won, struct order *o,
                            struct store_request *out)
{
	if (!o->won.symbol[0]) {
		memset(out, 0, sizeof(*out));
		return KERR_INVAL;
	}
	return ensure(s, rng, now_ms, 0, won, o, out);
}

/* One source's quote from the journal; absent when none was set. */
static enum kerr quote_of(struct store *s, const char *symbol, const char *source,
                          struct rate_quote *q)
{
	enum kerr err = store_rate_get(s, symbol, source, &q->rate, &q->at_ms, NULL, 0);

	q->present = err == KERR_OK;
	return err == KERR_NOTFOUND ? KERR_OK : err;
}

enum kerr payreq_pick_rate(struct store *s, const struct site *site, const char *symbol,
                           int64_t now_ms, struct rate_choice *out, char *why, size_t cap)
{
	const struct chain_profile *p = chain_profile_get(site->chain);
	struct rate_quotes q = {.pegged = strcmp(symbol, p->assets[CHAIN_DOLLAR].symbol) == 0};
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (cap)
		why[0] = '\0';
	err = quote_of(s, symbol, STORE_RATE_STAFF, &q.staff);
	if (!err)
		err = quote_of(s, symbol, STORE_RATE_TICKER, &q.ticker);
	if (!err)
		err = quote_of(s, symbol, STORE_RATE_FEED, &q.feed);
	if (!err)
		err = quote_of(s, "USD", STORE_RATE_STAFF, &q.usd);
	if (err) {
		if (cap)
			snprintf(why, cap, "the journal's rates cannot be read");
		return err;
	}
	return rate_pick(&q, site->rate_sources, site->rate_source_count, now_ms,
	                 site->rate_max_age_s, out, why, cap);
}

/* "12000 KRW at 312 KRW/STEEM, staff 2026-12-05 17:12 KST": what a won price was locked at. */
void payreq_won_line(const struct store_rate_lock *l, const char *symbol, char *buf, size_t cap)
{
	char rate[RATE_TEXT_MAX + 1], when[TIMEFMT_MAX];

	if (cap)
		buf[0] = '\0';
	if (l->krw <= 0 || rate_format(&l->rate, rate, sizeof(rate)) != KERR_OK)
		return;
	timefmt_minutes(l->rate_ms, when, sizeof(when));
	snprintf(buf, cap, "%lld KRW at %s KRW/%s, %s %s", (long long)l->krw, rate, symbol,
	         l->source, when);
}
