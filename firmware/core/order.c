#include "kiosk/order.h"

#include <string.h>

#include "kiosk/compiler.h"

/* These names are stored in the journal: never rename one, only add. */
static const char *const state_names[ORDER_STATE_COUNT] = {
    [ORDER_READY] = "ready",
    [ORDER_AWAITING_PAYMENT] = "awaiting_payment",
    [ORDER_PAID_CONFIRMING] = "paid_confirming",
    [ORDER_PAID] = "paid",
    [ORDER_HANDING_OVER] = "handing_over",
    [ORDER_HANDED_OVER] = "handed_over",
    [ORDER_UNDERPAID] = "underpaid",
    [ORDER_EXPIRED] = "expired",
    [ORDER_REFUND_DUE] = "refund_due",
    [ORDER_HANDOVER_FAILED] = "handover_failed",
    [ORDER_CANCELLED] = "cancelled",
};

const char *order_state_name(enum order_state s)
{
	if ((unsigned)s >= ORDER_STATE_COUNT)
		return "?";
	return state_names[s];
}

enum kerr order_state_parse(const char *name, enum order_state *out)
{
	*out = ORDER_READY;
	if (!name)
		return KERR_PARSE;
	for (unsigned i = 0; i < ORDER_STATE_COUNT; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum order_state)i;
			return KERR_OK;
		}
	}
	return KERR_PARSE;
}

const char *order_pickup_name(enum order_pickup p)
{
	return p == ORDER_PICKUP_RECEIPT ? "receipt" : "locker";
}

enum kerr order_pickup_parse(const char *name, enum order_pickup *out)
{
	*out = ORDER_PICKUP_LOCKER;
	if (name && strcmp(name, "locker") == 0)
		return KERR_OK;
	if (name && strcmp(name, "receipt") == 0) {
		*out = ORDER_PICKUP_RECEIPT;
		return KERR_OK;
	}
	return KERR_PARSE;
}

bool order_state_final(enum order_state s)
{
	return s == ORDER_HANDED_OVER || s == ORDER_CANCELLED;
}
