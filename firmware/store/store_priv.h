/*
 * Inside the store module: the handle and the helpers shared by its files
 * (store.c opens, migrates and writes; store_orders.c searches orders;
 * store_clean.c keeps the clean-stop mark). Not for other layers.
 */
#ifndef KIOSK_STORE_PRIV_H
#define KIOSK_STORE_PRIV_H

#include <stdbool.h>

#include <sqlite3.h>

#include "kiosk/store.h"

struct store {
	sqlite3 *db;
	const struct clock *clk;
	char path[256];
	int version;
	unsigned depth;              /* store_begin nesting */
	bool failed;                 /* a write inside the outer transaction failed */
	unsigned fail_after;
	enum kerr fail_err;
	bool owner;                  /* opened by store_open_owner: keeps the clean-stop mark */
	bool checked;                /* this open ran the integrity check */
};

/* store.c */
enum kerr store_sql_err(struct store *s, int rc, const char *what);
enum kerr store_exec(struct store *s, const char *sql, const char *what);
enum kerr store_prepare(struct store *s, const char *sql, sqlite3_stmt **st);
/* Ends a public write begun with store_begin: commit on success, roll back on error. */
enum kerr store_finish(struct store *s, enum kerr err);
void store_bind_text(sqlite3_stmt *st, int i, const char *t);
/* A row of ORDER_COLS (and its items) into *o. */
enum kerr store_row_to_order(struct store *s, sqlite3_stmt *st, struct order *o);
/* SQLite's quick_check: KERR_OK or KERR_CORRUPT. */
enum kerr store_quick_check(struct store *s);

/* store_clean.c */
/*
 * Before anything is written at open (schema version v found): runs the
 * quick check when the journal was not closed cleanly by its last owner
 * (store_open_owner) or was never opened by one. Sets s->checked.
 */
enum kerr store_check_if_unclean(struct store *s, int v);
/* The owner's mark: "open" once opened (durably, before any other write), "closed" at store_close. */
enum kerr store_mark(struct store *s, bool open);

#define STORE_ORDER_COLS                                                                   \
	"id, member, price_amount, price_precision, price_symbol, pickup, compartment, state," \
	" memo, created_ms, expires_ms"

#endif
