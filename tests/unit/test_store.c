/* The journal: durability rules, migrations, refusals, and the rules the
 * kiosk's money and handovers depend on. */
#include "kiosk/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"

struct fx {
	char *dir;
	char path[512];
	struct clock_fake clk;
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_or_fail();
	snprintf(f->path, sizeof(f->path), "%s/journal.db", f->dir);
	clock_fake_init(&f->clk, 1795478400000LL);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static struct order sample(const char *id)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.item_count = 2;
	strcpy(o.items[0].name, "감자 1kg");
	o.items[0].quantity = 2;
	assert_int_equal(asset_parse("1.500 HIVE", &o.items[0].unit_price, NULL), KERR_OK);
	strcpy(o.items[1].name, "달걀");
	o.items[1].quantity = 1;
	assert_int_equal(asset_parse("4.250 HIVE", &o.items[1].unit_price, NULL), KERR_OK);
	assert_int_equal(asset_parse("7.250 HIVE", &o.price, NULL), KERR_OK);
	o.pickup = ORDER_PICKUP_LOCKER;
	o.compartment = 3;
	o.state = ORDER_READY;
	return o;
}

static struct store_transfer transfer(const char *trx, uint32_t op, const char *amount)
{
	struct store_transfer t;

	memset(&t, 0, sizeof(t));
	snprintf(t.trx_id, sizeof(t.trx_id), "%s", trx);
	t.op_index = op;
	t.block = 100;
	strcpy(t.from, "alice");
	strcpy(t.to, "coop");
	assert_int_equal(asset_parse(amount, &t.amount, NULL), KERR_OK);
	memcpy(t.memo, "KP-1\0x", 6);
	t.memo_len = 6;
	return t;
}

static void test_orders_survive_a_reopen_exactly(void **state)
{
	struct fx *f = *state;
	struct order o = sample("A1024"), got;

	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	assert_int_equal(store_order_insert(f->s, &o), KERR_EXISTS);
	store_close(f->s);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
	assert_int_equal(store_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_order_get(f->s, "A1024", &got), KERR_OK);
	assert_string_equal(got.member, "alice");
	assert_int_equal(got.item_count, 2);
	assert_string_equal(got.items[0].name, "감자 1kg");
	assert_int_equal(got.items[1].unit_price.amount, 4250);
	assert_int_equal(got.price.amount, 7250);
	assert_string_equal(got.price.symbol, "HIVE");
	assert_int_equal(got.compartment, 3);
	assert_int_equal(got.created_at_ms, 1795478400000LL);
	assert_int_equal(store_order_get(f->s, "nope", &got), KERR_NOTFOUND);
}

static void test_journal_is_wal_with_full_sync(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_state_changes_need_the_expected_state_and_leave_an_event(void **state)
{
	struct fx *f = *state;
	struct order o = sample("A1"), got;
	int64_t last;

	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	clock_fake_advance(&f->clk, 5 * NS_PER_S);
	assert_int_equal(
	    store_order_set_state(f->s, "A1", ORDER_READY, ORDER_AWAITING_PAYMENT, "shown"),
	    KERR_OK);
	assert_int_equal(store_last_event_ms(f->s, &last), KERR_OK);
	assert_int_equal(last, 1795478405000LL);
	/* Stale from-state: refused, nothing written. */
	clock_fake_advance(&f->clk, 5 * NS_PER_S);
	assert_int_equal(store_order_set_state(f->s, "A1", ORDER_READY, ORDER_CANCELLED, "x"),
	                 KERR_STATE);
	assert_int_equal(store_last_event_ms(f->s, &last), KERR_OK);
	assert_int_equal(last, 1795478405000LL);
	assert_int_equal(store_order_get(f->s, "A1", &got), KERR_OK);
	assert_int_equal(got.state, ORDER_AWAITING_PAYMENT);
}

static void test_a_transfer_counts_once_and_pays_one_order(void **state)
{
	struct fx *f = *state;
	struct order a = sample("A1"), b = sample("B1");
	struct store_transfer t = transfer("aa11", 0, "7.250 HIVE"), again = t;
	struct asset sum;
	bool seen;

	assert_int_equal(store_order_insert(f->s, &a), KERR_OK);
	assert_int_equal(store_order_insert(f->s, &b), KERR_OK);
	assert_int_equal(store_transfer_insert(f->s, &t), KERR_OK);
	assert_true(t.rowid > 0);
	assert_int_equal(store_transfer_insert(f->s, &again), KERR_EXISTS);
	assert_int_equal(store_transfer_seen(f->s, "aa11", 0, &seen), KERR_OK);
	assert_true(seen);
	assert_int_equal(store_transfer_seen(f->s, "aa11", 1, &seen), KERR_OK);
	assert_false(seen);
	assert_int_equal(store_transfer_match(f->s, t.rowid, "A1"), KERR_OK);
	assert_int_equal(store_transfer_match(f->s, t.rowid, "B1"), KERR_STATE);
	assert_int_equal(store_transfer_sum(f->s, "A1", &a.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, 7250);
	assert_int_equal(store_transfer_sum(f->s, "B1", &b.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, 0);
}

static void test_memos_are_unique_for_ever(void **state)
{
	struct fx *f = *state;
	struct order a = sample("A1"), b = sample("B1");
	struct store_request r = {.order_id = "A1", .memo = "KP-7QK3M2XD", .expires_ms = 1}, got;

	assert_int_equal(store_order_insert(f->s, &a), KERR_OK);
	assert_int_equal(store_order_insert(f->s, &b), KERR_OK);
	r.amount = a.price;
	assert_int_equal(store_request_insert(f->s, &r), KERR_OK);
	strcpy(r.order_id, "B1");
	assert_int_equal(store_request_insert(f->s, &r), KERR_EXISTS);
	assert_int_equal(store_request_find(f->s, "KP-7QK3M2XD", &got), KERR_OK);
	assert_string_equal(got.order_id, "A1");
	assert_int_equal(store_request_of_order(f->s, "B1", &got), KERR_NOTFOUND);
}

static void test_event_log_refuses_update_and_delete(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(store_event(f->s, NULL, "boot", "test"), KERR_OK);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET detail = 'x'", NULL, NULL, &msg),
	                     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_the_newest_event_of_a_kind_is_found_by_index(void **state)
{
	struct fx *f = *state;
	int64_t id = -1, at = -1, first = 0;
	char detail[16], plan[256] = "";
	sqlite3_stmt *st;
	sqlite3 *db;

	assert_int_equal(store_last_event_of(f->s, "staff_enrol", &id, &at, detail, sizeof(detail)),
	                 KERR_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(store_event(f->s, NULL, "staff_enrol", "minji"), KERR_OK);
	assert_int_equal(
	    store_last_event_of(f->s, "staff_enrol", &first, &at, detail, sizeof(detail)), KERR_OK);
	assert_int_equal(store_event(f->s, NULL, "boot", "x"), KERR_OK);
	assert_int_equal(store_event(f->s, NULL, "staff_enrol", "jisoo-with-a-long-name"), KERR_OK);
	assert_int_equal(store_event(f->s, NULL, "boot", "y"), KERR_OK);
	assert_int_equal(store_last_event_of(f->s, "staff_enrol", &id, &at, detail, sizeof(detail)),
	                 KERR_OK);
	assert_true(id > first + 1);
	assert_true(at > 0);
	assert_string_equal(detail, "jisoo-with-a-lo"); /* cut to the caller's buffer */
	/* The lookup reads the index, not the whole log. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "EXPLAIN QUERY PLAN SELECT at_ms, detail, id FROM events "
	                       "WHERE kind = 'x' ORDER BY id DESC LIMIT 1",
	                       -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(plan + strlen(plan), sizeof(plan) - strlen(plan), "%s;",
		         (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_non_null(strstr(plan, "events_by_kind"));
	assert_null(strstr(plan, "TEMP B-TREE"));
}

static void test_a_failed_write_leaves_nothing_half_written(void **state)
{
	struct fx *f = *state;
	struct order o = sample("A1"), got;
	unsigned n;

	/* The order row goes in, then its second item fails: nothing may stay. */
	store_fail_after(f->s, 3, KERR_IO);
	assert_int_equal(store_order_insert(f->s, &o), KERR_IO);
	assert_int_equal(store_order_get(f->s, "A1", &got), KERR_NOTFOUND);
	assert_int_equal(store_order_count(f->s, -1, &n), KERR_OK);
	assert_int_equal(n, 0);
	/* Grouped by the caller: a failure inside undoes the whole group. */
	assert_int_equal(store_begin(f->s), KERR_OK);
	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	o = sample("B1");
	store_fail_after(f->s, 1, KERR_IO);
	assert_int_equal(store_order_insert(f->s, &o), KERR_IO);
	assert_int_equal(store_commit(f->s), KERR_STATE);
	assert_int_equal(store_order_count(f->s, -1, &n), KERR_OK);
	assert_int_equal(n, 0);
	/* And once clear, writes work again. */
	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
}

static void test_an_intent_without_outcome_is_pending_after_a_crash(void **state)
{
	struct fx *f = *state;
	struct order o = sample("A1");
	struct store_handover h[4];
	int64_t id, id2;
	unsigned n;

	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	assert_int_equal(store_handover_intent(f->s, "A1", HANDOVER_LOCKER, 3, &id), KERR_OK);
	assert_int_equal(store_handover_intent(f->s, "A1", HANDOVER_RECEIPT, 0, &id2), KERR_OK);
	assert_int_equal(store_handover_outcome(f->s, id2, HANDOVER_OK, "printed"), KERR_OK);
	assert_int_equal(store_handover_outcome(f->s, id2, HANDOVER_OK, "twice"), KERR_STATE);
	/* "Power cut": close without an outcome for the first. */
	store_close(f->s);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
	assert_int_equal(store_handover_pending(f->s, h, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].id, id);
	assert_int_equal(h[0].kind, HANDOVER_LOCKER);
	assert_int_equal(h[0].compartment, 3);
}

static void test_cursor_confirmations_and_refunds(void **state)
{
	struct fx *f = *state;
	struct store_cursor c;
	struct order o = sample("A1");
	struct store_confirmation conf = {
	    .order_id = "A1", .staff = "minji", .method = PAY_CHAIN_PENDING};
	struct store_confirmation list[4];
	struct store_transfer t = transfer("bb22", 1, "1.000 HBD");
	struct asset due;
	unsigned n;

	assert_int_equal(store_cursor_get(f->s, "hive", "coop", &c), KERR_OK);
	assert_int_equal(c.history_index, -1);
	c.history_index = 42;
	c.block = 9000;
	c.block_time_ms = 123;
	assert_int_equal(store_cursor_set(f->s, "hive", "coop", &c), KERR_OK);
	c.block = 9001;
	assert_int_equal(store_cursor_set(f->s, "hive", "coop", &c), KERR_OK);
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_cursor_get(f->s, "hive", "coop", &c), KERR_OK);
	assert_int_equal(c.history_index, 42);
	assert_int_equal(c.block, 9001);

	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	assert_int_equal(store_confirmation_insert(f->s, &conf), KERR_OK);
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_PENDING, list, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].staff, "minji");
	assert_int_equal(asset_parse("2.250 HIVE", &due, NULL), KERR_OK);
	assert_int_equal(store_confirmation_settle(f->s, conf.id, RECONCILE_UNDERPAID, &due),
	                 KERR_OK);
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_UNDERPAID, list, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].due.amount, 2250);
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_PENDING, list, 4, &n), KERR_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_transfer_insert(f->s, &t), KERR_OK);
	assert_int_equal(store_refund_insert(f->s, t.rowid, "alice", &t.amount, "wrong asset"),
	                 KERR_OK);
	assert_int_equal(store_refund_count(f->s, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_staff_attempt(f->s, "minji", false, "wrong code"), KERR_OK);
}

/* The stored text of one column of one row (the journal as an old firmware reads it). */
static void column_is(const char *path, const char *sql, const char *want)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_methods_settlements_and_handovers_are_journaled_by_name(void **state)
{
	struct fx *f = *state;
	struct order o = sample("A1");
	struct store_confirmation conf = {.order_id = "A1", .staff = "minji", .method = PAY_CASH};
	struct store_confirmation list[4];
	struct store_handover h[4];
	struct asset none = {.precision = 3, .symbol = "HIVE"};
	int64_t id;
	unsigned n;

	assert_int_equal(store_order_insert(f->s, &o), KERR_OK);
	assert_int_equal(store_confirmation_insert(f->s, &conf), KERR_OK);
	assert_int_equal(conf.settlement, RECONCILE_PENDING);
	assert_int_equal(store_confirmation_settle(f->s, conf.id, RECONCILE_SETTLED, &none),
	                 KERR_OK);
	assert_int_equal(store_handover_intent(f->s, "A1", HANDOVER_RECEIPT, 0, &id), KERR_OK);
	assert_int_equal(store_handover_outcome(f->s, id, HANDOVER_FAILED, "paper out"), KERR_OK);
	assert_int_equal(store_handover_intent(f->s, "A1", HANDOVER_LOCKER, 2, &id), KERR_OK);

	/* The TEXT columns hold the same names as before the API was typed. */
	column_is(f->path, "SELECT method FROM staff_confirmations", "cash");
	column_is(f->path, "SELECT settlement FROM staff_confirmations", "settled");
	column_is(f->path, "SELECT kind FROM handovers WHERE outcome IS NOT NULL", "receipt");
	column_is(f->path, "SELECT outcome FROM handovers WHERE outcome IS NOT NULL", "failed");
	column_is(f->path, "SELECT kind FROM handovers WHERE outcome IS NULL", "locker");
	column_is(f->path, "SELECT detail FROM events WHERE kind = 'staff_confirm'", "cash");
	column_is(f->path, "SELECT detail FROM events WHERE kind = 'reconcile'", "settled");
	column_is(f->path, "SELECT detail FROM events WHERE kind = 'handover_outcome'", "failed");

	/* Rows written by name (an old firmware's) read back as the enums. */
	raw_exec(f->path, "INSERT INTO staff_confirmations (order_id, staff, method, reason, at_ms,"
	                  " settlement) VALUES ('A1', 'jun', 'waived', 'gift', 1, 'unpaid')");
	assert_int_equal(store_confirmation_list(f->s, -1, list, 4, &n), KERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].method, PAY_CASH);
	assert_int_equal(list[0].settlement, RECONCILE_SETTLED);
	assert_int_equal(list[1].method, PAY_WAIVED);
	assert_int_equal(list[1].settlement, RECONCILE_UNPAID);
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_UNPAID, list, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].staff, "jun");
	assert_int_equal(store_handover_pending(f->s, h, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].kind, HANDOVER_LOCKER);
	assert_int_equal(h[0].compartment, 2);

	/* Values out of range are refused, nothing written. */
	conf.method = PAY_METHOD_COUNT;
	assert_int_equal(store_confirmation_insert(f->s, &conf), KERR_INVAL);
	assert_int_equal(store_confirmation_settle(f->s, conf.id, (enum reconcile_state)7, &none),
	                 KERR_INVAL);
	assert_int_equal(store_confirmation_list(f->s, 7, list, 4, &n), KERR_INVAL);
	assert_int_equal(n, 0);
	assert_int_equal(store_handover_intent(f->s, "A1", (enum handover_kind)5, 1, &id),
	                 KERR_INVAL);
	assert_int_equal(id, 0);
	assert_int_equal(store_handover_outcome(f->s, h[0].id, (enum handover_outcome)5, ""),
	                 KERR_INVAL);
	assert_int_equal(store_confirmation_list(f->s, -1, list, 4, &n), KERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_handover_pending(f->s, h, 4, &n), KERR_OK);
	assert_int_equal(n, 1);

	/* A name this firmware does not know is damage, never a guess. */
	raw_exec(f->path, "UPDATE staff_confirmations SET method = 'card' WHERE staff = 'jun'");
	assert_int_equal(store_confirmation_list(f->s, -1, list, 4, &n), KERR_CORRUPT);
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_UNPAID, list, 4, &n),
	                 KERR_CORRUPT);
	raw_exec(f->path, "UPDATE staff_confirmations SET method = 'bank', settlement = 'paid'"
	                  " WHERE staff = 'jun'");
	assert_int_equal(store_confirmation_list(f->s, -1, list, 4, &n), KERR_CORRUPT);
	raw_exec(f->path,
	         "UPDATE staff_confirmations SET settlement = 'Settled' WHERE staff = 'jun'");
	assert_int_equal(store_confirmation_list(f->s, -1, list, 4, &n), KERR_CORRUPT);
	/* The filter asks by name: the unknown row is not among the pending ones. */
	assert_int_equal(store_confirmation_list(f->s, RECONCILE_PENDING, list, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
	raw_exec(f->path, "INSERT INTO handovers (order_id, kind, compartment, intent_ms)"
	                  " VALUES ('A1', 'drone', 0, 1)");
	assert_int_equal(store_handover_pending(f->s, h, 4, &n), KERR_CORRUPT);
}

static void test_an_old_schema_is_migrated_with_its_data(void **state)
{
	struct fx *f = *state;
	char old[600];
	struct store *s;
	struct order o = sample("OLD1"), got;
	unsigned n;

	snprintf(old, sizeof(old), "%s/old.db", f->dir);
	assert_int_equal(store_open_at_version(old, &f->clk.base, 1, &s), KERR_OK);
	assert_int_equal(store_version(s), 1);
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	/* v1 has no refunds table yet. */
	assert_int_not_equal(store_refund_count(s, &n), KERR_OK);
	store_close(s);
	assert_int_equal(store_open(old, &f->clk.base, &s), KERR_OK);
	assert_int_equal(store_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_order_get(s, "OLD1", &got), KERR_OK);
	assert_int_equal(got.price.amount, 7250);
	assert_int_equal(store_refund_count(s, &n), KERR_OK);
	assert_int_equal(n, 0);
	store_close(s);
}

static char *slurp(const char *path, size_t *len)
{
	return read_file_or_fail(path, len);
}

static void test_newer_and_damaged_journals_are_refused_untouched(void **state)
{
	struct fx *f = *state;
	char p[600];
	struct store *s;
	sqlite3 *db;
	size_t n1, n2;
	char *before, *after;
	static const char header[] = "SQLite format 3";
	int fd;

	/* Newer schema. */
	snprintf(p, sizeof(p), "%s/newer.db", f->dir);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 99;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	before = slurp(p, &n1);
	assert_int_equal(store_open(p, &f->clk.base, &s), KERR_VERSION);
	assert_null(s);
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);

	/* A text file. */
	free(write_file_or_fail(f->dir, "text.db", "this is not a journal\n"));
	snprintf(p, sizeof(p), "%s/text.db", f->dir);
	assert_int_equal(store_open(p, &f->clk.base, &s), KERR_CORRUPT);
	after = slurp(p, &n2);
	assert_string_equal(after, "this is not a journal\n");
	free(after);

	/* A SQLite header followed by garbage. */
	snprintf(p, sizeof(p), "%s/garbage.db", f->dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, header, sizeof(header)), (ssize_t)sizeof(header));
	for (int i = 0; i < 4096; i++) {
		unsigned char b = (unsigned char)(i * 37 + 11);

		assert_int_equal(write(fd, &b, 1), 1);
	}
	close(fd);
	before = slurp(p, &n1);
	assert_int_equal(store_open(p, &f->clk.base, &s), KERR_CORRUPT);
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);

	/* A real journal cut short (a torn copy). */
	store_close(f->s);
	f->s = NULL;
	before = slurp(f->path, &n1);
	snprintf(p, sizeof(p), "%s/torn.db", f->dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, before, n1 / 2 + 100), (ssize_t)(n1 / 2 + 100));
	close(fd);
	free(before);
	assert_int_equal(store_open(p, &f->clk.base, &s), KERR_CORRUPT);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_orders_survive_a_reopen_exactly),
	    T(test_journal_is_wal_with_full_sync),
	    T(test_state_changes_need_the_expected_state_and_leave_an_event),
	    T(test_a_transfer_counts_once_and_pays_one_order),
	    T(test_memos_are_unique_for_ever),
	    T(test_event_log_refuses_update_and_delete),
	    T(test_the_newest_event_of_a_kind_is_found_by_index),
	    T(test_a_failed_write_leaves_nothing_half_written),
	    T(test_an_intent_without_outcome_is_pending_after_a_crash),
	    T(test_cursor_confirmations_and_refunds),
	    T(test_methods_settlements_and_handovers_are_journaled_by_name),
	    T(test_an_old_schema_is_migrated_with_its_data),
	    T(test_newer_and_damaged_journals_are_refused_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
