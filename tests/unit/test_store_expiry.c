/* Payment requests that ran out: the sweep's query, and the refunds due of
 * an order that expired part paid (store_expiry.c). */
#include "kiosk/store_expiry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "kiosk/order_fsm.h"
#include "testutil.h"

#define T0 1795478400000LL

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
	clock_fake_init(&f->clk, T0);
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

static struct asset hive(const char *s)
{
	struct asset a;

	assert_int_equal(asset_parse(s, &a, NULL), KERR_OK);
	return a;
}

/* An order in `state` with a request memo expiring at expires_ms. */
static void order_with_request(struct store *s, const char *id, enum order_state state,
                               const char *memo, int64_t expires_ms)
{
	struct order o;
	struct store_request r;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.price = hive("7.250 HIVE");
	o.state = state;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	if (!memo)
		return;
	memset(&r, 0, sizeof(r));
	snprintf(r.order_id, sizeof(r.order_id), "%s", id);
	snprintf(r.memo, sizeof(r.memo), "%s", memo);
	r.amount = o.price;
	r.created_ms = T0 - 1000;
	r.expires_ms = expires_ms;
	assert_int_equal(store_request_insert(s, &r), KERR_OK);
}

static void pay(struct store *s, const char *order_id, const char *trx, const char *from,
                const char *amount)
{
	struct store_transfer t;

	memset(&t, 0, sizeof(t));
	snprintf(t.trx_id, sizeof(t.trx_id), "%s", trx);
	t.block = 100;
	snprintf(t.from, sizeof(t.from), "%s", from);
	strcpy(t.to, "coop");
	t.amount = hive(amount);
	t.memo_len = 0;
	assert_int_equal(store_transfer_insert(s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(s, t.rowid, order_id), KERR_OK);
}

static void test_only_open_orders_whose_current_request_expired(void **state)
{
	struct fx *f = *state;
	struct store_expired e[8];
	unsigned n;

	order_with_request(f->s, "A1", ORDER_AWAITING_PAYMENT, "KP-A1", T0 - 5000);
	order_with_request(f->s, "A2", ORDER_AWAITING_PAYMENT, "KP-A2", T0 + 5000); /* not yet */
	order_with_request(f->s, "A3", ORDER_AWAITING_PAYMENT, "KP-A3", T0 - 9000); /* sooner */
	order_with_request(f->s, "B1", ORDER_UNDERPAID, "KP-B1", T0 - 1000);
	order_with_request(f->s, "C1", ORDER_PAID, "KP-C1", T0 - 1000); /* closed */
	order_with_request(f->s, "D1", ORDER_READY, NULL, 0);           /* no request */

	assert_int_equal(store_expired_requests(f->s, ORDER_AWAITING_PAYMENT, T0, e, 8, &n),
	                 KERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].order_id, "A3");
	assert_string_equal(e[0].memo, "KP-A3");
	assert_int_equal(e[0].expires_ms, T0 - 9000);
	assert_string_equal(e[1].order_id, "A1");
	/* At the very millisecond of expiry it counts as expired. */
	assert_int_equal(store_expired_requests(f->s, ORDER_AWAITING_PAYMENT, T0 + 5000, e, 8, &n),
	                 KERR_OK);
	assert_int_equal(n, 3);
	/* Capped at max. */
	assert_int_equal(store_expired_requests(f->s, ORDER_AWAITING_PAYMENT, T0 + 5000, e, 1, &n),
	                 KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].order_id, "A3");
	assert_int_equal(store_expired_requests(f->s, ORDER_UNDERPAID, T0, e, 8, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].order_id, "B1");
	assert_int_equal(store_expired_requests(f->s, ORDER_PAID, T0, e, 8, &n), KERR_OK);
	assert_int_equal(n,
	                 1); /* the sweep never asks for it; the query answers what it is asked */
	assert_int_equal(store_expired_requests(f->s, ORDER_STATE_COUNT, T0, e, 8, &n), KERR_INVAL);
	assert_int_equal(n, 0);
}

static void test_a_newer_request_replaces_the_expired_one(void **state)
{
	struct fx *f = *state;
	struct store_expired e[4];
	struct store_request r;
	unsigned n;

	order_with_request(f->s, "A1", ORDER_AWAITING_PAYMENT, "KP-OLD", T0 - 5000);
	memset(&r, 0, sizeof(r));
	strcpy(r.order_id, "A1");
	strcpy(r.memo, "KP-NEW");
	r.amount = hive("7.250 HIVE");
	r.expires_ms = T0 + 60000;
	assert_int_equal(store_request_insert(f->s, &r), KERR_OK);
	/* The order's memo names its newest request: that one has not run out. */
	assert_int_equal(store_expired_requests(f->s, ORDER_AWAITING_PAYMENT, T0, e, 4, &n),
	                 KERR_OK);
	assert_int_equal(n, 0);
}

static void test_the_sweep_query_reads_by_index(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	sqlite3_stmt *st;
	char plan[1024] = "";
	size_t len = 0;

	(void)f;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "EXPLAIN QUERY PLAN SELECT o.id, o.memo, r.expires_ms FROM orders o"
	                       " JOIN payment_requests r ON r.memo = o.memo"
	                       " WHERE o.state = 'underpaid' AND o.memo <> '' AND r.expires_ms <= 1"
	                       " ORDER BY r.expires_ms, o.id LIMIT 32",
	                       -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && len < sizeof(plan) - 1)
		len += (size_t)snprintf(plan + len, sizeof(plan) - len, "%s; ",
		                        sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* Orders by state, requests by their memo: neither table is scanned. */
	if (!strstr(plan, "orders_by_state") || strstr(plan, "SCAN o") || strstr(plan, "SCAN r") ||
	    strstr(plan, "SCAN orders") || strstr(plan, "SCAN payment_requests"))
		fail_msg("the sweep query scans: %s", plan);
}

struct got {
	unsigned n;
	char order[4][16], payer[4][17];
	int64_t amount[4];
};

static void collect(const struct store_expiry_refund *r, void *arg)
{
	struct got *g = arg;

	if (g->n >= 4)
		return;
	snprintf(g->order[g->n], sizeof(g->order[0]), "%s", r->order_id);
	snprintf(g->payer[g->n], sizeof(g->payer[0]), "%s", r->payer);
	g->amount[g->n++] = r->amount.amount;
}

static void test_expired_underpaid_owes_back_each_payer_what_came_in(void **state)
{
	struct fx *f = *state;
	struct asset owed, price = hive("7.250 HIVE");
	struct order o;
	struct got g = {0};
	enum order_state to;
	unsigned overdue, refunds;

	order_with_request(f->s, "B1", ORDER_UNDERPAID, "KP-B1", T0 - 1000);
	order_with_request(f->s, "B2", ORDER_UNDERPAID, "KP-B2", T0 + 1000);
	pay(f->s, "B1", "aa01", "alice", "2.000 HIVE");
	pay(f->s, "B1", "aa02", "bob", "1.250 HIVE");
	pay(f->s, "B2", "aa03", "carol", "1.000 HIVE");
	assert_int_equal(store_expiry_counts(f->s, T0, &overdue, &refunds), KERR_OK);
	assert_int_equal(overdue, 1);
	assert_int_equal(refunds, 0);

	assert_int_equal(order_fsm_next(ORDER_UNDERPAID, ORDER_EV_EXPIRE, &to), KERR_OK);
	assert_int_equal(to, ORDER_REFUND_DUE);
	assert_int_equal(
	    store_expire_refund(f->s, "B1", ORDER_UNDERPAID, to, "request expired", &price, &owed),
	    KERR_OK);
	assert_int_equal(owed.amount, 3250);
	assert_string_equal(owed.symbol, "HIVE");
	assert_int_equal(store_order_get(f->s, "B1", &o), KERR_OK);
	assert_int_equal(o.state, ORDER_REFUND_DUE);
	assert_int_equal(store_refund_count(f->s, &refunds), KERR_OK);
	assert_int_equal(refunds, 2);
	assert_int_equal(store_expiry_refunds(f->s, collect, &g), KERR_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.order[0], "B1");
	assert_string_equal(g.payer[0], "alice");
	assert_int_equal(g.amount[0], 2000);
	assert_string_equal(g.payer[1], "bob");
	assert_int_equal(g.amount[1], 1250);
	assert_int_equal(store_expiry_counts(f->s, T0, &overdue, &refunds), KERR_OK);
	assert_int_equal(overdue, 0);
	assert_int_equal(refunds, 2);

	/* Twice is refused and owes nothing more. */
	assert_int_equal(
	    store_expire_refund(f->s, "B1", ORDER_UNDERPAID, to, "again", &price, &owed),
	    KERR_STATE);
	assert_int_equal(owed.amount, 0);
	assert_int_equal(store_refund_count(f->s, &refunds), KERR_OK);
	assert_int_equal(refunds, 2);
}

static void test_a_refund_write_failing_leaves_the_order_underpaid(void **state)
{
	struct fx *f = *state;
	struct asset owed, price = hive("7.250 HIVE");
	struct order o;
	unsigned refunds;

	order_with_request(f->s, "B1", ORDER_UNDERPAID, "KP-B1", T0 - 1000);
	pay(f->s, "B1", "aa01", "alice", "2.000 HIVE");
	pay(f->s, "B1", "aa02", "bob", "1.250 HIVE");
	/* The state, its event and the first refund are written; the refund's event fails. */
	store_fail_after(f->s, 4, KERR_IO);
	assert_int_equal(store_expire_refund(f->s, "B1", ORDER_UNDERPAID, ORDER_REFUND_DUE,
	                                     "expired", &price, &owed),
	                 KERR_IO);
	store_fail_after(f->s, 0, KERR_OK);
	assert_int_equal(owed.amount, 0);
	assert_int_equal(store_order_get(f->s, "B1", &o), KERR_OK);
	assert_int_equal(o.state, ORDER_UNDERPAID);
	assert_int_equal(store_refund_count(f->s, &refunds), KERR_OK);
	assert_int_equal(refunds, 0);
	/* The next sweep does it whole. */
	assert_int_equal(store_expire_refund(f->s, "B1", ORDER_UNDERPAID, ORDER_REFUND_DUE,
	                                     "expired", &price, &owed),
	                 KERR_OK);
	assert_int_equal(owed.amount, 3250);
	assert_int_equal(store_refund_count(f->s, &refunds), KERR_OK);
	assert_int_equal(refunds, 2);
}

static void test_what_is_owed_back_already_is_not_owed_twice(void **state)
{
	struct fx *f = *state;
	struct asset owed, price = hive("7.250 HIVE"), part = hive("0.500 HIVE");
	struct store_transfer t;

	order_with_request(f->s, "B1", ORDER_UNDERPAID, "KP-B1", T0 - 1000);
	pay(f->s, "B1", "aa01", "alice", "2.000 HIVE");
	assert_int_equal(store_transfer_of_order(f->s, "B1", &t), KERR_OK);
	assert_int_equal(store_refund_insert(f->s, t.rowid, "alice", &part, "overpaid"), KERR_OK);
	assert_int_equal(store_expire_refund(f->s, "B1", ORDER_UNDERPAID, ORDER_REFUND_DUE,
	                                     "expired", &price, &owed),
	                 KERR_OK);
	assert_int_equal(owed.amount, 1500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_only_open_orders_whose_current_request_expired,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_newer_request_replaces_the_expired_one, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_the_sweep_query_reads_by_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_expired_underpaid_owes_back_each_payer_what_came_in, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_refund_write_failing_leaves_the_order_underpaid,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_what_is_owed_back_already_is_not_owed_twice, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
