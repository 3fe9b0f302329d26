/*
 * How fast and how cheaply the kiosk learns of a payment, against the local
 * chain simulator with 3 s blocks and two nodes (confirm = head):
 *  - detection: from the block that holds the payment being produced to
 *    the order being marked paid in the journal (p50, p99 over payments
 *    spread across the block interval);
 *  - traffic: requests and bytes per hour (all, and response bodies alone,
 *    as sent: gzip) with a payment request on screen and with none;
 *  - catch-up after 28,800 blocks offline with 500 transfers to the co-op:
 *    seconds and requests until every one is recorded;
 *  - peak RSS of the daemon.
 * Figures last, on one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chainsim.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

#define PAYMENTS          24
#define OPEN_S            60
#define IDLE_S            180
#define OFFLINE_BLOCKS    28800
#define CATCHUP_TRANSFERS 500

struct bench {
	char *dir, *board, *site;
	char journal[512];
	struct chainsim *sim;
};

/* A bench that cannot go on says why (the daemon it started dies with it: runbin.h). */
static void die(const char *what)
{
	fprintf(stderr, "detect_bench: %s\n", what);
	exit(1);
}

/* The daemon with a pipe on its stdin (the sim's keypad); its output dropped. */
static pid_t start_kiosk(struct bench *b, int *stdin_w)
{
	char args[2048];

	snprintf(args, sizeof(args), "--board %s --site %s --log-level warn", b->board, b->site);
	return runbin_spawn_or_fail("kiosk", args, NULL, stdin_w);
}

static void say(int w, const char *line)
{
	if (write(w, line, strlen(line)) != (ssize_t)strlen(line))
		die("cannot write to the kiosk's keypad");
}

static void stats(struct bench *b, unsigned long *req, unsigned long *bytes, unsigned long *body)
{
	chainsim_stats(b->sim, req, bytes);
	*body = chainsim_body_bytes(b->sim);
}

int main(void)
{
	struct bench b = {0};
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 3000, .nodes = 2};
	int64_t detect[PAYMENTS], t0;
	unsigned long r0, b0, r1, b1, d0, d1, open_req, open_bytes, open_body, idle_req, idle_bytes,
	    idle_body, cu_req;
	double cu_s;
	char text[2048];
	struct store *s;
	long rss;
	int w;
	pid_t pid;

	b.dir = tmpdir_or_fail();
	cfg.dir = b.dir;
	if (chainsim_start(&cfg, &b.sim))
		die("the chain simulator does not start");
	snprintf(b.journal, sizeof(b.journal), "%s/j.db", b.dir);
	snprintf(text, sizeof(text),
	         "[board]\nname = bench\n[display]\nbackend = sim\ndevice = "
	         "%s/frames\n[gpio]\nbackend = sim\n"
	         "[lockers]\npulse_ms = 300\n[locker.1]\nlock = GPIO6\ndoor = "
	         "GPIO19\n[input]\nsim_stdin = yes\n",
	         b.dir);
	b.board = write_file_or_fail(b.dir, "board.conf", text);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:%u\n"
	         "node2 = https://127.0.0.1:%u\n"
	         "ca_path = %s/ca.pem\n[payment]\nconfirm = head\nhead_max = 100.000 "
	         "HIVE\nrequest_ttl_s = 86400\n"
	         "[kiosk]\ncoop_name = bench\nlanguage = en\njournal = %s\n[staff]\nsecrets_path = "
	         "%s/s\n",
	         chainsim_node_port(b.sim, 0), chainsim_node_port(b.sim, 1), b.dir, b.journal,
	         b.dir);
	b.site = write_file_or_fail(b.dir, "site.conf", text);
	if (store_open(b.journal, clock_system(), &s))
		die("cannot open the journal");
	for (int i = 0; i < PAYMENTS + 1; i++) {
		struct order o;

		memset(&o, 0, sizeof(o));
		snprintf(o.id, sizeof(o.id), "D%03d", i);
		strcpy(o.member, "alice");
		o.price = (struct asset){.amount = 1000 + i, .precision = 3, .symbol = "HIVE"};
		o.compartment = 1;
		if (store_order_insert(s, &o))
			die("cannot insert the orders");
	}

	/* Detection: each payment at another moment of the block interval. */
	pid = start_kiosk(&b, &w);
	sleep_ms(1000);
	for (int i = 0; i < PAYMENTS; i++) {
		struct store_request r;
		struct order o;
		char id[16], typed[32], amount[32];
		unsigned head;
		int64_t t_block = 0;
		bool found = false;

		snprintf(id, sizeof(id), "D%03d", i);
		snprintf(typed, sizeof(typed), "enter\n%03d\n", i);
		say(w, typed);
		for (int k = 0; k < 4000 && !found; k++) {
			found = store_request_of_order(s, id, &r) == KERR_OK;
			if (!found)
				sleep_ms(2);
		}
		if (!found)
			die("no payment request within 8 s of typing the order");
		sleep_ms((unsigned)(i * 3000 / PAYMENTS));
		snprintf(amount, sizeof(amount), "%d.%03d HIVE", (1000 + i) / 1000,
		         (1000 + i) % 1000);
		head = chainsim_head(b.sim);
		if (chainsim_transfer(b.sim, "alice", "coop", amount, r.memo))
			die("the payment could not be sent");
		for (t0 = mono_ns(); mono_ns() - t0 < 30 * NS_PER_S;) {
			if (!t_block && chainsim_head(b.sim) > head)
				t_block = mono_ns();
			if (t_block && store_order_get(s, id, &o) == KERR_OK &&
			    o.state != ORDER_AWAITING_PAYMENT && o.state != ORDER_PAID_CONFIRMING)
				break;
			usleep(500);
		}
		if (!t_block)
			die("no block in 30 s after the payment");
		detect[i] = mono_ns() - t_block;
		/* The done screen shows its full 15 s (keys typed meanwhile are held): the next
		 * order is typed once it has ended. */
		sleep_ms(15500);
	}

	/* Traffic with a payment request on screen... */
	say(w, "enter\n");
	say(w, "024\n");
	sleep_ms(2000);
	stats(&b, &r0, &b0, &d0);
	sleep_ms(OPEN_S * 1000);
	stats(&b, &r1, &b1, &d1);
	open_req = (r1 - r0) * 3600 / OPEN_S;
	open_bytes = (b1 - b0) * 3600 / OPEN_S;
	open_body = (d1 - d0) * 3600 / OPEN_S;
	/* ...and with none (the request closed: back to idle). */
	say(w, "enter\n");
	sleep_ms(2000);
	stats(&b, &r0, &b0, &d0);
	sleep_ms(IDLE_S * 1000);
	stats(&b, &r1, &b1, &d1);
	idle_req = (r1 - r0) * 3600 / IDLE_S;
	idle_bytes = (b1 - b0) * 3600 / IDLE_S;
	idle_body = (d1 - d0) * 3600 / IDLE_S;
	rss = runbin_stop(pid, w);

	/* Catch-up: a day offline, then every transfer recorded. */
	for (unsigned blk = 0, sent = 0; blk < OFFLINE_BLOCKS; blk++) {
		if (blk % 57 == 0 && sent < CATCHUP_TRANSFERS) {
			char memo[32];

			snprintf(memo, sizeof(memo), "CU-%04u", sent++);
			if (chainsim_transfer(b.sim, "bob", "coop", "0.001 HIVE", memo))
				die("a catch-up transfer could not be sent");
		}
		chainsim_produce(b.sim);
	}
	{
		struct store_transfer *t = calloc(2000, sizeof(*t));
		unsigned n = 0, want = CATCHUP_TRANSFERS + PAYMENTS;

		stats(&b, &r0, &b0, &d0);
		t0 = mono_ns();
		pid = start_kiosk(&b, &w);
		while (n < want && mono_ns() - t0 < 600 * NS_PER_S) {
			sleep_ms(100);
			if (!t || store_transfer_list(s, 0, t, 2000, &n))
				n = 0;
		}
		cu_s = (double)(mono_ns() - t0) / 1e9;
		stats(&b, &r1, &b1, &d1);
		cu_req = r1 - r0;
		if (n < want)
			die("the catch-up did not record every transfer in 600 s");
		free(t);
		runbin_stop(pid, w);
	}
	store_close(s);
	chainsim_stop(b.sim);
	rm_rf(b.dir);
	free(b.dir);
	free(b.board);
	free(b.site);
	qsort(detect, PAYMENTS, sizeof(detect[0]), cmp_i64);
	printf("detect_p50_s=%.3f detect_max_s=%.3f open_requests_per_h=%lu open_kb_per_h=%lu "
	       "open_body_kb_per_h=%lu idle_requests_per_h=%lu idle_kb_per_h=%lu "
	       "idle_body_kb_per_h=%lu "
	       "catchup_blocks=%d catchup_transfers=%d catchup_s=%.1f catchup_requests=%lu "
	       "rss_kb=%ld\n",
	       detect[PAYMENTS / 2] / 1e9, detect[PAYMENTS - 1] / 1e9, open_req, open_bytes / 1024,
	       open_body / 1024, idle_req, idle_bytes / 1024, idle_body / 1024, OFFLINE_BLOCKS,
	       CATCHUP_TRANSFERS, cu_s, cu_req, rss);
	return 0;
}
