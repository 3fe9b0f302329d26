/*
 * kioskctl's arguments: unknown commands, actions and flags are refused
 * (exit 2, naming them, with the closest known one); help and --version;
 * argument errors name the argument and what is accepted; orders import
 * --dry-run writes nothing and every import problem is listed at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/compiler.h"
#include "runbin.h"
#include "testutil.h"

struct fx {
	char *dir;
	char *site;
	char journal[512];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char text[1024];

	f->dir = tmpdir_or_fail();
	snprintf(f->journal, sizeof(f->journal), "%s/j.db", f->dir);
	snprintf(text, sizeof(text),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = t\njournal = %s\n",
	         f->journal);
	f->site = write_file_or_fail(f->dir, "site.conf", text);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->dir);
	free(f->dir);
	free(f->site);
	free(f);
	return 0;
}

KIOSK_PRINTF(3, 4)
static int ctl(char *out, size_t max, const char *fmt, ...)
{
	char args[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return runbin_or_fail("kioskctl", args, out, max);
}

static void expect(int rc, const char *out, int want_rc, const char *says, const char *what)
{
	if (rc != want_rc || !strstr(out, says))
		fail_msg("%s: exit %d (want %d), want \"%s\" in:\n%s", what, rc, want_rc, says,
		         out);
}

static void test_unknown_commands_actions_and_flags_are_refused(void **state)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
	    {"ordres list", "unknown command 'ordres' (did you mean 'orders'?)"},
	    {"orders lsit", "unknown action 'lsit' (did you mean 'list'?)"},
	    {"orders list --bogus", "unknown flag '--bogus'"},
	    {"orders list --stat ready", "did you mean '--state'?"},
	    {"orders import x.csv --dry-rn", "did you mean '--dry-run'?"},
	    {"orders import x.csv --state ready", "--state goes with list only"},
	    {"orders list --state redy",
	     "unknown state \"redy\" (did you mean 'ready'?); use ready,"},
	    {"orders show", "missing ID"},
	    {"orders show A1 B2", "unexpected argument 'B2'"},
	    {"config check --board b --site s --extra", "unknown flag '--extra'"},
	    {"config chek", "did you mean 'check'?"},
	    {"status --sit x", "did you mean '--site'?"},
	    {"report --flaged", "did you mean '--flagged'?"},
	    {"report --from 2026-13-45", "--from \"2026-13-45\": a day is YYYY-MM-DD"},
	    {"uri --to coop --amount '1.000 STEEM' --stlye https", "did you mean '--style'?"},
	    {"uri --to coop --amount '1.000 STEEM' --style qr",
	     "unknown style \"qr\"; use steem-uri, hive-uri, https"},
	    {"uri --to coop --amount '1.000 STEEM' --chain", "--chain needs a value (CHAIN)"},
	    {"key pub", "missing WIF"},
	    {"tx id a.json b.json", "unexpected argument 'b.json'"},
	    {"sig recover 00 00 --chain eos", "unknown chain \"eos\"; use steem or hive"},
	    {"staff list --no-qr", "--no-qr goes with add show only"},
	    {"receipt --sample --width 500 --out x.bin",
	     "--width: unknown dots \"500\"; use 384, 512 or 576"},
	    {"receipt --sample", "--out FILE.bin is required"},
	    {"render idel --out x.png", "unknown screen 'idel'; use one of idle,"},
	    {"render idle --size 10x10 --out x.png", "--size \"10x10\": give WIDTHxHEIGHT"},
	    {"render idle --lang fr --out x.png", "unknown lang \"fr\"; use ko or en"},
	    {"version --verbose", "unknown flag '--verbose'"},
	    {"--verison", "unknown flag '--verison' (did you mean '--version'?)"},
	};
	char out[8192];

	/* Refused before any file is read: no site file needed. */
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect(ctl(out, sizeof(out), "%s", bad[i].args), out, 2, bad[i].says, bad[i].args);
}

static void test_help_and_version(void **state)
{
	char out[8192], want[64];

	(void)state;
	expect(ctl(out, sizeof(out), "--version"), out, 0, "kioskctl " KIOSK_VERSION "\n",
	       "--version");
	expect(ctl(out, sizeof(out), "version"), out, 0, "kioskctl ", "version");
	expect(ctl(out, sizeof(out), "-h"), out, 0, "kioskctl orders import FILE", "-h");
	expect(ctl(out, sizeof(out), "--help"), out, 0, "kioskctl help COMMAND", "--help");
	expect(ctl(out, sizeof(out), "help"), out, 0, "commands:", "help");
	expect(ctl(out, sizeof(out), "help orders"), out, 0, "--dry-run", "help orders");
	expect(ctl(out, sizeof(out), "orders --help"), out, 0, "--state STATE", "orders --help");
	expect(ctl(out, sizeof(out), "orders list -h"), out, 0, "only orders in this state",
	       "orders list -h");
	expect(ctl(out, sizeof(out), "help uri"), out, 0,
	       "steem-uri, hive-uri, https or https-transfer", "help uri");
	expect(ctl(out, sizeof(out), "help ordrs"), out, 2, "did you mean 'orders'?", "help ordrs");
	expect(ctl(out, sizeof(out), "%s", ""), out, 2, "usage: kioskctl COMMAND", "no command");
	snprintf(want, sizeof(want), "/etc/kiosk/site.conf");
	expect(ctl(out, sizeof(out), "help status"), out, 0, want, "help status");
}

/* Without --site: /etc/kiosk/site.conf, named when missing. */
static void test_the_default_site_file_is_named(void **state)
{
	char out[4096];
	FILE *probe = fopen("/etc/kiosk/site.conf", "r");

	(void)state;
	if (probe) {
		fclose(probe);
		skip();
	}
	expect(ctl(out, sizeof(out), "orders list"), out, 2,
	       "the default site file /etc/kiosk/site.conf does not exist", "orders list");
	expect(ctl(out, sizeof(out), "status"), out, 2, "give --site FILE", "status");
}

static void test_dry_run_writes_nothing_and_every_problem_is_listed(void **state)
{
	struct fx *f = *state;
	char out[8192], *csv, *json, *empty, *latin;

	csv = write_file_or_fail(f->dir, "o.csv",
	                         "id,member,item,quantity,unit_price,pickup,compartment\n"
	                         "A1,alice,감자,2,1.500 HIVE,locker,3\n"
	                         "B2,bob,사과,1,0.500 HBD,receipt,\n");
	expect(ctl(out, sizeof(out), "orders import %s --dry-run --site %s", csv, f->site), out, 0,
	       "dry run: 2 orders would be imported; nothing written", "dry run");
	assert_non_null(strstr(out, "A1\tready\talice\t3.000 HIVE\tlocker 3"));
	expect(ctl(out, sizeof(out), "orders list --site %s", f->site), out, 0, "", "list");
	assert_null(strstr(out, "A1"));
	expect(ctl(out, sizeof(out), "orders import %s --site %s", csv, f->site), out, 0,
	       "imported 2 orders", "import");
	expect(ctl(out, sizeof(out), "orders import %s --dry-run --site %s", csv, f->site), out, 2,
	       "order A1 is already in the journal", "dry run again");

	json = write_file_or_fail(
	    f->dir, "o.json",
	    "[{\"id\":\"J1\",\"member\":\"alice\",\"pickup\":\"receipt\","
	    "\"items\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":\"1.000 HIVE\"}]},"
	    "{\"id\":\"J2\",\"member\":\"Bob\",\"pickup\":\"drone\","
	    "\"items\":[{\"name\":\"x\",\"quantity\":0,\"unit_price\":\"1.000 HIVE\"}]}]");
	expect(ctl(out, sizeof(out), "orders import %s --site %s", json, f->site), out, 2,
	       "order index 1, member:", "json");
	assert_non_null(strstr(out, "order index 1, pickup:"));
	assert_non_null(strstr(out, "order index 1, quantity:"));
	assert_null(strstr(out, "order index 0"));

	empty = write_file_or_fail(f->dir, "empty.csv", "");
	expect(ctl(out, sizeof(out), "orders import %s --site %s", empty, f->site), out, 2,
	       "the file is empty", "empty");
	/* One line after the heading: the problem, not seven. */
	assert_int_equal(strchr(strchr(out, '\n') + 1, '\n') - out + 1, (long)strlen(out));

	latin = write_file_or_fail(f->dir, "latin.csv",
	                           "id,member,item,quantity,unit_price,pickup,compartment\n"
	                           "C3,carol,Cr\xE8me,1,1.000 HIVE,receipt,\n");
	expect(ctl(out, sizeof(out), "orders import %s --site %s", latin, f->site), out, 2,
	       "row 2: byte 0xE8 at offset 65 is not UTF-8", "latin-1");
	expect(ctl(out, sizeof(out), "orders list --site %s", f->site), out, 0, "A1\t",
	       "list after");
	assert_null(strstr(out, "C3"));
	free(csv);
	free(json);
	free(empty);
	free(latin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_commands_actions_and_flags_are_refused),
	    cmocka_unit_test(test_help_and_version),
	    cmocka_unit_test(test_the_default_site_file_is_named),
	    cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing_and_every_problem_is_listed,
	                                    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
