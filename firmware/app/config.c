/*
 * Board and site files. inih does the INI syntax; everything else is here:
 * each key is described once in a table (config_keys.c: section, name,
 * type, where it goes, bounds), so parsing, defaults and messages cannot
 * drift apart.
 */
#include "kiosk/config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config_priv.h"

#include "kiosk/chain.h"
#include "kiosk/civil.h"
#include "kiosk/compiler.h"
#include "kiosk/editdist.h"
#include "kiosk/log.h"
#include "kiosk/timefmt.h"

void config_error_format(const struct config_error *e, char *buf, size_t len)
{
	if (e->line)
		snprintf(buf, len, "%s:%u: %s", e->file, e->line, e->msg);
	else
		snprintf(buf, len, "%s: %s", e->file, e->msg);
}

/* inih reads through this, so the handler knows the line number. */
static char *reader(char *str, int num, void *stream)
{
	struct ctx *c = stream;
	const char *nl;
	size_t n;

	if (c->pos >= c->end)
		return NULL;
	nl = memchr(c->pos, '\n', (size_t)(c->end - c->pos));
	n = nl ? (size_t)(nl - c->pos) + 1 : (size_t)(c->end - c->pos);
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, c->pos, n);
	str[n] = '\0';
	c->pos += n;
	c->line++;
	return str;
}

static const char *suggest(const struct key *keys, size_t n, const char *section, const char *name)
{
	const char *best = NULL;
	unsigned bestd = 3;

	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (strcmp(keys[i].section, section) != 0)
			continue;
		d = edit_distance(keys[i].name, name);
		if (d < bestd) {
			bestd = d;
			best = keys[i].name;
		}
	}
	return best;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool line_name_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= BOARD_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-'))
			return false;
	return true;
}

static bool account_ok(const char *a)
{
	size_t n = strlen(a), seg = 0;

	if (n < 3 || n > SITE_ACCOUNT_MAX)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char ch = a[i];

		if (ch == '.' || ch == '\0') {
			if (seg < 3 || a[i - 1] == '-')
				return false;
			seg = 0;
			continue;
		}
		if (seg == 0 && !(ch >= 'a' && ch <= 'z'))
			return false;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
		seg++;
	}
	return true;
}

/* "staff, ticker, feed": each source once, in the order staff want them tried. */
static int set_sources(struct ctx *c, const struct key *k, void *base, const char *v)
{
	struct site *s = base;
	char buf[64], *save = NULL, *tok;
	bool seen[RATE_SOURCE_COUNT] = {false};

	if (strlen(v) >= sizeof(buf))
		return config_fail(c, c->line,
		                   "%s is too long: give staff, ticker or feed, in order", k->name);
	snprintf(buf, sizeof(buf), "%s", v);
	s->rate_source_count = 0;
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		enum rate_source src;

		if (!rate_source_by_name(tok, &src))
			return config_fail(
			    c, c->line,
			    "%s: \"%s\" is not a rate source: expected staff, ticker or "
			    "feed, in the order to try them",
			    k->name, tok);
		if (seen[src])
			return config_fail(c, c->line,
			                   "%s: %s is given twice; give each source once", k->name,
			                   tok);
		seen[src] = true;
		s->rate_sources[s->rate_source_count++] = src;
	}
	if (s->rate_source_count == 0)
		return config_fail(c, c->line, "%s is empty: give staff, ticker or feed, in order",
		                   k->name);
	return 1;
}

/* "0.5%", "1%", "0": a percentage with at most two decimals, into basis points. */
static int set_percent(struct ctx *c, const struct key *k, char *field, const char *v)
{
	unsigned long whole = 0, frac = 0;
	size_t n = 0, nf = 0;

	while (v[n] >= '0' && v[n] <= '9' && n < 6)
		whole = whole * 10 + (unsigned long)(v[n++] - '0');
	if (n > 0 && v[n] == '.') {
		n++;
		while (v[n] >= '0' && v[n] <= '9' && nf < 2) {
			frac = frac * 10 + (unsigned long)(v[n++] - '0');
			nf++;
		}
		if (nf == 0)
			n = 0;
	}
	if (nf == 1)
		frac *= 10;
	if (n > 0 && v[n] == '%')
		n++;
	if (n == 0 || v[n] != '\0' || whole * 100 + frac > k->max)
		return config_fail(
		    c, c->line,
		    "%s = \"%s\": expected a percentage from 0%% to %u.%02u%% with at "
		    "most two decimals, e.g. 0.5%%",
		    k->name, v, k->max / 100, k->max % 100);
	*(unsigned *)(void *)field = (unsigned)(whole * 100 + frac);
	return 1;
}

static int set_value(struct ctx *c, const struct key *k, void *base, const char *v)
{
	char *field = (char *)base + k->off;
	unsigned long u;
	bool b;

	switch (k->type) {
	case K_STR:
	case K_PATH:
		if (strlen(v) >= k->size)
			return config_fail(c, c->line, "%s is longer than %zu characters", k->name,
			                   k->size - 1);
		if (k->min && !*v)
			return config_fail(c, c->line, "%s must not be empty", k->name);
		snprintf(field, k->size, "%s", v);
		return 1;
	case K_UINT:
		if (!config_parse_uint(v, &u) || u < k->min || u > k->max) {
			if (k->off == offsetof(struct board, lockers.pulse_ms) && c->board &&
			    config_parse_uint(v, &u) && u > k->max)
				return config_fail(
				    c, c->line,
				    "pulse_ms %s is above the hard cap of %u ms (a solenoid left "
				    "energized overheats); use 200-1000",
				    v, BOARD_PULSE_CAP_MS);
			return config_fail(c, c->line,
			                   "%s = \"%s\": expected a whole number from %u to %u",
			                   k->name, v, k->min, k->max);
		}
		if (k->size == sizeof(int))
			*(unsigned *)(void *)field = (unsigned)u;
		return 1;
	case K_BOOL:
		if (!parse_bool(v, &b))
			return config_fail(c, c->line, "%s = \"%s\": expected yes or no", k->name,
			                   v);
		*(bool *)(void *)field = b;
		return 1;
	case K_ENUM:
	case K_BACKEND:
		for (int i = 0; k->names[i]; i++) {
			if (strcmp(v, k->names[i]) != 0)
				continue;
			if (k->type == K_ENUM)
				*(int *)(void *)field = i;
			else
				snprintf(field, k->size, "%s", v);
			return 1;
		}
		{
			char list[160] = "";

			for (int i = 0; k->names[i]; i++) {
				strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, k->names[i], sizeof(list) - strlen(list) - 1);
			}
			return config_fail(c, c->line, "%s = \"%s\": expected one of %s", k->name,
			                   v, list);
		}
	case K_LINE: {
		struct board_line *l = (struct board_line *)(void *)field;

		char why[CONFIG_MSG_MAX - 40];

		if (!line_name_ok(v) || config_gpio_line_problem(v, why, sizeof(why)))
			return config_fail(
			    c, c->line, "%s = %s", k->name,
			    line_name_ok(v) ? why : config_gpio_line_problem(v, why, sizeof(why)));
		snprintf(l->name, sizeof(l->name), "%s", v);
		l->config_line = c->line;
		return 1;
	}
	case K_LOW:
		if (!parse_bool(v, &b))
			return config_fail(c, c->line, "%s = \"%s\": expected yes or no", k->name,
			                   v);
		((struct board_line *)(void *)field)->active_low = b;
		return 1;
	case K_BIAS: {
		static const char *const bias[] = {"as-is", "disable", "pull-up", "pull-down"};
		struct board_line *l = (struct board_line *)(void *)field;

		for (int i = 0; i < 4; i++)
			if (strcmp(v, bias[i]) == 0) {
				l->bias = (enum board_bias)i;
				if (k->off == offsetof(struct board, input.btn_next) && c->board) {
					struct board *bd = base;

					bd->input.btn_prev.bias = bd->input.btn_ok.bias =
					    bd->input.btn_staff.bias = l->bias;
				}
				return 1;
			}
		return config_fail(c, c->line,
		                   "%s = \"%s\": expected as-is, disable, pull-up or pull-down",
		                   k->name, v);
	}
	case K_URL:
		if (strncmp(v, "https://", 8) != 0 || strlen(v) < 9)
			return config_fail(
			    c, c->line,
			    "%s = \"%s\": must be an https:// URL (the kiosk never talks to "
			    "nodes in clear text)",
			    k->name, v);
		if (strlen(v) >= k->size)
			return config_fail(c, c->line, "%s is longer than %zu characters", k->name,
			                   k->size - 1);
		snprintf(field, k->size, "%s", v);
		return 1;
	case K_ACCOUNT:
		if (!account_ok(v))
			return config_fail(
			    c, c->line,
			    "%s = \"%s\": not a chain account name (3-16 of a-z 0-9 . -, each "
			    "part starting with a letter)",
			    k->name, v);
		snprintf(field, k->size, "%s", v);
		return 1;
	case K_ASSET: {
		struct site *s = base;
		const char *why;

		bool head = strcmp(k->name, "head_max") == 0;

		if (asset_parse(v, head ? &s->head_max : &s->strict_above, &why))
			return config_fail(c, c->line, "%s = \"%s\": %s", k->name, v, why);
		if (head)
			s->head_max_set = true;
		else
			s->strict_set = true;
		return 1;
	}
	case K_SINCE: {
		char t[32];
		int64_t at;

		/* A date alone is its first second. */
		snprintf(t, sizeof(t), strlen(v) == 10 ? "%sT00:00:00" : "%s", v);
		if (strlen(v) >= 24 || !civil_parse_utc(t, strlen(t), &at) || at < 1451606400)
			return config_fail(
			    c, c->line,
			    "%s = \"%s\": expected a UTC date (2026-12-01) or date and time "
			    "(2026-12-01T09:00:00) after 2016",
			    k->name, v);
		memcpy(field, &at, sizeof(at));
		return 1;
	}
	case K_SOURCES:
		return set_sources(c, k, base, v);
	case K_PERCENT:
		return set_percent(c, k, field, v);
	case K_TZ:
		if (!timefmt_zone_valid(v))
			return config_fail(
			    c, c->line,
			    "%s = \"%s\": not a time zone this system knows (an IANA name "
			    "under /usr/share/zoneinfo, e.g. Asia/Seoul, or UTC)",
			    k->name, v);
		snprintf(field, k->size, "%s", v);
		return 1;
	case K_CONFIRM: {
		struct site *s = base;

		if (strcmp(v, "head") == 0)
			s->confirm = SITE_CONFIRM_HEAD;
		else if (strcmp(v, "irreversible") == 0)
			s->confirm = SITE_CONFIRM_IRREVERSIBLE;
		else if (strncmp(v, "blocks:", 7) == 0 && config_parse_uint(v + 7, &u) && u >= 1 &&
		         u <= 1000) {
			s->confirm = SITE_CONFIRM_BLOCKS;
			s->confirm_blocks = (unsigned)u;
		} else
			return config_fail(
			    c, c->line,
			    "confirm = \"%s\": expected head, blocks:N (1-1000) or irreversible",
			    v);
		return 1;
	}
	}
	return config_fail(c, c->line, "internal: unknown key type");
}

static bool mark_seen(struct ctx *c, const char *section, const char *name)
{
	for (unsigned i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i].section, section) == 0 && strcmp(c->seen[i].key, name) == 0) {
			config_fail(
			    c, c->line,
			    "%s set twice in [%s] (first on line %u); keep one (an indented line "
			    "continues the one before)",
			    name, section, c->seen[i].line);
			return false;
		}
	if (c->nseen >= ARRAY_SIZE(c->seen)) {
		config_fail(c, c->line, "too many keys");
		return false;
	}
	snprintf(c->seen[c->nseen].section, sizeof(c->seen[0].section), "%s", section);
	snprintf(c->seen[c->nseen].key, sizeof(c->seen[0].key), "%s", name);
	c->seen[c->nseen++].line = c->line;
	return true;
}

static bool new_section(struct ctx *c, const char *section)
{
	if (strcmp(section, c->last_section) == 0)
		return true;
	for (unsigned i = 0; i < c->nsections; i++)
		if (strcmp(c->sections[i], section) == 0) {
			config_fail(c, c->line, "[%s] appears twice (first on line %u); merge them",
			            section, c->section_lines[i]);
			return false;
		}
	if (c->nsections >= ARRAY_SIZE(c->sections)) {
		config_fail(c, c->line, "too many sections");
		return false;
	}
	snprintf(c->sections[c->nsections], sizeof(c->sections[0]), "%s", section);
	c->section_lines[c->nsections++] = c->line;
	snprintf(c->last_section, sizeof(c->last_section), "%s", section);
	return true;
}

static int board_locker_section(struct ctx *c, struct board *b, const char *section)
{
	unsigned long n;

	if (!config_parse_uint(section + 7, &n) || n < 1 || n > BOARD_LOCKERS_MAX) {
		config_fail(c, c->line, "[%s]: compartments are [locker.1] to [locker.%d]", section,
		            BOARD_LOCKERS_MAX);
		return 0;
	}
	for (unsigned i = 0; i < b->lockers.count; i++)
		if (b->lockers.c[i].number == n) {
			c->locker = (int)i;
			return 1;
		}
	c->locker = (int)b->lockers.count;
	b->lockers.c[b->lockers.count++].number = (unsigned)n;
	return 1;
}

static int handle(struct ctx *c, const char *section, const char *name, const char *value)
{
	const struct key *keys = c->board ? config_board_keys : config_site_keys;
	size_t nkeys = c->board ? config_board_nkeys : config_site_nkeys;
	void *base = c->out;
	const char *lookup_section = section;
	const char *hint;

	if (c->failed)
		return 0;
	if (!new_section(c, section) || !mark_seen(c, section, name))
		return 0;
	if (c->board && strncmp(section, "locker.", 7) == 0) {
		struct board *b = c->out;

		if (!board_locker_section(c, b, section))
			return 0;
		keys = config_locker_keys;
		nkeys = config_locker_nkeys;
		base = &b->lockers.c[c->locker];
		lookup_section = "locker";
	}
	if (!c->board && strcmp(section, "nodes") == 0) {
		struct site *s = c->out;
		int r =
		    config_node_key(c, section, s->nodes, c->node_set, c->node_line, name, value);

		if (r >= 0)
			return r;
	}
	if (!c->board && strcmp(section, "tokens") == 0) {
		int r = config_tokens_key(c, name, value);

		if (r >= 0)
			return r;
	}
	for (size_t i = 0; i < nkeys; i++)
		if (strcmp(keys[i].section, lookup_section) == 0 && strcmp(keys[i].name, name) == 0)
			return set_value(c, &keys[i], base, value);
	for (size_t i = 0; i < nkeys; i++)
		if (strcmp(keys[i].section, lookup_section) == 0)
			goto unknown_key;
	return config_fail(c, c->line, "unknown section [%s]", section);
unknown_key:
	hint = suggest(keys, nkeys, lookup_section, name);
	if (hint)
		return config_fail(c, c->line, "unknown key \"%s\" in [%s]; did you mean \"%s\"?",
		                   name, section, hint);
	return config_fail(c, c->line, "unknown key \"%s\" in [%s]", name, section);
}

/* Collecting every problem, inih goes on after one; else the first stops it. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct ctx *c = user;
	int r = handle(c, section, name, value);

	return c->all ? 1 : r;
}

static enum kerr run(struct ctx *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	int rc;

	if (len > CONFIG_FILE_MAX) {
		config_fail(c, 0, "larger than %d bytes; is this the right file?", CONFIG_FILE_MAX);
		return KERR_PARSE;
	}
	if (memchr(text, '\0', len)) {
		config_fail(c, 0, "contains a NUL byte; is this a text file?");
		return KERR_PARSE;
	}
	/* inih would split a long line silently: refuse it with its number. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (n > CONFIG_LINE_MAX) {
			config_fail(c, line, "line longer than %d characters; shorten it",
			            CONFIG_LINE_MAX);
			return KERR_PARSE;
		}
		p = nl ? nl + 1 : end;
	}
	c->text = c->pos = text;
	c->end = end;
	rc = ini_parse_stream(reader, c, handler, c);
	if (c->failed)
		return KERR_PARSE;
	if (rc > 0) {
		config_fail(c, (unsigned)rc,
		            "not an INI line: use key = value, [section] or a ; comment");
		return KERR_PARSE;
	}
	if (rc < 0) {
		config_fail(c, 0, "cannot be read");
		return KERR_IO;
	}
	return KERR_OK;
}

static void board_defaults(struct board *b)
{
	memset(b, 0, sizeof(*b));
	b->display.width = 320;
	b->display.height = 240;
	b->display.spi_hz = 32000000;
	b->display.i2c_addr = 0x3c;
	b->gpio.debounce_ms = 20;
	b->lockers.pulse_ms = 500;
	b->lockers.door_timeout_ms = 3000;
	b->lockers.door_alarm_s = 120;
	snprintf(b->printer.backend, sizeof(b->printer.backend), "none");
	b->printer.baud = 19200;
	b->printer.width_dots = 384;
	b->printer.status_timeout_ms = 1000;
	snprintf(b->printer.status, sizeof(b->printer.status), "auto");
	b->input.scan_timeout_ms = 300;
	snprintf(b->input.digits, sizeof(b->input.digits), "auto");
}

/* A parse of one file into out (a struct board or site, its defaults set). */
static struct ctx *ctx_new(const char *path, bool board, void *out, struct config_error *err,
                           struct config_errors *all)
{
	struct ctx *c = calloc(1, sizeof(*c));

	memset(err, 0, sizeof(*err));
	if (!c)
		return NULL;
	c->file = path;
	c->board = board;
	c->out = out;
	c->err = err;
	c->all = all;
	c->locker = -1;
	return c;
}

/* The parse's result: KERR_PARSE if any problem was found; the file's path
 * kept (into path_out) only for a file that passed. */
static enum kerr ctx_end(struct ctx *c, enum kerr e, char *path_out, size_t cap)
{
	if (!e && c->nerr)
		e = KERR_PARSE;
	if (!e)
		snprintf(path_out, cap, "%s", c->file);
	free(c);
	return e;
}

static enum kerr parse_board(const char *text, size_t len, const char *path, struct board *out,
                             struct config_error *err, struct config_errors *all)
{
	struct ctx *c;
	enum kerr e;

	board_defaults(out);
	c = ctx_new(path, true, out, err, all);
	if (!c)
		return KERR_NOMEM;
	e = run(c, text, len);
	if (!e || c->all) {
		config_check_required(c, config_board_keys, config_board_nkeys, NULL);
		for (unsigned i = 0; !c->failed && i < out->lockers.count; i++) {
			char sec[32];

			snprintf(sec, sizeof(sec), "locker.%u", out->lockers.c[i].number);
			config_check_required(c, config_locker_keys, config_locker_nkeys, sec);
		}
		if (!c->failed)
			config_check_board(c, out);
	}
	return ctx_end(c, e, out->path, sizeof(out->path));
}

static void site_defaults(struct site *s)
{
	memset(s, 0, sizeof(*s));
	s->lang = SITE_LANG_KO;
	snprintf(s->timezone, sizeof(s->timezone), "UTC");
	s->request_timeout_ms = 5000;
	s->max_response_kb = 1024;
	s->confirm = SITE_CONFIRM_IRREVERSIBLE;
	s->uri_style = SITE_URI_CHAIN;
	s->request_ttl_s = 900;
	s->late_payment = SITE_LATE_ACCEPT;
	s->log_level = LOG_LVL_INFO - LOG_LVL_ERR;
	snprintf(s->staff_secrets_path, sizeof(s->staff_secrets_path),
	         "/var/lib/kiosk/staff.secrets");
	s->staff_lockout_attempts = 5;
	s->staff_lockout_s = 300;
	s->staff_code_digits = 6;
	s->pickup_code_digits = 6;
	s->reconcile_after_s = 86400;
	s->rate_source_count = 1;
	s->rate_sources[0] = RATE_STAFF;
	s->rate_max_age_s = 3600;
	s->rate_lock_s = 900;
	s->rate_refresh_s = 300;
}

static enum kerr parse_site(const char *text, size_t len, const char *path, struct site *out,
                            struct config_error *err, struct config_errors *all)
{
	struct ctx *c;
	enum kerr e;

	site_defaults(out);
	c = ctx_new(path, false, out, err, all);
	if (!c)
		return KERR_NOMEM;
	e = run(c, text, len);
	if (!e || c->all) {
		config_check_required(c, config_site_keys, config_site_nkeys, NULL);
		if (!c->failed)
			config_check_site(c, out);
	}
	return ctx_end(c, e, out->path, sizeof(out->path));
}

static enum kerr load(const char *path, char **text, size_t *len, struct config_error *err)
{
	FILE *f = fopen(path, "rb");

	memset(err, 0, sizeof(*err));
	*text = NULL;
	*len = 0;
	snprintf(err->file, sizeof(err->file), "%s", path);
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(errno));
		return KERR_IO;
	}
	*text = malloc(CONFIG_FILE_MAX + 1);
	if (!*text) {
		fclose(f);
		return KERR_NOMEM;
	}
	*len = fread(*text, 1, CONFIG_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "read error");
		fclose(f);
		free(*text);
		*text = NULL;
		return KERR_IO;
	}
	fclose(f);
	return KERR_OK;
}

enum kerr config_parse_board(const char *text, size_t len, const char *path, struct board *out,
                             struct config_error *err)
{
	return parse_board(text, len, path, out, err, NULL);
}

enum kerr config_parse_site(const char *text, size_t len, const char *path, struct site *out,
                            struct config_error *err)
{
	return parse_site(text, len, path, out, err, NULL);
}

/* Loads path and parses it; all: every problem (appended), NULL: the first, into *err. */
static enum kerr load_one(const char *path, bool board, void *out, struct config_error *err,
                          struct config_errors *all)
{
	char *text;
	size_t len;
	enum kerr e = load(path, &text, &len, err);

	if (e) {
		if (board)
			board_defaults(out);
		else
			site_defaults(out);
		if (all && all->count++ < CONFIG_ERRORS_MAX)
			all->e[all->count - 1] = *err;
		return e;
	}
	e = board ? parse_board(text, len, path, out, err, all)
	          : parse_site(text, len, path, out, err, all);
	free(text);
	return e;
}

enum kerr config_load_board(const char *path, struct board *out, struct config_error *err)
{
	return load_one(path, true, out, err, NULL);
}

enum kerr config_load_site(const char *path, struct site *out, struct config_error *err)
{
	return load_one(path, false, out, err, NULL);
}

enum kerr config_check_board_file(const char *path, struct board *out, struct config_errors *all)
{
	struct config_error first;

	return load_one(path, true, out, &first, all);
}

enum kerr config_check_site_file(const char *path, struct site *out, struct config_errors *all)
{
	struct config_error first;

	return load_one(path, false, out, &first, all);
}
