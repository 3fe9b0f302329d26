/*
 * The kiosk daemon as a member meets it, on the simulated board against the
 * local chain simulator (3 s blocks, like the chains):
 *  - start to first screen with 10,000 orders in the journal (the sim
 *    display's first PNG written), over several starts;
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
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

#define ORDERS 10000
#define STARTS 10
#define PAYMENTS 12
#define COMPARTMENTS 8

struct bench {
	char *dir, *board, *site;
	char journal[512], trace[512], frames[512];
	struct chainsim *sim;
};

/* The daemon with a pipe on its stdin (the sim's keypad); its output dropped. */
static pid_t start_kiosk(struct bench *b, int *stdin_w)
{
	char args[2048];

	snprintf(args, sizeof(args), "--board %s --site %s --log-level warn", b->board, b->site);
	return runbin_spawn_or_fail("kiosk", args, NULL, stdin_w);
}

static void setup(struct bench *b)
{
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 3000};
	char text[4096];
	size_t n;
	struct store *s;

	b->dir = tmpdir_or_fail();
	cfg.dir = b->dir;
	if (chainsim_start(&cfg, &b->sim))
		abort();
	snprintf(b->journal, sizeof(b->journal), "%s/j.db", b->dir);
	snprintf(b->trace, sizeof(b->trace), "%s/gpio.trace", b->dir);
	snprintf(b->frames, sizeof(b->frames), "%s/frames", b->dir);
	n = (size_t)snprintf(text, sizeof(text),
	                     "[board]\nname = bench\n[display]\nbackend = sim\ndevice = %s\nwidth = 480\n"
	                     "height = 320\n[gpio]\nbackend = sim\nsim_trace = %s\n[lockers]\npulse_ms = 300\n",
	                     b->frames, b->trace);
	for (unsigned i = 0; i < COMPARTMENTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[locker.%u]\nlock = GPIO%u\ndoor = GPIO%u\n",
		                      i + 1, 4 + i, 16 + i);
	snprintf(text + n, sizeof(text) - n, "[input]\nsim_stdin = yes\n");
	b->board = write_file_or_fail(b->dir, "board.conf", text);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:%u\n"
	         "ca_path = %s/ca.pem\n[payment]\nconfirm = head\n"
	         "[kiosk]\ncoop_name = bench\nlanguage = ko\njournal = %s\n[staff]\nsecrets_path = %s/s\n",
	         chainsim_port(b->sim), b->dir, b->journal, b->dir);
	b->site = write_file_or_fail(b->dir, "site.conf", text);

	/* 10,000 orders, two items each, as a busy co-op's season leaves them. */
	if (store_open(b->journal, clock_system(), &s) || store_begin(s))
		abort();
	for (unsigned i = 0; i < ORDERS; i++) {
		struct order o;

		memset(&o, 0, sizeof(o));
		snprintf(o.id, sizeof(o.id), "B%05u", i);
		strcpy(o.member, "alice");
		o.item_count = 2;
		strcpy(o.items[0].name, "감자 1kg");
		o.items[0].quantity = 2;
		o.items[0].unit_price = (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
		strcpy(o.items[1].name, "달걀 10구");
		o.items[1].quantity = 1;
		o.items[1].unit_price = (struct asset){.amount = 4250 + i % 100, .precision = 3, .symbol = "HIVE"};
		o.price = (struct asset){.amount = 7250 + i % 100, .precision = 3, .symbol = "HIVE"};
		o.compartment = 1 + i % COMPARTMENTS;
		if (store_order_insert(s, &o))
			abort();
	}
	if (store_commit(s))
		abort();
	store_close(s);
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
			abort();
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

int main(void)
{
	struct bench b = {0};
	int64_t start[STARTS], pay[PAYMENTS], block[PAYMENTS];
	long rss, offset = 0;
	int w;
	pid_t pid;

	setup(&b);
	for (int i = 0; i < STARTS; i++)
		start[i] = first_screen_ns(&b);
	qsort(start, STARTS, sizeof(start[0]), cmp_i64);

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
			abort();
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
			abort();
		snprintf(amount, sizeof(amount), "%d.%03d HIVE", (7250 + i % 100) / 1000, (7250 + i % 100) % 1000);
		/* Members pay at any moment of the block interval: spread the payments over it. */
		sleep_ms((unsigned)(i * 3000 / PAYMENTS));
		head = chainsim_head(b.sim);
		t_pay = mono_ns();
		if (chainsim_transfer(b.sim, "alice", "coop", amount, r.memo))
			abort();
		while (!t_pulse && mono_ns() - t_pay < 30 * NS_PER_S) {
			if (!t_block && chainsim_head(b.sim) > head)
				t_block = mono_ns();
			t_pulse = last_pulse_ns(b.trace, &offset);
			if (!t_pulse)
				usleep(500);
		}
		if (!t_pulse || !t_block)
			abort();
		pay[i] = t_pulse - t_pay;
		block[i] = t_pulse - t_block;
		/* The door opens, is closed again; the done screen times out. */
		sleep_ms(2500);
	}
	rss = runbin_stop(pid, w);
	qsort(pay, PAYMENTS, sizeof(pay[0]), cmp_i64);
	qsort(block, PAYMENTS, sizeof(block[0]), cmp_i64);
	chainsim_stop(b.sim);
	rm_rf(b.dir);
	free(b.dir);
	free(b.board);
	free(b.site);
	printf("orders=%d first_screen_p50_ms=%.1f first_screen_max_ms=%.1f pay_to_pulse_p50_s=%.2f "
	       "pay_to_pulse_max_s=%.2f block_to_pulse_p50_s=%.3f block_to_pulse_max_s=%.3f rss_kb=%ld\n",
	       ORDERS, start[STARTS / 2] / 1e6, start[STARTS - 1] / 1e6, pay[PAYMENTS / 2] / 1e9,
	       pay[PAYMENTS - 1] / 1e9, block[PAYMENTS / 2] / 1e9, block[PAYMENTS - 1] / 1e9, rss);
	return 0;
}
