#include "bulkjournal.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "kiosk/clock.h"
#include "kiosk/store.h"

static void ok_or_abort(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		fprintf(stderr, "bulk journal: %s: %s\n", what, sqlite3_errmsg(db));
		abort();
	}
}

static void step_reset(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	ok_or_abort(db, sqlite3_step(st), what);
	sqlite3_reset(st);
}

void bulk_orders_or_fail(const char *journal, const char *prefix, int width, unsigned n)
{
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *o, *it, *ev;
	int64_t now = clock_real_ms(clock_system());

	/* The schema (and its migrations) exactly as the firmware makes it. */
	if (store_open(journal, clock_system(), &s))
		abort();
	store_close(s);
	ok_or_abort(NULL, sqlite3_open(journal, &db), "open");
	/* A benchmark's fixture: nothing to lose on a crash while building it. */
	ok_or_abort(db, sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL),
	            "begin");
	ok_or_abort(db,
	            sqlite3_prepare_v2(
	                db,
	                "INSERT INTO orders (id, member, price_amount, price_precision,"
	                " price_symbol, pickup, compartment, state, memo, created_ms, expires_ms)"
	                " VALUES (?1,'alice',?2,3,'HIVE','locker',?3,'ready','',?4,0)",
	                -1, &o, NULL),
	            "prepare order");
	ok_or_abort(db,
	            sqlite3_prepare_v2(
	                db,
	                "INSERT INTO order_items (order_id, pos, name, quantity, unit_amount,"
	                " unit_precision, unit_symbol) VALUES (?1,?2,?3,?4,?5,3,'HIVE')",
	                -1, &it, NULL),
	            "prepare item");
	ok_or_abort(db,
	            sqlite3_prepare_v2(db,
	                               "INSERT INTO events (at_ms, order_id, kind, detail)"
	                               " VALUES (?2,?1,'order_imported','ready')",
	                               -1, &ev, NULL),
	            "prepare event");
	for (unsigned i = 0; i < n; i++) {
		char id[64];
		int w = width > 0 && width < 16 ? width : 7;

		snprintf(id, sizeof(id), "%.32s%0*u", prefix, w, i);
		sqlite3_bind_text(o, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(o, 2, 7250 + i % 100);
		sqlite3_bind_int(o, 3, (int)(1 + i % 8));
		sqlite3_bind_int64(o, 4, now);
		step_reset(db, o, "order");
		sqlite3_bind_text(it, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(it, 2, 0);
		sqlite3_bind_text(it, 3, "감자 1kg", -1, SQLITE_STATIC);
		sqlite3_bind_int(it, 4, 2);
		sqlite3_bind_int64(it, 5, 1500);
		step_reset(db, it, "item 0");
		sqlite3_bind_int(it, 2, 1);
		sqlite3_bind_text(it, 3, "달걀 10구", -1, SQLITE_STATIC);
		sqlite3_bind_int(it, 4, 1);
		sqlite3_bind_int64(it, 5, 4250 + i % 100);
		step_reset(db, it, "item 1");
		sqlite3_bind_text(ev, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ev, 2, now);
		step_reset(db, ev, "event");
	}
	sqlite3_finalize(o);
	sqlite3_finalize(it);
	sqlite3_finalize(ev);
	ok_or_abort(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	sqlite3_close(db);
}
