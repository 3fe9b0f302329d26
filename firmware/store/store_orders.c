/*
 * Finding orders as members and staff ask for them: by id or its last
 * digits, and stepping through the open ones. Every query reads an index
 * (the primary key, or orders_by_state from schema 5) so the cost does not
 * grow with the orders long since handed over.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "store_priv.h"

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
static enum kerr suffix_hits(struct store *s, const char *key, char *hit, size_t cap, unsigned *hits)
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
