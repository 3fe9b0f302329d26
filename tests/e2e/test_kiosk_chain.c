/*
 * The member pays on chain: the real daemon against the local chain
 * simulator over TLS, two nodes (with one, every payment waits for staff:
 * docs/watcher.md). The payment is found in the account history, proven
 * against the payer's key, matched by its memo, and the compartment opens.
 * A node that lies about the amount opens nothing. Offline, staff confirm
 * orders; back online, the chain settles or flags each of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/pickup.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "kiosk/store_report.h"
#include "kiosk/uri.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	struct chainfx c;
	char *input;
	unsigned down_ms; /* the node goes down this long as the member pays */
};

static void write_site(struct fx *f, unsigned reconcile_after_s)
{
	char staff[64];

	snprintf(staff, sizeof(staff), "reconcile_after_s = %u\n", reconcile_after_s);
	chainfx_write_site(&f->c, NULL, NULL, "confirm = head\nhead_max = 100.000 HIVE\n", staff);
}

static void insert_order(struct store *s, const char *id, unsigned compartment)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.compartment = compartment;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 300, .nodes = 2};
	struct store *s;

	if (chainfx_start(&f->c, &cfg))
		return -1;
	/* A chain with an irreversible block: the history (irreversible blocks only, as on real
	 * nodes) then has a block to be complete up to, which a kiosk that "knew the chain before"
	 * saves. */
	chainsim_wait_blocks(f->c.sim, CHAINSIM_LIB_LAG_HIVE + 1);
	chainfx_write_board(
	    &f->c, NULL,
	    "pulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\ndoor = GPIO19\n"
	    "[locker.4]\nlock = GPIO13\ndoor = GPIO26\n[locker.5]\nlock = GPIO16\ndoor = GPIO20\n");
	write_site(f, 2);
	f->input = write_file_or_fail(f->c.dir, "input.txt", "1024\n");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	insert_order(s, "A1024", 3);
	insert_order(s, "B2048", 4);
	insert_order(s, "C4096", 5);
	store_close(s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	chainfx_stop(&f->c);
	free(f->input);
	free(f);
	return 0;
}

/* Staff member who's code now (clear of a step boundary); each member's
 * code is accepted once per step, so back-to-back runs use different members. */
static void staff_code_of(struct fx *f, unsigned who, char code[7])
{
	struct staff_db db;
	struct rng_fake rng;
	char path[600];
	uint32_t c;
	int64_t now = (int64_t)time(NULL);

	snprintf(path, sizeof(path), "%s/s", f->c.dir);
	assert_int_equal(staff_db_load(path, &db), KERR_OK);
	if (db.count == 0) {
		rng_fake_init(&rng, 11);
		assert_int_equal(staff_db_add(&db, "minji", &rng.base), KERR_OK);
		assert_int_equal(staff_db_add(&db, "jisoo", &rng.base), KERR_OK);
		assert_int_equal(staff_db_add(&db, "hana", &rng.base), KERR_OK);
		assert_int_equal(staff_db_save(&db), KERR_OK);
	}
	if (now % 30 > 25) {
		struct timespec ts = {.tv_sec = 31 - now % 30};

		nanosleep(&ts, NULL);
		now = (int64_t)time(NULL);
	}
	assert_int_equal(totp_code_at_step(staff_hmac(), TOTP_SHA1, db.m[who].secret,
	                                   db.m[who].secret_len, (uint64_t)now / 30, 6, &c),
	                 KERR_OK);
	snprintf(code, 7, "%06u", c);
}

static void staff_code(struct fx *f, char code[7])
{
	staff_code_of(f, 0, code);
}

/* Runs the daemon for secs with this input and no payment. */
static void run_only(struct fx *f, const char *input, int secs)
{
	char path[512], cmd[2048];
	char *in = write_file_or_fail(f->c.dir, "in2.txt", input);

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd), "%s%s --board %s --site %s --run-for %d < %s > %s/out2.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs), in,
	         f->c.dir);
	assert_int_equal(system(cmd), 0);
	free(in);
}

/* Runs the daemon for secs; while it runs, pays the order's request with
 * each amount in turn, a couple of blocks apart. */
static void run_and_pay_all(struct fx *f, const char *const *amounts, size_t n_amounts, int secs)
{
	char path[512], cmd[2048], sink[4096];
	struct store_request r;
	FILE *p;

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd),
	         "%s%s --board %s --site %s --run-for %d --log-level debug < %s > %s/out.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs),
	         f->input, f->c.dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	/* Wait for the payment request (the code is made by the kiosk). */
	for (int i = 0; i < 200; i++) {
		struct store *s;
		struct timespec ts = {0, 50000000};
		bool found = false;

		if (store_open(f->c.journal, clock_system(), &s) == KERR_OK) {
			found = store_request_of_order(s, "A1024", &r) == KERR_OK;
			store_close(s);
		}
		if (found)
			break;
		nanosleep(&ts, NULL);
	}
	assert_int_equal(strncmp(r.memo, "KP-", 3), 0);
	if (f->down_ms)
		chainsim_fault(f->c.sim, CHAINSIM_DOWN, true);
	for (size_t i = 0; i < n_amounts; i++) {
		unsigned head = chainsim_head(f->c.sim);
		struct timespec ts = {0, 20000000};

		assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amounts[i], r.memo),
		                 KERR_OK);
		while (i + 1 < n_amounts && chainsim_head(f->c.sim) < head + 3)
			nanosleep(&ts, NULL);
	}
	if (f->down_ms) {
		struct timespec down = {f->down_ms / 1000, (long)(f->down_ms % 1000) * 1000000L};

		nanosleep(&down, NULL);
		chainsim_fault(f->c.sim, CHAINSIM_DOWN, false);
	}
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
}

static void run_and_pay(struct fx *f, const char *amount, int secs)
{
	run_and_pay_all(f, &amount, 1, secs);
}

struct refunds {
	unsigned n;
	struct asset amount;
	char who[32], detail[64];
};

static void collect_refunds(const struct store_report_row *r, void *arg)
{
	struct refunds *x = arg;

	if (strcmp(r->kind, "refund_due") != 0)
		return;
	x->n++;
	x->amount = r->amount;
	snprintf(x->who, sizeof(x->who), "%s", r->who);
	snprintf(x->detail, sizeof(x->detail), "%s", r->detail);
}

/* The order's state, what was received for it and the refunds due, after a run. */
static void outcome(struct fx *f, const char *want_state, int64_t want_received, struct refunds *x)
{
	struct store *s;
	struct order o;
	struct asset sum;
	int64_t now = (int64_t)time(NULL) * 1000;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), want_state);
	assert_int_equal(store_transfer_sum(s, "A1024", &o.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, want_received);
	memset(x, 0, sizeof(*x));
	assert_int_equal(store_report(s, now - 3600000, now + 3600000, collect_refunds, x),
	                 KERR_OK);
	store_close(s);
}

static void test_underpaid_then_topped_up_opens(void **state)
{
	struct fx *f = *state;
	const char *const amounts[] = {"5.000 HIVE", "2.250 HIVE"};
	struct refunds x;

	run_and_pay_all(f, amounts, 2, 8);
	/* Two transfers with one memo add up to the price: nothing owed back. */
	outcome(f, "handed_over", 7250, &x);
	assert_int_equal(x.n, 0);
}

static void test_underpaid_and_left_shows_what_is_due(void **state)
{
	struct fx *f = *state;
	struct store_request r;
	struct refunds x;
	struct store *st;
	char cmd[700], uri[1024] = "", *json = NULL;
	FILE *z;

	run_and_pay(f, "5.000 HIVE", 5);
	outcome(f, "underpaid", 5000, &x);
	assert_int_equal(x.n, 0);
	/* The screen the member left: a QR for just what is due, same code. */
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/frames/latest.png 2>/dev/null", f->c.dir);
	z = popen(cmd, "r");
	assert_non_null(z);
	if (!fgets(uri, sizeof(uri), z))
		uri[0] = '\0';
	pclose(z);
	uri[strcspn(uri, "\n")] = '\0';
	assert_int_equal(uri_decode(uri, &json), KERR_OK);
	assert_int_equal(store_open(f->c.journal, clock_system(), &st), KERR_OK);
	assert_int_equal(store_request_of_order(st, "A1024", &r), KERR_OK);
	store_close(st);
	if (!strstr(json, "2.250 HIVE") || !strstr(json, r.memo))
		fail_msg("the underpaid screen's QR holds %s, not 2.250 HIVE with %s", json,
		         r.memo);
	free(json);
}

static void test_an_overpayment_opens_and_the_excess_is_owed_back(void **state)
{
	struct fx *f = *state;
	struct refunds x;

	run_and_pay(f, "8.000 HIVE", 6);
	outcome(f, "handed_over", 8000, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.amount.amount, 750);
	assert_string_equal(x.amount.symbol, "HIVE");
	assert_string_equal(x.who, "alice");
}

/* The co-op pays the excess back on chain with the refund's memo: the refund closes by itself. */
static void test_a_refund_paid_on_chain_closes_its_refund_due(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	struct store *s;
	struct store_refund r;

	run_and_pay(f, "8.000 HIVE", 6);
	outcome(f, "handed_over", 8000, &x);
	assert_int_equal(x.n, 1);
	/* Short of what is owed, then to the wrong account: neither closes it. */
	assert_int_equal(chainsim_transfer(f->c.sim, "coop", "alice", "0.500 HIVE", "RF-1"),
	                 KERR_OK);
	assert_int_equal(chainsim_transfer(f->c.sim, "coop", "bob", "0.750 HIVE", "RF-1"), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 4);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_refund_get(s, 1, &r), KERR_OK);
	assert_string_equal(r.memo, "RF-1");
	assert_int_equal(r.paid_ms, 0);
	store_close(s);
	/* The refund itself (the memo in any case, as payment codes are read). */
	assert_int_equal(chainsim_transfer(f->c.sim, "coop", "alice", "0.750 HIVE", " rf-1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 4);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_refund_get(s, 1, &r), KERR_OK);
	assert_true(r.paid_ms > 0);
	assert_string_equal(r.paid_by, "chain");
	assert_int_equal(strlen(r.paid_trx), 40);
	assert_string_equal(r.payer, "alice");
	assert_string_equal(r.order_id, "A1024");
	store_close(s);
	/* Money out is not money in: the order's sum is unchanged. */
	outcome(f, "handed_over", 8000, &x);
}

static void test_the_wrong_asset_opens_nothing_and_is_owed_back(void **state)
{
	struct fx *f = *state;
	struct refunds x;

	run_and_pay(f, "7.250 HBD", 5);
	outcome(f, "awaiting_payment", 0, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.amount.amount, 7250);
	assert_string_equal(x.amount.symbol, "HBD");
	assert_string_equal(x.who, "alice");
}

static void test_a_restart_counts_a_payment_once(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct store_cursor cur;
	struct refunds x;

	run_and_pay(f, "7.250 HIVE", 6);
	/* Forget where the watcher was: the next start reads the history again. */
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_cursor_get(s, "hive", "coop", &cur), KERR_OK);
	cur.history_index = -1;
	cur.block = 0;
	assert_int_equal(store_cursor_set(s, "hive", "coop", &cur), KERR_OK);
	store_close(s);
	run_only(f, "", 4);
	/* The same transaction and operation is one payment, not two. */
	outcome(f, "handed_over", 7250, &x);
	assert_int_equal(x.n, 0);
}

static void status_says(struct fx *f, const char *want);

static void test_a_replayed_transfer_counts_once_and_pays_no_second_order(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	struct store *s;
	struct order b;
	struct asset sum;

	/* The node lists every operation twice; the second order waits for its own payment. */
	chainsim_fault(f->c.sim, CHAINSIM_REPLAY, true);
	run_and_pay(f, "7.250 HIVE", 6);
	run_only(f, "2048\n", 3);
	outcome(f, "handed_over", 7250, &x);
	assert_int_equal(x.n, 0);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "B2048", &b), KERR_OK);
	assert_string_equal(order_state_name(b.state), "awaiting_payment");
	assert_int_equal(store_transfer_sum(s, "B2048", &b.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, 0);
	store_close(s);
}

static void test_a_lagging_history_the_block_itself_is_read(void **state)
{
	struct fx *f = *state;
	struct refunds x;

	/* Account history (and get_transaction) an hour behind, blocks current: as
	 * public nodes have been. With the member at the kiosk, the block is read. */
	chainsim_fault(f->c.sim, CHAINSIM_HISTORY_LAG, true);
	run_and_pay(f, "7.250 HIVE", 5);
	outcome(f, "handed_over", 7250, &x);
	/* When the history catches up, the same transfer is not counted again. */
	chainsim_fault(f->c.sim, CHAINSIM_HISTORY_LAG, false);
	run_only(f, "", 3);
	outcome(f, "handed_over", 7250, &x);
}

/* The memo of a request made ahead with kioskctl, for a member paying from home. */
static void request_ahead(struct fx *f, const char *order, char memo[32])
{
	char args[1200], out[4096];
	const char *m;

	snprintf(args, sizeof(args), "orders request %s --hours 2 --site %s", order, f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	m = strstr(out, "memo\t");
	assert_non_null(m);
	assert_int_equal(sscanf(m, "memo\t%31s", memo), 1);
}

static void test_a_history_that_lags_its_blocks_is_found_out_and_blocks_are_read(void **state)
{
	struct fx *f = *state;
	char memo[32], path[600], *log;
	struct refunds x;
	struct store *s;
	struct order b;

	/* At the kiosk, the member's payment is found in its block: now the
	 * journal knows a transfer the node's history does not list. Its
	 * get_ops_in_block is current, so the probe cannot tell. */
	chainsim_fault(f->c.sim, CHAINSIM_ACCOUNT_LAG, true);
	run_and_pay(f, "7.250 HIVE", 5);
	outcome(f, "handed_over", 7250, &x);

	/* Another member pays from home; nobody is at the kiosk. Blocks go by
	 * until the missing transfer is well behind the node's head. */
	request_ahead(f, "B2048", memo);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 45);
	run_only(f, "", 6);

	/* The history (lagging 1200 blocks) lists neither; the blocks do. */
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "B2048", &b), KERR_OK);
	store_close(s);
	snprintf(path, sizeof(path), "%s/out2.txt", f->c.dir);
	log = read_file_or_fail(path, NULL);
	if (b.state != ORDER_PAID)
		fail_msg("B2048 is %s, not paid; the kiosk said:\n%s", order_state_name(b.state),
		         log);
	assert_non_null(
	    strstr(log, "account history lags its own blocks (it lists nothing after block"));
	assert_null(strstr(log, "not even the producer's reward"));
	free(log);
	status_says(f, "account history lags its blocks");
}

static void test_a_lagging_history_is_probed_for_with_no_transfer_to_go_by(void **state)
{
	struct fx *f = *state;
	char memo[32], path[600], *log;
	struct store *s;
	struct order a;

	/* A kiosk that has seen no transfer yet knows where the chain is. */
	chainsim_fault(f->c.sim, CHAINSIM_HISTORY_LAG, true);
	chainsim_wait_blocks(f->c.sim, 45);
	run_only(f, "", 3);
	/* A member pays from home; the node's history (1200 blocks behind)
	 * will not list it for an hour. */
	request_ahead(f, "A1024", memo);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 3);
	run_only(f, "", 5);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &a), KERR_OK);
	store_close(s);
	snprintf(path, sizeof(path), "%s/out2.txt", f->c.dir);
	log = read_file_or_fail(path, NULL);
	if (a.state != ORDER_PAID)
		fail_msg("A1024 is %s, not paid; the kiosk said:\n%s", order_state_name(a.state),
		         log);
	/* Found out by the producer's reward missing from an old enough block. */
	assert_non_null(strstr(log, "not even the producer's reward"));
	free(log);
}

static void test_a_node_without_account_history_the_blocks_are_read(void **state)
{
	struct fx *f = *state;
	char args[1200], out[4096], memo[32] = "";
	const char *m;
	struct refunds x;

	/* The kiosk knew the chain before; then its node lost the history plugin. */
	run_only(f, "", 2);
	chainsim_fault(f->c.sim, CHAINSIM_NO_HISTORY, true);
	snprintf(args, sizeof(args), "orders request A1024 --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	m = strstr(out, "memo\t");
	assert_non_null(m);
	assert_int_equal(sscanf(m, "memo\t%31s", memo), 1);
	/* Paid from home, some blocks ago: found by reading the blocks since the cursor. */
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 5);
	run_only(f, "", 4);
	outcome(f, "paid", 7250, &x);
}

static void test_the_node_down_while_the_member_pays(void **state)
{
	struct fx *f = *state;
	struct refunds x;

	/* Down for a few block intervals: the kiosk retries, then finds the payment. */
	f->down_ms = 2000;
	run_and_pay(f, "7.250 HIVE", 10);
	outcome(f, "handed_over", 7250, &x);
}

/*
 * A first start whose nodes cannot be reached (a bad certificate, no
 * network) while the member pays from home, and stay so for the chain's
 * next 200 blocks (10 minutes of 3 s blocks). The kiosk has no cursor yet:
 * once a node answers it reads from the oldest open payment request, not
 * from the head, and finds the payment.
 */
static void test_a_first_start_with_nodes_unreachable_finds_the_payment_made_meanwhile(void **state)
{
	struct fx *f = *state;
	char args[1200], out[4096], memo[32] = "", path[512], cmd[2048], sink[4096];
	const char *m;
	struct refunds x;
	struct timespec ts = {1, 0};
	FILE *p;

	snprintf(args, sizeof(args), "orders request A1024 --hours 2 --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	m = strstr(out, "memo\t");
	assert_non_null(m);
	assert_int_equal(sscanf(m, "memo\t%31s", memo), 1);
	chainsim_fault(f->c.sim, CHAINSIM_DOWN, true);
	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(
	    cmd, sizeof(cmd), "%s%s --board %s --site %s --run-for %d </dev/null > %s/out.txt 2>&1",
	    runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(14), f->c.dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	nanosleep(&ts, NULL);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	for (int i = 0; i < 200; i++)
		chainsim_produce(f->c.sim);
	nanosleep(&ts, NULL);
	chainsim_fault(f->c.sim, CHAINSIM_DOWN, false);
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
	{
		struct store *s;
		struct order o;

		assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
		assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
		store_close(s);
		if (o.state != ORDER_PAID) {
			snprintf(path, sizeof(path), "%s/out.txt", f->c.dir);
			print_file_tail(path, 6000);
		}
	}
	outcome(f, "paid", 7250, &x);
	assert_int_equal(x.n, 0);
}

static void pickup_of(const char *out, char code[16], char qr[128]);

static void test_a_member_who_paid_from_home_finds_the_order_paid(void **state)
{
	struct fx *f = *state;
	char args[1200], out[4096], memo[32] = "", uri[512] = "";
	const char *m, *u;
	struct refunds x;

	/* Like many public nodes: no transaction index. The kiosk reads blocks. */
	chainsim_fault(f->c.sim, CHAINSIM_NO_TX_INDEX, true);
	/* The co-op sends the member the payment code ahead of time. */
	snprintf(args, sizeof(args), "orders request A1024 --hours 2 --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	m = strstr(out, "memo\t");
	u = strstr(out, "uri\t");
	assert_non_null(m);
	assert_non_null(u);
	assert_int_equal(sscanf(m, "memo\t%31s", memo), 1);
	assert_int_equal(sscanf(u, "uri\t%511s", uri), 1);
	assert_int_equal(strncmp(memo, "KP-", 3), 0);
	assert_int_equal(strncmp(uri, "hive://sign/op/", 15), 0);
	/* Asking again gives the same code, not a second one. */
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, memo));

	/* Paid from home; the kiosk, idle, finds it and keeps the goods for the member. */
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 4);
	outcome(f, "paid", 7250, &x);

	/*
	 * The member arrives and types the number, then the pickup code sent
	 * with the request: the compartment opens, no QR. (It used to open on
	 * the number alone, which anyone standing at the kiosk could type.)
	 */
	{
		char code[16], in[64];

		pickup_of(out, code, NULL);
		run_only(f, "1024\n", 3);
		outcome(f, "paid", 7250, &x);
		snprintf(in, sizeof(in), "1024\n%s\n", code);
		run_only(f, in, 3);
	}
	outcome(f, "handed_over", 7250, &x);
	assert_int_equal(x.n, 0);
}

/* The handovers journaled for an order (one per compartment opening). */
static int handovers_of(struct fx *f, const char *id)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_open(f->c.journal, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM handovers WHERE order_id = ?",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* How often the last run_only asked for a pickup code. */
static int asked_for_code(struct fx *f)
{
	char path[600], *log, *p;
	int n = 0;

	snprintf(path, sizeof(path), "%s/out2.txt", f->c.dir);
	log = read_file_or_fail(path, NULL);
	for (p = log; (p = strstr(p, "order A1024: paid; asking for its pickup code")); p++)
		n++;
	free(log);
	return n;
}

/* The pickup code and QR text kioskctl printed ("pickup code: ", "pickup qr: "). */
static void pickup_of(const char *out, char code[16], char qr[128])
{
	const char *c = strstr(out, "pickup code: "), *q = strstr(out, "pickup qr: ");

	assert_non_null(c);
	assert_non_null(q);
	assert_int_equal(sscanf(c, "pickup code: %15s", code), 1);
	assert_int_equal(strlen(code), 6);
	if (qr)
		assert_int_equal(sscanf(q, "pickup qr: %127s", qr), 1);
}

/*
 * The hole this closes: an order paid from home was taken by whoever stood
 * at the kiosk, by browsing to it and pressing OK, or by typing or
 * scanning its number. Now each of those asks for its pickup code; wrong
 * codes lock it (a restart does not lift that); the pickup QR made by
 * kioskctl, read back from its PNG, opens it exactly once.
 */
static void test_an_order_paid_from_home_goes_out_against_its_pickup_code_only(void **state)
{
	struct fx *f = *state;
	char args[1400], out[16384], memo[32] = "", old[16], code[16], qr[128], got[256] = "",
	                             in[1024];
	char png[600], cmd[800];
	struct refunds x;
	struct store *s;
	struct order o;
	struct lockout l;
	FILE *z;

	/* A request made ahead makes a pickup code; `orders pickup` a new one, voiding it. */
	request_ahead(f, "A1024", memo);
	snprintf(args, sizeof(args), "orders request A1024 --hours 2 --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	pickup_of(out, old, NULL);
	snprintf(png, sizeof(png), "%s/pickup.png", f->c.dir);
	snprintf(args, sizeof(args), "orders pickup A1024 --png %s --site %s", png, f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "the earlier pickup code of A1024 is void"));
	pickup_of(out, code, qr);
	assert_int_equal(strncmp(qr, "kiosk:pickup:A1024:", 19), 0);
	assert_string_equal(qr + 19, code);
	/* No secret in the clear in the journal. */
	{
		size_t n;
		char *j = read_file_or_fail(f->c.journal, &n);

		assert_null(memmem(j, n, qr, strlen(qr)));
		free(j);
	}
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", memo), KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 4);
	outcome(f, "paid", 7250, &x);

	/* Browsing lists the orders waiting for payment only (B2048, C4096);
	 * OK on one opens its payment request, never A1024's goods. */
	run_only(f, "next\nnext\nnext\nok\n", 3);
	assert_int_equal(asked_for_code(f), 0);
	run_only(f, "prev\nprev\nprev\nok\n", 3);
	assert_int_equal(asked_for_code(f), 0);
	outcome(f, "paid", 7250, &x);
	/* An empty key, the order's QR, its number typed: each asks for the code. */
	run_only(f, "scan:order:\nok\n", 3);
	assert_int_equal(asked_for_code(f), 0);
	run_only(f, "scan:order:A1024\nok\n", 3);
	assert_int_equal(asked_for_code(f), 1);
	run_only(f, "1024\nok\n", 3);
	assert_int_equal(asked_for_code(f), 1);
	run_only(f, "scan:order:024\n", 3);
	assert_int_equal(asked_for_code(f), 1);
	outcome(f, "paid", 7250, &x);
	assert_int_equal(handovers_of(f, "A1024"), 0);

	/* Six wrong codes (the voided one first), then the right one: locked, nothing opens. */
	snprintf(in, sizeof(in), "1024\n%s\n000000\n111111\n222222\n333333\n444444\n%s\n", old,
	         code);
	run_only(f, in, 4);
	outcome(f, "paid", 7250, &x);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_lockout_get(s, "order:A1024", &l), KERR_OK);
	assert_true(l.until_ms > clock_real_ms(clock_system()) + 14 * 60 * 1000);
	assert_int_equal(l.level, 1);
	store_close(s);
	/* A restart does not lift it: the right code still opens nothing. */
	snprintf(in, sizeof(in), "1024\n%s\n", code);
	run_only(f, in, 3);
	outcome(f, "paid", 7250, &x);
	assert_int_equal(handovers_of(f, "A1024"), 0);
	status_says(f, "order:A1024 locked for");

	/* The lockout ends (its time set past here); the pickup QR, as read from
	 * kioskctl's PNG, opens the compartment: once, whatever comes after. */
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_lockout_get(s, "order:A1024", &l), KERR_OK);
	l.until_ms = clock_real_ms(clock_system()) - 1;
	assert_int_equal(store_lockout_put(s, "order:A1024", &l), KERR_OK);
	store_close(s);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s 2>/dev/null", png);
	z = popen(cmd, "r");
	assert_non_null(z);
	if (!fgets(got, sizeof(got), z))
		got[0] = '\0';
	pclose(z);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, qr);
	snprintf(in, sizeof(in), "scan:%s\nscan:%s\n1024\n%s\n", got, got, code);
	run_only(f, in, 4);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	store_close(s);
	assert_string_equal(order_state_name(o.state), "handed_over");
	assert_int_equal(handovers_of(f, "A1024"), 1);
	/* B2048, browsed to and picked with OK, only got its payment request. */
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "B2048", &o), KERR_OK);
	store_close(s);
	assert_string_equal(order_state_name(o.state), "awaiting_payment");
}

static void test_a_payment_on_chain_opens_the_compartment(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct order o;
	struct store_transfer t;

	run_and_pay(f, "7.250 HIVE", 6);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	if (o.state != ORDER_HANDED_OVER) {
		char path[600];
		size_t n;
		char *log;

		snprintf(path, sizeof(path), "%s/out.txt", f->c.dir);
		log = read_file_or_fail(path, &n);
		print_message("%s\n", log);
		free(log);
	}
	assert_string_equal(order_state_name(o.state), "handed_over");
	assert_int_equal(store_transfer_of_order(s, "A1024", &t), KERR_OK);
	assert_string_equal(t.from, "alice");
	assert_int_equal(t.amount.amount, 7250);
	assert_int_equal(t.status, STORE_TRANSFER_MATCHED);
	store_close(s);
}

static void count_refusals(const struct store_event_row *e, void *arg)
{
	if (strcmp(e->kind, "transfer_refused") == 0)
		(*(int *)arg)++;
}

static void test_a_lying_node_opens_nothing(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct order o;
	bool seen;

	chainsim_fault(f->c.sim, CHAINSIM_LIE, true);
	run_and_pay(f, "7.249 HIVE", 4);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "awaiting_payment");
	assert_int_equal(store_transfer_seen(s, "x", 0, &seen), KERR_OK);
	{
		int refused = 0;

		assert_int_equal(store_events(s, 0, 1000, count_refusals, &refused), KERR_OK);
		assert_true(refused >= 1);
	}
	store_close(s);
}

static void status_says(struct fx *f, const char *want)
{
	char args[700], out[8192];

	snprintf(args, sizeof(args), "status --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	if (!strstr(out, want))
		fail_msg("kioskctl status does not say \"%s\":\n%s", want, out);
}

/* Offline: staff confirm and hand over; back online, the chain settles it
 * (paid in full) or flags it (paid short, after the deadline). */
static void reconcile_case(struct fx *f, const char *amount, enum reconcile_state want, int64_t due)
{
	char input[128], code[7];
	struct store *s;
	struct store_confirmation c[4];
	struct store_request r;
	struct order o;
	unsigned n;

	chainsim_fault(f->c.sim, CHAINSIM_DOWN, true);
	staff_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n1\n", code);
	run_only(f, input, 3);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "handed_over");
	assert_int_equal(store_request_of_order(s, "A1024", &r), KERR_OK);
	store_close(s);
	/* The staff tools say the nodes were offline, and why. */
	status_says(f, "nodes: 2 configured; offline; https://127.0.0.1:");
	/* The member's transfer lands while the kiosk is down or offline. */
	chainsim_fault(f->c.sim, CHAINSIM_DOWN, false);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amount, r.memo), KERR_OK);
	{
		/* In a block before the kiosk starts: its first poll finds it. */
		unsigned head = chainsim_head(f->c.sim);
		struct timespec ts = {0, 20000000};

		while (chainsim_head(f->c.sim) < head + 2)
			nanosleep(&ts, NULL);
	}
	run_only(f, "", 8);
	status_says(f, "nodes: 2 configured; online (since");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_confirmation_list(s, want, c, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].due.amount, due);
	store_close(s);
}

static void test_offline_confirmation_settled_by_a_full_payment(void **state)
{
	reconcile_case(*state, "7.250 HIVE", RECONCILE_SETTLED, 0);
}

static void test_offline_confirmation_flagged_when_paid_short(void **state)
{
	reconcile_case(*state, "5.000 HIVE", RECONCILE_UNDERPAID, 2250);
}

static void count_reconciles(const struct store_event_row *e, void *arg)
{
	if (strcmp(e->kind, "reconcile") == 0)
		(*(int *)arg)++;
}

/* The confirmation of one order, whatever its settlement. */
static struct store_confirmation confirmation_of(struct store *s, const char *id)
{
	struct store_confirmation c[8];
	unsigned n;

	assert_int_equal(store_confirmation_list(s, -1, c, 8, &n), KERR_OK);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(c[i].order_id, id) == 0)
			return c[i];
	fail_msg("no confirmation for %s", id);
	return c[0];
}

/*
 * The pool goes down; staff confirm three orders. Back online: one paid in
 * full, one short, one never. The first settles at once; the other two
 * wait for the configured time, then are flagged with what is due.
 */
static void test_three_offline_confirmations_settled_and_flagged(void **state)
{
	struct fx *f = *state;
	static const char *const ids[] = {"1024", "2048", "4096"};
	struct store_request ra, rb;
	struct store_confirmation c;
	struct store *s;
	int reconciles = 0;

	chainsim_fault(f->c.sim, CHAINSIM_DOWN, true);
	for (unsigned i = 0; i < 3; i++) {
		char input[128], code[7];

		staff_code_of(f, i, code);
		snprintf(input, sizeof(input), "%s\nstaff\n%s\n1\n", ids[i], code);
		run_only(f, input, 3);
	}
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	for (unsigned i = 0; i < 3; i++) {
		struct order o;
		char id[8];

		snprintf(id, sizeof(id), "%c%s", 'A' + i, ids[i]);
		assert_int_equal(store_order_get(s, id, &o), KERR_OK);
		assert_string_equal(order_state_name(o.state), "handed_over");
		assert_int_equal(confirmation_of(s, id).settlement, RECONCILE_PENDING);
	}
	assert_int_equal(store_request_of_order(s, "A1024", &ra), KERR_OK);
	assert_int_equal(store_request_of_order(s, "B2048", &rb), KERR_OK);
	store_close(s);

	/* The members pay while the kiosk is offline. */
	chainsim_fault(f->c.sim, CHAINSIM_DOWN, false);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", ra.memo),
	                 KERR_OK);
	assert_int_equal(chainsim_transfer(f->c.sim, "bob", "coop", "5.000 HIVE", rb.memo),
	                 KERR_OK);
	{
		unsigned head = chainsim_head(f->c.sim);
		struct timespec ts = {0, 20000000};

		while (chainsim_head(f->c.sim) < head + 2)
			nanosleep(&ts, NULL);
	}

	/* Back online, before the follow-up time: only the full payment settles. */
	write_site(f, 3600);
	run_only(f, "", 6);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(confirmation_of(s, "A1024").settlement, RECONCILE_SETTLED);
	assert_int_equal(confirmation_of(s, "B2048").settlement, RECONCILE_PENDING);
	assert_int_equal(confirmation_of(s, "C4096").settlement, RECONCILE_PENDING);
	store_close(s);

	/* Past the follow-up time: the short and the missing payment are flagged. */
	write_site(f, 1);
	run_only(f, "", 6);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(confirmation_of(s, "A1024").settlement, RECONCILE_SETTLED);
	c = confirmation_of(s, "B2048");
	assert_int_equal(c.settlement, RECONCILE_UNDERPAID);
	assert_int_equal(c.due.amount, 2250);
	assert_string_equal(c.due.symbol, "HIVE");
	c = confirmation_of(s, "C4096");
	assert_int_equal(c.settlement, RECONCILE_UNPAID);
	assert_int_equal(c.due.amount, 7250);
	/* Each settled exactly once, across restarts. */
	assert_int_equal(store_events(s, 0, 100000, count_reconciles, &reconciles), KERR_OK);
	assert_int_equal(reconciles, 3);
	store_close(s);
}

/* ---- payment requests that run out (kiosk_expiry.c) ---- */

/* A1024's payment request, made ahead of time, runs out at expires_ms
 * (request_ttl_s is at least 60 s; the test's request is shorter). */
static void request_expiring(struct fx *f, const char *memo, int64_t expires_ms)
{
	struct store *s;
	struct store_request r;

	memset(&r, 0, sizeof(r));
	strcpy(r.order_id, "A1024");
	snprintf(r.memo, sizeof(r.memo), "%s", memo);
	r.amount = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	r.expires_ms = expires_ms;
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_request_insert(s, &r), KERR_OK);
	assert_int_equal(
	    store_order_set_state(s, "A1024", ORDER_READY, ORDER_AWAITING_PAYMENT, "test request"),
	    KERR_OK);
	store_close(s);
}

/* The newest journal event of kind for A1024 holds want. */
static void event_says(struct fx *f, const char *kind, const char *want)
{
	struct store *s;
	char detail[300];
	int64_t at;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_last_event_of(s, kind, NULL, &at, detail, sizeof(detail)), KERR_OK);
	store_close(s);
	if (!strstr(detail, want))
		fail_msg("event %s: '%s', not '%s'", kind, detail, want);
}

static void kioskctl_says(struct fx *f, const char *cmd, const char *want)
{
	char args[1200], out[8192];

	snprintf(args, sizeof(args), "%s --site %s", cmd, f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	if (!strstr(out, want))
		fail_msg("kioskctl %s: no '%s' in:\n%s", cmd, want, out);
}

static void test_an_underpaid_order_whose_request_expires_is_refund_due(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	int64_t now = (int64_t)time(NULL) * 1000;

	request_expiring(f, "KP-EXPUNDR1", now + 3000);
	/* Part paid in time; then nobody comes and the request runs out, the
	 * daemon not even running. Not on any screen. */
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "5.000 HIVE", "KP-EXPUNDR1"),
	                 KERR_OK);
	sleep_ms(4500);
	/* The chain's last irreversible block, which the kiosk goes by, past it too. */
	chainsim_wait_blocks(f->c.sim, 3);
	run_only(f, "", 15);
	outcome(f, "refund_due", 5000, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.amount.amount, 5000);
	assert_string_equal(x.who, "alice");
	assert_string_equal(x.detail, "expired underpaid");
	event_says(f, "state",
	           "underpaid -> refund_due: payment request KP-EXPUNDR1 expired underpaid");
	event_says(f, "refund_due", "expired underpaid: 5.000 HIVE to alice");
	kioskctl_says(f, "status", "refund_due=1");
	kioskctl_says(f, "status", "refunds due for expired underpaid orders: 1");
	kioskctl_says(f, "report --flagged", "A1024,kiosk,chain,expired_underpaid,5.000 HIVE,");
}

static void test_an_unpaid_request_expires_without_being_on_screen(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	int64_t now = (int64_t)time(NULL) * 1000;

	request_expiring(f, "KP-EXPNONE1", now + 1000);
	sleep_ms(2000);
	chainsim_wait_blocks(f->c.sim, 3);
	/* Long enough for a first poll on a fresh journal to read the history to its end. */
	run_only(f, "", 15);
	outcome(f, "expired", 0, &x);
	assert_int_equal(x.n, 0);
	event_says(f, "state", "awaiting_payment -> expired: payment request KP-EXPNONE1 expired");
	kioskctl_says(f, "status", "expired=1");
}

static void test_a_payment_after_expiry_is_owed_back_under_refund(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	int64_t now = (int64_t)time(NULL) * 1000;

	chainfx_write_site(&f->c, NULL, NULL,
	                   "confirm = head\nhead_max = 100.000 HIVE\nlate_payment = refund\n",
	                   NULL);
	request_expiring(f, "KP-EXPLATE1", now + 1000);
	sleep_ms(2500);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", "KP-EXPLATE1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 15);
	outcome(f, "expired", 0, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.amount.amount, 7250);
	assert_string_equal(x.who, "alice");
	assert_string_equal(x.detail, "late-refund");
	event_says(f, "late_payment",
	           "7.250 HIVE from alice after request KP-EXPLATE1 expired: refund due");
	/* The member comes anyway: nothing opens without a new request paid. */
	run_only(f, "1024\n", 3);
	outcome(f, "awaiting_payment", 0, &x);
}

static void test_a_payment_after_expiry_counts_under_accept(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	int64_t now = (int64_t)time(NULL) * 1000;

	request_expiring(f, "KP-EXPLATE2", now + 1000);
	sleep_ms(2000);
	chainsim_wait_blocks(f->c.sim, 3);
	/* The kiosk sweeps the request before the late payment comes (a first
	 * poll on a fresh journal reads the history to its end first). */
	run_only(f, "", 15);
	outcome(f, "expired", 0, &x);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", "KP-EXPLATE2"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	run_only(f, "", 12);
	/* The member is not at the kiosk: paid, kept for them. */
	outcome(f, "paid", 7250, &x);
	assert_int_equal(x.n, 0);
	event_says(f, "late_payment",
	           "7.250 HIVE from alice after request KP-EXPLATE2 expired: counted");
	event_says(f, "state", "paid_confirming -> paid");
	/* The member arrives, types the number and the pickup code (paid from
	 * home, the order goes out against its code): the compartment opens. */
	{
		struct rng_fake rng;
		struct store *s;
		char code[PICKUP_DIGITS_MAX + 1], in[64];

		rng_fake_init(&rng, 23);
		assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
		assert_int_equal(pickup_issue(s, &rng.base, "A1024", 6, code, NULL), KERR_OK);
		store_close(s);
		snprintf(in, sizeof(in), "1024\n%s\n", code);
		run_only(f, in, 6);
	}
	outcome(f, "handed_over", 7250, &x);
	assert_int_equal(x.n, 0);
}

/* The journal's transfers, their memos joined with commas in order. */
static void recorded_memos(struct fx *f, char *out, size_t cap)
{
	struct store_transfer *t = calloc(32, sizeof(*t));
	struct store *s;
	unsigned n = 0;

	assert_non_null(t);
	out[0] = '\0';
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_transfer_list(s, 0, t, 32, &n), KERR_OK);
	store_close(s);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%s%.*s", i ? "," : "",
		         (int)t[i].memo_len, t[i].memo);
	free(t);
}

/*
 * A co-op account with a history before the kiosk: with `since` set, the
 * first run passes over what came before it (not money for staff to follow
 * up) and records what came after; a restart reads nothing again.
 */
static void test_a_first_run_reads_the_history_from_since(void **state)
{
	struct fx *f = *state;
	char since[32], memos[256];
	time_t now;
	struct tm tm;

	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "1.000 HIVE", "OLD-1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 3);
	sleep_ms(1500);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(since, sizeof(since), "since = %Y-%m-%dT%H:%M:%S\n", &tm);
	sleep_ms(1500);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "2.000 HIVE", "NEW-1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 3);
	f->c.chain_extra = since;
	write_site(f, 2);
	run_only(f, "", 10);
	recorded_memos(f, memos, sizeof(memos));
	assert_string_equal(memos, "NEW-1");
	run_only(f, "", 4);
	recorded_memos(f, memos, sizeof(memos));
	assert_string_equal(memos, "NEW-1");
	/* Without since, the whole history is recorded: the old one for staff. */
	f->c.chain_extra = NULL;
	snprintf(f->c.journal, sizeof(f->c.journal), "%s/fresh.db", f->c.dir);
	write_site(f, 2);
	run_only(f, "", 10);
	recorded_memos(f, memos, sizeof(memos));
	assert_string_equal(memos, "OLD-1,NEW-1");
}

/*
 * An order paid in two parts under confirm = blocks:60 (more under an
 * emulator, whose runs are longer): the first part is
 * long confirmed when the top-up comes; the order is paid only once the
 * top-up has its 60 blocks too (each part meets the policy, not the first).
 */
static void test_a_top_up_is_confirmed_as_the_first_part_was(void **state)
{
	struct fx *f = *state;
	struct refunds x;
	int64_t now = (int64_t)time(NULL) * 1000;
	/* Deeper than the blocks a run makes (an emulator's runs are longer). */
	unsigned depth = 60 * (unsigned)runbin_scale(1);
	char pay[64];

	snprintf(pay, sizeof(pay), "confirm = blocks:%u\n", depth);
	chainfx_write_site(&f->c, NULL, NULL, pay, NULL);
	request_expiring(f, "KP-TWOPART1", now + 3600 * 1000);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "5.000 HIVE", "KP-TWOPART1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, depth + 5);
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "2.250 HIVE", "KP-TWOPART1"),
	                 KERR_OK);
	chainsim_wait_blocks(f->c.sim, 2);
	/* Well under depth blocks after the top-up: paid in full, not yet confirmed. */
	run_only(f, "", 10);
	outcome(f, "paid_confirming", 7250, &x);
	chainsim_wait_blocks(f->c.sim, depth);
	run_only(f, "", 10);
	outcome(f, "paid", 7250, &x);
	assert_int_equal(x.n, 0);
}

/* Four parts, each its own ctest entry (CMakeLists.txt), so that none runs
 * near the time limit and -j runs them side by side; no argument runs all. */
int main(int argc, char **argv)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest pay[] = {
	    T(test_a_payment_on_chain_opens_the_compartment),
	    T(test_a_lying_node_opens_nothing),
	    T(test_underpaid_then_topped_up_opens),
	    T(test_underpaid_and_left_shows_what_is_due),
	    T(test_an_overpayment_opens_and_the_excess_is_owed_back),
	    T(test_a_refund_paid_on_chain_closes_its_refund_due),
	    T(test_the_wrong_asset_opens_nothing_and_is_owed_back),
	    T(test_a_restart_counts_a_payment_once),
	    T(test_a_member_who_paid_from_home_finds_the_order_paid),
	    T(test_an_order_paid_from_home_goes_out_against_its_pickup_code_only),
	    T(test_a_first_run_reads_the_history_from_since),
	};
	const struct CMUnitTest history[] = {
	    T(test_the_node_down_while_the_member_pays),
	    T(test_a_node_without_account_history_the_blocks_are_read),
	    T(test_a_lagging_history_the_block_itself_is_read),
	    T(test_a_history_that_lags_its_blocks_is_found_out_and_blocks_are_read),
	    T(test_a_lagging_history_is_probed_for_with_no_transfer_to_go_by),
	    T(test_a_replayed_transfer_counts_once_and_pays_no_second_order),
	    T(test_a_top_up_is_confirmed_as_the_first_part_was),
	};
	const struct CMUnitTest later[] = {
	    T(test_offline_confirmation_settled_by_a_full_payment),
	    T(test_offline_confirmation_flagged_when_paid_short),
	    T(test_three_offline_confirmations_settled_and_flagged),
	    T(test_a_first_start_with_nodes_unreachable_finds_the_payment_made_meanwhile),
	};
	const struct CMUnitTest expiry[] = {
	    T(test_an_underpaid_order_whose_request_expires_is_refund_due),
	    T(test_an_unpaid_request_expires_without_being_on_screen),
	    T(test_a_payment_after_expiry_is_owed_back_under_refund),
	    T(test_a_payment_after_expiry_counts_under_accept),
	};
	const char *part = argc > 1 ? argv[1] : "all";
	int failed = 0;
	bool all = strcmp(part, "all") == 0;

	if (all || strcmp(part, "pay") == 0)
		failed += cmocka_run_group_tests_name("pay", pay, NULL, NULL);
	if (all || strcmp(part, "history") == 0)
		failed += cmocka_run_group_tests_name("history", history, NULL, NULL);
	if (all || strcmp(part, "later") == 0)
		failed += cmocka_run_group_tests_name("later", later, NULL, NULL);
	if (all || strcmp(part, "expiry") == 0)
		failed += cmocka_run_group_tests_name("expiry", expiry, NULL, NULL);
	if (!all && strcmp(part, "pay") != 0 && strcmp(part, "history") != 0 &&
	    strcmp(part, "later") != 0 && strcmp(part, "expiry") != 0) {
		fprintf(
		    stderr,
		    "test_kiosk_chain: unknown part '%s' (pay, history, later, expiry or all)\n",
		    part);
		return 2;
	}
	return failed;
}
