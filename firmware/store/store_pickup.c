/*
 * Pickup codes and wrong-code lockouts in the journal. A code is kept only
 * as its salt and hash (made and checked in firmware/app/pickup.c); a
 * lockout is one row per scope, so a restart finds it where it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "store_priv.h"

static enum kerr step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	return rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, what);
}

enum kerr store_pickup_set(struct store *s, const struct store_pickup *p, bool *replaced)
{
	struct store_pickup old;
	sqlite3_stmt *st = NULL;
	bool had;
	char detail[64];
	enum kerr err = store_begin(s);

	if (err)
		return err;
	{
		struct order o;

		err = store_order_get(s, p->order_id, &o);
	}
	if (!err) {
		err = store_pickup_get(s, p->order_id, &old);
		had = err == KERR_OK;
		if (err == KERR_NOTFOUND)
			err = KERR_OK;
	}
	if (!err)
		err = store_prepare(
		    s,
		    "INSERT OR REPLACE INTO pickup_codes (order_id, salt, hash, digits, made_ms)"
		    " VALUES (?,?,?,?,?)",
		    &st);
	if (!err) {
		store_bind_text(st, 1, p->order_id);
		sqlite3_bind_blob(st, 2, p->salt, sizeof(p->salt), SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, p->hash, sizeof(p->hash), SQLITE_STATIC);
		sqlite3_bind_int(st, 4, (int)p->digits);
		sqlite3_bind_int64(st, 5, p->made_ms ? p->made_ms : clock_real_ms(s->clk));
		err = step_done(s, st, "pickup code");
	}
	sqlite3_finalize(st);
	if (!err) {
		snprintf(detail, sizeof(detail), "%s, %u digits",
		         had ? "replaced: the earlier code is void" : "made", p->digits);
		err = store_event(s, p->order_id, "pickup_code", detail);
	}
	if (!err && replaced)
		*replaced = had;
	return store_finish(s, err);
}

enum kerr store_pickup_get(struct store *s, const char *order_id, struct store_pickup *out)
{
	sqlite3_stmt *st;
	enum kerr err;
	int rc;

	memset(out, 0, sizeof(*out));
	err = store_prepare(
	    s, "SELECT salt, hash, digits, made_ms FROM pickup_codes WHERE order_id = ?", &st);
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != STORE_PICKUP_SALT_LEN ||
		    sqlite3_column_bytes(st, 1) != STORE_PICKUP_HASH_LEN) {
			log_err("journal: the pickup code of %s is damaged", order_id);
			err = KERR_CORRUPT;
		} else {
			snprintf(out->order_id, sizeof(out->order_id), "%s", order_id);
			memcpy(out->salt, sqlite3_column_blob(st, 0), STORE_PICKUP_SALT_LEN);
			memcpy(out->hash, sqlite3_column_blob(st, 1), STORE_PICKUP_HASH_LEN);
			out->digits = (unsigned)sqlite3_column_int(st, 2);
			out->made_ms = sqlite3_column_int64(st, 3);
		}
	} else {
		err = rc == SQLITE_DONE ? KERR_NOTFOUND : store_sql_err(s, rc, "pickup code");
	}
	sqlite3_finalize(st);
	return err;
}

static void row_to_lockout(sqlite3_stmt *st, int col, struct lockout *l)
{
	l->failures = (unsigned)sqlite3_column_int(st, col);
	l->level = (unsigned)sqlite3_column_int(st, col + 1);
	l->first_ms = sqlite3_column_int64(st, col + 2);
	l->until_ms = sqlite3_column_int64(st, col + 3);
}

enum kerr store_lockout_get(struct store *s, const char *scope, struct lockout *out)
{
	sqlite3_stmt *st;
	enum kerr err;
	int rc;

	memset(out, 0, sizeof(*out));
	err = store_prepare(
	    s, "SELECT failures, level, first_ms, until_ms FROM lockouts WHERE scope = ?", &st);
	if (err)
		return err;
	store_bind_text(st, 1, scope);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_to_lockout(st, 0, out);
	else if (rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "lockout");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_lockout_put(struct store *s, const char *scope, const struct lockout *l)
{
	sqlite3_stmt *st = NULL;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_prepare(
	    s,
	    "INSERT OR REPLACE INTO lockouts (scope, failures, level, first_ms, until_ms)"
	    " VALUES (?,?,?,?,?)",
	    &st);
	if (!err) {
		store_bind_text(st, 1, scope);
		sqlite3_bind_int(st, 2, (int)l->failures);
		sqlite3_bind_int(st, 3, (int)l->level);
		sqlite3_bind_int64(st, 4, l->first_ms);
		sqlite3_bind_int64(st, 5, l->until_ms);
		err = step_done(s, st, "lockout");
	}
	sqlite3_finalize(st);
	return store_finish(s, err);
}

enum kerr store_lockout_active(struct store *s, int64_t now_ms,
                               void (*fn)(const char *scope, const struct lockout *l, void *arg),
                               void *arg)
{
	sqlite3_stmt *st;
	enum kerr err;
	int rc;

	err = store_prepare(s,
	                    "SELECT scope, failures, level, first_ms, until_ms FROM lockouts"
	                    " WHERE until_ms > ? ORDER BY until_ms",
	                    &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, now_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct lockout l;

		row_to_lockout(st, 1, &l);
		fn((const char *)sqlite3_column_text(st, 0), &l, arg);
	}
	if (rc != SQLITE_DONE)
		err = store_sql_err(s, rc, "lockouts");
	sqlite3_finalize(st);
	return err;
}

enum kerr store_lockout_clear(struct store *s, const char *scope, const char *actor, int64_t now_ms)
{
	struct lockout l;
	char detail[STORE_DETAIL_MAX];
	const char *order = strncmp(scope, "order:", 6) == 0 ? scope + 6 : NULL;
	enum kerr err = store_begin(s);

	if (err)
		return err;
	err = store_lockout_get(s, scope, &l);
	if (!err && !lockout_locked(&l, now_ms, NULL))
		err = KERR_NOTFOUND;
	if (!err) {
		struct lockout zero = {0};

		err = store_lockout_put(s, scope, &zero);
	}
	if (!err) {
		snprintf(detail, sizeof(detail),
		         "%s: cleared by %s (%" PRId64 " s were left, level %u)", scope,
		         actor ? actor : "?", (l.until_ms - now_ms) / 1000, l.level);
		err = store_event(s, order, "lockout_cleared", detail);
	}
	return store_finish(s, err);
}
