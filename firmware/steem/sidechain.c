/*
 * Sidechain node replies. Shapes from the steemsmartcontracts JSON-RPC
 * server (plugins/JsonRPCServer.js) and its tokens contract
 * (contracts/tokens.js: the "transfer" event and its data).
 */
#include "kiosk/sidechain.h"

#include <string.h>

#include <jansson.h>

static enum kerr why_err(const char **why, const char *reason, enum kerr err)
{
	if (why)
		*why = reason;
	return err;
}

/* The reply's "result", or NULL with *err and *why set. A null result is
 * returned as the json null. */
static json_t *rpc_result(const char *body, size_t len, json_t **root, enum kerr *err,
                          const char **why)
{
	json_error_t jerr;
	json_t *result;

	*root = NULL;
	if (!body || len == 0) {
		*err = why_err(why, "empty reply", KERR_PARSE);
		return NULL;
	}
	if (len > SIDECHAIN_REPLY_MAX) {
		*err = why_err(why, "the reply is larger than 64 KiB", KERR_TOO_BIG);
		return NULL;
	}
	*root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*root || !json_is_object(*root)) {
		*err =
		    why_err(why, "the reply is not a JSON object (or repeats a key)", KERR_PARSE);
		return NULL;
	}
	if (json_object_get(*root, "error")) {
		*err = why_err(why, "the node answered with a JSON-RPC error", KERR_PROTO);
		return NULL;
	}
	result = json_object_get(*root, "result");
	if (!result) {
		*err = why_err(why, "the reply has no result", KERR_PROTO);
		return NULL;
	}
	*err = KERR_OK;
	return result;
}

static const char *str_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool sidechain_txid_valid(const char *s)
{
	size_t n = s ? strnlen(s, SIDECHAIN_TXID_MAX + 1) : 0;

	if (n == 0 || n > SIDECHAIN_TXID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || s[i] == '-'))
			return false;
	return true;
}

/* Copies at most cap - 1 bytes of s, never ending inside a UTF-8 sequence. */
static void copy_cut(char *dst, size_t cap, const char *s, size_t len)
{
	size_t n = len < cap - 1 ? len : cap - 1;

	if (n < len)
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A non-empty array member, or NULL; an empty array counts as absent. */
static json_t *nonempty_array(json_t *obj, const char *key, bool *bad)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return NULL;
	if (!json_is_array(v)) {
		*bad = true;
		return NULL;
	}
	return json_array_size(v) ? v : NULL;
}

/* The transaction's payload as an object: JSON text on today's nodes, an
 * object in the wiki's older sample. *owned is the reference to drop. */
static json_t *payload_object(json_t *tx, json_t **owned)
{
	json_t *p = json_object_get(tx, "payload");
	json_error_t jerr;

	*owned = NULL;
	if (json_is_object(p))
		return p;
	if (!json_is_string(p) || json_string_length(p) > TOKEN_JSON_MAX)
		return NULL;
	*owned =
	    json_loadb(json_string_value(p), json_string_length(p), JSON_REJECT_DUPLICATES, &jerr);
	return json_is_object(*owned) ? *owned : NULL;
}

static enum kerr executed(json_t *tx, json_t *events, uint8_t precision,
                          struct sidechain_outcome *out, const char **why)
{
	json_t *ev, *data, *payload, *owned, *memo;
	const char *sender = str_member(tx, "sender"), *from, *to, *symbol, *quantity, *p_to,
	           *p_symbol, *p_quantity;
	int64_t p_units;
	enum kerr err;

	if (json_array_size(events) != 1)
		return why_err(why, "a transfer must have exactly one event", KERR_INVAL);
	ev = json_array_get(events, 0);
	data = json_object_get(ev, "data");
	/* Nodes before events carried their contract name leave it out. */
	if (!json_is_object(ev) ||
	    (json_object_get(ev, "contract") && !str_member(ev, "contract")) ||
	    (str_member(ev, "contract") && strcmp(str_member(ev, "contract"), "tokens") != 0) ||
	    !str_member(ev, "event") || strcmp(str_member(ev, "event"), "transfer") != 0 ||
	    !json_is_object(data))
		return why_err(why, "the event is not a tokens transfer", KERR_INVAL);
	from = str_member(data, "from");
	to = str_member(data, "to");
	symbol = str_member(data, "symbol");
	quantity = str_member(data, "quantity");
	if (!token_account_valid(from) || !token_account_valid(to) || !token_symbol_valid(symbol) ||
	    !quantity)
		return why_err(why,
		               "the transfer event's from, to, symbol or quantity is not valid",
		               KERR_INVAL);
	err = token_quantity_parse(quantity, json_string_length(json_object_get(data, "quantity")),
	                           precision, &out->transfer.quantity, why);
	if (err)
		return err;
	if (!sender || strcmp(sender, from) != 0)
		return why_err(why, "the transfer event's from is not the transaction's sender",
		               KERR_INVAL);
	payload = payload_object(tx, &owned);
	if (!payload) {
		json_decref(owned);
		return why_err(why, "the transaction's payload is not a JSON object", KERR_PARSE);
	}
	p_to = str_member(payload, "to");
	p_symbol = str_member(payload, "symbol");
	p_quantity = str_member(payload, "quantity");
	memo = json_object_get(payload, "memo");
	err = KERR_INVAL;
	if (!p_to || !p_symbol || !p_quantity || strcmp(p_to, to) != 0 ||
	    strcmp(p_symbol, symbol) != 0) {
		why_err(why, "the transfer event does not match the payload (to, symbol)", err);
		goto out;
	}
	if (token_quantity_parse(p_quantity, strlen(p_quantity), precision, &p_units, NULL) ||
	    p_units != out->transfer.quantity) {
		why_err(why, "the transfer event's quantity is not the payload's", err);
		goto out;
	}
	if (memo && (!json_is_string(memo) || json_string_length(memo) > TOKEN_MEMO_MAX)) {
		why_err(why, "the payload's memo is not a string of at most 2047 bytes", err);
		goto out;
	}
	strcpy(out->transfer.from, from);
	strcpy(out->transfer.to, to);
	strcpy(out->transfer.symbol, symbol);
	if (memo)
		memcpy(out->transfer.memo, json_string_value(memo), json_string_length(memo) + 1);
	out->transfer.precision = precision;
	out->state = SIDECHAIN_EXECUTED;
	err = KERR_OK;
out:
	json_decref(owned);
	return err;
}

static enum kerr tx_outcome(json_t *tx, uint8_t precision, struct sidechain_outcome *out,
                            const char **why)
{
	json_t *logs_text = json_object_get(tx, "logs"),
	       *block = json_object_get(tx, "blockNumber");
	json_t *logs, *errors, *events, *first;
	const char *txid = str_member(tx, "transactionId");
	json_error_t jerr;
	bool bad = false;
	enum kerr err;

	if (!json_is_object(tx))
		return why_err(why, "the result is not a transaction object", KERR_PARSE);
	if (!str_member(tx, "contract") || strcmp(str_member(tx, "contract"), "tokens") != 0 ||
	    !str_member(tx, "action") || strcmp(str_member(tx, "action"), "transfer") != 0)
		return why_err(why, "the sidechain transaction is not a tokens transfer",
		               KERR_INVAL);
	if (!sidechain_txid_valid(txid))
		return why_err(why, "the transactionId is missing or not a transaction id",
		               KERR_PARSE);
	if (!json_is_integer(block) || json_integer_value(block) <= 0)
		return why_err(why, "the blockNumber is missing or not a positive integer",
		               KERR_PARSE);
	if (!json_is_string(logs_text))
		return why_err(why, "the transaction has no logs text", KERR_PARSE);
	if (json_string_length(logs_text) > SIDECHAIN_LOGS_MAX)
		return why_err(why, "the transaction's logs are longer than 8192 bytes",
		               KERR_TOO_BIG);
	strcpy(out->txid, txid);
	out->block_num = (uint64_t)json_integer_value(block);
	logs = json_loadb(json_string_value(logs_text), json_string_length(logs_text),
	                  JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(logs)) {
		json_decref(logs);
		return why_err(why,
		               "the transaction's logs are not a JSON object (or repeat a key)",
		               KERR_PARSE);
	}
	errors = nonempty_array(logs, "errors", &bad);
	events = nonempty_array(logs, "events", &bad);
	if (bad) {
		err = why_err(why, "the logs' errors or events are not arrays", KERR_PARSE);
	} else if (errors && events) {
		/* tokens.js emits its event only after every check passed. */
		err = why_err(why, "the logs hold both errors and events", KERR_INVAL);
	} else if (errors) {
		first = json_array_get(errors, 0);
		if (!json_is_string(first)) {
			err = why_err(why, "the sidechain's error is not text", KERR_PARSE);
		} else {
			copy_cut(out->error, sizeof(out->error), json_string_value(first),
			         json_string_length(first));
			out->state = SIDECHAIN_FAILED;
			err = KERR_OK;
		}
	} else if (events) {
		err = executed(tx, events, precision, out, why);
	} else {
		err = why_err(why, "the logs hold neither errors nor a transfer event", KERR_INVAL);
	}
	json_decref(logs);
	return err;
}

enum kerr sidechain_parse_tx_info(const char *body, size_t len, uint8_t precision,
                                  struct sidechain_outcome *out, const char **why)
{
	json_t *root, *result;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (precision > TOKEN_PRECISION_MAX)
		return why_err(why, "token precision above 8", KERR_INVAL);
	result = rpc_result(body, len, &root, &err, why);
	if (result && json_is_null(result)) {
		out->state = SIDECHAIN_NOT_FOUND;
	} else if (result) {
		err = tx_outcome(result, precision, out, why);
		if (err)
			memset(out, 0, sizeof(*out));
	}
	json_decref(root);
	return err;
}

enum kerr sidechain_parse_token_precision(const char *body, size_t len, const char *symbol,
                                          uint8_t *precision, const char **why)
{
	json_t *root, *result, *p;
	const char *sym;
	enum kerr err;

	*precision = 0;
	if (why)
		*why = NULL;
	result = rpc_result(body, len, &root, &err, why);
	if (!result)
		goto out;
	if (json_is_null(result)) {
		err = why_err(why, "the sidechain has no such token", KERR_NOTFOUND);
		goto out;
	}
	sym = str_member(result, "symbol");
	p = json_object_get(result, "precision");
	if (!json_is_object(result) || !sym) {
		err = why_err(why, "the result is not a token record", KERR_PARSE);
	} else if (!symbol || strcmp(sym, symbol) != 0) {
		err = why_err(why, "the node answered for another token", KERR_PROTO);
	} else if (!json_is_integer(p) || json_integer_value(p) < 0 ||
	           json_integer_value(p) > TOKEN_PRECISION_MAX) {
		err = why_err(why, "the token's precision is not an integer 0..8", KERR_RANGE);
	} else {
		*precision = (uint8_t)json_integer_value(p);
		err = KERR_OK;
	}
out:
	json_decref(root);
	return err;
}
