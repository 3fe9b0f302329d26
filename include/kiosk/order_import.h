/*
 * Orders in: a CSV or JSON file from the co-op's order system, validated
 * row by row before anything is stored (all or nothing). Every problem is
 * listed with its row and column so the co-op can fix the file in one go.
 *
 * CSV: a header row naming the columns (any order): id, member, item,
 * quantity, unit_price, pickup, compartment, expires. One row per item;
 * rows with the same id form one order (its other columns must agree).
 * JSON: [{"id", "member", "items": [{"name", "quantity", "unit_price"}],
 * "pickup", "compartment", "expires"}]. unit_price is an asset string
 * ("1.500 HIVE", or "10.000 SCT" in a token the site accepts) or whole won ("12000 KRW", when the
 * rules list KRW: the order is paid in the chain's asset at a rate locked with its request);
 * expires is "YYYY-MM-DDTHH:MM:SSZ" or empty/absent.
 * The text must be UTF-8 (a bad byte is reported with its line and offset);
 * an empty file, or a CSV header without rows, is one clear error.
 */
#ifndef KIOSK_ORDER_IMPORT_H
#define KIOSK_ORDER_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"

#define ORDER_IMPORT_MAX_BYTES  (1024 * 1024)
#define ORDER_IMPORT_MAX_ORDERS 2000
#define ORDER_IMPORT_MAX_ERRORS 50
#define ORDER_IMPORT_MSG_MAX    160
#define ORDER_WON_MAX           1000000000000LL /* 10^12 won: a price in won at most */

struct order_import_rules {
	const char *symbols[4]; /* assets the chain accepts, and "KRW"; NULL-terminated */
	unsigned compartments;  /* lockers on this board: 1..N valid */
	int64_t now_ms;         /* expiry must be after this */
	/* Sidechain tokens the site accepts ("SCT"), NULL-terminated: a price
	 * "10.000 SCT" is in the token, at as many decimals as it is written with
	 * (write the token's own: SCT has 3). */
	const char *tokens[9];
};

struct order_import_error {
	unsigned row; /* CSV line / JSON array index + 1 */
	char column[24];
	char msg[ORDER_IMPORT_MSG_MAX];
};

struct order_import {
	bool json; /* the file was JSON: rows are array indexes + 1 */
	unsigned count;
	unsigned cap;         /* allocated entries (grows as rows come) */
	struct order *orders; /* count entries, state ORDER_READY */
	unsigned error_count; /* may exceed the errors kept */
	struct order_import_error errors[ORDER_IMPORT_MAX_ERRORS];
};

/*
 * Parses and validates text of len bytes (CSV when it does not start with
 * '[' after blanks, else JSON). KERR_OK only when every row is valid;
 * KERR_PARSE with out->errors filled otherwise (out->orders then empty).
 * KERR_TOO_BIG beyond the size bounds. Free with order_import_fini().
 */
KIOSK_MUST_CHECK enum kerr order_import_parse(const char *text, size_t len,
                                              const struct order_import_rules *rules,
                                              struct order_import *out);

void order_import_fini(struct order_import *imp);

/* True for a valid Steem/Hive account name (3..16 chars, dotted segments). */
bool order_account_name_valid(const char *name);

#endif
