/*
 * An order as the kiosk knows it: who, what, how much, how it is picked up,
 * and where it is in its life. Data only; the transitions are the state
 * machine's (order_fsm.h), the persistence the journal's (store.h).
 */
#ifndef KIOSK_ORDER_H
#define KIOSK_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define ORDER_ID_MAX        32 /* bytes of the co-op's order id, e.g. "A1024" */
#define ORDER_ACCOUNT_MAX   16 /* chain account names are 3..16 chars */
#define ORDER_ITEM_NAME_MAX 96 /* UTF-8 bytes */
#define ORDER_ITEMS_MAX     32
#define ORDER_MEMO_MAX      64 /* the payment memo, e.g. "KP-7QK3M2XD" */

enum order_state {
	ORDER_READY,            /* imported, no payment request yet */
	ORDER_AWAITING_PAYMENT, /* request shown: memo and expiry fixed */
	ORDER_PAID_CONFIRMING,  /* full payment seen, policy not yet met */
	ORDER_PAID,             /* proven; may be handed over */
	ORDER_HANDING_OVER,     /* intent journaled; relay or printer acting */
	ORDER_HANDED_OVER,      /* goods out */
	ORDER_UNDERPAID,        /* less than due arrived; rest still due */
	ORDER_EXPIRED,          /* request lapsed unpaid */
	ORDER_REFUND_DUE,       /* money in that the co-op must give back */
	ORDER_HANDOVER_FAILED,  /* compartment or printer failed: staff resume */
	ORDER_CANCELLED,
	ORDER_STATE_COUNT
};

enum order_pickup { ORDER_PICKUP_LOCKER, ORDER_PICKUP_RECEIPT };

struct order_item {
	char name[ORDER_ITEM_NAME_MAX + 1];
	uint32_t quantity;
	struct asset unit_price;
};

struct order {
	char id[ORDER_ID_MAX + 1];
	char member[ORDER_ACCOUNT_MAX + 1];
	unsigned item_count;
	struct order_item items[ORDER_ITEMS_MAX];
	struct asset price; /* what is due in total */
	enum order_pickup pickup;
	unsigned compartment; /* 1.. for ORDER_PICKUP_LOCKER, else 0 */
	enum order_state state;
	char memo[ORDER_MEMO_MAX + 1]; /* empty until a request is made */
	int64_t created_at_ms;         /* wall clock, ms since the epoch */
	int64_t expires_at_ms;         /* pickup deadline; 0 = none */
	/* A won-priced order (docs/prices.md): its price in KRW, as imported.
	 * price is then what its current payment request locked, in the chain's
	 * asset, or this same KRW price before any request. Zero otherwise. */
	struct asset won;
};

/* Stable lower-case name ("awaiting_payment"), as journaled; "?" if invalid. */
const char *order_state_name(enum order_state s);

/* Inverse of order_state_name; KERR_PARSE for an unknown name. */
KIOSK_MUST_CHECK enum kerr order_state_parse(const char *name, enum order_state *out);

/* Stable names "locker" / "receipt", and their inverse. */
const char *order_pickup_name(enum order_pickup p);
KIOSK_MUST_CHECK enum kerr order_pickup_parse(const char *name, enum order_pickup *out);

/* True for a state an order never leaves (handed over, cancelled). */
bool order_state_final(enum order_state s);

#endif
