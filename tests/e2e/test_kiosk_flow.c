/*
 * The kiosk end to end on the simulated board, offline: a member picks an
 * order by number and sees its payment QR; staff confirm the payment with
 * a TOTP code; the compartment opens (intent and outcome journaled); a
 * restart in the middle of a handover never opens it again on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/clock.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	char *dir;
	char *board, *site;
	char journal[512], secrets[512];
	struct staff_db staff;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char text[2048];
	struct rng_fake rng;
	struct store *s;
	struct order o;

	f->dir = tmpdir_or_fail();
	snprintf(f->journal, sizeof(f->journal), "%s/j.db", f->dir);
	snprintf(f->secrets, sizeof(f->secrets), "%s/staff.secrets", f->dir);
	snprintf(text, sizeof(text),
	         "[board]\nname = t\n[display]\nbackend = sim\ndevice = %s/frames\n[gpio]\nbackend = sim\n"
	         "[lockers]\npulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\ndoor = GPIO19\n"
	         "[printer]\nbackend = sim\ndevice = %s/receipt.bin\n[input]\nsim_stdin = yes\n",
	         f->dir, f->dir);
	f->board = write_file_or_fail(f->dir, "board.conf", text);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\nlanguage = en\njournal = %s\n[staff]\nsecrets_path = %s\n",
	         f->journal, f->secrets);
	f->site = write_file_or_fail(f->dir, "site.conf", text);
	/* A staff member, and an order waiting in the journal. */
	rng_fake_init(&rng, 7);
	assert_int_equal(staff_db_load(f->secrets, &f->staff), KERR_OK);
	assert_int_equal(staff_db_add(&f->staff, "minji", &rng.base), KERR_OK);
	assert_int_equal(staff_db_save(&f->staff), KERR_OK);
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	strcpy(o.member, "alice");
	o.item_count = 1;
	strcpy(o.items[0].name, "감자");
	o.items[0].quantity = 1;
	o.items[0].unit_price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.price = o.items[0].unit_price;
	o.compartment = 3;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	store_close(s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->dir);
	free(f->dir);
	free(f->board);
	free(f->site);
	free(f);
	return 0;
}

static void current_code(struct fx *f, char code[7])
{
	uint32_t c;
	int64_t now = (int64_t)time(NULL);

	/* Stay clear of a step boundary, so the kiosk sees the same step. */
	if (now % 30 > 25) {
		struct timespec ts = {.tv_sec = 31 - now % 30};

		nanosleep(&ts, NULL);
		now = (int64_t)time(NULL);
	}
	assert_int_equal(totp_code_at_step(staff_hmac(), TOTP_SHA1, f->staff.m[0].secret,
	                                   f->staff.m[0].secret_len, (uint64_t)now / 30, 6, &c),
	                 KERR_OK);
	snprintf(code, 7, "%06u", c);
}

static void run_kiosk(struct fx *f, const char *input, int secs)
{
	char *in = write_file_or_fail(f->dir, "input.txt", input);
	char args[2048], out[65536];

	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug < %s", f->board,
	         f->site, runbin_scale(secs), in);
	/* Our "<" comes after runbin's </dev/null, so it is the one that counts. */
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	if (getenv("KIOSK_DEBUG_DIR"))
		print_message("%s\n", out);
	free(in);
}

static void test_member_picks_order_staff_confirm_compartment_opens(void **state)
{
	struct fx *f = *state;
	char input[256], code[7], cmd[1200], got[1024] = "";
	struct store *s;
	struct order o;
	struct store_request r;
	struct store_handover pend[4];
	struct store_confirmation c[4];
	unsigned n;
	FILE *z;

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n1\n", code);
	run_kiosk(f, input, 3);
	if (getenv("KIOSK_DEBUG_DIR")) { char c2[700]; snprintf(c2, sizeof(c2), "cp -r %s %s", f->dir, getenv("KIOSK_DEBUG_DIR")); if (system(c2)) {} }

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "handed_over");
	assert_int_equal(store_request_of_order(s, "A1024", &r), KERR_OK);
	assert_int_equal(strncmp(r.memo, "KP-", 3), 0);
	assert_int_equal(store_handover_pending(s, pend, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_confirmation_list(s, "pending", c, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].staff, "minji");
	store_close(s);

	/* The payment screen was frame 1: its QR carries the request's memo. */
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/frames/frame-0001.png 2>/dev/null", f->dir);
	z = popen(cmd, "r");
	assert_non_null(z);
	if (!fgets(got, sizeof(got), z))
		got[0] = '\0';
	pclose(z);
	assert_int_equal(strncmp(got, "hive://sign/op/", 15), 0);
}

static void test_a_wrong_code_gets_nowhere(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct order o;

	run_kiosk(f, "1024\nstaff\n000000\n1\n", 2);
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "awaiting_payment");
	store_close(s);
}

static void test_restart_mid_handover_waits_for_staff(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct order o;
	struct store_handover pend[4];
	unsigned n;
	int64_t id;

	/* The journal as a power cut would leave it: intent written, no outcome. */
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_set_state(s, "A1024", ORDER_READY, ORDER_PAID, "test"), KERR_OK);
	assert_int_equal(store_handover_intent(s, "A1024", "locker", 3, &id), KERR_OK);
	assert_int_equal(store_order_set_state(s, "A1024", ORDER_PAID, ORDER_HANDING_OVER, "test"), KERR_OK);
	store_close(s);

	run_kiosk(f, "1024\n", 2);

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	/* Marked interrupted, and the member's "1024" did not open it again. */
	assert_string_equal(order_state_name(o.state), "handover_failed");
	assert_int_equal(store_handover_pending(s, pend, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_member_picks_order_staff_confirm_compartment_opens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_wrong_code_gets_nowhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_mid_handover_waits_for_staff, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
