#include "kiosk/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "kiosk/log.h"
#include "store_priv.h"

/*
 * Forward migrations, in order; migration i brings user_version from i to
 * i + 1. Never edit one that has shipped: add the next.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 1: the base tables. */
    "CREATE TABLE orders ("
    "  id TEXT PRIMARY KEY, member TEXT NOT NULL,"
    "  price_amount INTEGER NOT NULL, price_precision INTEGER NOT NULL, price_symbol TEXT NOT NULL,"
    "  pickup TEXT NOT NULL, compartment INTEGER NOT NULL, state TEXT NOT NULL,"
    "  memo TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);"
    "CREATE TABLE order_items ("
    "  order_id TEXT NOT NULL REFERENCES orders(id), pos INTEGER NOT NULL, name TEXT NOT NULL,"
    "  quantity INTEGER NOT NULL, unit_amount INTEGER NOT NULL, unit_precision INTEGER NOT NULL,"
    "  unit_symbol TEXT NOT NULL, PRIMARY KEY (order_id, pos));"
    "CREATE TABLE payment_requests ("
    "  memo TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id),"
    "  amount INTEGER NOT NULL, precision INTEGER NOT NULL, symbol TEXT NOT NULL,"
    "  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);"
    "CREATE TABLE transfers ("
    "  id INTEGER PRIMARY KEY, trx_id TEXT NOT NULL, op_index INTEGER NOT NULL,"
    "  block INTEGER NOT NULL, timestamp_ms INTEGER NOT NULL, sender TEXT NOT NULL,"
    "  receiver TEXT NOT NULL, amount INTEGER NOT NULL, precision INTEGER NOT NULL,"
    "  symbol TEXT NOT NULL, memo BLOB NOT NULL, order_id TEXT REFERENCES orders(id),"
    "  status INTEGER NOT NULL, seen_ms INTEGER NOT NULL, UNIQUE (trx_id, op_index));"
    "CREATE TABLE handovers ("
    "  id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id), kind TEXT NOT NULL,"
    "  compartment INTEGER NOT NULL, intent_ms INTEGER NOT NULL,"
    "  outcome TEXT, outcome_ms INTEGER, detail TEXT);"
    "CREATE TABLE chain_cursor ("
    "  chain TEXT NOT NULL, account TEXT NOT NULL, history_index INTEGER NOT NULL,"
    "  block INTEGER NOT NULL, block_time_ms INTEGER NOT NULL, PRIMARY KEY (chain, account));"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, order_id TEXT, kind TEXT NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    /* 2: refunds, offline staff confirmations and code attempts; lookups by order. */
    "CREATE TABLE refunds_due ("
    "  id INTEGER PRIMARY KEY, transfer_id INTEGER NOT NULL REFERENCES transfers(id),"
    "  payer TEXT NOT NULL, amount INTEGER NOT NULL, precision INTEGER NOT NULL,"
    "  symbol TEXT NOT NULL, reason TEXT NOT NULL, at_ms INTEGER NOT NULL);"
    "CREATE TABLE staff_confirmations ("
    "  id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id), staff TEXT NOT NULL,"
    "  method TEXT NOT NULL, reason TEXT NOT NULL, at_ms INTEGER NOT NULL,"
    "  settlement TEXT NOT NULL DEFAULT 'pending', due_amount INTEGER NOT NULL DEFAULT 0,"
    "  due_precision INTEGER NOT NULL DEFAULT 0, due_symbol TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE staff_attempts ("
    "  id INTEGER PRIMARY KEY, staff TEXT NOT NULL, ok INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE INDEX transfers_by_order ON transfers(order_id);"
    "CREATE INDEX handovers_by_order ON handovers(order_id);",
    /* 3: how many different nodes proved a transfer (the strict rule wants two). */
    ("ALTER TABLE transfers ADD COLUMN nodes INTEGER NOT NULL DEFAULT 1;"
     "ALTER TABLE transfers ADD COLUMN proved_by TEXT NOT NULL DEFAULT '';"),
    /* 4: the newest event of a kind (pool state, staff enrolment requests) is
     * asked for every second; years of events must not make that a scan. */
    "CREATE INDEX events_by_kind ON events(kind, id);",
    /* 5: nothing at start-up or on the idle screen may scan a table that
     * grows with every order: the number of orders per state is kept by
     * triggers (the idle screen asks it on every return), the open orders
     * are found by state (search, browsing), the clock floor, the newest
     * block and the interrupted handovers by index. The owner's clean-stop
     * mark (store_clean.c) lives in store_state. */
    "CREATE TABLE order_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO order_counts SELECT state, count(*) FROM orders GROUP BY state;"
    "CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN"
    "  INSERT OR IGNORE INTO order_counts VALUES (NEW.state, 0);"
    "  UPDATE order_counts SET n = n + 1 WHERE state = NEW.state; END;"
    "CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN"
    "  UPDATE order_counts SET n = n - 1 WHERE state = OLD.state; END;"
    "CREATE TRIGGER order_counts_update AFTER UPDATE OF state ON orders"
    "  WHEN NEW.state IS NOT OLD.state BEGIN"
    "  UPDATE order_counts SET n = n - 1 WHERE state = OLD.state;"
    "  INSERT OR IGNORE INTO order_counts VALUES (NEW.state, 0);"
    "  UPDATE order_counts SET n = n + 1 WHERE state = NEW.state; END;"
    "CREATE INDEX orders_by_state ON orders(state, id);"
    "CREATE INDEX events_by_time ON events(at_ms);"
    "CREATE INDEX transfers_by_block ON transfers(block);"
    "CREATE INDEX handovers_pending ON handovers(id) WHERE outcome IS NULL;"
    "CREATE TABLE store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
    /* The witnesses' block-signing keys the kiosk learned from a quorum of nodes (store_witness.c). */
    "CREATE TABLE witness_keys (chain TEXT NOT NULL, witness TEXT NOT NULL, key TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL, how TEXT NOT NULL, PRIMARY KEY (chain, witness)) WITHOUT ROWID;",
};

static int64_t now_ms(const struct store *s)
{
	return clock_real_ms(s->clk);
}

static enum kerr sql_err(struct store *s, int rc, const char *what)
{
	int prim = rc & 0xff;

	if (prim == SQLITE_CONSTRAINT)
		return KERR_EXISTS;
	log_err("journal %s: %s: %s (%d)", s->path, what, sqlite3_errmsg(s->db), rc);
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		return KERR_CORRUPT;
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return KERR_BUSY;
	if (prim == SQLITE_NOMEM)
		return KERR_NOMEM;
	return KERR_IO;
}

static enum kerr exec(struct store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? KERR_OK : sql_err(s, rc, what);
}

static enum kerr prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? KERR_OK : sql_err(s, rc, sql);
}

/* Runs a write statement to completion; the fault-injection point. */
static enum kerr step_write(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (s->fail_after && --s->fail_after == 0) {
		log_err("journal %s: %s: injected failure", s->path, what);
		return s->fail_err;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return KERR_OK;
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		int ext = sqlite3_extended_errcode(s->db);

		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return KERR_EXISTS;
		log_err("journal %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
		return KERR_STATE;
	}
	return sql_err(s, rc, what);
}

void store_fail_after(struct store *s, unsigned n, enum kerr err)
{
	s->fail_after = n;
	s->fail_err = err;
}

enum kerr store_begin(struct store *s)
{
	enum kerr err;

	if (s->depth++ > 0)
		return KERR_OK;
	s->failed = false;
	err = exec(s, "BEGIN IMMEDIATE", "begin");
	if (err)
		s->depth = 0;
	return err;
}

enum kerr store_commit(struct store *s)
{
	enum kerr err;

	if (s->depth == 0)
		return KERR_STATE;
	if (--s->depth > 0)
		return s->failed ? KERR_STATE : KERR_OK;
	if (s->failed) {
		(void)exec(s, "ROLLBACK", "rollback");
		return KERR_STATE;
	}
	err = exec(s, "COMMIT", "commit");
	if (err)
		(void)exec(s, "ROLLBACK", "rollback");
	return err;
}

void store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	if (--s->depth > 0) {
		s->failed = true;
		return;
	}
	(void)exec(s, "ROLLBACK", "rollback");
}

/* Ends a public write: commit on success, roll back on error. */
static enum kerr finish(struct store *s, enum kerr err)
{
	if (err) {
		store_rollback(s);
		return err;
	}
	return store_commit(s);
}

static int get_user_version(struct store *s, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

enum kerr store_quick_check(struct store *s)
{
	sqlite3_stmt *st;
	enum kerr err = KERR_CORRUPT;
	const unsigned char *r;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return KERR_CORRUPT;
	if (sqlite3_step(st) == SQLITE_ROW && (r = sqlite3_column_text(st, 0)) &&
	    strcmp((const char *)r, "ok") == 0)
		err = KERR_OK;
	sqlite3_finalize(st);
	return err;
}

enum kerr store_integrity_check(struct store *s)
{
	sqlite3_stmt *st;
	enum kerr err = KERR_CORRUPT;
	const unsigned char *r;

	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return KERR_CORRUPT;
	if (sqlite3_step(st) == SQLITE_ROW && (r = sqlite3_column_text(st, 0))) {
		if (strcmp((const char *)r, "ok") == 0)
			err = KERR_OK;
		else
			log_err("journal: integrity check: %.200s", (const char *)r);
	}
	sqlite3_finalize(st);
	return err;
}

static enum kerr migrate(struct store *s, int from, int to)
{
	for (int v = from; v < to; v++) {
		char sql[64];
		enum kerr err = store_begin(s);

		if (err)
			return err;
		err = exec(s, migrations[v], "migration");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (!err)
			err = exec(s, sql, "migration version");
		err = finish(s, err);
		if (err) {
			log_err("journal %s: migration to schema %d failed; the journal stays at %d", s->path,
			        v + 1, v);
			return err;
		}
		log_info("journal %s: schema %d", s->path, v + 1);
		s->version = v + 1;
	}
	return KERR_OK;
}

static enum kerr open_at(const char *path, const struct clock *clk, int target, bool owner,
                         struct store **out)
{
	struct store *s;
	enum kerr err;
	int rc, v = 0;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->clk = clk;
	s->owner = owner;
	snprintf(s->path, sizeof(s->path), "%s", path);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		log_err("journal %s: cannot open: %s; check the folder exists and the kiosk user may "
		        "write it",
		        path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		err = KERR_IO;
		goto err_open;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 2000);
	/* Look before writing anything: a newer or damaged file is left as it is. */
	rc = get_user_version(s, &v);
	if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
		log_err("journal %s: not a journal or damaged; it was left untouched: restore it from "
		        "a backup or move it away to start a new one",
		        path);
		err = KERR_CORRUPT;
		goto err_open;
	}
	if (rc != SQLITE_OK) {
		err = sql_err(s, rc, "read schema version");
		goto err_open;
	}
	if (v > STORE_SCHEMA_VERSION) {
		log_err("journal %s: schema %d is newer than this firmware knows (%d); install the "
		        "firmware that wrote it or newer",
		        path, v, STORE_SCHEMA_VERSION);
		err = KERR_VERSION;
		goto err_open;
	}
	/* The full quick_check costs a second at a million orders: only after
	 * an unclean stop (see store_clean.c). */
	err = store_check_if_unclean(s, v);
	if (err) {
		log_err("journal %s: integrity check failed; it was left untouched: restore it from a "
		        "backup or move it away to start a new one",
		        path);
		goto err_open;
	}
	err = exec(s, "PRAGMA journal_mode=WAL", "WAL");
	if (!err)
		err = exec(s, "PRAGMA synchronous=FULL", "synchronous");
	if (!err)
		err = exec(s, "PRAGMA foreign_keys=ON", "foreign keys");
	if (err)
		goto err_open;
	s->version = v;
	/* The owner marks the journal in use before its first other write (a
	 * journal from before schema 5 gets its mark table from the migration). */
	if (owner && v >= 5) {
		err = store_mark(s, true);
		if (err)
			goto err_open;
	}
	if (v < target) {
		err = migrate(s, v, target);
		if (err)
			goto err_open;
	}
	if (owner && v < 5) {
		err = store_mark(s, true);
		if (err)
			goto err_open;
	}
	*out = s;
	return KERR_OK;

err_open:
	sqlite3_close(s->db);
	free(s);
	return err;
}

enum kerr store_open(const char *path, const struct clock *clk, struct store **out)
{
	return open_at(path, clk, STORE_SCHEMA_VERSION, false, out);
}

enum kerr store_open_owner(const char *path, const struct clock *clk, struct store **out)
{
	return open_at(path, clk, STORE_SCHEMA_VERSION, true, out);
}

enum kerr store_open_at_version(const char *path, const struct clock *clk, int version,
                                struct store **out)
{
	if (version < 0 || version > STORE_SCHEMA_VERSION) {
		*out = NULL;
		return KERR_INVAL;
	}
	return open_at(path, clk, version, false, out);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->depth) {
		s->depth = 1;
		store_rollback(s);
	}
	/* Not reached after a power cut or a kill: the next owner checks. */
	if (s->owner && store_mark(s, false))
		log_warn("journal %s: the clean stop could not be recorded; the next start checks it",
		         s->path);
	sqlite3_close(s->db);
	free(s);
}

int store_version(const struct store *s)
{
	return s->version;
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	sqlite3_bind_text(st, i, t ? t : "", -1, SQLITE_TRANSIENT);
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void col_asset(sqlite3_stmt *st, int i, struct asset *a)
{
	memset(a, 0, sizeof(*a));
	a->amount = sqlite3_column_int64(st, i);
	a->precision = (uint8_t)sqlite3_column_int(st, i + 1);
	col_text(st, i + 2, a->symbol, sizeof(a->symbol));
}

static void bind_asset(sqlite3_stmt *st, int i, const struct asset *a)
{
	sqlite3_bind_int64(st, i, a->amount);
	sqlite3_bind_int(st, i + 1, a->precision);
	bind_text(st, i + 2, a->symbol);
}

/* Runs one prepared write and finalizes it. */
static enum kerr write1(struct store *s, sqlite3_stmt *st, const char *what)
{
	enum kerr err = step_write(s, st, what);

	sqlite3_finalize(st);
	return err;
}

static enum kerr event_in_tx(struct store *s, const char *order_id, const char *kind,
                             const char *detail)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "INSERT INTO events (at_ms, order_id, kind, detail) VALUES (?,?,?,?)",
	                        &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, now_ms(s));
	if (order_id)
		bind_text(st, 2, order_id);
	else
		sqlite3_bind_null(st, 2);
	bind_text(st, 3, kind);
	bind_text(st, 4, detail);
	return write1(s, st, "event");
}

enum kerr store_event(struct store *s, const char *order_id, const char *kind, const char *detail)
{
	enum kerr err = store_begin(s);

	if (err)
		return err;
	return finish(s, event_in_tx(s, order_id, kind, detail));
}

enum kerr store_order_insert(struct store *s, const struct order *o)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO orders (id, member, price_amount, price_precision, price_symbol,"
	              " pickup, compartment, state, memo, created_ms, expires_ms)"
	              " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, o->id);
	bind_text(st, 2, o->member);
	bind_asset(st, 3, &o->price);
	bind_text(st, 6, order_pickup_name(o->pickup));
	sqlite3_bind_int(st, 7, (int)o->compartment);
	bind_text(st, 8, order_state_name(o->state));
	bind_text(st, 9, o->memo);
	sqlite3_bind_int64(st, 10, o->created_at_ms ? o->created_at_ms : now_ms(s));
	sqlite3_bind_int64(st, 11, o->expires_at_ms);
	err = write1(s, st, "insert order");
	for (unsigned i = 0; !err && i < o->item_count; i++) {
		err = prepare(s,
		              "INSERT INTO order_items (order_id, pos, name, quantity, unit_amount,"
		              " unit_precision, unit_symbol) VALUES (?,?,?,?,?,?,?)",
		              &st);
		if (err)
			break;
		bind_text(st, 1, o->id);
		sqlite3_bind_int(st, 2, (int)i);
		bind_text(st, 3, o->items[i].name);
		sqlite3_bind_int64(st, 4, o->items[i].quantity);
		bind_asset(st, 5, &o->items[i].unit_price);
		err = write1(s, st, "insert order item");
	}
	if (!err)
		err = event_in_tx(s, o->id, "order_imported", order_state_name(o->state));
	return finish(s, err);
}

static enum kerr load_items(struct store *s, struct order *o)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT name, quantity, unit_amount, unit_precision, unit_symbol"
	                        " FROM order_items WHERE order_id = ? ORDER BY pos",
	                        &st);
	int rc;

	if (err)
		return err;
	bind_text(st, 1, o->id);
	o->item_count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && o->item_count < ORDER_ITEMS_MAX) {
		struct order_item *it = &o->items[o->item_count++];

		col_text(st, 0, it->name, sizeof(it->name));
		it->quantity = (uint32_t)sqlite3_column_int64(st, 1);
		col_asset(st, 2, &it->unit_price);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KERR_OK : sql_err(s, rc, "read items");
}

#define ORDER_COLS                                                                         \
	"id, member, price_amount, price_precision, price_symbol, pickup, compartment, state," \
	" memo, created_ms, expires_ms"

static enum kerr row_to_order(struct store *s, sqlite3_stmt *st, struct order *o)
{
	char buf[32];

	memset(o, 0, sizeof(*o));
	col_text(st, 0, o->id, sizeof(o->id));
	col_text(st, 1, o->member, sizeof(o->member));
	col_asset(st, 2, &o->price);
	col_text(st, 5, buf, sizeof(buf));
	if (order_pickup_parse(buf, &o->pickup))
		return KERR_CORRUPT;
	o->compartment = (unsigned)sqlite3_column_int(st, 6);
	col_text(st, 7, buf, sizeof(buf));
	if (order_state_parse(buf, &o->state)) {
		log_err("journal %s: order %s has unknown state '%s'", s->path, o->id, buf);
		return KERR_CORRUPT;
	}
	col_text(st, 8, o->memo, sizeof(o->memo));
	o->created_at_ms = sqlite3_column_int64(st, 9);
	o->expires_at_ms = sqlite3_column_int64(st, 10);
	return load_items(s, o);
}

enum kerr store_order_get(struct store *s, const char *id, struct order *out)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "SELECT " ORDER_COLS " FROM orders WHERE id = ?", &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = row_to_order(s, st, out);
	else
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : sql_err(s, rc, "read order");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_order_list(struct store *s, int state, struct order *out, unsigned max, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        state < 0 ? "SELECT " ORDER_COLS " FROM orders ORDER BY id"
	                                  : "SELECT " ORDER_COLS " FROM orders WHERE state = ? ORDER BY id",
	                        &st);

	*n = 0;
	if (err)
		return err;
	if (state >= 0)
		bind_text(st, 1, order_state_name((enum order_state)state));
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		err = row_to_order(s, st, &out[*n]);
		if (err)
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}

static enum kerr count_of(struct store *s, const char *sql, const char *arg, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, sql, &st);

	*n = 0;
	if (err)
		return err;
	if (arg)
		bind_text(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_order_count(struct store *s, int state, unsigned *n)
{
	/* Kept by triggers from schema 5 on: no scan however long the journal. */
	if (s->version < 5)
		return count_of(s, state < 0 ? "SELECT count(*) FROM orders"
		                             : "SELECT count(*) FROM orders WHERE state = ?",
		                state < 0 ? NULL : order_state_name((enum order_state)state), n);
	if (state < 0)
		return count_of(s, "SELECT coalesce(sum(n), 0) FROM order_counts", NULL, n);
	return count_of(s, "SELECT coalesce(sum(n), 0) FROM order_counts WHERE state = ?",
	                order_state_name((enum order_state)state), n);
}

enum kerr store_order_set_state(struct store *s, const char *id, enum order_state from,
                                enum order_state to, const char *cause)
{
	sqlite3_stmt *st;
	char detail[STORE_DETAIL_MAX];
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s, "UPDATE orders SET state = ? WHERE id = ? AND state = ?", &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, order_state_name(to));
	bind_text(st, 2, id);
	bind_text(st, 3, order_state_name(from));
	err = write1(s, st, "order state");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err) {
		snprintf(detail, sizeof(detail), "%s -> %s: %s", order_state_name(from),
		         order_state_name(to), cause ? cause : "");
		err = event_in_tx(s, id, "state", detail);
	}
	return finish(s, err);
}

enum kerr store_request_insert(struct store *s, const struct store_request *r)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO payment_requests (memo, order_id, amount, precision, symbol,"
	              " created_ms, expires_ms) VALUES (?,?,?,?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, r->memo);
	bind_text(st, 2, r->order_id);
	bind_asset(st, 3, &r->amount);
	sqlite3_bind_int64(st, 6, r->created_ms ? r->created_ms : now_ms(s));
	sqlite3_bind_int64(st, 7, r->expires_ms);
	err = write1(s, st, "payment request");
	if (!err) {
		err = prepare(s, "UPDATE orders SET memo = ? WHERE id = ?", &st);
		if (!err) {
			bind_text(st, 1, r->memo);
			bind_text(st, 2, r->order_id);
			err = write1(s, st, "order memo");
		}
	}
	if (!err)
		err = event_in_tx(s, r->order_id, "request", r->memo);
	return finish(s, err);
}

static enum kerr request_query(struct store *s, const char *sql, const char *key,
                               struct store_request *out)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, sql, &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		col_text(st, 0, out->memo, sizeof(out->memo));
		col_text(st, 1, out->order_id, sizeof(out->order_id));
		col_asset(st, 2, &out->amount);
		out->created_ms = sqlite3_column_int64(st, 5);
		out->expires_ms = sqlite3_column_int64(st, 6);
	} else {
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : sql_err(s, rc, "read request");
	}
	sqlite3_finalize(st);
	return err;
}

#define REQUEST_COLS "memo, order_id, amount, precision, symbol, created_ms, expires_ms"

enum kerr store_request_find(struct store *s, const char *memo, struct store_request *out)
{
	return request_query(s, "SELECT " REQUEST_COLS " FROM payment_requests WHERE memo = ?", memo,
	                     out);
}

enum kerr store_request_of_order(struct store *s, const char *order_id, struct store_request *out)
{
	return request_query(s,
	                     "SELECT " REQUEST_COLS " FROM payment_requests WHERE order_id = ?"
	                     " ORDER BY created_ms DESC, rowid DESC LIMIT 1",
	                     order_id, out);
}

enum kerr store_transfer_insert(struct store *s, struct store_transfer *t)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO transfers (trx_id, op_index, block, timestamp_ms, sender, receiver,"
	              " amount, precision, symbol, memo, order_id, status, seen_ms, nodes, proved_by)"
	              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, t->trx_id);
	sqlite3_bind_int64(st, 2, t->op_index);
	sqlite3_bind_int64(st, 3, t->block);
	sqlite3_bind_int64(st, 4, t->timestamp_ms);
	bind_text(st, 5, t->from);
	bind_text(st, 6, t->to);
	bind_asset(st, 7, &t->amount);
	/* A BLOB: a memo may hold NUL bytes. */
	sqlite3_bind_blob(st, 10, t->memo, (int)t->memo_len, SQLITE_TRANSIENT);
	if (t->order_id[0])
		bind_text(st, 11, t->order_id);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int(st, 12, (int)t->status);
	sqlite3_bind_int64(st, 13, now_ms(s));
	sqlite3_bind_int(st, 14, t->nodes > 1 ? (int)t->nodes : 1);
	bind_text(st, 15, t->proved_by);
	err = write1(s, st, "transfer");
	if (!err)
		t->rowid = sqlite3_last_insert_rowid(s->db);
	return finish(s, err);
}

enum kerr store_transfer_agreed(struct store *s, const char *trx_id, uint32_t op_index)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s, "UPDATE transfers SET nodes = 2 WHERE trx_id = ? AND op_index = ?", &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, trx_id);
	sqlite3_bind_int64(st, 2, op_index);
	err = write1(s, st, "transfer agreement");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	if (!err)
		err = event_in_tx(s, NULL, "second_node", trx_id);
	return finish(s, err);
}

enum kerr store_transfer_seen(struct store *s, const char *trx_id, uint32_t op_index, bool *seen)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "SELECT 1 FROM transfers WHERE trx_id = ? AND op_index = ?", &st);

	*seen = false;
	if (err)
		return err;
	bind_text(st, 1, trx_id);
	sqlite3_bind_int64(st, 2, op_index);
	*seen = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_transfer_newest_block(struct store *s, uint32_t *block)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "SELECT COALESCE(MAX(block), 0) FROM transfers", &st);
	int rc;

	*block = 0;
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sqlite3_int64 b = sqlite3_column_int64(st, 0);

		*block = b > 0 && b <= UINT32_MAX ? (uint32_t)b : 0;
	} else {
		err = sql_err(s, rc, "newest transfer block");
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfer_match(struct store *s, int64_t rowid, const char *order_id)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "UPDATE transfers SET order_id = ?, status = ? WHERE id = ? AND order_id IS NULL",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, order_id);
	sqlite3_bind_int(st, 2, STORE_TRANSFER_MATCHED);
	sqlite3_bind_int64(st, 3, rowid);
	err = write1(s, st, "match transfer");
	/* One transfer never pays two orders. */
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err)
		err = event_in_tx(s, order_id, "transfer_matched", "");
	return finish(s, err);
}

enum kerr store_transfer_set_status(struct store *s, int64_t rowid, enum store_transfer_status status)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s, "UPDATE transfers SET status = ? WHERE id = ?", &st);
	if (err)
		return finish(s, err);
	sqlite3_bind_int(st, 1, (int)status);
	sqlite3_bind_int64(st, 2, rowid);
	err = write1(s, st, "transfer status");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	return finish(s, err);
}

#define TRANSFER_COLS                                                                             \
	"SELECT id, trx_id, op_index, block, timestamp_ms, sender, receiver, amount, precision, symbol," \
	" memo, status, coalesce(order_id, ''), nodes, proved_by FROM transfers"

static void read_transfer(sqlite3_stmt *st, struct store_transfer *out)
{
	int n;

	memset(out, 0, sizeof(*out));
	out->rowid = sqlite3_column_int64(st, 0);
	col_text(st, 1, out->trx_id, sizeof(out->trx_id));
	out->op_index = (uint32_t)sqlite3_column_int64(st, 2);
	out->block = (uint32_t)sqlite3_column_int64(st, 3);
	out->timestamp_ms = sqlite3_column_int64(st, 4);
	col_text(st, 5, out->from, sizeof(out->from));
	col_text(st, 6, out->to, sizeof(out->to));
	col_asset(st, 7, &out->amount);
	n = sqlite3_column_bytes(st, 10);
	if (n > (int)sizeof(out->memo))
		n = (int)sizeof(out->memo);
	if (n > 0)
		memcpy(out->memo, sqlite3_column_blob(st, 10), (size_t)n);
	out->memo_len = (size_t)n;
	out->status = (enum store_transfer_status)sqlite3_column_int(st, 11);
	col_text(st, 12, out->order_id, sizeof(out->order_id));
	out->nodes = (unsigned)sqlite3_column_int(st, 13);
	col_text(st, 14, out->proved_by, sizeof(out->proved_by));
}

enum kerr store_transfer_of_order(struct store *s, const char *order_id, struct store_transfer *out)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, TRANSFER_COLS " WHERE order_id = ? ORDER BY id LIMIT 1", &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	bind_text(st, 1, order_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_transfer(st, out);
	else
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : sql_err(s, rc, "read transfer");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfer_list(struct store *s, int64_t after_rowid, struct store_transfer *out, unsigned max,
                              unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, TRANSFER_COLS " WHERE id > ? ORDER BY id LIMIT ?", &st);
	int rc;

	*n = 0;
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, after_rowid);
	sqlite3_bind_int64(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		read_transfer(st, &out[(*n)++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = sql_err(s, rc, "list transfers");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfer_sum(struct store *s, const char *order_id, const struct asset *kind,
                             struct asset *sum)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT amount FROM transfers WHERE order_id = ? AND symbol = ?"
	                        " AND precision = ? AND status = ?",
	                        &st);

	*sum = *kind;
	sum->amount = 0;
	if (err)
		return err;
	bind_text(st, 1, order_id);
	bind_text(st, 2, kind->symbol);
	sqlite3_bind_int(st, 3, kind->precision);
	sqlite3_bind_int(st, 4, STORE_TRANSFER_MATCHED);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct asset a = *kind;

		a.amount = sqlite3_column_int64(st, 0);
		err = asset_add(sum, &a, sum);
		if (err)
			break;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_refund_insert(struct store *s, int64_t transfer_rowid, const char *payer,
                              const struct asset *amount, const char *reason)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO refunds_due (transfer_id, payer, amount, precision, symbol, reason,"
	              " at_ms) VALUES (?,?,?,?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	sqlite3_bind_int64(st, 1, transfer_rowid);
	bind_text(st, 2, payer);
	bind_asset(st, 3, amount);
	bind_text(st, 6, reason);
	sqlite3_bind_int64(st, 7, now_ms(s));
	err = write1(s, st, "refund");
	if (!err)
		err = event_in_tx(s, NULL, "refund_due", reason);
	return finish(s, err);
}

enum kerr store_refund_count(struct store *s, unsigned *n)
{
	return count_of(s, "SELECT count(*) FROM refunds_due", NULL, n);
}

enum kerr store_handover_intent(struct store *s, const char *order_id, const char *kind,
                                unsigned compartment, int64_t *id)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	*id = 0;
	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO handovers (order_id, kind, compartment, intent_ms) VALUES (?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, order_id);
	bind_text(st, 2, kind);
	sqlite3_bind_int(st, 3, (int)compartment);
	sqlite3_bind_int64(st, 4, now_ms(s));
	err = write1(s, st, "handover intent");
	if (!err) {
		*id = sqlite3_last_insert_rowid(s->db);
		err = event_in_tx(s, order_id, "handover_intent", kind);
	}
	if (err)
		*id = 0;
	return finish(s, err);
}

enum kerr store_handover_outcome(struct store *s, int64_t id, enum store_outcome outcome,
                                 const char *detail)
{
	static const char *const names[] = {"ok", "failed", "interrupted"};
	sqlite3_stmt *st;
	enum kerr err;

	if ((unsigned)outcome >= ARRAY_SIZE(names))
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err = prepare(s,
	              "UPDATE handovers SET outcome = ?, outcome_ms = ?, detail = ?"
	              " WHERE id = ? AND outcome IS NULL",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, names[outcome]);
	sqlite3_bind_int64(st, 2, now_ms(s));
	bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, id);
	err = write1(s, st, "handover outcome");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err)
		err = event_in_tx(s, NULL, "handover_outcome", names[outcome]);
	return finish(s, err);
}

enum kerr store_handover_pending(struct store *s, struct store_handover *out, unsigned max,
                                 unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT id, order_id, kind, compartment, intent_ms FROM handovers"
	                        " WHERE outcome IS NULL ORDER BY id",
	                        &st);

	*n = 0;
	if (err)
		return err;
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct store_handover *h = &out[(*n)++];

		h->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, h->order_id, sizeof(h->order_id));
		col_text(st, 2, h->kind, sizeof(h->kind));
		h->compartment = (unsigned)sqlite3_column_int(st, 3);
		h->intent_ms = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_confirmation_insert(struct store *s, struct store_confirmation *c)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO staff_confirmations (order_id, staff, method, reason, at_ms)"
	              " VALUES (?,?,?,?,?)",
	              &st);
	if (err)
		return finish(s, err);
	c->at_ms = now_ms(s);
	bind_text(st, 1, c->order_id);
	bind_text(st, 2, c->staff);
	bind_text(st, 3, c->method);
	bind_text(st, 4, c->reason);
	sqlite3_bind_int64(st, 5, c->at_ms);
	err = write1(s, st, "staff confirmation");
	if (!err) {
		c->id = sqlite3_last_insert_rowid(s->db);
		snprintf(c->settlement, sizeof(c->settlement), "pending");
		err = event_in_tx(s, c->order_id, "staff_confirm", c->method);
	}
	return finish(s, err);
}

enum kerr store_confirmation_list(struct store *s, const char *settlement,
                                  struct store_confirmation *out, unsigned max, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT id, order_id, staff, method, reason, at_ms, settlement,"
	                        " due_amount, due_precision, due_symbol FROM staff_confirmations"
	                        " WHERE ?1 = '' OR settlement = ?1 ORDER BY id",
	                        &st);

	*n = 0;
	if (err)
		return err;
	bind_text(st, 1, settlement ? settlement : "");
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct store_confirmation *c = &out[(*n)++];

		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, c->order_id, sizeof(c->order_id));
		col_text(st, 2, c->staff, sizeof(c->staff));
		col_text(st, 3, c->method, sizeof(c->method));
		col_text(st, 4, c->reason, sizeof(c->reason));
		c->at_ms = sqlite3_column_int64(st, 5);
		col_text(st, 6, c->settlement, sizeof(c->settlement));
		col_asset(st, 7, &c->due);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_confirmation_settle(struct store *s, int64_t id, const char *settlement,
                                    const struct asset *due)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "UPDATE staff_confirmations SET settlement = ?, due_amount = ?,"
	              " due_precision = ?, due_symbol = ? WHERE id = ?",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, settlement);
	bind_asset(st, 2, due);
	sqlite3_bind_int64(st, 5, id);
	err = write1(s, st, "settle confirmation");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	if (!err)
		err = event_in_tx(s, NULL, "reconcile", settlement);
	return finish(s, err);
}

enum kerr store_staff_attempt(struct store *s, const char *staff, bool ok, const char *detail)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s, "INSERT INTO staff_attempts (staff, ok, at_ms, detail) VALUES (?,?,?,?)", &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, staff);
	sqlite3_bind_int(st, 2, ok);
	sqlite3_bind_int64(st, 3, now_ms(s));
	bind_text(st, 4, detail);
	err = write1(s, st, "staff attempt");
	if (!err)
		err = event_in_tx(s, NULL, ok ? "staff_ok" : "staff_refused", staff);
	return finish(s, err);
}

enum kerr store_cursor_get(struct store *s, const char *chain, const char *account,
                           struct store_cursor *out)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT history_index, block, block_time_ms FROM chain_cursor"
	                        " WHERE chain = ? AND account = ?",
	                        &st);

	out->history_index = -1;
	out->block = 0;
	out->block_time_ms = 0;
	if (err)
		return err;
	bind_text(st, 1, chain);
	bind_text(st, 2, account);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->history_index = sqlite3_column_int64(st, 0);
		out->block = (uint32_t)sqlite3_column_int64(st, 1);
		out->block_time_ms = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_cursor_set(struct store *s, const char *chain, const char *account,
                           const struct store_cursor *c)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = prepare(s,
	              "INSERT INTO chain_cursor (chain, account, history_index, block, block_time_ms)"
	              " VALUES (?,?,?,?,?) ON CONFLICT (chain, account) DO UPDATE SET"
	              " history_index = excluded.history_index, block = excluded.block,"
	              " block_time_ms = excluded.block_time_ms",
	              &st);
	if (err)
		return finish(s, err);
	bind_text(st, 1, chain);
	bind_text(st, 2, account);
	sqlite3_bind_int64(st, 3, c->history_index);
	sqlite3_bind_int64(st, 4, c->block);
	sqlite3_bind_int64(st, 5, c->block_time_ms);
	return finish(s, write1(s, st, "cursor"));
}

enum kerr store_last_event_ms(struct store *s, int64_t *ms)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "SELECT coalesce(max(at_ms), 0) FROM events", &st);

	*ms = 0;
	if (err)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW)
		*ms = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_last_event_of(struct store *s, const char *kind, int64_t *id, int64_t *at_ms, char *detail,
                              size_t cap)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s, "SELECT at_ms, detail, id FROM events WHERE kind = ? ORDER BY id DESC LIMIT 1", &st);

	*at_ms = 0;
	if (id)
		*id = 0;
	if (cap)
		detail[0] = '\0';
	if (err)
		return err;
	bind_text(st, 1, kind);
	err = KERR_NOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 1);

		*at_ms = sqlite3_column_int64(st, 0);
		if (id)
			*id = sqlite3_column_int64(st, 2);
		if (cap)
			snprintf(detail, cap, "%s", d ? (const char *)d : "");
		err = KERR_OK;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_events(struct store *s, int64_t after_id, unsigned max,
                       void (*fn)(const struct store_event_row *e, void *arg), void *arg)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(s,
	                        "SELECT id, at_ms, order_id, kind, detail FROM events WHERE id > ?"
	                        " ORDER BY id LIMIT ?",
	                        &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, (int)max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct store_event_row e = {
		    .id = sqlite3_column_int64(st, 0),
		    .at_ms = sqlite3_column_int64(st, 1),
		    .order_id = (const char *)sqlite3_column_text(st, 2),
		    .kind = (const char *)sqlite3_column_text(st, 3),
		    .detail = (const char *)sqlite3_column_text(st, 4),
		};

		fn(&e, arg);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_report(struct store *s, int64_t from_ms, int64_t to_ms,
                       void (*fn)(const struct store_report_row *r, void *arg), void *arg)
{
	sqlite3_stmt *st;
	enum kerr err = prepare(
	    s,
	    "SELECT 'payment', timestamp_ms, coalesce(order_id, ''), sender, amount, precision, symbol,"
	    "  trx_id FROM transfers WHERE status = ?3 AND timestamp_ms >= ?1 AND timestamp_ms < ?2"
	    " UNION ALL SELECT 'handover', intent_ms, order_id, kind || ' ' || compartment, 0, 0, '',"
	    "  coalesce(outcome, 'interrupted') FROM handovers WHERE intent_ms >= ?1 AND intent_ms < ?2"
	    " UNION ALL SELECT 'refund_due', at_ms, '', payer, amount, precision, symbol, reason"
	    "  FROM refunds_due WHERE at_ms >= ?1 AND at_ms < ?2"
	    " ORDER BY 2, 1",
	    &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, from_ms);
	sqlite3_bind_int64(st, 2, to_ms);
	sqlite3_bind_int(st, 3, STORE_TRANSFER_MATCHED);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct store_report_row r = {
		    .kind = (const char *)sqlite3_column_text(st, 0),
		    .at_ms = sqlite3_column_int64(st, 1),
		    .order_id = (const char *)sqlite3_column_text(st, 2),
		    .who = (const char *)sqlite3_column_text(st, 3),
		    .detail = (const char *)sqlite3_column_text(st, 7),
		};

		col_asset(st, 4, &r.amount);
		fn(&r, arg);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}

/* For the other files of the store module (store_priv.h). */
enum kerr store_sql_err(struct store *s, int rc, const char *what)
{
	return sql_err(s, rc, what);
}

enum kerr store_exec(struct store *s, const char *sql, const char *what)
{
	return exec(s, sql, what);
}

enum kerr store_prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	return prepare(s, sql, st);
}

enum kerr store_finish(struct store *s, enum kerr err)
{
	return finish(s, err);
}

void store_bind_text(sqlite3_stmt *st, int i, const char *t)
{
	bind_text(st, i, t);
}

enum kerr store_row_to_order(struct store *s, sqlite3_stmt *st, struct order *o)
{
	return row_to_order(s, st, o);
}
