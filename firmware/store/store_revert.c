/* A transfer whose block left the chain before it was irreversible (a fork). */
#include <stdio.h>
#include <string.h>

#include "store_priv.h"

/* Runs sql (a DELETE with one "?") for id. */
static enum kerr delete_where_id(struct store *s, const char *sql, int64_t id, const char *what)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql, &st);
	int rc;

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, what);
}

enum kerr store_transfer_revert(struct store *s, const char *trx_id, uint32_t op_index,
                                char *order_id, size_t cap)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	enum kerr err;

	if (cap)
		order_id[0] = '\0';
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(
	    s, "SELECT id, coalesce(order_id, '') FROM transfers WHERE trx_id = ? AND op_index = ?",
	    &st);
	if (!err) {
		store_bind_text(st, 1, trx_id);
		sqlite3_bind_int64(st, 2, op_index);
		if (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			snprintf(order_id, cap, "%s", (const char *)sqlite3_column_text(st, 1));
		} else {
			err = KERR_NOTFOUND;
		}
		sqlite3_finalize(st);
	}
	if (!err)
		err = delete_where_id(s, "DELETE FROM refunds_due WHERE transfer_id = ?", id,
		                      "forgetting a reverted transfer's refund");
	if (!err)
		err = delete_where_id(s, "DELETE FROM transfers WHERE id = ?", id,
		                      "forgetting a reverted transfer");
	return store_finish(s, err);
}
