/* Helpers shared by the tests: fixtures, temporary folders, file reading. */
#ifndef KIOSK_TESTUTIL_H
#define KIOSK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a file under tests/fixtures (or $KIOSK_FIXTURES); static buffer. */
const char *fixture_path(const char *rel);
/* Reads a whole file; caller frees. NULL on error. */
char *read_file_or_fail(const char *path, size_t *len);
/* A fresh temporary folder; caller removes it with rm_rf(). */
char *tmpdir_or_fail(void);
void rm_rf(const char *path);
/* Writes text to dir/name; returns the malloc'd path. */
char *write_file_or_fail(const char *dir, const char *name, const char *text);
/* The monotonic clock, for measuring in benchmarks and waiting in tests. */
int64_t mono_ns(void);
int64_t mono_ms(void);
void sleep_ms(unsigned ms);
/* Prints the last max_bytes of a file (a daemon's log) into the test's
 * output, so that a failure on a machine nobody can log into says why. */
void print_file_tail(const char *path, size_t max_bytes);
/* qsort order for int64_t. */
int cmp_i64(const void *a, const void *b);
/* Hex of any even length into out (max bytes); (size_t)-1 if not hex or too long. */
size_t hex_bytes(const char *hex, uint8_t *out, size_t max);

#endif
