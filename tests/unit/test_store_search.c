/*
 * The journal at scale: the integrity check runs after an unclean stop of
 * the daemon only; orders are found by id or a unique suffix and browsed by
 * index, without caps; the per-state counts stay exact.
 */
#include "kiosk/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"

#define MANY 10000

struct fx {
	char *dir;
	char path[512];
	struct clock_fake clk;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_or_fail();
	snprintf(f->path, sizeof(f->path), "%s/journal.db", f->dir);
	clock_fake_init(&f->clk, 1795478400000LL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

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
	o.item_count = 1;
	strcpy(o.items[0].name, "감자 1kg");
	o.items[0].quantity = 1;
	assert_int_equal(asset_parse("1.500 HIVE", &o.items[0].unit_price, NULL), KERR_OK);
	assert_int_equal(asset_parse("1.500 HIVE", &o.price, NULL), KERR_OK);
	o.compartment = 1;
	return o;
}

static struct store *open_as(struct fx *f, bool owner, bool *checked)
{
	struct store *s;

	assert_int_equal(owner ? store_open_owner(f->path, &f->clk.base, &s)
	                       : store_open(f->path, &f->clk.base, &s),
	                 KERR_OK);
	*checked = store_open_checked(s);
	return s;
}

/* A daemon that dies without store_close (as after SIGKILL or a power cut),
 * after kioskctl (a plain open) came and went cleanly while it ran. */
static void daemon_dies(struct fx *f, const char *order_id)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s, *ctl;
		struct order o = sample(order_id);

		if (store_open_owner(f->path, &f->clk.base, &s) || store_order_insert(s, &o) ||
		    store_open(f->path, &f->clk.base, &ctl))
			_exit(1);
		store_close(ctl);
		_exit(0); /* no store_close(s) */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_an_unclean_stop_triggers_the_check_and_a_clean_one_does_not(void **state)
{
	struct fx *f = *state;
	struct order got;
	struct store *s, *ctl;
	bool checked;

	/* A journal no daemon ever opened is checked once. */
	s = open_as(f, true, &checked);
	assert_true(checked);
	store_close(s);
	/* Clean stop: no check. */
	s = open_as(f, true, &checked);
	assert_false(checked);
	/* kioskctl while the daemon runs: no check, and its clean close does not
	 * count as the daemon's. */
	ctl = open_as(f, false, &checked);
	assert_false(checked);
	store_close(ctl);
	store_close(s);
	s = open_as(f, true, &checked);
	assert_false(checked);
	store_close(s);

	/* Unclean stop: kioskctl afterwards neither checks nor clears the mark;
	 * the daemon's next start checks, and what was written is there. */
	daemon_dies(f, "A1");
	ctl = open_as(f, false, &checked);
	assert_false(checked);
	store_close(ctl);
	s = open_as(f, true, &checked);
	assert_true(checked);
	assert_int_equal(store_order_get(s, "A1", &got), KERR_OK);
	store_close(s);
	s = open_as(f, true, &checked);
	assert_false(checked);
	store_close(s);
}

static void test_a_journal_from_before_the_mark_is_checked_and_counted(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct order o;
	unsigned n;
	bool checked;

	assert_int_equal(store_open_at_version(f->path, &f->clk.base, 4, &s), KERR_OK);
	for (int i = 0; i < 5; i++) {
		char id[8];

		snprintf(id, sizeof(id), "V%d", i);
		o = sample(id);
		assert_int_equal(store_order_insert(s, &o), KERR_OK);
	}
	assert_int_equal(store_order_set_state(s, "V0", ORDER_READY, ORDER_CANCELLED, "test"),
	                 KERR_OK);
	store_close(s);
	s = open_as(f, true, &checked);
	assert_true(checked);
	assert_int_equal(store_version(s), STORE_SCHEMA_VERSION);
	/* The migration counted the orders already there. */
	assert_int_equal(store_order_count(s, ORDER_READY, &n), KERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_order_count(s, ORDER_CANCELLED, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_order_count(s, -1, &n), KERR_OK);
	assert_int_equal(n, 5);
	store_close(s);
}

/* MANY orders A00000.. (ready), and a few odd ones. */
static struct store *many(struct fx *f)
{
	struct store *s;
	struct order o;

	assert_int_equal(store_open(f->path, &f->clk.base, &s), KERR_OK);
	assert_int_equal(store_begin(s), KERR_OK);
	for (int i = 0; i < MANY; i++) {
		char id[16];

		snprintf(id, sizeof(id), "A%05d", i);
		o = sample(id);
		assert_int_equal(store_order_insert(s, &o), KERR_OK);
	}
	o = sample("QX7");
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	assert_int_equal(store_commit(s), KERR_OK);
	return s;
}

static void test_an_order_among_many_is_found_by_id_and_by_suffix(void **state)
{
	struct fx *f = *state;
	struct store *s = many(f);
	struct order o;

	assert_int_equal(store_order_find(s, "A01024", &o), KERR_OK);
	assert_string_equal(o.id, "A01024");
	assert_int_equal(o.item_count, 1);
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_order_find(s, "1024", &o), KERR_OK);
	assert_string_equal(o.id, "A01024");
	assert_int_equal(store_order_find(s, "09999", &o), KERR_OK);
	assert_string_equal(o.id, "A09999");
	/* Past any old cap: the last orders by id are found too. */
	assert_int_equal(store_order_find(s, "9998", &o), KERR_OK);
	assert_string_equal(o.id, "A09998");
	assert_int_equal(store_order_find(s, "QX7", &o), KERR_OK);
	/* A closed order is still found by its id, not by its digits. */
	assert_int_equal(store_order_set_state(s, "A01024", ORDER_READY, ORDER_HANDED_OVER, "test"),
	                 KERR_OK);
	assert_int_equal(store_order_find(s, "1024", &o), KERR_NOTFOUND);
	assert_int_equal(store_order_find(s, "A01024", &o), KERR_OK);
	assert_int_equal(o.state, ORDER_HANDED_OVER);
	store_close(s);
}

static void test_empty_short_and_ambiguous_keys_find_nothing(void **state)
{
	struct fx *f = *state;
	struct store *s = many(f);
	struct order o;

	/* An empty key is a suffix of every id: it must not pick one. */
	assert_int_equal(store_order_find(s, "", &o), KERR_NOTFOUND);
	assert_int_equal(store_order_find(s, NULL, &o), KERR_NOTFOUND);
	/* "X7" ends only QX7, but two characters are too few to go by. */
	assert_int_equal(store_order_find(s, "X7", &o), KERR_NOTFOUND);
	assert_int_equal(store_order_find(s, "7", &o), KERR_NOTFOUND);
	/* "024" ends A00024, A01024, ... A09024. */
	assert_int_equal(store_order_find(s, "024", &o), KERR_NOTFOUND);
	assert_int_equal(store_order_find(s, "1024", &o), KERR_OK);
	/* Matching is exact, byte for byte. */
	assert_int_equal(store_order_find(s, "qx7", &o), KERR_NOTFOUND);
	assert_int_equal(store_order_find(s, "A1024X", &o), KERR_NOTFOUND);
	store_close(s);
}

static void test_browsing_steps_through_every_open_order_by_index(void **state)
{
	struct fx *f = *state;
	struct store *s = many(f);
	struct order o;
	char prev[ORDER_ID_MAX + 1] = "", plan[512] = "";
	unsigned n = 0, count;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(store_order_set_state(s, "A00000", ORDER_READY, ORDER_HANDING_OVER, "t"),
	                 KERR_OK);
	assert_int_equal(store_order_set_state(s, "A00001", ORDER_READY, ORDER_CANCELLED, "t"),
	                 KERR_OK);
	assert_int_equal(
	    store_order_set_state(s, "A00002", ORDER_READY, ORDER_AWAITING_PAYMENT, "t"), KERR_OK);
	assert_int_equal(
	    store_order_set_state(s, "A05000", ORDER_READY, ORDER_HANDOVER_FAILED, "t"), KERR_OK);
	assert_int_equal(store_order_set_state(s, "A05001", ORDER_READY, ORDER_PAID, "t"), KERR_OK);
	assert_int_equal(
	    store_order_set_state(s, "A05002", ORDER_READY, ORDER_PAID_CONFIRMING, "t"), KERR_OK);
	assert_int_equal(store_order_set_state(s, "A05003", ORDER_READY, ORDER_UNDERPAID, "t"),
	                 KERR_OK);
	/* The first is the first one waiting for payment: never a paid one, nor
	 * one being handed over, failed (staff's) or final. */
	assert_int_equal(store_order_browse(s, "", 1, &o), KERR_OK);
	assert_string_equal(o.id, "A00002");
	assert_int_equal(store_order_browse(s, "", -1, &o), KERR_OK);
	assert_string_equal(o.id, "QX7");
	assert_int_equal(store_order_browse(s, "QX7", 1, &o), KERR_NOTFOUND);
	assert_int_equal(store_order_browse(s, "A00002", -1, &o), KERR_NOTFOUND);
	assert_int_equal(store_order_browse(s, "A04999", 1, &o), KERR_OK);
	assert_string_equal(o.id, "A05003");
	assert_int_equal(store_order_browse(s, "A05004", -1, &o), KERR_OK);
	assert_string_equal(o.id, "A05003");
	assert_int_equal(store_order_browse(s, "A05003", -1, &o), KERR_OK);
	assert_string_equal(o.id, "A04999");
	/* All of them, in order, each once: no cap. */
	while (store_order_browse(s, prev, 1, &o) == KERR_OK) {
		assert_true(strcmp(o.id, prev) > 0);
		snprintf(prev, sizeof(prev), "%s", o.id);
		n++;
	}
	assert_int_equal(n, MANY + 1 - 5);
	/* The counts kept by triggers agree with the rows. */
	assert_int_equal(store_order_count(s, ORDER_READY, &count), KERR_OK);
	assert_int_equal(count, MANY + 1 - 7);
	assert_int_equal(store_order_count(s, ORDER_HANDOVER_FAILED, &count), KERR_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_order_count(s, ORDER_PAID, &count), KERR_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_order_count(s, -1, &count), KERR_OK);
	assert_int_equal(count, MANY + 1);
	store_close(s);

	/* Each step is a seek in orders_by_state, never a sort of all the orders. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "EXPLAIN QUERY PLAN SELECT id FROM orders WHERE state = 'ready' "
	                       "AND id > 'A' ORDER BY id LIMIT 1",
	                       -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(plan + strlen(plan), sizeof(plan) - strlen(plan), "%s;",
		         (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_non_null(strstr(plan, "orders_by_state"));
	assert_null(strstr(plan, "TEMP B-TREE"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_an_unclean_stop_triggers_the_check_and_a_clean_one_does_not),
	    T(test_a_journal_from_before_the_mark_is_checked_and_counted),
	    T(test_an_order_among_many_is_found_by_id_and_by_suffix),
	    T(test_empty_short_and_ambiguous_keys_find_nothing),
	    T(test_browsing_steps_through_every_open_order_by_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
