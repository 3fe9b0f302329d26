/*
 * kioskctl report, report --day (the daily close), report --flagged,
 * refunds list/done and receipt --order against a journal whose every
 * total was computed by hand; times in Asia/Seoul and in UTC.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/staff_actions.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/store_report.h"
#include "ctlfx.h"
#include "runbin.h"
#include "testutil.h"

#define H (3600 * 1000LL)
/* 2026-12-04T00:00:00Z = 2026-12-04 09:00 KST */
#define DAY0 1796342400000LL

struct fx {
	struct ctlfx c;
	char *site_utc;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	ctlfx_init(&f->c, "Asia/Seoul");
	f->site_utc = ctlfx_site_file(&f->c, "utc.conf", NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->site_utc);
	ctlfx_fini(&f->c);
	free(f);
	return 0;
}

static struct asset hive(int64_t milli)
{
	return (struct asset){.amount = milli, .precision = 3, .symbol = "HIVE"};
}

static void order(struct store *s, const char *id, const char *member, struct asset price)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	snprintf(o.member, sizeof(o.member), "%s", member);
	o.price = price;
	o.pickup = ORDER_PICKUP_RECEIPT;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
}

/* A transfer to the co-op; matched to order_id unless NULL. */
static int64_t transfer(struct store *s, const char *trx, const char *from, struct asset amount,
                        int64_t at_ms, const char *memo, const char *order_id,
                        enum store_transfer_status status)
{
	struct store_transfer t;

	memset(&t, 0, sizeof(t));
	snprintf(t.trx_id, sizeof(t.trx_id), "%s", trx);
	snprintf(t.from, sizeof(t.from), "%s", from);
	strcpy(t.to, "coop");
	t.timestamp_ms = at_ms;
	t.amount = amount;
	t.memo_len = strlen(memo);
	memcpy(t.memo, memo, t.memo_len);
	t.status = status;
	assert_int_equal(store_transfer_insert(s, &t), KERR_OK);
	if (order_id)
		assert_int_equal(store_transfer_match(s, t.rowid, order_id), KERR_OK);
	return t.rowid;
}

static void confirm(struct store *s, const char *staff, const char *id, enum pay_method how,
                    const char *reason)
{
	struct staff_ctx c = {.store = s, .actor = staff};
	struct staff_result r;

	assert_int_equal(staff_confirm_paid(&c, id, how, reason, &r), STAFF_OK);
}

/*
 * The fixture, on 2026-12-04 in Seoul (09:00 KST = 00:00 UTC onwards):
 *   A1 7.250 HIVE paid on chain by alice (10:00 KST)
 *   A2 3.000 HIVE, bob sent 5.000 (11:00): 2.000 owed back (overpaid)
 *   A3 2.000 HIVE, dave sent 1.000 (12:00), staff cancelled: 1.000 owed back,
 *      then paid back by minji (trx ab12)
 *   carol sent 1.111 HIVE with memo "hello" (13:00): pays no order
 *   B1 4.500 HIVE cash (minji), B2 2.000 HBD bank (minji),
 *   B3 1.250 HIVE cash (joon), B4 0.750 HIVE waived (joon)
 *   outside the day: A4 9.999 HIVE by erin on 12-03 23:30 KST, and
 *   A5 3.333 HIVE by frank on 12-05 08:30 KST (= 12-04 23:30 UTC).
 */
static void fixture(struct fx *f)
{
	struct clock_fake clk;
	struct store *s;
	struct staff_ctx c;
	struct staff_result r;
	struct store_refund ref;
	struct asset two = hive(2000);
	int64_t rowid;

	clock_fake_init(&clk, DAY0 + 30 * 60 * 1000LL); /* 09:30 KST */
	assert_int_equal(store_open(f->c.journal, &clk.base, &s), KERR_OK);
	order(s, "A1", "alice", hive(7250));
	order(s, "A2", "bob", hive(3000));
	order(s, "A3", "dave", hive(2000));
	order(s, "A4", "erin", hive(9999));
	order(s, "A5", "frank", hive(3333));
	order(s, "B1", "gina", hive(4500));
	order(s, "B2", "hana", (struct asset){.amount = 2000, .precision = 3, .symbol = "HBD"});
	order(s, "B3", "ivan", hive(1250));
	order(s, "B4", "jay", hive(750));
	transfer(s, "aa01", "erin", hive(9999), DAY0 - 9 * H - 30 * 60 * 1000LL, "KP-A4", "A4",
	         STORE_TRANSFER_NEW);
	transfer(s, "aa02", "alice", hive(7250), DAY0 + 1 * H, "KP-A1", "A1", STORE_TRANSFER_NEW);
	rowid =
	    transfer(s, "aa03", "bob", hive(5000), DAY0 + 2 * H, "KP-A2", "A2", STORE_TRANSFER_NEW);
	assert_int_equal(store_refund_insert(s, rowid, "bob", &two, "overpaid"), KERR_OK);
	transfer(s, "aa04", "dave", hive(1000), DAY0 + 3 * H, "KP-A3", "A3", STORE_TRANSFER_NEW);
	assert_int_equal(store_order_set_state(s, "A3", ORDER_READY, ORDER_UNDERPAID, "part paid"),
	                 KERR_OK);
	transfer(s, "aa05", "carol", hive(1111), DAY0 + 4 * H, "hello", NULL,
	         STORE_TRANSFER_FOR_STAFF);
	transfer(s, "aa06", "frank", hive(3333), DAY0 + 23 * H + 30 * 60 * 1000LL, "KP-A5", "A5",
	         STORE_TRANSFER_NEW);

	clock_fake_advance(&clk, 5 * H * 1000000LL); /* 14:30 KST */
	confirm(s, "minji", "B1", PAY_CASH, "");
	confirm(s, "minji", "B2", PAY_BANK, "");
	confirm(s, "joon", "B3", PAY_CASH, "");
	confirm(s, "joon", "B4", PAY_WAIVED, "damaged");
	c = (struct staff_ctx){.store = s, .actor = "minji"};
	assert_int_equal(staff_cancel_order(&c, "A3", &r), STAFF_OK);
	assert_int_equal(r.order.state, ORDER_REFUND_DUE);
	/* The second refund (id 2) is dave's; paid back the same day. */
	clock_fake_advance(&clk, 1 * H * 1000000LL); /* 15:30 KST */
	assert_int_equal(staff_refund_paid(&c, 2, "ab12", &ref, &r), STAFF_OK);
	assert_string_equal(ref.payer, "dave");
	assert_string_equal(ref.memo, "RF-2");
	assert_string_equal(order_state_name(r.order.state), "cancelled");
	store_close(s);
}

static void test_daily_close_totals_by_hand(void **state)
{
	struct fx *f = *state;
	char out[16384];

	fixture(f);
	assert_int_equal(
	    ctlfx_run(f->c.site, out, sizeof(out), "report --day 2026-12-04 --csv%s", ""), 0);
	assert_non_null(strstr(out, "group,name,asset,count,amount\n"));
	/* Every transfer to the co-op that day: 7.250 + 5.000 + 1.000 + 1.111. */
	assert_non_null(strstr(out, "asset,chain_in,HIVE,4,14.361 HIVE\n"));
	assert_non_null(strstr(out, "asset,unknown_memo,HIVE,1,1.111 HIVE\n"));
	assert_non_null(strstr(out, "asset,cash,HIVE,2,5.750 HIVE\n"));
	assert_non_null(strstr(out, "asset,bank,HBD,1,2.000 HBD\n"));
	assert_non_null(strstr(out, "asset,waived,HIVE,1,0.750 HIVE\n"));
	assert_non_null(strstr(out, "asset,refunds_due,HIVE,2,3.000 HIVE\n"));
	assert_non_null(strstr(out, "asset,refunds_paid,HIVE,1,1.000 HIVE\n"));
	/* 14.361 + 5.750 - 1.000; the bank's HBD on its own. */
	assert_non_null(strstr(out, "asset,net,HIVE,7,19.111 HIVE\n"));
	assert_non_null(strstr(out, "asset,net,HBD,1,2.000 HBD\n"));
	assert_non_null(strstr(out, "method,chain,HIVE,3,13.250 HIVE\n"));
	assert_non_null(strstr(out, "method,cash,HIVE,2,5.750 HIVE\n"));
	assert_non_null(strstr(out, "method,bank,HBD,1,2.000 HBD\n"));
	assert_non_null(strstr(out, "method,waived,HIVE,1,0.750 HIVE\n"));
	assert_non_null(strstr(out, "staff,minji/cash,HIVE,1,4.500 HIVE\n"));
	assert_non_null(strstr(out, "staff,minji/bank,HBD,1,2.000 HBD\n"));
	assert_non_null(strstr(out, "staff,minji,HIVE,1,4.500 HIVE\n"));
	assert_non_null(strstr(out, "staff,minji,HBD,1,2.000 HBD\n"));
	assert_non_null(strstr(out, "staff,joon/cash,HIVE,1,1.250 HIVE\n"));
	assert_non_null(strstr(out, "staff,joon/waived,HIVE,1,0.750 HIVE\n"));
	assert_non_null(strstr(out, "staff,joon,HIVE,2,2.000 HIVE\n"));
	/* Nothing from the days before and after in Seoul. */
	assert_null(strstr(out, "9.999"));
	assert_null(strstr(out, "3.333"));
	/* The same journal in UTC: the 4th also holds frank's 3.333 (23:30 UTC),
	 * still not erin's 9.999 (14:30 UTC on the 3rd). */
	assert_int_equal(
	    ctlfx_run(f->site_utc, out, sizeof(out), "report --day 2026-12-04 --csv%s", ""), 0);
	assert_non_null(strstr(out, "asset,chain_in,HIVE,5,17.694 HIVE\n"));
	assert_non_null(strstr(out, "method,chain,HIVE,4,16.583 HIVE\n"));
	assert_null(strstr(out, "9.999"));
	/* The readable close: the movements, then the totals. */
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "report --day 2026-12-04%s", ""),
	                 0);
	assert_non_null(strstr(out, "Daily close 2026-12-04 (Asia/Seoul)"));
	assert_non_null(strstr(out, "2026-12-04 10:00:00 KST"));
	assert_non_null(strstr(out, "14.361 HIVE"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "report --day %s", "2026-13-01"),
	                 2);
}

static void test_report_lists_every_movement_as_csv(void **state)
{
	struct fx *f = *state;
	char out[16384];

	fixture(f);
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out),
	                           "report --csv --from %s --to 2026-12-04", "2026-12-04"),
	                 0);
	assert_true(strncmp(out, "kind,time,order,who,amount,detail\n", 34) == 0);
	/* Times in the site's zone, with its offset. */
	assert_non_null(
	    strstr(out, "payment,2026-12-04T10:00:00+09:00,A1,alice,7.250 HIVE,aa02\n"));
	assert_non_null(strstr(out, "payment,2026-12-04T11:00:00+09:00,A2,bob,5.000 HIVE,aa03\n"));
	assert_non_null(strstr(
	    out, "unknown_memo,2026-12-04T13:00:00+09:00,,carol,1.111 HIVE,aa05 memo: hello\n"));
	assert_non_null(strstr(out, "staff_cash,2026-12-04T14:30:00+09:00,B1,minji,4.500 HIVE,\n"));
	assert_non_null(strstr(out, "staff_bank,2026-12-04T14:30:00+09:00,B2,minji,2.000 HBD,\n"));
	assert_non_null(strstr(out, "staff_cash,2026-12-04T14:30:00+09:00,B3,joon,1.250 HIVE,\n"));
	assert_non_null(
	    strstr(out, "staff_waived,2026-12-04T14:30:00+09:00,B4,joon,0.750 HIVE,damaged\n"));
	assert_non_null(
	    strstr(out, "refund_due,2026-12-04T09:30:00+09:00,A2,bob,2.000 HIVE,RF-1 overpaid\n"));
	assert_non_null(strstr(
	    out, "refund_due,2026-12-04T14:30:00+09:00,A3,dave,1.000 HIVE,RF-2 cancelled\n"));
	assert_non_null(strstr(out, "refund_paid,2026-12-04T15:30:00+09:00,A3,dave,1.000 HIVE,ab12 "
	                            "paid by minji (RF-2)\n"));
	assert_null(strstr(out, "aa01"));
	assert_null(strstr(out, "aa06"));
	/* In UTC: the same rows, in UTC, and frank's transfer is on the 4th. */
	assert_int_equal(ctlfx_run(f->site_utc, out, sizeof(out),
	                           "report --csv --from %s --to 2026-12-04", "2026-12-04"),
	                 0);
	assert_non_null(strstr(out, "payment,2026-12-04T01:00:00Z,A1,alice,7.250 HIVE,aa02\n"));
	assert_non_null(strstr(out, "payment,2026-12-04T23:30:00Z,A5,frank,3.333 HIVE,aa06\n"));
	/* The table names the zone on every time. */
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "report%s", ""), 0);
	assert_non_null(strstr(out, "2026-12-04 10:00:00 KST"));
	assert_non_null(strstr(out, "2026-12-03 23:30:00 KST"));
	assert_int_equal(ctlfx_run(f->site_utc, out, sizeof(out), "report%s", ""), 0);
	assert_non_null(strstr(out, "2026-12-04 01:00:00 UTC"));
}

static void test_flagged_includes_refunds_due_and_unmatched_money(void **state)
{
	struct fx *f = *state;
	char out[16384];

	fixture(f);
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "report --flagged%s", ""), 0);
	assert_non_null(strstr(out, "order,staff,method,settlement,still_due,confirmed_at\n"));
	assert_non_null(strstr(out, "refund,memo,order,payer,amount,reason,due_since\n"));
	assert_non_null(
	    strstr(out, "1,RF-1,A2,bob,2.000 HIVE,overpaid,2026-12-04T09:30:00+09:00\n"));
	/* Paid back: no longer flagged. */
	assert_null(strstr(out, "RF-2"));
	assert_non_null(strstr(out, "unmatched,time,payer,amount,trx,memo\n"));
	assert_non_null(
	    strstr(out, ",2026-12-04T13:00:00+09:00,carol,1.111 HIVE,aa05,memo: hello\n"));
}

static void test_refunds_list_and_done(void **state)
{
	struct fx *f = *state;
	char out[16384];

	fixture(f);
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds list%s", ""), 0);
	assert_non_null(strstr(out, "RF-1"));
	assert_non_null(strstr(out, "bob"));
	assert_non_null(strstr(out, "2.000 HIVE"));
	assert_null(strstr(out, "RF-2"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds list --all%s", ""), 0);
	assert_non_null(strstr(out, "RF-2"));
	assert_non_null(strstr(out, "paid 2026-12-04 15:30:00 KST by minji trx ab12"));
	/* Bad usage, unknown and already paid refunds. */
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds done%s", ""), 2);
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds done %s", "x1"), 2);
	assert_int_equal(
	    ctlfx_run(f->c.site, out, sizeof(out), "refunds done 1 --trx %s", "not-hex"), 2);
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds done %s", "99"), 1);
	assert_non_null(strstr(out, "no refund 99"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds done %s", "2"), 1);
	assert_non_null(strstr(out, "already recorded as paid"));
	/* Bob's: paid, journaled with who and the transaction. A2 was not in
	 * refund_due (only its excess was owed), so it stays where it was. */
	assert_int_equal(
	    ctlfx_run(f->c.site, out, sizeof(out), "refunds done 1 --trx %s --by minji", "cd34"),
	    0);
	assert_non_null(strstr(out, "refund 1 (RF-1) paid"));
	assert_non_null(strstr(out, "by minji trx cd34"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "refunds list%s", ""), 0);
	assert_non_null(strstr(out, "no refunds owed"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "report --flagged%s", ""), 0);
	assert_null(strstr(out, "RF-1"));
}

static void test_receipt_only_for_a_paid_order(void **state)
{
	struct fx *f = *state;
	char out[16384], bin[600];

	fixture(f);
	snprintf(bin, sizeof(bin), "%s/r.bin", f->c.dir);
	/* A3 was cancelled (refunded), A2 is only ready: neither is paid. */
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "receipt --order A3 --out %s", bin),
	                 1);
	assert_non_null(strstr(out, "order A3 is cancelled, not paid: no receipt"));
	assert_int_equal(ctlfx_run(f->c.site, out, sizeof(out), "receipt --order A2 --out %s", bin),
	                 1);
	assert_non_null(strstr(out, "not paid"));
	/* B1 was paid in cash: the receipt carries the confirmation's time and method. */
	assert_int_equal(
	    ctlfx_run(f->c.site, out, sizeof(out), "receipt --order B1 --lang en --out %s", bin),
	    0);
	assert_non_null(strstr(out, "order B1 paid 2026-12-04 14:30 KST (cash)"));
	assert_int_equal(
	    ctlfx_run(f->site_utc, out, sizeof(out), "receipt --order B1 --out %s", bin), 0);
	assert_non_null(strstr(out, "order B1 paid 2026-12-04 05:30 UTC (cash)"));
}

/* A request of W9 (12000 KRW) for amount HIVE at rate, its lock in the journal. */
static void won_request(struct store *s, const char *memo, int64_t amount, const char *rate,
                        int64_t at_ms)
{
	struct store_request r = {.order_id = "W9",
	                          .amount = hive(amount),
	                          .created_ms = at_ms,
	                          .expires_ms = at_ms + 900000};
	struct store_rate_lock l = {
	    .krw = 12000, .source = "staff", .rate_ms = at_ms, .until_ms = at_ms + 900000};

	snprintf(r.memo, sizeof(r.memo), "%s", memo);
	snprintf(l.memo, sizeof(l.memo), "%s", memo);
	assert_int_equal(rate_parse(rate, &l.rate, NULL), KERR_OK);
	assert_int_equal(store_request_insert_locked(s, &r, &l), KERR_OK);
}

/*
 * A won-priced order paid in part to its first request (locked at 312)
 * and the rest to a later one (locked at 400): each payment is valued at
 * the rate of the request it paid, not the order's current one.
 */
static void test_the_won_close_values_a_payment_at_its_own_request_rate(void **state)
{
	struct fx *f = *state;
	struct clock_fake clk;
	struct store *s;
	char out[16384];

	clock_fake_init(&clk, DAY0 + 30 * 60 * 1000LL);
	assert_int_equal(store_open(f->c.journal, &clk.base, &s), KERR_OK);
	order(s, "W9", "alice", (struct asset){.amount = 12000, .precision = 0, .symbol = "KRW"});
	won_request(s, "KP-W9FIRST", 38462, "312", DAY0 + 3600000);
	/* The memo rule: a wallet's spaces, line end and lower case still name the request. */
	transfer(s, "e1", "alice", hive(20000), DAY0 + 3700000, " kp-w9first\n", "W9",
	         STORE_TRANSFER_MATCHED);
	won_request(s, "KP-W9LATER", 14000, "400", DAY0 + 7200000);
	transfer(s, "e2", "alice", hive(10000), DAY0 + 7300000, "KP-W9LATER", "W9",
	         STORE_TRANSFER_MATCHED);
	store_close(s);
	assert_int_equal(
	    ctlfx_run(f->c.site, out, sizeof(out), "report --day 2026-12-04 --csv%s", ""), 0);
	/* 20.000 x 312 = 6240 and 10.000 x 400 = 4000; at the later rate alone it was 12000. */
	if (!strstr(out, "won,HIVE,KRW,2,10240 KRW\n") ||
	    !strstr(out, "won,total,KRW,2,10240 KRW\n"))
		fail_msg("the daily close says:\n%s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_daily_close_totals_by_hand, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_lists_every_movement_as_csv, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_flagged_includes_refunds_due_and_unmatched_money,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refunds_list_and_done, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_receipt_only_for_a_paid_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_the_won_close_values_a_payment_at_its_own_request_rate, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
