#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store_rates.h"

/* ---- payments seen on chain ---- */

/* Moves the order on by one event; false if the table has no such move. */
bool kiosk_advance(struct kiosk *k, struct order *o, enum order_event ev, const char *cause)
{
	enum order_state to;

	if (order_fsm_next(o->state, ev, &to) != KERR_OK)
		return false;
	if (store_order_set_state(k->store, o->id, o->state, to, cause) != KERR_OK)
		return false;
	o->state = to;
	return true;
}

/* Staff confirmations still waiting for the chain: settle or flag them. */
static void reconcile(struct kiosk *k, const char *only_order, int64_t scanned_to_s)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned n = 0;

	if (!c || store_confirmation_list(k->store, RECONCILE_PENDING, c, 64, &n)) {
		free(c);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct reconcile_input in = {.confirmed_at_s = c[i].at_ms / 1000,
		                             .after_s = k->site->reconcile_after_s,
		                             .now_s = now_ms(k) / 1000,
		                             .scanned_to_s = scanned_to_s};
		struct reconcile_result r;
		struct order o;

		if (c[i].method != PAY_CHAIN_PENDING ||
		    (only_order && strcmp(c[i].order_id, only_order) != 0) ||
		    store_order_get(k->store, c[i].order_id, &o) ||
		    store_transfer_sum(k->store, o.id, &o.price, &in.proven))
			continue;
		in.price = o.price;
		if (reconcile_decide(&in, &r) || r.state == RECONCILE_PENDING)
			continue;
		if (store_confirmation_settle(k->store, c[i].id, r.state, &r.due))
			continue;
		log_notice("order %s: staff confirmation %s", o.id, reconcile_state_name(r.state));
	}
	free(c);
}

static bool has_pending_confirmation(struct kiosk *k, const char *order_id)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned n = 0;
	bool found = false;

	if (c && store_confirmation_list(k->store, RECONCILE_PENDING, c, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n && !found; i++)
			found = strcmp(c[i].order_id, order_id) == 0 &&
			        c[i].method == PAY_CHAIN_PENDING;
	free(c);
	return found;
}

/* The site's index of a node URL; SITE_NODES_MAX when it is not (or no longer) one of them. */
static unsigned node_index(const struct kiosk *k, const char *url)
{
	for (unsigned i = 0; i < k->site->node_count; i++)
		if (strcmp(k->site->nodes[i].url, url) == 0)
			return i;
	return SITE_NODES_MAX;
}

/* One transfer of an order against the policy; above strict_above, asks
 * another node to serve and prove the same transaction. */
static enum kerr check_transfer(struct kiosk *k, const struct order *o,
                                const struct store_transfer *t, struct policy_result *r)
{
	struct policy_input in = {.head_block = k->head,
	                          .irreversible_block = k->lib,
	                          /* The order's price: a top-up of a large order is large too. */
	                          .amount = o->price,
	                          .tx_block = t->block,
	                          .agreeing_nodes = t->nodes ? t->nodes : 1};
	/* A token payment: its block was served alike by the node quorum and its execution told
	 * alike by the sidechain's; a second node's proof of it as a chain transfer cannot come. */
	if (site_token_index(k->site, t->amount.symbol) >= 0 && in.agreeing_nodes < 2)
		in.agreeing_nodes = 2;
	enum kerr err = policy_check(&k->policy, &in, r);

	if (!err && r->waiting_for_second_node && k->watcher) {
		struct watcher_transfer wt = {.trx_id = t->trx_id,
		                              .op_index = t->op_index,
		                              .block = t->block,
		                              .from = t->from,
		                              .amount = t->amount,
		                              .memo = t->memo,
		                              .memo_len = t->memo_len,
		                              .node = node_index(k, t->proved_by)};

		watcher_second_opinion(k->watcher, &wt);
	}
	return err;
}

/* The most transfers one order is checked over; an order paid in more parts
 * than this waits for staff (the rest are never confirmed unseen). */
#define ORDER_TRANSFERS_MAX 16

/* An order paid and waiting for confirmations: is the policy met now, by
 * every transfer that counts towards it? */
void kiosk_confirm_if_due(struct kiosk *k, struct order *o)
{
	struct store_transfer *t;
	struct policy_result each[ORDER_TRANSFERS_MAX], r;
	unsigned n = 0;
	bool ok;

	if (o->state != ORDER_PAID_CONFIRMING)
		return;
	t = calloc(ORDER_TRANSFERS_MAX + 1, sizeof(*t));
	ok = t &&
	     store_transfers_of_order(k->store, o->id, t, ORDER_TRANSFERS_MAX + 1, &n) == KERR_OK;
	if (ok && n > ORDER_TRANSFERS_MAX) {
		log_warn("order %s: paid in more than %d transfers: staff must confirm it", o->id,
		         ORDER_TRANSFERS_MAX);
		ok = false;
	}
	for (unsigned i = 0; ok && i < n; i++)
		ok = check_transfer(k, o, &t[i], &each[i]) == KERR_OK;
	free(t);
	if (!ok || n == 0)
		return;
	policy_combine(each, n, &r);
	if (!r.confirmed) {
		/* The member at the kiosk sees the confirmations come in. */
		if (k->mode == M_PAYMENT && strcmp(k->order.id, o->id) == 0) {
			k->order = *o;
			kiosk_model_for_order(k, &k->order);
			k->model.conf_have = r.have;
			k->model.conf_need = r.need;
			k->expires_ms = now_ms(k) + IDLE_AFTER_NS / NS_PER_MS * 10;
			kiosk_show(k, M_PAYMENT, SCREEN_CONFIRMING);
		}
		return;
	}
	if (!kiosk_advance(k, o, ORDER_EV_CONFIRMED, "payment confirmed on chain"))
		return;
	log_notice("order %s: paid (%u transfer%s confirmed)", o->id, n, n == 1 ? "" : "s");
	/* The member waiting at its payment screen gets the goods now: this
	 * session paid for it, or gave its pickup code. */
	if (k->mode == M_PAYMENT && strcmp(k->order.id, o->id) == 0 &&
	    strcmp(k->proven, o->id) == 0) {
		k->order = *o;
		kiosk_hand_over(k, &k->order, false);
	}
}

void kiosk_on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct order *list = calloc(64, sizeof(*list));
	unsigned n = 0;

	k->head = head;
	k->lib = lib;
	k->head_time_s = head_time_s;
	k->head_at_ns = clock_mono_ns(k->clock);
	reconcile(k, NULL, head_time_s);
	/* The chain was read further: requests that ran out before it expire now. */
	kiosk_expiry_sweep(k);
	if (list && store_order_list(k->store, ORDER_PAID_CONFIRMING, list, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n; i++)
			kiosk_confirm_if_due(k, &list[i]);
	free(list);
}

void kiosk_on_agreed(struct watcher_events *e, const char *trx_id, uint32_t op_index)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct order *list = calloc(64, sizeof(*list));
	unsigned n = 0;

	if (store_transfer_agreed(k->store, trx_id, op_index))
		log_err("journal: a second node's agreement on %s could not be recorded", trx_id);
	else if (list && store_order_list(k->store, ORDER_PAID_CONFIRMING, list, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n; i++)
			kiosk_confirm_if_due(k, &list[i]);
	free(list);
}

void kiosk_on_pool(struct watcher_events *e, enum pool_state state, const char *detail)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);

	/* Degraded still verifies payments; only offline needs the staff banner. */
	k->online = state != POOL_OFFLINE;
	/* Journaled, so `kioskctl status` can say how the nodes are. */
	if (store_event(k->store, NULL, "pool", detail))
		log_warn("journal: the node pool's state could not be recorded");
	kiosk_draw(k);
}

void kiosk_on_refused(struct watcher_events *e, const char *trx_id, const char *why)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	char d[320];

	bool first = false;

	/* Every node may serve the same lie on every poll: journaled once per id and reason. */
	if (store_refused_note(k->store, trx_id, why, &first)) {
		log_err("journal: a refused transfer could not be recorded");
		return;
	}
	if (!first)
		return;
	snprintf(d, sizeof(d), "%.40s: %s", trx_id, why);
	if (store_event(k->store, NULL, "transfer_refused", d))
		log_err("journal: a refused transfer could not be recorded");
}

enum kerr kiosk_on_unverified(struct watcher_events *e, const struct watcher_unverified *u)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct store_unverified su = {0};
	bool is_new = false;
	enum kerr err;
	char d[200];

	snprintf(su.trx_id, sizeof(su.trx_id), "%s", u->trx_id);
	su.op_index = u->op_index;
	su.block = u->block;
	su.timestamp_ms = u->time_ms;
	snprintf(su.from, sizeof(su.from), "%s", u->from);
	su.amount = u->amount;
	su.memo_len = u->memo_len < sizeof(su.memo) ? u->memo_len : sizeof(su.memo);
	memcpy(su.memo, u->memo, su.memo_len);
	snprintf(su.reason, sizeof(su.reason), "%s", u->reason);
	err = store_unverified_insert(k->store, &su, &is_new);
	if (err)
		return err;
	if (is_new) {
		snprintf(d, sizeof(d), "%.40s from %s: %s", u->trx_id, u->from, u->reason);
		if (store_event(k->store, NULL, "transfer_unverified", d))
			log_warn("journal: the unverified transfer's event could not be recorded");
	}
	return KERR_OK;
}

enum kerr kiosk_on_transfer(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct store_transfer st = {0};
	struct store_request req;
	struct match_request mr = {0};
	struct match_transfer mt = {.from = t->from,
	                            .to = k->site->account,
	                            .amount = t->amount,
	                            .timestamp_ms = t->time_ms};
	struct match_outcome out;
	struct order o;
	char memo[ORDER_MEMO_MAX + 1], text[TX_MEMO_MAX + 1];
	size_t n = 0;
	bool have = false;
	enum kerr err;

	/* From the co-op: a refund paid back (kiosk_refund.c). */
	if (strcmp(t->from, k->site->account) == 0)
		return kiosk_on_refund_sent(k, t);
	memcpy(text, t->memo, t->memo_len);
	text[t->memo_len] = '\0';
	mt.memo = text;
	/* One memo rule for the whole kiosk (core/payment): a memo too long to be a
	 * payment code has no key, so it matches no order. */
	if (payment_memo_key(t->memo, t->memo_len, memo, sizeof(memo)) != KERR_OK)
		memo[0] = '\0';
	if (store_request_find(k->store, memo, &req) == KERR_OK &&
	    store_order_get(k->store, req.order_id, &o) == KERR_OK) {
		struct store_rate_lock lock;

		mr.order_id = o.id;
		mr.memo = req.memo;
		mr.price = o.price;
		/* A won-priced request: the amount its rate locked, within its tolerance. */
		if (o.won.symbol[0] && store_rate_lock_get(k->store, req.memo, &lock) == KERR_OK) {
			mr.price = req.amount;
			mr.tolerance_bp = lock.tolerance_bp;
			/* Paid in another asset the request offered: judged against
			 * that asset's locked amount alone (docs/prices.md). */
			kiosk_offer_price(k, &req, &t->amount, &mr.price);
		}
		mr.expires_at_ms = req.expires_ms;
		mr.closed = payment_order_closed(o.state);
		/* Handed over on a staff confirmation: this payment settles it. */
		if (mr.closed && has_pending_confirmation(k, o.id))
			mr.closed = false;
		err = store_transfer_sum(k->store, o.id, &mr.price, &mr.received);
		if (err)
			return err;
		n = 1;
		have = true;
	}
	err = matcher_apply(&mr, n, k->site->account, k->site->late_payment, &mt, false, &out);
	if (err) {
		log_err("transfer %s: cannot be matched (%s); it will be read again", t->trx_id,
		        kerr_str(err));
		return err;
	}
	snprintf(st.trx_id, sizeof(st.trx_id), "%s", t->trx_id);
	st.op_index = t->op_index;
	st.block = t->block;
	st.timestamp_ms = t->time_ms;
	snprintf(st.from, sizeof(st.from), "%s", t->from);
	snprintf(st.to, sizeof(st.to), "%s", k->site->account);
	st.amount = t->amount;
	if (t->node < k->site->node_count)
		snprintf(st.proved_by, sizeof(st.proved_by), "%s", k->site->nodes[t->node].url);
	memcpy(st.memo, t->memo, t->memo_len < sizeof(st.memo) ? t->memo_len : sizeof(st.memo));
	st.memo_len = t->memo_len < sizeof(st.memo) ? t->memo_len : sizeof(st.memo);
	st.status = out.kind == MATCH_ENCRYPTED_MEMO || out.kind == MATCH_UNKNOWN_MEMO
	                ? STORE_TRANSFER_FOR_STAFF
	            : out.refund.amount > 0 && out.credited.amount == 0 ? STORE_TRANSFER_REFUND_DUE
	                                                                : STORE_TRANSFER_NEW;
	/* One transaction: the transfer, its match, a refund due, the order's move. */
	err = store_begin(k->store);
	if (err) {
		log_err("journal: transfer %s could not be recorded (%s); it will be read again",
		        t->trx_id, kerr_str(err));
		return err;
	}
	err = store_transfer_insert(k->store, &st);
	if (err == KERR_EXISTS) {
		/* Recorded before (the cursor was not saved after it): nothing more to do. */
		store_rollback(k->store);
		return KERR_OK;
	}
	if (err)
		goto rollback;
	if (have && out.credited.amount > 0 &&
	    (err = store_transfer_match(k->store, st.rowid, o.id)))
		goto rollback;
	if (out.refund.amount > 0 &&
	    (err = store_refund_insert(k->store, st.rowid, t->from, &out.refund,
	                               match_kind_name(out.kind))))
		goto rollback;
	/* After its request expired: refunded or counted, per late_payment; journaled. */
	if (have && (err = kiosk_expiry_note_late(k, o.id, req.memo, t, &out)))
		goto rollback;
	/* Paid in one asset: parts paid in others are owed back (docs/prices.md). */
	if (have && (out.kind == MATCH_PAID || out.kind == MATCH_OVERPAID) && o.won.symbol[0] &&
	    (err = kiosk_offer_refund_others(k, o.id, &mr.price)))
		goto rollback;
	if (have && (out.kind == MATCH_PAID || out.kind == MATCH_OVERPAID))
		(void)kiosk_advance(k, &o, ORDER_EV_PAID_FULL,
		                    out.late ? "paid on chain after expiry" : "paid on chain");
	else if (have && out.kind == MATCH_PARTIAL)
		(void)kiosk_advance(k, &o, ORDER_EV_PAID_PART,
		                    out.late ? "part paid on chain after expiry"
		                             : "part paid on chain");
	err = store_commit(k->store);
	if (err) {
		log_err("journal: transfer %s could not be recorded (%s); it will be read again",
		        t->trx_id, kerr_str(err));
		return err;
	}
	log_notice("transfer %s from %s: %s", t->trx_id, t->from, match_kind_name(out.kind));
	if (have && out.kind == MATCH_PARTIAL && k->mode == M_PAYMENT &&
	    strcmp(k->order.id, o.id) == 0) {
		static char due[ASSET_STR_MAX];

		/* Still the payment flow: the QR now asks for what is due, with the
		 * same code, and a top-up hands over. */
		if (store_order_get(k->store, o.id, &k->order) != KERR_OK ||
		    kiosk_request_model(k, &k->order) != KERR_OK)
			k->model.uri = NULL;
		if (asset_format(&out.still_due, due, sizeof(due)) == KERR_OK)
			k->model.still_due = due;
		kiosk_show(k, M_PAYMENT, SCREEN_UNDERPAID);
	}
	if (have && out.kind == MATCH_WRONG_ASSET && k->mode == M_PAYMENT &&
	    strcmp(k->order.id, o.id) == 0) {
		static char got[ASSET_STR_MAX];

		k->model.order_id = k->order.id;
		/* What came in next to what is due (model.amount, still the request's). */
		k->model.received =
		    asset_format(&t->amount, got, sizeof(got)) == KERR_OK ? got : NULL;
		k->model.refund_recorded = out.refund.amount > 0;
		kiosk_show_message(k, SCREEN_WRONG_ASSET, NULL);
	}
	if (have) {
		kiosk_confirm_if_due(k, &o);
		reconcile(k, o.id, t->time_ms / 1000);
	}
	return KERR_OK;
rollback:
	store_rollback(k->store);
	log_err("journal: transfer %s could not be recorded (%s); it will be read again", t->trx_id,
	        kerr_str(err));
	return err;
}

/*
 * A transfer's block left the chain before it was irreversible. Not handed
 * over yet: the order waits for payment again (no handover on a payment
 * that is gone). Handed over already: the goods are out on money that is
 * not there; journaled for staff ('reverted_after_handover', kioskctl status).
 */
void kiosk_on_reverted(struct watcher_events *e, const char *trx_id, uint32_t op_index,
                       uint32_t block)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	char order_id[ORDER_ID_MAX + 1], d[200];
	struct order o;

	if (store_transfer_revert(k->store, trx_id, op_index, order_id, sizeof(order_id)) !=
	    KERR_OK) {
		log_err("journal: transfer %s left the chain (fork) but could not be taken back",
		        trx_id);
		return;
	}
	snprintf(d, sizeof(d), "transfer %.40s: block %u left the chain (fork)", trx_id, block);
	if (!order_id[0] || store_order_get(k->store, order_id, &o) != KERR_OK) {
		if (store_event(k->store, NULL, "reverted", d))
			log_err("journal: a reverted transfer could not be recorded");
		return;
	}
	if ((o.state == ORDER_PAID_CONFIRMING ||
	     (o.state == ORDER_PAID && !has_pending_confirmation(k, o.id))) &&
	    kiosk_advance(k, &o, ORDER_EV_REVERTED, d)) {
		log_warn("order %s: %s; waiting for payment again", o.id, d);
		if (store_event(k->store, o.id, "reverted", d))
			log_err("journal: a reverted transfer could not be recorded");
		if (strcmp(k->order.id, o.id) == 0)
			k->order = o;
		return;
	}
	if (o.state == ORDER_HANDING_OVER || o.state == ORDER_HANDED_OVER ||
	    o.state == ORDER_HANDOVER_FAILED) {
		log_err("order %s: handed over, and its payment left the chain: %s", o.id, d);
		if (store_event(k->store, o.id, "reverted_after_handover", d))
			log_err("journal: a payment reverted after handover could not be recorded");
		return;
	}
	if (store_event(k->store, o.id, "reverted", d))
		log_err("journal: a reverted transfer could not be recorded");
}
