#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/strings.h"

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
	struct staff_ctx c = kiosk_staff_ctx(k);
	struct staff_result r;

	/* The same request, and the same amount still due, as kioskctl's. */
	switch (staff_payment_request(&c, o->id, (int64_t)k->site->request_ttl_s * 1000, &r)) {
	case STAFF_OK:
		break;
	case STAFF_NO_RATE:
		/* Staff, not a guess: the reason is for them. */
		log_warn("order %s: priced in won and no usable rate: %s", o->id, r.why);
		snprintf(k->message, sizeof(k->message), "%s\n(%s)",
		         str_get(STR_RATE_ASK_STAFF, k->site->lang), r.why);
		return KERR_NOTFOUND;
	default:
		/* KERR_NOTFOUND means "no rate" to the caller. */
		return r.err && r.err != KERR_NOTFOUND ? r.err : KERR_STATE;
	}
	*o = r.order;
	k->expires_ms = r.expires_ms;
	k->offer_symbol[0] = '\0';
	snprintf(k->uri, sizeof(k->uri), "%s", r.uri);
	memset(&k->model, 0, sizeof(k->model));
	kiosk_model_for_order(k, o);
	/* What is still due, when part is paid. */
	if (asset_format(&r.asked, k->amount, sizeof(k->amount)))
		k->amount[0] = '\0';
	payreq_won_line(&r.lock, r.order.price.symbol, k->won_rate, sizeof(k->won_rate));
	k->model.won_rate = r.lock.krw > 0 ? k->won_rate : NULL;
	k->model.memo = o->memo;
	k->model.pay_to = k->site->account;
	k->model.uri = k->uri;
	k->model.ecc = QR_ECC_M;
	k->model.wallet_hint = k->chain->chain == SITE_CHAIN_HIVE ? "Hive Keychain, Hivesigner"
	                                                          : "Steem Keychain, SteemLogin";
	return KERR_OK;
}

static enum kerr payment_request(struct kiosk *k, struct order *o)
{
	enum kerr err = kiosk_request_model(k, o);

	if (!err) {
		/* Whoever pays here and now is the one who gets the goods. */
		snprintf(k->proven, sizeof(k->proven), "%s", o->id);
		kiosk_show(k, M_PAYMENT, SCREEN_PAYMENT);
	}
	return err;
}

/* A table string with one "%u" in it, filled (no printf with a table string). */
static void fill_u(char *buf, size_t cap, enum str_id id, enum site_lang lang, unsigned n)
{
	const char *t = str_get(id, lang), *at = strstr(t, "%u");

	if (at)
		snprintf(buf, cap, "%.*s%u%s", (int)(at - t), t, n, at + 2);
	else
		snprintf(buf, cap, "%s", t);
}

/* The pickup code screen for k->order, with a line saying what went wrong (or none). */
static void show_pickup(struct kiosk *k, const char *error)
{
	struct store_pickup p;

	if (!error)
		log_info("order %s: paid; asking for its pickup code", k->order.id);
	k->pick[0] = '\0';
	memset(&k->model, 0, sizeof(k->model));
	/* The order's number only: no member, no items on a screen anyone can see. */
	k->model.order_id = k->order.id;
	k->model.code_len = store_pickup_get(k->store, k->order.id, &p) == KERR_OK
	                        ? p.digits
	                        : k->site->pickup_code_digits;
	snprintf(k->message, sizeof(k->message), "%s", error ? error : "");
	k->model.error = error ? k->message : NULL;
	kiosk_show(k, M_PICKUP, SCREEN_PICKUP_CODE);
}

/* What a pickup attempt's verdict says on screen; the order is served when it was right. */
static void pickup_attempt(struct kiosk *k, const char *order_id, const char *code)
{
	struct pickup_result r;
	char msg[256];
	enum site_lang lang = k->site->lang;
	char id[ORDER_ID_MAX + 1];

	snprintf(id, sizeof(id), "%s", order_id);
	pickup_try(k->store, id, code, now_ms(k), &r);
	switch (r.verdict) {
	case PICKUP_OK:
		log_notice("order %s: the right pickup code", id);
		snprintf(k->proven, sizeof(k->proven), "%s", id);
		kiosk_serve(k, id);
		return;
	case PICKUP_WRONG:
		fill_u(msg, sizeof(msg), STR_PICKUP_WRONG, lang, r.tries_left);
		break;
	case PICKUP_LOCKED:
		fill_u(msg, sizeof(msg), STR_PICKUP_LOCKED, lang,
		       (unsigned)((r.left_ms + 59999) / 60000));
		break;
	case PICKUP_KIOSK_LOCKED:
		fill_u(msg, sizeof(msg), STR_PICKUP_KIOSK_LOCKED, lang,
		       (unsigned)((r.left_ms + 59999) / 60000));
		break;
	case PICKUP_NO_CODE:
		snprintf(msg, sizeof(msg), "%s", str_get(STR_PICKUP_NO_CODE, lang));
		break;
	default:
		log_err("journal: a pickup attempt for %s could not be recorded (%s)", id,
		        kerr_str(r.err));
		kiosk_show_message(k, SCREEN_ERROR, str_get(STR_JOURNAL_FAILED, k->site->lang));
		return;
	}
	log_notice("order %s: pickup code refused (%d)", id, (int)r.verdict);
	/* Back on this order's code screen, saying why. */
	if (strcmp(k->order.id, id) != 0 && store_order_get(k->store, id, &k->order) != KERR_OK) {
		kiosk_show_message(k, SCREEN_ERROR, msg);
		return;
	}
	show_pickup(k, msg);
}

void kiosk_pickup_key(struct kiosk *k, char key)
{
	size_t n = strlen(k->pick);

	if (key >= '0' && key <= '9' &&
	    n < (k->model.code_len ? k->model.code_len : PICKUP_DIGITS_MAX)) {
		k->pick[n] = key;
		k->pick[n + 1] = '\0';
		k->model.code_digits = (unsigned)n + 1;
		k->model.error = NULL;
		kiosk_draw(k);
		return;
	} else if (key == '\b' && n) {
		k->pick[n - 1] = '\0';
		k->model.code_digits = (unsigned)n - 1;
		kiosk_draw(k);
		return;
	} else if (key == '\b') {
		/* Backspace with nothing typed: not this order after all. */
		kiosk_show_idle(k);
		return;
	} else if (key != '\n' || n == 0) {
		/* The code goes in with Enter (or OK); Enter before any digit does nothing. */
		return;
	}
	{
		char code[PICKUP_DIGITS_MAX + 1];

		snprintf(code, sizeof(code), "%s", k->pick);
		explicit_bzero(k->pick, sizeof(k->pick));
		pickup_attempt(k, k->order.id, code);
		explicit_bzero(code, sizeof(code));
	}
}

void kiosk_pickup_scan(struct kiosk *k, const char *text)
{
	char id[ORDER_ID_MAX + 1], code[PICKUP_DIGITS_MAX + 1];
	struct order o;

	if (!pickup_qr_parse(text, id, code) || store_order_get(k->store, id, &o) != KERR_OK) {
		explicit_bzero(code, sizeof(code));
		kiosk_show_message(k, SCREEN_ERROR, str_get(STR_ORDER_NOT_FOUND, k->site->lang));
		return;
	}
	k->order = o;
	pickup_attempt(k, id, code);
	explicit_bzero(code, sizeof(code));
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
		kiosk_show_message(k, SCREEN_ERROR, str_get(STR_ORDER_NOT_FOUND, k->site->lang));
		return;
	}
	k->order = o;
	/* Paid (perhaps from home): the goods go out against the pickup code
	 * only, unless this very session paid for it. */
	if ((o.state == ORDER_PAID || o.state == ORDER_PAID_CONFIRMING) &&
	    strcmp(k->proven, o.id) != 0) {
		show_pickup(k, NULL);
		return;
	}
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
	default: {
		enum kerr err = payment_request(k, &k->order);
		char why[sizeof(k->message)];

		if (err == KERR_NOTFOUND) {
			snprintf(why, sizeof(why), "%s", k->message);
			kiosk_show_message(k, SCREEN_ERROR, why);
		} else if (err) {
			kiosk_show_message(k, SCREEN_ERROR,
			                   str_get(STR_REQUEST_FAILED, k->site->lang));
		}
	}
	}
}
