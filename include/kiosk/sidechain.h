/*
 * Replies of a sidechain node (Steem-Engine, Hive-Engine; the
 * steemsmartcontracts JSON-RPC server): /blockchain getTransactionInfo, what
 * became of a mainchain custom_json on the sidechain, and /contracts findOne
 * on the tokens table, a token's precision. Only parsing: which nodes are
 * asked and how many must agree is the caller's.
 *
 * A getTransactionInfo result is the sidechain's transaction: transactionId,
 * blockNumber, sender, contract, action, payload (JSON text, or an object on
 * old nodes) and logs, itself JSON text: {"events":[{"contract":"tokens",
 * "event":"transfer","data":{"from","to","symbol","quantity"}}]} when the
 * transfer executed, {"errors":["overdrawn balance"]} when it did not.
 */
#ifndef KIOSK_SIDECHAIN_H
#define KIOSK_SIDECHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/token.h"

#define SIDECHAIN_REPLY_MAX (64 * 1024) /* bytes of one reply */
#define SIDECHAIN_LOGS_MAX  8192        /* bytes of a transaction's logs text */
#define SIDECHAIN_ERROR_MAX 255         /* bytes kept of the sidechain's error text */
/* A mainchain id (40 hex), "-N" per operation and per action of a batch. */
#define SIDECHAIN_TXID_MAX 64

enum sidechain_state {
	SIDECHAIN_NOT_FOUND, /* the node has not (yet) got the transaction */
	SIDECHAIN_EXECUTED,  /* the transfer happened: see transfer */
	SIDECHAIN_FAILED,    /* the sidechain refused it: see error */
};

struct sidechain_outcome {
	enum sidechain_state state;
	/* SIDECHAIN_EXECUTED and SIDECHAIN_FAILED: */
	char txid[SIDECHAIN_TXID_MAX + 1];
	uint64_t block_num; /* the sidechain block */
	/* SIDECHAIN_EXECUTED: from the transfer event (from, to, symbol,
	 * quantity) and the payload (memo, "" if none). */
	struct token_transfer transfer;
	/* SIDECHAIN_FAILED: the first error, cut at a character boundary. */
	char error[SIDECHAIN_ERROR_MAX + 1];
};

/* A sidechain transaction id: 1..SIDECHAIN_TXID_MAX of lowercase hex and '-'. */
bool sidechain_txid_valid(const char *s);

/*
 * Parses a getTransactionInfo reply (the whole JSON-RPC body) for a tokens
 * transfer of a token with `precision` decimals. "result": null is
 * SIDECHAIN_NOT_FOUND. Refused with a reason: a JSON-RPC error or no result
 * (KERR_PROTO), a transaction that is not tokens/transfer, logs with both
 * errors and events, an executed transfer without exactly one tokens
 * "transfer" event, an event whose from is not the sender or whose to,
 * symbol or quantity differ from the payload's, anything malformed or over
 * its bound (KERR_PARSE, KERR_INVAL, KERR_TOO_BIG). *out is zeroed on error.
 * The caller still compares the transfer with the operation it proved.
 */
KIOSK_MUST_CHECK enum kerr sidechain_parse_tx_info(const char *body, size_t len, uint8_t precision,
                                                   struct sidechain_outcome *out, const char **why);

/*
 * Parses a findOne reply on the tokens table for `symbol`: the result's
 * symbol must be that symbol and its precision an integer 0..8. "result":
 * null is KERR_NOTFOUND (no such token); the rest as above. *precision is 0
 * on error.
 */
KIOSK_MUST_CHECK enum kerr sidechain_parse_token_precision(const char *body, size_t len,
                                                           const char *symbol, uint8_t *precision,
                                                           const char **why);

#endif
