/* kioskctl rate: staff set won rates; each change is journaled with who and when. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "testutil.h"

#define OUT_MAX 8192

static void test_set_then_show_and_read_back(void **state)
{
	struct ctlfx *f = *state;
	char out[OUT_MAX], who[STORE_RATE_WHO_MAX + 1];
	struct store *s;
	struct rate r;
	int64_t at;

	/* ctlfx's site is on Hive. */
	assert_int_equal(
	    ctlfx_run(f->site, out, sizeof(out), "rate set HIVE %s KRW --by jiwoo", "312.5"), 0);
	assert_non_null(strstr(out, "HIVE = 312.5 KRW (staff, "));
	assert_non_null(strstr(out, "by jiwoo"));
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set USD %s KRW", "1450"), 0);
	assert_non_null(strstr(out, "(kioskctl "));
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate show%s", ""), 0);
	assert_non_null(strstr(out, "HIVE     staff           312.5 KRW"));
	assert_non_null(strstr(out, "USD      staff            1450 KRW"));
	assert_non_null(strstr(out, " s ago)  "));
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_get(s, "HIVE", "staff", &r, &at, who, sizeof(who)), KERR_OK);
	assert_int_equal(r.units, 3125);
	assert_string_equal(who, "jiwoo");
	assert_true(at > 0);
	store_close(s);
}

static void test_bad_input_says_what_is_wrong(void **state)
{
	struct ctlfx *f = *state;
	char out[OUT_MAX];

	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set HIVE %s KRW", "0312"), 2);
	assert_non_null(strstr(out, "rate \"0312\": leading zero in the rate"));
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set HIVE %s KRW", "1,200"), 2);
	assert_non_null(strstr(out, "no thousands separators"));
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set HIVE %s USD", "312"), 2);
	assert_non_null(strstr(out, "rates are in won"));
	/* Steem's asset on a Hive kiosk. */
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set STEEM %s KRW", "312"), 2);
	assert_non_null(strstr(out, "no won rate for \"STEEM\" on hive"));
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate show%s", ""), 0);
	assert_non_null(strstr(out, "no rates set"));
}

/* A rate for a sidechain token: only for one the site accepts ([tokens] accept). */
static void test_a_token_the_site_accepts_gets_a_rate(void **state)
{
	struct ctlfx *f = *state;
	char out[OUT_MAX], tokens[512];
	struct store *s;
	struct rate r;
	int64_t at;
	FILE *site;

	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set SWAP.HIVE %s KRW", "312"),
	                 2);
	assert_non_null(strstr(out, "no token accepted"));
	snprintf(tokens, sizeof(tokens),
	         "[tokens]\naccept = SWAP.HIVE, BEE\nnode1 = https://127.0.0.1:1\noperator1 = one\n"
	         "node2 = https://127.0.0.1:2\noperator2 = two\n");
	site = fopen(f->site, "a");
	assert_non_null(site);
	assert_true(fputs(tokens, site) >= 0);
	assert_int_equal(fclose(site), 0);
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set SWAP.HIVE %s KRW", "311.5"),
	                 0);
	assert_non_null(strstr(out, "SWAP.HIVE = 311.5 KRW (staff, "));
	/* The chain's dollar asset too. */
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set HBD %s KRW", "1450"), 0);
	/* A token the site does not accept: refused, naming those it does. */
	assert_int_equal(ctlfx_run(f->site, out, sizeof(out), "rate set SCT %s KRW", "150"), 2);
	assert_non_null(strstr(out, "no won rate for \"SCT\" on hive"));
	assert_non_null(strstr(out, "[tokens] accept: SWAP.HIVE, BEE"));
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_rate_get(s, "SWAP.HIVE", "staff", &r, &at, NULL, 0), KERR_OK);
	assert_int_equal(r.units, 3115);
	assert_int_equal(store_rate_get(s, "SCT", "staff", &r, &at, NULL, 0), KERR_NOTFOUND);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_set_then_show_and_read_back, ctlfx_setup,
	                                    ctlfx_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input_says_what_is_wrong, ctlfx_setup,
	                                    ctlfx_teardown),
	    cmocka_unit_test_setup_teardown(test_a_token_the_site_accepts_gets_a_rate, ctlfx_setup,
	                                    ctlfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
