/*
 * The witnesses' block-signing keys the kiosk keeps: learned once from a
 * quorum of nodes, so that nodes that later all lie at once cannot make up a
 * block signed by another key and have it believed.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/clock.h"
#include "store_priv.h"

enum kerr store_witness_key_get(struct store *s, const char *chain, const char *witness, char *key,
                                size_t cap)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, "SELECT key FROM witness_keys WHERE chain = ? AND witness = ?", &st);

	if (cap)
		key[0] = '\0';
	if (err)
		return err;
	store_bind_text(st, 1, chain);
	store_bind_text(st, 2, witness);
	err = KERR_NOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		err = KERR_OK;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_witness_key_set(struct store *s, const char *chain, const char *witness,
                                const char *key, const char *how)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(
	    s,
	    "INSERT INTO witness_keys (chain, witness, key, at_ms, how) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (chain, witness) DO UPDATE SET key = excluded.key,"
	    " at_ms = excluded.at_ms, how = excluded.how",
	    &st);
	int rc;

	if (err)
		return err;
	store_bind_text(st, 1, chain);
	store_bind_text(st, 2, witness);
	store_bind_text(st, 3, key);
	sqlite3_bind_int64(st, 4, clock_real_ms(s->clk));
	store_bind_text(st, 5, how);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, "saving a witness key");
}
