/* kioskctl orders / status / report against a real journal. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk/clock.h"
#include "kiosk/pickup.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	char *dir;
	char *site;
	char journal[512];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char text[1024];

	f->dir = tmpdir_or_fail();
	snprintf(f->journal, sizeof(f->journal), "%s/j.db", f->dir);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s\n",
	         f->journal);
	f->site = write_file_or_fail(f->dir, "site.conf", text);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->dir);
	free(f->dir);
	free(f->site);
	free(f);
	return 0;
}

KIOSK_PRINTF(4, 5)
static int run(struct fx *f, char *out, size_t max, const char *fmt, ...)
{
	char cmd[2048], args[1500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s --site %s", args, f->site);
	return runbin_or_fail("kioskctl", cmd, out, max);
}

static void test_import_is_all_or_nothing_and_lists_what_is_wrong(void **state)
{
	struct fx *f = *state;
	char out[8192], *good, *bad;
	static const char good_csv[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                               "A1,alice,감자,2,1.500 HIVE,locker,3\n"
	                               "B2,bob,사과,1,0.500 HBD,receipt,\n";
	static const char bad_csv[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                              "C3,carol,배추,1,1.000 HIVE,locker,4\n"
	                              "D4,Dave,배추,1,1.000 HIVE,locker,4\n"
	                              "E5,erin,배추,1,1.000 STEEM,locker,4\n";

	good = write_file_or_fail(f->dir, "good.csv", good_csv);
	bad = write_file_or_fail(f->dir, "bad.csv", bad_csv);
	assert_int_equal(run(f, out, sizeof(out), "orders import %s", good), 0);
	assert_non_null(strstr(out, "imported 2 orders"));
	assert_int_equal(run(f, out, sizeof(out), "orders import %s", bad), 2);
	assert_non_null(strstr(out, "row 3, member"));
	assert_non_null(strstr(out, "row 4, unit_price"));
	/* The same file again: every id exists, nothing changes. */
	assert_int_equal(run(f, out, sizeof(out), "orders import %s", good), 1);
	assert_non_null(strstr(out, "already in the journal"));
	assert_int_equal(run(f, out, sizeof(out), "orders list%s", ""), 0);
	assert_non_null(strstr(out, "A1\tready\talice\t3.000 HIVE\tlocker 3"));
	assert_non_null(strstr(out, "B2\tready\tbob\t0.500 HBD\treceipt 0"));
	assert_null(strstr(out, "C3"));
	assert_int_equal(run(f, out, sizeof(out), "orders show %s", "A1"), 0);
	assert_non_null(strstr(out, "감자 x2 @ 1.500 HIVE"));
	assert_int_equal(run(f, out, sizeof(out), "orders cancel %s", "B2"), 0);
	assert_non_null(strstr(out, "B2: cancelled"));
	assert_int_equal(run(f, out, sizeof(out), "orders cancel %s", "B2"), 1);
	assert_int_equal(run(f, out, sizeof(out), "orders list --state %s", "cancelled"), 0);
	assert_non_null(strstr(out, "B2"));
	assert_null(strstr(out, "A1"));
	assert_int_equal(run(f, out, sizeof(out), "orders show %s", "ZZ"), 1);
	free(good);
	free(bad);
}

/*
 * Imported orders get pickup codes; --codes-out writes them once, for a
 * mail merge (0600), and the journal keeps only their hashes; a failed
 * import writes no codes file. orders pickup voids and replaces a code;
 * orders unlock lifts a lockout.
 */
static void test_import_writes_the_pickup_codes_once(void **state)
{
	struct fx *f = *state;
	char out[8192], codes[600], line[256], id[ORDER_ID_MAX + 1], code[PICKUP_DIGITS_MAX + 1];
	char a1code[PICKUP_DIGITS_MAX + 1] = "";
	char *good, *bad, *text;
	static const char good_csv[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                               "A1,alice,감자,2,1.500 HIVE,locker,3\n"
	                               "B2,bob,사과,1,0.500 HBD,receipt,\n";
	static const char bad_csv[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                              "C3,Carol,배추,1,1.000 HIVE,locker,4\n";
	struct store_pickup p;
	struct store *s;
	struct stat st;
	struct lockout l = {.level = 1};
	FILE *in;
	unsigned rows = 0;
	size_t n;

	good = write_file_or_fail(f->dir, "good.csv", good_csv);
	bad = write_file_or_fail(f->dir, "bad.csv", bad_csv);
	snprintf(codes, sizeof(codes), "%s/codes.csv", f->dir);
	assert_int_equal(run(f, out, sizeof(out), "orders import %s --codes-out %s", bad, codes),
	                 2);
	assert_int_equal(stat(codes, &st), -1);
	assert_int_equal(run(f, out, sizeof(out), "orders import %s --codes-out %s", good, codes),
	                 0);
	assert_non_null(strstr(out, "pickup codes written to"));
	assert_int_equal(stat(codes, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	in = fopen(codes, "r");
	assert_non_null(in);
	assert_non_null(fgets(line, sizeof(line), in));
	assert_string_equal(line, "order,member,code,qr\n");
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	text = read_file_or_fail(f->journal, &n);
	while (fgets(line, sizeof(line), in)) {
		char member[32], qr[128], want[128];

		assert_int_equal(
		    sscanf(line, "%32[^,],%31[^,],%10[^,],%127s", id, member, code, qr), 4);
		assert_int_equal(strlen(code), 6);
		snprintf(want, sizeof(want), "kiosk:pickup:%s:%s", id, code);
		assert_string_equal(qr, want);
		assert_string_equal(member, strcmp(id, "A1") == 0 ? "alice" : "bob");
		assert_int_equal(store_pickup_get(s, id, &p), KERR_OK);
		assert_true(pickup_matches(&p, code));
		assert_null(memmem(text, n, qr, strlen(qr)));
		if (strcmp(id, "A1") == 0)
			snprintf(a1code, sizeof(a1code), "%s", code);
		rows++;
	}
	free(text);
	fclose(in);
	assert_int_equal(rows, 2);

	/* A new code voids the old one; the QR can be written as a PNG. */
	assert_int_equal(run(f, out, sizeof(out), "orders pickup A1 --png %s/a1.png", f->dir), 0);
	assert_non_null(strstr(out, "the earlier pickup code of A1 is void"));
	assert_non_null(strstr(out, "pickup code: "));
	assert_non_null(strstr(out, "pickup qr: kiosk:pickup:A1:"));
	assert_int_equal(store_pickup_get(s, "A1", &p), KERR_OK);
	assert_false(pickup_matches(&p, a1code));
	/* A lockout, shown by status and lifted by staff. */
	l.until_ms = clock_real_ms(clock_system()) + 15 * 60 * 1000;
	assert_int_equal(store_lockout_put(s, "order:A1", &l), KERR_OK);
	store_close(s);
	assert_int_equal(run(f, out, sizeof(out), "status%s", ""), 0);
	assert_non_null(strstr(out, "order:A1 locked for 15 more min"));
	assert_int_equal(run(f, out, sizeof(out), "orders unlock %s", "A1"), 0);
	assert_non_null(strstr(out, "A1: unlocked"));
	assert_int_equal(run(f, out, sizeof(out), "status%s", ""), 0);
	assert_null(strstr(out, "order:A1 locked"));
	assert_int_equal(run(f, out, sizeof(out), "orders unlock %s", "A1"), 0);
	assert_non_null(strstr(out, "A1: not locked"));
	free(good);
	free(bad);
}

static void test_status_and_report_read_the_journal(void **state)
{
	struct fx *f = *state;
	struct clock_fake clk;
	struct store *s;
	struct order o;
	struct store_transfer t;
	struct store_confirmation c = {
	    .order_id = "A1", .staff = "minji", .method = PAY_CHAIN_PENDING};
	struct asset due = {.amount = 2250, .precision = 3, .symbol = "HIVE"};
	int64_t id;
	char out[8192];

	clock_fake_init(&clk, 1795478400000LL); /* 2026-11-24 */
	assert_int_equal(store_open(f->journal, &clk.base, &s), KERR_OK);
	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1");
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.compartment = 3;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	memset(&t, 0, sizeof(t));
	strcpy(t.trx_id, "aa11bb22");
	strcpy(t.from, "alice");
	strcpy(t.to, "coop");
	t.timestamp_ms = 1795478500000LL;
	t.amount = (struct asset){.amount = 5000, .precision = 3, .symbol = "HIVE"};
	assert_int_equal(store_transfer_insert(s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(s, t.rowid, "A1"), KERR_OK);
	assert_int_equal(store_handover_intent(s, "A1", HANDOVER_LOCKER, 3, &id), KERR_OK);
	assert_int_equal(store_confirmation_insert(s, &c), KERR_OK);
	assert_int_equal(store_confirmation_settle(s, c.id, RECONCILE_UNDERPAID, &due), KERR_OK);
	store_close(s);

	assert_int_equal(run(f, out, sizeof(out), "status%s", ""), 0);
	assert_non_null(strstr(out, "ready=1"));
	assert_non_null(strstr(out, "pending handovers: 1"));
	assert_non_null(strstr(out, "flagged for staff: 1"));
	assert_int_equal(run(f, out, sizeof(out), "report --from %s --to 2026-11-24", "2026-11-24"),
	                 0);
	assert_non_null(strstr(out, "kind,time,order,who,amount,detail\n"));
	assert_non_null(strstr(out, "payment,2026-11-24T00:01:40Z,A1,alice,5.000 HIVE,aa11bb22\n"));
	assert_non_null(strstr(out, "handover,2026-11-24T00:00:00Z,A1,locker 3,,interrupted\n"));
	assert_int_equal(run(f, out, sizeof(out), "report --from %s --to 2026-11-23", "2026-11-23"),
	                 0);
	assert_string_equal(out, "kind,time,order,who,amount,detail\n");
	assert_int_equal(run(f, out, sizeof(out), "report --flagged%s", ""), 0);
	assert_non_null(strstr(out, "A1,minji,chain_pending,underpaid,2.250 HIVE,"));
	assert_int_equal(run(f, out, sizeof(out), "report --from %s", "24-11-2026"), 2);
}

/* Part paid: the request asks for what is still due, as the kiosk's screen does. */
static void test_request_for_an_underpaid_order_asks_for_what_is_due(void **state)
{
	struct fx *f = *state;
	struct clock_fake clk;
	struct store *s;
	struct order o;
	struct store_transfer t;
	char out[8192];

	clock_fake_init(&clk, 1795478400000LL);
	assert_int_equal(store_open(f->journal, &clk.base, &s), KERR_OK);
	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1");
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.compartment = 3;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	memset(&t, 0, sizeof(t));
	strcpy(t.trx_id, "aa11bb22");
	strcpy(t.from, "alice");
	strcpy(t.to, "coop");
	t.timestamp_ms = 1795478500000LL;
	t.amount = (struct asset){.amount = 5000, .precision = 3, .symbol = "HIVE"};
	assert_int_equal(store_transfer_insert(s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(s, t.rowid, "A1"), KERR_OK);
	assert_int_equal(
	    store_order_set_state(s, "A1", ORDER_READY, ORDER_UNDERPAID, "part paid on chain"),
	    KERR_OK);
	store_close(s);

	assert_int_equal(run(f, out, sizeof(out), "orders request %s", "A1"), 0);
	assert_non_null(strstr(out, "order\tA1\namount\t2.250 HIVE\nto\tcoop\n"));
	assert_int_equal(run(f, out, sizeof(out), "orders list --state %s", "underpaid"), 0);
	assert_non_null(strstr(out, "A1\tunderpaid"));
	/* Money came in: cancelling leaves a refund due. */
	assert_int_equal(run(f, out, sizeof(out), "orders cancel %s", "A1"), 0);
	assert_non_null(strstr(out, "A1: refund_due (money was received: refund it)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_import_is_all_or_nothing_and_lists_what_is_wrong,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_and_report_read_the_journal, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_import_writes_the_pickup_codes_once, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_request_for_an_underpaid_order_asks_for_what_is_due, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
