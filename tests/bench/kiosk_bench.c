/*
 * The kiosk daemon as a member meets it, on the simulated board against the
 * local chain simulator (3 s blocks, like the chains):
 *  - start to first screen with 10,000, 100,000 and 1,000,000 orders in
 *    the journal (the sim display's first PNG written), over several starts
 *    after a clean stop, and once for a start that checks the journal (as
 *    after an unclean stop);
 *  - member pays to relay pulse: from the transfer's broadcast to the lock
 *    line going active in the sim GPIO's trace (waiting for the block, the
 *    watcher finding it, proof, the journaled intent), and, since the block
 *    wait alone averages half an interval, from the block's production;
 *  - peak RSS of the daemon over the whole paying run.
 * Figures last, on one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chainsim.h"
#include "kiosk/clock.h"
#include "bulkjournal.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

#define ORDERS       10000
#define STARTS       10
#define PAYMENTS     12
#define COMPARTMENTS 8

struct bench {
	char *dir, *board, *site;
	char journal[512], trace[512], frames[512];
	struct chainsim *sim;
};

/* A bench that cannot go on says why (the daemon it started dies with it: runbin.h). */
static void die(const char *what)
{
	fprintf(stderr, "kiosk_bench: %s\n", what);
	exit(1);
}

/* The daemon with a pipe on its stdin (the sim's keypad); its output dropped. */
static pid_t start_kiosk(struct bench *b, int *stdin_w)
{
	char args[2048];

	snprintf(args, sizeof(args), "--board %s --site %s --log-level warn", b->board, b->site);
	return runbin_spawn_or_fail("kiosk", args, NULL, stdin_w);
}

static void setup(struct bench *b)
{
	/* Two nodes: with one, every payment waits for staff (nothing to check it against). */
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 3000, .nodes = 2};
	char text[4096];
	size_t n;

	b->dir = tmpdir_or_fail();
	cfg.dir = b->dir;
	if (chainsim_start(&cfg, &b->sim))
		die("the chain simulator does not start");
	snprintf(b->journal, sizeof(b->journal), "%s/j.db", b->dir);
	snprintf(b->trace, sizeof(b->trace), "%s/gpio.trace", b->dir);
	snprintf(b->frames, sizeof(b->frames), "%s/frames", b->dir);
	n = (size_t)snprintf(
	    text, sizeof(text),
	    "[board]\nname = bench\n[display]\nbackend = sim\ndevice = %s\nwidth = 480\n"
	    "height = 320\n[gpio]\nbackend = sim\nsim_trace = %s\n[lockers]\npulse_ms = 300\n",
	    b->frames, b->trace);
	for (unsigned i = 0; i < COMPARTMENTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		                      "[locker.%u]\nlock = GPIO%u\ndoor = GPIO%u\n", i + 1, 4 + i,
		                      16 + i);
	snprintf(text + n, sizeof(text) - n, "[input]\nsim_stdin = yes\n");
	b->board = write_file_or_fail(b->dir, "board.conf", text);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:%u\n"
	         "node2 = https://127.0.0.1:%u\n"
	         "ca_path = %s/ca.pem\n[payment]\nconfirm = head\nhead_max = 100.000 HIVE\n"
	         "[kiosk]\ncoop_name = bench\nlanguage = ko\njournal = %s\n[staff]\nsecrets_path = "
	         "%s/s\n",
	         chainsim_node_port(b->sim, 0), chainsim_node_port(b->sim, 1), b->dir, b->journal,
	         b->dir);
	b->site = write_file_or_fail(b->dir, "site.conf", text);
}

/* A fresh journal of n orders "B<i>", two items each, as a busy co-op's seasons leave them. */
static void fill(struct bench *b, unsigned n)
{
	static const char *const tails[] = {"", "-wal", "-shm"};

	for (unsigned i = 0; i < 3; i++) {
		char p[600];

		snprintf(p, sizeof(p), "%s%s", b->journal, tails[i]);
		(void)unlink(p);
	}
	/* Five digits up to 99,999: the member types them in the paying run. */
	bulk_orders_or_fail(b->journal, "B", n < 100000 ? 5 : 7, n);
}

/* Time from spawn to the first frame on the (sim) panel. */
static int64_t first_screen_ns(struct bench *b)
{
	char first[600];
	struct stat st;
	int64_t t0;
	int w;
	pid_t pid;

	snprintf(first, sizeof(first), "%s/frame-0000.png", b->frames);
	rm_rf(b->frames);
	t0 = mono_ns();
	pid = start_kiosk(b, &w);
	while (stat(first, &st) != 0 || st.st_size == 0) {
		if (mono_ns() - t0 > 60 * NS_PER_S)
			die("no first screen within 60 s");
		usleep(200);
	}
	t0 = mono_ns() - t0;
	runbin_stop(pid, w);
	return t0;
}

/* The newest mono timestamp of a lock going active in the trace, or 0. */
static int64_t last_pulse_ns(const char *trace, long *offset)
{
	FILE *t = fopen(trace, "r");
	char line[256];
	int64_t found = 0;

	if (!t)
		return 0;
	fseek(t, *offset, SEEK_SET);
	while (fgets(line, sizeof(line), t)) {
		long long ts;
		char name[64], kind[16];
		int level;

		if (sscanf(line, "%lld %63s %d %15s", &ts, name, &level, kind) == 4 && level == 1 &&
		    strcmp(kind, "set") == 0)
			found = ts;
	}
	*offset = ftell(t);
	fclose(t);
	return found;
}

/*
 * Sorted first-screen times of STARTS starts against a fresh journal of n
 * orders; the first start, which checks the journal (no daemon ever closed
 * it: the cost after an unclean stop), in *checked.
 */
static void first_screens(struct bench *b, unsigned n, int64_t *start, int64_t *checked)
{
	fill(b, n);
	*checked = first_screen_ns(b);
	for (int i = 0; i < STARTS; i++)
		start[i] = first_screen_ns(b);
	qsort(start, STARTS, sizeof(start[0]), cmp_i64);
}

int main(void)
{
	struct bench b = {0};
	int64_t start[STARTS], start_100k[STARTS], start_1m[STARTS], pay[PAYMENTS], block[PAYMENTS];
	int64_t checked, checked_100k, checked_1m;
	long rss, offset = 0;
	int w;
	pid_t pid;

	setup(&b);
	first_screens(&b, 100000, start_100k, &checked_100k);
	first_screens(&b, 1000000, start_1m, &checked_1m);
	/* The paying run below uses this journal. */
	first_screens(&b, ORDERS, start, &checked);

	pid = start_kiosk(&b, &w);
	sleep_ms(1000);
	for (int i = 0; i < PAYMENTS; i++) {
		struct store_request r;
		struct store *s;
		char typed[32], amount[32];
		unsigned head;
		int64_t t_pay, t_block = 0, t_pulse = 0;
		bool found = false;

		/* The member at an idle kiosk types the order's number. */
		snprintf(typed, sizeof(typed), "enter\n%05d\n", i);
		if (write(w, typed, strlen(typed)) != (ssize_t)strlen(typed))
			die("cannot write to the kiosk's keypad");
		for (int k = 0; k < 2000 && !found; k++) {
			if (store_open(b.journal, clock_system(), &s) == KERR_OK) {
				char id[16];

				snprintf(id, sizeof(id), "B%05d", i);
				found = store_request_of_order(s, id, &r) == KERR_OK;
				store_close(s);
			}
			if (!found)
				sleep_ms(5);
		}
		if (!found)
			die("no payment request within 10 s of typing the order");
		snprintf(amount, sizeof(amount), "%d.%03d HIVE", (7250 + i % 100) / 1000,
		         (7250 + i % 100) % 1000);
		/* Members pay at any moment of the block interval: spread the payments over it. */
		sleep_ms((unsigned)(i * 3000 / PAYMENTS));
		head = chainsim_head(b.sim);
		t_pay = mono_ns();
		if (chainsim_transfer(b.sim, "alice", "coop", amount, r.memo))
			die("the payment could not be sent");
		while (!t_pulse && mono_ns() - t_pay < 30 * NS_PER_S) {
			if (!t_block && chainsim_head(b.sim) > head)
				t_block = mono_ns();
			t_pulse = last_pulse_ns(b.trace, &offset);
			if (!t_pulse)
				usleep(500);
		}
		if (!t_pulse || !t_block)
			die("no lock pulse within 30 s of the payment");
		pay[i] = t_pulse - t_pay;
		block[i] = t_pulse - t_block;
		/* The door opens, is closed again; the done screen shows its full 15 s (keys typed
		 * meanwhile are held), then the next member types. */
		sleep_ms(15500);
	}
	rss = runbin_stop(pid, w);
	qsort(pay, PAYMENTS, sizeof(pay[0]), cmp_i64);
	qsort(block, PAYMENTS, sizeof(block[0]), cmp_i64);
	chainsim_stop(b.sim);
	rm_rf(b.dir);
	free(b.dir);
	free(b.board);
	free(b.site);
	printf("orders=%d first_screen_p50_ms=%.1f first_screen_max_ms=%.1f "
	       "first_screen_checked_ms=%.1f "
	       "first_screen_100k_p50_ms=%.1f first_screen_100k_max_ms=%.1f "
	       "first_screen_100k_checked_ms=%.1f "
	       "first_screen_1m_p50_ms=%.1f first_screen_1m_max_ms=%.1f "
	       "first_screen_1m_checked_ms=%.1f "
	       "pay_to_pulse_p50_s=%.2f "
	       "pay_to_pulse_max_s=%.2f block_to_pulse_p50_s=%.3f block_to_pulse_max_s=%.3f "
	       "rss_kb=%ld\n",
	       ORDERS, start[STARTS / 2] / 1e6, start[STARTS - 1] / 1e6, checked / 1e6,
	       start_100k[STARTS / 2] / 1e6, start_100k[STARTS - 1] / 1e6, checked_100k / 1e6,
	       start_1m[STARTS / 2] / 1e6, start_1m[STARTS - 1] / 1e6, checked_1m / 1e6,
	       pay[PAYMENTS / 2] / 1e9, pay[PAYMENTS - 1] / 1e9, block[PAYMENTS / 2] / 1e9,
	       block[PAYMENTS - 1] / 1e9, rss);
	return 0;
}
