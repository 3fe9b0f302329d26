#include "kiosk/staff_actions.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payment.h"
#include "kiosk/payreq.h"

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

enum staff_status staff_cancel_order(const struct staff_ctx *c, const char *order_id,
                                     struct staff_result *r)
{
	char cause[80];
	enum order_state to;
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	if (order_fsm_next(r->order.state, ORDER_EV_CANCEL, &to))
		return finish(r, STAFF_REFUSED, KERR_STATE);
	/* The refund's amount must be known before the order is moved. */
	if (err)
		return finish(r, STAFF_FAILED, err);
	snprintf(cause, sizeof(cause), "cancelled by staff %s", c->actor ? c->actor : "");
	err = store_order_set_state(c->store, r->order.id, r->order.state, to, cause);
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
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	if (order_fsm_next(r->order.state, ORDER_EV_REFUNDED, &to))
		return finish(r, STAFF_REFUSED, KERR_STATE);
	snprintf(cause, sizeof(cause), "refund paid back, recorded by staff %s",
	         c->actor ? c->actor : "");
	err = store_order_set_state(c->store, r->order.id, r->order.state, to, cause);
	if (err)
		return finish(r, err == KERR_STATE ? STAFF_REFUSED : STAFF_FAILED, err);
	r->order.state = to;
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

enum staff_status staff_payment_request(const struct staff_ctx *c, const char *order_id,
                                        int64_t ttl_ms, struct staff_result *r)
{
	struct store_request req;
	struct uri_payment pay = {.to = c->site->account};
	enum kerr err = load(c, order_id, r);

	if (err == KERR_NOTFOUND)
		return finish(r, STAFF_NO_ORDER, err);
	err = payreq_ensure(c->store, c->rng, c->now_ms, ttl_ms, &r->order, &req);
	if (err == KERR_STATE)
		return finish(r, STAFF_REFUSED, err);
	if (err)
		return finish(r, STAFF_FAILED, err);
	snprintf(r->memo, sizeof(r->memo), "%s", req.memo);
	r->expires_ms = req.expires_ms;
	/* Part paid already: ask for what is still due, not the price again. */
	if (payment_request_amount(r->order.state, &r->order.price, &r->received, &r->asked))
		r->asked = r->order.price;
	pay.amount = r->asked;
	pay.memo = r->memo;
	err = uri_build(chain_profile_get(c->site->chain), c->site->uri_style, &pay, r->uri,
	                sizeof(r->uri), &r->why);
	if (err)
		return finish(r, STAFF_FAILED, err);
	return finish(r, STAFF_OK, KERR_OK);
}
