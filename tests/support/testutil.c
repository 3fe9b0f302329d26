#include "testutil.h"

#include "kiosk/hex.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *fixture_path(const char *rel)
{
	static char buf[4096];
	const char *base = getenv("KIOSK_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/%s", base ? base : KIOSK_FIXTURES_DIR, rel);
	return buf;
}

char *read_file_or_fail(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

char *tmpdir_or_fail(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);

	assert_non_null(p);
	snprintf(p, 4096, "%s/kiosk-test-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(p))
		fail_msg("mkdtemp failed");
	return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void rm_rf(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *write_file_or_fail(const char *dir, const char *name, const char *text)
{
	char *p = malloc(4096);
	FILE *f;

	assert_non_null(p);
	snprintf(p, 4096, "%s/%s", dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
	return p;
}

size_t hex_bytes(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2;

	if (n > max || hex_decode(hex, strlen(hex), out, n, NULL) != KERR_OK)
		return (size_t)-1;
	return n;
}

int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t mono_ms(void)
{
	return mono_ns() / 1000000;
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void print_file_tail(const char *path, size_t max_bytes)
{
	FILE *f = fopen(path, "rb");
	char buf[1024];
	long size;
	size_t n;

	if (!f) {
		print_message("(no %s)\n", path);
		return;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && (size_t)size > max_bytes)
		(void)fseek(f, size - (long)max_bytes, SEEK_SET);
	else
		rewind(f);
	print_message("---- last lines of %s ----\n", path);
	while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
		buf[n] = '\0';
		print_message("%s", buf);
	}
	print_message("---- end of %s ----\n", path);
	fclose(f);
}
