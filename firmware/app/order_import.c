#include "kiosk/order_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/civil.h"
#include "kiosk/token.h"

#define CSV_FIELD_MAX 256
#define CSV_COLS      8

enum col { C_ID, C_MEMBER, C_ITEM, C_QTY, C_PRICE, C_PICKUP, C_COMPARTMENT, C_EXPIRES };

static const char *const col_names[CSV_COLS] = {
    "id", "member", "item", "quantity", "unit_price", "pickup", "compartment", "expires",
};

KIOSK_PRINTF(4, 5)
static void add_error(struct order_import *imp, unsigned row, const char *col, const char *fmt, ...)
{
	struct order_import_error *e;
	va_list ap;

	if (imp->error_count++ >= ORDER_IMPORT_MAX_ERRORS)
		return;
	e = &imp->errors[imp->error_count - 1];
	e->row = row;
	snprintf(e->column, sizeof(e->column), "%s", col ? col : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

bool order_account_name_valid(const char *name)
{
	size_t n = strlen(name), seg = 0;

	if (n < 3 || n > ORDER_ACCOUNT_MAX)
		return false;
	/* Each dot-separated segment: 3+ chars, starts with a letter, ends with a
	 * letter or digit, letters, digits and single dashes in between. */
	for (size_t i = 0; i <= n; i++) {
		char c = name[i];

		if (c == '.' || c == '\0') {
			if (seg < 3 || name[i - 1] == '-')
				return false;
			seg = 0;
			continue;
		}
		if (seg == 0 && !(c >= 'a' && c <= 'z'))
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && name[i - 1] == '-')
			return false;
		seg++;
	}
	return true;
}

static bool id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > ORDER_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ" to ms since the epoch; false if malformed. */
static bool parse_utc(const char *s, int64_t *ms)
{
	size_t n = strlen(s);
	int64_t sec;

	/* Order files must say the zone: a bare time could be local or UTC. */
	if (n != 20 || s[19] != 'Z' || !civil_parse_utc(s, n, &sec) || sec < 0)
		return false;
	*ms = sec * 1000;
	return true;
}

static bool symbol_allowed(const struct order_import_rules *r, const char *sym)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->symbols) && r->symbols[i]; i++)
		if (strcmp(r->symbols[i], sym) == 0)
			return true;
	return false;
}

/*
 * "10.000 SCT" in a token of rules->tokens: the quantity as token.h reads it,
 * at the decimals it is written with (0..8). False (why set) when the text is
 * not one; *why NULL when the symbol is no accepted token.
 */
static bool token_price(const struct order_import_rules *r, const char *text, struct asset *out,
                        const char **why)
{
	const char *sp = strchr(text, ' '), *dot;
	size_t n;
	int64_t q;
	bool known = false;

	*why = NULL;
	if (!sp)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(r->tokens) && r->tokens[i]; i++)
		known |= strcmp(r->tokens[i], sp + 1) == 0;
	if (!known)
		return false;
	n = (size_t)(sp - text);
	dot = memchr(text, '.', n);
	if (dot && (size_t)(text + n - dot - 1) > TOKEN_PRECISION_MAX) {
		*why = "a token has at most 8 decimals";
		return false;
	}
	if (token_quantity_parse(text, n, dot ? (uint8_t)(text + n - dot - 1) : 0, &q, why) ||
	    asset_token(sp + 1, dot ? (uint8_t)(text + n - dot - 1) : 0, q, out)) {
		if (!*why)
			*why = "not a token amount";
		return false;
	}
	return true;
}

static bool site_symbol_is_token(const struct order_import_rules *r, const char *sym)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->tokens) && r->tokens[i]; i++)
		if (strcmp(r->tokens[i], sym) == 0)
			return true;
	return false;
}

/* One row's worth of fields, from CSV or JSON, checked into o. */
struct row {
	const char *f[CSV_COLS];
	bool has_qty;
	long long qty;
};

static void check_order_fields(struct order_import *imp, unsigned rowno, const struct row *r,
                               const struct order_import_rules *rules, struct order *o)
{
	const char *v;
	bool pickup_ok;

	v = r->f[C_ID] ? r->f[C_ID] : "";
	if (!id_valid(v))
		add_error(imp, rowno, "id",
		          "order id \"%.40s\" must be 1-%d letters, digits, - or _", v,
		          ORDER_ID_MAX);
	else
		snprintf(o->id, sizeof(o->id), "%s", v);
	v = r->f[C_MEMBER] ? r->f[C_MEMBER] : "";
	if (!order_account_name_valid(v))
		add_error(imp, rowno, "member",
		          "\"%.40s\" is not a chain account name (3-16 of a-z 0-9 . -)", v);
	else
		snprintf(o->member, sizeof(o->member), "%s", v);
	v = r->f[C_PICKUP] ? r->f[C_PICKUP] : "";
	pickup_ok = order_pickup_parse(v, &o->pickup) == KERR_OK;
	if (!pickup_ok)
		add_error(imp, rowno, "pickup", "\"%.20s\": use locker or receipt", v);
	v = r->f[C_COMPARTMENT] ? r->f[C_COMPARTMENT] : "";
	o->compartment = 0;
	if (!pickup_ok) {
		/* The compartment rule depends on the pickup: nothing to say yet. */
	} else if (o->pickup == ORDER_PICKUP_LOCKER) {
		char *end;
		long c = strtol(v, &end, 10);

		if (!*v || *end || c < 1 || (unsigned long)c > rules->compartments)
			add_error(imp, rowno, "compartment",
			          "\"%.10s\": a locker order needs a compartment 1-%u", v,
			          rules->compartments);
		else
			o->compartment = (unsigned)c;
	} else if (*v && strcmp(v, "0") != 0) {
		add_error(imp, rowno, "compartment",
		          "a receipt order has no compartment; leave it empty");
	}
	v = r->f[C_EXPIRES] ? r->f[C_EXPIRES] : "";
	o->expires_at_ms = 0;
	if (*v) {
		if (!parse_utc(v, &o->expires_at_ms))
			add_error(imp, rowno, "expires",
			          "\"%.30s\": write UTC as 2026-11-30T18:00:00Z", v);
		else if (o->expires_at_ms <= rules->now_ms)
			add_error(imp, rowno, "expires", "%s is already past", v);
	}
}

/*
 * "12000 KRW": a price in whole won (docs/prices.md), kept as an asset of
 * precision 0 and paid in the chain's asset at a rate locked with the
 * request. KERR_NOTFOUND when s is not priced in KRW (asset_parse decides).
 */
static enum kerr won_parse(const char *s, struct asset *out, const char **why)
{
	size_t len = strlen(s), n = 0;
	int64_t v = 0;

	if (len < 4 || strcmp(s + len - 4, " KRW") != 0)
		return KERR_NOTFOUND;
	memset(out, 0, sizeof(*out));
	len -= 4;
	for (n = 0; n < len && s[n] >= '0' && s[n] <= '9'; n++) {
		if (v > (ORDER_WON_MAX - (s[n] - '0')) / 10) {
			*why = "more than 10^12 won";
			return KERR_RANGE;
		}
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || n < len) {
		*why = n < len && (s[n] == ',' || s[n] == '.')
		           ? "whole won only, without separators or decimals (e.g. 12000 KRW)"
		           : "expected whole won, e.g. 12000 KRW";
		return KERR_PARSE;
	}
	if (n > 1 && s[0] == '0') {
		*why = "leading zero in a won price";
		return KERR_PARSE;
	}
	out->amount = v;
	out->precision = 0;
	snprintf(out->symbol, sizeof(out->symbol), "KRW");
	return KERR_OK;
}

static void add_item(struct order_import *imp, unsigned rowno, const struct row *r,
                     const struct order_import_rules *rules, struct order *o)
{
	struct order_item *it;
	const char *name = r->f[C_ITEM] ? r->f[C_ITEM] : "";
	const char *price = r->f[C_PRICE] ? r->f[C_PRICE] : "";
	const char *why, *tok_why = NULL;
	struct asset line;
	bool is_token;
	enum kerr err;

	if (o->item_count >= ORDER_ITEMS_MAX) {
		add_error(imp, rowno, "item", "more than %d items in order %s", ORDER_ITEMS_MAX,
		          o->id);
		return;
	}
	it = &o->items[o->item_count];
	if (!*name || strlen(name) > ORDER_ITEM_NAME_MAX)
		add_error(imp, rowno, "item", "item name must be 1-%d bytes", ORDER_ITEM_NAME_MAX);
	else
		snprintf(it->name, sizeof(it->name), "%s", name);
	if (!r->has_qty || r->qty < 1 || r->qty > 10000)
		add_error(imp, rowno, "quantity", "quantity must be a whole number 1-10000");
	else
		it->quantity = (uint32_t)r->qty;
	err = won_parse(price, &it->unit_price, &why);
	if (err == KERR_NOTFOUND) {
		err = asset_parse(price, &it->unit_price, &why);
		if (err && token_price(rules, price, &it->unit_price, &tok_why))
			err = KERR_OK;
	}
	if (err) {
		add_error(imp, rowno, "unit_price", "\"%.30s\": %s", price,
		          tok_why ? tok_why : why);
		return;
	}
	if (!it->quantity)
		return;
	is_token = site_symbol_is_token(rules, it->unit_price.symbol);
	if (!is_token && !symbol_allowed(rules, it->unit_price.symbol)) {
		add_error(imp, rowno, "unit_price", "%s is not an asset of this chain",
		          it->unit_price.symbol);
		return;
	}
	if (it->unit_price.amount <= 0) {
		add_error(imp, rowno, "unit_price", "price must be above zero");
		return;
	}
	line = it->unit_price;
	if (__builtin_mul_overflow(line.amount, (int64_t)it->quantity, &line.amount)) {
		add_error(imp, rowno, "quantity", "quantity x price overflows");
		return;
	}
	if (o->item_count == 0) {
		o->price = line;
	} else if (!asset_same_kind(&o->price, &line)) {
		add_error(imp, rowno, "unit_price", "all items of order %s must be priced in %s",
		          o->id, o->price.symbol);
		return;
	} else if (asset_add(&o->price, &line, &o->price)) {
		add_error(imp, rowno, "unit_price", "order total overflows");
		return;
	}
	o->item_count++;
}

static struct order *find_order(struct order_import *imp, const char *id)
{
	for (unsigned i = 0; i < imp->count; i++)
		if (strcmp(imp->orders[i].id, id) == 0)
			return &imp->orders[i];
	return NULL;
}

static void take_row(struct order_import *imp, unsigned rowno, const struct row *r,
                     const struct order_import_rules *rules, bool merge)
{
	struct order tmp, *o;
	unsigned before = imp->error_count;

	memset(&tmp, 0, sizeof(tmp));
	check_order_fields(imp, rowno, r, rules, &tmp);
	if (imp->error_count != before) {
		/* The item's own columns too: every problem of the row at once. */
		add_item(imp, rowno, r, rules, &tmp);
		return;
	}
	o = find_order(imp, tmp.id);
	if (o && !merge) {
		add_error(imp, rowno, "id", "order %s appears twice", tmp.id);
		return;
	}
	if (o) {
		if (strcmp(o->member, tmp.member) || o->pickup != tmp.pickup ||
		    o->compartment != tmp.compartment || o->expires_at_ms != tmp.expires_at_ms) {
			add_error(imp, rowno, "id",
			          "rows of order %s disagree on member, pickup, "
			          "compartment or expiry",
			          tmp.id);
			return;
		}
	} else {
		if (imp->count >= ORDER_IMPORT_MAX_ORDERS) {
			add_error(imp, rowno, "id", "more than %d orders in one file",
			          ORDER_IMPORT_MAX_ORDERS);
			return;
		}
		if (imp->count == imp->cap) {
			unsigned cap = imp->cap ? imp->cap * 2 : 8;
			struct order *grown = realloc(imp->orders, cap * sizeof(*grown));

			if (!grown) {
				add_error(imp, rowno, "", "out of memory");
				return;
			}
			imp->orders = grown;
			imp->cap = cap;
		}
		o = &imp->orders[imp->count++];
		*o = tmp;
		o->state = ORDER_READY;
		o->created_at_ms = rules->now_ms;
	}
	add_item(imp, rowno, r, rules, o);
}

/* RFC 4180 field reader; returns false at end of record. */
static const char *csv_field(const char *p, const char *end, char *out, bool *eol, bool *bad)
{
	size_t n = 0;

	*eol = false;
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			if (p >= end) {
				*bad = true;
				break;
			}
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"') {
					p += 2;
					if (n < CSV_FIELD_MAX - 1)
						out[n++] = '"';
					else
						*bad = true;
					continue;
				}
				p++;
				break;
			}
			if (n < CSV_FIELD_MAX - 1)
				out[n++] = *p;
			else
				*bad = true;
			p++;
		}
	} else {
		while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
			if (n < CSV_FIELD_MAX - 1)
				out[n++] = *p;
			else
				*bad = true;
			p++;
		}
	}
	out[n] = '\0';
	if (p < end && *p == ',')
		return p + 1;
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	else if (p < end)
		*bad = true; /* junk after a closing quote */
	*eol = true;
	return p;
}

static void parse_csv(const char *text, size_t len, const struct order_import_rules *rules,
                      struct order_import *imp)
{
	const char *p = text, *end = text + len;
	char fields[16][CSV_FIELD_MAX];
	int map[16] = {0};
	unsigned ncols = 0, rowno = 1;
	bool eol = false, bad = false;

	/* Header. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a spreadsheet's UTF-8 byte order mark */
	while (!eol && ncols < 16) {
		p = csv_field(p, end, fields[ncols], &eol, &bad);
		map[ncols] = -1;
		for (int c = 0; c < CSV_COLS; c++)
			if (strcmp(fields[ncols], col_names[c]) == 0)
				map[ncols] = c;
		if (map[ncols] < 0)
			add_error(imp, 1, fields[ncols],
			          "unknown column; known: id, member, item, "
			          "quantity, unit_price, pickup, compartment, expires");
		ncols++;
	}
	for (int c = 0; c < CSV_COLS; c++) {
		bool found = false;

		for (unsigned i = 0; i < ncols; i++)
			found |= map[i] == c;
		if (!found && c != C_EXPIRES && c != C_COMPARTMENT)
			add_error(imp, 1, col_names[c], "missing column");
	}
	if (imp->error_count)
		return;
	while (p < end) {
		struct row r = {0};
		unsigned n = 0;

		rowno++;
		bad = false;
		eol = false;
		while (!eol) {
			char scratch[CSV_FIELD_MAX];

			p = csv_field(p, end, n < 16 ? fields[n] : scratch, &eol, &bad);
			n++;
		}
		if (n == 1 && fields[0][0] == '\0')
			continue; /* blank line */
		if (bad) {
			add_error(imp, rowno, "",
			          "malformed CSV (quote or field longer than %d bytes)",
			          CSV_FIELD_MAX - 1);
			continue;
		}
		if (n != ncols) {
			add_error(imp, rowno, "", "%u fields, the header has %u", n, ncols);
			continue;
		}
		for (unsigned i = 0; i < ncols; i++)
			r.f[map[i]] = fields[i];
		if (r.f[C_QTY]) {
			char *qend;

			r.qty = strtoll(r.f[C_QTY], &qend, 10);
			r.has_qty = r.f[C_QTY][0] && !*qend;
		}
		take_row(imp, rowno, &r, rules, true);
	}
}

static const char *json_str(json_t *o, const char *key, struct order_import *imp, unsigned rowno,
                            bool required)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		if (required)
			add_error(imp, rowno, key, "missing");
		return NULL;
	}
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
		add_error(imp, rowno, key, "must be a string (without NUL bytes)");
		return NULL;
	}
	return json_string_value(v);
}

static void parse_json(const char *text, size_t len, const struct order_import_rules *rules,
                       struct order_import *imp)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *ord;
	size_t i;

	if (!root || !json_is_array(root)) {
		if (root)
			add_error(imp, 0, "", "the file must be a JSON array of orders");
		else
			add_error(imp, 0, "", "JSON line %d, column %d: %s", jerr.line, jerr.column,
			          jerr.text);
		json_decref(root);
		return;
	}
	json_array_foreach(root, i, ord)
	{
		unsigned rowno = (unsigned)i + 1, before = imp->error_count;
		json_t *items = json_object_get(ord, "items"), *it, *comp;
		char compbuf[16] = "";
		struct row base = {0};
		size_t j;

		if (!json_is_object(ord)) {
			add_error(imp, rowno, "", "each order must be a JSON object");
			continue;
		}
		base.f[C_ID] = json_str(ord, "id", imp, rowno, true);
		base.f[C_MEMBER] = json_str(ord, "member", imp, rowno, true);
		base.f[C_PICKUP] = json_str(ord, "pickup", imp, rowno, true);
		base.f[C_EXPIRES] = json_str(ord, "expires", imp, rowno, false);
		comp = json_object_get(ord, "compartment");
		if (json_is_integer(comp))
			snprintf(compbuf, sizeof(compbuf), "%lld",
			         (long long)json_integer_value(comp));
		else if (comp && !json_is_null(comp))
			add_error(imp, rowno, "compartment", "must be a number");
		base.f[C_COMPARTMENT] = compbuf;
		if (!json_is_array(items) || json_array_size(items) == 0) {
			add_error(imp, rowno, "items", "must be a non-empty array");
			continue;
		}
		if (imp->error_count != before)
			continue;
		if (base.f[C_ID] && find_order(imp, base.f[C_ID])) {
			add_error(imp, rowno, "id", "order %s appears twice", base.f[C_ID]);
			continue;
		}
		json_array_foreach(items, j, it)
		{
			struct row r = base;
			json_t *q = json_object_get(it, "quantity");

			if (!json_is_object(it)) {
				add_error(imp, rowno, "items", "item %zu must be an object", j + 1);
				break;
			}
			r.f[C_ITEM] = json_str(it, "name", imp, rowno, true);
			r.f[C_PRICE] = json_str(it, "unit_price", imp, rowno, true);
			r.has_qty = json_is_integer(q);
			r.qty = r.has_qty ? json_integer_value(q) : 0;
			if (!r.f[C_ITEM] || !r.f[C_PRICE])
				break;
			take_row(imp, rowno, &r, rules, true);
		}
	}
	json_decref(root);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	size_t n;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return n;
}

/*
 * Names and memos go to the screen and the receipt as UTF-8: a file saved
 * in another encoding (EUC-KR, Latin-1) would print as boxes. Every line
 * with a bad byte is named, with the byte's offset in the file.
 */
static bool utf8_valid(const char *text, size_t len, bool json, struct order_import *imp)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned line = 1, bad_line = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);

		if (n == 0) {
			if (bad_line != line && json)
				add_error(imp, 0, "",
				          "line %u: byte 0x%02X at offset %zu is not UTF-8; save "
				          "the file as "
				          "UTF-8",
				          line, p[i], i);
			else if (bad_line != line)
				add_error(imp, line, "",
				          "byte 0x%02X at offset %zu is not UTF-8; save the file "
				          "as UTF-8 "
				          "(in a spreadsheet: CSV UTF-8)",
				          p[i], i);
			bad_line = line;
			i++;
			continue;
		}
		if (p[i] == '\n')
			line++;
		i += n;
	}
	return bad_line == 0;
}

enum kerr order_import_parse(const char *text, size_t len, const struct order_import_rules *rules,
                             struct order_import *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (len > ORDER_IMPORT_MAX_BYTES) {
		add_error(out, 0, "", "file larger than %d bytes; split it",
		          ORDER_IMPORT_MAX_BYTES);
		return KERR_TOO_BIG;
	}
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	if (i + 3 <= len && memcmp(text + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	if (i == len) {
		add_error(out, 0, "",
		          "the file is empty: a CSV file starts with its header row (id,member,"
		          "item,quantity,unit_price,pickup,compartment,expires), a JSON file is an "
		          "array of orders");
		return KERR_PARSE;
	}
	out->json = text[i] == '[';
	if (!utf8_valid(text, len, out->json, out))
		return KERR_PARSE;
	if (out->json)
		parse_json(text, len, rules, out);
	else
		parse_csv(text, len, rules, out);
	if (out->count == 0 && out->error_count == 0)
		add_error(out, 0, "",
		          out->json ? "the array has no orders"
		                    : "only a header row: no orders in the file");
	if (out->error_count) {
		out->count = 0;
		return KERR_PARSE;
	}
	return KERR_OK;
}

void order_import_fini(struct order_import *imp)
{
	if (!imp)
		return;
	free(imp->orders);
	imp->orders = NULL;
	imp->count = imp->cap = 0;
}
