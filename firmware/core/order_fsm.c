#include "kiosk/order_fsm.h"

#include "kiosk/compiler.h"

/*
 * The whole lifecycle. Anything not listed is refused: in particular no
 * path reaches handing_over except from paid (or an explicit resume of a
 * failed handover), so nothing opens without a proven or staff-confirmed
 * payment, and a restart never re-enters handing_over by itself.
 */
static const struct order_transition table[] = {
    {ORDER_READY, ORDER_EV_REQUEST, ORDER_AWAITING_PAYMENT},
    /* Paid from home with the order's code before coming to the kiosk. */
    {ORDER_READY, ORDER_EV_PAID_PART, ORDER_UNDERPAID},
    {ORDER_READY, ORDER_EV_PAID_FULL, ORDER_PAID_CONFIRMING},
    {ORDER_READY, ORDER_EV_STAFF_CONFIRM, ORDER_PAID},
    {ORDER_READY, ORDER_EV_CANCEL, ORDER_CANCELLED},

    {ORDER_AWAITING_PAYMENT, ORDER_EV_REQUEST, ORDER_AWAITING_PAYMENT},
    {ORDER_AWAITING_PAYMENT, ORDER_EV_PAID_PART, ORDER_UNDERPAID},
    {ORDER_AWAITING_PAYMENT, ORDER_EV_PAID_FULL, ORDER_PAID_CONFIRMING},
    {ORDER_AWAITING_PAYMENT, ORDER_EV_STAFF_CONFIRM, ORDER_PAID},
    {ORDER_AWAITING_PAYMENT, ORDER_EV_EXPIRE, ORDER_EXPIRED},
    {ORDER_AWAITING_PAYMENT, ORDER_EV_CANCEL, ORDER_CANCELLED},

    {ORDER_UNDERPAID, ORDER_EV_PAID_PART, ORDER_UNDERPAID},
    {ORDER_UNDERPAID, ORDER_EV_PAID_FULL, ORDER_PAID_CONFIRMING},
    {ORDER_UNDERPAID, ORDER_EV_STAFF_CONFIRM, ORDER_PAID},
    /* Money came in: expiry or cancellation means it is owed back. */
    {ORDER_UNDERPAID, ORDER_EV_EXPIRE, ORDER_REFUND_DUE},
    {ORDER_UNDERPAID, ORDER_EV_CANCEL, ORDER_REFUND_DUE},

    {ORDER_PAID_CONFIRMING, ORDER_EV_PAID_PART, ORDER_PAID_CONFIRMING},
    {ORDER_PAID_CONFIRMING, ORDER_EV_CONFIRMED, ORDER_PAID},
    {ORDER_PAID_CONFIRMING, ORDER_EV_REVERTED, ORDER_AWAITING_PAYMENT},
    {ORDER_PAID_CONFIRMING, ORDER_EV_STAFF_CONFIRM, ORDER_PAID},
    {ORDER_PAID_CONFIRMING, ORDER_EV_CANCEL, ORDER_REFUND_DUE},

    {ORDER_PAID, ORDER_EV_HANDOVER_START, ORDER_HANDING_OVER},
    /* Proven at head (or blocks:N), not handed over yet, and the block left the chain. */
    {ORDER_PAID, ORDER_EV_REVERTED, ORDER_AWAITING_PAYMENT},
    {ORDER_PAID, ORDER_EV_CANCEL, ORDER_REFUND_DUE},

    {ORDER_HANDING_OVER, ORDER_EV_HANDOVER_DONE, ORDER_HANDED_OVER},
    {ORDER_HANDING_OVER, ORDER_EV_HANDOVER_FAIL, ORDER_HANDOVER_FAILED},
    /* A crash mid-handover: the relay may or may not have moved. Wait. */
    {ORDER_HANDING_OVER, ORDER_EV_INTERRUPTED, ORDER_HANDOVER_FAILED},

    {ORDER_HANDOVER_FAILED, ORDER_EV_RESUME, ORDER_HANDING_OVER},
    /* Staff saw the goods were taken after all (e.g. door opened late). */
    {ORDER_HANDOVER_FAILED, ORDER_EV_HANDOVER_DONE, ORDER_HANDED_OVER},
    {ORDER_HANDOVER_FAILED, ORDER_EV_CANCEL, ORDER_REFUND_DUE},

    /* A new request for an expired order, or a late payment accepted. */
    {ORDER_EXPIRED, ORDER_EV_REQUEST, ORDER_AWAITING_PAYMENT},
    {ORDER_EXPIRED, ORDER_EV_PAID_PART, ORDER_UNDERPAID},
    {ORDER_EXPIRED, ORDER_EV_PAID_FULL, ORDER_PAID_CONFIRMING},
    {ORDER_EXPIRED, ORDER_EV_STAFF_CONFIRM, ORDER_PAID},
    {ORDER_EXPIRED, ORDER_EV_CANCEL, ORDER_CANCELLED},

    {ORDER_REFUND_DUE, ORDER_EV_REFUNDED, ORDER_CANCELLED},
};

static const char *const event_names[ORDER_EV_COUNT] = {
    [ORDER_EV_REQUEST] = "request",
    [ORDER_EV_PAID_PART] = "paid_part",
    [ORDER_EV_PAID_FULL] = "paid_full",
    [ORDER_EV_CONFIRMED] = "confirmed",
    [ORDER_EV_REVERTED] = "reverted",
    [ORDER_EV_STAFF_CONFIRM] = "staff_confirm",
    [ORDER_EV_HANDOVER_START] = "handover_start",
    [ORDER_EV_HANDOVER_DONE] = "handover_done",
    [ORDER_EV_HANDOVER_FAIL] = "handover_fail",
    [ORDER_EV_INTERRUPTED] = "interrupted",
    [ORDER_EV_RESUME] = "resume",
    [ORDER_EV_EXPIRE] = "expire",
    [ORDER_EV_CANCEL] = "cancel",
    [ORDER_EV_REFUNDED] = "refunded",
};

const char *order_event_name(enum order_event ev)
{
	if ((unsigned)ev >= ORDER_EV_COUNT)
		return "?";
	return event_names[ev];
}

enum kerr order_fsm_next(enum order_state from, enum order_event ev, enum order_state *to)
{
	*to = from;
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		if (table[i].from == from && table[i].event == ev) {
			*to = table[i].to;
			return KERR_OK;
		}
	}
	return KERR_STATE;
}

bool order_fsm_may_hand_over(enum order_state s)
{
	return s == ORDER_PAID || s == ORDER_HANDOVER_FAILED;
}

const struct order_transition *order_fsm_table(size_t *n)
{
	*n = ARRAY_SIZE(table);
	return table;
}
