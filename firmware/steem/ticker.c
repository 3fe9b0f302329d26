/*
 * Why the price is read from its text: jansson turns a JSON number into a
 * double, and a double holds 312.1 only approximately; formatting it back
 * with some number of decimals is exact only within bounds that a price
 * feed does not promise (and an exponent form like Jackson's "1.0E-4" needs
 * care either way). So jansson checks the shape (and refuses duplicate keys),
 * and a small scanner finds the same member's number text in the raw reply,
 * which is turned into an exact decimal without any arithmetic.
 */
#include "kiosk/ticker.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

static enum kerr refuse(struct ticker_quote *out, const char **why, const char *reason,
                        enum kerr err)
{
	memset(out, 0, sizeof(*out));
	if (why)
		*why = reason;
	return err;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

enum kerr ticker_plain_decimal(const char *num, size_t len, char *out, size_t cap)
{
	char digits[2 * TICKER_NUMBER_MAX + 1];
	size_t nd = 0, i = 0, int_len, o = 0;
	long exp = 0, point;
	bool neg = false;

	if (cap)
		out[0] = '\0';
	if (len > TICKER_NUMBER_MAX)
		return KERR_TOO_BIG;
	if (i < len && num[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= len || !digit(num[i]) || (num[i] == '0' && i + 1 < len && digit(num[i + 1])))
		return KERR_PARSE;
	while (i < len && digit(num[i]))
		digits[nd++] = num[i++];
	int_len = nd;
	if (i < len && num[i] == '.') {
		i++;
		if (i >= len || !digit(num[i]))
			return KERR_PARSE;
		while (i < len && digit(num[i]))
			digits[nd++] = num[i++];
	}
	if (i < len && (num[i] == 'e' || num[i] == 'E')) {
		bool eneg = false;

		i++;
		if (i < len && (num[i] == '+' || num[i] == '-'))
			eneg = num[i++] == '-';
		if (i >= len || !digit(num[i]))
			return KERR_PARSE;
		while (i < len && digit(num[i])) {
			exp = exp * 10 + (num[i++] - '0');
			if (exp > TICKER_NUMBER_MAX)
				return KERR_TOO_BIG;
		}
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return KERR_PARSE;
	/* The digits with the point after `point` of them (may be <= 0 or past the end). */
	point = (long)int_len + exp;
	while (nd > 0 && (long)nd > point && digits[nd - 1] == '0')
		nd--; /* trailing zeros after the point */
	{
		size_t first = 0;

		/* leading zeros before the point, keeping one before it */
		while (first < nd && digits[first] == '0' && point > 1) {
			first++;
			point--;
		}
		memmove(digits, digits + first, nd - first);
		nd -= first;
	}
	if (nd == 0 || (nd == 1 && digits[0] == '0' && point >= 1)) {
		if (cap < 2)
			return KERR_TOO_BIG;
		out[0] = '0';
		out[1] = '\0';
		return KERR_OK;
	}
#define PUT(ch)                                                                                    \
	do {                                                                                       \
		if (o + 1 >= cap)                                                                  \
			goto too_big;                                                              \
		out[o++] = (ch);                                                                   \
	} while (0)
	if (neg)
		PUT('-');
	if (point <= 0) {
		PUT('0');
		PUT('.');
		for (long z = point; z < 0; z++)
			PUT('0');
		for (size_t k = 0; k < nd; k++)
			PUT(digits[k]);
	} else {
		for (long k = 0; k < point; k++)
			PUT(k < (long)nd ? digits[k] : '0');
		if ((long)nd > point) {
			PUT('.');
			for (size_t k = (size_t)point; k < nd; k++)
				PUT(digits[k]);
		}
	}
#undef PUT
	out[o] = '\0';
	return KERR_OK;
too_big:
	if (cap)
		out[0] = '\0';
	return KERR_TOO_BIG;
}

/* Past a JSON string starting at s[i] == '"'; the index after its closing quote. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/*
 * The raw text of member `key` of the element-th object of the top-level
 * array (JSON already validated): *at and *n, false when not found written
 * plainly (a key spelled with escapes is not matched, and then refused).
 */
static bool raw_member(const char *s, size_t len, size_t element, const char *key, const char **at,
                       size_t *n)
{
	size_t i = 0, klen = strlen(key), index = 0;
	int depth = 0;
	bool expect_key = false;

	while (i < len) {
		char c = s[i];

		if (c == '"') {
			size_t end = skip_string(s, len, i);

			if (depth == 2 && expect_key && index == element + 1 &&
			    end - i == klen + 2 && memcmp(s + i + 1, key, klen) == 0) {
				i = end;
				while (i < len && s[i] != ':')
					i++;
				i++;
				while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
				                   s[i] == '\r'))
					i++;
				*at = s + i;
				while (i < len && (digit(s[i]) || strchr("+-.eE", s[i])))
					i++;
				*n = (size_t)(s + i - *at);
				return *n > 0;
			}
			expect_key = false;
			i = end;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
			if (depth == 2 && c == '{')
				index++;
			expect_key = c == '{';
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',') {
			expect_key = depth == 2;
		}
		i++;
	}
	return false;
}

enum kerr ticker_parse(const char *body, size_t len, const char *market, struct ticker_quote *out,
                       const char **why)
{
	json_error_t jerr;
	json_t *root, *e = NULL, *price, *ts;
	const char *raw, *rate_why = NULL;
	char plain[TICKER_NUMBER_MAX * 2 + 4];
	size_t i, n;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (!market || strlen(market) > TICKER_MARKET_MAX)
		return refuse(out, why, "the market code is longer than 32 bytes", KERR_INVAL);
	if (len > TICKER_REPLY_MAX)
		return refuse(out, why, "the ticker reply is longer than 16 KiB", KERR_TOO_BIG);
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return refuse(out, why, "the ticker reply is not JSON (or repeats a key)",
		              KERR_PARSE);
	if (json_is_object(root) && json_object_get(root, "error")) {
		json_decref(root);
		return refuse(out, why, "the exchange answered an error (check the market code)",
		              KERR_PROTO);
	}
	if (!json_is_array(root)) {
		json_decref(root);
		return refuse(out, why, "the ticker reply is not an array of markets", KERR_PARSE);
	}
	json_array_foreach(root, i, e)
	{
		const char *m = json_string_value(json_object_get(e, "market"));

		if (!json_is_object(e) || !m) {
			json_decref(root);
			return refuse(out, why, "a ticker entry is not an object with a market",
			              KERR_PARSE);
		}
		if (strcmp(m, market) == 0)
			break;
	}
	if (i == json_array_size(root)) {
		json_decref(root);
		return refuse(out, why, "the ticker reply does not list the market", KERR_NOTFOUND);
	}
	price = json_object_get(e, "trade_price");
	ts = json_object_get(e, "trade_timestamp");
	if (!json_is_number(price) || !json_is_integer(ts)) {
		json_decref(root);
		return refuse(out, why, "the market has no numeric trade_price and trade_timestamp",
		              KERR_PARSE);
	}
	out->at_ms = (int64_t)json_integer_value(ts);
	json_decref(root);
	if (out->at_ms <= 0)
		return refuse(out, why, "the trade_timestamp is not after 1970", KERR_RANGE);
	if (!raw_member(body, len, i, "trade_price", &raw, &n))
		return refuse(out, why, "the trade_price could not be read as written", KERR_PARSE);
	err = ticker_plain_decimal(raw, n, plain, sizeof(plain));
	if (err)
		return refuse(out, why, "the trade_price is not a plain JSON number", err);
	if (plain[0] == '-')
		return refuse(out, why, "the trade_price is negative", KERR_RANGE);
	err = rate_parse(plain, &out->rate, &rate_why);
	if (err)
		return refuse(out, why, rate_why, err);
	strcpy(out->market, market);
	return KERR_OK;
}
