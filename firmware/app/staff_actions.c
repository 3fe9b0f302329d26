#include "kiosk/staff_actions.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payment.h"
#include "kiosk/payreq.h"
#include "kiosk/log.h"
#include "kiosk/store_report.h"
#include "kiosk/token.h"

static enum staff_status finish(struct staff_result *r, enum staff_status st, enum kerr err)
{
	r->status = st;
	r->err = err;
	return st;
}

/*
 * Reads the order (by a copy of the id: the caller's may live in r) and the
 * money matched to it. KERR_NOTFOUND for no such order.
 */
static enum kerr load(const struct staff_ctx *c, const char *order_id, struct staff_result *r)
{
	char id[ORDER_ID_MAX + 1];
	enum kerr err;

	snprintf(id, sizeof(id), "%s", order_id ? order_id : "");
	memset(r, 0, sizeof(*r));
	if (!id[0] || store_order_get(c->store, id, &r->order) != KERR_OK) {
		memset(&r->order, 0, sizeof(r->order));
		return KERR_NOTFOUND;
	}
	r->from = r->order.state;
	/* Zero in the order's asset until the sum says otherwise. */
	r->received = r->order.price;
	r->received.amount = 0;
	r->refund_due = r->received;
	err = store_transfer_sum(c->store, r->order.id, &r->order.price, &r->received);
	if (err) {
		r->received = r->refund_due;
		r->due = r->order.price;
		return err;
	}
	return payment_amount_due(&r->order.price, &r->received, &r->due);
}

/* The order as journaled now, after an action moved it. */
static void reload(const struct staff_ctx *c, struct staff_result *r, enum order_state expected)
{
	char id[ORDER_ID_MAX + 1];

	snprintf(id, sizeof(id), "%s", r->order.id);
	if (store_order_get(c->store, id, &r->order) != KERR_OK) {
		snprintf(r->order.id, sizeof(r->order.id), "%s", id);
		r->order.state = expected;
	}
}

/*
 * An action's start: the order read, and the state ev takes it to. Any
 * status but STAFF_OK ends the action there (r says why); *err is load()'s
 * (an order read without its money is for the caller to judge).
 */
static enum staff_status begin_action(const struct staff_ctx *c, const char *order_id,
                                      enum order_event ev, struct staff_result *r,
                                      enum order_state *to, enum kerr *err)
{
	*err = load(c, order_id, r);
	if (*err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, *err);
	if (order_fsm_next(r->order.state, ev, to))
		return finish(r, STAFF_REFUSED, KERR_STATE);
	return STAFF_OK;
}

enum staff_status staff_confirm_paid(const struct staff_ctx *c, const char *order_id,
                                     enum pay_method how, const char *reason,
                                     struct staff_result *r)
{
	struct store_confirmation conf = {0};
	struct asset none;
	enum order_state to;
	bool pending = how == PAY_CHAIN_PENDING;
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	if (how == PAY_WAIVED && (!reason || !reason[0]))
		return finish(r, STAFF_FAILED, KERR_INVAL);
	if (order_fsm_next(r->order.state, ORDER_EV_STAFF_CONFIRM, &to))
		return finish(r, STAFF_REFUSED, KERR_STATE);
	none = r->order.price;
	none.amount = 0;
	snprintf(conf.order_id, sizeof(conf.order_id), "%s", r->order.id);
	snprintf(conf.staff, sizeof(conf.staff), "%s", c->actor ? c->actor : "");
	conf.method = how;
	snprintf(conf.reason, sizeof(conf.reason), "%s", reason ? reason : "");
	/* One transaction: the confirmation, its settlement and the order's move. */
	err = store_begin(c->store);
	if (!err)
		err = store_confirmation_insert(c->store, &conf);
	/* Cash, bank and waived are settled there and then; a chain payment
	 * not yet seen waits for the watcher's catch-up (reconcile). */
	if (!err && !pending)
		err = store_confirmation_settle(c->store, conf.id, RECONCILE_SETTLED, &none);
	/* What the confirmation stands for: what was still due on the order. */
	if (!err)
		err = store_confirmation_set_amount(c->store, conf.id, &r->due);
	if (!err)
		err = store_order_set_state(c->store, r->order.id, r->order.state, to,
		                            "confirmed by staff");
	if (err)
		store_rollback(c->store);
	else
		err = store_commit(c->store);
	if (err)
		return finish(r, STAFF_FAILED, err);
	r->order.state = to;
	r->confirmation_id = conf.id;
	r->settlement = pending ? RECONCILE_PENDING : RECONCILE_SETTLED;
	return finish(r, STAFF_OK, KERR_OK);
}

/*
 * A cancelled order that money came in for on chain: a refund due to the
 * payer of its first transfer, of what it was credited (the price at most:
 * an overpayment's excess was owed back when it arrived).
 */
static enum kerr owe_back(const struct staff_ctx *c, const struct staff_result *r)
{
	struct store_transfer t;
	struct asset owed = r->received;
	int cmp;
	enum kerr err;

	if (owed.amount <= 0)
		return KERR_OK;
	if (asset_cmp(&owed, &r->order.price, &cmp) == KERR_OK && cmp > 0)
		owed = r->order.price;
	err = store_transfer_of_order(c->store, r->order.id, &t);
	if (err == KERR_NOTFOUND)
		return KERR_OK;
	if (err)
		return err;
	return store_refund_insert(c->store, t.rowid, t.from, &owed, "cancelled");
}

enum staff_status staff_cancel_order(const struct staff_ctx *c, const char *order_id,
                                     struct staff_result *r)
{
	char cause[80];
	enum order_state to;
	enum kerr err;

	if (begin_action(c, order_id, ORDER_EV_CANCEL, r, &to, &err) != STAFF_OK)
		return r->status;
	/* The refund's amount must be known before the order is moved. */
	if (err)
		return finish(r, STAFF_FAILED, err);
	snprintf(cause, sizeof(cause), "cancelled by staff %s", c->actor ? c->actor : "");
	/* One transaction: the move and the refund it owes the payer. */
	err = store_begin(c->store);
	if (!err)
		err = store_order_set_state(c->store, r->order.id, r->order.state, to, cause);
	if (!err && to == ORDER_REFUND_DUE)
		err = owe_back(c, r);
	if (err)
		store_rollback(c->store);
	else
		err = store_commit(c->store);
	if (err)
		return finish(r, err == KERR_STATE ? STAFF_REFUSED : STAFF_FAILED, err);
	r->order.state = to;
	/* Money already came in for it: the table sent it to refund due. */
	if (to == ORDER_REFUND_DUE)
		r->refund_due = r->received;
	return finish(r, STAFF_OK, KERR_OK);
}

enum staff_status staff_refund_recorded(const struct staff_ctx *c, const char *order_id,
                                        struct staff_result *r)
{
	char cause[80];
	enum order_state to;
	enum kerr err;

	if (begin_action(c, order_id, ORDER_EV_REFUNDED, r, &to, &err) != STAFF_OK)
		return r->status;
	snprintf(cause, sizeof(cause), "refund paid back, recorded by staff %s",
	         c->actor ? c->actor : "");
	err = store_order_set_state(c->store, r->order.id, r->order.state, to, cause);
	if (err)
		return finish(r, err == KERR_STATE ? STAFF_REFUSED : STAFF_FAILED, err);
	r->order.state = to;
	return finish(r, STAFF_OK, KERR_OK);
}

enum staff_status staff_refund_paid(const struct staff_ctx *c, int64_t refund_id, const char *trx,
                                    struct store_refund *refund, struct staff_result *r)
{
	char cause[160];
	enum order_state to = ORDER_STATE_COUNT;
	unsigned owed = 0;
	enum kerr err;

	memset(r, 0, sizeof(*r));
	if (store_refund_get(c->store, refund_id, refund) != KERR_OK)
		return finish(r, STAFF_NO_ORDER, KERR_NOTFOUND);
	if (refund->paid_ms)
		return finish(r, STAFF_REFUSED, KERR_STATE);
	if (refund->order_id[0] &&
	    store_order_get(c->store, refund->order_id, &r->order) == KERR_OK)
		r->from = r->order.state;
	else
		memset(&r->order, 0, sizeof(r->order));
	/* One transaction: the refund paid and, when it was the order's last
	 * one owed, the order's refunded step (refund_due -> cancelled). */
	err = store_begin(c->store);
	if (!err)
		err = store_refund_paid(c->store, refund_id, c->actor ? c->actor : "",
		                        trx ? trx : "");
	if (!err && r->order.id[0])
		err = store_refund_owed_for_order(c->store, r->order.id, &owed);
	if (!err && r->order.id[0] && owed == 0 &&
	    order_fsm_next(r->order.state, ORDER_EV_REFUNDED, &to) == KERR_OK) {
		snprintf(cause, sizeof(cause), "refund %s paid back (%s)", refund->memo,
		         c->actor ? c->actor : "");
		err = store_order_set_state(c->store, r->order.id, r->order.state, to, cause);
	}
	if (err)
		store_rollback(c->store);
	else
		err = store_commit(c->store);
	if (err)
		return finish(r, err == KERR_STATE ? STAFF_REFUSED : STAFF_FAILED, err);
	if (to != ORDER_STATE_COUNT)
		r->order.state = to;
	if (store_refund_get(c->store, refund_id, refund) != KERR_OK)
		refund->paid_ms = 1; /* written; only the re-read failed */
	return finish(r, STAFF_OK, KERR_OK);
}

enum staff_status staff_retry_handover(const struct staff_ctx *c, struct handover *h,
                                       const char *order_id, struct staff_result *r)
{
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	/* The handover journals its intent, then acts (handover.h). */
	err = handover_start(h, &r->order, true, "resumed by staff");
	/* The act may have finished (a receipt) or failed and been journaled. */
	reload(c, r, r->order.state);
	if (err == KERR_BUSY)
		return finish(r, STAFF_BUSY, err);
	if (err == KERR_STATE)
		return finish(r, STAFF_REFUSED, err);
	return finish(r, err ? STAFF_FAILED : STAFF_OK, err);
}

/* symbol at precision beside the asset asked for, when it has a usable rate. */
static void won_other(const struct staff_ctx *c, struct payreq_won *won, const char *symbol,
                      uint8_t precision)
{
	struct payreq_other *o = &won->others[won->other_count];
	char why[RATE_PICK_WHY_MAX];

	if (won->other_count >= sizeof(won->others) / sizeof(won->others[0]))
		return;
	memset(o, 0, sizeof(*o));
	snprintf(o->asset.symbol, sizeof(o->asset.symbol), "%s", symbol);
	o->asset.precision = precision;
	if (payreq_pick_rate(c->store, c->site, symbol, c->now_ms, &o->rate, why, sizeof(why)) !=
	    KERR_OK) {
		log_info("won price: %s not offered (%s)", symbol, why[0] ? why : "no rate");
		return;
	}
	won->other_count++;
}

/*
 * The assets a won price is offered in besides the chain's liquid one: its
 * dollar asset and each accepted token, those with a usable rate. A token
 * whose precision is not known yet is left out of this request, and logged.
 */
static void won_others(const struct staff_ctx *c, struct payreq_won *won)
{
	const struct chain_profile *p = chain_profile_get(c->site->chain);

	won->other_count = 0;
	won_other(c, won, p->assets[CHAIN_DOLLAR].symbol, p->assets[CHAIN_DOLLAR].precision);
	for (unsigned i = 0; i < c->site->token_count; i++) {
		int precision =
		    c->token_precision ? c->token_precision(c->token_ctx, c->site->tokens[i]) : -1;

		if (precision < 0 || precision > TOKEN_PRECISION_MAX) {
			log_info("won price: %s not offered in this request: its precision is not "
			         "known yet",
			         c->site->tokens[i]);
			continue;
		}
		won_other(c, won, c->site->tokens[i], (uint8_t)precision);
	}
}

/*
 * A won-priced order's request: the standing one, or a new one at the rate
 * chosen now. No usable rate: KERR_NOTFOUND with r->rate_why, nothing made.
 */
static enum kerr won_request(const struct staff_ctx *c, struct staff_result *r,
                             struct store_request *req)
{
	const struct chain_profile *p = chain_profile_get(c->site->chain);
	struct payreq_won won = {.lock_ms = (int64_t)c->site->rate_lock_s * 1000,
	                         .tolerance_bp = c->site->rate_tolerance_bp};
	enum kerr err;

	if (payreq_standing(c->store, &r->order, c->now_ms))
		return payreq_ensure_won(c->store, c->rng, c->now_ms, NULL, &r->order, req);
	snprintf(won.asset.symbol, sizeof(won.asset.symbol), "%s", p->assets[CHAIN_LIQUID].symbol);
	won.asset.precision = p->assets[CHAIN_LIQUID].precision;
	err = payreq_pick_rate(c->store, c->site, won.asset.symbol, c->now_ms, &won.rate,
	                       r->rate_why, sizeof(r->rate_why));
	if (err == KERR_NOTFOUND && !r->rate_why[0])
		snprintf(r->rate_why, sizeof(r->rate_why), "no rate");
	if (err)
		return err;
	won_others(c, &won);
	return payreq_ensure_won(c->store, c->rng, c->now_ms, &won, &r->order, req);
}

enum staff_status staff_payment_request(const struct staff_ctx *c, const char *order_id,
                                        int64_t ttl_ms, struct staff_result *r)
{
	struct store_request req;
	struct uri_payment pay = {.to = c->site->account};
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	if (r->order.won.symbol[0])
		err = won_request(c, r, &req);
	else
		err = payreq_ensure(c->store, c->rng, c->now_ms, ttl_ms, &r->order, &req);
	if (err == KERR_STATE)
		return finish(r, STAFF_REFUSED, err);
	if (err == KERR_NOTFOUND && r->rate_why[0]) {
		r->why = r->rate_why;
		return finish(r, STAFF_NO_RATE, err);
	}
	if (err)
		return finish(r, STAFF_FAILED, err);
	/* The lock the request was made (or stands) at, and the money against its amount. */
	if (r->order.won.symbol[0]) {
		enum order_state from = r->from;

		err = load(c, r->order.id, r);
		r->from = from;
		if (!err)
			err = store_rate_lock_get(c->store, req.memo, &r->lock);
		if (err)
			return finish(r, STAFF_FAILED, err);
	}
	snprintf(r->memo, sizeof(r->memo), "%s", req.memo);
	r->expires_ms = req.expires_ms;
	/* Part paid already: ask for what is still due, not the price again. */
	if (payment_request_amount(r->order.state, &r->order.price, &r->received, &r->asked))
		r->asked = r->order.price;
	pay.amount = r->asked;
	pay.memo = r->memo;
	if (site_token_index(c->site, r->asked.symbol) >= 0) {
		/* Priced in a token: the QR signs its custom_json (docs/tokens.md). */
		pay.token = r->asked.symbol;
		pay.token_quantity = r->asked.amount;
		pay.token_precision = r->asked.precision;
	}
	err = uri_build(
	    chain_profile_get(c->site->chain),
	    /* A plain transfer link cannot carry a custom_json: the signer's op page. */
	    pay.token && c->site->uri_style == SITE_URI_HTTPS_TRANSFER ? SITE_URI_HTTPS_OP
	                                                               : c->site->uri_style,
	    &pay, r->uri, sizeof(r->uri), &r->why);
	if (err)
		return finish(r, STAFF_FAILED, err);
	return finish(r, STAFF_OK, KERR_OK);
}
