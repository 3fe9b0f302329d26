/*
 * Sidechain token transfers. The rules follow the sidechain node's Streamer
 * (which custom_json it reads) and its tokens contract (what a transfer
 * needs), narrowed where the kiosk would rather refuse than guess.
 */
#include "kiosk/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* The node's config.json chainId, prefixed "ssc-" by its Streamer. */
const char *token_sidechain_id(enum site_chain chain)
{
	return chain == SITE_CHAIN_HIVE ? "ssc-mainnet-hive" : "ssc-mainnet1";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

bool token_symbol_valid(const char *symbol)
{
	size_t n = symbol ? strnlen(symbol, TOKEN_SYMBOL_MAX + 1) : 0;
	int dots = 0;

	if (n == 0 || n > TOKEN_SYMBOL_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (symbol[i] == '.') {
			if (i == 0 || i == n - 1 || ++dots > 1)
				return false;
		} else if (symbol[i] < 'A' || symbol[i] > 'Z') {
			return false;
		}
	}
	return true;
}

/* steemd's is_valid_account_name (libraries/protocol/authority.cpp). */
bool token_account_valid(const char *name)
{
	size_t n = name ? strnlen(name, TOKEN_ACCOUNT_MAX + 1) : 0, begin = 0;

	if (n < 3 || n > TOKEN_ACCOUNT_MAX)
		return false;
	while (begin < n) {
		size_t end = begin;

		while (end < n && name[end] != '.')
			end++;
		if (end - begin < 3 || !is_lower(name[begin]) ||
		    !(is_lower(name[end - 1]) || is_digit(name[end - 1])))
			return false;
		for (size_t i = begin + 1; i + 1 < end; i++)
			if (!(is_lower(name[i]) || is_digit(name[i]) || name[i] == '-'))
				return false;
		begin = end + 1;
		if (end < n && begin == n)
			return false; /* a trailing '.' */
	}
	return true;
}

static enum kerr why_err(const char **why, const char *reason, enum kerr err)
{
	if (why)
		*why = reason;
	return err;
}

enum kerr token_quantity_parse(const char *s, size_t len, uint8_t precision, int64_t *out,
                               const char **why)
{
	size_t i = 0, int_len, frac_len = 0;
	uint64_t v = 0;

	*out = 0;
	if (why)
		*why = NULL;
	if (precision > TOKEN_PRECISION_MAX)
		return why_err(why, "token precision above 8", KERR_INVAL);
	if (!s || len == 0)
		return why_err(why, "empty quantity", KERR_PARSE);
	if (len > TOKEN_QUANTITY_MAX)
		return why_err(why, "quantity text too long", KERR_PARSE);
	if (s[0] == '-')
		return why_err(why, "negative quantity", KERR_PARSE);
	while (i < len && is_digit(s[i]))
		i++;
	int_len = i;
	if (int_len == 0)
		return why_err(why, "quantity must start with a digit", KERR_PARSE);
	if (int_len > 1 && s[0] == '0')
		return why_err(why, "leading zero in the quantity", KERR_PARSE);
	if (i < len && s[i] == '.') {
		size_t frac = ++i;

		while (i < len && is_digit(s[i]))
			i++;
		frac_len = i - frac;
		if (frac_len == 0)
			return why_err(why, "no decimals after '.' in the quantity", KERR_PARSE);
		if (frac_len > precision)
			return why_err(why, "quantity has more decimals than the token's precision",
			               KERR_PARSE);
	}
	if (i != len)
		return why_err(why, "quantity has a character other than digits and one '.'",
		               KERR_PARSE);
	for (size_t k = 0; k < len; k++) {
		if (s[k] == '.')
			continue;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(s[k] - '0')) / 10)
			return why_err(why, "quantity too large", KERR_RANGE);
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	for (size_t k = frac_len; k < precision; k++) {
		if (v > (uint64_t)INT64_MAX / 10)
			return why_err(why, "quantity too large", KERR_RANGE);
		v *= 10;
	}
	if (v == 0)
		return why_err(why, "quantity must be above zero", KERR_PARSE);
	*out = (int64_t)v;
	return KERR_OK;
}

enum kerr token_quantity_format(int64_t quantity, uint8_t precision, char *buf, size_t len)
{
	uint64_t scale = 1;
	int n;

	if (len)
		buf[0] = '\0';
	if (quantity < 0 || precision > TOKEN_PRECISION_MAX)
		return KERR_INVAL;
	for (unsigned i = 0; i < precision; i++)
		scale *= 10;
	if (precision == 0)
		n = snprintf(buf, len, "%lld", (long long)quantity);
	else
		n = snprintf(buf, len, "%llu.%0*llu",
		             (unsigned long long)((uint64_t)quantity / scale), (int)precision,
		             (unsigned long long)((uint64_t)quantity % scale));
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

static enum kerr refuse(struct token_transfer *out, const char **why, const char *reason,
                        enum kerr err)
{
	memset(out, 0, sizeof(*out));
	return why_err(why, reason, err);
}

/* A member that must be a string equal to want. */
static bool member_is(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) && strcmp(json_string_value(v), want) == 0;
}

static enum kerr parse_payload(json_t *payload, uint8_t precision, struct token_transfer *out,
                               const char **why)
{
	json_t *symbol = json_object_get(payload, "symbol"), *to = json_object_get(payload, "to");
	json_t *quantity = json_object_get(payload, "quantity");
	json_t *memo = json_object_get(payload, "memo");
	enum kerr err;

	if (!json_is_string(symbol) || !token_symbol_valid(json_string_value(symbol)))
		return why_err(why, "the token symbol is missing or not 1..10 upper-case letters",
		               KERR_INVAL);
	if (!json_is_string(to) || !token_account_valid(json_string_value(to)))
		return why_err(why, "the receiving account is missing or not a valid account name",
		               KERR_INVAL);
	if (!json_is_string(quantity))
		return why_err(why, "the quantity is missing or not a string", KERR_PARSE);
	err = token_quantity_parse(json_string_value(quantity), json_string_length(quantity),
	                           precision, &out->quantity, why);
	if (err)
		return err;
	if (memo && !json_is_string(memo))
		return why_err(why, "the memo is not a string", KERR_PARSE);
	if (memo && json_string_length(memo) > TOKEN_MEMO_MAX)
		return why_err(why, "the memo is longer than 2047 bytes", KERR_TOO_BIG);
	strcpy(out->symbol, json_string_value(symbol));
	strcpy(out->to, json_string_value(to));
	if (memo)
		memcpy(out->memo, json_string_value(memo), json_string_length(memo) + 1);
	out->precision = precision;
	return KERR_OK;
}

enum kerr token_transfer_parse(enum site_chain chain, const char *id,
                               const char *const *required_auths, size_t n_required_auths,
                               size_t n_required_posting_auths, const char *json, size_t json_len,
                               uint8_t precision, struct token_transfer *out, const char **why)
{
	return token_transfer_parse_id(token_sidechain_id(chain), id, required_auths,
	                               n_required_auths, n_required_posting_auths, json, json_len,
	                               precision, out, why);
}

enum kerr token_transfer_parse_id(const char *want_id, const char *id,
                                  const char *const *required_auths, size_t n_required_auths,
                                  size_t n_required_posting_auths, const char *json,
                                  size_t json_len, uint8_t precision, struct token_transfer *out,
                                  const char **why)
{
	json_t *root, *payload;
	json_error_t jerr;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (precision > TOKEN_PRECISION_MAX)
		return refuse(out, why, "token precision above 8", KERR_INVAL);
	if (!id || !want_id || strcmp(id, want_id) != 0)
		return refuse(out, why, "the custom_json id is not this chain's sidechain",
		              KERR_INVAL);
	if (n_required_posting_auths != 0)
		return refuse(out, why, "a token transfer must not have posting auths", KERR_INVAL);
	if (n_required_auths != 1)
		return refuse(out, why, "a token transfer needs exactly one required_auth (active)",
		              KERR_INVAL);
	if (!token_account_valid(required_auths[0]))
		return refuse(out, why, "the sender is not a valid account name", KERR_INVAL);
	if (!json)
		return refuse(out, why, "the custom_json has no json", KERR_PARSE);
	if (json_len > TOKEN_JSON_MAX)
		return refuse(out, why, "the custom_json's json is longer than 8192 bytes",
		              KERR_TOO_BIG);
	/* Without JSON_ALLOW_NUL a \u0000 is refused: no string hides a tail. */
	root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root)
		return refuse(out, why,
		              "the custom_json's json is not valid JSON (or repeats a key)",
		              KERR_PARSE);
	if (json_is_array(root)) {
		err = refuse(out, why, "the kiosk takes one sidechain action per operation",
		             KERR_INVAL);
		goto out;
	}
	if (!json_is_object(root)) {
		err = refuse(out, why, "the custom_json's json is not an object", KERR_PARSE);
		goto out;
	}
	if (!member_is(root, "contractName", "tokens") ||
	    !member_is(root, "contractAction", "transfer")) {
		err = refuse(out, why, "not a tokens transfer (contractName, contractAction)",
		             KERR_INVAL);
		goto out;
	}
	payload = json_object_get(root, "contractPayload");
	if (!json_is_object(payload)) {
		err =
		    refuse(out, why, "the contractPayload is missing or not an object", KERR_PARSE);
		goto out;
	}
	err = parse_payload(payload, precision, out, why);
	if (err) {
		memset(out, 0, sizeof(*out));
		goto out;
	}
	if (strcmp(out->to, required_auths[0]) == 0) {
		/* tokens.js: "cannot transfer to self"; it would fail on the sidechain. */
		err = refuse(out, why, "the sender and the receiver are the same account",
		             KERR_INVAL);
		goto out;
	}
	strcpy(out->from, required_auths[0]);
out:
	json_decref(root);
	return err;
}

enum kerr token_transfer_parse_op(enum site_chain chain, const char *op_json, size_t len,
                                  uint8_t precision, struct token_transfer *out, const char **why)
{
	json_t *root, *auths, *posting, *id, *json;
	const char *from = NULL;
	json_error_t jerr;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (!op_json)
		return refuse(out, why, "no operation", KERR_PARSE);
	if (len > TOKEN_OP_MAX)
		return refuse(out, why, "the custom_json operation is too long", KERR_TOO_BIG);
	root = json_loadb(op_json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return refuse(out, why,
		              "the custom_json operation is not valid JSON (or repeats a key)",
		              KERR_PARSE);
	auths = json_object_get(root, "required_auths");
	posting = json_object_get(root, "required_posting_auths");
	id = json_object_get(root, "id");
	json = json_object_get(root, "json");
	if (!json_is_object(root) || !json_is_array(auths) || !json_is_array(posting) ||
	    !json_is_string(id) || !json_is_string(json)) {
		err = refuse(
		    out, why,
		    "not a custom_json body (required_auths, required_posting_auths, id, json)",
		    KERR_PARSE);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(auths); i++) {
		if (!json_is_string(json_array_get(auths, i))) {
			err = refuse(out, why, "a required_auth is not a string", KERR_PARSE);
			goto out;
		}
	}
	if (json_array_size(auths) > 0)
		from = json_string_value(json_array_get(auths, 0));
	err = token_transfer_parse(chain, json_string_value(id), &from, json_array_size(auths),
	                           json_array_size(posting), json_string_value(json),
	                           json_string_length(json), precision, out, why);
out:
	json_decref(root);
	return err;
}

enum kerr token_transfer_json(const struct token_transfer *t, char *out, size_t cap,
                              const char **why)
{
	char quantity[TOKEN_QUANTITY_MAX + 1];
	json_t *payload, *root;
	char *text;
	size_t n;

	if (cap)
		out[0] = '\0';
	if (why)
		*why = NULL;
	if (!token_symbol_valid(t->symbol))
		return why_err(why, "the token symbol is not 1..10 upper-case letters", KERR_INVAL);
	if (!token_account_valid(t->to))
		return why_err(why, "the receiving account is not a valid account name",
		               KERR_INVAL);
	if (t->quantity <= 0)
		return why_err(why, "the quantity must be above zero", KERR_INVAL);
	if (token_quantity_format(t->quantity, t->precision, quantity, sizeof(quantity)))
		return why_err(why, "token precision above 8", KERR_INVAL);
	if (strnlen(t->memo, sizeof(t->memo)) > TOKEN_MEMO_MAX)
		return why_err(why, "the memo is longer than 2047 bytes", KERR_INVAL);
	payload = json_pack("{s:s,s:s,s:s,s:s}", "symbol", t->symbol, "to", t->to, "quantity",
	                    quantity, "memo", t->memo);
	if (!payload)
		return why_err(why, "the memo is not valid UTF-8", KERR_INVAL);
	root = json_pack("{s:s,s:s,s:o}", "contractName", "tokens", "contractAction", "transfer",
	                 "contractPayload", payload);
	if (!root)
		return KERR_NOMEM;
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return KERR_NOMEM;
	n = strlen(text);
	if (n >= cap) {
		free(text);
		return why_err(why, "the token transfer's json is longer than the space given",
		               KERR_TOO_BIG);
	}
	memcpy(out, text, n + 1);
	free(text);
	return KERR_OK;
}
