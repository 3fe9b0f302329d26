/*
 * Orders and their payment requests: writing and reading them, moving an
 * order from state to state, and finding orders as members and staff ask
 * for them: by id or its last digits, and stepping through the open ones.
 * Every search reads an index (the primary key, or orders_by_state from
 * schema 5) so the cost does not grow with the orders long since handed
 * over.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/rate.h"
#include "store_priv.h"

enum kerr store_order_insert(struct store *s, const struct order *o)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(
	    s,
	    "INSERT INTO orders (id, member, price_amount, price_precision, price_symbol,"
	    " pickup, compartment, state, memo, created_ms, expires_ms)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	    &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, o->id);
	store_bind_text(st, 2, o->member);
	store_bind_asset(st, 3, &o->price);
	store_bind_text(st, 6, order_pickup_name(o->pickup));
	sqlite3_bind_int(st, 7, (int)o->compartment);
	store_bind_text(st, 8, order_state_name(o->state));
	store_bind_text(st, 9, o->memo);
	sqlite3_bind_int64(st, 10, o->created_at_ms ? o->created_at_ms : store_now_ms(s));
	sqlite3_bind_int64(st, 11, o->expires_at_ms);
	err = store_write1(s, st, "insert order");
	for (unsigned i = 0; !err && i < o->item_count; i++) {
		err = store_prepare(
		    s,
		    "INSERT INTO order_items (order_id, pos, name, quantity, unit_amount,"
		    " unit_precision, unit_symbol) VALUES (?,?,?,?,?,?,?)",
		    &st);
		if (err)
			break;
		store_bind_text(st, 1, o->id);
		sqlite3_bind_int(st, 2, (int)i);
		store_bind_text(st, 3, o->items[i].name);
		sqlite3_bind_int64(st, 4, o->items[i].quantity);
		store_bind_asset(st, 5, &o->items[i].unit_price);
		err = store_write1(s, st, "insert order item");
	}
	if (!err)
		err = store_event_in_tx(s, o->id, "order_imported", order_state_name(o->state));
	return store_finish(s, err);
}

static enum kerr load_items(struct store *s, struct order *o)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "SELECT name, quantity, unit_amount, unit_precision, unit_symbol"
	                  " FROM order_items WHERE order_id = ? ORDER BY pos",
	                  &st);
	int rc;

	if (err)
		return err;
	store_bind_text(st, 1, o->id);
	o->item_count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && o->item_count < ORDER_ITEMS_MAX) {
		struct order_item *it = &o->items[o->item_count++];

		store_col_text(st, 0, it->name, sizeof(it->name));
		it->quantity = (uint32_t)sqlite3_column_int64(st, 1);
		store_col_asset(st, 2, &it->unit_price);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, "read items");
}

/*
 * A won-priced order is paid against what its current request locked
 * (store_rates.c): every sum, amount due and refund is then in the asset
 * the member pays, and the won price stays in o->won for what people read.
 */
static enum kerr won_price(struct store *s, struct order *o)
{
	sqlite3_stmt *st;
	enum kerr err;

	o->won = o->price;
	if (!o->memo[0])
		return KERR_OK;
	err = store_prepare(s,
	                    "SELECT r.amount, r.precision, r.symbol FROM payment_requests r"
	                    " JOIN rate_locks l ON l.memo = r.memo WHERE r.memo = ?",
	                    &st);
	if (err)
		return err;
	store_bind_text(st, 1, o->memo);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_col_asset(st, 0, &o->price);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_row_to_order(struct store *s, sqlite3_stmt *st, struct order *o)
{
	char buf[32];

	memset(o, 0, sizeof(*o));
	store_col_text(st, 0, o->id, sizeof(o->id));
	store_col_text(st, 1, o->member, sizeof(o->member));
	store_col_asset(st, 2, &o->price);
	store_col_text(st, 5, buf, sizeof(buf));
	if (order_pickup_parse(buf, &o->pickup))
		return KERR_CORRUPT;
	o->compartment = (unsigned)sqlite3_column_int(st, 6);
	store_col_text(st, 7, buf, sizeof(buf));
	if (order_state_parse(buf, &o->state)) {
		log_err("journal %s: order %s has unknown state '%s'", s->path, o->id, buf);
		return KERR_CORRUPT;
	}
	store_col_text(st, 8, o->memo, sizeof(o->memo));
	o->created_at_ms = sqlite3_column_int64(st, 9);
	o->expires_at_ms = sqlite3_column_int64(st, 10);
	if (strcmp(o->price.symbol, RATE_WON_SYMBOL) == 0) {
		enum kerr err = won_price(s, o);

		if (err)
			return err;
	}
	return load_items(s, o);
}

enum kerr store_order_get(struct store *s, const char *id, struct order *out)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, "SELECT " STORE_ORDER_COLS " FROM orders WHERE id = ?", &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	store_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = store_row_to_order(s, st, out);
	else
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : store_sql_err(s, rc, "read order");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_order_list(struct store *s, int state, struct order *out, unsigned max, unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s,
	    state < 0 ? "SELECT " STORE_ORDER_COLS " FROM orders ORDER BY id"
	              : "SELECT " STORE_ORDER_COLS " FROM orders WHERE state = ? ORDER BY id",
	    &st);

	*n = 0;
	if (err)
		return err;
	if (state >= 0)
		store_bind_text(st, 1, order_state_name((enum order_state)state));
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		err = store_row_to_order(s, st, &out[*n]);
		if (err)
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_order_count(struct store *s, int state, unsigned *n)
{
	/* Kept by triggers from schema 5 on: no scan however long the journal. */
	if (s->version < 5)
		return store_count_of(s,
		                      state < 0 ? "SELECT count(*) FROM orders"
		                                : "SELECT count(*) FROM orders WHERE state = ?",
		                      state < 0 ? NULL : order_state_name((enum order_state)state),
		                      n);
	if (state < 0)
		return store_count_of(s, "SELECT coalesce(sum(n), 0) FROM order_counts", NULL, n);
	return store_count_of(s, "SELECT coalesce(sum(n), 0) FROM order_counts WHERE state = ?",
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
	err = store_prepare(s, "UPDATE orders SET state = ? WHERE id = ? AND state = ?", &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, order_state_name(to));
	store_bind_text(st, 2, id);
	store_bind_text(st, 3, order_state_name(from));
	err = store_write1(s, st, "order state");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err) {
		snprintf(detail, sizeof(detail), "%s -> %s: %s", order_state_name(from),
		         order_state_name(to), cause ? cause : "");
		err = store_event_in_tx(s, id, "state", detail);
	}
	return store_finish(s, err);
}

enum kerr store_request_insert(struct store *s, const struct store_request *r)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err =
	    store_prepare(s,
	                  "INSERT INTO payment_requests (memo, order_id, amount, precision, symbol,"
	                  " created_ms, expires_ms) VALUES (?,?,?,?,?,?,?)",
	                  &st);
	if (err)
		return store_finish(s, err);
	store_bind_text(st, 1, r->memo);
	store_bind_text(st, 2, r->order_id);
	store_bind_asset(st, 3, &r->amount);
	sqlite3_bind_int64(st, 6, r->created_ms ? r->created_ms : store_now_ms(s));
	sqlite3_bind_int64(st, 7, r->expires_ms);
	err = store_write1(s, st, "payment request");
	if (!err) {
		err = store_prepare(s, "UPDATE orders SET memo = ? WHERE id = ?", &st);
		if (!err) {
			store_bind_text(st, 1, r->memo);
			store_bind_text(st, 2, r->order_id);
			err = store_write1(s, st, "order memo");
		}
	}
	if (!err)
		err = store_event_in_tx(s, r->order_id, "request", r->memo);
	return store_finish(s, err);
}

static enum kerr request_query(struct store *s, const char *sql, const char *key,
                               struct store_request *out)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql, &st);
	int rc;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_text(st, 0, out->memo, sizeof(out->memo));
		store_col_text(st, 1, out->order_id, sizeof(out->order_id));
		store_col_asset(st, 2, &out->amount);
		out->created_ms = sqlite3_column_int64(st, 5);
		out->expires_ms = sqlite3_column_int64(st, 6);
	} else {
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : store_sql_err(s, rc, "read request");
	}
	sqlite3_finalize(st);
	return err;
}

#define REQUEST_COLS "memo, order_id, amount, precision, symbol, created_ms, expires_ms"

enum kerr store_request_find(struct store *s, const char *memo, struct store_request *out)
{
	return request_query(s, "SELECT " REQUEST_COLS " FROM payment_requests WHERE memo = ?",
	                     memo, out);
}

enum kerr store_request_of_order(struct store *s, const char *order_id, struct store_request *out)
{
	return request_query(s,
	                     "SELECT " REQUEST_COLS " FROM payment_requests WHERE order_id = ?"
	                     " ORDER BY created_ms DESC, rowid DESC LIMIT 1",
	                     order_id, out);
}

/* The orders a suffix may name: still open. */
static bool suffix_state(enum order_state st)
{
	return !order_state_final(st);
}

/*
 * The orders browsing steps through: those still waiting for a payment.
 * A paid order is never offered to whoever stands at the kiosk: its goods
 * go out only against its pickup code (or a payment made there and then).
 */
static bool browse_state(enum order_state st)
{
	return st == ORDER_READY || st == ORDER_AWAITING_PAYMENT || st == ORDER_UNDERPAID;
}

/*
 * Ids of open orders ending with key: the first one in hit, up to two
 * counted (two are enough to call it ambiguous).
 */
static enum kerr suffix_hits(struct store *s, const char *key, char *hit, size_t cap,
                             unsigned *hits)
{
	sqlite3_stmt *st;
	size_t kl = strlen(key);
	enum kerr err = store_prepare(s, "SELECT id FROM orders WHERE state = ?", &st);
	int rc = SQLITE_DONE;

	*hits = 0;
	if (err)
		return err;
	for (int i = 0; i < ORDER_STATE_COUNT && *hits < 2; i++) {
		if (!suffix_state((enum order_state)i))
			continue;
		sqlite3_reset(st);
		store_bind_text(st, 1, order_state_name((enum order_state)i));
		while (*hits < 2 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			size_t il = id ? strlen(id) : 0;

			if (il >= kl && memcmp(id + il - kl, key, kl) == 0) {
				if ((*hits)++ == 0)
					snprintf(hit, cap, "%s", id);
			}
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "order by suffix");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_order_find(struct store *s, const char *key, struct order *out)
{
	char id[ORDER_ID_MAX + 1];
	unsigned hits;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (!key || !key[0])
		return KERR_NOTFOUND;
	err = store_order_get(s, key, out);
	if (err != KERR_NOTFOUND)
		return err;
	/* Two digits would name many orders at a busy co-op: a guess, not a choice. */
	if (strlen(key) < STORE_SUFFIX_MIN || strlen(key) > ORDER_ID_MAX)
		return KERR_NOTFOUND;
	err = suffix_hits(s, key, id, sizeof(id), &hits);
	if (err)
		return err;
	if (hits != 1)
		return KERR_NOTFOUND;
	return store_order_get(s, id, out);
}

enum kerr store_order_browse(struct store *s, const char *from, int step, struct order *out)
{
	/* Per state: the nearest id past `from` in orders_by_state, one seek each. */
	static const char *const sql[2][2] = {
	    {"SELECT id FROM orders WHERE state = ?1 ORDER BY id DESC LIMIT 1",
	     "SELECT id FROM orders WHERE state = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1"},
	    {"SELECT id FROM orders WHERE state = ?1 ORDER BY id LIMIT 1",
	     "SELECT id FROM orders WHERE state = ?1 AND id > ?2 ORDER BY id LIMIT 1"},
	};
	bool fwd = step > 0, bounded = from && from[0];
	char best[ORDER_ID_MAX + 1] = "";
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s, sql[fwd][bounded], &st);
	int rc = SQLITE_DONE;

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	for (int i = 0; i < ORDER_STATE_COUNT; i++) {
		const char *id;

		if (!browse_state((enum order_state)i))
			continue;
		sqlite3_reset(st);
		store_bind_text(st, 1, order_state_name((enum order_state)i));
		if (bounded)
			store_bind_text(st, 2, from);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				break;
			continue;
		}
		id = (const char *)sqlite3_column_text(st, 0);
		/* Ids compare as SQLite's BINARY collation does: memcmp order. */
		if (id && (!best[0] || (fwd ? strcmp(id, best) < 0 : strcmp(id, best) > 0)))
			snprintf(best, sizeof(best), "%s", id);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "browse orders");
	sqlite3_finalize(st);
	if (err)
		return err;
	return best[0] ? store_order_get(s, best, out) : KERR_NOTFOUND;
}
