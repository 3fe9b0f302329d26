/*
 * Board and site files: the checks of the whole file after parsing
 * (required keys, one user per GPIO line, the Pi's line names, devices for
 * backends, node numbering), and how problems are recorded: the first one
 * for the daemon's one-line message, or every one for `kioskctl config check`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_priv.h"
#include "kiosk/chain.h"
#include "kiosk/editdist.h"
#include "kiosk/receipt.h"

int config_fail(struct ctx *c, unsigned line, const char *fmt, ...)
{
	struct config_error *e = NULL;
	va_list ap;

	if (c->failed)
		return 0;
	if (c->nerr == 0)
		e = c->err;
	if (c->all && c->all->count < CONFIG_ERRORS_MAX)
		e = &c->all->e[c->all->count];
	c->nerr++;
	if (c->all)
		c->all->count++;
	else
		c->failed = true;
	if (e) {
		snprintf(e->file, sizeof(e->file), "%s", c->file);
		e->line = line;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		if (c->all && c->nerr == 1)
			*c->err = *e;
	}
	return c->all ? 1 : 0;
}

unsigned config_seen_line(const struct ctx *c, const char *section, const char *name)
{
	for (unsigned i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i].section, section) == 0 && strcmp(c->seen[i].key, name) == 0)
			return c->seen[i].line;
	return 0;
}

/*
 * The Raspberry Pi's header lines are named GPIO0 to GPIO27 by the kernel
 * on every model since 2024 (docs/gpio.md, "Chips and line names"); the
 * gpiod backends look lines up by that name, so anything else would only
 * fail at start-up on the Pi, or never match in the simulator.
 */
const char *config_gpio_line_problem(const char *v, char *buf, size_t len)
{
	static const char *const names[] = {
	    "GPIO0",  "GPIO1",  "GPIO2",  "GPIO3",  "GPIO4",  "GPIO5",  "GPIO6",  "GPIO7",
	    "GPIO8",  "GPIO9",  "GPIO10", "GPIO11", "GPIO12", "GPIO13", "GPIO14", "GPIO15",
	    "GPIO16", "GPIO17", "GPIO18", "GPIO19", "GPIO20", "GPIO21", "GPIO22", "GPIO23",
	    "GPIO24", "GPIO25", "GPIO26", "GPIO27", NULL};
	char upper[16];
	const char *hint = NULL;
	size_t n = strlen(v);

	for (size_t i = 0; names[i]; i++)
		if (strcmp(v, names[i]) == 0)
			return NULL;
	if (n < sizeof(upper)) {
		for (size_t i = 0; i <= n; i++)
			upper[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
		for (size_t i = 0; names[i] && !hint; i++)
			if (strcmp(upper, names[i]) == 0)
				hint = names[i];
		if (!hint)
			hint = edit_closest(upper, names);
	}
	if (strncmp(v, "GPIO", 4) == 0 && n > 4 && strspn(v + 4, "0123456789") == n - 4)
		snprintf(buf, len,
		         "\"%s\": the Pi has no such line; the header's lines are its kernel "
		         "names, e.g. "
		         "GPIO17: GPIO0 to GPIO27 (see gpioinfo)",
		         v);
	else
		snprintf(buf, len,
		         "\"%s\" is not a line name: a GPIO line is named by its kernel name, e.g. "
		         "GPIO17 "
		         "(GPIO0 to GPIO27, upper case, see gpioinfo)%s%s%s",
		         v, hint ? "; did you mean " : "", hint ? hint : "", hint ? "?" : "");
	return buf;
}

bool config_check_required(struct ctx *c, const struct key *keys, size_t n,
                           const char *section_name)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		const char *sec = section_name ? section_name : keys[i].section;

		if (keys[i].required && !config_seen_line(c, sec, keys[i].name)) {
			config_fail(c, 0, "[%s] %s is missing; add it (see docs/configuration.md)",
			            sec, keys[i].name);
			ok = false;
			if (!c->all)
				return false;
		}
	}
	return ok;
}

/* Two users of one GPIO line would fight over it: name both. */
static bool check_lines(struct ctx *c, const struct board *b)
{
	const struct board_line *all[BOARD_LOCKERS_MAX * 2 + 8];
	char what[ARRAY_SIZE(all)][40];
	unsigned n = 0;
	bool ok = true;

#define ADD(l, d)                                                                                  \
	do {                                                                                       \
		if (board_line_used(l)) {                                                          \
			all[n] = (l);                                                              \
			snprintf(what[n], sizeof(what[0]), "%s", d);                               \
			n++;                                                                       \
		}                                                                                  \
	} while (0)
	ADD(&b->display.dc, "the display's dc line");
	ADD(&b->display.reset, "the display's reset line");
	ADD(&b->display.backlight, "the display's backlight line");
	ADD(&b->input.btn_next, "the next button");
	ADD(&b->input.btn_prev, "the previous button");
	ADD(&b->input.btn_ok, "the OK button");
	ADD(&b->input.btn_staff, "the staff button");
	for (unsigned i = 0; i < b->lockers.count; i++) {
		char d[40];

		snprintf(d, sizeof(d), "the lock line of compartment %u", b->lockers.c[i].number);
		ADD(&b->lockers.c[i].lock, d);
		snprintf(d, sizeof(d), "the door line of compartment %u", b->lockers.c[i].number);
		ADD(&b->lockers.c[i].door, d);
	}
#undef ADD
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (strcmp(all[i]->name, all[j]->name) == 0) {
				config_fail(c, all[i]->config_line,
				            "%s uses line %s, already %s (line %u); each needs its "
				            "own line",
				            what[i], all[i]->name, what[j], all[j]->config_line);
				if (!c->all)
					return false;
				ok = false;
				break;
			}
	return ok;
}

/*
 * Every function of the kiosk reachable with this board's inputs: entering
 * digits (staff code, pickup code, the staff menu) and getting into staff
 * mode. Choosing an order follows: typed on a keypad, or browsed with the
 * wheel's next and OK (and a paid one by its pickup QR on a scanner). A board that cannot is
 * refused, saying what it lacks and what would do. Hardware boards only: a sim board is driven by
 * whoever runs it (stdin, the test's own hands).
 */
static bool check_reach(struct ctx *c, const struct board *b)
{
	const struct board_input *in = &b->input;
	bool keys = in->keypad[0] || in->sim_stdin, scanner = in->scanner[0] != '\0';
	bool next = board_line_used(&in->btn_next), prev = board_line_used(&in->btn_prev);

	bool ok = board_line_used(&in->btn_ok), staff = board_line_used(&in->btn_staff);
	unsigned line = config_seen_line(c, "input", "digits");
	unsigned before = c->nerr;

	if (!line)
		line = config_seen_line(c, "input", "ok");
	if (strcmp(in->digits, "keypad") == 0 && !keys)
		config_fail(
		    c, line,
		    "digits = keypad, but the board has no keypad: give [input] keypad = "
		    "/dev/input/by-id/..., or digits = wheel with next, prev and ok buttons");
	else if (board_digit_wheel(in) && !(next && ok))
		config_fail(
		    c, line,
		    "no way to enter a staff or pickup code: the board has no keypad, and the "
		    "digit wheel needs next and ok buttons (prev turns it back; it has%s%s%s%s); "
		    "give [input] keypad = /dev/input/by-id/... or the missing buttons",
		    next ? " next" : "", prev ? " prev" : "", ok ? " ok" : "",
		    next || prev || ok ? "" : " none");
	if (!staff && !keys && !scanner)
		config_fail(
		    c, line,
		    "no way into staff mode: give [input] staff = GPIOn (a button), a keypad "
		    "(its * key) or a scanner (for the staff card, docs/staff.md)");
	return c->nerr == before;
}

bool config_check_board(struct ctx *c, struct board *out)
{
	const struct board_display *d = &out->display;
	unsigned before = c->nerr;

	if (d->rotation % 90)
		config_fail(c, config_seen_line(c, "display", "rotation"),
		            "rotation must be 0, 90, 180 or 270");
	if (!c->failed && strcmp(d->backend, "sim") != 0 && !d->device[0])
		config_fail(
		    c, config_seen_line(c, "display", "backend"),
		    "display backend %s needs a device (e.g. /dev/fb0, /dev/spidev0.0, /dev/i2c-1)",
		    d->backend);
	if (!c->failed && !receipt_width_ok(out->printer.width_dots))
		config_fail(
		    c, config_seen_line(c, "printer", "width"),
		    "printer width is 384 (58 mm paper) or 576 (80 mm), or 512 (80 mm at 180 dpi, "
		    "older TM-T88)");
	if (!c->failed &&
	    (strcmp(out->printer.backend, "serial") == 0 ||
	     strcmp(out->printer.backend, "usblp") == 0) &&
	    !out->printer.device[0])
		config_fail(c, config_seen_line(c, "printer", "backend"),
		            "printer backend %s needs a device (/dev/serial0, /dev/usb/lp0)",
		            out->printer.backend);
	if (!c->failed)
		check_lines(c, out);
	if (!c->failed && strcmp(out->gpio.backend, "sim") != 0)
		check_reach(c, out);
	return c->nerr == before;
}

/*
 * [rates]' ticker: needed when sources lists it, unused otherwise; its
 * market one of the chain's coins in won, asked for by the URL; and rates
 * fetched often enough to be younger than max_age when they are used.
 */
static void check_rates(struct ctx *c, struct site *s)
{
	const struct chain_profile *p = chain_profile_get(s->chain);
	const struct chain_asset_info *a;
	unsigned url_line = config_seen_line(c, "rates", "ticker_url");
	bool ticker = false, fetched = false;

	for (unsigned i = 0; i < s->rate_source_count; i++) {
		ticker |= s->rate_sources[i] == RATE_TICKER;
		fetched |= s->rate_sources[i] != RATE_STAFF;
	}
	if (!s->rate_ticker_market[0])
		snprintf(s->rate_ticker_market, sizeof(s->rate_ticker_market), "KRW-%s",
		         p->assets[CHAIN_LIQUID].symbol);
	if (ticker && !s->rate_ticker_url[0])
		config_fail(c, config_seen_line(c, "rates", "sources"),
		            "sources lists ticker but ticker_url is not set: give the exchange's "
		            "ticker, e.g. ticker_url = https://api.upbit.com/v1/ticker?markets=%s",
		            s->rate_ticker_market);
	if (!c->failed && !ticker && (s->rate_ticker_url[0] || s->rate_ticker_ca_path[0]))
		config_fail(
		    c, url_line ? url_line : config_seen_line(c, "rates", "ticker_ca_path"),
		    "ticker_url and ticker_ca_path are used only when sources lists ticker: "
		    "add ticker to sources, or remove them");
	if (!c->failed && s->rate_ticker_url[0]) {
		unsigned line = config_seen_line(c, "rates", "ticker_market");

		a = strncmp(s->rate_ticker_market, "KRW-", 4) == 0
		        ? chain_asset_by_symbol(p, s->rate_ticker_market + 4)
		        : NULL;
		if (!a || a == &p->assets[CHAIN_VESTING])
			config_fail(c, line ? line : url_line,
			            "ticker_market = \"%s\": expected KRW- and a coin of %s "
			            "(KRW-%s or KRW-%s), as the exchange names its won market",
			            s->rate_ticker_market, p->name, p->assets[CHAIN_LIQUID].symbol,
			            p->assets[CHAIN_DOLLAR].symbol);
		else if (!strstr(s->rate_ticker_url, s->rate_ticker_market))
			config_fail(
			    c, url_line,
			    "ticker_url does not ask for market %s (the reply must quote it), "
			    "e.g. https://api.upbit.com/v1/ticker?markets=%s",
			    s->rate_ticker_market, s->rate_ticker_market);
	}
	/* The feed counts only when two operators tell the same median (rate_fetch.h). */
	for (unsigned i = 0; i < s->rate_source_count && !c->failed; i++)
		if (s->rate_sources[i] == RATE_FEED && site_operators(s) < 2)
			config_fail(
			    c, config_seen_line(c, "rates", "sources"),
			    "sources lists feed but the [nodes] have %u operator%s: the price "
			    "feed is believed only when two operators agree; add a node of "
			    "another operator, or drop feed",
			    site_operators(s), site_operators(s) == 1 ? "" : "s");
	if (!c->failed && fetched && s->rate_refresh_s >= s->rate_max_age_s)
		config_fail(c, config_seen_line(c, "rates", "refresh"),
		            "refresh = %u is not shorter than max_age = %u: fetched rates would be "
		            "too old to use before the next one comes; lower refresh",
		            s->rate_refresh_s, s->rate_max_age_s);
}

bool config_check_site(struct ctx *c, struct site *out)
{
	unsigned before = c->nerr;

	config_count_nodes(c, "nodes", out->nodes, c->node_set, c->node_line, &out->node_count);
	if (!c->failed && out->node_count == 0 && !c->node_set[0] && c->nerr == before)
		config_fail(c, 0,
		            "[nodes] node1 is missing: the kiosk needs at least one node (two or "
		            "more to fail over and to cross-check large payments)");
	if (!c->failed && out->quorum) {
		unsigned ops = site_operators(out);

		if (out->quorum > ops)
			config_fail(c, config_seen_line(c, "nodes", "quorum"),
			            "quorum = %u: only %u node operator%s configured (nodes of one "
			            "operator count once)",
			            out->quorum, ops, ops == 1 ? " is" : "s are");
	}
	if (!c->failed && out->confirm == SITE_CONFIRM_HEAD && !out->head_max_set)
		config_fail(
		    c, config_seen_line(c, "payment", "confirm"),
		    "confirm = head needs head_max = AMOUNT (e.g. head_max = 20.000 HIVE): a block "
		    "at the head "
		    "can still leave the chain, so larger payments wait for irreversibility");
	if (!c->failed && out->head_max_set &&
	    !chain_asset_valid(chain_profile_get(out->chain), &out->head_max))
		config_fail(c, config_seen_line(c, "payment", "head_max"),
		            "head_max is in %s, which is not an asset of %s", out->head_max.symbol,
		            chain_profile_get(out->chain)->name);
	if (!c->failed && out->strict_set) {
		const struct chain_profile *p = chain_profile_get(out->chain);

		if (!chain_asset_valid(p, &out->strict_above))
			config_fail(c, config_seen_line(c, "payment", "strict_above"),
			            "strict_above is in %s, which is not an asset of %s",
			            out->strict_above.symbol, p->name);
	}
	if (!c->failed)
		config_check_tokens(c, out);
	if (!c->failed)
		check_rates(c, out);
	return c->nerr == before;
}
