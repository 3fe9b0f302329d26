/*
 * The append-only event log and what reads it, the staff code attempts, the
 * watcher's cursor, and the report over payments, handovers and refunds.
 */
#include <stdio.h>
#include <string.h>

#include "store_priv.h"

enum kerr store_event(struct store *s, const char *order_id, const char *kind, const char *detail)
{
	enum kerr err = store_begin(s);

	if (err)
		return err;
	return store_finish(s, store_event_in_tx(s, order_id, kind, detail));
}

enum kerr store_staff_attempt(struct store *s, const char *staff, bool ok, const char *detail)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(
	    s, "INSERT INTO staff_attempts (staff, ok, at_ms, detail) VALUES (?,?,?,?)", &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, staff);
	sqlite3_bind_int(st, 2, ok);
	sqlite3_bind_int64(st, 3, store_now_ms(s));
	store_bind_text(st, 4, detail);
	err = store_write1(s, st, "staff attempt");
	if (!err)
		err = store_event_in_tx(s, NULL, ok ? "staff_ok" : "staff_refused", staff);
	return store_finish(s, err);
}

enum kerr store_cursor_get(struct store *s, const char *chain, const char *account,
                           struct store_cursor *out)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s,
	                              "SELECT history_index, block, block_time_ms FROM chain_cursor"
	                              " WHERE chain = ? AND account = ?",
	                              &st);

	out->history_index = -1;
	out->block = 0;
	out->block_time_ms = 0;
	if (err)
		return err;
	store_bind_text(st, 1, chain);
	store_bind_text(st, 2, account);
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
	err = store_prepare(
	    s,
	    "INSERT INTO chain_cursor (chain, account, history_index, block, block_time_ms)"
	    " VALUES (?,?,?,?,?) ON CONFLICT (chain, account) DO UPDATE SET"
	    " history_index = excluded.history_index, block = excluded.block,"
	    " block_time_ms = excluded.block_time_ms",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, chain);
	store_bind_text(st, 2, account);
	sqlite3_bind_int64(st, 3, c->history_index);
	sqlite3_bind_int64(st, 4, c->block);
	sqlite3_bind_int64(st, 5, c->block_time_ms);
	return store_finish(s, store_write1(s, st, "cursor"));
}

enum kerr store_last_event_ms(struct store *s, int64_t *ms)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, "SELECT coalesce(max(at_ms), 0) FROM events", &st);

	*ms = 0;
	if (err)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW)
		*ms = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_last_event_of(struct store *s, const char *kind, int64_t *id, int64_t *at_ms,
                              char *detail, size_t cap)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, "SELECT at_ms, detail, id FROM events WHERE kind = ? ORDER BY id DESC LIMIT 1", &st);

	*at_ms = 0;
	if (id)
		*id = 0;
	if (cap)
		detail[0] = '\0';
	if (err)
		return err;
	store_bind_text(st, 1, kind);
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
	enum kerr err =
	    store_prepare(s,
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
	enum kerr err = store_prepare(
	    s,
	    "SELECT 'payment', timestamp_ms, coalesce(order_id, ''), sender, amount, precision, "
	    "symbol,"
	    "  trx_id FROM transfers WHERE status = ?3 AND timestamp_ms >= ?1 AND timestamp_ms < ?2"
	    " UNION ALL SELECT 'handover', intent_ms, order_id, kind || ' ' || compartment, 0, 0, "
	    "'',"
	    "  coalesce(outcome, 'interrupted') FROM handovers WHERE intent_ms >= ?1 AND intent_ms "
	    "< ?2"
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

		store_col_asset(st, 4, &r.amount);
		fn(&r, arg);
	}
	sqlite3_finalize(st);
	return KERR_OK;
}
