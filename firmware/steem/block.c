/*
 * Blocks: the signed header serialized as the chain does, its id, the digest
 * its witness signed, and the transaction merkle root. The rules and where
 * they come from (steemd and hived sources) are in docs/chain.md, "Blocks".
 */
#include "kiosk/block.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/civil.h"
#include "kiosk/hash.h"
#include "kiosk/hex.h"

/* previous, timestamp, varint + witness, merkle root, varint + extensions
 * (each a varint tag and at most two uint32). */
#define HEADER_MAX                                                                                 \
	(BLOCK_ID_LEN + 4 + 1 + BLOCK_WITNESS_MAX + BLOCK_MERKLE_LEN + 1 + BLOCK_EXT_MAX * (1 + 8))
/* A signed transaction: the unsigned bytes, then varint count + signatures. */
#define LEAF_BUF_MAX (TX_MAX_BYTES + 5 + TX_SIGS_MAX * SIG_LEN)

/* block_header_extensions: static_variant<void_t, version, hardfork_version_vote>. */
enum ext_tag { EXT_VOID = 0, EXT_VERSION = 1, EXT_HF_VOTE = 2 };

struct ext {
	enum ext_tag tag;
	uint32_t version; /* v_num: major << 24 | hardfork << 16 | revision */
	uint32_t hf_time;
};

/* A transaction is kept as its JSON and read when needed, so that a block
 * costs memory in proportion to its text, not to tx.c's fixed-size struct. */
struct btx {
	const json_t *json; /* borrowed from struct block's root */
	bool has_node_id;
	uint8_t node_id[TX_ID_LEN];
	uint8_t id[TX_ID_LEN]; /* computed, in the form the merkle root used */
	uint8_t leaf[HASH_SHA256_LEN];
};

struct block {
	json_t *root; /* a reference held on the caller's JSON */
	const struct chain_profile *profile;
	uint8_t previous[BLOCK_ID_LEN];
	int64_t time_s;
	char witness[BLOCK_WITNESS_MAX + 1];
	size_t witness_len;
	uint8_t merkle_root[BLOCK_MERKLE_LEN];
	size_t next;
	struct ext ext[BLOCK_EXT_MAX];
	uint8_t sig[SIG_LEN];
	bool has_node_id, has_node_key;
	uint8_t node_id[BLOCK_ID_LEN];
	uint8_t node_key[SIG_PUBKEY_LEN];
	/* Computed while parsing: all of it pure hashing. */
	uint32_t num;
	uint8_t digest[SIG_DIGEST_LEN];
	uint8_t id[BLOCK_ID_LEN];
	size_t ntx;
	struct btx *txs;
	enum block_merkle merkle;
	size_t unchecked, first_unchecked;
	const char *unchecked_why;
	size_t bad_node_tx; /* first served trx id that is not its tx's; ntx if none */
};

const char *block_merkle_str(enum block_merkle m)
{
	switch (m) {
	case BLOCK_MERKLE_OK:
		return "merkle root matches";
	case BLOCK_MERKLE_CANNOT_CHECK:
		return "merkle root cannot be checked";
	case BLOCK_MERKLE_MISMATCH:
		return "merkle root mismatch";
	}
	return "unknown merkle state";
}

void block_free(struct block *b)
{
	if (!b)
		return;
	free(b->txs);
	json_decref(b->root);
	free(b);
}

static size_t put_varint(uint8_t *p, uint32_t v)
{
	size_t n = 0;

	do {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		p[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	return n;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* block_header in FC_REFLECT order: previous, timestamp, witness,
 * transaction_merkle_root, extensions. */
static size_t write_header(const struct block *b, uint8_t out[HEADER_MAX])
{
	size_t n = 0;

	memcpy(out, b->previous, BLOCK_ID_LEN);
	n += BLOCK_ID_LEN;
	put_le32(out + n, (uint32_t)b->time_s);
	n += 4;
	n += put_varint(out + n, (uint32_t)b->witness_len);
	memcpy(out + n, b->witness, b->witness_len);
	n += b->witness_len;
	memcpy(out + n, b->merkle_root, BLOCK_MERKLE_LEN);
	n += BLOCK_MERKLE_LEN;
	n += put_varint(out + n, (uint32_t)b->next);
	for (size_t i = 0; i < b->next; i++) {
		n += put_varint(out + n, (uint32_t)b->ext[i].tag);
		if (b->ext[i].tag == EXT_VERSION || b->ext[i].tag == EXT_HF_VOTE) {
			put_le32(out + n, b->ext[i].version);
			n += 4;
		}
		if (b->ext[i].tag == EXT_HF_VOTE) {
			put_le32(out + n, b->ext[i].hf_time);
			n += 4;
		}
	}
	return n;
}

/* digest = sha256(header); id = sha224(header ‖ signature)[0:20] with the
 * first four bytes replaced by the block number, big-endian. */
static void compute_header(struct block *b)
{
	uint8_t buf[HEADER_MAX + SIG_LEN], h224[HASH_SHA224_LEN];
	size_t n = write_header(b, buf);

	hash_sha256(buf, n, b->digest);
	memcpy(buf + n, b->sig, SIG_LEN);
	hash_sha224(buf, n + SIG_LEN, h224);
	b->num = ((uint32_t)b->previous[0] << 24 | (uint32_t)b->previous[1] << 16 |
	          (uint32_t)b->previous[2] << 8 | b->previous[3]) +
	         1;
	memcpy(b->id, h224, BLOCK_ID_LEN);
	b->id[0] = (uint8_t)(b->num >> 24);
	b->id[1] = (uint8_t)(b->num >> 16);
	b->id[2] = (uint8_t)(b->num >> 8);
	b->id[3] = (uint8_t)b->num;
}

static bool get_hex(const json_t *o, const char *k, uint8_t *out, size_t len)
{
	const json_t *j = json_object_get(o, k);

	return json_is_string(j) &&
	       hex_decode(json_string_value(j), json_string_length(j), out, len, NULL) == KERR_OK;
}

/* "major.hardfork.revision" as fc's version: 8, 8 and 16 bits. */
static bool parse_version(const json_t *j, uint32_t *out)
{
	const char *s = json_string_value(j);
	uint32_t part[3] = {0, 0, 0};
	static const uint32_t max[3] = {255, 255, 65535};
	size_t i = 0;

	if (!s || strlen(s) != json_string_length(j))
		return false;
	for (int k = 0; k < 3; k++) {
		size_t digits = 0;

		while (s[i] >= '0' && s[i] <= '9' && digits < 6) {
			part[k] = part[k] * 10 + (uint32_t)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || part[k] > max[k] || s[i] != (k < 2 ? '.' : '\0'))
			return false;
		if (k < 2)
			i++;
	}
	*out = part[0] << 24 | part[1] << 16 | part[2];
	return true;
}

/* {"type": "version", "value": "0.20.0"} (appbase) or [1, "0.20.0"] / ["version", …]. */
static enum kerr parse_ext(const json_t *e, struct ext *out, const char **why)
{
	const json_t *tag, *val;
	int64_t t = -1;

	if (json_is_object(e)) {
		tag = json_object_get(e, "type");
		val = json_object_get(e, "value");
	} else if (json_is_array(e) && json_array_size(e) == 2) {
		tag = json_array_get(e, 0);
		val = json_array_get(e, 1);
	} else {
		*why = "a header extension is neither {type, value} nor [tag, value]";
		return KERR_PARSE;
	}
	if (json_is_integer(tag))
		t = json_integer_value(tag);
	else if (json_is_string(tag) && strcmp(json_string_value(tag), "void_t") == 0)
		t = EXT_VOID;
	else if (json_is_string(tag) && strcmp(json_string_value(tag), "version") == 0)
		t = EXT_VERSION;
	else if (json_is_string(tag) &&
	         strcmp(json_string_value(tag), "hardfork_version_vote") == 0)
		t = EXT_HF_VOTE;
	else if (!json_is_string(tag)) {
		*why = "a header extension has no type";
		return KERR_PARSE;
	}
	memset(out, 0, sizeof(*out));
	switch (t) {
	case EXT_VOID:
		out->tag = EXT_VOID;
		return KERR_OK;
	case EXT_VERSION:
		out->tag = EXT_VERSION;
		if (parse_version(val, &out->version))
			return KERR_OK;
		break;
	case EXT_HF_VOTE: {
		const json_t *tj = json_object_get(val, "hf_time");
		int64_t ts;

		out->tag = EXT_HF_VOTE;
		if (parse_version(json_object_get(val, "hf_version"), &out->version) &&
		    json_is_string(tj) &&
		    civil_parse_utc(json_string_value(tj), json_string_length(tj), &ts) &&
		    ts >= 0 && ts <= UINT32_MAX) {
			out->hf_time = (uint32_t)ts;
			return KERR_OK;
		}
		break;
	}
	default:
		*why = "a header extension of a type the kiosk cannot serialize";
		return KERR_NOTSUP;
	}
	*why = "a header extension's value is malformed";
	return KERR_PARSE;
}

static enum kerr parse_header(const json_t *j, struct block *b, const char **why)
{
	const json_t *ts = json_object_get(j, "timestamp"), *w = json_object_get(j, "witness");
	const json_t *ext = json_object_get(j, "extensions"), *e, *key;
	size_t i;

	if (!get_hex(j, "previous", b->previous, BLOCK_ID_LEN)) {
		*why = "previous is not 40 hex digits";
		return KERR_PARSE;
	}
	if (!json_is_string(ts) ||
	    !civil_parse_utc(json_string_value(ts), json_string_length(ts), &b->time_s) ||
	    b->time_s < 0 || b->time_s > UINT32_MAX) {
		*why = "timestamp is not a time like 2016-04-29T04:12:00";
		return KERR_PARSE;
	}
	if (!json_is_string(w) || json_string_length(w) > BLOCK_WITNESS_MAX ||
	    strlen(json_string_value(w)) != json_string_length(w)) {
		*why = "witness is not an account name";
		return KERR_PARSE;
	}
	b->witness_len = json_string_length(w);
	memcpy(b->witness, json_string_value(w), b->witness_len + 1);
	if (!get_hex(j, "transaction_merkle_root", b->merkle_root, BLOCK_MERKLE_LEN)) {
		*why = "transaction_merkle_root is not 40 hex digits";
		return KERR_PARSE;
	}
	if (!json_is_array(ext)) {
		*why = "extensions missing";
		return KERR_PARSE;
	}
	if (json_array_size(ext) > BLOCK_EXT_MAX) {
		*why = "more header extensions than the kiosk reads";
		return KERR_TOO_BIG;
	}
	json_array_foreach(ext, i, e)
	{
		enum kerr err = parse_ext(e, &b->ext[i], why);

		if (err)
			return err;
		b->next = i + 1;
	}
	if (!get_hex(j, "witness_signature", b->sig, SIG_LEN)) {
		*why = "witness_signature is not 130 hex digits";
		return KERR_PARSE;
	}
	/* The node's claims: optional, but when served they must be well formed. */
	if (json_object_get(j, "block_id")) {
		if (!get_hex(j, "block_id", b->node_id, BLOCK_ID_LEN)) {
			*why = "block_id is not 40 hex digits";
			return KERR_PARSE;
		}
		b->has_node_id = true;
	}
	key = json_object_get(j, "signing_key");
	if (key) {
		if (!json_is_string(key) ||
		    key_public_parse(json_string_value(key), b->profile->key_prefix, b->node_key,
		                     NULL)) {
			*why = "signing_key is not a public key of this chain";
			return KERR_PARSE;
		}
		b->has_node_key = true;
	}
	return KERR_OK;
}

/* The node's id for transaction i: transaction_ids[i] and/or its transaction_id. */
static enum kerr node_tx_id(const json_t *ids, const json_t *t, size_t i, struct btx *x,
                            const char **why)
{
	uint8_t other[TX_ID_LEN] = {0};
	bool has_other = false;

	if (ids) {
		const json_t *s = json_array_get(ids, i);

		if (!json_is_string(s) || hex_decode(json_string_value(s), json_string_length(s),
		                                     x->node_id, TX_ID_LEN, NULL)) {
			*why = "a transaction_ids entry is not 40 hex digits";
			return KERR_PARSE;
		}
		x->has_node_id = true;
	}
	if (json_is_object(t) && json_object_get(t, "transaction_id")) {
		if (!get_hex(t, "transaction_id", other, TX_ID_LEN)) {
			*why = "a transaction_id is not 40 hex digits";
			return KERR_PARSE;
		}
		has_other = true;
	}
	if (has_other && x->has_node_id && memcmp(other, x->node_id, TX_ID_LEN) != 0) {
		*why = "transaction_ids and a transaction's transaction_id disagree";
		return KERR_PARSE;
	}
	if (has_other && !x->has_node_id) {
		memcpy(x->node_id, other, TX_ID_LEN);
		x->has_node_id = true;
	}
	return KERR_OK;
}

/* The signatures as served (tx.c has checked their form), after the bytes. */
static enum kerr put_sigs(const json_t *t, size_t n, uint8_t *out)
{
	const json_t *sigs = json_object_get(t, "signatures"), *e;
	size_t i;

	if (n == 0)
		return KERR_OK;
	if (!json_is_array(sigs) || json_array_size(sigs) != n)
		return KERR_PARSE;
	json_array_foreach(sigs, i, e)
	{
		if (!json_is_string(e) || hex_decode(json_string_value(e), json_string_length(e),
		                                     out + i * SIG_LEN, SIG_LEN, NULL))
			return KERR_PARSE;
	}
	return KERR_OK;
}

/*
 * merkle_digest = sha256(signed_transaction bytes: unsigned bytes ‖ varint
 * count ‖ signatures), in the form it was packed in. Hive since HF26 keeps
 * each transaction's bytes as they arrived, legacy or HF26, and the JSON
 * does not say which: the form whose id is the node's id for it is used (a
 * wrong id then fails the root), else `fallback`.
 */
static enum kerr leaf_of(const struct block *b, struct btx *x, enum tx_form fallback, uint8_t *buf,
                         const char **why)
{
	struct tx *tx;
	enum tx_form form = fallback;
	size_t len = 0, nsigs;
	enum kerr err = tx_from_json(x->json, b->profile, &tx, why);

	if (err)
		return err;
	if (x->has_node_id) {
		form = TX_FORM_LEGACY;
		for (unsigned f = 0; f < tx_form_count(tx); f++) {
			uint8_t id[TX_ID_LEN];

			if (tx_id(tx, (enum tx_form)f, id) == KERR_OK &&
			    memcmp(id, x->node_id, TX_ID_LEN) == 0) {
				form = (enum tx_form)f;
				break;
			}
		}
	}
	if (form >= tx_form_count(tx))
		form = TX_FORM_LEGACY;
	err = tx_serialize(tx, form, buf, TX_MAX_BYTES, &len);
	if (!err)
		err = tx_id(tx, form, x->id);
	nsigs = tx_signature_count(tx);
	tx_free(tx);
	if (err) {
		*why = "tx.c cannot serialize its bytes";
		return err;
	}
	len += put_varint(buf + len, (uint32_t)nsigs);
	if (put_sigs(x->json, nsigs, buf + len)) {
		*why = "its signatures are malformed";
		return KERR_PARSE;
	}
	hash_sha256(buf, len + nsigs * SIG_LEN, x->leaf);
	return KERR_OK;
}

/* Pairs hashed with sha256(left ‖ right), an odd last one carried up as it
 * is, and the last digest hashed with ripemd160: calculate_merkle_root(). */
static enum kerr merkle_root(const struct block *b, uint8_t out[BLOCK_MERKLE_LEN])
{
	uint8_t(*h)[HASH_SHA256_LEN];
	size_t n = b->ntx;

	memset(out, 0, BLOCK_MERKLE_LEN);
	if (n == 0)
		return KERR_OK;
	h = malloc(n * sizeof(*h));
	if (!h)
		return KERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		memcpy(h[i], b->txs[i].leaf, HASH_SHA256_LEN);
	while (n > 1) {
		size_t k = 0;

		for (size_t i = 0; i + 1 < n; i += 2)
			hash_sha256_2(h[i], HASH_SHA256_LEN, h[i + 1], HASH_SHA256_LEN, h[k++]);
		if (n & 1)
			memmove(h[k++], h[n - 1], HASH_SHA256_LEN);
		n = k;
	}
	hash_ripemd160(h[0], HASH_SHA256_LEN, out);
	free(h);
	return KERR_OK;
}

static void cannot_check(struct block *b, size_t first, const char *why)
{
	b->merkle = BLOCK_MERKLE_CANNOT_CHECK;
	if (b->unchecked++ == 0) {
		b->first_unchecked = first;
		b->unchecked_why = why;
	}
}

/* Every leaf; a transaction tx.c cannot read or serialize is counted. */
static enum kerr compute_leaves(struct block *b, enum tx_form fallback, uint8_t *buf)
{
	for (size_t i = 0; i < b->ntx; i++) {
		const char *why = NULL;
		enum kerr err = leaf_of(b, &b->txs[i], fallback, buf, &why);

		if (err == KERR_NOMEM)
			return err;
		if (err)
			cannot_check(b, i, why ? why : "tx.c cannot read it");
	}
	return KERR_OK;
}

/* True for a Hive block after HF24 with a transaction the node gave no id
 * for: its form is unknown (HF26 came later; before HF24 all were legacy). */
static bool form_unknown(const struct block *b, size_t *first)
{
	static const uint8_t zero[CHAIN_ID_LEN];
	uint8_t chain_id[CHAIN_ID_LEN];

	if (!b->profile->has_hf26_form)
		return false;
	chain_id_at(b->profile, b->time_s, chain_id);
	if (memcmp(chain_id, zero, CHAIN_ID_LEN) == 0)
		return false;
	for (size_t i = 0; i < b->ntx; i++)
		if (!b->txs[i].has_node_id) {
			*first = i;
			return true;
		}
	return false;
}

static enum kerr compute_merkle(struct block *b)
{
	uint8_t root[BLOCK_MERKLE_LEN] = {0}, *buf;
	enum kerr err;
	size_t bad;
	bool ok = false;

	b->bad_node_tx = b->ntx;
	buf = malloc(LEAF_BUF_MAX);
	if (!buf)
		return KERR_NOMEM;
	err = compute_leaves(b, TX_FORM_LEGACY, buf);
	if (!err && b->unchecked) {
		free(buf);
		return KERR_OK;
	}
	if (!err)
		err = merkle_root(b, root);
	ok = !err && memcmp(root, b->merkle_root, BLOCK_MERKLE_LEN) == 0;
	if (!err && !ok && form_unknown(b, &bad)) {
		/* All HF26 is the other uniform guess; a mixed block cannot be told. */
		err = compute_leaves(b, TX_FORM_HF26, buf);
		if (!err && !b->unchecked) {
			err = merkle_root(b, root);
			ok = !err && memcmp(root, b->merkle_root, BLOCK_MERKLE_LEN) == 0;
		}
		if (!err && !ok) {
			free(buf);
			cannot_check(b, bad,
			             "without the node's transaction ids, whether it was packed "
			             "legacy or HF26 is unknown");
			return KERR_OK;
		}
	}
	free(buf);
	if (err)
		return err;
	b->merkle = ok ? BLOCK_MERKLE_OK : BLOCK_MERKLE_MISMATCH;
	for (size_t i = 0; i < b->ntx; i++)
		if (b->txs[i].has_node_id &&
		    memcmp(b->txs[i].id, b->txs[i].node_id, TX_ID_LEN) != 0) {
			b->bad_node_tx = i;
			break;
		}
	return KERR_OK;
}

static enum kerr parse_txs(const json_t *j, struct block *b, const char **why)
{
	const json_t *txs = json_object_get(j, "transactions"),
	             *ids = json_object_get(j, "transaction_ids");
	const json_t *t;
	size_t i;

	if (!json_is_array(txs)) {
		*why = "transactions missing";
		return KERR_PARSE;
	}
	if (json_array_size(txs) > BLOCK_TX_MAX) {
		*why = "more transactions than a block holds";
		return KERR_TOO_BIG;
	}
	if (ids && (!json_is_array(ids) || json_array_size(ids) != json_array_size(txs))) {
		*why = "transaction_ids is not one id per transaction";
		return KERR_PARSE;
	}
	if (json_array_size(txs)) {
		b->txs = calloc(json_array_size(txs), sizeof(*b->txs));
		if (!b->txs)
			return KERR_NOMEM;
	}
	json_array_foreach(txs, i, t)
	{
		enum kerr err = node_tx_id(ids, t, i, &b->txs[i], why);

		if (err)
			return err;
		b->txs[i].json = t;
		b->ntx = i + 1;
	}
	return KERR_OK;
}

enum kerr block_from_json(const void *json_value, const struct chain_profile *profile,
                          struct block **out, const char **why)
{
	const json_t *j = json_value, *inner = json_object_get(j, "block");
	const char *dummy;
	struct block *b;
	enum kerr err;

	*out = NULL;
	if (!why)
		why = &dummy;
	*why = NULL;
	/* block_api wraps the block: {"block": {...}}. */
	if (json_is_object(inner) && !json_object_get(j, "previous"))
		j = inner;
	if (!json_is_object(j)) {
		*why = "a block must be a JSON object";
		return KERR_PARSE;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return KERR_NOMEM;
	b->profile = profile;
	/* The transactions are read from this JSON when needed: keep it alive. */
	b->root = json_incref((json_t *)json_value);
	err = parse_header(j, b, why);
	if (!err) {
		compute_header(b);
		err = parse_txs(j, b, why);
	}
	if (!err)
		err = compute_merkle(b);
	if (err) {
		block_free(b);
		return err;
	}
	*out = b;
	return KERR_OK;
}

enum kerr block_parse_json(const char *text, size_t len, const struct chain_profile *profile,
                           struct block **out, const char **why)
{
	json_error_t jerr;
	json_t *j;
	enum kerr err;

	*out = NULL;
	if (why)
		*why = NULL;
	if (len > BLOCK_JSON_MAX) {
		if (why)
			*why = "block JSON larger than the kiosk reads";
		return KERR_TOO_BIG;
	}
	j = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		if (why)
			*why = "not valid JSON";
		return KERR_PARSE;
	}
	err = block_from_json(j, profile, out, why);
	json_decref(j);
	return err;
}

/* Sets the verdict's result and reason unless a lie was already found. */
KIOSK_PRINTF(3, 4)
static void judge(struct block_verdict *v, enum kerr err, const char *fmt, ...)
{
	va_list ap;

	if (v->result != KERR_OK && !(v->result == KERR_NOTSUP && err != KERR_NOTSUP))
		return;
	v->result = err;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

static void check_signature(const struct block *b, struct block_verdict *v)
{
	struct sig_info info;
	enum kerr err = sig_recover(b->digest, b->sig, SIG_LEN, v->signing_key, &v->sig_fault);

	if (err == KERR_NOMEM) {
		judge(v, err, "out of memory recovering the witness key");
		return;
	}
	if (err) {
		judge(v, KERR_CRYPTO, "witness signature refused: %s", sig_fault_str(v->sig_fault));
		return;
	}
	/* Until HF20 the chain took only fc-canonical block signatures (fc_canonical
	 * in validate_block_header), after it low-s, which sig_recover requires. */
	if (sig_parse(b->sig, SIG_LEN, &info) == KERR_OK && b->time_s <= BLOCK_HF20_TIME &&
	    !info.fc_canonical) {
		v->fc_rule_failed = true;
		memset(v->signing_key, 0, sizeof(v->signing_key));
		judge(v, KERR_CRYPTO,
		      "witness signature of a block before HF20 is not fc-canonical");
		return;
	}
	v->signature_ok = true;
	if (key_public_format(v->signing_key, b->profile->key_prefix, v->signing_key_text,
	                      sizeof(v->signing_key_text)))
		v->signing_key_text[0] = '\0';
}

enum kerr block_verify(const struct block *b, struct block_verdict *v)
{
	char hex[2 * BLOCK_ID_LEN + 1];

	memset(v, 0, sizeof(*v));
	v->num = b->num;
	memcpy(v->id, b->id, BLOCK_ID_LEN);
	memcpy(v->previous, b->previous, BLOCK_ID_LEN);
	hex_encode(v->id, BLOCK_ID_LEN, v->id_hex);
	hex_encode(v->previous, BLOCK_ID_LEN, v->previous_hex);
	v->time_s = b->time_s;
	memcpy(v->witness, b->witness, b->witness_len + 1);
	memcpy(v->digest, b->digest, SIG_DIGEST_LEN);
	memcpy(v->merkle_root, b->merkle_root, BLOCK_MERKLE_LEN);
	v->merkle = b->merkle;
	v->tx_count = b->ntx;
	v->unchecked = b->unchecked;
	v->node_id_served = b->has_node_id;
	v->node_key_served = b->has_node_key;

	check_signature(b, v);
	if (v->result == KERR_NOMEM)
		return v->result;
	if (b->has_node_id && memcmp(b->node_id, b->id, BLOCK_ID_LEN) != 0) {
		hex_encode(b->node_id, BLOCK_ID_LEN, hex);
		judge(v, KERR_PROTO, "the node's block_id %s is not the id of this header (%s)",
		      hex, v->id_hex);
	}
	if (b->has_node_key && v->signature_ok &&
	    memcmp(b->node_key, v->signing_key, SIG_PUBKEY_LEN) != 0)
		judge(v, KERR_PROTO,
		      "the witness signature was made by %s, not the node's signing_key",
		      v->signing_key_text);
	if (b->merkle == BLOCK_MERKLE_MISMATCH)
		judge(v, KERR_PROTO,
		      "the transactions' merkle root is not the header's: "
		      "transactions added, dropped, reordered or altered");
	else if (b->merkle == BLOCK_MERKLE_OK && b->bad_node_tx < b->ntx)
		judge(v, KERR_PROTO, "the node's id for transaction %zu is not the id of its bytes",
		      b->bad_node_tx);
	else if (b->merkle == BLOCK_MERKLE_CANNOT_CHECK)
		judge(v, KERR_NOTSUP,
		      "merkle root cannot be checked: %zu of %zu transactions, "
		      "first #%zu: %s",
		      b->unchecked, b->ntx, b->first_unchecked,
		      b->unchecked_why ? b->unchecked_why : "unreadable");
	return v->result;
}

enum kerr block_signed_by(const struct block_verdict *v, const uint8_t key[SIG_PUBKEY_LEN])
{
	return v->signature_ok && memcmp(v->signing_key, key, SIG_PUBKEY_LEN) == 0 ? KERR_OK
	                                                                           : KERR_CRYPTO;
}

enum kerr block_links(const struct block_verdict *parent, const struct block_verdict *child)
{
	return memcmp(child->previous, parent->id, BLOCK_ID_LEN) == 0 ? KERR_OK : KERR_PROTO;
}

size_t block_tx_count(const struct block *b)
{
	return b->ntx;
}

enum kerr block_tx_get(const struct block *b, size_t i, struct tx **out, const char **why)
{
	enum kerr err;

	*out = NULL;
	if (i >= b->ntx)
		return KERR_INVAL;
	err = tx_from_json(b->txs[i].json, b->profile, out, why);
	if (!err)
		tx_set_block_time(*out, b->time_s);
	return err;
}

enum kerr block_tx_find(const struct block *b, const struct block_verdict *v,
                        const uint8_t trx_id[TX_ID_LEN], size_t *index)
{
	*index = b->ntx;
	if (memcmp(v->id, b->id, BLOCK_ID_LEN) != 0)
		return KERR_INVAL;
	if (v->result == KERR_NOTSUP && v->merkle == BLOCK_MERKLE_CANNOT_CHECK)
		return KERR_NOTSUP;
	if (v->result != KERR_OK || v->merkle != BLOCK_MERKLE_OK)
		return KERR_PROTO;
	for (size_t i = 0; i < b->ntx; i++)
		if (memcmp(b->txs[i].id, trx_id, TX_ID_LEN) == 0) {
			*index = i;
			return KERR_OK;
		}
	return KERR_NOTFOUND;
}
