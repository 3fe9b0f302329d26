/* Running the built binaries (kiosk, kioskctl) from tests, natively or,
 * when the suite is cross-built, through qemu-user. */
#ifndef KIOSK_TEST_RUNBIN_H
#define KIOSK_TEST_RUNBIN_H

#include <stddef.h>

/* "" or "qemu-aarch64 " etc.: what to put before a built binary's path. */
const char *runbin_launcher_or_fail(const char *binary);

/*
 * Runs KIOSK_BINARY_DIR/<tool> with args (a shell word list: quote as
 * needed) and stdin from /dev/null; stdout+stderr go to out (NUL-ended,
 * truncated at max). Returns the exit status.
 */
int runbin_or_fail(const char *tool, const char *args, char *out, size_t max);

/* A wall-clock allowance for a built binary: longer under an emulator. */
int runbin_scale(int secs);

#endif
