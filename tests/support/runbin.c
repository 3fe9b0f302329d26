#include "runbin.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#if defined(__aarch64__)
#define EMULATOR "qemu-aarch64 "
#elif defined(__arm__)
#define EMULATOR "qemu-arm "
#else
#define EMULATOR ""
#endif

/*
 * A cross-built suite runs under qemu-user, whose children are host
 * processes: if the host cannot run the binary itself, go through qemu.
 */
const char *runbin_launcher_or_fail(const char *binary)
{
	char cmd[1024];

	if (access(binary, X_OK) != 0)
		fail_msg("%s not built; build all targets first", binary);
	if (EMULATOR[0] == '\0')
		return "";
	/* Both binaries answer --help with status 0. */
	snprintf(cmd, sizeof(cmd), "%s --help >/dev/null 2>&1 </dev/null", binary);
	if (system(cmd) == 0)
		return ""; /* binfmt_misc runs it */
	snprintf(cmd, sizeof(cmd), "%s%s --help >/dev/null 2>&1 </dev/null", EMULATOR, binary);
	if (system(cmd) == 0)
		return EMULATOR;
	fail_msg("cannot run %s, natively or under %s", binary, EMULATOR);
	return "";
}

int runbin_or_fail(const char *tool, const char *args, char *out, size_t max)
{
	char path[512], cmd[4096];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(path, sizeof(path), "%s/%s", KIOSK_BINARY_DIR, tool);
	/* stdin from /dev/null unless args redirect it (a later "<" wins). */
	snprintf(cmd, sizeof(cmd), "%s%s </dev/null %s 2>&1", runbin_launcher_or_fail(path), path,
	         args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < max) {
		size_t got = fread(out + n, 1, max - 1 - n, p);

		if (got == 0)
			break;
		n += got;
	}
	if (max)
		out[n] = '\0';
	/* Drain what did not fit, so the child never blocks on a full pipe. */
	{
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

pid_t runbin_spawn_or_fail(const char *tool, const char *args, const char *log_path, int *stdin_w)
{
	char path[512], cmd[4096];
	int p[2];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", KIOSK_BINARY_DIR, tool);
	snprintf(cmd, sizeof(cmd), "exec %s%s %s", runbin_launcher_or_fail(path), path, args);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int log = open(log_path ? log_path : "/dev/null",
		               O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

		/* A test or bench that dies (an abort) takes the tool with it: no orphan holding
		 * the runner's output pipe open until its timeout. */
		if (log < 0 || dup2(p[0], 0) < 0 || dup2(log, 1) < 0 ||
		    (log_path && dup2(log, 2) < 0) || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
			_exit(126);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	/* Later children must not hold the pipe open: the tool would never see its end. */
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	*stdin_w = p[1];
	return pid;
}

long runbin_stop(pid_t pid, int stdin_w)
{
	struct rusage ru;
	int status;

	close(stdin_w);
	kill(pid, SIGTERM);
	return wait4(pid, &status, 0, &ru) == pid ? ru.ru_maxrss : -1;
}

int runbin_scale(int secs)
{
	/* qemu-user runs the target's code several times slower. */
	return EMULATOR[0] ? secs * 4 : secs;
}
