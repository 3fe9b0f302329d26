/*
 * Operation bodies written from JSON by walking their schema (ops_table.c).
 * Sets and maps are written sorted and unique, as the chain's flat_set /
 * flat_map hold them; fixed_string names compare as plain bytes.
 */
#include "kiosk/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/base58.h"
#include "kiosk/civil.h"
#include "kiosk/hash.h"
#include "kiosk/hex.h"

#include "ops_schema.h"

void ops_put(struct ops_buf *w, const void *p, size_t n)
{
	if (w->over || n > w->cap - w->len) {
		w->over = true;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

void ops_put_le(struct ops_buf *w, uint64_t v, unsigned n)
{
	uint8_t b[8];

	for (unsigned i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	ops_put(w, b, n);
}

void ops_put_varint(struct ops_buf *w, uint64_t v)
{
	do {
		uint8_t b = v & 0x7f;

		v >>= 7;
		if (v)
			b |= 0x80;
		ops_put(w, &b, 1);
	} while (v);
}

static enum kerr fail(const char **why, const char *reason, enum kerr err)
{
	*why = reason;
	return err;
}

enum kerr ops_parse_asset(const void *json, const struct chain_profile *p, struct asset *out,
                          const char **why)
{
	const json_t *j = json, *amount, *prec, *nai;
	const struct chain_asset_info *info;
	const char *digits_s;
	uint64_t v = 0;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (json_is_string(j)) {
		if (asset_parse_n(json_string_value(j), json_string_length(j), out, why))
			return KERR_PARSE;
		info = chain_asset_by_symbol(p, out->symbol);
		if (!info || info->precision != out->precision)
			return fail(why, "asset symbol is not one of this chain's", KERR_PARSE);
		return KERR_OK;
	}
	if (json_is_object(j)) {
		amount = json_object_get(j, "amount");
		prec = json_object_get(j, "precision");
		nai = json_object_get(j, "nai");
	} else if (json_is_array(j) && json_array_size(j) == 3) {
		amount = json_array_get(j, 0);
		prec = json_array_get(j, 1);
		nai = json_array_get(j, 2);
	} else {
		return fail(why, "asset must be a string, a NAI object or a NAI array", KERR_PARSE);
	}
	if (!json_is_string(amount) || !json_is_integer(prec) || !json_is_string(nai))
		return fail(why,
		            "NAI asset needs amount (string), precision (number), nai (string)",
		            KERR_PARSE);
	info = chain_asset_by_nai(p, json_string_value(nai));
	if (!info || json_integer_value(prec) != info->precision)
		return fail(why, "NAI or precision is not one of this chain's assets", KERR_PARSE);
	digits_s = json_string_value(amount);
	n = json_string_length(amount);
	if (n == 0 || n > 19 || (n > 1 && digits_s[0] == '0'))
		return fail(why, "NAI amount must be a plain non-negative integer", KERR_PARSE);
	for (size_t i = 0; i < n; i++) {
		if (digits_s[i] < '0' || digits_s[i] > '9')
			return fail(why, "NAI amount must be a plain non-negative integer",
			            KERR_PARSE);
		v = v * 10 + (uint64_t)(digits_s[i] - '0');
	}
	if (v > INT64_MAX)
		return fail(why, "NAI amount too large", KERR_PARSE);
	out->amount = (int64_t)v;
	out->precision = info->precision;
	snprintf(out->symbol, sizeof(out->symbol), "%s", info->symbol);
	return KERR_OK;
}

/* Legacy: amount, precision byte, 7 symbol bytes; Hive HF26: amount, asset number. */
static enum kerr put_asset(struct ops_buf *w, const json_t *j, const struct chain_profile *p,
                           enum tx_form form, const char **why)
{
	const struct chain_asset_info *info;
	struct asset a;
	uint8_t sym[ASSET_LEGACY_SYMBOL_MAX] = {0};

	if (ops_parse_asset(j, p, &a, why))
		return KERR_PARSE;
	if (a.amount < 0)
		return fail(why, "negative amount", KERR_PARSE);
	info = chain_asset_by_symbol(p, a.symbol);
	if (!info)
		return fail(why, "asset symbol is not one of this chain's", KERR_PARSE);
	ops_put_le(w, (uint64_t)a.amount, 8);
	if (form == TX_FORM_HF26) {
		ops_put_le(w, info->hf26_asset_num, 4);
		return KERR_OK;
	}
	ops_put_le(w, a.precision, 1);
	memcpy(sym, info->legacy_symbol, strlen(info->legacy_symbol));
	ops_put(w, sym, sizeof(sym));
	return KERR_OK;
}

/* A public key's 33 bytes: checksum checked, not the point (the null key is valid here). */
static enum kerr parse_key(const json_t *j, const struct chain_profile *p, uint8_t out[33],
                           const char **why)
{
	size_t plen = strlen(p->key_prefix), n;
	uint8_t raw[33 + 4 + 8], sum[HASH_RIPEMD160_LEN];
	const char *s = json_string_value(j);

	if (!s || json_string_length(j) <= plen || json_string_length(j) > 64 ||
	    strncmp(s, p->key_prefix, plen) != 0)
		return fail(why, "a public key is not a string with the chain's prefix",
		            KERR_PARSE);
	if (base58_decode(s + plen, json_string_length(j) - plen, raw, sizeof(raw), &n) ||
	    n != 33 + 4)
		return fail(why, "a public key is not 37 base58 bytes", KERR_PARSE);
	hash_ripemd160(raw, 33, sum);
	if (memcmp(sum, raw + 33, 4) != 0)
		return fail(why, "a public key's checksum does not match", KERR_PARSE);
	memcpy(out, raw, 33);
	return KERR_OK;
}

static enum kerr parse_uint(const json_t *j, uint64_t max, uint64_t *out, const char **why)
{
	if (json_is_integer(j)) {
		if (json_integer_value(j) < 0 || (uint64_t)json_integer_value(j) > max)
			return fail(why, "a number field is out of range", KERR_PARSE);
		*out = (uint64_t)json_integer_value(j);
		return KERR_OK;
	}
	/* 64-bit numbers arrive as decimal strings (JSON numbers lose precision) */
	if (json_is_string(j) && json_string_length(j) > 0 && json_string_length(j) <= 20) {
		const char *s = json_string_value(j);
		uint64_t v = 0;

		for (size_t i = 0; i < json_string_length(j); i++) {
			if (s[i] < '0' || s[i] > '9')
				return fail(why, "a number field is not a plain integer",
				            KERR_PARSE);
			if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
				return fail(why, "a number field is out of range", KERR_PARSE);
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		if (v > max)
			return fail(why, "a number field is out of range", KERR_PARSE);
		*out = v;
		return KERR_OK;
	}
	return fail(why, "a number field is not an integer", KERR_PARSE);
}

static enum kerr parse_int(const json_t *j, int64_t min, int64_t max, int64_t *out,
                           const char **why)
{
	uint64_t u;

	if (json_is_integer(j)) {
		if (json_integer_value(j) < min || json_integer_value(j) > max)
			return fail(why, "a number field is out of range", KERR_PARSE);
		*out = json_integer_value(j);
		return KERR_OK;
	}
	if (json_is_string(j) && json_string_length(j) > 1 && json_string_value(j)[0] == '-') {
		json_t *pos = json_stringn(json_string_value(j) + 1, json_string_length(j) - 1);
		enum kerr err =
		    pos ? parse_uint(pos, (uint64_t)INT64_MAX + 1, &u, why) : KERR_NOMEM;

		json_decref(pos);
		if (err)
			return err;
		if (-(int64_t)(u - 1) - 1 < min)
			return fail(why, "a number field is out of range", KERR_PARSE);
		*out = -(int64_t)(u - 1) - 1;
		return KERR_OK;
	}
	if (parse_uint(j, (uint64_t)INT64_MAX, &u, why))
		return KERR_PARSE;
	if ((int64_t)u > max)
		return fail(why, "a number field is out of range", KERR_PARSE);
	*out = (int64_t)u;
	return KERR_OK;
}

static enum kerr put_string(struct ops_buf *w, const json_t *j, size_t max, bool account,
                            const char **why)
{
	size_t n;

	if (!json_is_string(j))
		return fail(why, "a string field is not a string", KERR_PARSE);
	n = json_string_length(j);
	if (n > max)
		return fail(why, "a string field is longer than the chain allows", KERR_PARSE);
	if (account && strlen(json_string_value(j)) != n)
		return fail(why, "an account name holds a NUL byte", KERR_PARSE);
	ops_put_varint(w, n);
	ops_put(w, json_string_value(j), n);
	return KERR_OK;
}

static enum kerr put_hex(struct ops_buf *w, const json_t *j, size_t fixed, bool prefixed,
                         const char **why)
{
	size_t n = json_string_length(j) / 2;
	uint8_t *b;
	enum kerr err;

	if (!json_is_string(j) || json_string_length(j) % 2 || (fixed && n != fixed) ||
	    n > TX_MAX_BYTES)
		return fail(why, "a binary field is not hex of the right length", KERR_PARSE);
	b = malloc(n ? n : 1);
	if (!b)
		return KERR_NOMEM;
	err = hex_decode(json_string_value(j), 2 * n, b, n, NULL);
	if (err == KERR_OK) {
		if (prefixed)
			ops_put_varint(w, n);
		ops_put(w, b, n);
	}
	free(b);
	return err ? fail(why, "a binary field is not hex", KERR_PARSE) : KERR_OK;
}

/* Entries sorted as the chain's flat containers hold them. */
struct entry {
	const json_t *j;
	const char *s; /* name or map key */
	size_t len;
	uint8_t key[33];
	int64_t num;
};

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int cmp_str(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return cmp_bytes(a->s, a->len, b->s, b->len);
}

static int cmp_key(const void *x, const void *y)
{
	return memcmp(((const struct entry *)x)->key, ((const struct entry *)y)->key, 33);
}

static int cmp_num(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return (a->num > b->num) - (a->num < b->num);
}

static enum kerr check_count(const json_t *j, const char **why)
{
	if (!json_is_array(j))
		return fail(why, "a set or list is not an array", KERR_PARSE);
	if (json_array_size(j) > OPS_SET_MAX)
		return fail(why, "a set holds more entries than the kiosk orders", KERR_NOTSUP);
	return KERR_OK;
}

static enum kerr put_account_set(struct ops_buf *w, const json_t *j, const char **why)
{
	struct entry e[OPS_SET_MAX];
	size_t n = 0;
	enum kerr err = check_count(j, why);

	if (err)
		return err;
	for (size_t i = 0; i < json_array_size(j); i++) {
		const json_t *v = json_array_get(j, i);

		if (!json_is_string(v) || json_string_length(v) > ACCT ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return fail(why, "an account set holds something not a name", KERR_PARSE);
		e[n++] =
		    (struct entry){.j = v, .s = json_string_value(v), .len = json_string_length(v)};
	}
	/* fixed_string compares as zero-padded big-endian bytes: plain byte order */
	qsort(e, n, sizeof(e[0]), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (cmp_str(&e[i - 1], &e[i]) == 0)
			return fail(why, "an account set names an account twice", KERR_PARSE);
	ops_put_varint(w, n);
	for (size_t i = 0; i < n; i++)
		err = put_string(w, e[i].j, ACCT, true, why);
	return err;
}

static enum kerr put_i64_set(struct ops_buf *w, const json_t *j, const char **why)
{
	struct entry e[OPS_SET_MAX];
	size_t n = json_array_size(j);
	enum kerr err = check_count(j, why);

	for (size_t i = 0; !err && i < n; i++)
		err = parse_int(json_array_get(j, i), INT64_MIN, INT64_MAX, &e[i].num, why);
	if (err)
		return err;
	qsort(e, n, sizeof(e[0]), cmp_num);
	for (size_t i = 1; i < n; i++)
		if (e[i - 1].num == e[i].num)
			return fail(why, "a number set repeats a number", KERR_PARSE);
	ops_put_varint(w, n);
	for (size_t i = 0; i < n; i++)
		ops_put_le(w, (uint64_t)e[i].num, 8);
	return KERR_OK;
}

/* authority: weight_threshold, account_auths (by name), key_auths (by key bytes). */
static enum kerr put_authority(struct ops_buf *w, const json_t *j, const struct chain_profile *p,
                               const char **why)
{
	struct entry acc[OPS_SET_MAX], key[OPS_SET_MAX];
	const json_t *accts = json_object_get(j, "account_auths"),
	             *keys = json_object_get(j, "key_auths");
	uint64_t thr, wt;
	size_t na, nk;
	enum kerr err;

	if (!json_is_object(j) ||
	    parse_uint(json_object_get(j, "weight_threshold"), UINT32_MAX, &thr, why))
		return fail(why, "an authority has no weight_threshold", KERR_PARSE);
	if ((err = check_count(accts, why)) || (err = check_count(keys, why)))
		return err;
	na = json_array_size(accts);
	nk = json_array_size(keys);
	for (size_t i = 0; i < na; i++) {
		const json_t *pair = json_array_get(accts, i), *name = json_array_get(pair, 0);

		if (json_array_size(pair) != 2 || !json_is_string(name) ||
		    json_string_length(name) > ACCT ||
		    strlen(json_string_value(name)) != json_string_length(name) ||
		    parse_uint(json_array_get(pair, 1), UINT16_MAX, &wt, why))
			return fail(why, "an account_auths entry is not [name, weight]",
			            KERR_PARSE);
		acc[i] = (struct entry){.j = name,
		                        .s = json_string_value(name),
		                        .len = json_string_length(name),
		                        .num = (int64_t)wt};
	}
	for (size_t i = 0; i < nk; i++) {
		const json_t *pair = json_array_get(keys, i);

		if (json_array_size(pair) != 2 ||
		    parse_uint(json_array_get(pair, 1), UINT16_MAX, &wt, why))
			return fail(why, "a key_auths entry is not [key, weight]", KERR_PARSE);
		if ((err = parse_key(json_array_get(pair, 0), p, key[i].key, why)))
			return err;
		key[i].num = (int64_t)wt;
	}
	qsort(acc, na, sizeof(acc[0]), cmp_str);
	qsort(key, nk, sizeof(key[0]), cmp_key);
	for (size_t i = 1; i < na; i++)
		if (cmp_str(&acc[i - 1], &acc[i]) == 0)
			return fail(why, "an authority names an account twice", KERR_PARSE);
	for (size_t i = 1; i < nk; i++)
		if (cmp_key(&key[i - 1], &key[i]) == 0)
			return fail(why, "an authority lists a key twice", KERR_PARSE);
	ops_put_le(w, thr, 4);
	ops_put_varint(w, na);
	for (size_t i = 0; i < na; i++) {
		ops_put_varint(w, acc[i].len);
		ops_put(w, acc[i].s, acc[i].len);
		ops_put_le(w, (uint64_t)acc[i].num, 2);
	}
	ops_put_varint(w, nk);
	for (size_t i = 0; i < nk; i++) {
		ops_put(w, key[i].key, 33);
		ops_put_le(w, (uint64_t)key[i].num, 2);
	}
	return KERR_OK;
}

/* witness_set_properties: [[name, hex], ...], written by name. */
static enum kerr put_props(struct ops_buf *w, const json_t *j, const char **why)
{
	struct entry e[OPS_SET_MAX];
	size_t n = json_array_size(j);
	enum kerr err = check_count(j, why);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		const json_t *pair = json_array_get(j, i), *k = json_array_get(pair, 0);

		if (json_array_size(pair) != 2 || !json_is_string(k) ||
		    !json_is_string(json_array_get(pair, 1)))
			return fail(why, "a witness property is not [name, hex]", KERR_PARSE);
		e[i] = (struct entry){.j = json_array_get(pair, 1),
		                      .s = json_string_value(k),
		                      .len = json_string_length(k)};
	}
	qsort(e, n, sizeof(e[0]), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (cmp_str(&e[i - 1], &e[i]) == 0)
			return fail(why, "a witness property is named twice", KERR_PARSE);
	ops_put_varint(w, n);
	for (size_t i = 0; !err && i < n; i++) {
		ops_put_varint(w, e[i].len);
		ops_put(w, e[i].s, e[i].len);
		err = put_hex(w, e[i].j, 0, true, why);
	}
	return err;
}

static enum kerr put_value(struct ops_buf *w, const struct field *f, const json_t *j,
                           const struct chain_profile *p, enum tx_form form, const char **why,
                           unsigned depth);

static enum kerr put_fields(struct ops_buf *w, const struct field *f, const json_t *obj,
                            const struct chain_profile *p, enum tx_form form, const char **why,
                            unsigned depth)
{
	if (!json_is_object(obj))
		return fail(why, "an operation or structure is not an object", KERR_PARSE);
	for (; f->type != T_END; f++) {
		const json_t *v = json_object_get(obj, f->name);
		enum kerr err;

		if (!v && f->alt)
			v = json_object_get(obj, f->alt);
		if (!v && f->type != T_OPT)
			return fail(why, "an operation field is missing", KERR_PARSE);
		err = put_value(w, f, v, p, form, why, depth);
		if (err)
			return err;
	}
	return KERR_OK;
}

/* A static_variant: [index, value], [name, value] or {type, value}; returns the alternative. */
static enum kerr variant_of(const struct field *alts, const json_t *j, size_t *index,
                            const json_t **value, const char **why)
{
	const json_t *tag;
	size_t n = 0;

	while (alts[n].type != T_END)
		n++;
	if (json_is_array(j) && json_array_size(j) == 2) {
		tag = json_array_get(j, 0);
		*value = json_array_get(j, 1);
	} else if (json_is_object(j)) {
		tag = json_object_get(j, "type");
		*value = json_object_get(j, "value");
	} else {
		return fail(why, "a variant is neither [type, value] nor {type, value}",
		            KERR_PARSE);
	}
	if (json_is_integer(tag) && json_integer_value(tag) >= 0 &&
	    (size_t)json_integer_value(tag) < n) {
		*index = (size_t)json_integer_value(tag);
		return KERR_OK;
	}
	for (size_t i = 0; json_is_string(tag) && i < n; i++) {
		if (strcmp(json_string_value(tag), alts[i].name) == 0) {
			*index = i;
			return KERR_OK;
		}
	}
	return fail(why, "an extension or variant type the kiosk cannot serialize", KERR_NOTSUP);
}

static enum kerr put_variant(struct ops_buf *w, const struct field *alts, const json_t *j,
                             const struct chain_profile *p, enum tx_form form, const char **why,
                             unsigned depth)
{
	const json_t *value;
	size_t i;
	enum kerr err = variant_of(alts, j, &i, &value, why);

	if (err)
		return err;
	ops_put_varint(w, i);
	if (alts[i].type == T_VOID)
		return KERR_OK;
	return put_fields(w, alts[i].sub, value, p, form, why, depth + 1);
}

/* flat_set<static_variant>: ordered by type index, one of each. */
static enum kerr put_variant_set(struct ops_buf *w, const struct field *alts, const json_t *j,
                                 const struct chain_profile *p, enum tx_form form, const char **why,
                                 unsigned depth)
{
	struct entry e[OPS_SET_MAX];
	size_t n = json_array_size(j), idx;
	const json_t *value;
	enum kerr err = check_count(j, why);

	for (size_t i = 0; !err && i < n; i++) {
		err = variant_of(alts, json_array_get(j, i), &idx, &value, why);
		e[i] = (struct entry){.j = json_array_get(j, i), .num = (int64_t)idx};
	}
	if (err)
		return err;
	qsort(e, n, sizeof(e[0]), cmp_num);
	for (size_t i = 1; i < n; i++)
		if (e[i - 1].num == e[i].num)
			return fail(why, "an extension set repeats a type: cannot order it",
			            KERR_NOTSUP);
	ops_put_varint(w, n);
	for (size_t i = 0; !err && i < n; i++)
		err = put_variant(w, alts, e[i].j, p, form, why, depth);
	return err;
}

static enum kerr put_value(struct ops_buf *w, const struct field *f, const json_t *j,
                           const struct chain_profile *p, enum tx_form form, const char **why,
                           unsigned depth)
{
	uint64_t u;
	int64_t s;
	uint8_t key[33];
	enum kerr err;

	if (depth > 8)
		return fail(why, "operation nested too deep", KERR_PARSE);
	switch (f->type) {
	case T_STR:
	case T_ACCT:
		return put_string(w, j, f->max, f->type == T_ACCT, why);
	case T_BOOL:
		if (!json_is_boolean(j))
			return fail(why, "a flag is not true or false", KERR_PARSE);
		ops_put_le(w, json_is_true(j), 1);
		return KERR_OK;
	case T_U8:
	case T_U16:
	case T_U32:
	case T_U64: {
		unsigned bytes = f->type == T_U8    ? 1
		                 : f->type == T_U16 ? 2
		                 : f->type == T_U32 ? 4
		                                    : 8;

		if (parse_uint(j, bytes == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * bytes)) - 1, &u,
		               why))
			return KERR_PARSE;
		ops_put_le(w, u, bytes);
		return KERR_OK;
	}
	case T_I16:
	case T_I64:
		if (parse_int(j, f->type == T_I16 ? INT16_MIN : INT64_MIN,
		              f->type == T_I16 ? INT16_MAX : INT64_MAX, &s, why))
			return KERR_PARSE;
		ops_put_le(w, (uint64_t)s, f->type == T_I16 ? 2 : 8);
		return KERR_OK;
	case T_ASSET:
		return put_asset(w, j, p, form, why);
	case T_TIME:
		/* time_point_sec is uint32: up to 2106 (limit orders default to the maximum) */
		if (!json_is_string(j) ||
		    !civil_parse_utc(json_string_value(j), json_string_length(j), &s) || s < 0 ||
		    s > (int64_t)UINT32_MAX)
			return fail(why, "a time is not like 2019-09-27T22:59:06", KERR_PARSE);
		ops_put_le(w, (uint64_t)s, 4);
		return KERR_OK;
	case T_KEY:
		if ((err = parse_key(j, p, key, why)))
			return err;
		ops_put(w, key, sizeof(key));
		return KERR_OK;
	case T_AUTH:
		return put_authority(w, j, p, why);
	case T_BYTES:
		return put_hex(w, j, 0, true, why);
	case T_FIXED:
		return put_hex(w, j, f->max, false, why);
	case T_ACCT_SET:
		return put_account_set(w, j, why);
	case T_I64_SET:
		return put_i64_set(w, j, why);
	case T_PROPS:
		return put_props(w, j, why);
	case T_STRUCT:
		return put_fields(w, f->sub, j, p, form, why, depth + 1);
	case T_OPT:
		if (!j || json_is_null(j)) {
			ops_put_le(w, 0, 1);
			return KERR_OK;
		}
		ops_put_le(w, 1, 1);
		return put_value(w, f->sub, j, p, form, why, depth + 1);
	case T_VEC:
		if (!json_is_array(j) || json_array_size(j) > TX_MAX_BYTES)
			return fail(why, "a list is not an array", KERR_PARSE);
		ops_put_varint(w, json_array_size(j));
		for (size_t i = 0; i < json_array_size(j); i++)
			if ((err = put_value(w, f->sub, json_array_get(j, i), p, form, why,
			                     depth + 1)))
				return err;
		return KERR_OK;
	case T_VARIANT:
		return put_variant(w, f->sub, j, p, form, why, depth);
	case T_VSET:
		return put_variant_set(w, f->sub, j, p, form, why, depth);
	case T_VOID:
	case T_END:
		break;
	}
	return fail(why, "a field type the kiosk cannot serialize", KERR_NOTSUP);
}

enum kerr ops_write(const struct op_def *d, const void *body, const struct chain_profile *p,
                    enum tx_form form, struct ops_buf *w, const char **why)
{
	enum kerr err;

	ops_put_varint(w, ops_id(d, p));
	err = put_fields(w, d->f, body, p, form, why, 0);
	if (err == KERR_OK && w->over)
		return fail(why, "transaction larger than the chain allows", KERR_TOO_BIG);
	return err;
}

enum kerr ops_write_extensions(const void *json_array, struct ops_buf *w, const char **why)
{
	const json_t *j = json_array;

	if (!j) {
		ops_put_varint(w, 0);
		return KERR_OK;
	}
	if (!json_is_array(j))
		return fail(why, "transaction extensions are not an array", KERR_PARSE);
	for (size_t i = 0; i < json_array_size(j); i++)
		if (!json_is_array(json_array_get(j, i)) && !json_is_object(json_array_get(j, i)))
			return fail(why, "cannot serialize transaction extensions", KERR_NOTSUP);
	return put_variant_set(w, ops_future_extensions, j, NULL, TX_FORM_LEGACY, why, 0);
}
