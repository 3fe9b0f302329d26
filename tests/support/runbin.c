#include "runbin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int runbin_scale(int secs)
{
	/* qemu-user runs the target's code several times slower. */
	return EMULATOR[0] ? secs * 4 : secs;
}
