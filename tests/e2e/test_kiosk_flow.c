/*
 * The kiosk end to end on the simulated board, offline: a member picks an
 * order by number (stdin, or a USB keypad or scanner) and sees its payment
 * QR; staff confirm the payment with a TOTP code (paid on chain but not yet
 * seen, cash, bank transfer, or waived with a reason) or cancel the order;
 * the compartment opens (intent and outcome journaled); a restart in the
 * middle of a handover never opens it again on its own.
 */
#include <fcntl.h>
#include <linux/input.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "kiosk/uri.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	char *dir;
	char *board, *site;
	char journal[512], secrets[512];
	struct staff_db staff;
};

/* The simulated board; extra lines go into its [input] section. */
static void write_board(struct fx *f, const char *input_extra)
{
	char text[2048];

	free(f->board);
	snprintf(text, sizeof(text),
	         "[board]\nname = t\n[display]\nbackend = sim\ndevice = %s/frames\n[gpio]\nbackend "
	         "= sim\n"
	         "[lockers]\npulse_ms = 300\n[locker.3]\nlock = GPIO6\nlock_active_low = yes\ndoor "
	         "= GPIO19\n"
	         "[printer]\nbackend = sim\ndevice = %s/receipt.bin\n[input]\nsim_stdin = yes\n%s",
	         f->dir, f->dir, input_extra);
	f->board = write_file_or_fail(f->dir, "board.conf", text);
}

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
	write_board(f, "");
	snprintf(
	    text, sizeof(text),
	    "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	    "[kiosk]\ncoop_name = t\nlanguage = en\njournal = %s\n[staff]\nsecrets_path = %s\n",
	    f->journal, f->secrets);
	f->site = write_file_or_fail(f->dir, "site.conf", text);
	/* A staff member, and an order waiting in the journal. */
	rng_fake_init(&rng, 7);
	assert_int_equal(staff_db_load(f->secrets, &f->staff), KERR_OK);
	assert_int_equal(staff_db_add(&f->staff, "minji", &rng.base), KERR_OK);
	assert_int_equal(staff_db_add(&f->staff, "jisoo", &rng.base), KERR_OK);
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

/* Staff member who's code now (each code is accepted once only). */
static void current_code_of(struct fx *f, unsigned who, char code[7])
{
	uint32_t c;
	int64_t now = (int64_t)time(NULL);

	/* Stay clear of a step boundary, so the kiosk sees the same step. */
	if (now % 30 > 25) {
		struct timespec ts = {.tv_sec = 31 - now % 30};

		nanosleep(&ts, NULL);
		now = (int64_t)time(NULL);
	}
	assert_int_equal(totp_code_at_step(staff_hmac(), TOTP_SHA1, f->staff.m[who].secret,
	                                   f->staff.m[who].secret_len, (uint64_t)now / 30, 6, &c),
	                 KERR_OK);
	snprintf(code, 7, "%06u", c);
}

static void current_code(struct fx *f, char code[7])
{
	current_code_of(f, 0, code);
}

static void run_kiosk(struct fx *f, const char *input, int secs)
{
	char *in = write_file_or_fail(f->dir, "input.txt", input);
	char args[2048], out[65536];

	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug < %s",
	         f->board, f->site, runbin_scale(secs), in);
	/* Our "<" comes after runbin's </dev/null, so it is the one that counts. */
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	free(in);
}

/* The one confirmation the kiosk journaled, and the order's state. */
static void journal_after(struct fx *f, const char *want_state, struct store_confirmation *c,
                          unsigned *nc)
{
	struct store *s;
	struct order o;

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), want_state);
	assert_int_equal(store_confirmation_list(s, -1, c, 4, nc), KERR_OK);
	store_close(s);
}

/* The first sim frame whose QR decodes, or "". */
static void first_qr(struct fx *f, char *got, size_t cap)
{
	got[0] = '\0';
	for (int i = 0; i < 30 && !got[0]; i++) {
		char cmd[1200];
		FILE *z;

		snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/frames/frame-%04d.png 2>/dev/null",
		         f->dir, i);
		z = popen(cmd, "r");
		assert_non_null(z);
		if (!fgets(got, (int)cap, z))
			got[0] = '\0';
		pclose(z);
	}
}

static void test_member_picks_order_staff_confirm_compartment_opens(void **state)
{
	struct fx *f = *state;
	char input[256], code[7], got[1024] = "", *json = NULL;
	struct store *s;
	struct order o;
	struct store_request r;
	struct store_handover pend[4];
	struct store_confirmation c[4];
	unsigned n;

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n1\n", code);
	run_kiosk(f, input, 3);

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "handed_over");
	assert_int_equal(store_request_of_order(s, "A1024", &r), KERR_OK);
	assert_int_equal(strncmp(r.memo, "KP-", 3), 0);
	assert_int_equal(store_handover_pending(s, pend, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_confirmation_list(s, RECONCILE_PENDING, c, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].staff, "minji");
	assert_int_equal(c[0].method, PAY_CHAIN_PENDING);
	store_close(s);

	/* The payment screen's QR carries the request's memo. */
	first_qr(f, got, sizeof(got));
	assert_int_equal(strncmp(got, "hive://sign/op/", 15), 0);
	got[strcspn(got, "\n")] = '\0';
	assert_int_equal(uri_decode(got, &json), KERR_OK);
	assert_non_null(strstr(json, r.memo));
	free(json);
}

static void test_cash_is_settled_at_once(void **state)
{
	struct fx *f = *state;
	char input[256], code[7];
	struct store_confirmation c[4];
	unsigned n;

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n4\n", code);
	run_kiosk(f, input, 3);
	journal_after(f, "handed_over", c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].method, PAY_CASH);
	/* Nothing for the chain catch-up to do, nothing for staff to follow up. */
	assert_int_equal(c[0].settlement, RECONCILE_SETTLED);
	assert_int_equal(c[0].due.amount, 0);
}

static void test_waived_needs_a_reason_and_journals_it(void **state)
{
	struct fx *f = *state;
	char input[256], code[7];
	struct store_confirmation c[4];
	unsigned n;

	/* 6 alone asks for the reason: nothing happens until one is picked. */
	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n6\n", code);
	run_kiosk(f, input, 2);
	journal_after(f, "awaiting_payment", c, &n);
	assert_int_equal(n, 0);

	current_code_of(f, 1, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n6\n1\n", code);
	run_kiosk(f, input, 3);
	journal_after(f, "handed_over", c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].method, PAY_WAIVED);
	assert_string_equal(c[0].reason, "damaged or missing goods");
	assert_string_equal(c[0].staff, "jisoo");
	assert_int_equal(c[0].settlement, RECONCILE_SETTLED);
}

static void test_staff_cancel_opens_nothing(void **state)
{
	struct fx *f = *state;
	char input[256], code[7];
	struct store_confirmation c[4];
	struct store_handover pend[4];
	struct store *s;
	unsigned n;

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n3\n", code);
	run_kiosk(f, input, 2);
	journal_after(f, "cancelled", c, &n);
	assert_int_equal(n, 0);
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_handover_pending(s, pend, 4, &n), KERR_OK);
	assert_int_equal(n, 0);
	store_close(s);
}

static void test_staff_keys_need_an_order(void **state)
{
	struct fx *f = *state;
	char input[256], code[7];
	struct store_confirmation c[4];
	unsigned n;

	/* Staff mode from the idle screen: "cash" has no order to act on. */
	current_code(f, code);
	snprintf(input, sizeof(input), "staff\n%s\n4\n", code);
	run_kiosk(f, input, 2);
	journal_after(f, "ready", c, &n);
	assert_int_equal(n, 0);
}

static void test_codes_are_refused_while_the_clock_is_behind_the_journal(void **state)
{
	struct fx *f = *state;
	char input[256], code[7];
	struct store_confirmation c[4];
	struct clock_fake later;
	struct store *s;
	unsigned n;

	/* The journal saw a day later than now: this boot's clock is wrong. */
	clock_fake_init(&later, (int64_t)time(NULL) * 1000 + 86400000LL);
	assert_int_equal(store_open(f->journal, &later.base, &s), KERR_OK);
	assert_int_equal(store_event(s, NULL, "test", "a day ahead"), KERR_OK);
	store_close(s);

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n4\n", code);
	run_kiosk(f, input, 2);
	journal_after(f, "awaiting_payment", c, &n);
	assert_int_equal(n, 0);
}

static void write_key(int fd, unsigned short code, int value)
{
	struct input_event ev[2] = {{.type = EV_KEY, .code = code, .value = value},
	                            {.type = EV_SYN, .code = SYN_REPORT}};

	if (write(fd, ev, sizeof(ev)) != (ssize_t)sizeof(ev))
		_exit(2);
}

/* Key presses as a USB keyboard's evdev node gives them; KEY_LEFTSHIFT
 * holds shift down for the key after it. */
static void write_keys(int fd, const unsigned short *codes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool shift = codes[i] == KEY_LEFTSHIFT && i + 1 < n;

		if (shift)
			write_key(fd, codes[i++], 1);
		write_key(fd, codes[i], 1);
		write_key(fd, codes[i], 0);
		if (shift)
			write_key(fd, KEY_LEFTSHIFT, 0);
	}
}

/* Runs the kiosk with its keypad (or scanner) on a FIFO we write evdev events into. */
static void run_with_device(struct fx *f, const char *role, const unsigned short *codes, size_t n)
{
	char path[600], extra[700];
	pid_t child;
	int status;

	snprintf(path, sizeof(path), "%s/%s", f->dir, role);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(extra, sizeof(extra), "%s = %s\n", role, path);
	write_board(f, extra);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* Blocks until the kiosk opens its end, as a device node would be there. */
		int fd = open(path, O_WRONLY);

		if (fd < 0)
			_exit(1);
		write_keys(fd, codes, n);
		sleep(1);
		close(fd);
		_exit(0);
	}
	run_kiosk(f, "", 3);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_the_usb_keypad_picks_an_order(void **state)
{
	struct fx *f = *state;
	const unsigned short keys[] = {KEY_KP1, KEY_KP0, KEY_KP2, KEY_KP4, KEY_KPENTER};
	struct store_confirmation c[4];
	unsigned n;

	run_with_device(f, "keypad", keys, ARRAY_SIZE(keys));
	journal_after(f, "awaiting_payment", c, &n);
}

static void test_staff_confirm_cash_from_the_keypad_alone(void **state)
{
	struct fx *f = *state;
	static const unsigned short kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
	                                      KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
	unsigned short keys[16];
	struct store_confirmation c[4];
	char code[7];
	size_t n = 0;
	unsigned nc;

	/* 1024 Enter, then * for staff, the code, and 4 for cash. */
	current_code(f, code);
	keys[n++] = KEY_KP1;
	keys[n++] = KEY_KP0;
	keys[n++] = KEY_KP2;
	keys[n++] = KEY_KP4;
	keys[n++] = KEY_KPENTER;
	keys[n++] = KEY_KPASTERISK;
	for (int i = 0; i < 6; i++)
		keys[n++] = kp[code[i] - '0'];
	keys[n++] = KEY_KP4;
	run_with_device(f, "keypad", keys, n);
	journal_after(f, "handed_over", c, &nc);
	assert_int_equal(nc, 1);
	assert_int_equal(c[0].method, PAY_CASH);
}

static void test_the_scanner_reads_the_pickup_qr(void **state)
{
	struct fx *f = *state;
	/* "order:A1024" on a US-layout scanner: shift for the capital A. */
	const unsigned short keys[] = {KEY_O,         KEY_R,         KEY_D,         KEY_E,    KEY_R,
	                               KEY_LEFTSHIFT, KEY_SEMICOLON, KEY_LEFTSHIFT, KEY_A,    KEY_1,
	                               KEY_0,         KEY_2,         KEY_4,         KEY_ENTER};
	struct store_confirmation c[4];
	unsigned n;

	run_with_device(f, "scanner", keys, ARRAY_SIZE(keys));
	journal_after(f, "awaiting_payment", c, &n);
}

static void test_gpio_buttons_browse_pick_and_call_staff(void **state)
{
	struct fx *f = *state;
	char *in, args[2048], out[65536];
	struct store *s;
	struct order o;

	/* Buttons wired as on the Pi (active low, pull-up): next, then OK picks the order. */
	write_board(f, "next = GPIO25\nnext_active_low = yes\nok = GPIO27\nok_active_low = yes\n"
	               "staff = GPIO9\nstaff_active_low = yes\nbias = pull-up\n");
	in = write_file_or_fail(f->dir, "input.txt", "press GPIO25\n");
	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug < %s",
	         f->board, f->site, runbin_scale(2), in);
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	free(in);
	/* Next (button 0) reached the idle screen through the GPIO path. */
	assert_non_null(strstr(out, "input: kind 0 key 0 button 0 in mode 0"));

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "ready");
	store_close(s);

	/* Next shows the order, OK picks it: its payment request is up. */
	in = write_file_or_fail(f->dir, "input.txt", "press GPIO25\npress GPIO27\n");
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	free(in);
	assert_non_null(strstr(out, "button 2 in mode 0"));
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, "A1024", &o), KERR_OK);
	assert_string_equal(order_state_name(o.state), "awaiting_payment");
	store_close(s);

	/* The staff button opens the code screen from anywhere. */
	in = write_file_or_fail(f->dir, "input.txt", "press GPIO9\n");
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	free(in);
	assert_non_null(strstr(out, "button 3 in mode 0"));
}

/* What zbarimg reads on the kiosk's current frame, or "". */
static void screen_qr(struct fx *f, char *got, size_t cap)
{
	char cmd[1200];
	FILE *z;

	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/frames/latest.png 2>/dev/null", f->dir);
	z = popen(cmd, "r");
	assert_non_null(z);
	if (!fgets(got, (int)cap, z))
		got[0] = '\0';
	got[strcspn(got, "\n")] = '\0';
	pclose(z);
}

static void type(int w, const char *text)
{
	assert_int_equal(write(w, text, strlen(text)), (ssize_t)strlen(text));
}

/*
 * Staff enrolled and removed with kioskctl while the kiosk runs: the new
 * member's QR (it holds their secret) never shows on the idle kiosk by
 * itself; it appears on the kiosk's own screen when a colleague logged in
 * there picks 7 on the staff menu; the new member's code works at once,
 * the removed member's code no longer does, and the kiosk's own rewrite of
 * the secrets file keeps what kioskctl changed.
 */
static void test_staff_enrolled_while_running_see_their_qr_on_the_kiosk_and_log_in(void **state)
{
	struct fx *f = *state;
	char log[600], args[2048], out[65536], got[1024] = "", code[7], *uri;
	struct store_confirmation c[4];
	struct staff_db db;
	unsigned n = 0;
	int w, status, waited;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/kiosk.log", f->dir);
	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug",
	         f->board, f->site, runbin_scale(60));
	pid = runbin_spawn_or_fail("kiosk", args, log, &w);
	/* Up once its first frame is out (requests from before its start are not shown). */
	snprintf(out, sizeof(out), "%s/frames/latest.png", f->dir);
	for (waited = 0; access(out, F_OK) != 0; waited += 50) {
		if (waited > runbin_scale(10) * 1000)
			fail_msg("the kiosk drew nothing in 10 s; see %s", log);
		sleep_ms(50);
	}

	snprintf(args, sizeof(args), "staff add newbie --no-qr --on-kiosk --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	uri = strstr(out, "otpauth://totp/t:newbie?secret=");
	assert_non_null(uri);
	uri[strcspn(uri, "\n")] = '\0';
	/* Not on the idle screen by itself (it used to be, for anybody passing by). */
	for (waited = 0; waited < runbin_scale(3) * 1000; waited += 500) {
		sleep_ms(500);
		screen_qr(f, got, sizeof(got));
		assert_string_equal(got, "");
	}
	/* jisoo logs in and asks for it. */
	current_code_of(f, 1, code);
	type(w, "staff\n");
	type(w, code);
	type(w, "\n7\n");
	for (waited = 0; strcmp(got, uri) != 0; waited += 200) {
		if (waited > runbin_scale(10) * 1000) {
			char *text;

			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			text = read_file_or_fail(log, NULL);
			fputs(text, stderr);
			free(text);
			fail_msg(
			    "the enrolment QR never showed on the kiosk (last read: '%s'); see %s",
			    got, log);
		}
		sleep_ms(200);
		screen_qr(f, got, sizeof(got));
	}
	snprintf(args, sizeof(args), "staff remove minji --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);

	/* Any key takes the secret off the screen (an Enter within half a second
	 * of it going up is the end of the "7" line that asked for it). */
	sleep_ms(600);
	type(w, "enter\n");
	for (waited = 0; got[0]; waited += 200) {
		if (waited > runbin_scale(10) * 1000)
			fail_msg("the enrolment QR stayed on screen after a key; see %s", log);
		sleep_ms(200);
		screen_qr(f, got, sizeof(got));
	}
	/* minji (removed) is refused; newbie (added a moment ago) confirms cash. */
	current_code_of(f, 0, code);
	type(w, "1024\nstaff\n");
	type(w, code);
	type(w, "\n");
	assert_int_equal(staff_db_load(f->secrets, &db), KERR_OK);
	assert_non_null(staff_db_find(&db, "newbie"));
	f->staff = db;
	current_code_of(f, (unsigned)(staff_db_find(&f->staff, "newbie") - f->staff.m), code);
	type(w, code);
	type(w, "\n4\n");
	for (waited = 0; n == 0; waited += 200) {
		struct store *s;

		if (waited > runbin_scale(15) * 1000)
			fail_msg("no confirmation journaled; see %s", log);
		sleep_ms(200);
		assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
		assert_int_equal(store_confirmation_list(s, -1, c, 4, &n), KERR_OK);
		store_close(s);
	}
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(w);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].staff, "newbie");
	assert_int_equal(c[0].method, PAY_CASH);

	/* The kiosk saved newbie's used code without undoing kioskctl's changes. */
	assert_int_equal(staff_db_load(f->secrets, &db), KERR_OK);
	assert_int_equal(db.count, 2);
	assert_null(staff_db_find(&db, "minji"));
	assert_non_null(staff_db_find(&db, "jisoo"));
	assert_true(staff_db_find(&db, "newbie")->last_step > 0);
	{
		char *text = read_file_or_fail(log, NULL);

		assert_non_null(
		    strstr(text, "staff enrolment QR for newbie on screen (asked for by jisoo)"));
		free(text);
	}
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

/*
 * Five wrong staff codes lock staff mode, in the journal: a restart does
 * not lift it, the right code is refused until staff lift it with
 * kioskctl, and kioskctl status shows the lock and the alert.
 */
static void test_the_staff_lockout_survives_a_restart(void **state)
{
	struct fx *f = *state;
	char code[7], input[128], args[1200], out[8192];
	struct store_confirmation c[4];
	struct lockout l;
	struct store *s;
	unsigned n;

	run_kiosk(f, "staff\n000000\n111111\n222222\n333333\n444444\n", 2);
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_lockout_get(s, "staff", &l), KERR_OK);
	store_close(s);
	assert_true(l.until_ms > clock_real_ms(clock_system()) + 4 * 60 * 1000);
	assert_int_equal(l.level, 1);

	current_code(f, code);
	snprintf(input, sizeof(input), "1024\nstaff\n%s\n4\n", code);
	run_kiosk(f, input, 2);
	journal_after(f, "awaiting_payment", c, &n);
	assert_int_equal(n, 0);
	snprintf(args, sizeof(args), "status --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "  staff locked for"));
	assert_non_null(strstr(out, "last staff code lockout:"));

	snprintf(args, sizeof(args), "staff unlock --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "staff mode unlocked"));
	run_kiosk(f, input, 3);
	journal_after(f, "handed_over", c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].method, PAY_CASH);
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
	assert_int_equal(store_order_set_state(s, "A1024", ORDER_READY, ORDER_PAID, "test"),
	                 KERR_OK);
	assert_int_equal(store_handover_intent(s, "A1024", HANDOVER_LOCKER, 3, &id), KERR_OK);
	assert_int_equal(store_order_set_state(s, "A1024", ORDER_PAID, ORDER_HANDING_OVER, "test"),
	                 KERR_OK);
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
	    cmocka_unit_test_setup_teardown(test_member_picks_order_staff_confirm_compartment_opens,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cash_is_settled_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_waived_needs_a_reason_and_journals_it, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_staff_cancel_opens_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_staff_keys_need_an_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_usb_keypad_picks_an_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_scanner_reads_the_pickup_qr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_staff_confirm_cash_from_the_keypad_alone, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_codes_are_refused_while_the_clock_is_behind_the_journal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gpio_buttons_browse_pick_and_call_staff, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_wrong_code_gets_nowhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_staff_enrolled_while_running_see_their_qr_on_the_kiosk_and_log_in, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_restart_mid_handover_waits_for_staff, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_the_staff_lockout_survives_a_restart, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
