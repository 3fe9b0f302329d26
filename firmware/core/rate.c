/*
 * Won prices at a locked rate. The division krw * 10^(scale + precision) /
 * units is done digit by digit as long division, so no intermediate product
 * can overflow: only a result over INT64_MAX is refused.
 */
#include "kiosk/rate.h"

#include <stdio.h>
#include <string.h>

static enum kerr refuse(struct rate *out, const char **why, const char *reason, enum kerr err)
{
	memset(out, 0, sizeof(*out));
	if (why)
		*why = reason;
	return err;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum kerr rate_parse(const char *s, struct rate *out, const char **why)
{
	uint64_t v = 0;
	size_t len, int_len = 0, frac_len = 0;
	const char *p;

	if (why)
		*why = NULL;
	if (!s || !*s)
		return refuse(out, why, "empty rate", KERR_PARSE);
	len = strnlen(s, RATE_TEXT_MAX + 1);
	if (len > RATE_TEXT_MAX)
		return refuse(out, why, "rate text too long", KERR_PARSE);
	if (*s == '-')
		return refuse(out, why, "negative rate", KERR_PARSE);
	if (!is_digit(*s))
		return refuse(out, why, "rate must start with a digit", KERR_PARSE);
	for (p = s; is_digit(*p); p++)
		int_len++;
	if (int_len > 1 && s[0] == '0')
		return refuse(out, why, "leading zero in the rate", KERR_PARSE);
	if (*p == '.') {
		const char *frac = ++p;

		while (is_digit(*p))
			p++;
		frac_len = (size_t)(p - frac);
		if (frac_len == 0)
			return refuse(out, why, "no decimals after '.'", KERR_PARSE);
		if (frac_len > RATE_DECIMALS_MAX)
			return refuse(out, why, "rate has more than 8 decimals", KERR_PARSE);
	}
	if (*p == ',')
		return refuse(out, why, "no thousands separators in a rate", KERR_PARSE);
	if (*p)
		return refuse(out, why, "rate has a character other than digits and one '.'",
		              KERR_PARSE);
	for (p = s; *p; p++) {
		if (*p == '.')
			continue;
		if (v > (RATE_UNITS_MAX - (uint64_t)(*p - '0')) / 10)
			return refuse(out, why, "rate too large", KERR_RANGE);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0)
		return refuse(out, why, "rate is zero", KERR_RANGE);
	out->units = v;
	out->scale = (uint8_t)frac_len;
	return KERR_OK;
}

static bool rate_ok(const struct rate *r)
{
	return r && r->units != 0 && r->units <= RATE_UNITS_MAX && r->scale <= RATE_DECIMALS_MAX;
}

enum kerr rate_format(const struct rate *r, char *buf, size_t len)
{
	uint64_t scale = 1, frac;
	unsigned decimals;
	int n;

	if (len)
		buf[0] = '\0';
	if (!rate_ok(r))
		return KERR_INVAL;
	for (unsigned i = 0; i < r->scale; i++)
		scale *= 10;
	frac = r->units % scale;
	decimals = r->scale;
	while (decimals > 0 && frac % 10 == 0) {
		frac /= 10;
		decimals--;
	}
	if (decimals == 0)
		n = snprintf(buf, len, "%llu", (unsigned long long)(r->units / scale));
	else
		n = snprintf(buf, len, "%llu.%0*llu", (unsigned long long)(r->units / scale),
		             (int)decimals, (unsigned long long)frac);
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

/* q = q * 10 + d, refused past INT64_MAX. */
static bool push_digit(uint64_t *q, uint64_t d)
{
	if (*q > ((uint64_t)INT64_MAX - d) / 10)
		return false;
	*q = *q * 10 + d;
	return true;
}

enum kerr rate_due(const struct rate *r, int64_t krw, uint8_t precision, int64_t *amount)
{
	uint64_t q, rem;
	unsigned shifts;

	*amount = 0;
	if (!rate_ok(r) || krw <= 0 || precision > RATE_PRECISION_MAX)
		return KERR_INVAL;
	/* krw / (units / 10^scale) in units of 10^-precision is
	 * krw * 10^(scale + precision) / units. */
	q = (uint64_t)krw / r->units;
	rem = (uint64_t)krw % r->units;
	shifts = (unsigned)r->scale + precision;
	for (unsigned i = 0; i < shifts; i++) {
		/* rem < units <= 10^17, so rem * 10 fits in uint64. */
		uint64_t t = rem * 10;

		if (!push_digit(&q, t / r->units))
			return KERR_OVERFLOW;
		rem = t % r->units;
	}
	if (rem != 0) {
		if (q >= (uint64_t)INT64_MAX)
			return KERR_OVERFLOW;
		q++;
	}
	*amount = (int64_t)q;
	return KERR_OK;
}

enum kerr rate_check_paid(int64_t locked, int64_t received, uint32_t tolerance_bp, bool *paid,
                          int64_t *remaining)
{
	int64_t allowance;

	*paid = false;
	*remaining = 0;
	if (locked < 0 || received < 0)
		return KERR_INVAL;
	if (tolerance_bp > RATE_BP_MAX)
		return KERR_RANGE;
	/* floor(locked * bp / 10000) without the product: the whole ten-thousands
	 * and the rest apart, each term below INT64_MAX. */
	allowance = (locked / RATE_BP_MAX) * (int64_t)tolerance_bp +
	            (locked % RATE_BP_MAX) * (int64_t)tolerance_bp / RATE_BP_MAX;
	if (received >= locked - allowance) {
		*paid = true;
		return KERR_OK;
	}
	*remaining = locked - received;
	return KERR_OK;
}

static const char *const source_names[RATE_SOURCE_COUNT] = {
    [RATE_STAFF] = "staff",
    [RATE_TICKER] = "ticker",
    [RATE_FEED] = "feed",
};

const char *rate_source_name(enum rate_source s)
{
	return (unsigned)s < RATE_SOURCE_COUNT ? source_names[s] : "?";
}

bool rate_source_by_name(const char *name, enum rate_source *out)
{
	for (unsigned i = 0; i < RATE_SOURCE_COUNT; i++)
		if (name && strcmp(name, source_names[i]) == 0) {
			*out = (enum rate_source)i;
			return true;
		}
	return false;
}

enum kerr rate_mul(const struct rate *a, const struct rate *b, struct rate *out)
{
	uint64_t units;
	unsigned scale;

	memset(out, 0, sizeof(*out));
	if (!rate_ok(a) || !rate_ok(b))
		return KERR_INVAL;
	if (__builtin_mul_overflow(a->units, b->units, &units))
		return KERR_OVERFLOW;
	scale = (unsigned)a->scale + b->scale;
	/* Truncation rounds down: the co-op is never paid less for it. */
	while (scale > RATE_DECIMALS_MAX || (units > RATE_UNITS_MAX && scale > 0)) {
		units /= 10;
		scale--;
	}
	if (units == 0 || units > RATE_UNITS_MAX)
		return KERR_RANGE;
	/* The shortest form: trailing zeros of the decimals dropped. */
	while (scale > 0 && units % 10 == 0) {
		units /= 10;
		scale--;
	}
	out->units = units;
	out->scale = (uint8_t)scale;
	return KERR_OK;
}

enum kerr rate_value(const struct rate *r, int64_t amount, uint8_t precision, int64_t *krw)
{
	uint64_t p, div = 1;

	*krw = 0;
	if (!rate_ok(r) || amount < 0 || precision > RATE_PRECISION_MAX)
		return KERR_INVAL;
	if (__builtin_mul_overflow((uint64_t)amount, r->units, &p))
		return KERR_OVERFLOW;
	/* scale + precision <= 20: the divisor is taken apart past 10^19. */
	for (unsigned i = 0; i < (unsigned)r->scale + precision; i++) {
		if (div > UINT64_MAX / 10) {
			p /= div;
			div = 1;
		}
		div *= 10;
	}
	p /= div;
	if (p > (uint64_t)INT64_MAX)
		return KERR_OVERFLOW;
	*krw = (int64_t)p;
	return KERR_OK;
}
