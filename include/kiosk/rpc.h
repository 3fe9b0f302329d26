/*
 * JSON-RPC 2.0 with the chain's nodes (condenser_api, which both chains
 * serve): request bodies, and replies parsed into plain structs. Pure: no
 * I/O. A reply is untrusted: its size is bounded by the transport, its id
 * must be ours, its shape is checked field by field, and an error object
 * becomes KERR_PROTO with the node's message.
 */
#ifndef KIOSK_RPC_H
#define KIOSK_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/authority.h"
#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/tx.h"

#define RPC_BODY_MAX    512
#define RPC_MSG_MAX     160
#define RPC_HISTORY_MAX 1000

struct rpc_error {
	int64_t code;
	char message[RPC_MSG_MAX];
};

/* A parsed reply; free with rpc_doc_free(). */
struct rpc_doc;

/* {"jsonrpc":"2.0","id":id,"method":"condenser_api.<name>","params":params_json}. */
KIOSK_MUST_CHECK enum kerr rpc_request(char *buf, size_t cap, uint64_t id, const char *method,
                                       const char *params_json);

/*
 * Parses a reply body. KERR_PARSE for no JSON; KERR_PROTO for a wrong or
 * missing id, no result, or an error object (*err filled, may be NULL);
 * KERR_NOTFOUND for a null or empty result (a block not there yet).
 */
KIOSK_MUST_CHECK enum kerr rpc_reply(const char *body, size_t len, uint64_t id,
                                     struct rpc_doc **out, struct rpc_error *err);
void rpc_doc_free(struct rpc_doc *d);
/*
 * A batch's reply (an array of replies, in any order): docs[k] gets the
 * result of the call with id first_id + k, or NULL when that call has no
 * result (an error, null, missing). KERR_PARSE: not JSON; KERR_PROTO: not
 * an array of replies.
 */
KIOSK_MUST_CHECK enum kerr rpc_batch_reply(const char *body, size_t len, uint64_t first_id,
                                           size_t n, struct rpc_doc **docs);

struct rpc_dgp {
	uint32_t head_block;
	char head_block_id[41];
	int64_t time_s; /* head block time, UTC */
	uint32_t irreversible_block;
};
KIOSK_MUST_CHECK enum kerr rpc_dgp(const struct rpc_doc *d, struct rpc_dgp *out);

/* One entry of get_account_history: an operation that touched the account. */
struct rpc_history {
	int64_t index;
	uint32_t block;
	char trx_id[41];
	uint32_t trx_in_block, op_in_trx;
	int64_t time_s;
	bool is_transfer; /* a "transfer" operation */
	char from[17], to[17];
	struct asset amount;
	char memo[TX_MEMO_MAX + 1];
	size_t memo_len;
	/* A sidechain token transfer (a custom_json; never in the co-op's own
	 * history, found in blocks): amount is the token's, read at 8 decimals. */
	bool is_token;
};
/* Entries in the reply's order (oldest first); *n may be 0. */
KIOSK_MUST_CHECK enum kerr rpc_history(const struct rpc_doc *d, const struct chain_profile *p,
                                       struct rpc_history *out, size_t max, size_t *n);

/* get_block: header facts, and transaction i with its node-reported id. */
struct rpc_block {
	char block_id[41];
	char previous[41];
	int64_t time_s;
	size_t tx_count;
};
KIOSK_MUST_CHECK enum kerr rpc_block(const struct rpc_doc *d, struct rpc_block *out);
KIOSK_MUST_CHECK enum kerr rpc_block_tx(const struct rpc_doc *d, const struct chain_profile *p,
                                        size_t i, struct tx **tx, char trx_id[41]);
/* As rpc_block_tx, with tx_from_json's reason (a static string) for a
 * transaction refused: KERR_NOTSUP names what could not be serialized. */
KIOSK_MUST_CHECK enum kerr rpc_block_tx_why(const struct rpc_doc *d, const struct chain_profile *p,
                                            size_t i, struct tx **tx, char trx_id[41],
                                            const char **why);

/*
 * The whole block of a get_block reply (condenser_api or block_api), to be
 * checked from its own bytes with block_verify (block.h); the node's
 * block_id and trx ids above are only its word. Errors as block_from_json.
 */
struct block;
KIOSK_MUST_CHECK enum kerr rpc_block_parse(const struct rpc_doc *d, const struct chain_profile *p,
                                           struct block **out, const char **why);

/*
 * get_ops_in_block: how many operations the node lists for `block` (every
 * entry must name that block: KERR_PARSE otherwise). Every produced block
 * holds at least its producer's reward (a virtual operation), so none for
 * an old enough block means the node's history plugin lags its blocks.
 */
KIOSK_MUST_CHECK enum kerr rpc_ops_in_block(const struct rpc_doc *d, uint32_t block, size_t *n);

/* get_transaction: the transaction and the block the node says holds it. */
KIOSK_MUST_CHECK enum kerr rpc_transaction(const struct rpc_doc *d, const struct chain_profile *p,
                                           struct tx **tx, uint32_t *block);

/*
 * get_accounts: the active and owner authority of `name` (STM... keys
 * parsed), each in full: weight_threshold, key_auths and account_auths.
 * KERR_NOTFOUND when the reply does not hold `name` (one reply may hold
 * several accounts: call once per name); KERR_TOO_BIG when a list holds
 * more than AUTHORITY_AUTHS_MAX (40, the chains' limit) entries;
 * KERR_PARSE for any malformed entry.
 */
KIOSK_MUST_CHECK enum kerr rpc_account_auth(const struct rpc_doc *d, const struct chain_profile *p,
                                            const char *name, struct authority *active,
                                            struct authority *owner);

/*
 * get_witness_by_account: the witness's block-signing key (its signing_key).
 * KERR_NOTFOUND when the reply is another witness's; KERR_PARSE for a
 * malformed reply or key.
 */
KIOSK_MUST_CHECK enum kerr rpc_witness_key(const struct rpc_doc *d, const struct chain_profile *p,
                                           const char *name, uint8_t key[33]);

#endif
