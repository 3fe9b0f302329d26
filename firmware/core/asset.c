/*
 * Exact money. Amounts are parsed digit by digit into an int64 with explicit
 * overflow checks; there is no floating point anywhere on the way.
 */
#include "kiosk/asset.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *symbol;
	uint8_t precision;
} known[] = {
    {"STEEM", 3}, {"SBD", 3}, {"HIVE", 3}, {"HBD", 3}, {"VESTS", 6},
};

int asset_symbol_precision(const char *symbol)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(symbol, known[i].symbol) == 0)
			return known[i].precision;
	return -1;
}

enum kerr asset_token(const char *symbol, uint8_t precision, int64_t amount, struct asset *out)
{
	size_t n = symbol ? strnlen(symbol, ASSET_SYMBOL_MAX + 1) : 0;
	bool dot = false;

	memset(out, 0, sizeof(*out));
	/* tokens.js create: "invalid precision" above 8. */
	if (n == 0 || n > ASSET_SYMBOL_MAX || precision > 8 || amount < 0)
		return KERR_INVAL;
	for (size_t i = 0; i < n; i++) {
		if (symbol[i] == '.' && !dot && i > 0 && i + 1 < n) {
			dot = true;
			continue;
		}
		if (symbol[i] < 'A' || symbol[i] > 'Z')
			return KERR_INVAL;
	}
	if (asset_symbol_precision(symbol) >= 0)
		return KERR_INVAL;
	memcpy(out->symbol, symbol, n);
	out->precision = precision;
	out->amount = amount;
	return KERR_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static enum kerr refuse(struct asset *out, const char **why, const char *reason, enum kerr err)
{
	memset(out, 0, sizeof(*out));
	if (why)
		*why = reason;
	return err;
}

enum kerr asset_parse(const char *s, struct asset *out, const char **why)
{
	return asset_parse_n(s, s ? strlen(s) : 0, out, why);
}

enum kerr asset_parse_n(const char *text, size_t len, struct asset *out, const char **why)
{
	char s[ASSET_STR_MAX];
	const char *p = s, *dot, *sp;
	size_t int_len, frac_len, sym_len;
	uint64_t v = 0;
	int prec;

	if (why)
		*why = NULL;
	if (!text || len == 0)
		return refuse(out, why, "empty amount", KERR_PARSE);
	if (len >= sizeof(s))
		return refuse(out, why, "amount text too long", KERR_PARSE);
	/* A NUL inside (JSON allows one) would hide what follows it. */
	if (memchr(text, '\0', len))
		return refuse(out, why, "NUL byte inside the amount", KERR_PARSE);
	memcpy(s, text, len);
	s[len] = '\0';
	if (*p == '-')
		return refuse(out, why, "negative amount", KERR_PARSE);
	if (!is_digit(*p))
		return refuse(out, why, "amount must start with a digit", KERR_PARSE);
	while (is_digit(*p))
		p++;
	int_len = (size_t)(p - s);
	if (*p == ',')
		return refuse(out, why, "no thousands separators: write 1000.000", KERR_PARSE);
	if (*p != '.')
		return refuse(out, why, "missing '.' and decimals (e.g. 1.000)", KERR_PARSE);
	if (int_len > 1 && s[0] == '0')
		return refuse(out, why, "leading zero in the amount", KERR_PARSE);
	dot = p++;
	while (is_digit(*p))
		p++;
	frac_len = (size_t)(p - dot - 1);
	if (frac_len == 0)
		return refuse(out, why, "no decimals after '.'", KERR_PARSE);
	if (*p != ' ')
		return refuse(out, why, "expected one space between amount and symbol", KERR_PARSE);
	sp = p++;
	if (*p == ' ')
		return refuse(out, why, "more than one space before the symbol", KERR_PARSE);
	sym_len = strlen(p);
	if (sym_len == 0)
		return refuse(out, why, "missing symbol", KERR_PARSE);
	if (sym_len > ASSET_SYMBOL_MAX)
		return refuse(out, why, "symbol too long", KERR_PARSE);
	for (size_t i = 0; i < sym_len; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			return refuse(out, why, "symbol must be upper case (STEEM, SBD, HIVE, HBD)",
			              KERR_PARSE);
		if (p[i] < 'A' || p[i] > 'Z')
			return refuse(out, why, "symbol has a character other than A-Z",
			              KERR_PARSE);
	}
	memcpy(out->symbol, p, sym_len);
	out->symbol[sym_len] = '\0';
	prec = asset_symbol_precision(out->symbol);
	if (prec < 0)
		return refuse(out, why, "unknown symbol", KERR_INVAL);
	if (frac_len != (size_t)prec)
		return refuse(out, why,
		              prec == 3 ? "needs exactly 3 decimals (e.g. 1.000)"
		                        : "needs exactly 6 decimals (e.g. 1.000000)",
		              KERR_PARSE);
	for (const char *d = s; d < sp; d++) {
		if (d == dot)
			continue;
		if (v > (uint64_t)INT64_MAX / 10 ||
		    v * 10 + (uint64_t)(*d - '0') > (uint64_t)INT64_MAX)
			return refuse(out, why, "amount too large", KERR_RANGE);
		v = v * 10 + (uint64_t)(*d - '0');
	}
	out->amount = (int64_t)v;
	out->precision = (uint8_t)prec;
	return KERR_OK;
}

enum kerr asset_format(const struct asset *a, char *buf, size_t len)
{
	uint64_t mag, scale = 1;
	int n;

	if (len)
		buf[0] = '\0';
	if (a->precision > ASSET_PRECISION_MAX || !a->symbol[0] ||
	    memchr(a->symbol, '\0', sizeof(a->symbol)) == NULL)
		return KERR_INVAL;
	for (unsigned i = 0; i < a->precision; i++)
		scale *= 10;
	/* INT64_MIN has no positive int64: take the magnitude in uint64. */
	mag = a->amount < 0 ? (uint64_t)0 - (uint64_t)a->amount : (uint64_t)a->amount;
	if (a->precision == 0)
		n = snprintf(buf, len, "%s%llu %s", a->amount < 0 ? "-" : "",
		             (unsigned long long)mag, a->symbol);
	else
		n = snprintf(buf, len, "%s%llu.%0*llu %s", a->amount < 0 ? "-" : "",
		             (unsigned long long)(mag / scale), (int)a->precision,
		             (unsigned long long)(mag % scale), a->symbol);
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

bool asset_same_kind(const struct asset *a, const struct asset *b)
{
	return a->precision == b->precision &&
	       strncmp(a->symbol, b->symbol, sizeof(a->symbol)) == 0;
}

enum kerr asset_cmp(const struct asset *a, const struct asset *b, int *out)
{
	*out = 0;
	if (!asset_same_kind(a, b))
		return KERR_INVAL;
	*out = (a->amount > b->amount) - (a->amount < b->amount);
	return KERR_OK;
}

static enum kerr combine(const struct asset *a, const struct asset *b, bool add, struct asset *out)
{
	struct asset r = *a;

	if (!asset_same_kind(a, b)) {
		memset(out, 0, sizeof(*out));
		return KERR_INVAL;
	}
	if (add ? __builtin_add_overflow(a->amount, b->amount, &r.amount)
	        : __builtin_sub_overflow(a->amount, b->amount, &r.amount)) {
		memset(out, 0, sizeof(*out));
		return KERR_OVERFLOW;
	}
	*out = r;
	return KERR_OK;
}

enum kerr asset_add(const struct asset *a, const struct asset *b, struct asset *out)
{
	return combine(a, b, true, out);
}

enum kerr asset_sub(const struct asset *a, const struct asset *b, struct asset *out)
{
	return combine(a, b, false, out);
}
