/*
 * Handovers in the journal: the intent row before the act, the outcome
 * after, and the intents a crash left without an outcome.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "store_priv.h"

enum kerr store_handover_intent(struct store *s, const char *order_id, enum handover_kind kind,
                                unsigned compartment, int64_t *id)
{
	const char *name = handover_kind_name(kind);
	sqlite3_stmt *st;
	enum kerr err;

	*id = 0;
	err = store_begin_named(
	    s, name,
	    "INSERT INTO handovers (order_id, kind, compartment, intent_ms) VALUES (?,?,?,?)", &st);
	if (err)
		return err;
	store_bind_text(st, 1, order_id);
	store_bind_text(st, 2, name);
	sqlite3_bind_int(st, 3, (int)compartment);
	sqlite3_bind_int64(st, 4, store_now_ms(s));
	err = store_write1(s, st, "handover intent");
	if (!err) {
		*id = sqlite3_last_insert_rowid(s->db);
		err = store_event_in_tx(s, order_id, "handover_intent", name);
	}
	if (err)
		*id = 0;
	return store_finish(s, err);
}

enum kerr store_handover_outcome(struct store *s, int64_t id, enum handover_outcome outcome,
                                 const char *detail)
{
	const char *name = handover_outcome_name(outcome);
	sqlite3_stmt *st;
	enum kerr err;

	err = store_begin_named(s, name,
	                        "UPDATE handovers SET outcome = ?, outcome_ms = ?, detail = ?"
	                        " WHERE id = ? AND outcome IS NULL",
	                        &st);
	if (err)
		return err;
	store_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, store_now_ms(s));
	store_bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, id);
	err = store_write1(s, st, "handover outcome");
	if (!err && sqlite3_changes(s->db) != 1)
		err = KERR_STATE;
	if (!err)
		err = store_event_in_tx(s, NULL, "handover_outcome", name);
	return store_finish(s, err);
}

enum kerr store_handover_pending(struct store *s, struct store_handover *out, unsigned max,
                                 unsigned *n)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s,
	                  "SELECT id, order_id, kind, compartment, intent_ms FROM handovers"
	                  " WHERE outcome IS NULL ORDER BY id",
	                  &st);

	*n = 0;
	if (err)
		return err;
	while (!err && *n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct store_handover *h = &out[*n];
		char kind[16];

		memset(h, 0, sizeof(*h));
		h->id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, h->order_id, sizeof(h->order_id));
		store_col_text(st, 2, kind, sizeof(kind));
		h->compartment = (unsigned)sqlite3_column_int(st, 3);
		h->intent_ms = sqlite3_column_int64(st, 4);
		if (handover_kind_parse(kind, &h->kind)) {
			log_err("journal %s: handover %lld has unknown kind '%s'", s->path,
			        (long long)h->id, kind);
			err = KERR_CORRUPT;
			break;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}
