#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- payment requests ---- */

/* The screen model's order lines (id, items, amount) from o, which must outlive the screen. */
void kiosk_model_for_order(struct kiosk *k, const struct order *o)
{
	size_t n = 0;

	k->items[0] = '\0';
	for (unsigned i = 0; i < o->item_count && n < sizeof(k->items) - 1; i++)
		n += (size_t)snprintf(k->items + n, sizeof(k->items) - n, "%s%s ×%u", i ? ", " : "",
		                      o->items[i].name, o->items[i].quantity);
	if (asset_format(&o->price, k->amount, sizeof(k->amount)))
		k->amount[0] = '\0';
	k->model.order_id = o->id;
	k->model.items = k->items;
	k->model.amount = k->amount;
}

/* The payment screen's model for o: its request (made once, then reused) as a QR. */
enum kerr kiosk_request_model(struct kiosk *k, struct order *o)
{
	struct staff_ctx c = {.store = k->store, .site = k->site, .rng = k->rng, .now_ms = now_ms(k),
	                      .actor = k->staff_name};
	struct staff_result r;

	/* The same request, and the same amount still due, as kioskctl's. */
	if (staff_payment_request(&c, o->id, (int64_t)k->site->request_ttl_s * 1000, &r) != STAFF_OK)
		return r.err ? r.err : KERR_STATE;
	*o = r.order;
	k->expires_ms = r.expires_ms;
	snprintf(k->uri, sizeof(k->uri), "%s", r.uri);
	memset(&k->model, 0, sizeof(k->model));
	kiosk_model_for_order(k, o);
	/* What is still due, when part is paid. */
	if (asset_format(&r.asked, k->amount, sizeof(k->amount)))
		k->amount[0] = '\0';
	k->model.memo = o->memo;
	k->model.pay_to = k->site->account;
	k->model.uri = k->uri;
	k->model.ecc = QR_ECC_M;
	k->model.wallet_hint = k->chain->chain == SITE_CHAIN_HIVE ? "Hive Keychain, Hivesigner" : "Steem Keychain, SteemLogin";
	return KERR_OK;
}

static enum kerr payment_request(struct kiosk *k, struct order *o)
{
	enum kerr err = kiosk_request_model(k, o);

	if (!err)
		kiosk_show(k, M_PAYMENT, SCREEN_PAYMENT);
	return err;
}

/* An order by its id, or by the digits the member typed (see store_order_find). */
static enum kerr find_order(struct kiosk *k, const char *key, struct order *o)
{
	return store_order_find(k->store, key, o);
}

void kiosk_serve(struct kiosk *k, const char *key)
{
	struct order o;

	if (find_order(k, key, &o) != KERR_OK) {
		kiosk_show_message(k, SCREEN_ERROR, k->site->lang == SITE_LANG_KO ? "주문을 찾을 수 없습니다" : "Order not found");
		return;
	}
	k->order = o;
	switch (o.state) {
	case ORDER_PAID:
		kiosk_hand_over(k, &k->order, false);
		return;
	case ORDER_PAID_CONFIRMING:
		/* Paid, not yet confirmed: wait here; kiosk_confirm_if_due() hands over. */
		memset(&k->model, 0, sizeof(k->model));
		kiosk_model_for_order(k, &k->order);
		k->expires_ms = now_ms(k) + IDLE_AFTER_NS / NS_PER_MS * 10;
		kiosk_show(k, M_PAYMENT, SCREEN_CONFIRMING);
		kiosk_confirm_if_due(k, &k->order);
		return;
	case ORDER_HANDED_OVER:
	case ORDER_CANCELLED:
	case ORDER_REFUND_DUE:
	case ORDER_HANDOVER_FAILED:
	case ORDER_HANDING_OVER:
		k->model.order_id = k->order.id;
		kiosk_show_message(k, SCREEN_EXPIRED, NULL);
		return;
	default:
		if (payment_request(k, &k->order))
			kiosk_show_message(k, SCREEN_ERROR, "payment request failed");
	}
}

