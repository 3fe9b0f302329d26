/*
 * An order priced in won, paid in STEEM: the real daemon against the chain
 * simulator. The rate staff set is locked into the payment request (and
 * survives a restart and a later rate); a stale rate makes no request; a
 * payment within the site's tolerance counts, one beyond it is underpaid
 * with the exact remainder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/uri.h"
#include "runbin.h"
#include "testutil.h"

#define ORDER "A2001"

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
	f->input = write_file_or_fail(f->c.dir, "input.txt", "2001\n");
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

static void kioskctl_ok(struct fx *f, const char *args)
{
	char cmd[1024], out[4096];

	snprintf(cmd, sizeof(cmd), "%s --site %s", args, f->c.site);
	if (runbin_or_fail("kioskctl", cmd, out, sizeof(out)) != 0)
		fail_msg("kioskctl %s: %s", args, out);
}

/* Runs the daemon for secs with the member at the kiosk and no payment. */
static void run_only(struct fx *f, int secs)
{
	char path[512], cmd[2048];

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd), "%s%s --board %s --site %s --run-for %d < %s > %s/out.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs),
	         f->input, f->c.dir);
	assert_int_equal(system(cmd), 0);
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

/* Runs the daemon for secs; once the request is journaled, pays it with amount. */
static void run_and_pay(struct fx *f, const char *amount, int secs)
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
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amount, r.memo), KERR_OK);
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
}

static void state_is(struct fx *f, const char *want, int64_t received)
{
	struct store *s;
	struct order o;
	struct asset sum;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, ORDER, &o), KERR_OK);
	if (strcmp(order_state_name(o.state), want) != 0) {
		char log[600];

		snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
		print_file_tail(log, 4000);
		fail_msg("order %s is %s, not %s", ORDER, order_state_name(o.state), want);
	}
	assert_int_equal(store_transfer_sum(s, ORDER, &o.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, received);
	store_close(s);
}

/* The QR on the kiosk's screen, as a phone reads it: the operation's json, or "" for none. */
static void screen_json(struct fx *f, char *out, size_t cap)
{
	char cmd[700], uri[2048] = "", *json = NULL;
	FILE *z;

	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/frames/latest.png 2>/dev/null", f->c.dir);
	z = popen(cmd, "r");
	assert_non_null(z);
	if (!fgets(uri, sizeof(uri), z))
		uri[0] = '\0';
	pclose(z);
	uri[strcspn(uri, "\n")] = '\0';
	out[0] = '\0';
	if (uri[0] && uri_decode(uri, &json) == KERR_OK)
		snprintf(out, cap, "%s", json);
	free(json);
}

static void test_12000_won_paid_in_steem_at_the_staff_rate(void **state)
{
	struct fx *f = *state;
	struct store_request r;
	struct store_rate_lock lock;
	struct store *s;
	char cmd[700], day[16], out[16384];

	kioskctl_ok(f, "rate set STEEM 312 KRW --by jiwoo");
	run_and_pay(f, "38.462 STEEM", 6);
	state_is(f, "handed_over", 38462);
	assert_true(request_of(f, &r));
	/* 12000 / 312 = 38.4615..., rounded up. */
	assert_int_equal(r.amount.amount, 38462);
	assert_string_equal(r.amount.symbol, "STEEM");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_lock_get(s, r.memo, &lock), KERR_OK);
	store_close(s);
	assert_int_equal(lock.krw, 12000);
	assert_int_equal(lock.rate.units, 312);
	assert_string_equal(lock.source, "staff");
	/* Its receipt reads the lock and the money from the journal. */
	snprintf(cmd, sizeof(cmd), "receipt --order %s --out %s/r.bin", ORDER, f->c.dir);
	kioskctl_ok(f, cmd);
	/* The daily close totals it per asset and in won (38.462 x 312 = 12000.144).
	 * Its day is the payment's own (the block's time) in the site's zone,
	 * UTC here: the test's clock may already be past midnight. */
	{
		struct store_transfer t;
		time_t at;
		struct tm tm;

		assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
		assert_int_equal(store_transfer_of_order(s, ORDER, &t), KERR_OK);
		store_close(s);
		at = (time_t)(t.timestamp_ms / 1000);
		gmtime_r(&at, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	}
	snprintf(cmd, sizeof(cmd), "report --day %s --csv --site %s", day, f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", cmd, out, sizeof(out)), 0);
	if (!strstr(out, "asset,chain_in,STEEM,1,38.462 STEEM\n") ||
	    !strstr(out, "won,STEEM,KRW,1,12000 KRW\n") ||
	    !strstr(out, "won,total,KRW,1,12000 KRW\n"))
		fail_msg("the daily close says:\n%s", out);
}

static void test_a_stale_rate_asks_for_staff_and_makes_no_request(void **state)
{
	struct fx *f = *state;
	struct store_request r;
	struct store *s;
	struct rate rate;
	char json[2048], path[600], *log;

	/* Set two hours ago: past max_age (an hour). */
	assert_int_equal(rate_parse("312", &rate, NULL), KERR_OK);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_set(s, "STEEM", "staff", &rate,
	                                (int64_t)time(NULL) * 1000 - 7200000, "jiwoo"),
	                 KERR_OK);
	store_close(s);
	run_only(f, 3);
	assert_false(request_of(f, &r));
	state_is(f, "ready", 0);
	screen_json(f, json, sizeof(json));
	assert_string_equal(json, "");
	snprintf(path, sizeof(path), "%s/out.txt", f->c.dir);
	log = read_file_or_fail(path, NULL);
	if (!strstr(log, "priced in won and no usable rate: staff: 2 h 0 min old, the limit is "
	                 "1 h 0 min"))
		fail_msg("the kiosk's log does not say why: %s", log);
	free(log);
}

static void test_the_locked_rate_survives_a_restart_and_a_new_rate(void **state)
{
	struct fx *f = *state;
	struct store_request before, after;
	char json[2048];

	kioskctl_ok(f, "rate set STEEM 312 KRW --by jiwoo");
	run_only(f, 3);
	assert_true(request_of(f, &before));
	assert_int_equal(before.amount.amount, 38462);
	/* Staff change the rate after the request was made: 12000 / 400 would be 30.000. */
	kioskctl_ok(f, "rate set STEEM 400 KRW --by minho");
	run_only(f, 3);
	assert_true(request_of(f, &after));
	assert_string_equal(after.memo, before.memo);
	assert_int_equal(after.amount.amount, 38462);
	screen_json(f, json, sizeof(json));
	if (!strstr(json, "38.462 STEEM") || !strstr(json, before.memo))
		fail_msg("after the restart the QR holds %s", json);
	run_and_pay(f, "38.462 STEEM", 6);
	state_is(f, "handed_over", 38462);
}

static void test_0_3_percent_short_counts_with_a_0_5_percent_tolerance(void **state)
{
	struct fx *f = *state;

	kioskctl_ok(f, "rate set STEEM 312 KRW");
	/* 38.462 less 0.3 % is 38.347. */
	run_and_pay(f, "38.347 STEEM", 6);
	state_is(f, "handed_over", 38347);
}

static void test_1_percent_short_is_underpaid_with_the_exact_remainder(void **state)
{
	struct fx *f = *state;
	char json[2048];

	kioskctl_ok(f, "rate set STEEM 312 KRW");
	/* 38.462 less 1 % is 38.077: 0.385 STEEM still due, asked for on the screen. */
	run_and_pay(f, "38.077 STEEM", 5);
	state_is(f, "underpaid", 38077);
	screen_json(f, json, sizeof(json));
	if (!strstr(json, "\"0.385 STEEM\""))
		fail_msg("the underpaid screen's QR holds %s, not 0.385 STEEM", json);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest pay[] = {
	    cmocka_unit_test_setup_teardown(test_12000_won_paid_in_steem_at_the_staff_rate, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_stale_rate_asks_for_staff_and_makes_no_request,
	                                    setup, teardown),
	};
	const struct CMUnitTest lock[] = {
	    cmocka_unit_test_setup_teardown(test_the_locked_rate_survives_a_restart_and_a_new_rate,
	                                    setup, teardown),
	};
	const struct CMUnitTest tolerance[] = {
	    cmocka_unit_test_setup_teardown(
	        test_0_3_percent_short_counts_with_a_0_5_percent_tolerance, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_1_percent_short_is_underpaid_with_the_exact_remainder, setup, teardown),
	};
	const char *part = argc > 1 ? argv[1] : "all";
	int rc = 0;

	if (!strcmp(part, "pay") || !strcmp(part, "all"))
		rc |= cmocka_run_group_tests_name("pay", pay, NULL, NULL);
	if (!strcmp(part, "lock") || !strcmp(part, "all"))
		rc |= cmocka_run_group_tests_name("lock", lock, NULL, NULL);
	if (!strcmp(part, "tolerance") || !strcmp(part, "all"))
		rc |= cmocka_run_group_tests_name("tolerance", tolerance, NULL, NULL);
	return rc;
}
