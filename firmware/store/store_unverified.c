/*
 * Transfers to the co-op the kiosk could not prove (never paid; shown to
 * staff), and transfers refused as a node's lie, each recorded once however
 * often the chain is read past them.
 */
#include "kiosk/store.h"

#include <stdio.h>
#include <string.h>

#include "store_priv.h"

static enum kerr step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, what);
}

enum kerr store_unverified_insert(struct store *s, const struct store_unverified *u, bool *is_new)
{
	sqlite3_stmt *st;
	enum kerr err;

	*is_new = false;
	if (u->memo_len > sizeof(u->memo))
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(
	    s,
	    "INSERT OR IGNORE INTO unverified_transfers (trx_id, op_index, block, timestamp_ms,"
	    " payer, amount, precision, symbol, memo, reason, first_seen_ms)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, u->trx_id);
	sqlite3_bind_int64(st, 2, u->op_index);
	sqlite3_bind_int64(st, 3, u->block);
	sqlite3_bind_int64(st, 4, u->timestamp_ms);
	store_bind_text(st, 5, u->from);
	sqlite3_bind_int64(st, 6, u->amount.amount);
	sqlite3_bind_int(st, 7, u->amount.precision);
	store_bind_text(st, 8, u->amount.symbol);
	sqlite3_bind_blob(st, 9, u->memo, (int)u->memo_len, SQLITE_TRANSIENT);
	store_bind_text(st, 10, u->reason);
	sqlite3_bind_int64(st, 11, clock_real_ms(s->clk));
	err = step_done(s, st, "unverified transfer");
	if (!err)
		*is_new = sqlite3_changes(s->db) == 1;
	return store_finish(s, err);
}

#define UNVERIFIED_COLS                                                                            \
	"trx_id, op_index, block, timestamp_ms, payer, amount, precision, symbol, memo, reason,"   \
	" first_seen_ms"

static void text_col(sqlite3_stmt *st, int i, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void row(sqlite3_stmt *st, struct store_unverified *u)
{
	const void *memo;
	int n;

	memset(u, 0, sizeof(*u));
	text_col(st, 0, u->trx_id, sizeof(u->trx_id));
	u->op_index = (uint32_t)sqlite3_column_int64(st, 1);
	u->block = (uint32_t)sqlite3_column_int64(st, 2);
	u->timestamp_ms = sqlite3_column_int64(st, 3);
	text_col(st, 4, u->from, sizeof(u->from));
	u->amount.amount = sqlite3_column_int64(st, 5);
	u->amount.precision = (uint8_t)sqlite3_column_int(st, 6);
	text_col(st, 7, u->amount.symbol, sizeof(u->amount.symbol));
	memo = sqlite3_column_blob(st, 8);
	n = sqlite3_column_bytes(st, 8);
	if (memo && n > 0) {
		u->memo_len = (size_t)n < sizeof(u->memo) ? (size_t)n : sizeof(u->memo);
		memcpy(u->memo, memo, u->memo_len);
	}
	text_col(st, 9, u->reason, sizeof(u->reason));
	u->first_seen_ms = sqlite3_column_int64(st, 10);
}

enum kerr store_unverified_newest(struct store *s, unsigned long *n,
                                  struct store_unverified *newest)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, "SELECT count(*) FROM unverified_transfers", &st);
	int rc;

	*n = 0;
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (unsigned long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sql_err(s, rc, "unverified count");
	if (*n == 0)
		return KERR_OK;
	err = store_prepare(
	    s, "SELECT " UNVERIFIED_COLS " FROM unverified_transfers ORDER BY id DESC LIMIT 1",
	    &st);
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row(st, newest);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KERR_OK : store_sql_err(s, rc, "newest unverified");
}

enum kerr store_unverified_each(struct store *s, int64_t from_ms, int64_t to_ms,
                                void (*fn)(const struct store_unverified *u, void *arg), void *arg)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s,
	    "SELECT " UNVERIFIED_COLS " FROM unverified_transfers"
	    " WHERE first_seen_ms >= ? AND first_seen_ms < ? ORDER BY first_seen_ms, id",
	    &st);
	struct store_unverified u;
	int rc;

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, from_ms);
	sqlite3_bind_int64(st, 2, to_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row(st, &u);
		fn(&u, arg);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, "unverified transfers");
}

enum kerr store_refused_note(struct store *s, const char *trx_id, const char *reason, bool *first)
{
	sqlite3_stmt *st;
	enum kerr err;
	int64_t now = clock_real_ms(s->clk);

	*first = false;
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(
	    s,
	    "INSERT INTO refused_transfers (trx_id, reason, first_seen_ms, last_seen_ms, times)"
	    " VALUES (?,?,?,?,1) ON CONFLICT (trx_id, reason) DO UPDATE SET"
	    " last_seen_ms = excluded.last_seen_ms, times = times + 1",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, trx_id);
	store_bind_text(st, 2, reason);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	err = step_done(s, st, "refused transfer");
	if (!err) {
		/* first_seen_ms is only ever now on the row's first insert. */
		err = store_prepare(
		    s, "SELECT times FROM refused_transfers WHERE trx_id = ? AND reason = ?", &st);
		if (!err) {
			store_bind_text(st, 1, trx_id);
			store_bind_text(st, 2, reason);
			if (sqlite3_step(st) == SQLITE_ROW)
				*first = sqlite3_column_int64(st, 0) == 1;
			sqlite3_finalize(st);
		}
	}
	return store_finish(s, err);
}

enum kerr store_unverified_reason(struct store *s, const char *trx_id, uint32_t op_index,
                                  char *reason, size_t cap)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, "SELECT reason FROM unverified_transfers WHERE trx_id = ? AND op_index = ?", &st);
	int rc;

	if (cap)
		reason[0] = '\0';
	if (err)
		return err;
	store_bind_text(st, 1, trx_id);
	sqlite3_bind_int64(st, 2, op_index);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_col_text(st, 0, reason, cap);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW    ? KERR_OK
	       : rc == SQLITE_DONE ? KERR_NOTFOUND
	                           : store_sql_err(s, rc, "unverified transfer");
}

enum kerr store_unverified_set_reason(struct store *s, const char *trx_id, uint32_t op_index,
                                      const char *reason)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, "UPDATE unverified_transfers SET reason = ? WHERE trx_id = ? AND op_index = ?", &st);

	if (err)
		return err;
	store_bind_text(st, 1, reason);
	store_bind_text(st, 2, trx_id);
	sqlite3_bind_int64(st, 3, op_index);
	err = step_done(s, st, "unverified transfer");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	return err;
}
