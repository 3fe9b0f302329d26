/*
 * Settling staff confirmations with the chain. When staff hand goods over
 * on "chain payment not yet seen", the order stays open for reconciliation:
 * once the watcher has caught up, a matching proven payment settles it;
 * too little or nothing by the deadline flags it for staff. Pure: the
 * caller passes what the journal and the watcher know.
 */
#ifndef KIOSK_RECONCILE_H
#define KIOSK_RECONCILE_H

#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

enum reconcile_state {
	RECONCILE_PENDING,   /* keep looking */
	RECONCILE_SETTLED,   /* proven payments cover the price */
	RECONCILE_UNDERPAID, /* deadline passed with part of the price: flag, amount due */
	RECONCILE_UNPAID,    /* deadline passed with nothing: flag, whole price due */
};

struct reconcile_input {
	struct asset price;     /* the order's price */
	struct asset proven;    /* confirmed, proven payments with its memo so far */
	int64_t confirmed_at_s; /* when staff confirmed */
	int64_t after_s;        /* site reconcile_after_s (86400) */
	int64_t now_s;          /* wall clock */
	int64_t scanned_to_s;   /* chain time the watcher has read up to */
};

struct reconcile_result {
	enum reconcile_state state;
	struct asset due;    /* price - proven, never below zero */
	struct asset excess; /* proven - price when overpaid (a refund due) */
};

/*
 * Decides. The deadline counts only once the watcher has read the chain up
 * to it: a kiosk that was offline for two days first catches up, so a
 * payment made in time is never flagged unpaid. KERR_INVAL when proven and
 * price are different assets.
 */
KIOSK_MUST_CHECK enum kerr reconcile_decide(const struct reconcile_input *in,
                                            struct reconcile_result *out);

/*
 * "pending", "settled", "underpaid", "unpaid": also the settlement of a
 * staff confirmation as the journal stores it (never rename one); "?" if
 * invalid.
 */
const char *reconcile_state_name(enum reconcile_state s);

/* Inverse of reconcile_state_name; KERR_PARSE for an unknown name. */
KIOSK_MUST_CHECK enum kerr reconcile_state_parse(const char *name, enum reconcile_state *out);

#endif
