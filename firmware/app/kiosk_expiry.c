/*
 * Payment requests that run out, whether or not they are on screen: the
 * daemon's sweep (at start, on every chain head and once a minute from the
 * tick) fires ORDER_EV_EXPIRE for each order awaiting payment or part paid
 * whose request expired. Part paid, what came in becomes refund due to its
 * payers (store_expire_refund). And the journal's note of a payment that
 * came after its request expired, under the site's late_payment policy.
 *
 * An order expires once both the wall clock and the kiosk's reading of the
 * chain (the cursor's block time) are past its request's expiry: a payment
 * made in time but not yet read never meets an expired order. Without nodes
 * (staff confirmations only) the wall clock alone decides.
 */
#include "kiosk_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/store_expiry.h"

#define EXPIRY_BATCH  32
#define EXPIRY_ROUNDS 8 /* at most 256 orders a sweep; the next sweep takes the rest */

/* Up to when a request may count as expired (0: not yet). */
static int64_t expiry_cutoff_ms(struct kiosk *k)
{
	struct store_cursor c;
	int64_t now = now_ms(k);

	if (!k->site->node_count)
		return now;
	int64_t read;

	if (store_cursor_get(k->store, k->chain->name, k->site->account, &c) != KERR_OK)
		return 0;
	read = c.block_time_ms;
	/* A head is reported when a poll has read the history to its end, which
	 * lists irreversible blocks only: read up to the last irreversible block,
	 * as reconcile() goes by the head (an idle cursor does not move). */
	if (k->head_time_s > 0 && k->head >= k->lib) {
		int64_t lib_ms = (k->head_time_s - (int64_t)(k->head - k->lib) *
		                                       (int64_t)k->chain->block_interval_s) *
		                 1000;

		if (lib_ms > read)
			read = lib_ms;
	}
	return read < now ? read : now;
}

/* One order whose request expired; true if it moved. */
static bool expire_one(struct kiosk *k, enum order_state from, const struct store_expired *e)
{
	struct order o;
	struct asset owed;
	enum order_state to;
	char cause[160], amt[ASSET_STR_MAX];

	if (store_order_get(k->store, e->order_id, &o) != KERR_OK || o.state != from ||
	    order_fsm_next(from, ORDER_EV_EXPIRE, &to) != KERR_OK)
		return false;
	snprintf(cause, sizeof(cause), "payment request %s expired", e->memo);
	if (to != ORDER_REFUND_DUE) {
		if (!kiosk_advance(k, &o, ORDER_EV_EXPIRE, cause))
			return false;
		log_notice("order %s: payment request %s expired", o.id, e->memo);
	} else {
		snprintf(cause, sizeof(cause), "payment request %s expired underpaid: refund due",
		         e->memo);
		if (store_expire_refund(k->store, o.id, from, to, cause, &o.price, &owed) !=
		    KERR_OK) {
			log_err("journal: order %s expired underpaid, but its refund could not be "
			        "recorded; "
			        "it is tried again",
			        o.id);
			return false;
		}
		o.state = to;
		log_notice("order %s: payment request %s expired underpaid; %s refund due", o.id,
		           e->memo, asset_format(&owed, amt, sizeof(amt)) == KERR_OK ? amt : "?");
	}
	/* The order the kiosk holds for a member is the journal's. */
	if (strcmp(k->order.id, o.id) == 0)
		k->order.state = o.state;
	return true;
}

void kiosk_expiry_sweep(struct kiosk *k)
{
	static const enum order_state open[] = {ORDER_AWAITING_PAYMENT, ORDER_UNDERPAID};
	struct store_expired e[EXPIRY_BATCH];
	int64_t cutoff = expiry_cutoff_ms(k);

	k->expiry_next_ms = now_ms(k) + EXPIRY_SWEEP_MS;
	if (cutoff <= 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(open); i++) {
		for (unsigned round = 0; round < EXPIRY_ROUNDS; round++) {
			unsigned n = 0, moved = 0;

			if (store_expired_requests(k->store, open[i], cutoff, e, EXPIRY_BATCH,
			                           &n) != KERR_OK)
				break;
			for (unsigned j = 0; j < n; j++)
				moved += expire_one(k, open[i], &e[j]);
			/* A short batch was the last; one where nothing moved would come back the
			 * same. */
			if (n < EXPIRY_BATCH || moved == 0)
				break;
		}
	}
}

void kiosk_expiry_tick(struct kiosk *k)
{
	if (now_ms(k) >= k->expiry_next_ms)
		kiosk_expiry_sweep(k);
}

enum kerr kiosk_expiry_note_late(struct kiosk *k, const char *order_id, const char *memo,
                                 const struct watcher_transfer *t, const struct match_outcome *out)
{
	char d[STORE_DETAIL_MAX], amt[ASSET_STR_MAX];
	const char *what;

	if (out->kind == MATCH_LATE_REFUND)
		what = "refund due (late_payment = refund)";
	else if (out->late)
		what = out->kind == MATCH_PARTIAL ? "counted, part paid (late_payment = accept)"
		                                  : "counted (late_payment = accept)";
	else
		return KERR_OK;
	if (asset_format(&t->amount, amt, sizeof(amt)) != KERR_OK)
		snprintf(amt, sizeof(amt), "?");
	snprintf(d, sizeof(d), "%s from %s after request %s expired: %s", amt, t->from, memo, what);
	log_notice("order %s: %s", order_id, d);
	return store_event(k->store, order_id, "late_payment", d);
}
