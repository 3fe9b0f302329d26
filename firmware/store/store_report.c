/*
 * The journal's money by section (reports, the daily close) and the
 * refunds owed to payers: store_report.h. Reads by time use the indexes of
 * schema 8; refund writes are one transaction with their event.
 */
#include "kiosk/store_report.h"

#include <stdio.h>
#include <string.h>

#include "store_priv.h"

static const char *text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/*
 * Every section query returns: id, at_ms, order_id, who, method, amount,
 * precision, symbol, ref, detail; ?1 from, ?2 to, ?3 an optional integer.
 */
static enum kerr section(struct store *s, const char *sql, int64_t from_ms, int64_t to_ms, int arg3,
                         store_movement_fn *fn, void *arg)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql, &st);
	int rc;

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, from_ms);
	sqlite3_bind_int64(st, 2, to_ms);
	sqlite3_bind_int(st, 3, arg3);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_movement m = {
		    .id = sqlite3_column_int64(st, 0),
		    .at_ms = sqlite3_column_int64(st, 1),
		    .order_id = text(st, 2),
		    .who = text(st, 3),
		    .method = text(st, 4),
		    .ref = text(st, 8),
		    .detail = text(st, 9),
		};

		store_col_asset(st, 5, &m.amount);
		fn(&m, arg);
	}
	err = rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, "report");
	sqlite3_finalize(st);
	return err;
}

#define TRANSFER_ROWS                                                                              \
	"SELECT id, timestamp_ms, coalesce(order_id, ''), sender, 'chain', amount, precision, "    \
	" symbol, trx_id, '' FROM transfers"

enum kerr store_report_chain_payments(struct store *s, int64_t from_ms, int64_t to_ms,
                                      store_movement_fn *fn, void *arg)
{
	/* Matched and counted towards an order (an overpaid one also owes its excess back). */
	return section(s,
	               TRANSFER_ROWS
	               " WHERE timestamp_ms >= ?1 AND timestamp_ms < ?2"
	               " AND order_id IS NOT NULL AND status != ?3 ORDER BY timestamp_ms, id",
	               from_ms, to_ms, STORE_TRANSFER_OUTGOING, fn, arg);
}

enum kerr store_report_returned(struct store *s, int64_t from_ms, int64_t to_ms,
                                store_movement_fn *fn, void *arg)
{
	return section(s,
	               TRANSFER_ROWS
	               " WHERE timestamp_ms >= ?1 AND timestamp_ms < ?2"
	               " AND order_id IS NULL AND status = ?3 ORDER BY timestamp_ms, id",
	               from_ms, to_ms, STORE_TRANSFER_REFUND_DUE, fn, arg);
}

enum kerr store_report_unknown_memo(struct store *s, int64_t from_ms, int64_t to_ms,
                                    store_movement_fn *fn, void *arg)
{
	return section(
	    s,
	    "SELECT id, timestamp_ms, '', sender, 'chain', amount, precision, symbol, trx_id,"
	    " CASE WHEN substr(CAST(memo AS TEXT), 1, 1) = '#' THEN '(encrypted memo)'"
	    " ELSE 'memo: ' || substr(CAST(memo AS TEXT), 1, 64) END FROM transfers"
	    " WHERE timestamp_ms >= ?1 AND timestamp_ms < ?2 AND status = ?3"
	    " ORDER BY timestamp_ms, id",
	    from_ms, to_ms, STORE_TRANSFER_FOR_STAFF, fn, arg);
}

enum kerr store_report_confirmations(struct store *s, int64_t from_ms, int64_t to_ms,
                                     store_movement_fn *fn, void *arg)
{
	return section(s,
	               "SELECT id, at_ms, order_id, staff, method, amount, precision, symbol, '',"
	               " reason FROM staff_confirmations WHERE at_ms >= ?1 AND at_ms < ?2"
	               " ORDER BY at_ms, id",
	               from_ms, to_ms, 0, fn, arg);
}

enum kerr store_report_refunds_due(struct store *s, int64_t from_ms, int64_t to_ms,
                                   store_movement_fn *fn, void *arg)
{
	return section(
	    s,
	    "SELECT id, at_ms, order_id, payer, '', amount, precision, symbol, memo, reason"
	    " FROM refunds_due WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY at_ms, id",
	    from_ms, to_ms, 0, fn, arg);
}

enum kerr store_report_refunds_paid(struct store *s, int64_t from_ms, int64_t to_ms,
                                    store_movement_fn *fn, void *arg)
{
	return section(
	    s,
	    "SELECT id, paid_ms, order_id, payer, CASE WHEN paid_by = 'chain' THEN 'chain'"
	    " ELSE 'staff' END, amount, precision, symbol,"
	    " CASE WHEN paid_trx != '' THEN paid_trx ELSE memo END,"
	    " 'paid by ' || paid_by || ' (' || memo || ')' FROM refunds_due"
	    " WHERE paid_ms >= ?1 AND paid_ms < ?2 ORDER BY paid_ms, id",
	    from_ms, to_ms, 0, fn, arg);
}

enum kerr store_report_outgoing_unmatched(struct store *s, int64_t from_ms, int64_t to_ms,
                                          store_movement_fn *fn, void *arg)
{
	return section(
	    s,
	    "SELECT t.id, t.timestamp_ms, '', t.receiver, 'chain', t.amount, t.precision,"
	    " t.symbol, t.trx_id, 'memo: ' || substr(CAST(t.memo AS TEXT), 1, 64)"
	    " FROM transfers t WHERE t.timestamp_ms >= ?1 AND t.timestamp_ms < ?2"
	    " AND t.status = ?3 AND NOT EXISTS (SELECT 1 FROM refunds_due r"
	    " WHERE r.paid_trx = t.trx_id AND r.paid_trx != '') ORDER BY t.timestamp_ms, t.id",
	    from_ms, to_ms, STORE_TRANSFER_OUTGOING, fn, arg);
}

enum kerr store_report_handovers(struct store *s, int64_t from_ms, int64_t to_ms,
                                 store_movement_fn *fn, void *arg)
{
	return section(
	    s,
	    "SELECT id, intent_ms, order_id, kind || ' ' || compartment, '', 0, 0, '', '',"
	    " coalesce(outcome, 'interrupted') FROM handovers"
	    " WHERE intent_ms >= ?1 AND intent_ms < ?2 ORDER BY intent_ms, id",
	    from_ms, to_ms, 0, fn, arg);
}

enum kerr store_confirmation_set_amount(struct store *s, int64_t id, const struct asset *amount)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(s,
	                    "UPDATE staff_confirmations SET amount = ?, precision = ?, symbol = ?"
	                    " WHERE id = ?",
	                    &st);
	if (err)
		return store_finish(s, err);
	sqlite3_bind_int64(st, 1, amount->amount);
	sqlite3_bind_int(st, 2, amount->precision);
	store_bind_text(st, 3, amount->symbol);
	sqlite3_bind_int64(st, 4, id);
	err = store_write1(s, st, "confirmation amount");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	return store_finish(s, err);
}

enum kerr store_confirmation_of_order(struct store *s, const char *order_id,
                                      struct store_confirmation *c, struct asset *amount)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "SELECT id, order_id, staff, method, reason, at_ms, settlement,"
	                  " due_amount, due_precision, due_symbol, amount, precision, symbol"
	                  " FROM staff_confirmations WHERE order_id = ? ORDER BY id DESC LIMIT 1",
	                  &st);

	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return KERR_NOTFOUND;
	}
	err = store_row_to_confirmation(s, st, c);
	if (!err && amount)
		store_col_asset(st, 10, amount);
	sqlite3_finalize(st);
	return err;
}

#define REFUND_COLS                                                                                \
	"SELECT id, transfer_id, order_id, payer, amount, precision, symbol, reason, memo, at_ms," \
	" coalesce(paid_ms, 0), paid_by, paid_trx FROM refunds_due"

static void read_refund(sqlite3_stmt *st, struct store_refund *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->transfer_id = sqlite3_column_int64(st, 1);
	store_col_text(st, 2, r->order_id, sizeof(r->order_id));
	store_col_text(st, 3, r->payer, sizeof(r->payer));
	store_col_asset(st, 4, &r->amount);
	store_col_text(st, 7, r->reason, sizeof(r->reason));
	store_col_text(st, 8, r->memo, sizeof(r->memo));
	r->at_ms = sqlite3_column_int64(st, 9);
	r->paid_ms = sqlite3_column_int64(st, 10);
	store_col_text(st, 11, r->paid_by, sizeof(r->paid_by));
	store_col_text(st, 12, r->paid_trx, sizeof(r->paid_trx));
}

enum kerr store_refund_list(struct store *s, bool owed_only, struct store_refund *out, unsigned max,
                            unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, REFUND_COLS " WHERE ?1 = 0 OR paid_ms IS NULL ORDER BY id", &st);

	*n = 0;
	if (err)
		return err;
	sqlite3_bind_int(st, 1, owed_only ? 1 : 0);
	while (*n < max && sqlite3_step(st) == SQLITE_ROW)
		read_refund(st, &out[(*n)++]);
	sqlite3_finalize(st);
	return KERR_OK;
}

static enum kerr refund_one(struct store *s, const char *sql, int64_t id, const char *key,
                            struct store_refund *out)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql, &st);

	if (err)
		return err;
	if (key)
		store_bind_text(st, 1, key);
	else
		sqlite3_bind_int64(st, 1, id);
	err = sqlite3_step(st) == SQLITE_ROW ? KERR_OK : KERR_NOTFOUND;
	if (!err)
		read_refund(st, out);
	sqlite3_finalize(st);
	return err;
}

enum kerr store_refund_get(struct store *s, int64_t id, struct store_refund *out)
{
	return refund_one(s, REFUND_COLS " WHERE id = ?1", id, NULL, out);
}

enum kerr store_refund_by_memo(struct store *s, const char *memo, struct store_refund *out)
{
	if (!memo || !memo[0])
		return KERR_NOTFOUND;
	return refund_one(s, REFUND_COLS " WHERE memo = ?1", 0, memo, out);
}

enum kerr store_refund_owed_for_order(struct store *s, const char *order_id, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, "SELECT count(*) FROM refunds_due WHERE order_id = ? AND paid_ms IS NULL", &st);

	*n = 0;
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_refund_owed_count(struct store *s, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, "SELECT count(*) FROM refunds_due WHERE paid_ms IS NULL", &st);

	*n = 0;
	if (err)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_refund_paid(struct store *s, int64_t id, const char *by, const char *trx)
{
	struct store_refund r;
	sqlite3_stmt *st;
	char detail[STORE_DETAIL_MAX];
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_refund_get(s, id, &r);
	if (!err && r.paid_ms)
		err = KERR_STATE;
	if (!err)
		err = store_prepare(s,
		                    "UPDATE refunds_due SET paid_ms = ?, paid_by = ?, paid_trx = ?"
		                    " WHERE id = ? AND paid_ms IS NULL",
		                    &st);
	if (err)
		return store_finish(s, err);
	sqlite3_bind_int64(st, 1, clock_real_ms(s->clk));
	store_bind_text(st, 2, by);
	store_bind_text(st, 3, trx);
	sqlite3_bind_int64(st, 4, id);
	err = store_write1(s, st, "refund paid");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err) {
		char amount[ASSET_STR_MAX];

		if (asset_format(&r.amount, amount, sizeof(amount)))
			amount[0] = '\0';
		snprintf(detail, sizeof(detail), "%s %s to %s by %s%s%s", r.memo, amount, r.payer,
		         by && by[0] ? by : "?", trx && trx[0] ? " trx " : "", trx ? trx : "");
		err =
		    store_event_in_tx(s, r.order_id[0] ? r.order_id : NULL, "refund_paid", detail);
	}
	return store_finish(s, err);
}
