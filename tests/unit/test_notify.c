/* systemd notify over a real datagram socket, and the daemon's READY=1. */
#include "kiosk/notify.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "runbin.h"
#include "testutil.h"

static int listen_dgram(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void recv_or_fail(int fd, char *buf, size_t cap, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	assert_int_equal(poll(&p, 1, timeout_ms), 1);
	n = recv(fd, buf, cap - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
}

static void test_messages_reach_the_socket(void **state)
{
	char *dir = tmpdir_or_fail(), path[256], buf[256];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listen_dgram(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(notify_send("READY=1"), KERR_OK);
	recv_or_fail(fd, buf, sizeof(buf), 1000);
	assert_string_equal(buf, "READY=1");
	assert_int_equal(notify_send("WATCHDOG=1"), KERR_OK);
	recv_or_fail(fd, buf, sizeof(buf), 1000);
	assert_string_equal(buf, "WATCHDOG=1");
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(notify_send("READY=1"), KERR_INVAL);
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(notify_send("READY=1"), KERR_OK);
	close(fd);
	rm_rf(dir);
	free(dir);
}

static void test_abstract_socket(void **state)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char name[64], buf[64];
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	(void)state;
	snprintf(name, sizeof(name), "@kiosk-test-%d", (int)getpid());
	memcpy(sa.sun_path, name, strlen(name));
	sa.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sa,
	                      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name))),
	                 0);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(notify_send("STOPPING=1"), KERR_OK);
	recv_or_fail(fd, buf, sizeof(buf), 1000);
	assert_string_equal(buf, "STOPPING=1");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
}

static void test_watchdog_interval_is_half_and_only_for_us(void **state)
{
	char pid[32];

	(void)state;
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "10000000", 1);
	assert_int_equal(notify_watchdog_interval_ns(), 5000000000LL);
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(notify_watchdog_interval_ns(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "ten", 1);
	assert_int_equal(notify_watchdog_interval_ns(), 0);
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(notify_watchdog_interval_ns(), 0);
}

static void test_the_daemon_says_ready_then_stopping(void **state)
{
	char *dir = tmpdir_or_fail(), path[256], args[1024], out[4096], buf[256], site[2048];
	char *site_path;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listen_dgram(path);
	snprintf(site, sizeof(site),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s/j.db\n",
	         dir);
	site_path = write_file_or_fail(dir, "site.conf", site);
	setenv("NOTIFY_SOCKET", path, 1);
	snprintf(args, sizeof(args), "--board %s/boards/sim.conf --site %s --run-for 1",
	         KIOSK_SOURCE_DIR, site_path);
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 0);
	unsetenv("NOTIFY_SOCKET");
	recv_or_fail(fd, buf, sizeof(buf), 1000);
	assert_non_null(strstr(buf, "READY=1"));
	recv_or_fail(fd, buf, sizeof(buf), 1000);
	assert_string_equal(buf, "STOPPING=1");
	close(fd);
	free(site_path);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_messages_reach_the_socket),
	    cmocka_unit_test(test_abstract_socket),
	    cmocka_unit_test(test_watchdog_interval_is_half_and_only_for_us),
	    cmocka_unit_test(test_the_daemon_says_ready_then_stopping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
