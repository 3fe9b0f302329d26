/*
 * Receipts and pulses you can count on, through the real kiosk on the
 * simulated board: a 576-dot receipt at 9,600 and 19,200 baud (the sim
 * printer paced by [printer] sim_baud) completes while the watchdog is fed
 * and a door edge is still seen within 50 ms; paper out before and cover
 * opened mid-job are not handed over, staff see it and the retry or
 * reprint works after; a printer unplugged and back prints the next
 * receipt without a restart; a kiosk started with no printer serves a
 * locker order; a lock pulse ends on time while another process holds the
 * journal's write lock for 5 s.
 *
 * The sim printer and the doors are worked from the kiosk's stdin:
 * "press printer paper-out", "press door GPIO26 1" (sim_board.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/pickup.h"
#include "kiosk/rng.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "kiosk/totp.h"
#include "runbin.h"
#include "testutil.h"

#define LATENCY_MS 50

struct fx {
	char *dir;
	char *board, *site;
	char journal[512], secrets[512], log[512], trace[512], receipt[512];
	struct staff_db staff;
	unsigned next_staff; /* each staff code is accepted once: one member per login */
	pid_t pid;
	int w;
	int notify; /* the NOTIFY_SOCKET we read, or -1 */
};

static int64_t now_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* printer_dev NULL: the receipt file in the test folder. */
static void write_board(struct fx *f, unsigned sim_baud, const char *printer_dev, unsigned pulse_ms)
{
	char text[4096];

	free(f->board);
	snprintf(text, sizeof(text),
	         "[board]\nname = t\n[display]\nbackend = sim\ndevice = %s/frames\n"
	         "[gpio]\nbackend = sim\nsim_trace = %s\n"
	         "[lockers]\npulse_ms = %u\n"
	         "[locker.3]\nlock = GPIO6\nlock_active_low = yes\ndoor = GPIO19\n"
	         "[locker.4]\nlock = GPIO13\nlock_active_low = yes\ndoor = GPIO26\n"
	         "[printer]\nbackend = sim\ndevice = %s\nwidth = 576\nsim_baud = %u\n"
	         "[input]\nsim_stdin = yes\n",
	         f->dir, f->trace, pulse_ms, printer_dev ? printer_dev : f->receipt, sim_baud);
	f->board = write_file_or_fail(f->dir, "board.conf", text);
}

static void type(struct fx *f, const char *text);

/* The orders' pickup codes: a paid order goes out against its code only. */
static struct {
	char id[ORDER_ID_MAX + 1];
	char code[PICKUP_DIGITS_MAX + 1];
} codes[3];

static void add_order(struct store *s, const char *id, enum order_pickup pickup,
                      unsigned compartment)
{
	static struct rng_fake rng;
	static unsigned n;
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.item_count = 1;
	strcpy(o.items[0].name, "감자");
	o.items[0].quantity = 1;
	o.items[0].unit_price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.price = o.items[0].unit_price;
	o.pickup = pickup;
	o.compartment = compartment;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	/* Proven paid (the chain's part is test_kiosk_chain's): typing its
	 * number hands it over. */
	assert_int_equal(store_order_set_state(s, id, ORDER_READY, ORDER_PAID, "test: paid"),
	                 KERR_OK);
	if (n == 0)
		rng_fake_init(&rng, 77);
	assert_int_equal(pickup_issue(s, &rng.base, id, 6, codes[n % 3].code, NULL), KERR_OK);
	snprintf(codes[n % 3].id, sizeof(codes[n % 3].id), "%s", id);
	n++;
}

/* The member types the order's number, then its pickup code. */
static void pick(struct fx *f, const char *digits)
{
	char line[64];

	for (unsigned i = 0; i < 3; i++) {
		size_t il = strlen(codes[i].id), dl = strlen(digits);

		if (il >= dl && strcmp(codes[i].id + il - dl, digits) == 0) {
			snprintf(line, sizeof(line), "enter\n%s\n%s\n", digits, codes[i].code);
			type(f, line);
			return;
		}
	}
	fail_msg("no order ends with %s", digits);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char text[2048];
	struct rng_fake rng;
	struct store *s;
	const char *names[] = {"minji", "jisoo", "hana", "dami"};

	f->dir = tmpdir_or_fail();
	f->notify = -1;
	f->pid = -1;
	snprintf(f->journal, sizeof(f->journal), "%s/j.db", f->dir);
	snprintf(f->secrets, sizeof(f->secrets), "%s/staff.secrets", f->dir);
	snprintf(f->log, sizeof(f->log), "%s/kiosk.log", f->dir);
	snprintf(f->trace, sizeof(f->trace), "%s/gpio.trace", f->dir);
	snprintf(f->receipt, sizeof(f->receipt), "%s/receipt.bin", f->dir);
	write_board(f, 0, NULL, 300);
	snprintf(
	    text, sizeof(text),
	    "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	    "[kiosk]\ncoop_name = t\nlanguage = en\njournal = %s\n[staff]\nsecrets_path = %s\n",
	    f->journal, f->secrets);
	f->site = write_file_or_fail(f->dir, "site.conf", text);
	rng_fake_init(&rng, 11);
	assert_int_equal(staff_db_load(f->secrets, &f->staff), KERR_OK);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(staff_db_add(&f->staff, names[i], &rng.base), KERR_OK);
	assert_int_equal(staff_db_save(&f->staff), KERR_OK);
	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	add_order(s, "R1024", ORDER_PICKUP_RECEIPT, 0);
	add_order(s, "R2048", ORDER_PICKUP_RECEIPT, 0);
	add_order(s, "L3072", ORDER_PICKUP_LOCKER, 3);
	store_close(s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->pid > 0)
		(void)runbin_stop(f->pid, f->w);
	if (f->notify >= 0)
		close(f->notify);
	if (getenv("KIOSK_TEST_KEEP"))
		print_message("kept %s\n", f->dir);
	else
		rm_rf(f->dir);
	free(f->dir);
	free(f->board);
	free(f->site);
	free(f);
	return 0;
}

static void type(struct fx *f, const char *text)
{
	assert_int_equal(write(f->w, text, strlen(text)), (ssize_t)strlen(text));
}

/* A NOTIFY_SOCKET for the kiosk, pinging every second (WATCHDOG_USEC 2 s). */
static void watch_notify(struct fx *f)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/notify.sock", f->dir);
	f->notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(f->notify >= 0);
	assert_int_equal(bind(f->notify, (struct sockaddr *)&a, sizeof(a)), 0);
	setenv("NOTIFY_SOCKET", a.sun_path, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	unsetenv("WATCHDOG_PID");
}

static bool log_has(struct fx *f, const char *text)
{
	size_t len;
	char *log;
	bool has;

	if (access(f->log, F_OK) != 0)
		return false;
	log = read_file_or_fail(f->log, &len);
	has = strstr(log, text) != NULL;
	free(log);
	return has;
}

static void start(struct fx *f)
{
	char args[2048], frame[600];
	int waited;

	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug",
	         f->board, f->site, runbin_scale(400));
	f->pid = runbin_spawn_or_fail("kiosk", args, f->log, &f->w);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	/* Up once its first frame is out. */
	snprintf(frame, sizeof(frame), "%s/frames/latest.png", f->dir);
	for (waited = 0; access(frame, F_OK) != 0; waited += 50) {
		if (waited > runbin_scale(10) * 1000)
			fail_msg("the kiosk drew nothing in 10 s; see %s", f->log);
		sleep_ms(50);
	}
}

static void stop(struct fx *f)
{
	(void)runbin_stop(f->pid, f->w);
	f->pid = -1;
}

static enum order_state state_of(struct fx *f, const char *id)
{
	struct store *s;
	struct order o;

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_get(s, id, &o), KERR_OK);
	store_close(s);
	return o.state;
}

struct evq {
	const char *order, *kind;
	unsigned n;
	char detail[256];
};

static void ev_count(const struct store_event_row *e, void *arg)
{
	struct evq *q = arg;

	if ((!q->order || (e->order_id && strcmp(e->order_id, q->order) == 0)) &&
	    strcmp(e->kind, q->kind) == 0) {
		q->n++;
		snprintf(q->detail, sizeof(q->detail), "%s", e->detail ? e->detail : "");
	}
}

/* How many events of kind for order (NULL: any); the last one's detail. */
static unsigned events(struct fx *f, const char *order, const char *kind, char *detail, size_t cap)
{
	struct evq q = {.order = order, .kind = kind};
	struct store *s;

	assert_int_equal(store_open(f->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_events(s, 0, 100000, ev_count, &q), KERR_OK);
	store_close(s);
	if (detail)
		snprintf(detail, cap, "%s", q.detail);
	return q.n;
}

static void wait_state(struct fx *f, const char *id, enum order_state want, int secs)
{
	for (int waited = 0; state_of(f, id) != want; waited += 100) {
		if (waited > runbin_scale(secs) * 1000)
			fail_msg("order %s: %s, not %s after %d s; see %s", id,
			         order_state_name(state_of(f, id)), order_state_name(want), secs,
			         f->log);
		sleep_ms(100);
	}
}

static void wait_event(struct fx *f, const char *id, const char *kind, unsigned n, int secs)
{
	for (int waited = 0; events(f, id, kind, NULL, 0) < n; waited += 100) {
		if (waited > runbin_scale(secs) * 1000)
			fail_msg("no %s event for %s after %d s; see %s", kind, id ? id : "-", secs,
			         f->log);
		sleep_ms(100);
	}
}

static void wait_log(struct fx *f, const char *text, int secs)
{
	for (int waited = 0; !log_has(f, text); waited += 100) {
		if (waited > runbin_scale(secs) * 1000)
			fail_msg("'%s' never logged; see %s", text, f->log);
		sleep_ms(100);
	}
}

/* A staff login on the order picked first (its digits, or a scan of its
 * pickup QR: an order handed over is found by its whole id only); each
 * login is another member. */
static void staff_key(struct fx *f, const char *pick, char key)
{
	char line[64];
	uint32_t c;
	int64_t now = (int64_t)time(NULL);
	unsigned who = f->next_staff++;

	assert_true(who < f->staff.count);
	if (now % 30 > 25) {
		sleep_ms((unsigned)(31 - now % 30) * 1000);
		now = (int64_t)time(NULL);
	}
	assert_int_equal(totp_code_at_step(staff_hmac(), TOTP_SHA1, f->staff.m[who].secret,
	                                   f->staff.m[who].secret_len, (uint64_t)now / 30, 6, &c),
	                 KERR_OK);
	snprintf(line, sizeof(line), "enter\n%s\nstaff\n%06u\n%c\n", pick, c, key);
	type(f, line);
}

/* Pulses of a lock line in the trace: start and end times (ns). */
static unsigned pulses(struct fx *f, const char *line, int64_t start[], int64_t end[], unsigned max)
{
	FILE *t = fopen(f->trace, "r");
	char buf[256];
	unsigned n = 0;

	if (!t)
		return 0;
	while (fgets(buf, sizeof(buf), t)) {
		long long ts;
		char name[64], kind[16];
		int level;

		if (sscanf(buf, "%lld %63s %d %15s", &ts, name, &level, kind) != 4 ||
		    strcmp(name, line) != 0 || strcmp(kind, "set") != 0)
			continue;
		if (level == 1 && n < max) {
			start[n] = ts;
			end[n] = 0;
			n++;
		} else if (level == 0 && n > 0 && !end[n - 1]) {
			end[n - 1] = ts;
		}
	}
	fclose(t);
	return n;
}

/* Types a door edge and times it until the kiosk has handled it (its log line). */
static int64_t door_edge_ms(struct fx *f, const char *line, const char *logged)
{
	char cmd[64];
	int64_t t0;

	snprintf(cmd, sizeof(cmd), "press door %s 1\n", line);
	t0 = now_mono_ms();
	type(f, cmd);
	while (!log_has(f, logged)) {
		if (now_mono_ms() - t0 > runbin_scale(10) * 1000)
			fail_msg("the door edge was never seen; see %s", f->log);
		sleep_ms(1);
	}
	return now_mono_ms() - t0;
}

/*
 * One 576-dot receipt at a baud rate: it completes (printed only after the
 * printer said ready), the watchdog pings throughout, a door edge in the
 * middle of the job is seen within 50 ms.
 */
static void receipt_at(struct fx *f, unsigned baud)
{
	char detail[256], buf[512];
	int64_t t0, last_ping, worst_gap = 0, edge_ms = -1;
	unsigned pings = 0;
	size_t total = 0, len;
	char *bytes;

	write_board(f, baud, NULL, 300);
	watch_notify(f);
	start(f);
	pick(f, "1024");
	wait_event(f, "R1024", "printing", 1, 10);
	t0 = last_ping = now_mono_ms();
	while (state_of(f, "R1024") == ORDER_HANDING_OVER) {
		struct pollfd p = {.fd = f->notify, .events = POLLIN};
		ssize_t n;

		if (now_mono_ms() - t0 > runbin_scale(120) * 1000)
			fail_msg("the receipt did not finish in 120 s; see %s", f->log);
		if (poll(&p, 1, 100) > 0)
			while ((n = recv(f->notify, buf, sizeof(buf) - 1, 0)) > 0) {
				buf[n] = '\0';
				if (strstr(buf, "WATCHDOG=1")) {
					int64_t now = now_mono_ms();

					if (now - last_ping > worst_gap)
						worst_gap = now - last_ping;
					last_ping = now;
					pings++;
				}
			}
		/* Five seconds into the job, a door opens by hand. */
		if (edge_ms < 0 && now_mono_ms() - t0 > 5000) {
			edge_ms = door_edge_ms(f, "GPIO26", "compartment 4 opened without a pulse");
			type(f, "press door GPIO26 0\n");
		}
	}
	assert_int_equal(state_of(f, "R1024"), ORDER_HANDED_OVER);
	assert_int_equal(events(f, "R1024", "printed", detail, sizeof(detail)), 1);
	assert_int_equal(events(f, "R1024", "print_failed", NULL, 0), 0);
	assert_int_equal(sscanf(detail, "%zu bytes", &total), 1);
	/* A 576-dot receipt is tens of kilobytes: seconds at these rates. */
	assert_true(total > 10000);
	bytes = read_file_or_fail(f->receipt, &len);
	free(bytes);
	assert_true(len >= total);
	print_message("%u baud: %zu bytes in %lld ms, %u pings, worst gap %lld ms, door edge seen "
	              "in %lld ms\n",
	              baud, total, (long long)(now_mono_ms() - t0), pings, (long long)worst_gap,
	              (long long)edge_ms);
	/* Paced: the job took about its bytes at baud / 10 per second. */
	assert_true(now_mono_ms() - t0 >= (int64_t)total * 10 * 1000 / baud * 8 / 10);
	assert_true(edge_ms >= 0 && edge_ms <= LATENCY_MS * (runbin_scale(1)));
	/* Every second or so, never more than the 2 s watchdog apart. */
	assert_true(pings >= (unsigned)((now_mono_ms() - t0) / 1000) - 2);
	assert_true(worst_gap < 2000);
	{
		int64_t s[4], e[4];

		assert_int_equal(pulses(f, "GPIO6", s, e, 4), 0); /* nothing pulsed for a receipt */
	}
	stop(f);
}

static void test_a_576_dot_receipt_at_19200_baud(void **state)
{
	receipt_at(*state, 19200);
}

static void test_a_576_dot_receipt_at_9600_baud(void **state)
{
	receipt_at(*state, 9600);
}

/*
 * Paper out before the job: not handed over, nothing pulsed, 'see staff'.
 * Then, paper in, staff retry with the cover opened mid-job: failed again
 * with the reason. Then, cover shut, staff reprint key: handed over.
 */
static void test_paper_out_and_cover_open_are_not_printed_and_staff_retry_works(void **state)
{
	struct fx *f = *state;
	char detail[256], out[8192], args[1024];
	int64_t s[4], e[4];

	write_board(f, 19200, NULL, 300);
	start(f);
	type(f, "press printer paper-out\n");
	pick(f, "1024");
	wait_state(f, "R1024", ORDER_HANDOVER_FAILED, 10);
	assert_int_equal(events(f, "R1024", "print_failed", detail, sizeof(detail)), 1);
	assert_non_null(strstr(detail, "paper out"));
	assert_int_equal(events(f, "R1024", "printed", NULL, 0), 0);
	wait_log(f, "The receipt could not be printed (paper out)", 5);
	assert_int_equal(pulses(f, "GPIO6", s, e, 4) + pulses(f, "GPIO13", s, e, 4), 0);

	/* Paper in; the cover opens 8,000 bytes into the retried job. */
	type(f, "press printer ok\npress printer cover-open-at 8000\n");
	staff_key(f, "1024", '2');
	wait_event(f, "R1024", "print_failed", 2, 60);
	wait_state(f, "R1024", ORDER_HANDOVER_FAILED, 10);
	assert_int_equal(events(f, "R1024", "print_failed", detail, sizeof(detail)), 2);
	assert_non_null(strstr(detail, "cover open"));
	assert_int_equal(events(f, "R1024", "printed", NULL, 0), 0);
	/* Staff see it: kioskctl status counts the failed handover (the staff
	 * menu's note says "Printer: last receipt failed: cover open"). */
	snprintf(args, sizeof(args), "status --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "handover_failed=1"));

	/* Cover shut: the reprint key works after a failed receipt handover. */
	type(f, "press printer ok\n");
	staff_key(f, "1024", '8');
	wait_state(f, "R1024", ORDER_HANDED_OVER, 90);
	assert_int_equal(events(f, "R1024", "printed", NULL, 0), 1);
	assert_int_equal(events(f, "R1024", "printing", NULL, 0), 3);
	/* A receipt again for the order handed over: journaled as printed. */
	staff_key(f, "scan:order:R1024", '8');
	wait_event(f, "R1024", "receipt_printed", 1, 90);
	assert_int_equal(events(f, "R1024", "printed", NULL, 0), 2);
	stop(f);
}

/* Unplugged: the receipt fails as such, kioskctl status says so; plugged
 * back, the next receipt prints without a restart. Then paper near end. */
static void test_a_printer_unplugged_and_back_prints_the_next_receipt(void **state)
{
	struct fx *f = *state;
	char detail[256], out[8192], args[1024];

	start(f);
	type(f, "press printer unplug\n");
	pick(f, "1024");
	wait_state(f, "R1024", ORDER_HANDOVER_FAILED, 10);
	assert_int_equal(events(f, "R1024", "print_failed", detail, sizeof(detail)), 1);
	assert_non_null(strstr(detail, "not connected"));
	snprintf(args, sizeof(args), "status --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "printer: not connected"));

	type(f, "press printer plug\n");
	pick(f, "2048");
	wait_state(f, "R2048", ORDER_HANDED_OVER, 20);
	assert_int_equal(events(f, "R2048", "printed", NULL, 0), 1);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "printer: printing again"));

	/* Paper near end: a locker pickup's extra receipt still prints, and the
	 * low paper is journaled for staff; receipt_printed only once printed. */
	type(f, "press printer paper-low\n");
	/* Typed while R2048's 'take your receipt' screen shows: held until its
	 * 15 s are over, then acted on. */
	pick(f, "3072");
	wait_state(f, "L3072", ORDER_HANDED_OVER, 10 + 15);
	wait_event(f, "L3072", "receipt_printed", 1, 20);
	assert_int_equal(events(f, "L3072", "printed", NULL, 0), 1);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "printer: paper near end"));
	stop(f);
}

/* No printer at start: degraded, not dead. A locker order is served. */
static void test_a_kiosk_started_without_its_printer_serves_a_locker_order(void **state)
{
	struct fx *f = *state;
	char dir[600], dev[700], out[8192], args[1024];
	int64_t s[4], e[4];

	snprintf(dir, sizeof(dir), "%s/unplugged", f->dir);
	snprintf(dev, sizeof(dev), "%s/receipt.bin", dir);
	write_board(f, 0, dev, 300);
	start(f);
	wait_log(f, "running degraded", 5);
	snprintf(args, sizeof(args), "status --site %s", f->site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "printer: not connected at start"));
	pick(f, "3072");
	wait_state(f, "L3072", ORDER_HANDED_OVER, 10);
	assert_int_equal(pulses(f, "GPIO6", s, e, 4), 1);
	/* The printer comes: the next receipt prints, no restart. */
	assert_int_equal(mkdir(dir, 0755), 0);
	pick(f, "1024");
	wait_state(f, "R1024", ORDER_HANDED_OVER, 20);
	stop(f);
}

/* A child holding the journal's write lock for ms, once it says so on ready. */
static pid_t hold_journal(const char *path, unsigned ms, int ready)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db;

		if (sqlite3_open(path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(ready, "x", 1) != 1)
			_exit(1);
		sleep_ms(ms);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db);
		_exit(0);
	}
	return pid;
}

/*
 * A 1 s lock pulse while another process holds the journal's write lock for
 * 5 s and the kiosk tries to journal (a door forced during the pulse): the
 * lock line goes inactive within 50 ms of its set time.
 */
static void test_a_pulse_ends_on_time_while_the_journal_is_locked(void **state)
{
	struct fx *f = *state;
	int64_t s[4], e[4];
	int fds[2], status;
	char c;
	pid_t holder;
	unsigned n;

	write_board(f, 0, NULL, 1000);
	start(f);
	assert_int_equal(pipe(fds), 0);
	pick(f, "3072");
	for (int waited = 0; pulses(f, "GPIO6", s, e, 4) == 0; waited++) {
		if (waited > runbin_scale(10) * 1000)
			fail_msg("no pulse; see %s", f->log);
		sleep_ms(1);
	}
	holder = hold_journal(f->journal, 5000, fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	/* Inside the pulse: a forced door, which the kiosk journals (and waits). */
	type(f, "press door GPIO26 1\n");
	assert_int_equal(waitpid(holder, &status, 0), holder);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	sleep_ms(500);
	n = pulses(f, "GPIO6", s, e, 4);
	assert_int_equal(n, 1);
	assert_true(e[0] > 0);
	print_message("pulse of %lld ms (set 1000 ms) with the journal locked\n",
	              (long long)((e[0] - s[0]) / 1000000));
	assert_true(e[0] - s[0] >= 1000LL * 1000000);
	assert_true(e[0] - s[0] <= (1000LL + LATENCY_MS) * 1000000);
	/* The loop was held: the guard ended the pulse, the log says how late. */
	assert_true(log_has(f, "the pulse guard ended the pulse"));
	stop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_pulse_ends_on_time_while_the_journal_is_locked,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_kiosk_started_without_its_printer_serves_a_locker_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_printer_unplugged_and_back_prints_the_next_receipt, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_paper_out_and_cover_open_are_not_printed_and_staff_retry_works, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_a_576_dot_receipt_at_19200_baud, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_576_dot_receipt_at_9600_baud, setup, teardown),
	};

	if (getenv("KIOSK_TEST_FILTER"))
		cmocka_set_test_filter(getenv("KIOSK_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
