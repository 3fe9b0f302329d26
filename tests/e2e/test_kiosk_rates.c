/*
 * Won prices at fetched rates: the real daemon against the chain simulator
 * and the ticker simulator. The daemon journals the ticker's rate at its
 * trade's time and the chain's price feed as two nodes agree on it; an
 * order priced 12000 KRW is then asked for and paid in STEEM at exactly
 * that rate. A ticker that is down, or whose last trade is old, leaves no
 * usable rate: the staff screen, no request.
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
#include "tickersim.h"

#define ORDER "A2001"

struct fx {
	struct chainfx c;
	struct tickersim *ticker;
	char *input, *none;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_STEEM, .block_ms = 300, .nodes = 2};
	struct tickersim_config tc = {0};
	struct store *s;
	struct order o;

	if (chainfx_start(&f->c, &cfg))
		return -1;
	tc.dir = f->c.dir;
	if (tickersim_start(&tc, &f->ticker))
		return -1;
	chainsim_wait_blocks(f->c.sim, CHAINSIM_LIB_LAG_STEEM + 1);
	chainfx_write_board(&f->c, NULL,
	                    "pulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\n"
	                    "door = GPIO19\n");
	f->input = write_file_or_fail(f->c.dir, "input.txt", "2001\n");
	f->none = write_file_or_fail(f->c.dir, "none.txt", "");
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

	tickersim_stop(f->ticker);
	chainfx_stop(&f->c);
	free(f->input);
	free(f->none);
	free(f);
	return 0;
}

/* The site file: rates from sources, the ticker at the simulator. */
static void write_site(struct fx *f, const char *sources)
{
	char rates[1024];

	snprintf(rates, sizeof(rates),
	         "[rates]\nsources = %s\nmax_age = 600\nrefresh = 30\nlock = 900\n"
	         "ticker_url = https://127.0.0.1:%u/v1/ticker?markets=KRW-STEEM\n"
	         "ticker_ca_path = %s/%s\n",
	         sources, tickersim_port(f->ticker), f->c.dir, TICKERSIM_CA_FILE);
	if (!strstr(sources, "ticker"))
		strstr(rates, "ticker_url")[0] = '\0'; /* refused unless sources lists ticker */
	chainfx_write_site(&f->c, NULL, NULL, "confirm = head\nhead_max = 100.000 STEEM\n", rates);
}

static void kioskctl_ok(struct fx *f, const char *args)
{
	char cmd[1024], out[4096];

	snprintf(cmd, sizeof(cmd), "%s --site %s", args, f->c.site);
	if (runbin_or_fail("kioskctl", cmd, out, sizeof(out)) != 0)
		fail_msg("kioskctl %s: %s", args, out);
}

/* Runs the daemon for secs with input on stdin. */
static void run_with(struct fx *f, const char *input, int secs)
{
	char path[512], cmd[2048];

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd),
	         "%s%s --board %s --site %s --run-for %d --log-level debug < %s > %s/out.txt 2>&1",
	         runbin_launcher_or_fail(path), path, f->c.board, f->c.site, runbin_scale(secs),
	         input, f->c.dir);
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

static void fail_with_log(struct fx *f, const char *what)
{
	char log[600];

	snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
	print_file_tail(log, 4000);
	fail_msg("%s", what);
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
	if (i == 200) {
		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
		pclose(p);
		fail_with_log(f, "no payment request was made");
	}
	assert_int_equal(chainsim_transfer(f->c.sim, "alice", "coop", amount, r.memo), KERR_OK);
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
}

static void handed_over_with(struct fx *f, int64_t received)
{
	struct store *s;
	struct order o;
	struct asset sum;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, ORDER, &o), KERR_OK);
	if (o.state != ORDER_HANDED_OVER) {
		store_close(s);
		fail_with_log(f, "the order was not handed over");
	}
	assert_int_equal(store_transfer_sum(s, ORDER, &o.price, &sum), KERR_OK);
	assert_int_equal(sum.amount, received);
	store_close(s);
}

/* The request's amount and its lock's rate text and source. */
static void request_is(struct fx *f, int64_t amount, const char *rate, const char *source)
{
	struct store_request r;
	struct store_rate_lock lock;
	struct store *s;
	char text[RATE_TEXT_MAX + 1];

	assert_true(request_of(f, &r));
	assert_int_equal(r.amount.amount, amount);
	assert_string_equal(r.amount.symbol, "STEEM");
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_lock_get(s, r.memo, &lock), KERR_OK);
	store_close(s);
	assert_int_equal(lock.krw, 12000);
	assert_int_equal(rate_format(&lock.rate, text, sizeof(text)), KERR_OK);
	assert_string_equal(text, rate);
	assert_string_equal(lock.source, source);
}

static void test_12000_won_paid_in_steem_at_the_ticker_rate(void **state)
{
	struct fx *f = *state;
	int64_t trade = (int64_t)time(NULL) * 1000 - 5000;
	struct store *s;
	struct rate r;
	int64_t at;
	char who[STORE_RATE_WHO_MAX + 1], text[RATE_TEXT_MAX + 1], out[4096], cmd[700];

	assert_int_equal(tickersim_price(f->ticker, "KRW-STEEM", "312.7", trade), KERR_OK);
	write_site(f, "ticker, staff");
	/* No member at first: the daemon fetches and journals the ticker's rate. */
	run_with(f, f->none, 3);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_get(s, "STEEM", "ticker", &r, &at, who, sizeof(who)), KERR_OK);
	store_close(s);
	assert_int_equal(rate_format(&r, text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "312.7");
	assert_int_equal(at, trade); /* the trade's own time, not when it was read */
	assert_string_equal(who, "ticker 127.0.0.1");
	snprintf(cmd, sizeof(cmd), "rate show --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", cmd, out, sizeof(out)), 0);
	if (!strstr(out, "STEEM    ticker          312.7 KRW") || !strstr(out, "ago)  ticker"))
		fail_msg("kioskctl rate show says:\n%s", out);
	/* 12000 / 312.7 = 38.3754..., rounded up to 38.376. */
	run_and_pay(f, "38.376 STEEM", 6);
	handed_over_with(f, 38376);
	request_is(f, 38376, "312.7", "ticker");
}

/* Neither a ticker that is down nor one whose last trade is an hour old gives a rate. */
static void test_a_ticker_down_or_stale_asks_for_staff(void **state)
{
	struct fx *f = *state;
	struct store_request req;
	struct store *s;
	struct rate r;
	char path[600], *log;

	assert_int_equal(tickersim_price(f->ticker, "KRW-STEEM", "312.7", 0), KERR_OK);
	write_site(f, "ticker");
	tickersim_fault(f->ticker, TICKERSIM_STALE, true);
	run_with(f, f->input, 3);
	assert_false(request_of(f, &req));
	snprintf(path, sizeof(path), "%s/out.txt", f->c.dir);
	log = read_file_or_fail(path, NULL);
	if (!strstr(log, "priced in won and no usable rate: ticker: none"))
		fail_with_log(f, "the stale ticker's rate was used, or the log does not say why");
	free(log);
	/* A rate fetched two hours ago, and the ticker down since. */
	tickersim_fault(f->ticker, TICKERSIM_STALE, false);
	tickersim_fault(f->ticker, TICKERSIM_DOWN, true);
	assert_int_equal(rate_parse("312.7", &r, NULL), KERR_OK);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_set(s, "STEEM", "ticker", &r,
	                                (int64_t)time(NULL) * 1000 - 7200000, "ticker 127.0.0.1"),
	                 KERR_OK);
	store_close(s);
	run_with(f, f->input, 3);
	assert_false(request_of(f, &req));
	log = read_file_or_fail(path, NULL);
	if (!strstr(log, "priced in won and no usable rate: ticker: 2 h 0 min old"))
		fail_with_log(f, "the old ticker rate was used, or the log does not say why");
	free(log);
	assert_true(tickersim_requests(f->ticker) > 0);
}

/* The feed: 0.250 SBD per STEEM (two nodes agree) times 1385 won per dollar. */
static void test_the_feed_with_a_staff_dollar_rate(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct rate r;
	int64_t at;
	char who[STORE_RATE_WHO_MAX + 1], text[RATE_TEXT_MAX + 1];

	chainsim_price_feed(f->c.sim, "0.250 SBD", "1.000 STEEM");
	write_site(f, "feed");
	kioskctl_ok(f, "rate set USD 1385 KRW --by jiwoo");
	run_with(f, f->none, 3);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_get(s, "STEEM", "feed", &r, &at, who, sizeof(who)), KERR_OK);
	store_close(s);
	assert_int_equal(rate_format(&r, text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "0.25");
	assert_string_equal(who, "feed");
	/* 0.25 x 1385 = 346.25 won per STEEM; 12000 / 346.25 = 34.6570..., asked as 34.658. */
	run_and_pay(f, "34.658 STEEM", 6);
	handed_over_with(f, 34658);
	request_is(f, 34658, "346.25", "feed");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest ticker[] = {
	    cmocka_unit_test_setup_teardown(test_12000_won_paid_in_steem_at_the_ticker_rate, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_ticker_down_or_stale_asks_for_staff, setup,
	                                    teardown),
	};
	const struct CMUnitTest feed[] = {
	    cmocka_unit_test_setup_teardown(test_the_feed_with_a_staff_dollar_rate, setup,
	                                    teardown),
	};
	const char *part = argc > 1 ? argv[1] : "all";
	int rc = 0;

	if (!strcmp(part, "ticker") || !strcmp(part, "all"))
		rc |= cmocka_run_group_tests_name("ticker", ticker, NULL, NULL);
	if (!strcmp(part, "feed") || !strcmp(part, "all"))
		rc |= cmocka_run_group_tests_name("feed", feed, NULL, NULL);
	return rc;
}
