/*
 * A won price paid in any asset its request offered (docs/prices.md): a
 * payment is judged against the amount locked for its own asset; once one
 * asset pays the order, parts paid in the others are owed back.
 */
#include "kiosk_priv.h"

#include <string.h>

#include "kiosk/store_rates.h"

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
