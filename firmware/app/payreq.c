#include "kiosk/payreq.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/matcher.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payment.h"

enum kerr payreq_ensure(struct store *s, struct rng *rng, int64_t now_ms, int64_t ttl_ms,
                        struct order *o, struct store_request *out)
{
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
		memset(out, 0, sizeof(*out));
		snprintf(out->order_id, sizeof(out->order_id), "%s", o->id);
		err = matcher_paycode_new(rng, out->memo, sizeof(out->memo));
		out->amount = o->price;
		out->created_ms = now_ms;
		out->expires_ms = now_ms + ttl_ms;
		if (!err)
			err = store_request_insert(s, out);
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
