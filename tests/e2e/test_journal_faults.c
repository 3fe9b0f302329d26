/*
 * The journal refuses a write while a payment comes in: another process
 * holds its write lock for 9 s (a backup, kioskctl in a long import, a
 * slow card). The payment is recorded once the lock goes, exactly once,
 * whether the kiosk ran on through the lock or was stopped inside it and
 * started again: the cursor never passes a transfer that is not recorded.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "chainfx.h"
#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "runbin.h"
#include "testutil.h"

#define LOCK_MS 9000

static int setup(void **state)
{
	struct chainfx *x = calloc(1, sizeof(*x));
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .block_ms = 300, .nodes = 2};

	if (chainfx_start(x, &cfg))
		return -1;
	chainfx_write_board(x, NULL, "pulse_ms = 300\n[locker.3]\nlock = GPIO6\ndoor = GPIO19\n");
	chainfx_write_site(x, NULL, "request_timeout_ms = 1500\n",
	                   "confirm = head\nhead_max = 100.000 HIVE\n", NULL);
	chainfx_insert_order(x, "A1024", 7250, 3);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct chainfx *x = *state;

	chainfx_stop(x);
	free(x);
	return 0;
}

/* Another process takes the journal's write lock (readers still read: WAL). */
static sqlite3 *lock_journal(struct chainfx *x)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(x->journal, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static void unlock_journal(sqlite3 *db)
{
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The order's memo once the kiosk has made its request; fails after 20 s. */
static void wait_request(struct chainfx *x, const char *id, const char *log,
                         struct store_request *r)
{
	for (int waited = 0;; waited += 50) {
		struct store *s;
		bool found = false;

		if (store_open(x->journal, clock_system(), &s) == KERR_OK) {
			found = store_request_of_order(s, id, r) == KERR_OK;
			store_close(s);
		}
		if (found)
			return;
		if (waited > runbin_scale(20) * 1000) {
			print_file_tail(log, 6000);
			fail_msg("no payment request for %s", id);
		}
		sleep_ms(50);
	}
}

/* The order's state, the sum of its transfers and how many there are. */
static void outcome(struct chainfx *x, const char *id, const char *want_state, int64_t want_sum,
                    const char *log)
{
	struct store *s;
	struct order o;
	struct asset sum;

	assert_int_equal(store_open(x->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_integrity_check(s), KERR_OK);
	assert_int_equal(store_order_get(s, id, &o), KERR_OK);
	assert_int_equal(store_transfer_sum(s, id, &o.price, &sum), KERR_OK);
	store_close(s);
	if (strcmp(order_state_name(o.state), want_state) != 0 || sum.amount != want_sum) {
		print_file_tail(log, 8000);
		fail_msg("%s: %s with %lld received, not %s with %lld", id,
		         order_state_name(o.state), (long long)sum.amount, want_state,
		         (long long)want_sum);
	}
}

static pid_t start_kiosk(struct chainfx *x, int secs, const char *log, int *w)
{
	char args[2048];

	snprintf(args, sizeof(args), "--board %s --site %s --run-for %d --log-level debug",
	         x->board, x->site, runbin_scale(secs));
	return runbin_spawn_or_fail("kiosk", args, log, w);
}

static void wait_exit(pid_t pid, int w)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(w);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * The member picks the order on the running kiosk (its keypad w) and pays
 * while another process holds the journal's write lock for LOCK_MS; the
 * lock is still held on return (the caller ends it).
 */
static sqlite3 *pay_while_locked(struct chainfx *x, int w, const char *log)
{
	struct store_request r;
	sqlite3 *db;

	assert_int_equal(write(w, "1024\n", 5), 5);
	wait_request(x, "A1024", log, &r);
	db = lock_journal(x);
	assert_int_equal(chainsim_transfer(x->sim, "alice", "coop", "7.250 HIVE", r.memo), KERR_OK);
	sleep_ms(LOCK_MS);
	return db;
}

/* The kiosk runs on through the lock: the payment is recorded after it, and
 * the member at the kiosk gets the goods; a restart counts nothing twice. */
static void test_a_payment_during_a_9s_journal_lock_is_recorded_after_it(void **state)
{
	struct chainfx *x = *state;
	char log[600];
	sqlite3 *db;
	int w;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/kiosk.log", x->dir);
	pid = start_kiosk(x, 30, log, &w);
	db = pay_while_locked(x, w, log);
	unlock_journal(db);
	wait_exit(pid, w);
	outcome(x, "A1024", "handed_over", 7250, log);

	pid = start_kiosk(x, 6, log, &w);
	wait_exit(pid, w);
	outcome(x, "A1024", "handed_over", 7250, log);
}

/* The kiosk is stopped while the journal is still locked (the payment seen,
 * not recorded): started again after, it finds the payment, once. */
static void test_a_payment_seen_but_not_recorded_is_found_after_a_restart(void **state)
{
	struct chainfx *x = *state;
	char log[600];
	sqlite3 *db;
	int w;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/kiosk.log", x->dir);
	pid = start_kiosk(x, 60, log, &w);
	db = pay_while_locked(x, w, log);
	/* A power cut, the lock still held. */
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	close(w);
	unlock_journal(db);

	/* The member is gone: paid, kept for them against the pickup code. */
	pid = start_kiosk(x, 12, log, &w);
	wait_exit(pid, w);
	outcome(x, "A1024", "paid", 7250, log);
	pid = start_kiosk(x, 6, log, &w);
	wait_exit(pid, w);
	outcome(x, "A1024", "paid", 7250, log);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_a_payment_during_a_9s_journal_lock_is_recorded_after_it),
	    T(test_a_payment_seen_but_not_recorded_is_found_after_a_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
