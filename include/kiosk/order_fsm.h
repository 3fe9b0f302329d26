/*
 * The order lifecycle as an explicit transition table. Every state change
 * of an order goes through order_fsm_next(); the caller journals the
 * transition with its cause (store_order_set_state) in the same step.
 *
 *   ready -> awaiting_payment -> paid_confirming -> paid -> handing_over
 *         -> handed_over; with underpaid, expired, refund_due,
 *         handover_failed and cancelled around them.
 */
#ifndef KIOSK_ORDER_FSM_H
#define KIOSK_ORDER_FSM_H

#include <stddef.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"

enum order_event {
	ORDER_EV_REQUEST,        /* a payment request (memo, expiry) was shown */
	ORDER_EV_PAID_PART,      /* a transfer arrived; something is still due */
	ORDER_EV_PAID_FULL,      /* transfers cover the price; policy not yet met */
	ORDER_EV_CONFIRMED,      /* the confirmation policy is met and proven */
	ORDER_EV_REVERTED,       /* the paying block left the chain (fork) */
	ORDER_EV_STAFF_CONFIRM,  /* staff confirmed payment (offline, cash, ...) */
	ORDER_EV_HANDOVER_START, /* intent journaled; relay or printer about to act */
	ORDER_EV_HANDOVER_DONE,  /* door opened / receipt printed */
	ORDER_EV_HANDOVER_FAIL,  /* door never opened, printer error */
	ORDER_EV_INTERRUPTED,    /* found handing_over after a restart */
	ORDER_EV_RESUME,         /* member or staff asked to try the handover again */
	ORDER_EV_EXPIRE,         /* the request's time ran out */
	ORDER_EV_CANCEL,         /* staff or the co-op cancelled */
	ORDER_EV_REFUNDED,       /* staff recorded the refund as paid back */
	ORDER_EV_COUNT
};

/* Stable name ("paid_full"), as journaled with the cause; "?" if invalid. */
const char *order_event_name(enum order_event ev);

/*
 * The state an order in `from` moves to on `ev`. KERR_STATE (and *to ==
 * from) when the table has no such transition: the caller must not act.
 */
KIOSK_MUST_CHECK enum kerr order_fsm_next(enum order_state from, enum order_event ev,
                                          enum order_state *to);

/* True when an order in this state may be handed over (paid, or resumed). */
bool order_fsm_may_hand_over(enum order_state s);

/* The table, for documentation and tests: n rows of {from, event, to}. */
struct order_transition {
	enum order_state from;
	enum order_event event;
	enum order_state to;
};
const struct order_transition *order_fsm_table(size_t *n);

#endif
