/*
 * The kiosk's start-up check of its files (the journal, its -wal and -shm,
 * the staff secrets) against files that come and go: SQLite deletes -wal
 * and -shm whenever another process closes the journal last, so a file
 * that vanishes between the check's stat() and access() must not be
 * reported as "owned by root ... and the kiosk runs as root". Here another
 * process creates and deletes the staff secrets file as fast as it can
 * while the kiosk starts again and again.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runbin.h"
#include "testutil.h"

#define STARTS 8

/* Creates and deletes path until killed. */
static pid_t start_flicker(const char *path)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;) {
			int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

			if (fd >= 0)
				close(fd);
			unlink(path);
		}
	}
	return pid;
}

static void test_a_file_gone_between_the_checks_is_not_an_ownership_problem(void **state)
{
	char *dir, *site, *board, *board_text, text[2048], cmd[4096], path[600], secrets[600],
	    log[600];
	unsigned refused = 0;

	(void)state;
	dir = tmpdir_or_fail();
	snprintf(secrets, sizeof(secrets), "%s/staff.secrets", dir);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s/j.db\n[staff]\nsecrets_path = %s\n",
	         dir, secrets);
	site = write_file_or_fail(dir, "site.conf", text);
	board_text = read_file_or_fail(KIOSK_SOURCE_DIR "/boards/sim.conf", NULL);
	board = write_file_or_fail(dir, "board.conf", board_text);
	free(board_text);
	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	snprintf(log, sizeof(log), "%s/kiosk.log", dir);
	/* The sim display draws on stdout: all of it to a file, read after the exit. */
	snprintf(cmd, sizeof(cmd), "%s%s --board %s --site %s --run-for 1 </dev/null >%s 2>&1",
	         runbin_launcher_or_fail(path), path, board, site, log);
	for (unsigned i = 0; i < STARTS; i++) {
		pid_t flicker = start_flicker(secrets);
		int rc = system(cmd), status;
		char *out;

		assert_int_equal(kill(flicker, SIGKILL), 0);
		assert_int_equal(waitpid(flicker, &status, 0), flicker);
		out = read_file_or_fail(log, NULL);
		if (strstr(out, "cannot read and write")) {
			print_message("start %u (exit %d): %s\n", i, rc,
			              strstr(out, "cannot read and write"));
			refused++;
		}
		free(out);
	}
	assert_int_equal(refused, 0);
	rm_rf(dir);
	free(dir);
	free(site);
	free(board);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_file_gone_between_the_checks_is_not_an_ownership_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
