/*
 * The sidechain running the tokens contract on what the chain carries.
 * Sources: steemsmartcontracts plugins/Streamer.js (which operations become
 * sidechain transactions, their sender and txid) and contracts/tokens.js
 * (actions.transfer: its checks, in order, and their error texts;
 * subBalance's "balance does not exist" and "overdrawn balance").
 */
#include "sidechainsim_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static struct sim_token *find_token(struct sidechainsim *s, const char *symbol)
{
	for (unsigned i = 0; i < s->ntokens; i++)
		if (strcmp(s->token[i].symbol, symbol) == 0)
			return &s->token[i];
	return NULL;
}

static struct sim_balance *find_balance(struct sidechainsim *s, const char *account,
                                        const char *symbol, bool create)
{
	struct sim_balance *b;

	for (unsigned i = 0; i < s->nbalances; i++)
		if (strcmp(s->balance[i].account, account) == 0 &&
		    strcmp(s->balance[i].symbol, symbol) == 0)
			return &s->balance[i];
	if (!create || s->nbalances == SIDECHAINSIM_BALANCES)
		return NULL;
	b = &s->balance[s->nbalances++];
	memset(b, 0, sizeof(*b));
	snprintf(b->account, sizeof(b->account), "%s", account);
	snprintf(b->symbol, sizeof(b->symbol), "%s", symbol);
	return b;
}

/*
 * A plain decimal ("10", "10.50") as units at `precision`, with its decimals
 * counted as BigNumber counts them (trailing zeros dropped: "10.50" has 1).
 * False when it is not a plain decimal or does not fit; *decimals is set
 * whenever it is one, so a precision mismatch can be told before the units.
 */
static bool plain_units(const char *q, unsigned precision, int64_t *units, unsigned *decimals)
{
	const char *p = q, *dot = NULL;
	size_t frac_len = 0;
	uint64_t v = 0;

	*units = 0;
	*decimals = 0;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p; p++) {
		if (*p == '.' && !dot) {
			dot = p;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
	}
	if (dot) {
		frac_len = strlen(dot + 1);
		if (frac_len == 0)
			return false;
		while (frac_len > 0 && dot[frac_len] == '0')
			frac_len--;
	}
	*decimals = (unsigned)frac_len;
	if (frac_len > precision)
		return true; /* told apart by the caller before units matter */
	for (p = q; *p; p++) {
		if (*p == '.')
			continue;
		if (dot && p > dot + precision)
			break;
		if (v > (uint64_t)(INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	for (size_t k = dot ? (size_t)(p - dot - 1) : 0; k < precision; k++) {
		if (v > (uint64_t)INT64_MAX / 10)
			return false;
		v *= 10;
	}
	*units = (int64_t)v;
	return true;
}

/* Digits with at most one '.' between digits: what BigNumber reads as a number here. */
static bool plain_decimal(const char *q)
{
	const char *dot = strchr(q, '.');

	if (strspn(q, "0123456789.") != strlen(q) || *q == '.' || (dot && strchr(dot + 1, '.')))
		return false;
	return !dot || dot[1] != '\0';
}

/* actions.transfer's verdict: NULL when it executes (balances moved), else its error. */
static const char *transfer(struct sidechainsim *s, const char *sender, bool active, const char *to,
                            const char *symbol, const char *quantity)
{
	struct sim_token *tok;
	struct sim_balance *from, *dest;
	int64_t units;
	unsigned decimals;

	if (!active)
		return "you must use a custom_json signed with your active key";
	if (!symbol || !quantity || !*symbol || !plain_decimal(quantity))
		return "invalid params";
	/* Counts the decimals (units may not fit yet: told below). */
	(void)plain_units(quantity, 0, &units, &decimals);
	if (strcmp(to, sender) == 0)
		return "cannot transfer to self";
	if (!token_account_valid(to))
		return "invalid to";
	tok = find_token(s, symbol);
	if (!tok)
		return "symbol does not exist";
	if (decimals > tok->precision)
		return "symbol precision mismatch";
	if (!plain_units(quantity, tok->precision, &units, &decimals))
		return "overdrawn balance"; /* more than any balance can hold */
	if (units <= 0)
		return "must transfer positive quantity";
	from = find_balance(s, sender, symbol, false);
	if (!from)
		return "balance does not exist";
	if (from->units < units)
		return "overdrawn balance";
	dest = find_balance(s, to, symbol, true);
	if (!dest || dest->units > INT64_MAX - units)
		return "overdrawn balance"; /* the simulator's table is full: never in tests */
	from->units -= units;
	dest->units += units;
	return NULL;
}

static const char *str_member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* to without the white space JavaScript's trim() removes (ASCII part), into out. */
static void trim(const char *to, char *out, size_t cap)
{
	const char *ws = " \t\n\v\f\r";
	size_t start = strspn(to, ws), end = strlen(to);

	while (end > start && strchr(ws, to[end - 1]))
		end--;
	snprintf(out, cap, "%.*s", (int)(end - start), to + start);
}

/*
 * One action of a custom_json: recorded when it is tokens/transfer. What
 * the simulator cannot show (a name, symbol or memo beyond its bounds) is
 * neither executed nor recorded, rather than stored cut.
 */
static void run_action(struct sidechainsim *s, json_t *action, const char *txid, const char *sender,
                       bool active, unsigned ref_block, bool *made)
{
	json_t *payload = json_object_get(action, "contractPayload");
	const char *to, *symbol, *quantity, *memo, *error;
	char final_to[PAYLOAD_TO_MAX + 1];

	if (!json_is_object(payload) || !str_member(action, "contractName") ||
	    !str_member(action, "contractAction"))
		return;
	if (strcmp(str_member(action, "contractName"), "tokens") != 0 ||
	    strcmp(str_member(action, "contractAction"), "transfer") != 0)
		return;
	to = str_member(payload, "to");
	symbol = str_member(payload, "symbol");
	quantity = str_member(payload, "quantity");
	memo = str_member(payload, "memo");
	if (!sidechain_txid_valid(txid) || !token_account_valid(sender) || !to ||
	    strlen(to) > PAYLOAD_TO_MAX || !symbol || strlen(symbol) > TOKEN_SYMBOL_MAX ||
	    !quantity || strlen(quantity) > TOKEN_QUANTITY_MAX ||
	    (memo && strlen(memo) > TOKEN_MEMO_MAX) || s->ntx == SIDECHAINSIM_TX_MAX)
		return;
	/* tokens.js: finalTo = to.trim(); the event names finalTo, the payload keeps to. */
	trim(to, final_to, sizeof(final_to));
	error = *to ? transfer(s, sender, active, final_to, symbol, quantity) : "invalid params";
	if (!*made) {
		s->last_block++;
		*made = true;
	}
	(void)sidechainsim_record_locked(s, txid, sender, final_to, to, symbol, quantity, memo,
	                                 error, s->last_block, ref_block);
}

/* One chain block, as Streamer.parseTransactions reads it (under mu). */
static void execute(struct sidechainsim *s, unsigned num, const char *text)
{
	json_error_t jerr;
	json_t *block = json_loads(text, 0, &jerr), *txs, *ids, *tx;
	const char *sc_id = token_sidechain_id(s->cfg.chain);
	bool made = false;
	size_t i;

	txs = json_object_get(block, "transactions");
	ids = json_object_get(block, "transaction_ids");
	json_array_foreach(txs, i, tx)
	{
		json_t *ops = json_object_get(tx, "operations"), *op;
		const char *trx_id = json_string_value(json_array_get(ids, i));
		size_t nops = json_array_size(ops), k;

		json_array_foreach(ops, k, op)
		{
			json_t *body = json_array_get(op, 1), *auths, *parsed, *actions;
			const char *kind = json_string_value(json_array_get(op, 0)), *sender;
			bool active;
			size_t nactions, a;

			if (!trx_id || !kind || strcmp(kind, "custom_json") != 0 ||
			    !str_member(body, "id") || strcmp(str_member(body, "id"), sc_id) != 0)
				continue;
			auths = json_object_get(body, "required_auths");
			active = json_array_size(auths) > 0;
			if (!active)
				auths = json_object_get(body, "required_posting_auths");
			sender = json_string_value(json_array_get(auths, 0));
			parsed = json_loads(
			    str_member(body, "json") ? str_member(body, "json") : "", 0, &jerr);
			if (!sender || !parsed) {
				json_decref(parsed);
				continue;
			}
			actions =
			    json_is_array(parsed) ? json_incref(parsed) : json_pack("[O]", parsed);
			nactions = json_array_size(actions);
			for (a = 0; a < nactions; a++) {
				char txid[SIDECHAIN_TXID_MAX + 32];
				int n = snprintf(txid, sizeof(txid), "%s", trx_id);

				if (nops > 1)
					n +=
					    snprintf(txid + n, sizeof(txid) - (size_t)n, "-%zu", k);
				if (nactions > 1)
					snprintf(txid + n, sizeof(txid) - (size_t)n, "-%zu", a);
				run_action(s, json_array_get(actions, a), txid, sender, active, num,
				           &made);
			}
			json_decref(actions);
			json_decref(parsed);
		}
	}
	json_decref(block);
}

void sidechainsim_feed(struct sidechainsim *s, unsigned num, const char *block_json)
{
	pthread_mutex_lock(&s->mu);
	/* Full: the oldest is due anyway. */
	if (s->npending == PENDING_BLOCKS) {
		execute(s, s->pending[0].num, s->pending[0].json);
		free(s->pending[0].json);
		memmove(&s->pending[0], &s->pending[1], --s->npending * sizeof(s->pending[0]));
	}
	s->pending[s->npending].num = num;
	s->pending[s->npending].json = strdup(block_json);
	if (s->pending[s->npending].json)
		s->npending++;
	while (s->npending > 0 && s->pending[0].num + s->cfg.delay_blocks <= num) {
		execute(s, s->pending[0].num, s->pending[0].json);
		free(s->pending[0].json);
		memmove(&s->pending[0], &s->pending[1], --s->npending * sizeof(s->pending[0]));
	}
	pthread_mutex_unlock(&s->mu);
}

static void on_block(void *ctx, unsigned num, const char *json)
{
	sidechainsim_feed(ctx, num, json);
}

void sidechainsim_follow(struct sidechainsim *s, struct chainsim *c)
{
	if (c)
		chainsim_on_block(c, on_block, s);
}

void sidechainsim_exec_fini(struct sidechainsim *s)
{
	for (unsigned i = 0; i < s->npending; i++)
		free(s->pending[i].json);
	s->npending = 0;
}

enum kerr sidechainsim_balance_set(struct sidechainsim *s, const char *account, const char *symbol,
                                   const char *quantity)
{
	struct sim_token *tok;
	struct sim_balance *b;
	int64_t units;
	unsigned decimals;
	enum kerr err = KERR_OK;

	if (!account || !symbol || !quantity || !token_account_valid(account))
		return KERR_INVAL;
	pthread_mutex_lock(&s->mu);
	tok = find_token(s, symbol);
	if (!tok)
		err = KERR_NOTFOUND;
	else if (!plain_units(quantity, tok->precision, &units, &decimals) ||
	         decimals > tok->precision)
		err = KERR_INVAL;
	else if (!(b = find_balance(s, account, symbol, true)))
		err = KERR_TOO_BIG;
	else
		b->units = units;
	pthread_mutex_unlock(&s->mu);
	return err;
}

enum kerr sidechainsim_balance(struct sidechainsim *s, const char *account, const char *symbol,
                               char *out, size_t cap)
{
	struct sim_token *tok;
	struct sim_balance *b;
	enum kerr err;

	pthread_mutex_lock(&s->mu);
	tok = find_token(s, symbol);
	b = tok ? find_balance(s, account, symbol, false) : NULL;
	err = tok ? token_quantity_format(b ? b->units : 0, (uint8_t)tok->precision, out, cap)
	          : KERR_NOTFOUND;
	pthread_mutex_unlock(&s->mu);
	return err;
}
