/*
 * Payment requests that ran out: the sweep's query, and the refunds due of
 * an order that expired part paid (store_expiry.h).
 */
#include "kiosk/store_expiry.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "store_priv.h"

enum kerr store_expired_requests(struct store *s, enum order_state state, int64_t cutoff_ms,
                                 struct store_expired *out, unsigned max, unsigned *n)
{
	const char *name = order_state_name(state);
	sqlite3_stmt *st;
	enum kerr err;
	int rc = SQLITE_DONE;

	*n = 0;
	if (!store_named(name))
		return KERR_INVAL;
	/* orders_by_state, then the request by its memo (primary key). */
	err = store_prepare(s,
	                    "SELECT o.id, o.memo, r.expires_ms FROM orders o"
	                    " JOIN payment_requests r ON r.memo = o.memo"
	                    " WHERE o.state = ?1 AND o.memo <> '' AND r.expires_ms <= ?2"
	                    " ORDER BY r.expires_ms, o.id LIMIT ?3",
	                    &st);
	if (err)
		return err;
	store_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, cutoff_ms);
	sqlite3_bind_int64(st, 3, max);
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_expired *e = &out[(*n)++];

		memset(e, 0, sizeof(*e));
		store_col_text(st, 0, e->order_id, sizeof(e->order_id));
		store_col_text(st, 1, e->memo, sizeof(e->memo));
		e->expires_ms = sqlite3_column_int64(st, 2);
	}
	if (*n < max && rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "expired requests");
	sqlite3_finalize(st);
	return err;
}

/* What of each transfer counted towards the order is not owed back already. */
#define OWED_SQL                                                                                   \
	"SELECT t.id, t.sender, t.amount - coalesce((SELECT sum(f.amount) FROM refunds_due f"      \
	"   WHERE f.transfer_id = t.id AND f.symbol = t.symbol AND f.precision = t.precision), 0)" \
	" FROM transfers t WHERE t.order_id = ?1 AND t.status = ?2 AND t.symbol = ?3"              \
	" AND t.precision = ?4 ORDER BY t.id"

static enum kerr refund_one(struct store *s, const char *order_id, int64_t transfer_id,
                            const char *payer, const struct asset *amount)
{
	char detail[STORE_DETAIL_MAX], amt[ASSET_STR_MAX];
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "INSERT INTO refunds_due (transfer_id, payer, amount, precision,"
	                  " symbol, reason, at_ms) VALUES (?,?,?,?,?,?,?)",
	                  &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, transfer_id);
	store_bind_text(st, 2, payer);
	store_bind_asset(st, 3, amount);
	store_bind_text(st, 6, STORE_EXPIRED_UNDERPAID);
	sqlite3_bind_int64(st, 7, store_now_ms(s));
	err = store_write1(s, st, "refund");
	if (err)
		return err;
	if (asset_format(amount, amt, sizeof(amt)) != KERR_OK)
		snprintf(amt, sizeof(amt), "?");
	snprintf(detail, sizeof(detail), "%s: %s to %s", STORE_EXPIRED_UNDERPAID, amt, payer);
	return store_event_in_tx(s, order_id, "refund_due", detail);
}

enum kerr store_expire_refund(struct store *s, const char *order_id, enum order_state from,
                              enum order_state to, const char *cause, const struct asset *kind,
                              struct asset *owed)
{
	struct {
		int64_t id;
		char payer[ORDER_ACCOUNT_MAX + 1];
		struct asset amount;
	} rows[64];
	unsigned nrows = 0;
	sqlite3_stmt *st;
	enum kerr err;
	int rc;

	*owed = *kind;
	owed->amount = 0;
	err = store_begin(s);
	if (err)
		return err;
	/* The state first: an order no longer in `from` gets nothing written. */
	err = store_order_set_state(s, order_id, from, to, cause);
	if (err)
		return store_finish(s, err);
	err = store_prepare(s, OWED_SQL, &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, order_id);
	sqlite3_bind_int(st, 2, STORE_TRANSFER_MATCHED);
	store_bind_text(st, 3, kind->symbol);
	sqlite3_bind_int(st, 4, kind->precision);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == ARRAY_SIZE(rows)) {
			/* More payments than any part-paid order sees: staff look at it. */
			rc = SQLITE_TOOBIG;
			break;
		}
		rows[nrows].id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, rows[nrows].payer, sizeof(rows[nrows].payer));
		rows[nrows].amount = *kind;
		rows[nrows].amount.amount = sqlite3_column_int64(st, 2);
		if (rows[nrows].amount.amount > 0)
			nrows++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		err = rc == SQLITE_TOOBIG ? KERR_TOO_BIG
		                          : store_sql_err(s, rc, "transfers of an order");
	for (unsigned i = 0; !err && i < nrows; i++) {
		err = refund_one(s, order_id, rows[i].id, rows[i].payer, &rows[i].amount);
		if (!err)
			err = asset_add(owed, &rows[i].amount, owed);
	}
	if (err)
		owed->amount = 0;
	return store_finish(s, err);
}

enum kerr store_expiry_counts(struct store *s, int64_t now_ms, unsigned *overdue, unsigned *refunds)
{
	static const enum order_state open[] = {ORDER_AWAITING_PAYMENT, ORDER_UNDERPAID};
	sqlite3_stmt *st;
	enum kerr err;

	*overdue = *refunds = 0;
	err =
	    store_prepare(s,
	                  "SELECT count(*) FROM orders o JOIN payment_requests r ON r.memo = o.memo"
	                  " WHERE o.state = ?1 AND o.memo <> '' AND r.expires_ms <= ?2",
	                  &st);
	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_SIZE(open); i++) {
		sqlite3_reset(st);
		store_bind_text(st, 1, order_state_name(open[i]));
		sqlite3_bind_int64(st, 2, now_ms);
		if (sqlite3_step(st) == SQLITE_ROW)
			*overdue += (unsigned)sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return store_count_of(s, "SELECT count(*) FROM refunds_due WHERE reason = ?",
	                      STORE_EXPIRED_UNDERPAID, refunds);
}

enum kerr store_expiry_refunds(struct store *s,
                               void (*fn)(const struct store_expiry_refund *r, void *arg),
                               void *arg)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "SELECT coalesce(t.order_id, ''), f.payer, f.amount, f.precision,"
	                  " f.symbol, f.at_ms FROM refunds_due f"
	                  " LEFT JOIN transfers t ON t.id = f.transfer_id"
	                  " WHERE f.reason = ? ORDER BY f.id",
	                  &st);
	int rc;

	if (err)
		return err;
	store_bind_text(st, 1, STORE_EXPIRED_UNDERPAID);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_expiry_refund r = {
		    .order_id = (const char *)sqlite3_column_text(st, 0),
		    .payer = (const char *)sqlite3_column_text(st, 1),
		    .at_ms = sqlite3_column_int64(st, 5),
		};

		store_col_asset(st, 2, &r.amount);
		fn(&r, arg);
	}
	if (rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "expired underpaid refunds");
	sqlite3_finalize(st);
	return err;
}
