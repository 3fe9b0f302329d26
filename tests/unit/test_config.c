/* Board and site files: every error path names file, line and the fix; the
 * daemon exits 2 on each; every shipped file loads. */
#include "kiosk/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runbin.h"
#include "testutil.h"

#define FIX KIOSK_SOURCE_DIR "/tests/fixtures/config/"

static const struct {
	const char *file;
	unsigned line;
	const char *says;
} bad[] = {
    {"board-unknown-key.conf", 13, "did you mean \"door\""},
    {"board-unknown-section.conf", 16, "unknown section [dispaly]"},
    {"board-missing-backend.conf", 0, "[gpio] backend is missing"},
    {"board-duplicate-key.conf", 13, "lock set twice in [locker.1] (first on line 12)"},
    {"board-duplicate-section.conf", 16, "[board] appears twice"},
    {"board-same-line-twice.conf", 16,
     "compartment 2 uses line GPIO4, already the lock line of compartment 1"},
    {"board-button-on-door-line.conf", 13, "already the OK button"},
    {"board-pulse-over-cap.conf", 16, "hard cap of 3000 ms"},
    {"board-bad-rotation.conf", 7, "0, 90, 180 or 270"},
    {"board-bad-width.conf", 17, "384 (58 mm paper) or 576"},
    {"board-bad-backend.conf", 5, "expected one of sim, fbdev"},
    {"board-bad-bool.conf", 14, "expected yes or no"},
    {"board-bad-line-name.conf", 13, "kernel name, e.g. GPIO17"},
    {"board-locker-missing-door.conf", 0, "[locker.1] door is missing"},
    {"board-bad-locker-number.conf", 16, "[locker.1] to [locker.32]"},
    {"board-fbdev-no-device.conf", 5, "needs a device"},
    {"board-serial-no-device.conf", 16, "needs a device"},
    {"board-not-ini.conf", 15, "not an INI line"},
    {"board-long-line.conf", 2, "longer than 199"},
};

static const struct {
	const char *file;
	unsigned line;
	const char *says;
} bad_site[] = {
    {"site-bad-chain.conf", 2, "expected one of steem, hive"},
    {"site-bad-account.conf", 3, "not a chain account name"},
    {"site-http-node.conf", 6, "must be an https:// URL"},
    {"site-no-nodes.conf", 0, "node1 is missing"},
    {"site-node-gap.conf", 6, "node2 given without node1"},
    {"site-bad-confirm.conf", 13, "blocks:N (1-1000)"},
    {"site-strict-wrong-chain.conf", 13, "STEEM, which is not an asset of hive"},
    {"site-strict-bad-amount.conf", 13, "decimals"},
    {"site-missing-journal.conf", 0, "[kiosk] journal is missing"},
    {"site-bad-language.conf", 11, "expected one of ko, en"},
    {"site-bad-timezone.conf", 11, "not a time zone this system knows"},
    {"site-bad-number.conf", 13, "from 1 to 100"},
    {"site-bad-pin.conf", 7, "sha256//"},
    {"site-tokens-one-node.conf", 9, "give node1 and node2"},
    {"site-tokens-bad-symbol.conf", 9, "\"swap.hbd\" is not a token symbol"},
};

static void test_every_bad_board_file_is_named_with_its_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct board b;
		struct config_error e;
		char msg[1024], want[128];

		assert_int_equal(config_load_board(FIX "board-ok.conf", &b, &e), KERR_OK);
		snprintf(msg, sizeof(msg), FIX "%s", bad[i].file);
		assert_int_equal(config_load_board(msg, &b, &e), KERR_PARSE);
		config_error_format(&e, msg, sizeof(msg));
		if (!strstr(msg, bad[i].says) || e.line != bad[i].line)
			fail_msg("%s: got \"%s\" (line %u), want line %u saying \"%s\"",
			         bad[i].file, msg, e.line, bad[i].line, bad[i].says);
		snprintf(want, sizeof(want), "%s%s:", bad[i].file, "");
		assert_non_null(strstr(msg, want));
	}
}

static void test_every_bad_site_file_is_named_with_its_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_site); i++) {
		struct site s;
		struct config_error e;
		char msg[1024];

		snprintf(msg, sizeof(msg), FIX "%s", bad_site[i].file);
		assert_int_equal(config_load_site(msg, &s, &e), KERR_PARSE);
		config_error_format(&e, msg, sizeof(msg));
		if (!strstr(msg, bad_site[i].says) || e.line != bad_site[i].line)
			fail_msg("%s: got \"%s\" (line %u), want line %u saying \"%s\"",
			         bad_site[i].file, msg, e.line, bad_site[i].line, bad_site[i].says);
	}
}

static void test_the_daemon_exits_2_with_the_message(void **state)
{
	char args[1024], out[2048];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(args, sizeof(args), "--board " FIX "%s --site " FIX "site-ok.conf --check",
		         bad[i].file);
		assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 2);
		assert_non_null(strstr(out, bad[i].says));
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_site); i++) {
		snprintf(args, sizeof(args),
		         "--board " FIX "board-ok.conf --site " FIX "%s --check", bad_site[i].file);
		assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 2);
		assert_non_null(strstr(out, bad_site[i].says));
	}
	assert_int_equal(
	    runbin_or_fail("kiosk", "--board /nonexistent.conf --site x --check", out, sizeof(out)),
	    2);
	assert_non_null(strstr(out, "cannot open"));
	assert_int_equal(runbin_or_fail("kiosk", "--bogus", out, sizeof(out)), 2);
}

/* kioskctl config check and the daemon list every problem of both files, in order. */
static void test_every_problem_of_both_files_at_once(void **state)
{
	static const struct {
		const char *file;
		unsigned line;
		const char *says;
	} want[] = {
	    {"all-errors-board.conf", 12, "lock = \"GPI05\" is not a line name"},
	    {"all-errors-board.conf", 13, "door = \"gpio5\" is not a line name"},
	    {"all-errors-board.conf", 16, "lock = \"GPIO99\": the Pi has no such line"},
	    {"all-errors-site.conf", 2, "expected one of steem, hive"},
	};
	struct config_errors *all = calloc(1, sizeof(*all));
	struct board b;
	struct site s;
	char msg[1024], args[1024], out[4096];

	(void)state;
	assert_non_null(all);
	assert_int_equal(config_check_board_file(FIX "all-errors-board.conf", &b, all), KERR_PARSE);
	assert_int_equal(config_check_site_file(FIX "all-errors-site.conf", &s, all), KERR_PARSE);
	assert_int_equal(all->count, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		config_error_format(&all->e[i], msg, sizeof(msg));
		if (!strstr(msg, want[i].file) || all->e[i].line != want[i].line ||
		    !strstr(msg, want[i].says))
			fail_msg("problem %zu: got \"%s\" (line %u), want %s:%u saying \"%s\"", i,
			         msg, all->e[i].line, want[i].file, want[i].line, want[i].says);
	}
	/* The hints: the letter O for a zero, lower case. */
	assert_non_null(strstr(all->e[0].msg, "did you mean GPIO5?"));
	assert_non_null(strstr(all->e[1].msg, "did you mean GPIO5?"));
	assert_non_null(strstr(all->e[2].msg, "GPIO0 to GPIO27"));
	/* The one-error loader still stops at the first. */
	{
		struct config_error e;

		assert_int_equal(config_load_board(FIX "all-errors-board.conf", &b, &e),
		                 KERR_PARSE);
		assert_int_equal(e.line, 12);
	}
	free(all);

	snprintf(args, sizeof(args),
	         "config check --board " FIX "all-errors-board.conf --site " FIX
	         "all-errors-site.conf");
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 2);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(out, want[i].says))
			fail_msg("kioskctl config check does not say \"%s\":\n%s", want[i].says,
			         out);
	assert_non_null(strstr(out, "4 problems"));
	snprintf(args, sizeof(args),
	         "--board " FIX "all-errors-board.conf --site " FIX "all-errors-site.conf --check");
	assert_int_equal(runbin_or_fail("kiosk", args, out, sizeof(out)), 2);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(out, want[i].says))
			fail_msg("kiosk --check does not say \"%s\":\n%s", want[i].says, out);
}

static void test_only_the_pis_line_names_are_taken(void **state)
{
	static const char *const good[] = {"GPIO0", "GPIO9", "GPIO17", "GPIO27"};
	static const char *const wrong[] = {"GPI05",  "gpio5", "GPIO99", "GPIO28",
	                                    "GPIO05", "PIN11", "GPIO"};
	char text[512];
	struct board b;
	struct config_error e;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good) + ARRAY_SIZE(wrong); i++) {
		const char *name = i < ARRAY_SIZE(good) ? good[i] : wrong[i - ARRAY_SIZE(good)];
		int n =
		    snprintf(text, sizeof(text),
		             "[board]\nname = t\n[display]\nbackend = sim\n[gpio]\nbackend = sim\n"
		             "[locker.1]\nlock = %s\ndoor = GPIO1\n",
		             name);
		enum kerr err = config_parse_board(text, (size_t)n, "b.conf", &b, &e);

		if (i < ARRAY_SIZE(good)
		        ? err != KERR_OK
		        : err != KERR_PARSE || e.line != 8 || !strstr(e.msg, "GPIO17"))
			fail_msg("%s: %s (line %u: %s)", name, kerr_str(err), e.line, e.msg);
	}
}

static void test_shipped_files_load_with_what_they_say(void **state)
{
	static const char *const boards[] = {"sim", "rpi4", "rpi5", "rpizero2w"};
	struct board b;
	struct site s;
	struct config_error e;
	char path[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++) {
		snprintf(path, sizeof(path), KIOSK_SOURCE_DIR "/boards/%s.conf", boards[i]);
		if (config_load_board(path, &b, &e) != KERR_OK) {
			char msg[1024];

			config_error_format(&e, msg, sizeof(msg));
			fail_msg("%s", msg);
		}
		assert_string_equal(b.name, boards[i]);
		assert_int_equal(b.lockers.count, 8);
		assert_true(b.lockers.pulse_ms <= BOARD_PULSE_CAP_MS);
		for (unsigned c = 0; c < 8; c++) {
			assert_int_equal(b.lockers.c[c].number, c + 1);
			assert_true(b.lockers.c[c].lock.active_low);
			assert_int_equal(b.lockers.c[c].door.bias, BOARD_BIAS_PULL_UP);
		}
		assert_true(b.printer.width_dots == 384 || b.printer.width_dots == 576);
		assert_string_equal(b.printer.status, "auto");
	}
	assert_int_equal(config_load_board(KIOSK_SOURCE_DIR "/boards/sim.conf", &b, &e), KERR_OK);
	assert_string_equal(b.display.backend, "sim");
	assert_true(b.display.terminal);
	assert_true(b.input.sim_stdin);
	assert_int_equal(config_load_site(KIOSK_SOURCE_DIR "/docs/site.example.conf", &s, &e),
	                 KERR_OK);
	assert_int_equal(s.chain, SITE_CHAIN_HIVE);
	assert_int_equal(s.node_count, 3);
	assert_int_equal(s.confirm, SITE_CONFIRM_BLOCKS);
	assert_int_equal(s.confirm_blocks, 3);
	assert_true(s.strict_set);
	assert_int_equal(s.strict_above.amount, 50000);
	assert_string_equal(s.coop_name, "한밭 생활협동조합");
	assert_int_equal(s.token_count, 1);
	assert_string_equal(s.tokens[0], "SWAP.HIVE");
	assert_string_equal(s.sidechain_id, "ssc-mainnet-hive");
	assert_int_equal(s.sidechain_node_count, 3);
	assert_int_equal(s.sidechain_quorum, 2);
	assert_int_equal(s.rate_tolerance_bp, 50);
	assert_int_equal(config_load_site(KIOSK_SOURCE_DIR "/docs/site.demo.conf", &s, &e),
	                 KERR_OK);
	assert_string_equal(s.nodes[0].url, "https://127.0.0.1:8443");
	assert_int_equal(s.confirm, SITE_CONFIRM_HEAD);
}

static void test_printer_status_mode(void **state)
{
	static const char none[] =
	    "[board]\nname = t\n[display]\nbackend = sim\n[gpio]\nbackend = "
	    "sim\n[printer]\nbackend = serial\ndevice = /dev/ttyS0\nstatus = none\n";
	static const char maybe[] =
	    "[board]\nname = t\n[display]\nbackend = sim\n[gpio]\nbackend = "
	    "sim\n[printer]\nbackend = serial\ndevice = /dev/ttyS0\nstatus = maybe\n";
	struct board b;
	struct config_error e;

	(void)state;
	assert_int_equal(config_parse_board(none, strlen(none), "mem", &b, &e), KERR_OK);
	assert_string_equal(b.printer.status, "none");
	assert_int_not_equal(config_parse_board(maybe, strlen(maybe), "mem", &b, &e), KERR_OK);
}

/* A hardware board reaches every function with its inputs, or is refused
 * saying what it lacks: buttons alone enter digits with the wheel, a
 * scanner alone reaches staff mode with the staff card. */
static void test_every_function_reachable_or_the_board_refused(void **state)
{
	static const struct {
		const char *input;
		bool ok, wheel;
		const char *says;
	} cases[] = {
	    {"keypad = /dev/input/kp\n", true, false, NULL},
	    {"next = GPIO20\nprev = GPIO21\nok = GPIO22\nstaff = GPIO23\n", true, true, NULL},
	    /* Zero 2 W: buttons and a scanner, no staff button: the staff card. */
	    {"next = GPIO20\nprev = GPIO21\nok = GPIO22\nscanner = /dev/input/sc\n", true, true,
	     NULL},
	    /* The Zero 2 W board as shipped: next, OK and staff (the wheel turns one way). */
	    {"next = GPIO20\nok = GPIO22\nstaff = GPIO23\n", true, true, NULL},
	    {"prev = GPIO21\nok = GPIO22\nstaff = GPIO23\n", false, true,
	     "digit wheel needs next and ok buttons (prev turns it back; it has prev ok)"},
	    {"scanner = /dev/input/sc\n", false, true, "no way to enter a staff or pickup code"},
	    {"next = GPIO20\nprev = GPIO21\nok = GPIO22\n", false, true, "no way into staff mode"},
	    {"", false, true, "(prev turns it back; it has none)"},
	    {"keypad = /dev/input/kp\ndigits = keypad\n", true, false, NULL},
	    {"digits = keypad\nnext = GPIO20\nprev = GPIO21\nok = GPIO22\nstaff = GPIO23\n", false,
	     false, "digits = keypad, but the board has no keypad"},
	    {"digits = wheel\nkeypad = /dev/input/kp\nnext = GPIO20\nprev = GPIO21\nok = "
	     "GPIO22\n",
	     true, true, NULL},
	};
	char text[1024];
	struct board b;
	struct config_error e;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int n = snprintf(text, sizeof(text),
		                 "[board]\nname = t\n[display]\nbackend = sim\n[gpio]\nbackend = "
		                 "gpiod\n[locker.1]\nlock = GPIO4\ndoor = GPIO5\n[input]\n%s",
		                 cases[i].input);
		enum kerr err = config_parse_board(text, (size_t)n, "b.conf", &b, &e);

		if (cases[i].ok ? err != KERR_OK
		                : err != KERR_PARSE || !strstr(e.msg, cases[i].says))
			fail_msg("case %zu: %s (%s)", i, kerr_str(err), err ? e.msg : "accepted");
		if (!err)
			assert_int_equal(board_digit_wheel(&b.input), cases[i].wheel);
	}
}

static void test_defaults_for_optional_keys(void **state)
{
	static const char site[] = "[chain]\nname = steem\naccount = coop\n[nodes]\nnode1 = "
	                           "https://a.example\n[kiosk]\ncoop_name = c\njournal = j\n";
	struct site s;
	struct config_error e;

	(void)state;
	assert_int_equal(config_parse_site(site, strlen(site), "mem", &s, &e), KERR_OK);
	assert_int_equal(s.lang, SITE_LANG_KO);
	assert_int_equal(s.confirm, SITE_CONFIRM_IRREVERSIBLE);
	assert_int_equal(s.staff_lockout_attempts, 5);
	assert_int_equal(s.staff_lockout_s, 300);
	assert_int_equal(s.reconcile_after_s, 86400);
	assert_int_equal(s.request_ttl_s, 900);
	assert_false(s.strict_set);
	assert_int_equal(config_parse_site("x\0y", 3, "mem", &s, &e), KERR_PARSE);
	assert_non_null(strstr(e.msg, "NUL"));
}

static void test_quorum_operators_and_head_max(void **state)
{
	static const char base[] =
	    "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://a.example\n"
	    "node2 = https://b.example\nnode3 = https://c.example\n";
	static const char tail[] = "[kiosk]\ncoop_name = c\njournal = j\n";
	char text[1024];
	struct site s;
	struct config_error e;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", base, tail);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_int_equal(site_operators(&s), 3);
	assert_int_equal(site_quorum(&s), 2);
	/* Nodes of one operator count once. */
	snprintf(text, sizeof(text), "%soperator1 = acme\noperator2 = acme\nquorum = 2\n%s", base,
	         tail);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_int_equal(site_operators(&s), 2);
	assert_int_equal(site_operator_of(&s, 1), 0);
	snprintf(text, sizeof(text), "%soperator1 = acme\noperator2 = acme\nquorum = 3\n%s", base,
	         tail);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_PARSE);
	assert_non_null(strstr(e.msg, "only 2 node operators"));
	/* confirm = head only with a cap. */
	snprintf(text, sizeof(text), "%s[payment]\nconfirm = head\n%s", base, tail);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_PARSE);
	assert_non_null(strstr(e.msg, "head_max"));
	snprintf(text, sizeof(text), "%s[payment]\nconfirm = head\nhead_max = 20.000 HIVE\n%s",
	         base, tail);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_true(s.head_max_set);
	assert_int_equal(s.head_max.amount, 20000);
	assert_false(s.strict_set);
}

/* [rates]: the order of sources, the ages, the tolerance in basis points. */
static void test_rates_section_defaults_and_values(void **state)
{
	static const char base[] = "[chain]\nname = steem\naccount = coop\n[nodes]\nnode1 = "
	                           "https://a.example\n[kiosk]\ncoop_name = c\njournal = j\n";
	static const struct {
		const char *line, *why; /* why NULL: accepted */
		unsigned bp;
	} cases[] = {
	    {"tolerance = 0.5%", NULL, 50},
	    {"tolerance = 1%", NULL, 100},
	    {"tolerance = 0.25%", NULL, 25},
	    {"tolerance = 0", NULL, 0},
	    {"tolerance = 10%", NULL, 1000},
	    {"tolerance = 10.01%", "percentage", 0},
	    {"tolerance = 0.125%", "two decimals", 0},
	    {"tolerance = -1%", "percentage", 0},
	    {"tolerance = .5%", "percentage", 0},
	    {"tolerance = 1.%", "percentage", 0},
	    {"sources = staff, guess", "\"guess\" is not a rate source", 0},
	    {"sources = staff, staff", "staff is given twice", 0},
	    {"sources = ,", "is empty", 0},
	    {"max_age = 5", "from 10 to", 0},
	};
	char text[1024];
	struct site s;
	struct config_error e;

	(void)state;
	assert_int_equal(config_parse_site(base, strlen(base), "mem", &s, &e), KERR_OK);
	assert_int_equal(s.rate_source_count, 1);
	assert_int_equal(s.rate_sources[0], RATE_STAFF);
	assert_int_equal(s.rate_max_age_s, 3600);
	assert_int_equal(s.rate_lock_s, 900);
	assert_int_equal(s.rate_tolerance_bp, 0);
	snprintf(text, sizeof(text),
	         "[chain]\nname = steem\naccount = coop\n[nodes]\nnode1 = https://a.example\n"
	         "node2 = https://b.example\n%s[rates]\nsources = feed, staff ticker\n"
	         "max_age = 600\nlock = 300\n"
	         "ticker_url = https://api.upbit.com/v1/ticker?markets=KRW-STEEM\n",
	         strstr(base, "[kiosk]"));
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_int_equal(s.rate_source_count, 3);
	assert_int_equal(s.rate_sources[0], RATE_FEED);
	assert_int_equal(s.rate_sources[1], RATE_STAFF);
	assert_int_equal(s.rate_sources[2], RATE_TICKER);
	assert_int_equal(s.rate_max_age_s, 600);
	assert_int_equal(s.rate_lock_s, 300);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum kerr err;

		snprintf(text, sizeof(text), "%s[rates]\n%s\n", base, cases[i].line);
		err = config_parse_site(text, strlen(text), "mem", &s, &e);
		if (!cases[i].why
		        ? err != KERR_OK || s.rate_tolerance_bp != cases[i].bp
		        : err != KERR_PARSE || e.line != 10 || !strstr(e.msg, cases[i].why))
			fail_msg("%s: %s (line %u: %s)", cases[i].line, kerr_str(err), e.line,
			         e.msg);
	}
}

/* [rates] ticker keys: defaults, values, and every inconsistency named on its line. */
static void test_rates_ticker_keys(void **state)
{
	static const char base[] = "[chain]\nname = steem\naccount = coop\n[nodes]\nnode1 = "
	                           "https://a.example\n[kiosk]\ncoop_name = c\njournal = j\n"
	                           "[rates]\n";
	static const char url[] =
	    "ticker_url = https://api.upbit.com/v1/ticker?markets=KRW-STEEM\n";
	static const struct {
		const char *lines, *why; /* why NULL: accepted */
		unsigned line;           /* the line named, from 10 */
	} cases[] = {
	    {"sources = staff, ticker\n", "ticker_url is not set", 10},
	    {"sources = staff\nticker_url = https://x.example/t?markets=KRW-STEEM\n",
	     "only when sources lists ticker", 11},
	    {"sources = staff\nticker_ca_path = ca.pem\n", "only when sources lists ticker", 11},
	    {"sources = ticker\nticker_url = http://api.upbit.com/v1/ticker?markets=KRW-STEEM\n",
	     "https://", 11},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=KRW-HIVE\n",
	     "does not ask for market KRW-STEEM", 11},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=KRW-HIVE\n"
	     "ticker_market = KRW-HIVE\n",
	     "KRW-STEEM or KRW-SBD", 12},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=USD-STEEM\n"
	     "ticker_market = USD-STEEM\n",
	     "expected KRW-", 12},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=KRW-VESTS\n"
	     "ticker_market = KRW-VESTS\n",
	     "expected KRW-", 12},
	    {"sources = feed\nmax_age = 300\nrefresh = 300\n", "have 1 operator", 10},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=KRW-STEEM\n"
	     "max_age = 300\nrefresh = 300\n",
	     "not shorter than max_age", 13},
	    {"sources = staff\nrefresh = 10\n", "from 30 to 86400", 11},
	    {"sources = staff\nmax_age = 60\n", NULL, 0},
	    {"sources = ticker\nticker_url = https://x.example/t?markets=KRW-SBD\n"
	     "ticker_market = KRW-SBD\n",
	     NULL, 0},
	};
	char text[1024];
	struct site s;
	struct config_error e;

	(void)state;
	assert_int_equal(config_parse_site(base, strlen(base), "mem", &s, &e), KERR_OK);
	assert_string_equal(s.rate_ticker_url, "");
	assert_string_equal(s.rate_ticker_market, "KRW-STEEM");
	assert_int_equal(s.rate_refresh_s, 300);
	snprintf(text, sizeof(text),
	         "%ssources = ticker, staff\n%sticker_ca_path = up.pem\n"
	         "refresh = 60\n",
	         base, url);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_string_equal(s.rate_ticker_url, "https://api.upbit.com/v1/ticker?markets=KRW-STEEM");
	assert_string_equal(s.rate_ticker_market, "KRW-STEEM");
	assert_string_equal(s.rate_ticker_ca_path, "up.pem");
	assert_int_equal(s.rate_refresh_s, 60);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum kerr err;

		snprintf(text, sizeof(text), "%s%s", base, cases[i].lines);
		err = config_parse_site(text, strlen(text), "mem", &s, &e);
		if (!cases[i].why ? err != KERR_OK
		                  : err != KERR_PARSE || e.line != cases[i].line ||
		                        !strstr(e.msg, cases[i].why))
			fail_msg("%s: %s (line %u: %s)", cases[i].lines, kerr_str(err), e.line,
			         e.msg);
	}
	/* On Hive the default market is the chain's own coin. */
	snprintf(text, sizeof(text), "[chain]\nname = hive\n%s", strstr(base, "account"));
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_string_equal(s.rate_ticker_market, "KRW-HIVE");
}

/* [chain] since: a UTC date or date and time, after 2016; anything else named. */
static void test_since_is_a_utc_date_or_date_and_time(void **state)
{
	static const struct {
		const char *v;
		int64_t want; /* 0: refused */
	} cases[] = {
	    {"2026-12-01", 1796083200},
	    {"2026-12-01T09:30:00", 1796117400},
	    {"2026-12-01T09:30:00Z", 1796117400},
	    {"2026-02-30", 0},
	    {"2015-12-31", 0},
	    {"yesterday", 0},
	    {"2026-12-01 09:30", 0},
	    {"2026-12-01T24:00:00", 0},
	};
	char text[1024];
	struct site s;
	struct config_error e;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int n =
		    snprintf(text, sizeof(text),
		             "[chain]\nname = hive\naccount = coop\nsince = %s\n[nodes]\nnode1 = "
		             "https://a.example\nnode2 = https://b.example\n[kiosk]\ncoop_name = "
		             "c\njournal = j\n",
		             cases[i].v);
		enum kerr err = config_parse_site(text, (size_t)n, "mem", &s, &e);

		if (cases[i].want ? err != KERR_OK || s.since_s != cases[i].want
		                  : err != KERR_PARSE || e.line != 4 || !strstr(e.msg, "UTC date"))
			fail_msg("since = %s: %s (%s)", cases[i].v, kerr_str(err),
			         err ? e.msg : "");
	}
}

/* [tokens]: accepted tokens, the sidechain's id by chain, its nodes and quorum. */
static void test_tokens_section(void **state)
{
	static const char head[] = "[chain]\nname = %s\naccount = coop\n[nodes]\nnode1 = "
	                           "https://a.example\n[tokens]\n%s[kiosk]\ncoop_name = "
	                           "c\njournal = j\n";
	static const char two[] =
	    "node1 = https://se1.example/rpc\nnode2 = https://se2.example/rpc\n";
	static const struct {
		const char *chain, *tokens;
		unsigned line; /* 0: accepted */
		const char *says;
	} refused[] = {
	    {"steem", "accept = SCT STEEM\n", 7, "one of the chains' own assets"},
	    {"hive", "accept = HBD\n", 7, "one of the chains' own assets"},
	    {"steem", "accept = SCT, SCT\n", 7, "SCT listed twice"},
	    {"steem", "accept = ABCDEFGHIJK\n", 7, "longer than a token's 10"},
	    {"steem", "accept = ,\n", 7, "accept is empty"},
	    {"steem", "accept = A B C D E F G H I\n", 7, "at most 8 tokens"},
	    {"steem", "node1 = https://se1.example/rpc\n", 7, "no accept"},
	    {"steem", "accept = SCT\nnode2 = https://se2.example/rpc\n", 8,
	     "node2 given without node1"},
	    {"steem", "accept = SCT\nnode1 = http://se1.example/rpc\n", 8, "https://"},
	    {"steem", "accept = SCT\nquorum = 1\n", 8, "from 2 to 8"},
	    {"steem", "accept = SCT\nsidechain_id = mainnet1\n", 8, "\"ssc-\""},
	    {"steem", "accept = SCT\nsidechain_id = ssc-Main\n", 8, "\"ssc-\""},
	    {"steem", "acept = SCT\n", 7, "did you mean \"accept\""},
	};
	char text[1024], body[512];
	struct site s;
	struct config_error e;

	(void)state;
	/* No [tokens]: none accepted, no sidechain nodes; the id is still the chain's. */
	snprintf(text, sizeof(text), head, "hive", "");
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_int_equal(s.token_count, 0);
	assert_int_equal(s.sidechain_node_count, 0);
	assert_string_equal(s.sidechain_id, "ssc-mainnet-hive");
	/* Defaults: the chain's sidechain id, quorum 2. */
	snprintf(body, sizeof(body), "accept = SCT, PAL\n%soperator2 = acme\npin2 = sha256//x=\n",
	         two);
	snprintf(text, sizeof(text), head, "steem", body);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_int_equal(s.token_count, 2);
	assert_string_equal(s.tokens[0], "SCT");
	assert_string_equal(s.tokens[1], "PAL");
	assert_int_equal(site_token_index(&s, "PAL"), 1);
	assert_int_equal(site_token_index(&s, "STEEM"), -1);
	assert_string_equal(s.sidechain_id, "ssc-mainnet1");
	assert_int_equal(s.sidechain_quorum, 2);
	assert_int_equal(s.sidechain_node_count, 2);
	assert_string_equal(s.sidechain_nodes[1].url, "https://se2.example/rpc");
	assert_string_equal(s.sidechain_nodes[1].operator_name, "acme");
	assert_string_equal(s.sidechain_nodes[1].pin, "sha256//x=");
	/* The chain's nodes are not the sidechain's. */
	assert_int_equal(s.node_count, 1);
	assert_string_equal(s.nodes[0].url, "https://a.example");
	/* Hive: SWAP.HIVE, its own id and CA, a quorum of 3 over three operators. */
	snprintf(body, sizeof(body),
	         "accept = SWAP.HIVE\n%snode3 = https://se3.example/rpc\nquorum = 3\n"
	         "ca_path = /etc/kiosk/engine-ca.pem\nsidechain_id = ssc-testnet-hive\n",
	         two);
	snprintf(text, sizeof(text), head, "hive", body);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_OK);
	assert_string_equal(s.tokens[0], "SWAP.HIVE");
	assert_string_equal(s.sidechain_id, "ssc-testnet-hive");
	assert_string_equal(s.sidechain_ca_path, "/etc/kiosk/engine-ca.pem");
	assert_int_equal(s.sidechain_quorum, 3);
	/* A quorum of 3 with two operators cannot be met. */
	snprintf(body, sizeof(body),
	         "accept = SWAP.HIVE\n%snode3 = https://se3.example/rpc\noperator2 = x\n"
	         "operator3 = x\nquorum = 3\n",
	         two);
	snprintf(text, sizeof(text), head, "hive", body);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_PARSE);
	assert_non_null(strstr(e.msg, "only 2 sidechain node operators"));
	assert_int_equal(e.line, 13);
	/* Two nodes of one operator are one: quorum 2 is not met. */
	snprintf(body, sizeof(body), "accept = SCT\n%soperator1 = x\noperator2 = x\n", two);
	snprintf(text, sizeof(text), head, "steem", body);
	assert_int_equal(config_parse_site(text, strlen(text), "mem", &s, &e), KERR_PARSE);
	assert_non_null(strstr(e.msg, "only 1 sidechain node operator is"));
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		snprintf(body, sizeof(body), "%s%s", refused[i].tokens,
		         strstr(refused[i].tokens, "node") ? "" : two);
		snprintf(text, sizeof(text), head, refused[i].chain, body);
		if (config_parse_site(text, strlen(text), "mem", &s, &e) != KERR_PARSE ||
		    e.line != refused[i].line || !strstr(e.msg, refused[i].says))
			fail_msg("%s: line %u \"%s\", want line %u saying \"%s\"",
			         refused[i].tokens, e.line, e.msg, refused[i].line,
			         refused[i].says);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_bad_board_file_is_named_with_its_line),
	    cmocka_unit_test(test_every_bad_site_file_is_named_with_its_line),
	    cmocka_unit_test(test_the_daemon_exits_2_with_the_message),
	    cmocka_unit_test(test_every_problem_of_both_files_at_once),
	    cmocka_unit_test(test_only_the_pis_line_names_are_taken),
	    cmocka_unit_test(test_shipped_files_load_with_what_they_say),
	    cmocka_unit_test(test_defaults_for_optional_keys),
	    cmocka_unit_test(test_every_function_reachable_or_the_board_refused),
	    cmocka_unit_test(test_quorum_operators_and_head_max),
	    cmocka_unit_test(test_since_is_a_utc_date_or_date_and_time),
	    cmocka_unit_test(test_rates_section_defaults_and_values),
	    cmocka_unit_test(test_printer_status_mode),
	    cmocka_unit_test(test_tokens_section),
	    cmocka_unit_test(test_rates_ticker_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
