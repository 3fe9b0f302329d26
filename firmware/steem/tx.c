/*
 * Transactions as a schema per operation: each operation type lists its
 * fields in the chain's declaration order with their types; parsing and
 * serializing both walk the same table, so they cannot disagree.
 */
#include "kiosk/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/civil.h"
#include "kiosk/hash.h"
#include "kiosk/hex.h"

#define ACCOUNT_MAX 16
#define PERMLINK_MAX 256
#define CUSTOM_ID_MAX 32
#define FIELDS_MAX 7
#define SET_MAX 1   /* flat_set order for several names is not proven: fail closed */

enum ftype { F_ACCOUNT, F_STRING, F_ASSET, F_I16, F_U32, F_ACCOUNT_SET };

struct field_def {
	const char *name;
	enum ftype type;
	size_t max;                     /* strings: byte bound */
};

struct op_def {
	uint32_t id;
	const char *name;               /* condenser name; appbase adds "_operation" */
	unsigned nfields;
	struct field_def f[FIELDS_MAX];
	bool transfer;                  /* has from, to, amount, memo */
};

static const struct op_def ops[] = {
    {0, "vote", 4,
     {{"voter", F_ACCOUNT, ACCOUNT_MAX}, {"author", F_ACCOUNT, ACCOUNT_MAX},
      {"permlink", F_STRING, PERMLINK_MAX}, {"weight", F_I16, 0}}, false},
    {1, "comment", 7,
     {{"parent_author", F_STRING, ACCOUNT_MAX}, {"parent_permlink", F_STRING, PERMLINK_MAX},
      {"author", F_ACCOUNT, ACCOUNT_MAX}, {"permlink", F_STRING, PERMLINK_MAX},
      {"title", F_STRING, 256}, {"body", F_STRING, TX_MAX_BYTES},
      {"json_metadata", F_STRING, TX_MAX_BYTES}}, false},
    {2, "transfer", 4,
     {{"from", F_ACCOUNT, ACCOUNT_MAX}, {"to", F_ACCOUNT, ACCOUNT_MAX},
      {"amount", F_ASSET, 0}, {"memo", F_STRING, TX_MEMO_MAX}}, true},
    {3, "transfer_to_vesting", 3,
     {{"from", F_ACCOUNT, ACCOUNT_MAX}, {"to", F_STRING, ACCOUNT_MAX},
      {"amount", F_ASSET, 0}}, false},
    {18, "custom_json", 4,
     {{"required_auths", F_ACCOUNT_SET, ACCOUNT_MAX},
      {"required_posting_auths", F_ACCOUNT_SET, ACCOUNT_MAX},
      {"id", F_STRING, CUSTOM_ID_MAX}, {"json", F_STRING, TX_MAX_BYTES}}, false},
    {32, "transfer_to_savings", 4,
     {{"from", F_ACCOUNT, ACCOUNT_MAX}, {"to", F_ACCOUNT, ACCOUNT_MAX},
      {"amount", F_ASSET, 0}, {"memo", F_STRING, TX_MEMO_MAX}}, true},
    {33, "transfer_from_savings", 5,
     {{"from", F_ACCOUNT, ACCOUNT_MAX}, {"request_id", F_U32, 0},
      {"to", F_ACCOUNT, ACCOUNT_MAX}, {"amount", F_ASSET, 0},
      {"memo", F_STRING, TX_MEMO_MAX}}, true},
};

struct value {
	char *s;                        /* F_ACCOUNT, F_STRING; NUL-ended, may hold NULs */
	size_t len;
	struct asset asset;
	int64_t num;
	char *set[SET_MAX];
	size_t set_n;
};

struct op {
	const struct op_def *def;
	struct value v[FIELDS_MAX];
};

struct tx {
	const struct chain_profile *profile;
	uint16_t ref_block_num;
	uint32_t ref_block_prefix;
	int64_t expiration;
	int64_t block_time;             /* picks the chain id; INT64_MAX = now */
	size_t nops;
	struct op ops[TX_OPS_MAX];
	size_t nsigs;
	uint8_t sigs[TX_SIGS_MAX][SIG_LEN];
};

static void free_value(struct value *v)
{
	free(v->s);
	for (size_t i = 0; i < v->set_n; i++)
		free(v->set[i]);
	memset(v, 0, sizeof(*v));
}

void tx_free(struct tx *tx)
{
	if (!tx)
		return;
	for (size_t i = 0; i < tx->nops; i++)
		for (unsigned f = 0; f < tx->ops[i].def->nfields; f++)
			free_value(&tx->ops[i].v[f]);
	free(tx);
}

static const struct op_def *find_op(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t k = strlen(ops[i].name);

		if (n == k && memcmp(name, ops[i].name, k) == 0)
			return &ops[i];
		if (n == k + 10 && memcmp(name, ops[i].name, k) == 0 &&
		    strcmp(name + k, "_operation") == 0)
			return &ops[i];
	}
	return NULL;
}

/* Asset from "1.000 HIVE", {"amount","precision","nai"} or ["1000",3,"@@..."]. */
static enum kerr parse_asset(const json_t *j, const struct chain_profile *p, struct asset *out,
                             const char **why)
{
	const json_t *amount, *prec, *nai;
	const struct chain_asset_info *info;
	const char *digits_s;
	uint64_t v = 0;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (json_is_string(j)) {
		if (asset_parse_n(json_string_value(j), json_string_length(j), out, why))
			return KERR_PARSE;
		info = chain_asset_by_symbol(p, out->symbol);
		if (!info || info->precision != out->precision) {
			*why = "asset symbol is not one of this chain's";
			return KERR_PARSE;
		}
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
		*why = "asset must be a string, a NAI object or a NAI array";
		return KERR_PARSE;
	}
	if (!json_is_string(amount) || !json_is_integer(prec) || !json_is_string(nai)) {
		*why = "NAI asset needs amount (string), precision (number), nai (string)";
		return KERR_PARSE;
	}
	info = chain_asset_by_nai(p, json_string_value(nai));
	if (!info || json_integer_value(prec) != info->precision) {
		*why = "NAI or precision is not one of this chain's assets";
		return KERR_PARSE;
	}
	digits_s = json_string_value(amount);
	n = json_string_length(amount);
	if (n == 0 || n > 19 || (n > 1 && digits_s[0] == '0')) {
		*why = "NAI amount must be a plain non-negative integer";
		return KERR_PARSE;
	}
	for (size_t i = 0; i < n; i++) {
		if (digits_s[i] < '0' || digits_s[i] > '9') {
			*why = "NAI amount must be a plain non-negative integer";
			return KERR_PARSE;
		}
		v = v * 10 + (uint64_t)(digits_s[i] - '0');
	}
	if (v > INT64_MAX) {
		*why = "NAI amount too large";
		return KERR_PARSE;
	}
	out->amount = (int64_t)v;
	out->precision = info->precision;
	snprintf(out->symbol, sizeof(out->symbol), "%s", info->symbol);
	return KERR_OK;
}

static enum kerr parse_string(const json_t *j, size_t max, struct value *v, const char **why)
{
	size_t n;

	if (!json_is_string(j)) {
		*why = "a string field is not a string";
		return KERR_PARSE;
	}
	n = json_string_length(j);
	if (n > max) {
		*why = "a string field is longer than the chain allows";
		return KERR_PARSE;
	}
	v->s = malloc(n + 1);
	if (!v->s)
		return KERR_NOMEM;
	memcpy(v->s, json_string_value(j), n);
	v->s[n] = '\0';
	v->len = n;
	return KERR_OK;
}

static enum kerr parse_field(const json_t *obj, const struct field_def *fd,
                             const struct chain_profile *p, struct value *v, const char **why)
{
	const json_t *j = json_object_get(obj, fd->name);
	json_int_t n;

	if (!j) {
		*why = "an operation field is missing";
		return KERR_PARSE;
	}
	switch (fd->type) {
	case F_ACCOUNT:
	case F_STRING:
		return parse_string(j, fd->max, v, why);
	case F_ASSET:
		if (parse_asset(j, p, &v->asset, why))
			return KERR_PARSE;
		if (v->asset.amount < 0) {
			*why = "negative amount";
			return KERR_PARSE;
		}
		return KERR_OK;
	case F_I16:
	case F_U32:
		if (!json_is_integer(j)) {
			*why = "a number field is not an integer";
			return KERR_PARSE;
		}
		n = json_integer_value(j);
		if (fd->type == F_I16 ? (n < INT16_MIN || n > INT16_MAX) : (n < 0 || n > UINT32_MAX)) {
			*why = "a number field is out of range";
			return KERR_PARSE;
		}
		v->num = n;
		return KERR_OK;
	case F_ACCOUNT_SET: {
		const json_t *e;
		size_t i;

		if (!json_is_array(j)) {
			*why = "an account list is not an array";
			return KERR_PARSE;
		}
		if (json_array_size(j) > SET_MAX) {
			*why = "cannot serialize an account set of more than one name";
			return KERR_NOTSUP;
		}
		json_array_foreach(j, i, e) {
			struct value tmp = {0};
			enum kerr err = parse_string(e, fd->max, &tmp, why);

			if (err)
				return err;
			v->set[v->set_n++] = tmp.s;
		}
		return KERR_OK;
	}
	}
	return KERR_PARSE;
}

static enum kerr parse_op(const json_t *j, const struct chain_profile *p, struct op *op,
                          const char **why)
{
	const json_t *name, *body;
	enum kerr err;

	if (json_is_array(j) && json_array_size(j) == 2) {
		name = json_array_get(j, 0);
		body = json_array_get(j, 1);
	} else if (json_is_object(j)) {
		name = json_object_get(j, "type");
		body = json_object_get(j, "value");
	} else {
		*why = "an operation is neither [name, {...}] nor {type, value}";
		return KERR_PARSE;
	}
	if (!json_is_string(name) || !json_is_object(body) ||
	    strlen(json_string_value(name)) != json_string_length(name)) {
		*why = "an operation has no name or no body";
		return KERR_PARSE;
	}
	op->def = find_op(json_string_value(name));
	if (!op->def) {
		*why = "cannot serialize this operation type";
		return KERR_NOTSUP;
	}
	for (unsigned f = 0; f < op->def->nfields; f++) {
		err = parse_field(body, &op->def->f[f], p, &op->v[f], why);
		if (err)
			return err;
	}
	return KERR_OK;
}

enum kerr tx_from_json(const void *json_value, const struct chain_profile *profile,
                       struct tx **out, const char **why)
{
	const json_t *j = json_value, *rbn, *rbp, *exp, *opsj, *ext, *sigs, *e;
	const char *dummy;
	struct tx *tx;
	enum kerr err = KERR_PARSE;
	size_t i;

	*out = NULL;
	if (!why)
		why = &dummy;
	*why = NULL;
	if (!json_is_object(j)) {
		*why = "a transaction must be a JSON object";
		return KERR_PARSE;
	}
	rbn = json_object_get(j, "ref_block_num");
	rbp = json_object_get(j, "ref_block_prefix");
	exp = json_object_get(j, "expiration");
	opsj = json_object_get(j, "operations");
	ext = json_object_get(j, "extensions");
	sigs = json_object_get(j, "signatures");
	if (!json_is_integer(rbn) || json_integer_value(rbn) < 0 || json_integer_value(rbn) > 0xffff ||
	    !json_is_integer(rbp) || json_integer_value(rbp) < 0 ||
	    json_integer_value(rbp) > 0xffffffffLL) {
		*why = "ref_block_num / ref_block_prefix missing or out of range";
		return KERR_PARSE;
	}
	if (!json_is_array(opsj) || json_array_size(opsj) > TX_OPS_MAX) {
		*why = "operations missing or more than the kiosk handles";
		return KERR_PARSE;
	}
	if (ext && !(json_is_array(ext) && json_array_size(ext) == 0)) {
		*why = "cannot serialize transaction extensions";
		return json_is_array(ext) ? KERR_NOTSUP : KERR_PARSE;
	}
	if (sigs && (!json_is_array(sigs) || json_array_size(sigs) > TX_SIGS_MAX)) {
		*why = "signatures must be an array of at most 16";
		return KERR_PARSE;
	}
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return KERR_NOMEM;
	tx->profile = profile;
	tx->block_time = INT64_MAX;
	tx->ref_block_num = (uint16_t)json_integer_value(rbn);
	tx->ref_block_prefix = (uint32_t)json_integer_value(rbp);
	if (!json_is_string(exp) ||
	    !civil_parse_utc(json_string_value(exp), json_string_length(exp), &tx->expiration)) {
		*why = "expiration is not a time like 2019-09-27T22:59:06";
		goto err_tx;
	}
	/* The chain's JSON times end at INT32_MAX; the binary form is uint32. */
	if (tx->expiration < 0 || tx->expiration > INT32_MAX) {
		*why = "expiration after 2038-01-19T03:14:07 (or before 1970)";
		goto err_tx;
	}
	json_array_foreach(opsj, i, e) {
		err = parse_op(e, profile, &tx->ops[i], why);
		tx->nops = i + (tx->ops[i].def ? 1 : 0);
		if (err)
			goto err_tx;
	}
	tx->nops = json_array_size(opsj);
	err = KERR_PARSE;
	json_array_foreach(sigs, i, e) {
		const char *h = json_string_value(e);

		if (!h || json_string_length(e) != 2 * SIG_LEN) {
			*why = "a signature is not 130 hex digits";
			goto err_tx;
		}
		if (hex_decode(h, 2 * SIG_LEN, tx->sigs[i], SIG_LEN, NULL)) {
			*why = "a signature is not hex";
			goto err_tx;
		}
		tx->nsigs = i + 1;
	}
	*out = tx;
	return KERR_OK;

err_tx:
	tx_free(tx);
	return err;
}

enum kerr tx_parse_json(const char *text, size_t len, const struct chain_profile *profile,
                        struct tx **out, const char **why)
{
	json_error_t jerr;
	json_t *j;
	enum kerr err;

	*out = NULL;
	if (why)
		*why = NULL;
	if (len > TX_JSON_MAX) {
		if (why)
			*why = "transaction JSON larger than 256 KiB";
		return KERR_TOO_BIG;
	}
	j = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		if (why)
			*why = "not valid JSON";
		return KERR_PARSE;
	}
	err = tx_from_json(j, profile, out, why);
	json_decref(j);
	return err;
}

/* A growing byte buffer with a hard cap. */
struct wbuf {
	uint8_t *b;
	size_t cap, len;
	bool over;
};

static void put(struct wbuf *w, const void *p, size_t n)
{
	if (w->over || n > w->cap - w->len) {
		w->over = true;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void put_le(struct wbuf *w, uint64_t v, unsigned n)
{
	uint8_t b[8];

	for (unsigned i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(w, b, n);
}

static void put_varint(struct wbuf *w, uint64_t v)
{
	do {
		uint8_t b = v & 0x7f;

		v >>= 7;
		if (v)
			b |= 0x80;
		put(w, &b, 1);
	} while (v);
}

static void put_str(struct wbuf *w, const char *s, size_t n)
{
	put_varint(w, n);
	put(w, s, n);
}

static enum kerr put_asset(struct wbuf *w, const struct chain_profile *p, const struct asset *a,
                           enum tx_form form)
{
	const struct chain_asset_info *info = chain_asset_by_symbol(p, a->symbol);
	uint8_t sym[7] = {0};

	if (!info)
		return KERR_INVAL;
	put_le(w, (uint64_t)a->amount, 8);
	if (form == TX_FORM_HF26) {
		put_le(w, info->hf26_asset_num, 4);
		return KERR_OK;
	}
	put_le(w, a->precision, 1);
	memcpy(sym, info->legacy_symbol, strlen(info->legacy_symbol));
	put(w, sym, sizeof(sym));
	return KERR_OK;
}

enum kerr tx_serialize(const struct tx *tx, enum tx_form form, uint8_t *buf, size_t cap,
                       size_t *len)
{
	struct wbuf w = {buf, cap < TX_MAX_BYTES ? cap : TX_MAX_BYTES, 0, false};

	*len = 0;
	if (form == TX_FORM_HF26 && !tx->profile->has_hf26_form)
		return KERR_NOTSUP;
	put_le(&w, tx->ref_block_num, 2);
	put_le(&w, tx->ref_block_prefix, 4);
	put_le(&w, (uint64_t)tx->expiration, 4);
	put_varint(&w, tx->nops);
	for (size_t i = 0; i < tx->nops; i++) {
		const struct op *op = &tx->ops[i];

		put_varint(&w, op->def->id);
		for (unsigned f = 0; f < op->def->nfields; f++) {
			const struct value *v = &op->v[f];

			switch (op->def->f[f].type) {
			case F_ACCOUNT:
			case F_STRING:
				put_str(&w, v->s, v->len);
				break;
			case F_ASSET:
				if (put_asset(&w, tx->profile, &v->asset, form))
					return KERR_INVAL;
				break;
			case F_I16:
				put_le(&w, (uint64_t)(uint16_t)(int16_t)v->num, 2);
				break;
			case F_U32:
				put_le(&w, (uint64_t)v->num, 4);
				break;
			case F_ACCOUNT_SET:
				put_varint(&w, v->set_n);
				for (size_t k = 0; k < v->set_n; k++)
					put_str(&w, v->set[k], strlen(v->set[k]));
				break;
			}
		}
	}
	put_varint(&w, 0); /* extensions */
	if (w.over)
		return KERR_TOO_BIG;
	*len = w.len;
	return KERR_OK;
}

static enum kerr serialize_alloc(const struct tx *tx, enum tx_form form, uint8_t **buf,
                                 size_t *len)
{
	enum kerr err;

	*buf = malloc(TX_MAX_BYTES);
	if (!*buf)
		return KERR_NOMEM;
	err = tx_serialize(tx, form, *buf, TX_MAX_BYTES, len);
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}

enum kerr tx_id(const struct tx *tx, enum tx_form form, uint8_t out[TX_ID_LEN])
{
	uint8_t *buf, h[HASH_SHA256_LEN];
	size_t len;
	enum kerr err = serialize_alloc(tx, form, &buf, &len);

	memset(out, 0, TX_ID_LEN);
	if (err)
		return err;
	hash_sha256(buf, len, h);
	memcpy(out, h, TX_ID_LEN);
	free(buf);
	return KERR_OK;
}

enum kerr tx_digest(const struct tx *tx, enum tx_form form, uint8_t out[SIG_DIGEST_LEN])
{
	uint8_t *buf, chain_id[CHAIN_ID_LEN];
	size_t len;
	enum kerr err = serialize_alloc(tx, form, &buf, &len);

	memset(out, 0, SIG_DIGEST_LEN);
	if (err)
		return err;
	chain_id_at(tx->profile, tx->block_time, chain_id);
	hash_sha256_2(chain_id, sizeof(chain_id), buf, len, out);
	free(buf);
	return KERR_OK;
}

void tx_set_block_time(struct tx *tx, int64_t unix_time)
{
	tx->block_time = unix_time;
}

unsigned tx_form_count(const struct tx *tx)
{
	return tx->profile->has_hf26_form ? 2 : 1;
}

size_t tx_op_count(const struct tx *tx)
{
	return tx->nops;
}

int64_t tx_expiration(const struct tx *tx)
{
	return tx->expiration;
}

size_t tx_signature_count(const struct tx *tx)
{
	return tx->nsigs;
}

enum kerr tx_transfer_at(const struct tx *tx, size_t i, struct tx_transfer *out)
{
	const struct op *op;
	const struct value *amount = NULL, *memo = NULL, *from = NULL, *to = NULL;

	memset(out, 0, sizeof(*out));
	if (i >= tx->nops || !tx->ops[i].def->transfer)
		return KERR_INVAL;
	op = &tx->ops[i];
	for (unsigned f = 0; f < op->def->nfields; f++) {
		const char *n = op->def->f[f].name;

		if (strcmp(n, "from") == 0)
			from = &op->v[f];
		else if (strcmp(n, "to") == 0)
			to = &op->v[f];
		else if (strcmp(n, "amount") == 0)
			amount = &op->v[f];
		else if (strcmp(n, "memo") == 0)
			memo = &op->v[f];
	}
	out->op = op->def->name;
	out->from = from->s;
	out->to = to->s;
	out->amount = amount->asset;
	out->memo = memo->s;
	out->memo_len = memo->len;
	return KERR_OK;
}

enum kerr tx_verify(const struct tx *tx, struct tx_verify_result *out)
{
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (tx->nsigs == 0)
		return KERR_INVAL;
	out->count = tx->nsigs;
	out->nforms = tx_form_count(tx);
	for (unsigned f = 0; f < out->nforms; f++) {
		struct tx_verify_form *r = &out->form[f];
		uint8_t digest[SIG_DIGEST_LEN];

		r->err = tx_digest(tx, (enum tx_form)f, digest);
		if (r->err == KERR_OK)
			r->err = sig_recover_all(digest, &tx->sigs[0][0], tx->nsigs, &r->keys[0][0],
			                         &r->bad, &r->fault);
		if (r->err != KERR_OK && r->err != KERR_CRYPTO)
			return r->err;
		any |= r->err == KERR_OK;
	}
	return any ? KERR_OK : KERR_CRYPTO;
}
