/*
 * The real daemon against a three-node chain simulator (a payment counts once
 * two node operators serve its block: with one node faulty, two others are
 * left), one fault at a time on the first node: down, HTTP 5xx, malformed JSON, slow beyond the
 * request timeout, a truncated body, an oversized body, a stale head, a
 * lying history, a tampered transaction. Each time the kiosk keeps
 * running, fails over to the good node, and hands over on the proven
 * payment, for exactly what was paid. With every node lying, or with a
 * certificate the kiosk does not trust, nothing is accepted at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	struct chainfx c;
};

/* Every node; extra lines for [nodes], and for [payment] after confirm = head. */
static void write_site_pay(struct fx *f, const char *ca_dir, const char *extra, const char *payment)
{
	char nodes[512], pay[512];

	snprintf(nodes, sizeof(nodes), "request_timeout_ms = 1500\nmax_response_kb = 256\n%s",
	         extra);
	snprintf(pay, sizeof(pay), "confirm = head\nhead_max = 100.000 HIVE\n%s", payment);
	chainfx_write_site(&f->c, ca_dir, nodes, pay, NULL);
}

static void write_site(struct fx *f, const char *ca_dir, const char *extra)
{
	write_site_pay(f, ca_dir, extra, "");
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 300, .nodes = 3};
	struct store *s;
	struct order o;

	if (chainfx_start(&f->c, &cfg))
		return -1;
	chainfx_write_board(&f->c, NULL,
	                    "pulse_ms = 300\n[locker.3]\nlock = GPIO6\ndoor = GPIO19\n");
	write_site(f, f->c.dir, "");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.compartment = 3;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	store_close(s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	chainfx_stop(&f->c);
	free(f);
	return 0;
}

/*
 * Runs the daemon for secs; the member picks the order and pays it once its
 * request is up, or (ahead) has paid before the daemon starts, so its first
 * poll (which goes to the first node) already holds the payment.
 */
static void run_and_pay_when(struct fx *f, int secs, bool ahead)
{
	char path[512], cmd[2048], sink[4096];
	char *in = write_file_or_fail(f->c.dir, "in.txt", "1024\n");
	struct store_request r;
	bool found = false;
	FILE *p;

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd), "%s%s --board %s --site %s --run-for %d < %s > %s/out.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs), in,
	         f->c.dir);
	if (ahead) {
		char args[700], out[4096];
		const char *m;

		snprintf(args, sizeof(args), "orders request A1024 --site %s", f->c.site);
		assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
		m = strstr(out, "memo\t");
		assert_non_null(m);
		assert_int_equal(sscanf(m, "memo\t%31s", r.memo), 1);
		assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", r.memo),
		                 KERR_OK);
		chainsim_wait_blocks(f->c.sim, 2);
		found = true;
	}
	p = popen(cmd, "r");
	assert_non_null(p);
	for (int i = 0; i < 400 && !found; i++) {
		struct store *s;
		struct timespec ts = {0, 50000000};

		if (store_open(f->c.journal, clock_system(), &s) == KERR_OK) {
			found = store_request_of_order(s, "A1024", &r) == KERR_OK;
			store_close(s);
		}
		if (!found)
			nanosleep(&ts, NULL);
	}
	assert_true(found);
	if (!ahead)
		assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", "7.250 HIVE", r.memo),
		                 KERR_OK);
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	/* The daemon ran its time and stopped cleanly, whatever the nodes did. */
	assert_int_equal(pclose(p), 0);
	free(in);
}

struct kind_count {
	const char *kind, *text;
	unsigned n;
};

static void run_and_pay(struct fx *f, int secs)
{
	run_and_pay_when(f, secs, false);
}

static void count_kind(const struct store_event_row *e, void *arg)
{
	struct kind_count *k = arg;

	if (strcmp(e->kind, k->kind) == 0 && (!k->text || strstr(e->detail, k->text)))
		k->n++;
}

/* How many events of this kind (with this text in their detail, if given). */
static unsigned events_of(struct fx *f, const char *kind, const char *text)
{
	struct kind_count k = {kind, text, 0};
	struct store *s;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_events(s, 0, 100000, count_kind, &k), KERR_OK);
	store_close(s);
	return k.n;
}

static void expect(struct fx *f, const char *want_state, int64_t want_received)
{
	struct store *s;
	struct order o;
	struct asset sum;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	if (strcmp(order_state_name(o.state), want_state) != 0) {
		char path[600];
		size_t n;
		char *log;

		snprintf(path, sizeof(path), "%s/out.txt", f->c.dir);
		log = read_file_or_fail(path, &n);
		print_message("%s\n", log);
		free(log);
	}
	assert_string_equal(order_state_name(o.state), want_state);
	assert_int_equal(store_transfer_sum(s, "A1024", &o.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, want_received);
	store_close(s);
}

/* The first node has the fault; the second is good. */
static void fails_over(void **state, enum chainsim_fault fault, int secs)
{
	struct fx *f = *state;
	char node1[64];
	/* A lie shows only in an answer about the payment: have it there at the first poll. */
	bool ahead = fault == CHAINSIM_LIE || fault == CHAINSIM_TAMPER;

	chainsim_node_fault(f->c.sim, 0, fault, true);
	/* The first node to answer gets the first poll: the liar, so the lie is in an answer used.
	 */
	if (ahead)
		for (unsigned i = 1; i < chainsim_node_count(f->c.sim); i++)
			chainsim_node_slow(f->c.sim, i, 200);
	if (fault == CHAINSIM_STALE)
		chainsim_wait_blocks(f->c.sim, 12); /* far enough behind the other node to tell */
	run_and_pay_when(f, secs, ahead);
	expect(f, "handed_over", 7250);
	/* The pool said so: degraded, naming the first node. */
	snprintf(node1, sizeof(node1), "https://127.0.0.1:%u", chainsim_node_port(f->c.sim, 0));
	assert_true(events_of(f, "pool", "degraded") >= 1);
	assert_true(events_of(f, "pool", node1) >= 1);
}

static void test_node_down(void **state)
{
	fails_over(state, CHAINSIM_DOWN, 5);
}
static void test_node_http_5xx(void **state)
{
	fails_over(state, CHAINSIM_HTTP5XX, 5);
}
static void test_node_malformed_json(void **state)
{
	fails_over(state, CHAINSIM_MALFORMED, 5);
}
static void test_node_slow_beyond_the_timeout(void **state)
{
	fails_over(state, CHAINSIM_SLOW, 7);
}
static void test_node_truncated_body(void **state)
{
	fails_over(state, CHAINSIM_TRUNCATED, 5);
}
static void test_node_oversized_body(void **state)
{
	fails_over(state, CHAINSIM_OVERSIZED, 5);
}
static void test_node_stale_head(void **state)
{
	fails_over(state, CHAINSIM_STALE, 6);
}

static void test_node_lying_about_the_amount(void **state)
{
	fails_over(state, CHAINSIM_LIE, 6);
	/* Its claim was caught and journaled; the good node's proof paid exactly 7.250. */
	assert_true(events_of(*state, "transfer_refused", NULL) >= 1);
}

static void test_node_tampering_with_the_transaction(void **state)
{
	fails_over(state, CHAINSIM_TAMPER, 6);
	assert_true(events_of(*state, "transfer_refused", NULL) >= 1);
}

static void test_the_payers_keys_come_from_another_node(void **state)
{
	struct fx *f = *state;

	/* The first node serves the payment and would serve forged keys for it;
	 * the keys are asked of the second node, so the proof holds at once. */
	chainsim_node_fault(f->c.sim, 0, CHAINSIM_WRONG_KEYS, true);
	run_and_pay_when(f, 5, true);
	expect(f, "handed_over", 7250);
	assert_int_equal(events_of(f, "transfer_refused", NULL), 0);
}

static void test_wrong_keys_everywhere_accept_nothing(void **state)
{
	struct fx *f = *state;

	/* Every node serves keys that did not sign the payment: it does not prove. */
	chainsim_fault(f->c.sim, CHAINSIM_WRONG_KEYS, true);
	run_and_pay(f, 5);
	expect(f, "awaiting_payment", 0);
	assert_true(events_of(f, "transfer_refused", NULL) >= 1);
}

static void test_every_node_tampering_accepts_nothing(void **state)
{
	struct fx *f = *state;

	chainsim_fault(f->c.sim, CHAINSIM_TAMPER, true);
	run_and_pay(f, 5);
	expect(f, "awaiting_payment", 0);
	assert_true(events_of(f, "transfer_refused", NULL) >= 2);
	/* Journaled once per transfer, reason and node (the fixture runs three), not once per poll.
	 */
	assert_true(events_of(f, "transfer_refused", NULL) <= 3);
	/* Honest again: the same payment is found, proven and accepted. */
	chainsim_fault(f->c.sim, CHAINSIM_TAMPER, false);
	run_and_pay(f, 5);
	expect(f, "handed_over", 7250);
}

static void test_a_certificate_the_kiosk_does_not_trust_is_refused(void **state)
{
	struct fx *f = *state;
	struct chainsim_config other_cfg = {.chain = SITE_CHAIN_HIVE};
	struct chainsim *other;
	char other_dir[600];

	/* Another simulator's CA: the nodes' certificates do not chain to it. */
	snprintf(other_dir, sizeof(other_dir), "%s/other", f->c.dir);
	assert_int_equal(mkdir(other_dir, 0700), 0);
	other_cfg.dir = other_dir;
	assert_int_equal(chainsim_start(&other_cfg, &other), KERR_OK);
	chainsim_stop(other);
	write_site(f, other_dir, "");
	run_and_pay(f, 4);
	expect(f, "awaiting_payment", 0);
	assert_true(events_of(f, "pool", "offline") >= 1);

	/* A public-key pin that does not match is refused the same way. */
	write_site(f, f->c.dir,
	           "pin1 = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	           "pin2 = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
	run_and_pay(f, 4);
	expect(f, "awaiting_payment", 0);

	/* The right CA and no pin: paid. */
	write_site(f, f->c.dir, "");
	run_and_pay(f, 5);
	expect(f, "handed_over", 7250);
}

static void state_is(struct fx *f, const char *want, unsigned want_nodes)
{
	struct store *s;
	struct order o;
	struct store_transfer t;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), want);
	assert_int_equal(store_transfer_of_order(s, "A1024", &t), KERR_OK);
	assert_int_equal(t.nodes, want_nodes);
	assert_true(strncmp(t.proved_by, "https://127.0.0.1:", 18) == 0);
	store_close(s);
}

static void test_a_large_payment_needs_a_second_node(void **state)
{
	struct fx *f = *state;

	/* Above strict_above: irreversible, and a second node must prove it too. */
	write_site_pay(f, f->c.dir, "", "strict_above = 5.000 HIVE\n");
	run_and_pay(f, 6);
	state_is(f, "handed_over", 2);
	assert_true(events_of(f, "second_node", NULL) >= 1);
}

static void test_a_large_payment_waits_while_the_second_node_is_down(void **state)
{
	struct fx *f = *state;
	char *in;

	/* One node's block is enough here (quorum = 1): what waits is the second opinion. */
	write_site_pay(f, f->c.dir, "quorum = 1\n", "strict_above = 5.000 HIVE\n");
	chainsim_node_fault(f->c.sim, 1, CHAINSIM_DOWN, true);
	chainsim_node_fault(f->c.sim, 2, CHAINSIM_DOWN, true);
	run_and_pay(f, 5);
	/* Proven by one node only: paid, but not handed over. */
	state_is(f, "paid_confirming", 1);
	/*
	 * The second node is back: it agrees, and the member's goods come out.
	 * The kiosk restarted since the member paid there, so that payment no
	 * longer vouches for whoever stands at it: the member gives the
	 * order's pickup code after its number (the number alone used to do).
	 */
	chainsim_node_fault(f->c.sim, 1, CHAINSIM_DOWN, false);
	chainsim_node_fault(f->c.sim, 2, CHAINSIM_DOWN, false);
	{
		char args[2048], out[65536], code[16], text[64];
		const char *c;

		snprintf(args, sizeof(args), "orders pickup A1024 --site %s", f->c.site);
		assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
		c = strstr(out, "pickup code: ");
		assert_non_null(c);
		assert_int_equal(sscanf(c, "pickup code: %15s", code), 1);
		snprintf(text, sizeof(text), "1024\n%s\n", code);
		in = write_file_or_fail(f->c.dir, "in.txt", text);
	}
	{
		char args[2048], out[65536];

		snprintf(args, sizeof(args), "--board %s --site %s --run-for %d < %s", f->c.board,
		         f->c.site, runbin_scale(5), in);
		assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	}
	free(in);
	state_is(f, "handed_over", 2);
}

/*
 * Anyone can send the co-op 0.001 in a transaction no kiosk can prove (an
 * operation it does not serialize). It blocks nothing: the honest payment
 * a block later is paid, the poisoned one is recorded as unverified with
 * its reason, and no node is called a liar for it.
 */
static void test_an_unprovable_transfer_blocks_no_payment(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct store_unverified u;
	unsigned long n = 0;

	assert_int_equal(
	    chainsim_poisoned_transfer(f->c.sim, "mallory", "coop", "0.001 HIVE", "poison"),
	    KERR_OK);
	chainsim_wait_blocks(f->c.sim, 1);
	run_and_pay(f, 5);
	expect(f, "handed_over", 7250);
	assert_int_equal(events_of(f, "transfer_refused", NULL), 0);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_unverified_newest(s, &n, &u), KERR_OK);
	store_close(s);
	assert_int_equal(n, 1);
	assert_string_equal(u.from, "mallory");
	assert_int_equal(u.amount.amount, 1);
	assert_non_null(strstr(u.reason, "cannot serialize"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_node_down),
	    T(test_an_unprovable_transfer_blocks_no_payment),
	    T(test_node_http_5xx),
	    T(test_node_malformed_json),
	    T(test_node_slow_beyond_the_timeout),
	    T(test_node_truncated_body),
	    T(test_node_oversized_body),
	    T(test_node_stale_head),
	    T(test_node_lying_about_the_amount),
	    T(test_node_tampering_with_the_transaction),
	    T(test_every_node_tampering_accepts_nothing),
	    T(test_the_payers_keys_come_from_another_node),
	    T(test_wrong_keys_everywhere_accept_nothing),
	    T(test_a_certificate_the_kiosk_does_not_trust_is_refused),
	    T(test_a_large_payment_needs_a_second_node),
	    T(test_a_large_payment_waits_while_the_second_node_is_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
