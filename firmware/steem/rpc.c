#include "kiosk/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/block.h"
#include "kiosk/civil.h"
#include "kiosk/key.h"

struct rpc_doc {
	json_t *root;
	json_t *result; /* borrowed from root */
};

enum kerr rpc_request(char *buf, size_t cap, uint64_t id, const char *method,
                      const char *params_json)
{
	int n = snprintf(buf, cap,
	                 "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"method\":\"condenser_api.%s\","
	                 "\"params\":%s}",
	                 (unsigned long long)id, method, params_json);

	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			buf[0] = '\0';
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

void rpc_doc_free(struct rpc_doc *d)
{
	if (!d)
		return;
	json_decref(d->root);
	free(d);
}

enum kerr rpc_reply(const char *body, size_t len, uint64_t id, struct rpc_doc **out,
                    struct rpc_error *err)
{
	json_error_t jerr;
	json_t *root, *jid, *e, *res;
	struct rpc_doc *d;

	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	if (!root)
		return KERR_PARSE;
	if (!json_is_object(root))
		goto proto;
	jid = json_object_get(root, "id");
	if (!json_is_integer(jid) || (uint64_t)json_integer_value(jid) != id)
		goto proto;
	e = json_object_get(root, "error");
	if (e) {
		if (err) {
			json_t *code = json_object_get(e, "code"),
			       *msg = json_object_get(e, "message");

			err->code = json_is_integer(code) ? json_integer_value(code) : 0;
			snprintf(err->message, sizeof(err->message), "%s",
			         json_is_string(msg) ? json_string_value(msg) : "(no message)");
		}
		goto proto;
	}
	res = json_object_get(root, "result");
	if (!res)
		goto proto;
	if (json_is_null(res) || (json_is_object(res) && json_object_size(res) == 0)) {
		json_decref(root);
		return KERR_NOTFOUND;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		json_decref(root);
		return KERR_NOMEM;
	}
	d->root = root;
	d->result = res;
	*out = d;
	return KERR_OK;
proto:
	json_decref(root);
	return KERR_PROTO;
}

enum kerr rpc_batch_reply(const char *body, size_t len, uint64_t first_id, size_t n,
                          struct rpc_doc **docs)
{
	json_error_t jerr;
	json_t *root, *one;
	size_t i;

	for (size_t k = 0; k < n; k++)
		docs[k] = NULL;
	root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
	if (!root)
		return KERR_PARSE;
	if (!json_is_array(root)) {
		json_decref(root);
		return KERR_PROTO;
	}
	json_array_foreach(root, i, one)
	{
		json_t *jid = json_object_get(one, "id"), *res = json_object_get(one, "result");
		uint64_t k;
		struct rpc_doc *d;

		if (!json_is_integer(jid) || (uint64_t)json_integer_value(jid) < first_id)
			continue;
		k = (uint64_t)json_integer_value(jid) - first_id;
		if (k >= n || docs[k] || !res || json_object_get(one, "error") || json_is_null(res))
			continue;
		d = calloc(1, sizeof(*d));
		if (!d)
			break;
		d->root = json_incref(one);
		d->result = res;
		docs[k] = d;
	}
	json_decref(root);
	return KERR_OK;
}

static bool get_u32(json_t *o, const char *k, uint32_t *v)
{
	json_t *j = json_object_get(o, k);

	if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > UINT32_MAX)
		return false;
	*v = (uint32_t)json_integer_value(j);
	return true;
}

static bool get_hex40(json_t *o, const char *k, char out[41])
{
	json_t *j = json_object_get(o, k);
	const char *s;

	if (!json_is_string(j) || json_string_length(j) != 40)
		return false;
	s = json_string_value(j);
	for (int i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	memcpy(out, s, 41);
	return true;
}

static bool get_time(json_t *o, const char *k, int64_t *t)
{
	json_t *j = json_object_get(o, k);

	return json_is_string(j) && civil_parse_utc(json_string_value(j), json_string_length(j), t);
}

enum kerr rpc_dgp(const struct rpc_doc *d, struct rpc_dgp *out)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(d->result) ||
	    !get_u32(d->result, "head_block_number", &out->head_block) ||
	    !get_hex40(d->result, "head_block_id", out->head_block_id) ||
	    !get_time(d->result, "time", &out->time_s) ||
	    !get_u32(d->result, "last_irreversible_block_num", &out->irreversible_block))
		return KERR_PARSE;
	if (out->irreversible_block > out->head_block)
		return KERR_PROTO;
	return KERR_OK;
}

enum kerr rpc_ops_in_block(const struct rpc_doc *d, uint32_t block, size_t *n)
{
	json_t *e;
	size_t i;

	*n = 0;
	if (!json_is_array(d->result))
		return KERR_PARSE;
	json_array_foreach(d->result, i, e)
	{
		uint32_t b;

		if (!json_is_object(e) || !get_u32(e, "block", &b) || b != block)
			return KERR_PARSE;
	}
	*n = json_array_size(d->result);
	return KERR_OK;
}

static bool account_field(json_t *o, const char *k, char out[17])
{
	json_t *j = json_object_get(o, k);

	if (!json_is_string(j) || json_string_length(j) > 16 ||
	    strlen(json_string_value(j)) != json_string_length(j))
		return false;
	memcpy(out, json_string_value(j), json_string_length(j) + 1);
	return true;
}

enum kerr rpc_history(const struct rpc_doc *d, const struct chain_profile *p,
                      struct rpc_history *out, size_t max, size_t *n)
{
	json_t *e;
	size_t i;

	*n = 0;
	if (!json_is_array(d->result) || json_array_size(d->result) > RPC_HISTORY_MAX)
		return KERR_PARSE;
	json_array_foreach(d->result, i, e)
	{
		struct rpc_history *h;
		json_t *idx = json_array_get(e, 0), *body = json_array_get(e, 1), *op, *name, *v;

		if (*n >= max)
			return KERR_TOO_BIG;
		h = &out[*n];
		memset(h, 0, sizeof(*h));
		if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(idx) ||
		    !json_is_object(body))
			return KERR_PARSE;
		h->index = json_integer_value(idx);
		op = json_object_get(body, "op");
		name = json_array_get(op, 0);
		v = json_array_get(op, 1);
		if (!get_u32(body, "block", &h->block) ||
		    !get_u32(body, "trx_in_block", &h->trx_in_block) ||
		    !get_u32(body, "op_in_trx", &h->op_in_trx) ||
		    !get_time(body, "timestamp", &h->time_s) || !json_is_array(op) ||
		    !json_is_string(name) || !json_is_object(v))
			return KERR_PARSE;
		/* Virtual operations carry an all-zero trx_id; keep it as given. */
		if (!get_hex40(body, "trx_id", h->trx_id))
			return KERR_PARSE;
		if (strcmp(json_string_value(name), "transfer") == 0) {
			json_t *amount = json_object_get(v, "amount"),
			       *memo = json_object_get(v, "memo");
			const struct chain_asset_info *info;

			if (!account_field(v, "from", h->from) || !account_field(v, "to", h->to) ||
			    !json_is_string(amount) || !json_is_string(memo) ||
			    json_string_length(memo) > TX_MEMO_MAX)
				return KERR_PARSE;
			if (asset_parse_n(json_string_value(amount), json_string_length(amount),
			                  &h->amount, NULL))
				return KERR_PARSE;
			info = chain_asset_by_symbol(p, h->amount.symbol);
			if (!info || info->precision != h->amount.precision)
				return KERR_PARSE;
			memcpy(h->memo, json_string_value(memo), json_string_length(memo));
			h->memo[json_string_length(memo)] = '\0';
			h->memo_len = json_string_length(memo);
			h->is_transfer = true;
		}
		(*n)++;
	}
	return KERR_OK;
}

enum kerr rpc_block(const struct rpc_doc *d, struct rpc_block *out)
{
	json_t *txs = json_object_get(d->result, "transactions");
	json_t *ids = json_object_get(d->result, "transaction_ids");

	memset(out, 0, sizeof(*out));
	if (!json_is_object(d->result) || !get_hex40(d->result, "block_id", out->block_id) ||
	    !get_hex40(d->result, "previous", out->previous) ||
	    !get_time(d->result, "timestamp", &out->time_s) || !json_is_array(txs) ||
	    !json_is_array(ids) || json_array_size(txs) != json_array_size(ids))
		return KERR_PARSE;
	out->tx_count = json_array_size(txs);
	return KERR_OK;
}

enum kerr rpc_block_tx(const struct rpc_doc *d, const struct chain_profile *p, size_t i,
                       struct tx **tx, char trx_id[41])
{
	return rpc_block_tx_why(d, p, i, tx, trx_id, NULL);
}

enum kerr rpc_block_tx_why(const struct rpc_doc *d, const struct chain_profile *p, size_t i,
                           struct tx **tx, char trx_id[41], const char **why)
{
	const char *dummy;
	json_t *txs = json_object_get(d->result, "transactions");
	json_t *ids = json_object_get(d->result, "transaction_ids");
	json_t *id = json_array_get(ids, i);

	*tx = NULL;
	if (!json_is_array(txs) || i >= json_array_size(txs) || !json_is_string(id) ||
	    json_string_length(id) != 40) {
		if (why)
			*why = "the block has no such transaction or id";
		return KERR_PARSE;
	}
	memcpy(trx_id, json_string_value(id), 41);
	return tx_from_json(json_array_get(txs, i), p, tx, why ? why : &dummy);
}

enum kerr rpc_block_parse(const struct rpc_doc *d, const struct chain_profile *p,
                          struct block **out, const char **why)
{
	return block_from_json(d->result, p, out, why);
}

enum kerr rpc_transaction(const struct rpc_doc *d, const struct chain_profile *p, struct tx **tx,
                          uint32_t *block)
{
	*tx = NULL;
	*block = 0;
	if (!json_is_object(d->result) || !get_u32(d->result, "block_num", block))
		return KERR_PARSE;
	return tx_from_json(d->result, p, tx, NULL);
}

/* [[x, weight], ...]: each entry exactly a pair, weights uint16. */
static bool auth_pair(json_t *e, json_t **x, uint16_t *w)
{
	json_t *jw = json_array_get(e, 1);

	if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(jw) ||
	    json_integer_value(jw) < 0 || json_integer_value(jw) > UINT16_MAX)
		return false;
	*x = json_array_get(e, 0);
	*w = (uint16_t)json_integer_value(jw);
	return true;
}

/*
 * An authority as get_accounts shows it. A node can send any number of
 * entries: more than AUTHORITY_AUTHS_MAX (the chains' own limit of 40) in
 * either list is KERR_TOO_BIG, never truncated, since dropping entries
 * could only hide weight.
 */
static enum kerr parse_authority(json_t *a, const struct chain_profile *p, struct authority *out)
{
	json_t *keys = json_object_get(a, "key_auths"),
	       *accts = json_object_get(a, "account_auths"), *e, *x;
	size_t i;
	uint16_t w;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(a) || !get_u32(a, "weight_threshold", &out->threshold) ||
	    !json_is_array(keys) || !json_is_array(accts))
		return KERR_PARSE;
	if (json_array_size(keys) > AUTHORITY_AUTHS_MAX ||
	    json_array_size(accts) > AUTHORITY_AUTHS_MAX)
		return KERR_TOO_BIG;
	json_array_foreach(keys, i, e)
	{
		if (!auth_pair(e, &x, &w) || !json_is_string(x) ||
		    key_public_parse(json_string_value(x), p->key_prefix, out->keys[i].key, NULL))
			return KERR_PARSE;
		out->keys[i].weight = w;
		out->key_count++;
	}
	json_array_foreach(accts, i, e)
	{
		if (!auth_pair(e, &x, &w) || !json_is_string(x) || json_string_length(x) == 0 ||
		    json_string_length(x) > AUTHORITY_ACCOUNT_MAX ||
		    strlen(json_string_value(x)) != json_string_length(x))
			return KERR_PARSE;
		memcpy(out->accounts[i].name, json_string_value(x), json_string_length(x) + 1);
		out->accounts[i].weight = w;
		out->account_count++;
	}
	return KERR_OK;
}

enum kerr rpc_account_auth(const struct rpc_doc *d, const struct chain_profile *p, const char *name,
                           struct authority *active, struct authority *owner)
{
	json_t *a;
	size_t i;

	memset(active, 0, sizeof(*active));
	memset(owner, 0, sizeof(*owner));
	if (!json_is_array(d->result))
		return KERR_PARSE;
	json_array_foreach(d->result, i, a)
	{
		json_t *n = json_object_get(a, "name");
		enum kerr err;

		if (!json_is_string(n) || strcmp(json_string_value(n), name) != 0)
			continue;
		err = parse_authority(json_object_get(a, "active"), p, active);
		if (!err)
			err = parse_authority(json_object_get(a, "owner"), p, owner);
		return err;
	}
	return KERR_NOTFOUND;
}

enum kerr rpc_witness_key(const struct rpc_doc *d, const struct chain_profile *p, const char *name,
                          uint8_t key[SIG_PUBKEY_LEN])
{
	const json_t *r = d->result;
	const char *owner, *text;

	memset(key, 0, SIG_PUBKEY_LEN);
	if (!json_is_object(r))
		return KERR_PARSE;
	owner = json_string_value(json_object_get(r, "owner"));
	text = json_string_value(json_object_get(r, "signing_key"));
	if (!owner || !text)
		return KERR_PARSE;
	if (strcmp(owner, name) != 0)
		return KERR_NOTFOUND;
	return key_public_parse(text, p->key_prefix, key, NULL) ? KERR_PARSE : KERR_OK;
}
