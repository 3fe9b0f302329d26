/*
 * A won price paid in another asset its request offered: the real daemon
 * against the chain simulator. Staff set STEEM and SBD rates; the member
 * pays the SBD amount locked with the request and the order is paid. A part
 * paid in SBD, then the whole in STEEM: each asset judged on its own, the
 * order paid in STEEM and the SBD part owed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "runbin.h"
#include "testutil.h"

#define ORDER "A3001"

struct fx {
	struct chainfx c;
	char *input;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_STEEM, .block_ms = 300, .nodes = 2};
	struct store *s;
	struct order o;

	if (chainfx_start(&f->c, &cfg))
		return -1;
	chainsim_wait_blocks(f->c.sim, CHAINSIM_LIB_LAG_STEEM + 1);
	chainfx_write_board(&f->c, NULL,
	                    "pulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\n"
	                    "door = GPIO19\n");
	chainfx_write_site(&f->c, NULL, NULL, "confirm = head\nhead_max = 100.000 STEEM\n",
	                   "[rates]\nsources = staff\nmax_age = 3600\nlock = 900\n"
	                   "tolerance = 0.5%\n");
	f->input = write_file_or_fail(f->c.dir, "input.txt", "3001\n");
	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), ORDER);
	strcpy(o.member, "alice");
	o.item_count = 1;
	strcpy(o.items[0].name, "쌀 4kg");
	o.items[0].quantity = 1;
	o.items[0].unit_price = (struct asset){.amount = 12000, .precision = 0, .symbol = "KRW"};
	o.price = o.items[0].unit_price;
	o.compartment = 3;
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
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

static void kioskctl(struct fx *f, const char *args, char *out, size_t cap)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s --site %s", args, f->c.site);
	if (runbin_or_fail("kioskctl", cmd, out, cap) != 0)
		fail_msg("kioskctl %s: %s", args, out);
}

static bool request_of(struct fx *f, struct store_request *r)
{
	struct store *s;
	bool found = false;

	if (store_open(f->c.journal, clock_system(), &s) == KERR_OK) {
		found = store_request_of_order(s, ORDER, r) == KERR_OK;
		store_close(s);
	}
	return found;
}

/* Runs the daemon for secs; once the request is journaled, pays it with each amount. */
static void run_and_pay(struct fx *f, const char *const *amounts, size_t n, int secs)
{
	char path[512], cmd[2048], sink[4096];
	struct store_request r;
	FILE *p;
	int i;

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd),
	         "%s%s --board %s --site %s --run-for %d --log-level debug < %s > %s/out.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs),
	         f->input, f->c.dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	for (i = 0; i < 200 && !request_of(f, &r); i++)
		sleep_ms(50);
	assert_true(i < 200);
	for (size_t k = 0; k < n; k++) {
		/* One block apart: the order they were paid in is the order they count in. */
		if (k)
			sleep_ms((unsigned)runbin_scale(1) * 700);
		assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amounts[k], r.memo),
		                 KERR_OK);
	}
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
}

/* The order is in state want, with received matched to it in kind's asset. */
static void state_is(struct fx *f, const char *want, const char *kind, int64_t received)
{
	struct store *s;
	struct order o;
	struct asset k, sum;

	assert_int_equal(asset_parse(kind, &k, NULL), KERR_OK);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, ORDER, &o), KERR_OK);
	if (strcmp(order_state_name(o.state), want) != 0) {
		char log[600];

		snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
		print_file_tail(log, 4000);
		fail_msg("order %s is %s, not %s", ORDER, order_state_name(o.state), want);
	}
	assert_int_equal(store_transfer_sum(s, ORDER, &k, &sum), KERR_OK);
	assert_int_equal(sum.amount, received);
	store_close(s);
}

static void test_12000_won_paid_in_sbd_at_its_own_locked_rate(void **state)
{
	struct fx *f = *state;
	static const char *const pay[] = {"8.276 SBD"};
	struct store_rate_offer offer;
	struct store_request r;
	struct store *s;
	char out[4096];

	kioskctl(f, "rate set STEEM 312 KRW", out, sizeof(out));
	kioskctl(f, "rate set SBD 1450 KRW", out, sizeof(out));
	/* 12000 / 1450 = 8.27586... -> 8.276 SBD, locked with the request. */
	run_and_pay(f, pay, 1, 6);
	state_is(f, "handed_over", "0.000 SBD", 8276);
	assert_true(request_of(f, &r));
	/* The request still asks STEEM first; SBD was offered beside it. */
	assert_string_equal(r.amount.symbol, "STEEM");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_offer_get(s, r.memo, "SBD", &offer), KERR_OK);
	store_close(s);
	assert_int_equal(offer.amount.amount, 8276);
	kioskctl(f, "refunds list", out, sizeof(out));
	if (strstr(out, "SBD"))
		fail_msg("nothing is owed back, yet: %s", out);
	/* The daily close values it at SBD's own rate: 8.276 x 1450 = 12000.2. */
	{
		time_t now = time(NULL);
		struct tm tm;
		char day[16], cmd[200];

		gmtime_r(&now, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		snprintf(cmd, sizeof(cmd), "report --day %s --csv", day);
		kioskctl(f, cmd, out, sizeof(out));
	}
	if (!strstr(out, "won,SBD,KRW,1,12000 KRW\n") ||
	    !strstr(out, "won,total,KRW,1,12000 KRW\n"))
		fail_msg("the daily close says:\n%s", out);
}

static void test_an_sbd_part_then_steem_in_full_owes_the_sbd_back(void **state)
{
	struct fx *f = *state;
	static const char *const pay[] = {"4.000 SBD", "38.462 STEEM"};
	char out[4096];

	kioskctl(f, "rate set STEEM 312 KRW", out, sizeof(out));
	kioskctl(f, "rate set SBD 1450 KRW", out, sizeof(out));
	run_and_pay(f, pay, 2, 8);
	/* Paid in STEEM alone; the SBD part no longer counts towards the order. */
	state_is(f, "handed_over", "0.000 STEEM", 38462);
	state_is(f, "handed_over", "0.000 SBD", 0);
	kioskctl(f, "refunds list", out, sizeof(out));
	if (!strstr(out, "4.000 SBD") || !strstr(out, "paid in another asset"))
		fail_msg("the SBD part is not owed back: %s", out);
}

/* An asset the request did not offer (no HBD on Steem; no rate for SBD): a wrong asset. */
static void test_an_asset_without_a_rate_is_a_wrong_asset(void **state)
{
	struct fx *f = *state;
	static const char *const pay[] = {"8.276 SBD"};
	char out[4096];

	kioskctl(f, "rate set STEEM 312 KRW", out, sizeof(out));
	run_and_pay(f, pay, 1, 6);
	state_is(f, "awaiting_payment", "0.000 SBD", 0);
	kioskctl(f, "refunds list", out, sizeof(out));
	if (!strstr(out, "8.276 SBD"))
		fail_msg("the SBD payment is not owed back: %s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_12000_won_paid_in_sbd_at_its_own_locked_rate,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_sbd_part_then_steem_in_full_owes_the_sbd_back,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_asset_without_a_rate_is_a_wrong_asset, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
