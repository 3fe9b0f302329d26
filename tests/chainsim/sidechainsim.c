/*
 * Reply shapes from steemsmartcontracts: plugins/JsonRPCServer.js (the
 * methods and their results), libs/Block.js and libs/Transaction.js (a
 * block's and a transaction's members), contracts/tokens.js (the transfer
 * event and its errors, the tokens table's records).
 */
#include "sidechainsim.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "kiosk/hash.h"
#include "kiosk/hex.h"
#include "kiosk/sidechain.h"
#include "kiosk/token.h"
#include "sidechainsim_priv.h"
#include "simtls.h"

int64_t sidechainsim_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A stand-in for a block's or transaction's hashes: sha256 of what it names, in hex. */
static void fake_hash(const char *what, unsigned n, char out[2 * HASH_SHA256_LEN + 1])
{
	uint8_t h[HASH_SHA256_LEN];
	char buf[128];

	snprintf(buf, sizeof(buf), "%s/%u", what, n);
	hash_sha256(buf, strlen(buf), h);
	hex_encode(h, sizeof(h), out);
}

/* "10.000" one smallest unit larger ("10.001"; "9.999" becomes "10.000"). */
static void bump_quantity(char *q, size_t cap)
{
	size_t n = strlen(q);

	for (size_t i = n; i-- > 0;) {
		if (q[i] == '.')
			continue;
		if (q[i] != '9') {
			q[i]++;
			return;
		}
		q[i] = '0';
	}
	if (n + 2 <= cap) {
		memmove(q + 1, q, n + 1);
		q[0] = '1';
	}
}

static const char *ref_key(const struct sidechainsim *s)
{
	return s->cfg.chain == SITE_CHAIN_HIVE ? "refHiveBlockNumber" : "refSteemBlockNumber";
}

static json_t *tx_json(const struct sidechainsim *s, const struct sim_tx *t, bool lie)
{
	char q[sizeof(t->quantity)], hash[65], code[65], db[65], *payload_text, *logs_text;
	bool executed = t->error[0] == '\0' || lie;
	json_t *payload, *logs, *res;

	snprintf(q, sizeof(q), "%s", t->quantity);
	if (lie && t->error[0] == '\0')
		bump_quantity(q, sizeof(q));
	payload = json_pack("{s:s,s:s,s:s}", "symbol", t->symbol, "to",
	                    t->payload_to[0] ? t->payload_to : t->to, "quantity", q);
	if (t->has_memo)
		json_object_set_new(payload, "memo", json_string(t->memo));
	json_object_set_new(payload, "isSignedWithActiveKey", json_true());
	if (executed)
		logs = json_pack("{s:[{s:s,s:s,s:{s:s,s:s,s:s,s:s}}]}", "events", "contract",
		                 "tokens", "event", "transfer", "data", "from", t->from, "to",
		                 t->to, "symbol", t->symbol, "quantity", q);
	else
		logs = json_pack("{s:[s]}", "errors", t->error);
	payload_text = json_dumps(payload, JSON_COMPACT);
	logs_text = json_dumps(logs, JSON_COMPACT);
	fake_hash(t->txid, 0, hash);
	fake_hash("tokens.js", 0, code);
	fake_hash(t->txid, 1, db);
	res = json_pack(
	    "{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "blockNumber", (json_int_t)t->block,
	    ref_key(s),
	    (json_int_t)(t->ref_block ? t->ref_block : FIRST_REF_BLOCK + t->block - FIRST_BLOCK),
	    "transactionId", t->txid, "sender", t->from, "contract", "tokens", "action", "transfer",
	    "payload", payload_text ? payload_text : "", "executedCodeHash", code, "hash", hash,
	    "databaseHash", db, "logs", logs_text ? logs_text : "");
	free(payload_text);
	free(logs_text);
	json_decref(payload);
	json_decref(logs);
	return res;
}

/* Whether node sees transaction t yet (a lagging node does not see the last lag_s seconds). */
static bool known(const struct sidechainsim *s, unsigned node, const struct sim_tx *t)
{
	return !s->faults[node][SIDECHAINSIM_LAG] ||
	       sidechainsim_now_ms() - t->at_ms >= (int64_t)s->cfg.lag_s * 1000;
}

/* The newest block node knows (the genesis-like first block when none). */
static unsigned head_of(const struct sidechainsim *s, unsigned node)
{
	unsigned head = FIRST_BLOCK;

	for (unsigned i = 0; i < s->ntx; i++)
		if (known(s, node, &s->tx[i]) && s->tx[i].block > head)
			head = s->tx[i].block;
	return head;
}

static json_t *latest_block(const struct sidechainsim *s, unsigned node, bool lie)
{
	unsigned head = head_of(s, node);
	char hash[65], prev[65], db[65], prevdb[65], merkle[65], ts[24] = "2018-06-28T17:26:54";
	json_t *txs = json_array();
	time_t at = 0;
	struct tm tm;

	for (unsigned i = 0; i < s->ntx; i++)
		if (s->tx[i].block == head) {
			json_array_append_new(txs, tx_json(s, &s->tx[i], lie));
			at = (time_t)(s->tx[i].at_ms / 1000);
		}
	if (at && gmtime_r(&at, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fake_hash("block", head, hash);
	fake_hash("block", head - 1, prev);
	fake_hash("db", head, db);
	fake_hash("db", head - 1, prevdb);
	fake_hash("merkle", head, merkle);
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:o,s:[],s:s,s:s,s:s}", "_id", (json_int_t)head,
	                 "blockNumber", (json_int_t)head, ref_key(s),
	                 (json_int_t)(FIRST_REF_BLOCK + head - FIRST_BLOCK), "previousHash", prev,
	                 "previousDatabaseHash", prevdb, "timestamp", ts, "transactions", txs,
	                 "virtualTransactions", "hash", hash, "databaseHash", db, "merkleRoot",
	                 merkle);
}

static json_t *status(const struct sidechainsim *s, unsigned node)
{
	bool hive = s->cfg.chain == SITE_CHAIN_HIVE;
	unsigned head = head_of(s, node);
	json_int_t ref = (json_int_t)(FIRST_REF_BLOCK + head - FIRST_BLOCK);
	char hash[65];

	fake_hash("block", head, hash);
	return json_pack("{s:s,s:I,s:s,s:I,s:I,s:s}", "SSCnodeVersion", "1.9.3", "lastBlockNumber",
	                 (json_int_t)head, "lastHash", hash,
	                 hive ? "lastBlockRefHiveBlockNumber" : "lastBlockRefSteemBlockNumber", ref,
	                 hive ? "lastParsedHiveBlockNumber" : "lastParsedSteemBlockNumber", ref + 2,
	                 "chainId", hive ? "mainnet-hive" : "mainnet1");
}

static json_t *find_one(const struct sidechainsim *s, json_t *params, bool lie)
{
	const char *contract = json_string_value(json_object_get(params, "contract"));
	const char *table = json_string_value(json_object_get(params, "table"));
	const char *symbol =
	    json_string_value(json_object_get(json_object_get(params, "query"), "symbol"));
	unsigned p;

	if (!contract || !table || !symbol || strcmp(contract, "tokens") || strcmp(table, "tokens"))
		return json_null();
	for (unsigned i = 0; i < s->ntokens; i++) {
		if (strcmp(s->token[i].symbol, symbol) != 0)
			continue;
		p = s->token[i].precision;
		if (lie)
			p = p < TOKEN_PRECISION_MAX ? p + 1 : p - 1;
		return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:b}", "_id",
		                 (json_int_t)i + 1, "issuer", "steemsc", "symbol", symbol, "name",
		                 symbol, "metadata", "{\"url\":\"\",\"icon\":\"\",\"desc\":\"\"}",
		                 "precision", (int)p, "maxSupply", "10000000", "supply", "1000000",
		                 "circulatingSupply", "1000000", "stakingEnabled", 0);
	}
	return json_null();
}

/* One call's result, or NULL with *error set (under mu). */
static json_t *dispatch(struct sidechainsim *s, unsigned node, const char *path, const char *method,
                        json_t *params, json_t **error)
{
	bool lie = s->faults[node][SIDECHAINSIM_LIE];

	if (strcmp(path, "/blockchain") == 0 && strcmp(method, "getTransactionInfo") == 0) {
		const char *txid = json_string_value(json_object_get(params, "txid"));

		for (unsigned i = 0; txid && i < s->ntx; i++)
			if (strcmp(s->tx[i].txid, txid) == 0 && known(s, node, &s->tx[i]))
				return tx_json(s, &s->tx[i], lie);
		return json_null();
	}
	if (strcmp(path, "/blockchain") == 0 && strcmp(method, "getLatestBlockInfo") == 0)
		return latest_block(s, node, lie);
	if (strcmp(path, "/blockchain") == 0 && strcmp(method, "getStatus") == 0)
		return status(s, node);
	if (strcmp(path, "/contracts") == 0 && strcmp(method, "findOne") == 0)
		return find_one(s, params, lie);
	*error = json_pack("{s:i,s:s}", "code", -32601, "message", "Method not found");
	return NULL;
}

static char *handle(void *ctx, unsigned node, const char *path, const char *body, size_t len,
                    int *http_status)
{
	struct sidechainsim *s = ctx;
	bool faults[SIDECHAINSIM_FAULT_COUNT];
	json_t *req, *reply, *res, *error = NULL, *id;
	const char *method;
	json_error_t jerr;
	char *text;

	pthread_mutex_lock(&s->mu);
	memcpy(faults, s->faults[node], sizeof(faults));
	s->requests++;
	pthread_mutex_unlock(&s->mu);
	if (faults[SIDECHAINSIM_DOWN])
		return NULL;
	if (faults[SIDECHAINSIM_SLOW]) {
		struct timespec ts = {SIDECHAINSIM_SLOW_MS / 1000,
		                      (SIDECHAINSIM_SLOW_MS % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	if (faults[SIDECHAINSIM_HTTP5XX]) {
		*http_status = 503;
		return strdup("{\"error\":\"service unavailable\"}");
	}
	if (faults[SIDECHAINSIM_MALFORMED])
		return strdup("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"blockNumber\":");
	if (strcmp(path, "/blockchain") != 0 && strcmp(path, "/contracts") != 0) {
		*http_status = 404;
		return strdup("{\"error\":\"not found\"}");
	}
	req = json_loadb(body, len, 0, &jerr);
	method = json_string_value(json_object_get(req, "method"));
	id = json_object_get(req, "id");
	if (!json_is_object(req) || !method) {
		res = NULL;
		error = json_pack("{s:i,s:s}", "code", req ? -32600 : -32700, "message",
		                  req ? "Invalid Request" : "Parse error");
	} else {
		pthread_mutex_lock(&s->mu);
		res = dispatch(s, node, path, method, json_object_get(req, "params"), &error);
		pthread_mutex_unlock(&s->mu);
	}
	reply = json_pack("{s:s,s:O}", "jsonrpc", "2.0", "id", id ? id : json_null());
	json_object_set_new(reply, error ? "error" : "result", error ? error : res);
	text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	json_decref(req);
	return text;
}

enum kerr sidechainsim_start(const struct sidechainsim_config *cfg, struct sidechainsim **out)
{
	struct sidechainsim *s;
	char ca[512];
	struct simtls_config tc = {.ca_file = ca, .ca_name = "sidechainsim test CA"};
	enum kerr err;

	*out = NULL;
	if (!cfg->dir || cfg->nodes > SIDECHAINSIM_NODES_MAX)
		return KERR_INVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->cfg = *cfg;
	s->cfg.nodes = cfg->nodes ? cfg->nodes : 1;
	s->cfg.lag_s = cfg->lag_s ? cfg->lag_s : SIDECHAINSIM_LAG_S;
	s->cfg.delay_blocks = cfg->delay_blocks ? cfg->delay_blocks : SIDECHAINSIM_DELAY_BLOCKS;
	s->last_block = FIRST_BLOCK;
	pthread_mutex_init(&s->mu, NULL);
	snprintf(ca, sizeof(ca), "%s/%s", cfg->dir, SIDECHAINSIM_CA_FILE);
	tc.nodes = s->cfg.nodes;
	tc.port = cfg->port;
	tc.handle = handle;
	tc.ctx = s;
	err = simtls_start(&tc, &s->tls);
	if (err) {
		pthread_mutex_destroy(&s->mu);
		free(s);
		return err;
	}
	*out = s;
	return KERR_OK;
}

void sidechainsim_stop(struct sidechainsim *s)
{
	if (!s)
		return;
	simtls_stop(s->tls);
	sidechainsim_exec_fini(s);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

unsigned sidechainsim_node_port(const struct sidechainsim *s, unsigned node)
{
	return simtls_port(s->tls, node);
}

unsigned sidechainsim_node_count(const struct sidechainsim *s)
{
	return s->cfg.nodes;
}

void sidechainsim_node_fault(struct sidechainsim *s, unsigned node, enum sidechainsim_fault f,
                             bool on)
{
	if (node >= s->cfg.nodes || f >= SIDECHAINSIM_FAULT_COUNT)
		return;
	pthread_mutex_lock(&s->mu);
	s->faults[node][f] = on;
	pthread_mutex_unlock(&s->mu);
}

unsigned long sidechainsim_requests(struct sidechainsim *s)
{
	unsigned long n;

	pthread_mutex_lock(&s->mu);
	n = s->requests;
	pthread_mutex_unlock(&s->mu);
	return n;
}

enum kerr sidechainsim_token(struct sidechainsim *s, const char *symbol, unsigned precision)
{
	enum kerr err = KERR_OK;

	if (!token_symbol_valid(symbol) || precision > TOKEN_PRECISION_MAX)
		return KERR_INVAL;
	pthread_mutex_lock(&s->mu);
	if (s->ntokens == SIDECHAINSIM_TOKENS) {
		err = KERR_TOO_BIG;
	} else {
		snprintf(s->token[s->ntokens].symbol, sizeof(s->token[0].symbol), "%s", symbol);
		s->token[s->ntokens++].precision = precision;
	}
	pthread_mutex_unlock(&s->mu);
	return err;
}

bool sidechainsim_record_locked(struct sidechainsim *s, const char *txid, const char *from,
                                const char *to, const char *payload_to, const char *symbol,
                                const char *quantity, const char *memo, const char *error,
                                unsigned block, unsigned ref_block)
{
	struct sim_tx *t;

	if (s->ntx == SIDECHAINSIM_TX_MAX)
		return false;
	t = &s->tx[s->ntx];
	memset(t, 0, sizeof(*t));
	snprintf(t->txid, sizeof(t->txid), "%s", txid);
	snprintf(t->from, sizeof(t->from), "%s", from);
	snprintf(t->to, sizeof(t->to), "%s", to);
	snprintf(t->payload_to, sizeof(t->payload_to), "%s", payload_to ? payload_to : "");
	snprintf(t->symbol, sizeof(t->symbol), "%s", symbol);
	snprintf(t->quantity, sizeof(t->quantity), "%s", quantity);
	t->has_memo = memo != NULL;
	snprintf(t->memo, sizeof(t->memo), "%s", memo ? memo : "");
	snprintf(t->error, sizeof(t->error), "%s", error ? error : "");
	t->block = block;
	t->ref_block = ref_block;
	t->at_ms = sidechainsim_now_ms();
	s->ntx++;
	return true;
}

static enum kerr add_tx(struct sidechainsim *s, const char *txid, const char *from, const char *to,
                        const char *symbol, const char *quantity, const char *memo,
                        const char *error)
{
	enum kerr err = KERR_OK;

	if (!txid || strlen(txid) > SIDECHAIN_TXID_MAX || !token_account_valid(from) ||
	    !token_account_valid(to) || !token_symbol_valid(symbol) || !quantity ||
	    strlen(quantity) > TOKEN_QUANTITY_MAX || (memo && strlen(memo) > TOKEN_MEMO_MAX) ||
	    (error && strlen(error) > SIDECHAIN_ERROR_MAX))
		return KERR_INVAL;
	pthread_mutex_lock(&s->mu);
	/* One block per transaction: each is its own newest block when it comes. */
	if (!sidechainsim_record_locked(s, txid, from, to, NULL, symbol, quantity, memo, error,
	                                s->last_block + 1, 0))
		err = KERR_TOO_BIG;
	else
		s->last_block++;
	pthread_mutex_unlock(&s->mu);
	return err;
}

enum kerr sidechainsim_transfer(struct sidechainsim *s, const char *txid, const char *from,
                                const char *to, const char *symbol, const char *quantity,
                                const char *memo)
{
	return add_tx(s, txid, from, to, symbol, quantity, memo, NULL);
}

enum kerr sidechainsim_refused(struct sidechainsim *s, const char *txid, const char *from,
                               const char *to, const char *symbol, const char *quantity,
                               const char *memo, const char *error)
{
	if (!error || !error[0])
		return KERR_INVAL;
	return add_tx(s, txid, from, to, symbol, quantity, memo, error);
}
