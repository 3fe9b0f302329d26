/* kioskctl staff: enrolment writes a private secrets file and shows a QR a
 * phone can scan (decoded here by zbarimg from the terminal output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kiosk/staff.h"
#include "runbin.h"
#include "testutil.h"

#define OUT_MAX (256 * 1024)

/*
 * Turns the terminal rendering (one "\e[38;5;Fm\e[48;5;Bm▀" per module
 * column, two module rows per line) back into a PGM image, 4 px a module.
 */
static void terminal_qr_to_pgm(const char *out, const char *pgm)
{
	enum { SCALE = 4, MAXW = 200 };
	static unsigned char rows[2 * MAXW][MAXW];
	unsigned width = 0, nrows = 0;
	const char *line = out;
	FILE *f;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		unsigned x = 0;
		const char *p = line;
		int fg, bg, used;

		while (sscanf(p, "\x1b[38;5;%dm\x1b[48;5;%dm\xe2\x96\x80%n", &fg, &bg, &used) ==
		           2 &&
		       x < MAXW && nrows + 1 < 2 * MAXW) {
			rows[nrows][x] = fg == 16 ? 0 : 255;
			rows[nrows + 1][x] = bg == 16 ? 0 : 255;
			x++;
			p += used;
		}
		if (x) {
			width = x;
			nrows += 2;
		}
		line = nl ? nl + 1 : NULL;
	}
	assert_true(width > 21 + 8);
	f = fopen(pgm, "wb");
	assert_non_null(f);
	fprintf(f, "P5\n%u %u\n255\n", width * SCALE, nrows * SCALE);
	for (unsigned y = 0; y < nrows * SCALE; y++)
		for (unsigned x = 0; x < width * SCALE; x++)
			fputc(rows[y / SCALE][x / SCALE], f);
	fclose(f);
}

static void test_add_shows_a_scannable_otpauth_qr_and_keeps_the_file_private(void **state)
{
	char *dir = tmpdir_or_fail(), args[512], cmd[1024], decoded[1024] = "";
	char *out = malloc(OUT_MAX);
	const char *uri;
	struct stat sb;
	FILE *z;

	(void)state;
	snprintf(args, sizeof(args),
	         "staff add 민지 --secrets %s/staff.secrets --issuer 'Hanbat Co-op'", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, OUT_MAX), 0);
	uri = strstr(out, "otpauth://totp/Hanbat%20Co-op:%EB%AF%BC%EC%A7%80?secret=");
	assert_non_null(uri);
	*strchr(uri, '\n') = '\0';
	snprintf(cmd, sizeof(cmd), "%s/qr.pgm", dir);
	terminal_qr_to_pgm(out, cmd);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s/qr.pgm 2>/dev/null", dir);
	z = popen(cmd, "r");
	assert_non_null(z);
	assert_non_null(fgets(decoded, sizeof(decoded), z));
	pclose(z);
	decoded[strcspn(decoded, "\n")] = '\0';
	assert_string_equal(decoded, uri);

	snprintf(cmd, sizeof(cmd), "%s/staff.secrets", dir);
	assert_int_equal(stat(cmd, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* show: the same secret again, for a phone that missed the first QR. */
	{
		char *again = strdup(uri);

		snprintf(
		    args, sizeof(args),
		    "staff show 민지 --no-qr --secrets %s/staff.secrets --issuer 'Hanbat Co-op'",
		    dir);
		assert_int_equal(runbin_or_fail("kioskctl", args, out, OUT_MAX), 0);
		assert_non_null(strstr(out, again));
		free(again);
	}
	free(out);
	rm_rf(dir);
	free(dir);
}

static void test_list_remove_and_refusals(void **state)
{
	char *dir = tmpdir_or_fail(), args[512], out[4096];

	(void)state;
	snprintf(args, sizeof(args), "staff add minji --no-qr --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "staff add junho --no-qr --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "staff add minji --no-qr --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "exists"));
	snprintf(args, sizeof(args), "staff list --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_string_equal(out, "minji\njunho\n");
	snprintf(args, sizeof(args), "staff code minji --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	{
		/* The printed code is the one the kiosk accepts now. */
		struct staff_db db;
		const struct staff_member *who;
		char code[8];

		snprintf(code, sizeof(code), "%.6s", out);
		assert_int_equal(strlen(out), 7);
		snprintf(args, sizeof(args), "%s/s", dir);
		assert_int_equal(staff_db_load(args, &db), KERR_OK);
		assert_int_equal(staff_db_check(&db, (int64_t)time(NULL), code, &who), KERR_OK);
		assert_string_equal(who->name, "minji");
	}
	snprintf(args, sizeof(args), "staff code nobody --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 1);
	snprintf(args, sizeof(args), "staff remove minji --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "staff remove minji --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 1);
	snprintf(args, sizeof(args), "staff list --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	assert_string_equal(out, "junho\n");
	snprintf(args, sizeof(args), "staff add 'two words' --no-qr --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	snprintf(args, sizeof(args), "chmod 644 %s/s", dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "staff list --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "chmod 600"));
	assert_int_equal(runbin_or_fail("kioskctl", "staff", out, sizeof(out)), 2);
	/* The kiosk's screen is reached through its journal: that needs the site file. */
	snprintf(args, sizeof(args), "staff add dahye --on-kiosk --secrets %s/s", dir);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "--site"));
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_shows_a_scannable_otpauth_qr_and_keeps_the_file_private),
	    cmocka_unit_test(test_list_remove_and_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
