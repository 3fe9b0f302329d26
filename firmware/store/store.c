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
    /* 6: transfers to the co-op the kiosk cannot prove (never paid; shown to staff),
     * once per operation; transfers refused as a node's lie, once per id and reason
     * (store_unverified.c). */
    "CREATE TABLE unverified_transfers ("
    "  id INTEGER PRIMARY KEY, trx_id TEXT NOT NULL, op_index INTEGER NOT NULL,"
    "  block INTEGER NOT NULL, timestamp_ms INTEGER NOT NULL, payer TEXT NOT NULL,"
    "  amount INTEGER NOT NULL, precision INTEGER NOT NULL, symbol TEXT NOT NULL,"
    "  memo BLOB NOT NULL, reason TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,"
    "  UNIQUE (trx_id, op_index));"
    "CREATE INDEX unverified_by_seen ON unverified_transfers(first_seen_ms);"
    "CREATE TABLE refused_transfers ("
    "  trx_id TEXT NOT NULL, reason TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,"
    "  last_seen_ms INTEGER NOT NULL, times INTEGER NOT NULL, PRIMARY KEY (trx_id, reason))"
    "  WITHOUT ROWID;",
    /* 7: pickup codes (a salted hash per order, never the code) and the
     * wrong-code lockouts, kept so that a restart does not lift them. */
    "CREATE TABLE pickup_codes ("
    "  order_id TEXT PRIMARY KEY REFERENCES orders(id), salt BLOB NOT NULL, hash BLOB NOT NULL,"
    "  digits INTEGER NOT NULL, made_ms INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE lockouts ("
    "  scope TEXT PRIMARY KEY, failures INTEGER NOT NULL, level INTEGER NOT NULL,"
    "  first_ms INTEGER NOT NULL, until_ms INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX lockouts_by_until ON lockouts(until_ms);",
    /* 8: every movement of money accounted for (store_report.c): a refund
     * due names its order and carries the memo its refund transfer must
     * bear (RF-<id>), and records when, by whom and by which transaction
     * it was paid; a staff confirmation records the amount it stood for
     * (what was still due on the order then; older rows: the price less
     * what had come in on chain by then). */
    "ALTER TABLE refunds_due ADD COLUMN order_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE refunds_due ADD COLUMN memo TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE refunds_due ADD COLUMN paid_ms INTEGER;"
    "ALTER TABLE refunds_due ADD COLUMN paid_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE refunds_due ADD COLUMN paid_trx TEXT NOT NULL DEFAULT '';"
    "UPDATE refunds_due SET memo = 'RF-' || id, order_id = coalesce((SELECT coalesce(t.order_id,"
    "  (SELECT r.order_id FROM payment_requests r WHERE r.memo = upper(trim(CAST(t.memo AS TEXT),"
    "  ' ' || char(9, 10, 11, 12, 13))))) FROM transfers t WHERE t.id = transfer_id), '');"
    "CREATE TRIGGER refunds_due_memo AFTER INSERT ON refunds_due BEGIN"
    "  UPDATE refunds_due SET memo = 'RF-' || NEW.id, order_id = CASE WHEN NEW.order_id != ''"
    "  THEN NEW.order_id ELSE coalesce((SELECT coalesce(t.order_id,"
    "  (SELECT r.order_id FROM payment_requests r WHERE r.memo = upper(trim(CAST(t.memo AS TEXT),"
    "  ' ' || char(9, 10, 11, 12, 13))))) FROM transfers t WHERE t.id = NEW.transfer_id), '') END"
    "  WHERE id = NEW.id; END;"
    "CREATE UNIQUE INDEX refunds_by_memo ON refunds_due(memo);"
    "CREATE INDEX refunds_by_time ON refunds_due(at_ms);"
    "CREATE INDEX refunds_by_paid ON refunds_due(paid_ms);"
    "CREATE INDEX refunds_by_order ON refunds_due(order_id);"
    "ALTER TABLE staff_confirmations ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE staff_confirmations ADD COLUMN precision INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE staff_confirmations ADD COLUMN symbol TEXT NOT NULL DEFAULT '';"
    "UPDATE staff_confirmations SET (amount, precision, symbol) = (SELECT max(0, o.price_amount -"
    "  coalesce((SELECT sum(t.amount) FROM transfers t WHERE t.order_id = o.id"
    "  AND t.symbol = o.price_symbol AND t.seen_ms <= staff_confirmations.at_ms), 0)),"
    "  o.price_precision, o.price_symbol FROM orders o WHERE o.id = staff_confirmations.order_id);"
    "CREATE INDEX confirmations_by_time ON staff_confirmations(at_ms);"
    "CREATE INDEX confirmations_by_order ON staff_confirmations(order_id);"
    "CREATE INDEX transfers_by_time ON transfers(timestamp_ms);",
    /* 9: the witnesses' block-signing keys the kiosk learned from a quorum of nodes
       (store_witness.c). */
    "CREATE TABLE witness_keys (chain TEXT NOT NULL, witness TEXT NOT NULL, key TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL, how TEXT NOT NULL, PRIMARY KEY (chain, witness)) WITHOUT ROWID;",
    /* 10: prices in won (store_rates.c): the newest rate per symbol and source
       (every change also an event), and the rate a payment request was made at,
       locked with it: a restart reads it back, never computes it again. */
    "CREATE TABLE rates (symbol TEXT NOT NULL, source TEXT NOT NULL, rate TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL, who TEXT NOT NULL, PRIMARY KEY (symbol, source)) WITHOUT ROWID;"
    "CREATE TABLE rate_locks (memo TEXT PRIMARY KEY REFERENCES payment_requests(memo),"
    "  krw INTEGER NOT NULL, rate TEXT NOT NULL, source TEXT NOT NULL, rate_ms INTEGER NOT NULL,"
    "  until_ms INTEGER NOT NULL, tolerance_bp INTEGER NOT NULL) WITHOUT ROWID;",
    /* 11: every asset a won-priced request may be paid in, and what its won price
       came to in it, locked with the request (store_rates.c). */
    "CREATE TABLE rate_offers (memo TEXT NOT NULL REFERENCES payment_requests(memo),"
    "  seq INTEGER NOT NULL, symbol TEXT NOT NULL, precision INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL, rate TEXT NOT NULL, source TEXT NOT NULL,"
    "  rate_ms INTEGER NOT NULL, PRIMARY KEY (memo, symbol)) WITHOUT ROWID;",
};

int64_t store_now_ms(const struct store *s)
{
	return clock_real_ms(s->clk);
}

enum kerr store_sql_err(struct store *s, int rc, const char *what)
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

enum kerr store_exec(struct store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? KERR_OK : store_sql_err(s, rc, what);
}

enum kerr store_prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? KERR_OK : store_sql_err(s, rc, sql);
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
	return store_sql_err(s, rc, what);
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
	err = store_exec(s, "BEGIN IMMEDIATE", "begin");
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
		(void)store_exec(s, "ROLLBACK", "rollback");
		return KERR_STATE;
	}
	err = store_exec(s, "COMMIT", "commit");
	if (err)
		(void)store_exec(s, "ROLLBACK", "rollback");
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
	(void)store_exec(s, "ROLLBACK", "rollback");
}

/* Ends a public write: commit on success, roll back on error. */
enum kerr store_begin_named(struct store *s, const char *name, const char *sql, sqlite3_stmt **st)
{
	enum kerr err;

	*st = NULL;
	if (!store_named(name))
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(s, sql, st);
	return err ? store_finish(s, err) : KERR_OK;
}

enum kerr store_finish(struct store *s, enum kerr err)
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
		err = store_exec(s, migrations[v], "migration");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (!err)
			err = store_exec(s, sql, "migration version");
		err = store_finish(s, err);
		if (err) {
			log_err(
			    "journal %s: migration to schema %d failed; the journal stays at %d",
			    s->path, v + 1, v);
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
		log_err(
		    "journal %s: cannot open: %s; check the folder exists and the kiosk user may "
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
		log_err(
		    "journal %s: not a journal or damaged; it was left untouched: restore it from "
		    "a backup or move it away to start a new one",
		    path);
		err = KERR_CORRUPT;
		goto err_open;
	}
	if (rc != SQLITE_OK) {
		err = store_sql_err(s, rc, "read schema version");
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
		log_err(
		    "journal %s: integrity check failed; it was left untouched: restore it from a "
		    "backup or move it away to start a new one",
		    path);
		goto err_open;
	}
	err = store_exec(s, "PRAGMA journal_mode=WAL", "WAL");
	if (!err)
		err = store_exec(s, "PRAGMA synchronous=FULL", "synchronous");
	if (!err)
		err = store_exec(s, "PRAGMA foreign_keys=ON", "foreign keys");
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
		log_warn(
		    "journal %s: the clean stop could not be recorded; the next start checks it",
		    s->path);
	sqlite3_close(s->db);
	free(s);
}

int store_version(const struct store *s)
{
	return s->version;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *t)
{
	sqlite3_bind_text(st, i, t ? t : "", -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, cap, "%s", t ? (const char *)t : "");
}

void store_col_asset(sqlite3_stmt *st, int i, struct asset *a)
{
	memset(a, 0, sizeof(*a));
	a->amount = sqlite3_column_int64(st, i);
	a->precision = (uint8_t)sqlite3_column_int(st, i + 1);
	store_col_text(st, i + 2, a->symbol, sizeof(a->symbol));
}

void store_bind_asset(sqlite3_stmt *st, int i, const struct asset *a)
{
	sqlite3_bind_int64(st, i, a->amount);
	sqlite3_bind_int(st, i + 1, a->precision);
	store_bind_text(st, i + 2, a->symbol);
}

/* Runs one prepared write and finalizes it. */
enum kerr store_write1(struct store *s, sqlite3_stmt *st, const char *what)
{
	enum kerr err = step_write(s, st, what);

	sqlite3_finalize(st);
	return err;
}

enum kerr store_event_in_tx(struct store *s, const char *order_id, const char *kind,
                            const char *detail)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, "INSERT INTO events (at_ms, order_id, kind, detail) VALUES (?,?,?,?)", &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, store_now_ms(s));
	if (order_id)
		store_bind_text(st, 2, order_id);
	else
		sqlite3_bind_null(st, 2);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, detail);
	return store_write1(s, st, "event");
}

enum kerr store_count_of(struct store *s, const char *sql, const char *arg, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql, &st);

	*n = 0;
	if (err)
		return err;
	if (arg)
		store_bind_text(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}
