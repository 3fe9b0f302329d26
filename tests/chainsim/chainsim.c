#include "chainsim.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "kiosk/chain.h"
#include "kiosk/hash.h"
#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kiosk/token.h"
#include "kiosk/tx.h"
#include "simtls.h"

#define MAX_ACCOUNTS 16
#define BODY_MAX     (1 << 20)

struct op_rec {
	unsigned block;
	char trx_id[41];
	unsigned trx_in_block;
	char from[17], to[17], amount[40];
	char *memo;
	int64_t time_s;
	/* A custom_json instead of a transfer: listed in the history of its one
	 * auth (from) only, as steemd's impacted-accounts visitor lists it. */
	bool custom;
	bool posting;   /* the auth is in required_posting_auths */
	char cj_id[33]; /* custom_json id (custom_json_operation: at most 32 bytes) */
	char *json;     /* its json text */
	unsigned op_in_trx;
	bool forged;  /* only CHAINSIM_FORGE nodes list it */
	bool dropped; /* its block left the chain in a fork */
};

struct block {
	unsigned num;
	int64_t time_s;
	char id[41], previous[41];
	json_t *txs; /* condenser transactions, with signatures */
	json_t *ids;
	char merkle[41];      /* transaction_merkle_root, computed as the chain does */
	char sig[2 * 65 + 1]; /* witness_signature by the witness's signing key */
	char signing_key[64]; /* the key that signed it, as nodes serve it */
	struct block *twin;   /* CHAINSIM_FORGE nodes serve this made-up block instead */
};

struct account {
	char name[17];
	uint8_t priv[32];
	uint8_t pub[33];
	uint8_t posting_priv[32]; /* login(account, "posting", "chainsim") */
	uint8_t posting_pub[33];
};

/* One node of the simulated chain: its own port, thread, TLS state and faults. */
struct node {
	struct chainsim *c;
	pthread_t th;
	bool started;
	mbedtls_net_context listen;
	unsigned port;
	/* Per node: mbedtls's random generator is not shared between threads. */
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config conf;
	pthread_mutex_t rng_mu;            /* its generator, shared by its connections */
	bool faults[CHAINSIM_FAULT_COUNT]; /* under c->mu */
	unsigned stale_head;               /* the head it is stuck at while stale */
	unsigned slow_ms;                  /* CHAINSIM_SLOW: each answer waits this (under c->mu) */
	unsigned serving;                  /* connections being served (under c->mu) */
};

struct chainsim {
	struct chainsim_config cfg;
	const struct chain_profile *profile;
	pthread_mutex_t mu;
	bool stop;
	struct node node[CHAINSIM_NODES_MAX];
	unsigned nnodes;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
	/* chain state, under mu */
	struct block *blocks;
	unsigned nblocks, cap;
	json_t *pending; /* transactions for the next block */
	json_t *pending_ids;
	struct op_rec *ops;
	unsigned nops, opcap;
	struct account acct[MAX_ACCOUNTS];
	unsigned naccts;
	int64_t last_block_ms;
	unsigned long requests, bytes_out;         /* under mu */
	uint8_t witness_priv[32], witness_pub[33]; /* the witness "chainsim" signs every block */
	uint8_t forged_priv[32], forged_pub[33];   /* a key the forger signs made-up blocks with */
	json_t *forged_pending,
	    *forged_pending_ids;  /* forged transfers for the next block's twin */
	unsigned long body_bytes; /* under mu: response bodies alone */
	unsigned lib_lag;         /* the head minus this is irreversible */
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void fmt_time(int64_t s, char out[20])
{
	time_t t = (time_t)s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
}

static struct account *account(struct chainsim *c, const char *name)
{
	for (unsigned i = 0; i < c->naccts; i++)
		if (strcmp(c->acct[i].name, name) == 0)
			return &c->acct[i];
	if (c->naccts >= MAX_ACCOUNTS)
		return NULL;
	{
		struct account *a = &c->acct[c->naccts];

		snprintf(a->name, sizeof(a->name), "%s", name);
		/* Keys anyone can re-derive: login(account, "active", "chainsim"). */
		key_from_login(name, "active", "chainsim", a->priv);
		key_from_login(name, "posting", "chainsim", a->posting_priv);
		if (sig_public_key(a->priv, a->pub) ||
		    sig_public_key(a->posting_priv, a->posting_pub))
			return NULL;
		c->naccts++;
		return a;
	}
}

/* Block ids: the number in the first 4 bytes, as on chain, then a hash-like tail. */
static void block_id(unsigned num, char out[41])
{
	snprintf(out, 41, "%08x%032x", num, num * 2654435761u);
}

static void seal_block(struct chainsim *c, struct block *b, const uint8_t priv[32]);
static json_t *custom_json_op(const char *auth, bool posting, const char *id, const char *json);
static void make_twin(struct chainsim *c, struct block *b);

static void produce_locked(struct chainsim *c)
{
	struct block *b;

	if (c->nblocks == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->blocks = realloc(c->blocks, c->cap * sizeof(*c->blocks));
	}
	b = &c->blocks[c->nblocks];
	memset(b, 0, sizeof(*b));
	b->num = c->nblocks + 1;
	b->time_s = now_ms() / 1000;
	block_id(b->num, b->id);
	if (b->num > 1)
		memcpy(b->previous, c->blocks[c->nblocks - 1].id, 41);
	else
		memset(b->previous, '0', 40);
	b->txs = c->pending;
	b->ids = c->pending_ids;
	for (unsigned i = 0; i < c->nops; i++)
		if (c->ops[i].block == 0) {
			c->ops[i].block = b->num;
			c->ops[i].time_s = b->time_s;
		}
	c->pending = json_array();
	c->pending_ids = json_array();
	seal_block(c, b, c->witness_priv);
	make_twin(c, b);
	c->nblocks++;
	c->last_block_ms = now_ms();
}

void chainsim_produce(struct chainsim *c)
{
	pthread_mutex_lock(&c->mu);
	produce_locked(c);
	pthread_mutex_unlock(&c->mu);
}

unsigned chainsim_head(const struct chainsim *c)
{
	return c->nblocks;
}

void chainsim_wait_blocks(const struct chainsim *c, unsigned n)
{
	unsigned head = chainsim_head(c);
	struct timespec ts = {0, 20000000};

	while (chainsim_head(c) < head + n)
		nanosleep(&ts, NULL);
}

void chainsim_node_fault(struct chainsim *c, unsigned node, enum chainsim_fault f, bool on)
{
	pthread_mutex_lock(&c->mu);
	if (node < c->nnodes) {
		if (f == CHAINSIM_STALE && on && !c->node[node].faults[f])
			c->node[node].stale_head = c->nblocks;
		c->node[node].faults[f] = on;
	}
	pthread_mutex_unlock(&c->mu);
}

void chainsim_node_slow(struct chainsim *c, unsigned node, unsigned ms)
{
	pthread_mutex_lock(&c->mu);
	if (node < c->nnodes) {
		c->node[node].slow_ms = ms;
		c->node[node].faults[CHAINSIM_SLOW] = ms > 0;
	}
	pthread_mutex_unlock(&c->mu);
}

void chainsim_fault(struct chainsim *c, enum chainsim_fault f, bool on)
{
	for (unsigned i = 0; i < c->nnodes; i++)
		chainsim_node_fault(c, i, f, on);
}

/* The head as this node tells it. */
static unsigned head_of(const struct node *n)
{
	return n->faults[CHAINSIM_STALE] ? n->stale_head : n->c->nblocks;
}

static void add_op(struct chainsim *c, const char *idhex, const char *from, const char *to,
                   const char *amount, const char *memo);

/* This node's last irreversible block: what its account history plugin has imported. */
static unsigned lib_of(const struct node *n)
{
	unsigned head = head_of(n);

	return head > n->c->lib_lag ? head - n->c->lib_lag : 0;
}

unsigned chainsim_lib(const struct chainsim *c)
{
	return c->nblocks > c->lib_lag ? c->nblocks - c->lib_lag : 0;
}

enum kerr chainsim_transfer(struct chainsim *c, const char *from, const char *to,
                            const char *amount, const char *memo)
{
	struct account *a;
	struct tx *tx;
	json_t *j;
	char exp[20], *text, sighex[2 * SIG_LEN + 1], idhex[41];
	uint8_t digest[SIG_DIGEST_LEN], sig[SIG_LEN], id[TX_ID_LEN];
	enum kerr err;
	pthread_mutex_lock(&c->mu);
	a = account(c, from);
	(void)account(c, to);
	fmt_time(now_ms() / 1000 + 60, exp);
	j = json_pack("{s:i,s:i,s:s,s:[[s,{s:s,s:s,s:s,s:s}]],s:[]}", "ref_block_num",
	              (int)(c->nblocks & 0xffff), "ref_block_prefix",
	              (int)(c->nblocks * 7919u & 0x7fffffff), "expiration", exp, "operations",
	              "transfer", "from", from, "to", to, "amount", amount, "memo", memo,
	              "extensions");
	text = json_dumps(j, JSON_COMPACT);
	err = a && text ? tx_parse_json(text, strlen(text), c->profile, &tx, NULL) : KERR_INVAL;
	free(text);
	if (!err) {
		err = tx_digest(tx, TX_FORM_LEGACY, digest);
		if (!err)
			err = sig_sign(a->priv, digest, NULL, sig);
		if (!err)
			err = tx_id(tx, TX_FORM_LEGACY, id);
		tx_free(tx);
	}
	if (err) {
		json_decref(j);
		pthread_mutex_unlock(&c->mu);
		return err;
	}
	hex_encode(sig, SIG_LEN, sighex);
	hex_encode(id, TX_ID_LEN, idhex);
	json_object_set_new(j, "signatures", json_pack("[s]", sighex));
	json_array_append_new(c->pending, j);
	json_array_append_new(c->pending_ids, json_string(idhex));
	add_op(c, idhex, from, to, amount, memo);
	pthread_mutex_unlock(&c->mu);
	return KERR_OK;
}

/* The op record of a transaction added to the pending block (under mu). */
static void add_op(struct chainsim *c, const char *idhex, const char *from, const char *to,
                   const char *amount, const char *memo)
{
	struct op_rec *op;

	if (c->nops == c->opcap) {
		c->opcap = c->opcap ? c->opcap * 2 : 256;
		c->ops = realloc(c->ops, c->opcap * sizeof(*c->ops));
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	memcpy(op->trx_id, idhex, 41);
	op->trx_in_block = (unsigned)json_array_size(c->pending) - 1;
	snprintf(op->from, sizeof(op->from), "%s", from);
	snprintf(op->to, sizeof(op->to), "%s", to);
	snprintf(op->amount, sizeof(op->amount), "%s", amount);
	op->memo = strdup(memo);
}

enum kerr chainsim_poisoned_transfer(struct chainsim *c, const char *from, const char *to,
                                     const char *amount, const char *memo)
{
	json_t *j;
	char exp[20], *text, idhex[41], sighex[2 * SIG_LEN + 1];
	uint8_t digest[32], sig[SIG_LEN];

	pthread_mutex_lock(&c->mu);
	(void)account(c, from);
	(void)account(c, to);
	fmt_time(now_ms() / 1000 + 60, exp);
	j = json_pack("{s:i,s:i,s:s,s:[[s,{s:s,s:s,s:s,s:s}],[s,{s:s,s:i}]],s:[]}", "ref_block_num",
	              (int)(c->nblocks & 0xffff), "ref_block_prefix",
	              (int)(c->nblocks * 7919u & 0x7fffffff), "expiration", exp, "operations",
	              "transfer", "from", from, "to", to, "amount", amount, "memo", memo,
	              "chainsim_poison", "account", from, "weight", 1, "extensions");
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (!text) {
		json_decref(j);
		pthread_mutex_unlock(&c->mu);
		return KERR_NOMEM;
	}
	/* An id as unique as a real one; the kiosk cannot recompute it (it cannot serialize the
	 * op). */
	hash_sha256((const uint8_t *)text, strlen(text), digest);
	free(text);
	hex_encode(digest, 20, idhex);
	memset(sig, 0x1f, sizeof(sig));
	hex_encode(sig, SIG_LEN, sighex);
	json_object_set_new(j, "signatures", json_pack("[s]", sighex));
	json_array_append_new(c->pending, j);
	json_array_append_new(c->pending_ids, json_string(idhex));
	add_op(c, idhex, from, to, amount, memo);
	pthread_mutex_unlock(&c->mu);
	return KERR_OK;
}

/* The custom_json's json of a token transfer: token_transfer_json's when the
 * quantity is one the kiosk reads (up to 8 decimals), else the same members
 * by hand, so tests can send what the sidechain refuses ("10.00001"). */
static char *token_json(const char *to, const char *symbol, const char *quantity, const char *memo)
{
	struct token_transfer t = {0};
	const char *dot = strchr(quantity, '.');
	size_t decimals = dot ? strlen(dot + 1) : 0;
	char buf[TOKEN_JSON_MAX + 1];
	json_t *j;
	char *text;

	snprintf(t.to, sizeof(t.to), "%s", to);
	snprintf(t.symbol, sizeof(t.symbol), "%s", symbol);
	snprintf(t.memo, sizeof(t.memo), "%s", memo ? memo : "");
	t.precision = (uint8_t)(decimals <= TOKEN_PRECISION_MAX ? decimals : 0);
	if (decimals <= TOKEN_PRECISION_MAX &&
	    token_quantity_parse(quantity, strlen(quantity), t.precision, &t.quantity, NULL) ==
	        KERR_OK &&
	    token_transfer_json(&t, buf, sizeof(buf), NULL) == KERR_OK)
		return strdup(buf);
	j = json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "contractName", "tokens", "contractAction",
	              "transfer", "contractPayload", "symbol", symbol, "to", to, "quantity",
	              quantity, "memo", memo ? memo : "");
	text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return text;
}

/* ["custom_json",{…}] with auth as the one required (or posting) auth. */
static json_t *custom_json_op(const char *auth, bool posting, const char *id, const char *json)
{
	return json_pack("[s,{s:[s],s:[],s:s,s:s}]", "custom_json",
	                 posting ? "required_posting_auths" : "required_auths", auth,
	                 posting ? "required_auths" : "required_posting_auths", "id", id, "json",
	                 json);
}

/* The op record of a custom_json in the pending block (under mu). */
static void add_custom_op(struct chainsim *c, const char *idhex, const char *auth, bool posting,
                          const char *id, const char *json, unsigned op_in_trx)
{
	struct op_rec *op;

	if (c->nops == c->opcap) {
		c->opcap = c->opcap ? c->opcap * 2 : 256;
		c->ops = realloc(c->ops, c->opcap * sizeof(*c->ops));
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	memcpy(op->trx_id, idhex, 41);
	op->trx_in_block = (unsigned)json_array_size(c->pending) - 1;
	snprintf(op->from, sizeof(op->from), "%s", auth);
	op->memo = strdup("");
	op->custom = true;
	op->posting = posting;
	snprintf(op->cj_id, sizeof(op->cj_id), "%s", id);
	op->json = strdup(json);
	op->op_in_trx = op_in_trx;
}

enum kerr chainsim_token_transfer(struct chainsim *c, const char *from, const char *to,
                                  const char *symbol, const char *quantity, const char *memo,
                                  enum chainsim_token_style style, char trx_id[41],
                                  unsigned *op_index)
{
	const char *sc_id = token_sidechain_id(c->cfg.chain);
	bool posting = style == CHAINSIM_TOKEN_POSTING;
	bool second = style == CHAINSIM_TOKEN_SECOND_OP;
	const char *id = style == CHAINSIM_TOKEN_OTHER_ID ? CHAINSIM_TOKEN_OTHER_ID_TEXT : sc_id;
	struct account *a;
	struct tx *tx;
	json_t *j, *ops;
	char exp[20], *text, *json, sighex[2 * SIG_LEN + 1], idhex[41];
	uint8_t digest[SIG_DIGEST_LEN], sig[SIG_LEN], txid[TX_ID_LEN];
	enum kerr err;

	trx_id[0] = '\0';
	*op_index = 0;
	if (!from || !to || !symbol || !quantity)
		return KERR_INVAL;
	json = token_json(to, symbol, quantity, memo);
	if (!json)
		return KERR_NOMEM;
	pthread_mutex_lock(&c->mu);
	a = account(c, from);
	(void)account(c, to);
	fmt_time(now_ms() / 1000 + 60, exp);
	ops = json_array();
	/* A note before the transfer: the transfer is operation 1 of 2, so the sidechain
	 * names it "<trx_id>-1" (plugins/Streamer.js: nbOperations > 1). */
	if (second)
		json_array_append_new(ops,
		                      custom_json_op(from, false, CHAINSIM_TOKEN_NOTE_ID, "{}"));
	json_array_append_new(ops, custom_json_op(from, posting, id, json));
	j = json_pack("{s:i,s:i,s:s,s:o,s:[]}", "ref_block_num", (int)(c->nblocks & 0xffff),
	              "ref_block_prefix", (int)(c->nblocks * 7919u & 0x7fffffff), "expiration", exp,
	              "operations", ops, "extensions");
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	err = a && text ? tx_parse_json(text, strlen(text), c->profile, &tx, NULL) : KERR_INVAL;
	free(text);
	if (!err) {
		err = tx_digest(tx, TX_FORM_LEGACY, digest);
		/* A posting-key signature satisfies only a posting authority. */
		if (!err)
			err = sig_sign(posting ? a->posting_priv : a->priv, digest, NULL, sig);
		if (!err)
			err = tx_id(tx, TX_FORM_LEGACY, txid);
		tx_free(tx);
	}
	if (err) {
		json_decref(j);
		free(json);
		pthread_mutex_unlock(&c->mu);
		return err;
	}
	hex_encode(sig, SIG_LEN, sighex);
	hex_encode(txid, TX_ID_LEN, idhex);
	json_object_set_new(j, "signatures", json_pack("[s]", sighex));
	json_array_append_new(c->pending, j);
	json_array_append_new(c->pending_ids, json_string(idhex));
	if (second)
		add_custom_op(c, idhex, from, false, CHAINSIM_TOKEN_NOTE_ID, "{}", 0);
	add_custom_op(c, idhex, from, posting, id, json, second ? 1 : 0);
	pthread_mutex_unlock(&c->mu);
	free(json);
	memcpy(trx_id, idhex, 41);
	*op_index = second ? 1 : 0;
	return KERR_OK;
}

/* ---- real blocks: merkle root, witness signature, id ---- */

static size_t put_varint(uint8_t *p, uint32_t v)
{
	size_t n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		p[n++] |= v ? 0x80 : 0;
	} while (v);
	return n;
}

/* merkle_digest of a signed transaction: sha256(legacy bytes, varint count, signatures). */
static bool tx_leaf(struct chainsim *c, const json_t *j, uint8_t leaf[32])
{
	uint8_t *buf = malloc(TX_MAX_BYTES + 5 + TX_SIGS_MAX * SIG_LEN);
	json_t *sigs = json_object_get(j, "signatures"), *v;
	struct tx *tx = NULL;
	size_t len = 0, i;
	bool ok = buf && tx_from_json(j, c->profile, &tx, NULL) == KERR_OK &&
	          tx_serialize(tx, TX_FORM_LEGACY, buf, TX_MAX_BYTES, &len) == KERR_OK &&
	          json_array_size(sigs) <= TX_SIGS_MAX;

	tx_free(tx);
	if (ok) {
		len += put_varint(buf + len, (uint32_t)json_array_size(sigs));
		json_array_foreach(sigs, i, v)
		{
			const char *h = json_string_value(v);

			ok = ok && h &&
			     hex_decode(h, strlen(h), buf + len, SIG_LEN, NULL) == KERR_OK;
			len += SIG_LEN;
		}
	}
	if (ok)
		hash_sha256(buf, len, leaf);
	free(buf);
	return ok;
}

/* As the chain: the merkle root of the transactions, the header signed by priv, its id. */
static void seal_block(struct chainsim *c, struct block *b, const uint8_t priv[32])
{
	size_t n = json_array_size(b->txs), k, len = 0;
	uint8_t(*h)[32] = calloc(n ? n : 1, 32), root[20] = {0}, hdr[128], digest[32], sig[SIG_LEN],
	h224[HASH_SHA224_LEN], pub[33];

	for (size_t i = 0; h && i < n; i++)
		if (!tx_leaf(c, json_array_get(b->txs, i), h[i]))
			memset(h[i], 0,
			       32); /* not a transaction tx.c reads: its root will not check */
	while (h && n > 1) {
		k = 0;
		for (size_t i = 0; i + 1 < n; i += 2)
			hash_sha256_2(h[i], 32, h[i + 1], 32, h[k++]);
		if (n & 1)
			memmove(h[k++], h[n - 1], 32);
		n = k;
	}
	if (h && n == 1)
		hash_ripemd160(h[0], 32, root);
	free(h);
	hex_encode(root, sizeof(root), b->merkle);
	if (hex_decode(b->previous, 40, hdr, 20, NULL))
		memset(hdr, 0, 20);
	len = 20;
	for (int i = 0; i < 4; i++)
		hdr[len++] = (uint8_t)((uint32_t)b->time_s >> (8 * i));
	len += put_varint(hdr + len, 8);
	memcpy(hdr + len, "chainsim", 8);
	len += 8;
	memcpy(hdr + len, root, 20);
	len += 20;
	len += put_varint(hdr + len, 0);
	hash_sha256(hdr, len, digest);
	if (sig_sign(priv, digest, NULL, sig) || sig_public_key(priv, pub) ||
	    key_public_format(pub, c->profile->key_prefix, b->signing_key, sizeof(b->signing_key)))
		memset(sig, 0, sizeof(sig));
	hex_encode(sig, SIG_LEN, b->sig);
	memcpy(hdr + len, sig, SIG_LEN);
	hash_sha224(hdr, len + SIG_LEN, h224);
	h224[0] = (uint8_t)(b->num >> 24);
	h224[1] = (uint8_t)(b->num >> 16);
	h224[2] = (uint8_t)(b->num >> 8);
	h224[3] = (uint8_t)b->num;
	hex_encode(h224, 20, b->id);
}

/* Forged transfers waiting: a made-up twin of b holding them too, signed by the forger's key. */
static void make_twin(struct chainsim *c, struct block *b)
{
	struct block *t;
	size_t i;
	json_t *v;

	if (!c->forged_pending || json_array_size(c->forged_pending) == 0)
		return;
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	*t = *b;
	t->twin = NULL;
	t->txs = json_deep_copy(b->txs);
	t->ids = json_deep_copy(b->ids);
	json_array_foreach(c->forged_pending, i, v)
	{
		json_array_append(t->txs, v);
		json_array_append(t->ids, json_array_get(c->forged_pending_ids, i));
	}
	json_array_clear(c->forged_pending);
	json_array_clear(c->forged_pending_ids);
	seal_block(c, t, c->forged_priv);
	b->twin = t;
}

static void free_block(struct block *b)
{
	if (b->twin) {
		free_block(b->twin);
		free(b->twin);
	}
	json_decref(b->txs);
	json_decref(b->ids);
}

/* A head far ahead of the chain's, its time now: what a lying node claims. */
static json_t *head_ahead(struct chainsim *c, unsigned head)
{
	char t[20];
	unsigned fake = head + CHAINSIM_AHEAD_BLOCKS;
	char id[41];

	fmt_time(now_ms() / 1000, t);
	snprintf(id, sizeof(id), "%08x%032x", fake, fake * 2654435761u);
	(void)c;
	return json_pack("{s:i,s:s,s:s,s:i}", "head_block_number", fake, "head_block_id", id,
	                 "time", t, "last_irreversible_block_num", fake - 1);
}

/* get_witness_by_account ["chainsim"] and get_active_witnesses, as real nodes answer them. */
static json_t *witness_reply(struct node *nd, const char *method, json_t *params)
{
	struct chainsim *c = nd->c;
	char key[KEY_TEXT_MAX];
	const char *name = json_string_value(json_array_get(params, 0));

	if (strcmp(method, "condenser_api.get_active_witnesses") == 0)
		return json_pack("[s]", "chainsim");
	if (!name || strcmp(name, "chainsim") != 0)
		return json_null();
	/* A forging node says the witness's key is the forger's. */
	if (key_public_format(nd->faults[CHAINSIM_FORGE] ? c->forged_pub : c->witness_pub,
	                      c->profile->key_prefix, key, sizeof(key)))
		return json_null();
	return json_pack("{s:s,s:s,s:s}", "owner", "chainsim", "signing_key", key, "url",
	                 "https://chainsim");
}

enum kerr chainsim_forge_transfer(struct chainsim *c, const char *from, const char *to,
                                  const char *amount, const char *memo)
{
	uint8_t priv[32], digest[SIG_DIGEST_LEN], sig[SIG_LEN], id[TX_ID_LEN];
	char exp[20], *text, sighex[2 * SIG_LEN + 1], idhex[41];
	struct tx *tx;
	struct op_rec *op;
	json_t *j;
	enum kerr err;

	/* Signed by the key the forging nodes serve as the payer's (CHAINSIM_WRONG_KEYS's). */
	key_from_login(from, "active", "forged", priv);
	pthread_mutex_lock(&c->mu);
	fmt_time(now_ms() / 1000 + 60, exp);
	j = json_pack("{s:i,s:i,s:s,s:[[s,{s:s,s:s,s:s,s:s}]],s:[]}", "ref_block_num",
	              (int)(c->nblocks & 0xffff), "ref_block_prefix",
	              (int)(c->nblocks * 7919u & 0x7fffffff), "expiration", exp, "operations",
	              "transfer", "from", from, "to", to, "amount", amount, "memo", memo,
	              "extensions");
	text = json_dumps(j, JSON_COMPACT);
	err = text ? tx_parse_json(text, strlen(text), c->profile, &tx, NULL) : KERR_NOMEM;
	free(text);
	if (!err) {
		err = tx_digest(tx, TX_FORM_LEGACY, digest);
		if (!err)
			err = sig_sign(priv, digest, NULL, sig);
		if (!err)
			err = tx_id(tx, TX_FORM_LEGACY, id);
		tx_free(tx);
	}
	if (err) {
		json_decref(j);
		pthread_mutex_unlock(&c->mu);
		return err;
	}
	hex_encode(sig, SIG_LEN, sighex);
	hex_encode(id, TX_ID_LEN, idhex);
	json_object_set_new(j, "signatures", json_pack("[s]", sighex));
	if (!c->forged_pending) {
		c->forged_pending = json_array();
		c->forged_pending_ids = json_array();
	}
	json_array_append_new(c->forged_pending, j);
	json_array_append_new(c->forged_pending_ids, json_string(idhex));
	if (c->nops == c->opcap) {
		c->opcap = c->opcap ? c->opcap * 2 : 256;
		c->ops = realloc(c->ops, c->opcap * sizeof(*c->ops));
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	memcpy(op->trx_id, idhex, 41);
	op->trx_in_block =
	    (unsigned)(json_array_size(c->pending) + json_array_size(c->forged_pending) - 1);
	snprintf(op->from, sizeof(op->from), "%s", from);
	snprintf(op->to, sizeof(op->to), "%s", to);
	snprintf(op->amount, sizeof(op->amount), "%s", amount);
	op->memo = strdup(memo);
	op->forged = true;
	pthread_mutex_unlock(&c->mu);
	return KERR_OK;
}

void chainsim_set_lib_lag(struct chainsim *c, unsigned blocks)
{
	pthread_mutex_lock(&c->mu);
	c->lib_lag = blocks ? blocks : 1; /* the same lag chainsim_config.lib_lag sets */
	pthread_mutex_unlock(&c->mu);
}

/*
 * A micro-fork: block num is replaced by one without its transactions (they
 * left the chain), and the blocks after it are re-signed on the new branch.
 */
unsigned chainsim_fork_drop(struct chainsim *c, unsigned num)
{
	unsigned dropped = 0;

	pthread_mutex_lock(&c->mu);
	if (num >= 1 && num <= c->nblocks) {
		struct block *b = &c->blocks[num - 1];

		json_array_clear(b->txs);
		json_array_clear(b->ids);
		for (unsigned i = 0; i < c->nops; i++)
			if (c->ops[i].block == num && !c->ops[i].forged) {
				c->ops[i].dropped = true;
				dropped++;
			}
		b->time_s++; /* another block at that height: another id */
		for (unsigned k = num; k <= c->nblocks; k++) {
			if (k > num)
				memcpy(c->blocks[k - 1].previous, c->blocks[k - 2].id, 41);
			seal_block(c, &c->blocks[k - 1], c->witness_priv);
		}
	}
	pthread_mutex_unlock(&c->mu);
	return dropped;
}

void chainsim_witness_key(const struct chainsim *c, char *out, size_t cap)
{
	if (key_public_format(c->witness_pub, c->profile->key_prefix, out, cap))
		out[0] = '\0';
}

/* ---- JSON-RPC ---- */

/* "7.249 HIVE" -> "7.250 HIVE": what a lying node claims. */
static void lie_amount(char *amount, size_t cap)
{
	struct asset a;

	if (asset_parse(amount, &a, NULL) == KERR_OK) {
		a.amount++;
		if (asset_format(&a, amount, cap))
			amount[0] = '\0';
	}
}

/* The same lie inside a served transaction: its signatures no longer fit. */
static void lie_in_tx(json_t *tx)
{
	size_t i;
	json_t *op;

	json_array_foreach(json_object_get(tx, "operations"), i, op)
	{
		json_t *body = json_array_get(op, 1);
		const char *amount = json_string_value(json_object_get(body, "amount"));
		char buf[48];

		if (!amount)
			continue;
		snprintf(buf, sizeof(buf), "%s", amount);
		lie_amount(buf, sizeof(buf));
		json_object_set_new(body, "amount", json_string(buf));
	}
}

static void tamper_tx(json_t *tx)
{
	json_t *op = json_array_get(json_array_get(json_object_get(tx, "operations"), 0), 1);

	if (op)
		json_object_set_new(op, "memo", json_string("tampered"));
}

static json_t *block_json(const struct block *b, bool lie, bool tamper)
{
	char t[20];
	json_t *txs = json_deep_copy(b->txs);
	size_t i;
	json_t *tx;

	fmt_time(b->time_s, t);
	json_array_foreach(txs, i, tx)
	{
		if (lie)
			lie_in_tx(tx);
		if (tamper)
			tamper_tx(tx);
		json_object_set_new(tx, "block_num", json_integer(b->num));
		json_object_set_new(tx, "transaction_id", json_incref(json_array_get(b->ids, i)));
		json_object_set_new(tx, "transaction_num", json_integer((json_int_t)i));
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:O,s:[],s:s,s:s}", "block_id", b->id,
	                 "previous", b->previous, "timestamp", t, "witness", "chainsim",
	                 "transaction_merkle_root", b->merkle, "transactions", txs,
	                 "transaction_ids", b->ids, "extensions", "witness_signature", b->sig,
	                 "signing_key", b->signing_key);
}

/*
 * The account's history as the plugins serve it: only operations in
 * irreversible blocks (steemd's rocksdb plugin imports a block's operations
 * when it becomes irreversible; hived's likewise unless include_reversible),
 * with the sequence numbers the account's operations have (reversible ones
 * are the newest, so hiding them never renumbers the others). start is the
 * newest index wanted (UINT64_MAX, "-1", meaning the newest), clamped to the
 * newest there is; then steemd serves [start - limit, start] (limit + 1
 * entries: its loop stops after the entry at start - limit) and hived
 * [start - limit + 1, start], ascending. The rules on start and limit are
 * checked by the caller.
 */
static json_t *history(struct node *nd, const char *acct, uint64_t start, uint64_t limit,
                       bool reversible)
{
	struct chainsim *c = nd->c;
	json_t *out = json_array();
	uint64_t idx, first;
	unsigned *mine = calloc(2 * c->nops + 1, sizeof(unsigned)), n = 0;
	unsigned upto = reversible ? head_of(nd) : lib_of(nd);

	for (unsigned i = 0; i < c->nops; i++)
		if (c->ops[i].block && c->ops[i].block <= upto && !c->ops[i].dropped &&
		    (!c->ops[i].forged || nd->faults[CHAINSIM_FORGE]) &&
		    !((nd->faults[CHAINSIM_HISTORY_LAG] || nd->faults[CHAINSIM_ACCOUNT_LAG]) &&
		      c->ops[i].block + CHAINSIM_HISTORY_LAG_BLOCKS > head_of(nd)) &&
		    (strcmp(c->ops[i].from, acct) == 0 ||
		     (!c->ops[i].custom && strcmp(c->ops[i].to, acct) == 0))) {
			mine[n++] = i;
			/* Replaying: the same operation again, under the next index. */
			if (nd->faults[CHAINSIM_REPLAY])
				mine[n++] = i;
		}
	if (n == 0) {
		free(mine);
		return out;
	}
	idx = start >= n ? n - 1 : start;
	if (c->cfg.chain == SITE_CHAIN_STEEM)
		first = idx > limit ? idx - limit : 0;
	else
		first = idx + 1 > limit ? idx + 1 - limit : 0;
	for (uint64_t k = first; k <= idx; k++) {
		const struct op_rec *o = &c->ops[mine[k]];
		char t[20], amount[48];

		snprintf(amount, sizeof(amount), "%s", o->amount);
		if (nd->faults[CHAINSIM_LIE])
			lie_amount(amount, sizeof(amount));
		fmt_time(o->time_s, t);
		/* A poisoned index: near 2^63, as a broken or hostile node served. */
		json_int_t shown =
		    nd->faults[CHAINSIM_POISON_INDEX] ? (json_int_t)9000000000000000000LL + k : k;

		if (o->custom) {
			json_array_append_new(
			    out,
			    json_pack("[I,{s:i,s:o,s:i,s:s,s:s,s:i,s:b}]", shown, "block", o->block,
			              "op", custom_json_op(o->from, o->posting, o->cj_id, o->json),
			              "op_in_trx", o->op_in_trx, "timestamp", t, "trx_id",
			              o->trx_id, "trx_in_block", o->trx_in_block, "virtual_op", 0));
			continue;
		}
		json_array_append_new(
		    out, json_pack("[I,{s:i,s:[s,{s:s,s:s,s:s,s:s}],s:i,s:s,s:s,s:i,s:b}]", shown,
		                   "block", o->block, "op", "transfer", "amount", amount, "from",
		                   o->from, "memo", o->memo, "to", o->to, "op_in_trx", 0,
		                   "timestamp", t, "trx_id", o->trx_id, "trx_in_block",
		                   o->trx_in_block, "virtual_op", 0));
	}
	free(mine);
	return out;
}

static json_t *assert_error(const char *msg)
{
	return json_pack("{s:i,s:s}", "code", -32003, "message", msg);
}

/*
 * The paging rules of each chain's get_account_history, with the errors
 * the nodes answer (FC_ASSERTs in steemd's and hived's account_history_api).
 * start and limit are unsigned there: -1 as start is the newest index.
 */
static json_t *history_checked(struct node *nd, const char *acct, json_t *jstart, json_t *jlimit,
                               bool reversible, json_t **error)
{
	uint64_t start, limit;
	char msg[160];

	if (!acct || !json_is_integer(jstart) || !json_is_integer(jlimit) ||
	    json_integer_value(jlimit) < 0) {
		*error = json_pack("{s:i,s:s}", "code", -32602, "message", "Invalid params");
		return NULL;
	}
	start = (uint64_t)json_integer_value(jstart);
	limit = (uint64_t)json_integer_value(jlimit);
	if (nd->c->cfg.chain == SITE_CHAIN_STEEM) {
		if (limit > CHAINSIM_HISTORY_LIMIT_STEEM) {
			snprintf(msg, sizeof(msg),
			         "Assert Exception:args.limit <= 10000: limit of %llu is greater "
			         "than maxmimum allowed",
			         (unsigned long long)limit);
			*error = assert_error(msg);
			return NULL;
		}
		if (start < limit) {
			*error = assert_error("Assert Exception:args.start >= args.limit: start "
			                      "must be greater than limit");
			return NULL;
		}
	} else {
		if (limit > CHAINSIM_HISTORY_LIMIT_HIVE) {
			snprintf(msg, sizeof(msg),
			         "Assert Exception:args.limit <= 1000: limit of %llu is greater "
			         "than maxmimum allowed",
			         (unsigned long long)limit);
			*error = assert_error(msg);
			return NULL;
		}
		/* limit is a uint32_t there: limit 0 makes limit-1 wrap. */
		if (start < (uint64_t)(uint32_t)(limit - 1)) {
			*error = assert_error("Assert Exception:args.start >= args.limit-1: start "
			                      "must be greater than or "
			                      "equal to limit-1 (start is 0-based index)");
			return NULL;
		}
	}
	return history(nd, acct, start, limit, reversible);
}

static json_t *dispatch(struct node *nd, const char *method, json_t *params, json_t **error)
{
	struct chainsim *c = nd->c;
	unsigned head = head_of(nd);

	*error = NULL;
	if (strcmp(method, "condenser_api.get_dynamic_global_properties") == 0) {
		char t[20];
		struct block *b = head ? &c->blocks[head - 1] : NULL;

		fmt_time(b ? b->time_s : now_ms() / 1000, t);
		if (nd->faults[CHAINSIM_HEAD_AHEAD])
			return head_ahead(c, head);
		return json_pack("{s:i,s:s,s:s,s:i}", "head_block_number", head, "head_block_id",
		                 b ? b->id : "0000000000000000000000000000000000000000", "time", t,
		                 "last_irreversible_block_num", lib_of(nd));
	}
	if (strcmp(method, "condenser_api.get_block") == 0) {
		json_int_t n = json_integer_value(json_array_get(params, 0));

		if (n < 1 || n > (json_int_t)head)
			return json_null();
		if (nd->faults[CHAINSIM_FORGE] && c->blocks[n - 1].twin)
			return block_json(c->blocks[n - 1].twin, false, false);
		return block_json(&c->blocks[n - 1], nd->faults[CHAINSIM_LIE],
		                  nd->faults[CHAINSIM_TAMPER]);
	}
	if (strcmp(method, "condenser_api.get_witness_by_account") == 0 ||
	    strcmp(method, "condenser_api.get_active_witnesses") == 0)
		return witness_reply(nd, method, params);
	if (strcmp(method, "condenser_api.get_account_history") == 0) {
		const char *acct = json_string_value(json_array_get(params, 0));

		if (nd->faults[CHAINSIM_NO_HISTORY]) {
			*error = json_pack(
			    "{s:i,s:s}", "code", -32003, "message",
			    "Assert Exception:false: account_history_api_plugin not enabled.");
			return NULL;
		}

		/* steemd's condenser takes exactly three; hived's two more (an operation filter,
		 * not applied here). Neither passes include_reversible on. */
		if (c->cfg.chain == SITE_CHAIN_STEEM && json_array_size(params) != 3) {
			char msg[96];

			snprintf(
			    msg, sizeof(msg),
			    "Assert Exception:args.size() == 3: Expected 3 argument(s), was %zu",
			    json_array_size(params));
			*error = assert_error(msg);
			return NULL;
		}
		if (json_array_size(params) < 3 || json_array_size(params) > 5) {
			char msg[128];

			snprintf(msg, sizeof(msg),
			         "Assert Exception:args.size() == 3 || args.size() == 4 || "
			         "args.size() == 5: Expected 3, "
			         "4, or 5 argument(s), was %zu",
			         json_array_size(params));
			*error = assert_error(msg);
			return NULL;
		}
		return history_checked(nd, acct, json_array_get(params, 1),
		                       json_array_get(params, 2), false, error);
	}
	/* hived's own API, named parameters: include_reversible (default false) shows the newest
	 * too. */
	if (c->cfg.chain == SITE_CHAIN_HIVE &&
	    strcmp(method, "account_history_api.get_account_history") == 0) {
		json_t *h;

		if (nd->faults[CHAINSIM_NO_HISTORY]) {
			*error = json_pack(
			    "{s:i,s:s}", "code", -32003, "message",
			    "Assert Exception:false: account_history_api_plugin not enabled.");
			return NULL;
		}
		if (!json_is_object(params))
			goto bad;
		h = history_checked(
		    nd, json_string_value(json_object_get(params, "account")),
		    json_object_get(params, "start"), json_object_get(params, "limit"),
		    json_is_true(json_object_get(params, "include_reversible")), error);
		return h ? json_pack("{s:o}", "history", h) : NULL;
	}
	if (strcmp(method, "condenser_api.get_ops_in_block") == 0) {
		json_int_t n = json_integer_value(json_array_get(params, 0));
		json_t *out;
		char t[20];

		if (nd->faults[CHAINSIM_NO_HISTORY]) {
			*error = json_pack(
			    "{s:i,s:s}", "code", -32003, "message",
			    "Assert Exception:false: account_history_api_plugin not enabled.");
			return NULL;
		}
		/* The condenser call takes [block] or [block, only_virtual]; it cannot ask for
		 * reversible blocks. */
		if (json_array_size(params) != 1 && json_array_size(params) != 2) {
			char msg[128];

			snprintf(msg, sizeof(msg),
			         "Assert Exception:args.size() == 1 || args.size() == 2: Expected "
			         "1-2 arguments, was %zu",
			         json_array_size(params));
			*error = assert_error(msg);
			return NULL;
		}
		/* Served by the history plugin: irreversible blocks only, and it lags
		 * with the history. Only the virtual producer reward every block has
		 * (what the kiosk asks for). */
		out = json_array();
		if (n >= 1 && n <= (json_int_t)lib_of(nd) &&
		    !(nd->faults[CHAINSIM_HISTORY_LAG] &&
		      n + CHAINSIM_HISTORY_LAG_BLOCKS > (json_int_t)head)) {
			fmt_time(c->blocks[n - 1].time_s, t);
			json_array_append_new(
			    out,
			    json_pack("{s:I,s:[s,{s:s,s:s}],s:i,s:s,s:s,s:i,s:b}", "block", n, "op",
			              "producer_reward", "producer", "chainsim", "vesting_shares",
			              "1.000000 VESTS", "op_in_trx", 0, "timestamp", t, "trx_id",
			              "0000000000000000000000000000000000000000", "trx_in_block", 0,
			              "virtual_op", 1));
		}
		return out;
	}
	if (strcmp(method, "condenser_api.get_transaction") == 0) {
		const char *id = json_string_value(json_array_get(params, 0));

		if (nd->faults[CHAINSIM_NO_TX_INDEX]) {
			*error = json_pack(
			    "{s:i,s:s}", "code", -32003, "message",
			    "Assert Exception:false: account_history_api_plugin not enabled.");
			return NULL;
		}

		/* The history plugin serves this too: it lags with the history. */
		unsigned known =
		    nd->faults[CHAINSIM_HISTORY_LAG] && head > CHAINSIM_HISTORY_LAG_BLOCKS
		        ? head - CHAINSIM_HISTORY_LAG_BLOCKS
		    : nd->faults[CHAINSIM_HISTORY_LAG] ? 0
		                                       : c->nblocks;

		for (unsigned b = 0; id && b < known; b++) {
			size_t i;
			json_t *v;

			json_array_foreach(c->blocks[b].ids, i,
			                   v) if (strcmp(json_string_value(v), id) == 0)
			{
				json_t *tx = json_deep_copy(json_array_get(c->blocks[b].txs, i));

				if (nd->faults[CHAINSIM_LIE])
					lie_in_tx(tx);
				/* A node that alters the transaction it serves: its id no longer
				 * matches. */
				if (nd->faults[CHAINSIM_TAMPER])
					tamper_tx(tx);
				json_object_set_new(tx, "block_num",
				                    json_integer(c->blocks[b].num));
				json_object_set_new(tx, "transaction_id", json_string(id));
				json_object_set_new(tx, "transaction_num",
				                    json_integer((json_int_t)i));
				return tx;
			}
		}
		*error = json_pack("{s:i,s:s}", "code", -32003, "message", "Unknown Transaction");
		return NULL;
	}
	if (strcmp(method, "condenser_api.get_accounts") == 0) {
		json_t *names = json_array_get(params, 0), *out = json_array(), *n;
		size_t i;

		json_array_foreach(names, i, n)
		{
			struct account *a =
			    json_is_string(n) ? account(c, json_string_value(n)) : NULL;
			char key[KEY_TEXT_MAX], pkey[KEY_TEXT_MAX];
			uint8_t pub[33], priv[32];

			if (!a)
				continue;
			memcpy(pub, a->pub, sizeof(pub));
			/* A node that lies about keys: another key pair, as a forger would serve.
			 */
			if (nd->faults[CHAINSIM_WRONG_KEYS] || nd->faults[CHAINSIM_FORGE]) {
				key_from_login(a->name, "active", "forged", priv);
				if (sig_public_key(priv, pub))
					continue;
			}
			if (key_public_format(pub, c->profile->key_prefix, key, sizeof(key)))
				continue;
			if (key_public_format(a->posting_pub, c->profile->key_prefix, pkey,
			                      sizeof(pkey)))
				continue;
			json_array_append_new(
			    out, json_pack("{s:s,s:{s:i,s:[],s:[[s,i]]},s:{s:i,s:[],s:[[s,i]]},"
			                   "s:{s:i,s:[],s:[[s,i]]},s:s}",
			                   "name", a->name, "active", "weight_threshold", 1,
			                   "account_auths", "key_auths", key, 1, "owner",
			                   "weight_threshold", 1, "account_auths", "key_auths", key,
			                   1, "posting", "weight_threshold", 1, "account_auths",
			                   "key_auths", pkey, 1, "memo_key", key));
		}
		return out;
	}
	*error = json_pack("{s:i,s:s}", "code", -32601, "message", "Method not found");
	return NULL;
bad:
	*error = json_pack("{s:i,s:s}", "code", -32602, "message", "Invalid params");
	return NULL;
}

/* ---- TLS server ---- */

/* body as gzip (RFC 1952), malloc'ed; NULL on failure. */
static char *gzip_body(const char *body, size_t len, size_t *out_len)
{
	z_stream z;
	uLong cap = compressBound((uLong)len) + 32;
	char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if (!out || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	                         Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/*
 * Sends a reply, gzip-compressed when the client accepts it (as public
 * nodes behind nginx do); truncated: the header promises the whole body,
 * half comes.
 */
static int respond(struct node *nd, mbedtls_ssl_context *ssl, int status, const char *body,
                   bool truncated, bool gzip)
{
	size_t len = strlen(body), send;
	char *zbody = gzip ? gzip_body(body, len, &len) : NULL;
	char *msg;
	int n, rc = -1;

	if (zbody)
		body = zbody;
	send = truncated ? len / 2 : len;
	msg = malloc(send + 256);
	/* Header and body in one write: two small writes meet the peer's delayed ACK (40 ms). */
	if (!msg) {
		free(zbody);
		return -1;
	}
	n = snprintf(
	    msg, 256,
	    "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n%sContent-Length: %zu\r\n\r\n",
	    status, status == 200 ? "OK" : "Error", zbody ? "Content-Encoding: gzip\r\n" : "", len);
	memcpy(msg + n, body, send);
	pthread_mutex_lock(&nd->c->mu);
	nd->c->requests++;
	nd->c->bytes_out += (size_t)n + send;
	nd->c->body_bytes += send;
	pthread_mutex_unlock(&nd->c->mu);
	if (simtls_write_all(ssl, msg, (size_t)n + send) == 0)
		rc = truncated ? -1 : 0;
	free(msg);
	free(zbody);
	return rc;
}

/* One JSON-RPC call's reply object (under c->mu). */
static json_t *call(struct node *nd, json_t *req)
{
	json_t *res = NULL, *error = NULL, *reply;
	const char *method = json_string_value(json_object_get(req, "method"));

	if (json_is_object(req) && method)
		res = dispatch(nd, method, json_object_get(req, "params"), &error);
	else
		error = json_pack("{s:i,s:s}", "code", -32600, "message", "Invalid Request");
	reply =
	    json_pack("{s:s,s:O}", "jsonrpc", "2.0", "id",
	              json_is_object(req) && json_object_get(req, "id") ? json_object_get(req, "id")
	                                                                : json_null());
	if (error)
		json_object_set_new(reply, "error", error);
	else
		json_object_set_new(reply, "result", res ? res : json_null());
	return reply;
}

/* One request (a call, or a batch: an array of calls answered by an array of replies); -1 when the
 * connection must close. */
static int handle(struct node *nd, mbedtls_ssl_context *ssl, const char *body, size_t len,
                  bool gzip)
{
	struct chainsim *c = nd->c;
	json_error_t jerr;
	json_t *req = json_loadb(body, len, 0, &jerr), *reply;
	bool faults[CHAINSIM_FAULT_COUNT];
	char *text;
	int rc;

	pthread_mutex_lock(&c->mu);
	memcpy(faults, nd->faults, sizeof(faults));
	pthread_mutex_unlock(&c->mu);
	if (faults[CHAINSIM_SLOW]) {
		unsigned ms;
		struct timespec ts;

		pthread_mutex_lock(&c->mu);
		ms = nd->slow_ms ? nd->slow_ms : CHAINSIM_SLOW_MS;
		pthread_mutex_unlock(&c->mu);
		ts = (struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (faults[CHAINSIM_HTTP5XX]) {
		json_decref(req);
		return respond(nd, ssl, 503, "{\"error\":\"service unavailable\"}", false, gzip);
	}
	if (faults[CHAINSIM_MALFORMED]) {
		json_decref(req);
		return respond(nd, ssl, 200, "{\"jsonrpc\":\"2.0\",\"result\":[1,2", false, gzip);
	}
	pthread_mutex_lock(&c->mu);
	if (json_is_array(req) && json_array_size(req) > 0) {
		size_t i;
		json_t *one;

		reply = json_array();
		json_array_foreach(req, i, one) json_array_append_new(reply, call(nd, one));
	} else if (req && !json_is_array(req)) {
		reply = call(nd, req);
	} else {
		reply = json_pack("{s:s,s:n,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", "error", "code",
		                  req ? -32600 : -32700, "message",
		                  req ? "Invalid Request" : "Parse error");
	}
	pthread_mutex_unlock(&c->mu);
	if (faults[CHAINSIM_OVERSIZED] && json_is_object(reply)) {
		/* Valid JSON, far beyond any sane reply: the client must stop reading. */
		char *pad = malloc(CHAINSIM_OVERSIZED_BYTES + 1);

		if (pad) {
			memset(pad, 'x', CHAINSIM_OVERSIZED_BYTES);
			pad[CHAINSIM_OVERSIZED_BYTES] = '\0';
			json_object_set_new(reply, "padding", json_string(pad));
			free(pad);
		}
	} else if (faults[CHAINSIM_OVERSIZED]) {
		char *pad = malloc(CHAINSIM_OVERSIZED_BYTES + 1);

		if (pad) {
			memset(pad, 'x', CHAINSIM_OVERSIZED_BYTES);
			pad[CHAINSIM_OVERSIZED_BYTES] = '\0';
			json_array_append_new(reply, json_string(pad));
			free(pad);
		}
	}
	text = json_dumps(reply, JSON_COMPACT);
	/* Padding compresses to nothing: an oversized reply is sent as it is. */
	rc = respond(nd, ssl, 200, text ? text : "{}", faults[CHAINSIM_TRUNCATED],
	             gzip && !faults[CHAINSIM_OVERSIZED]);
	free(text);
	json_decref(reply);
	json_decref(req);
	return rc;
}

/* Blocks come on time even while a client holds its connection open. */
static void maybe_produce(struct chainsim *c)
{
	pthread_mutex_lock(&c->mu);
	if (c->cfg.block_ms && now_ms() - c->last_block_ms >= c->cfg.block_ms)
		produce_locked(c);
	pthread_mutex_unlock(&c->mu);
}

/* Serves one connection's requests (keep-alive) until it closes or we stop. */
static void serve(struct node *nd, mbedtls_net_context *client)
{
	struct chainsim *c = nd->c;
	mbedtls_ssl_context ssl;
	char *buf = malloc(BODY_MAX + 4096);
	size_t have = 0;
	int ret;

	mbedtls_ssl_init(&ssl);
	if (!buf || mbedtls_ssl_setup(&ssl, &nd->conf))
		goto out;
	mbedtls_ssl_set_bio(&ssl, client, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
	/* The read timeout only lets us notice a stop; a slow client (an
	 * emulated one takes hundreds of ms per step) is waited for. */
	while ((ret = mbedtls_ssl_handshake(&ssl)) != 0)
		if ((ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE &&
		     ret != MBEDTLS_ERR_SSL_TIMEOUT) ||
		    c->stop)
			goto out;
	while (!c->stop) {
		char *end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL;

		maybe_produce(c);
		if (end) {
			size_t hl = (size_t)(end - buf) + 4, cl = 0;
			char *p = strcasestr(buf, "content-length:");

			char *ae = strcasestr(buf, "accept-encoding:");
			bool gzip = false;

			if (p && p < end)
				cl = strtoul(p + 15, NULL, 10);
			if (ae && ae < end) {
				char *eol = strstr(ae, "\r\n");

				gzip = eol && memmem(ae, (size_t)(eol - ae), "gzip", 4);
			}
			if (cl > BODY_MAX)
				break;
			if (have >= hl + cl) {
				if (handle(nd, &ssl, buf + hl, cl, gzip))
					break;
				memmove(buf, buf + hl + cl, have - hl - cl);
				have -= hl + cl;
				continue;
			}
		}
		if (have >= BODY_MAX + 4000)
			break;
		ret = mbedtls_ssl_read(&ssl, (unsigned char *)buf + have, BODY_MAX + 4000 - have);
		if (ret == MBEDTLS_ERR_SSL_TIMEOUT || ret == MBEDTLS_ERR_SSL_WANT_READ)
			continue;
		if (ret <= 0)
			break;
		have += (size_t)ret;
		buf[have] = '\0';
	}
	mbedtls_ssl_close_notify(&ssl);
out:
	mbedtls_ssl_free(&ssl);
	free(buf);
}

struct conn {
	struct node *nd;
	mbedtls_net_context client;
};

static void *serve_conn(void *arg)
{
	struct conn *k = arg;
	struct chainsim *c = k->nd->c;

	serve(k->nd, &k->client);
	mbedtls_net_free(&k->client);
	pthread_mutex_lock(&c->mu);
	k->nd->serving--;
	pthread_mutex_unlock(&c->mu);
	free(k);
	return NULL;
}

/*
 * Each connection is served by its own thread, as a real node serves many
 * clients at once: a client with two requests in flight to one node (its
 * poll and a request beside it) is not made to wait for the first.
 */
static void *run(void *arg)
{
	struct node *nd = arg;
	struct chainsim *c = nd->c;

	while (!c->stop) {
		struct pollfd p = {.fd = nd->listen.fd, .events = POLLIN};
		mbedtls_net_context client;
		bool down;

		maybe_produce(c);
		if (poll(&p, 1, 20) <= 0)
			continue;
		mbedtls_net_init(&client);
		if (mbedtls_net_accept(&nd->listen, &client, NULL, 0, NULL) == 0) {
			pthread_mutex_lock(&c->mu);
			down = nd->faults[CHAINSIM_DOWN];
			pthread_mutex_unlock(&c->mu);
			if (!down && nd->serving < CHAINSIM_CONNS_MAX) {
				struct conn *k = malloc(sizeof(*k));
				pthread_t th;
				pthread_attr_t at;

				if (k) {
					k->nd = nd;
					k->client = client;
					pthread_attr_init(&at);
					pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
					pthread_mutex_lock(&c->mu);
					nd->serving++;
					pthread_mutex_unlock(&c->mu);
					if (pthread_create(&th, &at, serve_conn, k) == 0) {
						pthread_attr_destroy(&at);
						continue; /* the thread frees the connection */
					}
					pthread_mutex_lock(&c->mu);
					nd->serving--;
					pthread_mutex_unlock(&c->mu);
					pthread_attr_destroy(&at);
					free(k);
				}
			}
		}
		mbedtls_net_free(&client);
	}
	return NULL;
}

/* The node's generator, one connection at a time. */
static int locked_random(void *arg, unsigned char *out, size_t len)
{
	struct node *nd = arg;
	int rc;

	pthread_mutex_lock(&nd->rng_mu);
	rc = mbedtls_ctr_drbg_random(&nd->drbg, out, len);
	pthread_mutex_unlock(&nd->rng_mu);
	return rc;
}

static int node_start(struct chainsim *c, unsigned i, unsigned want_port)
{
	struct node *nd = &c->node[i];
	struct sockaddr_storage sa;
	socklen_t salen = sizeof(sa);
	char port[16];

	nd->c = c;
	pthread_mutex_init(&nd->rng_mu, NULL);
	mbedtls_net_init(&nd->listen);
	mbedtls_entropy_init(&nd->entropy);
	mbedtls_ctr_drbg_init(&nd->drbg);
	mbedtls_ssl_config_init(&nd->conf);
	snprintf(port, sizeof(port), "%u", want_port);
	if (mbedtls_ctr_drbg_seed(&nd->drbg, mbedtls_entropy_func, &nd->entropy, NULL, 0) ||
	    mbedtls_ssl_config_defaults(&nd->conf, MBEDTLS_SSL_IS_SERVER,
	                                MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) ||
	    mbedtls_ssl_conf_own_cert(&nd->conf, &c->cert, &c->key) ||
	    mbedtls_net_bind(&nd->listen, "127.0.0.1", port, MBEDTLS_NET_PROTO_TCP))
		return -1;
	mbedtls_ssl_conf_rng(&nd->conf, locked_random, nd);
	mbedtls_ssl_conf_read_timeout(&nd->conf, 50);
	if (getsockname(nd->listen.fd, (struct sockaddr *)&sa, &salen) == 0)
		nd->port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
	return 0;
}

static void node_free(struct node *nd)
{
	mbedtls_net_free(&nd->listen);
	mbedtls_ssl_config_free(&nd->conf);
	mbedtls_ctr_drbg_free(&nd->drbg);
	mbedtls_entropy_free(&nd->entropy);
	pthread_mutex_destroy(&nd->rng_mu);
}

static int make_cert(struct chainsim *c, const char *dir)
{
	static const unsigned char san[] = {0x30, 0x11, 0x82, 0x09, 'l',  'o', 'c', 'a', 'l', 'h',
	                                    'o',  's',  't',  0x87, 0x04, 127, 0,   0,   1};
	mbedtls_pk_context ca_key;
	mbedtls_x509write_cert w;
	mbedtls_mpi serial;
	unsigned char pem[4096];
	char path[512];
	FILE *f;
	int ret = -1;

	mbedtls_pk_init(&ca_key);
	mbedtls_mpi_init(&serial);
	if (mbedtls_pk_setup(&ca_key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
	    mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(ca_key),
	                        mbedtls_ctr_drbg_random, &c->drbg) ||
	    mbedtls_pk_setup(&c->key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
	    mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(c->key),
	                        mbedtls_ctr_drbg_random, &c->drbg))
		goto out;
	/* The CA: self-signed, written for the kiosk to trust. */
	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_lset(&serial, 1);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_serial(&w, &serial);
	mbedtls_x509write_crt_set_validity(&w, "20200101000000", "20991231235959");
	mbedtls_x509write_crt_set_subject_name(&w, "CN=chainsim test CA");
	mbedtls_x509write_crt_set_issuer_name(&w, "CN=chainsim test CA");
	mbedtls_x509write_crt_set_subject_key(&w, &ca_key);
	mbedtls_x509write_crt_set_issuer_key(&w, &ca_key);
	mbedtls_x509write_crt_set_basic_constraints(&w, 1, 0);
	mbedtls_x509write_crt_set_subject_key_identifier(&w);
	mbedtls_x509write_crt_set_authority_key_identifier(&w);
	if (mbedtls_x509write_crt_pem(&w, pem, sizeof(pem), mbedtls_ctr_drbg_random, &c->drbg))
		goto out_w;
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	f = fopen(path, "w");
	if (!f || fputs((char *)pem, f) < 0 || fclose(f))
		goto out_w;
	mbedtls_x509write_crt_free(&w);
	/* The server's certificate, for localhost and 127.0.0.1. */
	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_lset(&serial, 2);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_serial(&w, &serial);
	mbedtls_x509write_crt_set_validity(&w, "20200101000000", "20991231235959");
	mbedtls_x509write_crt_set_subject_name(&w, "CN=localhost");
	mbedtls_x509write_crt_set_issuer_name(&w, "CN=chainsim test CA");
	mbedtls_x509write_crt_set_subject_key(&w, &c->key);
	mbedtls_x509write_crt_set_issuer_key(&w, &ca_key);
	mbedtls_x509write_crt_set_basic_constraints(&w, 0, -1);
	mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_SUBJECT_ALT_NAME,
	                                    MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, san,
	                                    sizeof(san));
	if (mbedtls_x509write_crt_pem(&w, pem, sizeof(pem), mbedtls_ctr_drbg_random, &c->drbg))
		goto out_w;
	if (mbedtls_x509_crt_parse(&c->cert, pem, strlen((char *)pem) + 1))
		goto out_w;
	ret = 0;
out_w:
	mbedtls_x509write_crt_free(&w);
out:
	mbedtls_mpi_free(&serial);
	mbedtls_pk_free(&ca_key);
	return ret;
}

enum kerr chainsim_start(const struct chainsim_config *cfg, struct chainsim **out)
{
	struct chainsim *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return KERR_NOMEM;
	c->cfg = *cfg;
	c->profile = chain_profile_get(cfg->chain);
	c->lib_lag = cfg->lib_lag                     ? cfg->lib_lag
	             : cfg->chain == SITE_CHAIN_STEEM ? CHAINSIM_LIB_LAG_STEEM
	                                              : CHAINSIM_LIB_LAG_HIVE;
	c->nnodes = cfg->nodes == 0                   ? 1
	            : cfg->nodes > CHAINSIM_NODES_MAX ? CHAINSIM_NODES_MAX
	                                              : cfg->nodes;
	pthread_mutex_init(&c->mu, NULL);
	/* Keys anyone can re-derive: login("chainsim", "signing", "chainsim"); the forger's its
	 * own. */
	key_from_login("chainsim", "signing", "chainsim", c->witness_priv);
	key_from_login("chainsim", "signing", "forged", c->forged_priv);
	if (sig_public_key(c->witness_priv, c->witness_pub) ||
	    sig_public_key(c->forged_priv, c->forged_pub)) {
		free(c);
		return KERR_CRYPTO;
	}
	c->pending = json_array();
	c->pending_ids = json_array();
	mbedtls_entropy_init(&c->entropy);
	mbedtls_ctr_drbg_init(&c->drbg);
	mbedtls_x509_crt_init(&c->cert);
	mbedtls_pk_init(&c->key);
	if (mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy, NULL, 0) ||
	    make_cert(c, cfg->dir)) {
		chainsim_stop(c);
		return KERR_IO;
	}
	for (unsigned i = 0; i < c->nnodes; i++)
		if (node_start(c, i, i == 0 ? cfg->port : 0)) {
			chainsim_stop(c);
			return KERR_IO;
		}
	produce_locked(c); /* block 1 */
	for (unsigned i = 0; i < c->nnodes; i++) {
		if (pthread_create(&c->node[i].th, NULL, run, &c->node[i])) {
			chainsim_stop(c);
			return KERR_IO;
		}
		c->node[i].started = true;
	}
	*out = c;
	return KERR_OK;
}

unsigned chainsim_port(const struct chainsim *c)
{
	return c->node[0].port;
}

void chainsim_stats(struct chainsim *c, unsigned long *requests, unsigned long *bytes_out)
{
	pthread_mutex_lock(&c->mu);
	*requests = c->requests;
	*bytes_out = c->bytes_out;
	pthread_mutex_unlock(&c->mu);
}

unsigned long chainsim_body_bytes(struct chainsim *c)
{
	unsigned long n;

	pthread_mutex_lock(&c->mu);
	n = c->body_bytes;
	pthread_mutex_unlock(&c->mu);
	return n;
}

unsigned chainsim_node_port(const struct chainsim *c, unsigned node)
{
	return node < c->nnodes ? c->node[node].port : 0;
}

unsigned chainsim_node_count(const struct chainsim *c)
{
	return c->nnodes;
}

void chainsim_stop(struct chainsim *c)
{
	if (!c)
		return;
	c->stop = true;
	for (unsigned i = 0; i < c->nnodes; i++)
		if (c->node[i].started)
			pthread_join(c->node[i].th, NULL);
	/* The connections' threads notice the stop within a read timeout. */
	for (bool busy = true; busy;) {
		struct timespec ts = {0, 10000000};

		busy = false;
		pthread_mutex_lock(&c->mu);
		for (unsigned i = 0; i < c->nnodes; i++)
			busy |= c->node[i].serving > 0;
		pthread_mutex_unlock(&c->mu);
		if (busy)
			nanosleep(&ts, NULL);
	}
	for (unsigned i = 0; i < c->nnodes; i++)
		if (c->node[i].c)
			node_free(&c->node[i]);
	mbedtls_pk_free(&c->key);
	mbedtls_x509_crt_free(&c->cert);
	mbedtls_ctr_drbg_free(&c->drbg);
	mbedtls_entropy_free(&c->entropy);
	for (unsigned i = 0; i < c->nblocks; i++)
		free_block(&c->blocks[i]);
	json_decref(c->forged_pending);
	json_decref(c->forged_pending_ids);
	for (unsigned i = 0; i < c->nops; i++) {
		free(c->ops[i].memo);
		free(c->ops[i].json);
	}
	free(c->ops);
	free(c->blocks);
	json_decref(c->pending);
	json_decref(c->pending_ids);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
