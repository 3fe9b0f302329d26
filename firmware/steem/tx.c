/*
 * Transactions: the header, the signatures, and each operation's JSON body
 * kept as the node sent it; ops.c writes the bodies in either binary form
 * from one schema per operation type. Every operation is written once at
 * parse time, so a transaction the kiosk cannot serialize is refused then.
 */
#include "kiosk/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/civil.h"
#include "kiosk/hash.h"
#include "kiosk/hex.h"
#include "kiosk/ops.h"

struct op {
	const struct op_def *def;
	json_t *body; /* the node's JSON, written on demand in either form */
};

struct tx {
	const struct chain_profile *profile;
	uint16_t ref_block_num;
	uint32_t ref_block_prefix;
	int64_t expiration;
	int64_t block_time; /* picks the chain id; INT64_MAX = now */
	size_t nops;
	struct op ops[TX_OPS_MAX];
	json_t *extensions; /* NULL: none */
	size_t nsigs;
	uint8_t sigs[TX_SIGS_MAX][SIG_LEN];
};

void tx_free(struct tx *tx)
{
	if (!tx)
		return;
	for (size_t i = 0; i < tx->nops; i++)
		json_decref(tx->ops[i].body);
	json_decref(tx->extensions);
	free(tx);
}

static enum kerr parse_op(const json_t *j, const struct chain_profile *p, struct op *op,
                          const char **why)
{
	const json_t *name, *body;

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
	op->def = ops_find(p, json_string_value(name));
	if (!op->def) {
		*why = "unknown operation: not a non-virtual operation of this chain";
		return KERR_NOTSUP;
	}
	op->body = json_incref((json_t *)body);
	return KERR_OK;
}

static enum kerr serialize(const struct tx *tx, enum tx_form form, uint8_t *buf, size_t cap,
                           size_t *len, const char **why)
{
	struct ops_buf w = {buf, cap < TX_MAX_BYTES ? cap : TX_MAX_BYTES, 0, false};
	enum kerr err;

	*len = 0;
	if (form == TX_FORM_HF26 && !tx->profile->has_hf26_form) {
		*why = "this chain has no HF26 form";
		return KERR_NOTSUP;
	}
	ops_put_le(&w, tx->ref_block_num, 2);
	ops_put_le(&w, tx->ref_block_prefix, 4);
	ops_put_le(&w, (uint64_t)tx->expiration, 4);
	ops_put_varint(&w, tx->nops);
	for (size_t i = 0; i < tx->nops; i++) {
		err = ops_write(tx->ops[i].def, tx->ops[i].body, tx->profile, form, &w, why);
		if (err)
			return err;
	}
	err = ops_write_extensions(tx->extensions, &w, why);
	if (err)
		return err;
	if (w.over) {
		*why = "transaction larger than the chain allows";
		return KERR_TOO_BIG;
	}
	*len = w.len;
	return KERR_OK;
}

enum kerr tx_serialize(const struct tx *tx, enum tx_form form, uint8_t *buf, size_t cap,
                       size_t *len)
{
	const char *why;

	return serialize(tx, form, buf, cap, len, &why);
}

static enum kerr check_serializes(const struct tx *tx, const char **why)
{
	uint8_t *buf = malloc(TX_MAX_BYTES);
	size_t len;
	enum kerr err;

	if (!buf)
		return KERR_NOMEM;
	err = serialize(tx, TX_FORM_LEGACY, buf, TX_MAX_BYTES, &len, why);
	if (err == KERR_OK && tx->profile->has_hf26_form)
		err = serialize(tx, TX_FORM_HF26, buf, TX_MAX_BYTES, &len, why);
	free(buf);
	return err;
}

enum kerr tx_from_json(const void *json_value, const struct chain_profile *profile, struct tx **out,
                       const char **why)
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
	if (!json_is_integer(rbn) || json_integer_value(rbn) < 0 ||
	    json_integer_value(rbn) > 0xffff || !json_is_integer(rbp) ||
	    json_integer_value(rbp) < 0 || json_integer_value(rbp) > 0xffffffffLL) {
		*why = "ref_block_num / ref_block_prefix missing or out of range";
		return KERR_PARSE;
	}
	if (!json_is_array(opsj) || json_array_size(opsj) > TX_OPS_MAX) {
		*why = "operations missing or more than the kiosk handles";
		return KERR_PARSE;
	}
	if (ext && !json_is_array(ext)) {
		*why = "extensions must be an array";
		return KERR_PARSE;
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
	json_array_foreach(opsj, i, e)
	{
		err = parse_op(e, profile, &tx->ops[i], why);
		tx->nops = i + (tx->ops[i].def ? 1 : 0);
		if (err)
			goto err_tx;
	}
	tx->nops = json_array_size(opsj);
	if (ext && json_array_size(ext))
		tx->extensions = json_incref((json_t *)ext);
	/* Every operation is written once now, so a transaction the kiosk cannot
	 * serialize is refused here with its reason, not at first use. */
	err = check_serializes(tx, why);
	if (err)
		goto err_tx;
	err = KERR_PARSE;
	json_array_foreach(sigs, i, e)
	{
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

enum kerr tx_json_load(const char *text, size_t len, size_t max, const char *too_big,
                       void **json_out, const char **why)
{
	json_error_t jerr;

	*json_out = NULL;
	if (why)
		*why = NULL;
	if (len > max) {
		if (why)
			*why = too_big;
		return KERR_TOO_BIG;
	}
	*json_out = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!*json_out) {
		if (why)
			*why = "not valid JSON";
		return KERR_PARSE;
	}
	return KERR_OK;
}

enum kerr tx_parse_json(const char *text, size_t len, const struct chain_profile *profile,
                        struct tx **out, const char **why)
{
	void *j;
	enum kerr err;

	*out = NULL;
	err = tx_json_load(text, len, TX_JSON_MAX, "transaction JSON larger than 256 KiB", &j, why);
	if (err)
		return err;
	err = tx_from_json(j, profile, out, why);
	json_decref(j);
	return err;
}

static enum kerr serialize_alloc(const struct tx *tx, enum tx_form form, uint8_t **buf, size_t *len)
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
	const json_t *body, *memo;
	const char *why;

	memset(out, 0, sizeof(*out));
	if (i >= tx->nops || !ops_is_transfer(tx->ops[i].def))
		return KERR_INVAL;
	/* The body was checked against the schema when parsed: these are there. */
	body = tx->ops[i].body;
	memo = json_object_get(body, "memo");
	if (ops_parse_asset(json_object_get(body, "amount"), tx->profile, &out->amount, &why))
		return KERR_INVAL;
	out->op = ops_name(tx->ops[i].def);
	out->from = json_string_value(json_object_get(body, "from"));
	out->to = json_string_value(json_object_get(body, "to"));
	out->memo = json_string_value(memo);
	out->memo_len = json_string_length(memo);
	return KERR_OK;
}

enum kerr tx_custom_json_at(const struct tx *tx, size_t i, struct tx_custom_json *out)
{
	const json_t *body, *auths, *json;

	memset(out, 0, sizeof(*out));
	if (i >= tx->nops || strcmp(ops_name(tx->ops[i].def), "custom_json") != 0)
		return KERR_INVAL;
	/* The body was checked against the schema when parsed: these are there. */
	body = tx->ops[i].body;
	auths = json_object_get(body, "required_auths");
	json = json_object_get(body, "json");
	out->id = json_string_value(json_object_get(body, "id"));
	out->n_required_auths = json_array_size(auths);
	for (size_t a = 0; a < out->n_required_auths && a < TX_CUSTOM_AUTHS_MAX; a++)
		out->required_auths[a] = json_string_value(json_array_get(auths, a));
	out->n_required_posting_auths =
	    json_array_size(json_object_get(body, "required_posting_auths"));
	out->json = json_string_value(json);
	out->json_len = json_string_length(json);
	if (!out->id || !out->json) {
		memset(out, 0, sizeof(*out));
		return KERR_INVAL;
	}
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
