/*
 * How an order was paid, as staff confirm it: the journal's
 * staff_confirmations.method column, the staff menu's choices and
 * kioskctl's reports all use this one list. The names are what the journal
 * stores: never rename one, only add.
 */
#ifndef KIOSK_PAY_METHOD_H
#define KIOSK_PAY_METHOD_H

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

enum pay_method {
	PAY_CHAIN_PENDING, /* paid on chain, not seen yet: reconciled later */
	PAY_CASH,
	PAY_BANK,
	PAY_WAIVED, /* needs a reason */
	PAY_METHOD_COUNT
};

/* Stable lower-case name ("chain_pending", "cash", "bank", "waived"); "?" if invalid. */
const char *pay_method_name(enum pay_method m);

/* Inverse of pay_method_name; KERR_PARSE for an unknown name. */
KIOSK_MUST_CHECK enum kerr pay_method_parse(const char *name, enum pay_method *out);

#endif
