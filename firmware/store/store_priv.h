/*
 * Inside the store module: the handle and the helpers shared by its files.
 * Not for other layers. The files, by concern:
 *   store.c           open, close, migrations, transactions, shared helpers
 *   store_clean.c     the owner's clean-stop mark
 *   store_orders.c    orders, their items and payment requests; search, browsing
 *   store_money.c     transfers, refunds, staff confirmations
 *   store_handover.c  handover intents and outcomes
 *   store_events.c    the event log, staff attempts, the chain cursor, the report
 *   store_expiry.c    payment requests that ran out; refunds of expired underpaid orders
 *   store_rates.c     won rates and the rate locked with a payment request
 */
#ifndef KIOSK_STORE_PRIV_H
#define KIOSK_STORE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "kiosk/store.h"

struct store {
	sqlite3 *db;
	const struct clock *clk;
	char path[256];
	int version;
	unsigned depth; /* store_begin nesting */
	bool failed;    /* a write inside the outer transaction failed */
	unsigned fail_after;
	enum kerr fail_err;
	bool owner;   /* opened by store_open_owner: keeps the clean-stop mark */
	bool checked; /* this open ran the integrity check */
};

/* store.c */
int64_t store_now_ms(const struct store *s);
enum kerr store_sql_err(struct store *s, int rc, const char *what);
enum kerr store_exec(struct store *s, const char *sql, const char *what);
enum kerr store_prepare(struct store *s, const char *sql, sqlite3_stmt **st);
/* Ends a public write begun with store_begin: commit on success, roll back on error. */
enum kerr store_finish(struct store *s, enum kerr err);
/*
 * Begins a public write that journals name (an enum's *_name): KERR_INVAL
 * for a name the journal never keeps, else a transaction begun and sql
 * prepared into *st; on an error nothing is left open. The caller ends it
 * with store_finish().
 */
enum kerr store_begin_named(struct store *s, const char *name, const char *sql, sqlite3_stmt **st);
/* Runs one prepared write (the fault-injection point) and finalizes it. */
enum kerr store_write1(struct store *s, sqlite3_stmt *st, const char *what);
void store_bind_text(sqlite3_stmt *st, int i, const char *t);
void store_bind_asset(sqlite3_stmt *st, int i, const struct asset *a);
void store_col_text(sqlite3_stmt *st, int i, char *out, size_t cap);
void store_col_asset(sqlite3_stmt *st, int i, struct asset *a);
/* Appends an event inside the caller's transaction. */
enum kerr store_event_in_tx(struct store *s, const char *order_id, const char *kind,
                            const char *detail);
/* The one number a query returns (0 if none); arg, if not NULL, binds to its "?". */
enum kerr store_count_of(struct store *s, const char *sql, const char *arg, unsigned *n);
/* SQLite's quick_check: KERR_OK or KERR_CORRUPT. */
enum kerr store_quick_check(struct store *s);

/* Whether an enum's *_name function named it ("?": out of range, never journaled). */
static inline bool store_named(const char *name)
{
	return name && strcmp(name, "?") != 0;
}

/* store_money.c */
/* A staff_confirmations row (id, order_id, staff, method, reason, at_ms,
 * settlement, due amount/precision/symbol, in that order) into *c;
 * KERR_CORRUPT, logged, for a method or settlement this firmware does not know. */
enum kerr store_row_to_confirmation(struct store *s, sqlite3_stmt *st,
                                    struct store_confirmation *c);

/* store_orders.c */
/* A row of STORE_ORDER_COLS (and its items) into *o. */
enum kerr store_row_to_order(struct store *s, sqlite3_stmt *st, struct order *o);

/* store_clean.c */
/*
 * Before anything is written at open (schema version v found): runs the
 * quick check when the journal was not closed cleanly by its last owner
 * (store_open_owner) or was never opened by one. Sets s->checked.
 */
enum kerr store_check_if_unclean(struct store *s, int v);
/* The owner's mark: "open" once opened (durably, before any other write), "closed" at store_close.
 */
enum kerr store_mark(struct store *s, bool open);

#define STORE_ORDER_COLS                                                                           \
	"id, member, price_amount, price_precision, price_symbol, pickup, compartment, state,"     \
	" memo, created_ms, expires_ms"

#endif
