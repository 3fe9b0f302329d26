/* Running the built binaries (kiosk, kioskctl) from tests, natively or,
 * when the suite is cross-built, through qemu-user. */
#ifndef KIOSK_TEST_RUNBIN_H
#define KIOSK_TEST_RUNBIN_H

#include <stddef.h>
#include <sys/types.h>

/* "" or "qemu-aarch64 " etc.: what to put before a built binary's path. */
const char *runbin_launcher_or_fail(const char *binary);

/*
 * Runs KIOSK_BINARY_DIR/<tool> with args (a shell word list: quote as
 * needed) and stdin from /dev/null; stdout+stderr go to out (NUL-ended,
 * truncated at max). Returns the exit status.
 */
int runbin_or_fail(const char *tool, const char *args, char *out, size_t max);

/*
 * Starts KIOSK_BINARY_DIR/<tool> with args in the background: its stdin is
 * a pipe whose write end goes to *stdin_w, its stdout and stderr are
 * appended to log_path (NULL: stdout is dropped, stderr kept). Returns its
 * pid (the tool itself: sh execs it). The tool is killed if the caller dies first.
 */
pid_t runbin_spawn_or_fail(const char *tool, const char *args, const char *log_path, int *stdin_w);

/* Closes its stdin, sends SIGTERM and waits: its peak RSS in KiB, -1 on error. */
long runbin_stop(pid_t pid, int stdin_w);

/* A wall-clock allowance for a built binary: longer under an emulator. */
int runbin_scale(int secs);

#endif
