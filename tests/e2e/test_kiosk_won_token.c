/*
 * A won price paid in a sidechain token: the real daemon against the chain
 * simulator and the sidechain simulator (two nodes) executing the chain's
 * token transfers with balances. Staff set a token rate; the request locks
 * the token amount at the token's precision beside the chain's asset, and
 * the token transfer for that amount pays the order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/uri.h"
#include "runbin.h"
#include "sidechainsim.h"
#include "testutil.h"

#define ORDER "A4001"

struct fx {
	struct chainfx c;
	struct sidechainsim *sc;
	char *input;
};

static int setup_chain(void **state, enum site_chain chain, const char *symbol, unsigned precision,
                       const char *balance)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cfg = {.chain = chain, .block_ms = 300, .nodes = 2};
	struct sidechainsim_config scfg = {.chain = chain, .nodes = 2};
	char tokens[1024];
	struct store *s;
	struct order o;
	FILE *site;

	if (!f || chainfx_start(&f->c, &cfg))
		return -1;
	scfg.dir = f->c.dir;
	if (sidechainsim_start(&scfg, &f->sc) || sidechainsim_token(f->sc, symbol, precision) ||
	    sidechainsim_balance_set(f->sc, "alice", symbol, balance))
		return -1;
	sidechainsim_follow(f->sc, f->c.sim);
	chainsim_wait_blocks(f->c.sim, 4);
	chainfx_write_board(&f->c, NULL,
	                    "pulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\n"
	                    "door = GPIO19\n");
	chainfx_write_site(&f->c, NULL, NULL, NULL,
	                   "[rates]\nsources = staff\nmax_age = 3600\nlock = 900\n"
	                   "tolerance = 0.5%\n");
	snprintf(tokens, sizeof(tokens),
	         "[tokens]\naccept = %s\nnode1 = https://127.0.0.1:%u\noperator1 = one\n"
	         "node2 = https://127.0.0.1:%u\noperator2 = two\nca_path = %s/%s\n",
	         symbol, sidechainsim_node_port(f->sc, 0), sidechainsim_node_port(f->sc, 1),
	         f->c.dir, SIDECHAINSIM_CA_FILE);
	site = fopen(f->c.site, "a");
	if (!site || fputs(tokens, site) < 0 || fclose(site))
		return -1;
	f->input = write_file_or_fail(f->c.dir, "input.txt", "4001\n");
	if (store_open(f->c.journal, clock_system(), &s))
		return -1;
	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), ORDER);
	strcpy(o.member, "alice");
	o.item_count = 1;
	strcpy(o.items[0].name, "쌀 4kg");
	o.items[0].quantity = 1;
	o.items[0].unit_price = (struct asset){.amount = 12000, .precision = 0, .symbol = "KRW"};
	o.price = o.items[0].unit_price;
	o.compartment = 3;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	store_close(s);
	*state = f;
	return 0;
}

static int setup_steem(void **state)
{
	return setup_chain(state, SITE_CHAIN_STEEM, "SCT", 3, "1000.000");
}

static int setup_hive(void **state)
{
	return setup_chain(state, SITE_CHAIN_HIVE, "SWAP.HIVE", 8, "1000.00000000");
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sidechainsim_follow(f->sc, NULL);
	sidechainsim_stop(f->sc);
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

/*
 * Runs the daemon for secs, the member at the kiosk once the daemon logs
 * that the sidechain told it the token's precision (under an emulator that
 * takes seconds; a member before it is offered no token); pays
 * the request's offer in symbol (into *offer; NULL: none expected) by a
 * token transfer for quantity (NULL: no payment).
 */
static void run_and_pay(struct fx *f, const char *symbol, const char *quantity, int secs,
                        struct store_rate_offer *offer)
{
	char path[512], cmd[2048], sink[4096], txid[64];
	struct store_request r;
	struct store *s;
	unsigned op = 0;
	FILE *p;
	int i;

	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(cmd, sizeof(cmd),
	         "(i=0; while ! grep -q '%s: precision' %s/out.txt 2>/dev/null && [ $i -lt %d ];"
	         " do sleep 0.1; i=$((i+1)); done; cat %s) | %s%s --board %s --site %s --run-for %d"
	         " --log-level debug > %s/out.txt 2>&1",
	         symbol, f->c.dir, runbin_scale(20) * 10, f->input, runbin_launcher_or_fail(path),
	         path, f->c.board, f->c.site, runbin_scale(secs), f->c.dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	for (i = 0; i < runbin_scale(20) * 20 && !request_of(f, &r); i++)
		sleep_ms(50);
	assert_true(i < runbin_scale(20) * 20);
	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	if (offer && store_rate_offer_get(s, r.memo, symbol, offer) != KERR_OK) {
		char log[600];

		store_close(s);
		snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
		print_file_tail(log, 4000);
		fail_msg("the request offers no %s", symbol);
	}
	store_close(s);
	if (quantity)
		assert_int_equal(chainsim_token_transfer(f->c.sim, "alice", "coop", symbol,
		                                         quantity, r.memo, CHAINSIM_TOKEN_ACTIVE,
		                                         txid, &op),
		                 KERR_OK);
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	assert_int_equal(pclose(p), 0);
}

static void paid_in(struct fx *f, const char *want, const struct asset *kind, int64_t received)
{
	struct store *s;
	struct order o;
	struct asset sum;

	assert_int_equal(store_open(f->c.journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, ORDER, &o), KERR_OK);
	if (strcmp(order_state_name(o.state), want) != 0) {
		char log[600];

		snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
		print_file_tail(log, 6000);
		fail_msg("order %s is %s, not %s", ORDER, order_state_name(o.state), want);
	}
	assert_int_equal(store_transfer_sum(s, ORDER, kind, &sum), KERR_OK);
	assert_int_equal(sum.amount, received);
	store_close(s);
}

static void test_12000_won_paid_in_sct_on_steem(void **state)
{
	struct fx *f = *state;
	struct store_rate_offer offer;
	char balance[40];

	kioskctl_ok(f, "rate set STEEM 312 KRW");
	kioskctl_ok(f, "rate set SCT 150 KRW --by jiwoo");
	/* 12000 / 150 = 80 SCT at the token's 3 decimals. */
	run_and_pay(f, "SCT", "80.000", 14, &offer);
	assert_int_equal(offer.amount.precision, 3);
	assert_int_equal(offer.amount.amount, 80000);
	paid_in(f, "handed_over", &offer.amount, 80000);
	/* The sidechain moved the tokens. */
	assert_int_equal(sidechainsim_balance(f->sc, "alice", "SCT", balance, sizeof(balance)),
	                 KERR_OK);
	assert_string_equal(balance, "920.000");
}

static void test_12000_won_paid_in_swap_hive_on_hive(void **state)
{
	struct fx *f = *state;
	struct store_rate_offer offer;

	kioskctl_ok(f, "rate set HIVE 310 KRW");
	kioskctl_ok(f, "rate set SWAP.HIVE 300 KRW");
	/* 12000 / 300 = 40 SWAP.HIVE at 8 decimals. */
	run_and_pay(f, "SWAP.HIVE", "40.00000000", 14, &offer);
	assert_int_equal(offer.amount.precision, 8);
	assert_int_equal(offer.amount.amount, 4000000000);
	paid_in(f, "handed_over", &offer.amount, 4000000000);
}

/* The QR on the kiosk's screen, as a phone reads it: the operation's json, or "" for none. */
static void screen_json(struct fx *f, char *out, size_t cap)
{
	char cmd[700], uri[4096] = "", *json = NULL;
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

/*
 * The member presses next on the payment screen: the QR becomes the SCT
 * transfer's custom_json for the locked amount, with the same memo; next
 * again goes round to STEEM, and previous from there back to SCT.
 */
static void test_next_shows_the_request_in_the_token(void **state)
{
	struct fx *f = *state;
	struct store_request r;
	char json[4096];

	kioskctl_ok(f, "rate set STEEM 312 KRW");
	kioskctl_ok(f, "rate set SCT 150 KRW");
	free(f->input);
	/* next (SCT), next (round to STEEM), previous (round back to SCT). */
	f->input = write_file_or_fail(f->c.dir, "input.txt", "4001\nn\nn\np\n");
	run_and_pay(f, "SCT", NULL, 6, NULL);
	assert_true(request_of(f, &r));
	screen_json(f, json, sizeof(json));
	/* The custom_json's json is a string inside the operation: its quotes escaped. */
	if (!strstr(json, "ssc-mainnet1") || !strstr(json, "80.000") || !strstr(json, "SCT") ||
	    !strstr(json, "transfer") || !strstr(json, r.memo) || !strstr(json, "__signer")) {
		char log[600];

		snprintf(log, sizeof(log), "%s/out.txt", f->c.dir);
		print_file_tail(log, 6000);
		fail_msg("after next the QR holds %s", json);
	}
}

/* A token with no rate is not offered: paid anyway, it is owed back in the token. */
static void test_a_token_without_a_rate_is_owed_back_in_the_token(void **state)
{
	struct fx *f = *state;
	char cmd[1024], out[4096];

	kioskctl_ok(f, "rate set STEEM 312 KRW");
	run_and_pay(f, "SCT", "80.000", 14, NULL);
	snprintf(cmd, sizeof(cmd), "refunds list --site %s", f->c.site);
	assert_int_equal(runbin_or_fail("kioskctl", cmd, out, sizeof(out)), 0);
	/* The token's symbol at its own 3 decimals. */
	if (!strstr(out, "80.000 SCT"))
		fail_msg("kioskctl refunds list says:\n%s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_12000_won_paid_in_sct_on_steem, setup_steem,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_12000_won_paid_in_swap_hive_on_hive, setup_hive,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_token_without_a_rate_is_owed_back_in_the_token,
	                                    setup_steem, teardown),
	    cmocka_unit_test_setup_teardown(test_next_shows_the_request_in_the_token, setup_steem,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
