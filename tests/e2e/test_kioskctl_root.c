/*
 * Run as root on the kiosk's files, kioskctl works as their owner: nothing
 * it writes (the journal, its -wal and -shm files, the staff secrets) is
 * left owned by root, which the kiosk (running as its own user) could not
 * open afterwards. And the kiosk refuses to start on a journal it cannot
 * read and write, saying which file, its owner and the fix; a read-only
 * journal it owns is reported as such, not as an ownership problem.
 * Needs root (skipped otherwise); "nobody" stands for the kiosk user.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runbin.h"
#include "testutil.h"

#define KIOSK_UID 65534u
#define KIOSK_GID 65534u

/* Whether another user can reach and run path: every folder above it
 * searchable by others (a checkout under a private home is not). */
static bool others_can_run(const char *path)
{
	char p[4096];
	struct stat st;

	if (strlen(path) >= sizeof(p))
		return false;
	memcpy(p, path, strlen(path) + 1);
	if (stat(p, &st) != 0 || !(st.st_mode & S_IXOTH))
		return false;
	for (char *slash = strrchr(p, '/'); slash && slash != p; slash = strrchr(p, '/')) {
		*slash = '\0';
		if (stat(p, &st) != 0 || !(st.st_mode & S_IXOTH))
			return false;
	}
	return true;
}

/* Every entry of dir: owned by the kiosk user, none by root. */
static void all_owned_by_kiosk(const char *dir, unsigned min_files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (st.st_uid != KIOSK_UID || st.st_gid != KIOSK_GID)
			fail_msg("%s is owned by %u:%u, not the kiosk user", path,
			         (unsigned)st.st_uid, (unsigned)st.st_gid);
		n++;
	}
	closedir(d);
	assert_true(n >= min_files);
}

static void test_kioskctl_as_root_leaves_no_root_owned_file(void **state)
{
	char *dir, *site, *csv, var[512], text[2048], args[2048], out[8192], path[600];
	struct stat st;

	(void)state;
	if (geteuid() != 0)
		skip();
	dir = tmpdir_or_fail();
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(var, sizeof(var), "%s/var", dir);
	assert_int_equal(mkdir(var, 0700), 0);
	assert_int_equal(chown(var, KIOSK_UID, KIOSK_GID), 0);
	snprintf(
	    text, sizeof(text),
	    "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	    "[kiosk]\ncoop_name = t\njournal = %s/j.db\n[staff]\nsecrets_path = %s/staff.secrets\n",
	    var, var);
	site = write_file_or_fail(dir, "site.conf", text);
	csv = write_file_or_fail(dir, "o.csv",
	                         "id,member,item,quantity,unit_price,pickup,compartment\n"
	                         "A1,alice,감자,2,1.500 HIVE,locker,3\n");
	assert_int_equal(chmod(site, 0644), 0);
	assert_int_equal(chmod(csv, 0644), 0);

	snprintf(args, sizeof(args), "orders import %s --site %s", csv, site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/j.db", var);
	assert_int_equal(stat(path, &st), 0);
	all_owned_by_kiosk(var, 1);
	snprintf(args, sizeof(args), "orders cancel A1 --site %s", site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "staff add minji --no-qr --site %s", site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/staff.secrets", var);
	assert_int_equal(stat(path, &st), 0);
	all_owned_by_kiosk(var, 2);
	snprintf(args, sizeof(args), "status --site %s", site);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	all_owned_by_kiosk(var, 2);
	rm_rf(dir);
	free(dir);
	free(site);
	free(csv);
}

/*
 * Starts the kiosk as the kiosk user on a journal with the given owner and
 * mode; its output in out, its exit status returned. False (test skipped)
 * where the kiosk user cannot be run.
 */
static bool start_on_journal(uid_t owner, mode_t mode, char *journal, size_t jlen, char *out,
                             size_t len, int *status)
{
	char *dir, *site, *board, *board_text, text[2048], cmd[4096], path[600];
	size_t n;
	FILE *p;

	if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/kiosk", KIOSK_BINARY_DIR);
	if (!others_can_run(path)) {
		print_message("skipped: the kiosk user cannot reach %s (a folder above it is "
		              "private)\n",
		              path);
		return false;
	}
	dir = tmpdir_or_fail();
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(journal, jlen, "%s/j.db", dir);
	free(write_file_or_fail(dir, "j.db", ""));
	assert_int_equal(chown(journal, owner, owner == 0 ? 0 : KIOSK_GID), 0);
	assert_int_equal(chmod(journal, mode), 0);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s\n",
	         journal);
	site = write_file_or_fail(dir, "site.conf", text);
	assert_int_equal(chmod(site, 0644), 0);
	/* The board beside it: the checkout itself may be private. */
	board_text = read_file_or_fail(KIOSK_SOURCE_DIR "/boards/sim.conf", NULL);
	board = write_file_or_fail(dir, "board.conf", board_text);
	free(board_text);
	assert_int_equal(chmod(board, 0644), 0);
	snprintf(cmd, sizeof(cmd),
	         "setpriv --reuid=%u --regid=%u --clear-groups %s%s --board %s --site %s "
	         "</dev/null 2>&1",
	         KIOSK_UID, KIOSK_GID, runbin_launcher_or_fail(path), path, board, site);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	*status = pclose(p);
	rm_rf(dir);
	free(dir);
	free(site);
	free(board);
	return true;
}

static void test_the_kiosk_refuses_a_journal_it_cannot_write(void **state)
{
	char journal[600], out[4096] = "";
	int st;

	(void)state;
	/* root's, as a kioskctl run by root used to leave it */
	if (!start_on_journal(0, 0600, journal, sizeof(journal), out, sizeof(out), &st))
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	if (!strstr(out, journal) || !strstr(out, "owned by root") ||
	    !strstr(out, "sudo chown nobody"))
		fail_msg("want the journal, its owner and the fix in:\n%s", out);
}

/* Its own file, but read-only: the owner is not the problem, and chown is no fix. */
static void test_a_read_only_journal_of_its_own_is_not_called_an_ownership_problem(void **state)
{
	char journal[600], out[4096] = "";
	int st;

	(void)state;
	if (!start_on_journal(KIOSK_UID, 0400, journal, sizeof(journal), out, sizeof(out), &st))
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	if (!strstr(out, journal) || strstr(out, "owned by") || strstr(out, "chown") ||
	    !strstr(out, "Permission denied") || !strstr(out, "chmod u+rw"))
		fail_msg("want the journal, the real error and chmod as the fix in:\n%s", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kioskctl_as_root_leaves_no_root_owned_file),
	    cmocka_unit_test(test_the_kiosk_refuses_a_journal_it_cannot_write),
	    cmocka_unit_test(
	        test_a_read_only_journal_of_its_own_is_not_called_an_ownership_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
