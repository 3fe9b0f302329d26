/*
 * Money in the journal: transfers seen on chain and the orders they count
 * towards, refunds owed to payers, and staff confirmations of payment with
 * their settlement.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "store_priv.h"

enum kerr store_transfer_insert(struct store *s, struct store_transfer *t)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(
	    s,
	    "INSERT INTO transfers (trx_id, op_index, block, timestamp_ms, sender, receiver,"
	    " amount, precision, symbol, memo, order_id, status, seen_ms, nodes, proved_by)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, t->trx_id);
	sqlite3_bind_int64(st, 2, t->op_index);
	sqlite3_bind_int64(st, 3, t->block);
	sqlite3_bind_int64(st, 4, t->timestamp_ms);
	store_bind_text(st, 5, t->from);
	store_bind_text(st, 6, t->to);
	store_bind_asset(st, 7, &t->amount);
	/* A BLOB: a memo may hold NUL bytes. */
	sqlite3_bind_blob(st, 10, t->memo, (int)t->memo_len, SQLITE_TRANSIENT);
	if (t->order_id[0])
		store_bind_text(st, 11, t->order_id);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int(st, 12, (int)t->status);
	sqlite3_bind_int64(st, 13, store_now_ms(s));
	sqlite3_bind_int(st, 14, t->nodes > 1 ? (int)t->nodes : 1);
	store_bind_text(st, 15, t->proved_by);
	err = store_write1(s, st, "transfer");
	if (!err)
		t->rowid = sqlite3_last_insert_rowid(s->db);
	return store_finish(s, err);
}

enum kerr store_transfer_agreed(struct store *s, const char *trx_id, uint32_t op_index)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(s, "UPDATE transfers SET nodes = 2 WHERE trx_id = ? AND op_index = ?",
	                    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, trx_id);
	sqlite3_bind_int64(st, 2, op_index);
	err = store_write1(s, st, "transfer agreement");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	if (!err)
		err = store_event_in_tx(s, NULL, "second_node", trx_id);
	return store_finish(s, err);
}

enum kerr store_transfer_seen(struct store *s, const char *trx_id, uint32_t op_index, bool *seen)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, "SELECT 1 FROM transfers WHERE trx_id = ? AND op_index = ?", &st);

	*seen = false;
	if (err)
		return err;
	store_bind_text(st, 1, trx_id);
	sqlite3_bind_int64(st, 2, op_index);
	*seen = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_transfer_newest_block(struct store *s, uint32_t *block)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, "SELECT COALESCE(MAX(block), 0) FROM transfers", &st);
	int rc;

	*block = 0;
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sqlite3_int64 b = sqlite3_column_int64(st, 0);

		*block = b > 0 && b <= UINT32_MAX ? (uint32_t)b : 0;
	} else {
		err = store_sql_err(s, rc, "newest transfer block");
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
	err = store_prepare(
	    s, "UPDATE transfers SET order_id = ?, status = ? WHERE id = ? AND order_id IS NULL",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, order_id);
	sqlite3_bind_int(st, 2, STORE_TRANSFER_MATCHED);
	sqlite3_bind_int64(st, 3, rowid);
	err = store_write1(s, st, "match transfer");
	/* One transfer never pays two orders. */
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err)
		err = store_event_in_tx(s, order_id, "transfer_matched", "");
	return store_finish(s, err);
}

#define TRANSFER_COLS                                                                              \
	"SELECT id, trx_id, op_index, block, timestamp_ms, sender, receiver, amount, precision, "  \
	"symbol,"                                                                                  \
	" memo, status, coalesce(order_id, ''), nodes, proved_by FROM transfers"

static void read_transfer(sqlite3_stmt *st, struct store_transfer *out)
{
	int n;

	memset(out, 0, sizeof(*out));
	out->rowid = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, out->trx_id, sizeof(out->trx_id));
	out->op_index = (uint32_t)sqlite3_column_int64(st, 2);
	out->block = (uint32_t)sqlite3_column_int64(st, 3);
	out->timestamp_ms = sqlite3_column_int64(st, 4);
	store_col_text(st, 5, out->from, sizeof(out->from));
	store_col_text(st, 6, out->to, sizeof(out->to));
	store_col_asset(st, 7, &out->amount);
	n = sqlite3_column_bytes(st, 10);
	if (n > (int)sizeof(out->memo))
		n = (int)sizeof(out->memo);
	if (n > 0)
		memcpy(out->memo, sqlite3_column_blob(st, 10), (size_t)n);
	out->memo_len = (size_t)n;
	out->status = (enum store_transfer_status)sqlite3_column_int(st, 11);
	store_col_text(st, 12, out->order_id, sizeof(out->order_id));
	out->nodes = (unsigned)sqlite3_column_int(st, 13);
	store_col_text(st, 14, out->proved_by, sizeof(out->proved_by));
}

enum kerr store_transfer_of_order(struct store *s, const char *order_id, struct store_transfer *out)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, TRANSFER_COLS " WHERE order_id = ? ORDER BY id LIMIT 1", &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_transfer(st, out);
	else
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : store_sql_err(s, rc, "read transfer");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfers_of_order(struct store *s, const char *order_id,
                                   struct store_transfer *out, unsigned max, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s, TRANSFER_COLS " WHERE order_id = ? AND status = ? ORDER BY id LIMIT ?", &st);
	int rc;

	*n = 0;
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	sqlite3_bind_int(st, 2, STORE_TRANSFER_MATCHED);
	sqlite3_bind_int64(st, 3, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		read_transfer(st, &out[(*n)++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = store_sql_err(s, rc, "list an order's transfers");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfer_list(struct store *s, int64_t after_rowid, struct store_transfer *out,
                              unsigned max, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, TRANSFER_COLS " WHERE id > ? ORDER BY id LIMIT ?", &st);
	int rc;

	*n = 0;
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, after_rowid);
	sqlite3_bind_int64(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		read_transfer(st, &out[(*n)++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = store_sql_err(s, rc, "list transfers");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_transfer_sum(struct store *s, const char *order_id, const struct asset *kind,
                             struct asset *sum)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "SELECT amount FROM transfers WHERE order_id = ? AND symbol = ?"
	                  " AND precision = ? AND status = ?",
	                  &st);

	*sum = *kind;
	sum->amount = 0;
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	store_bind_text(st, 2, kind->symbol);
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
	err = store_prepare(
	    s,
	    "INSERT INTO refunds_due (transfer_id, payer, amount, precision, symbol, reason,"
	    " at_ms) VALUES (?,?,?,?,?,?,?)",
	    &st);
	if (err)
		return store_finish(s, err);
	sqlite3_bind_int64(st, 1, transfer_rowid);
	store_bind_text(st, 2, payer);
	store_bind_asset(st, 3, amount);
	store_bind_text(st, 6, reason);
	sqlite3_bind_int64(st, 7, store_now_ms(s));
	err = store_write1(s, st, "refund");
	if (!err)
		err = store_event_in_tx(s, NULL, "refund_due", reason);
	return store_finish(s, err);
}

enum kerr store_refund_count(struct store *s, unsigned *n)
{
	return store_count_of(s, "SELECT count(*) FROM refunds_due", NULL, n);
}

enum kerr store_confirmation_insert(struct store *s, struct store_confirmation *c)
{
	const char *method = pay_method_name(c->method);
	sqlite3_stmt *st;
	enum kerr err;

	if (!store_named(method))
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err =
	    store_prepare(s,
	                  "INSERT INTO staff_confirmations (order_id, staff, method, reason, at_ms)"
	                  " VALUES (?,?,?,?,?)",
	                  &st);
	if (err)
		return store_finish(s, err);
	c->at_ms = store_now_ms(s);
	store_bind_text(st, 1, c->order_id);
	store_bind_text(st, 2, c->staff);
	store_bind_text(st, 3, method);
	store_bind_text(st, 4, c->reason);
	sqlite3_bind_int64(st, 5, c->at_ms);
	err = store_write1(s, st, "staff confirmation");
	if (!err) {
		c->id = sqlite3_last_insert_rowid(s->db);
		c->settlement = RECONCILE_PENDING;
		err = store_event_in_tx(s, c->order_id, "staff_confirm", method);
	}
	return store_finish(s, err);
}

enum kerr store_row_to_confirmation(struct store *s, sqlite3_stmt *st, struct store_confirmation *c)
{
	char method[16], settled[16];

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, c->order_id, sizeof(c->order_id));
	store_col_text(st, 2, c->staff, sizeof(c->staff));
	store_col_text(st, 3, method, sizeof(method));
	store_col_text(st, 4, c->reason, sizeof(c->reason));
	c->at_ms = sqlite3_column_int64(st, 5);
	store_col_text(st, 6, settled, sizeof(settled));
	store_col_asset(st, 7, &c->due);
	if (pay_method_parse(method, &c->method) ||
	    reconcile_state_parse(settled, &c->settlement)) {
		log_err("journal %s: staff confirmation %lld has unknown method '%s' or settlement "
		        "'%s'",
		        s->path, (long long)c->id, method, settled);
		return KERR_CORRUPT;
	}
	return KERR_OK;
}

enum kerr store_confirmation_list(struct store *s, int settlement, struct store_confirmation *out,
                                  unsigned max, unsigned *n)
{
	const char *only =
	    settlement < 0 ? "" : reconcile_state_name((enum reconcile_state)settlement);
	sqlite3_stmt *st;
	enum kerr err;

	*n = 0;
	if (settlement >= 0 && !store_named(only))
		return KERR_INVAL;
	err = store_prepare(s,
	                    "SELECT id, order_id, staff, method, reason, at_ms, settlement,"
	                    " due_amount, due_precision, due_symbol FROM staff_confirmations"
	                    " WHERE ?1 = '' OR settlement = ?1 ORDER BY id",
	                    &st);

	if (err)
		return err;
	store_bind_text(st, 1, only);
	while (!err && *n < max && sqlite3_step(st) == SQLITE_ROW) {
		err = store_row_to_confirmation(s, st, &out[*n]);
		if (!err)
			(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_confirmation_settle(struct store *s, int64_t id, enum reconcile_state settlement,
                                    const struct asset *due)
{
	const char *name = reconcile_state_name(settlement);
	sqlite3_stmt *st;
	enum kerr err;

	err = store_begin_named(s, name,
	                        "UPDATE staff_confirmations SET settlement = ?, due_amount = ?,"
	                        " due_precision = ?, due_symbol = ? WHERE id = ?",
	                        &st);
	if (err)
		return err;
	store_bind_text(st, 1, name);
	store_bind_asset(st, 2, due);
	sqlite3_bind_int64(st, 5, id);
	err = store_write1(s, st, "settle confirmation");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_NOTFOUND;
	if (!err)
		err = store_event_in_tx(s, NULL, "reconcile", name);
	return store_finish(s, err);
}
