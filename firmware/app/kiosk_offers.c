/*
 * A won price paid in any asset its request offered (docs/prices.md): a
 * payment is judged against the amount locked for its own asset; once one
 * asset pays the order, parts paid in the others are owed back. On the
 * payment screen next/previous show the request in each offered asset.
 */
#include "kiosk_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/payreq.h"
#include "kiosk/store_rates.h"
#include "kiosk/uri.h"

void kiosk_offer_price(struct kiosk *k, const struct store_request *req, const struct asset *paid,
                       struct asset *price)
{
	struct store_rate_offer offer;

	/* Same symbol and precision, or it is not the asset offered: a wrong asset. */
	if (strcmp(paid->symbol, req->amount.symbol) == 0 ||
	    store_rate_offer_get(k->store, req->memo, paid->symbol, &offer) != KERR_OK ||
	    offer.amount.precision != paid->precision)
		return;
	*price = offer.amount;
}

enum kerr kiosk_offer_refund_others(struct kiosk *k, const char *order_id, const struct asset *kept)
{
	unsigned n = 0;
	enum kerr err =
	    store_rate_offers_refund_others(k->store, order_id, kept, "paid in another asset", &n);

	if (!err && n)
		log_notice("order %s: paid in %s; %u part payment(s) in another asset owed back",
		           order_id, kept->symbol, n);
	return err;
}

/* The URI that pays offer o with the request's memo, in the site's style. */
static enum kerr offer_uri(struct kiosk *k, const struct store_rate_offer *o, char *out, size_t cap)
{
	struct uri_payment pay = {
	    .to = k->site->account, .amount = o->amount, .memo = k->order.memo};
	const char *why = NULL;
	enum site_uri_style style = k->site->uri_style;

	if (site_token_index(k->site, o->amount.symbol) >= 0) {
		/* A token: its custom_json; a plain transfer link cannot carry one. */
		pay.token = o->amount.symbol;
		pay.token_quantity = o->amount.amount;
		pay.token_precision = o->amount.precision;
		if (style == SITE_URI_HTTPS_TRANSFER)
			style = SITE_URI_HTTPS_OP;
	}
	return uri_build(chain_profile_get(k->site->chain), style, &pay, out, cap, &why);
}

void kiosk_offer_cycle(struct kiosk *k, int step)
{
	struct store_rate_offer offers[STORE_RATE_OFFERS_MAX];
	struct store_rate_lock lock;
	char uri[URI_MAX], amount[ASSET_STR_MAX];
	struct asset sum;
	size_t n = 0, cur = 0, next;

	if (!k->order.won.symbol[0] || !k->order.memo[0] ||
	    store_rate_offer_list(k->store, k->order.memo, offers, STORE_RATE_OFFERS_MAX, &n) ||
	    n < 2 || store_rate_lock_get(k->store, k->order.memo, &lock))
		return;
	for (size_t i = 0; i < n; i++)
		if (strcmp(offers[i].amount.symbol, k->offer_symbol) == 0)
			cur = i;
	next = (cur + n + (size_t)(step < 0 ? n - 1 : 1)) % n;
	/* Each asset on its own: what is still due in it after a part paid in it. */
	if (store_transfer_sum(k->store, k->order.id, &offers[next].amount, &sum) == KERR_OK &&
	    sum.amount > 0 && sum.amount < offers[next].amount.amount)
		offers[next].amount.amount -= sum.amount;
	if (offer_uri(k, &offers[next], uri, sizeof(uri)) != KERR_OK ||
	    asset_format(&offers[next].amount, amount, sizeof(amount)) != KERR_OK) {
		log_warn("order %s: the request in %s cannot be shown", k->order.id,
		         offers[next].amount.symbol);
		return;
	}
	/* The same request and memo; only the asset, its amount and its rate change. */
	snprintf(k->offer_symbol, sizeof(k->offer_symbol), "%s", offers[next].amount.symbol);
	memcpy(k->uri, uri, sizeof(k->uri));
	memcpy(k->amount, amount, sizeof(k->amount));
	lock.rate = offers[next].rate;
	snprintf(lock.source, sizeof(lock.source), "%s", offers[next].source);
	lock.rate_ms = offers[next].rate_ms;
	payreq_won_line(&lock, offers[next].amount.symbol, k->won_rate, sizeof(k->won_rate));
	k->model.amount = k->amount;
	k->model.uri = k->uri;
	kiosk_draw(k);
}
