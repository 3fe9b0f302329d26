/*
 * A local chain for tests and the demo: real TLS on loopback (a CA and a
 * server certificate made at start, the CA written as ca.pem), the
 * condenser_api JSON-RPC methods the kiosk uses in the shapes real nodes
 * answer, blocks produced at an interval, transfers signed with real keys,
 * and faults on command.
 */
#ifndef CHAINSIM_H
#define CHAINSIM_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/kerr.h"
#include "kiosk/site.h"

struct chainsim;

#define CHAINSIM_NODES_MAX          4
#define CHAINSIM_SLOW_MS            4000
#define CHAINSIM_CONNS_MAX          16 /* connections a node serves at once; more are closed */
#define CHAINSIM_OVERSIZED_BYTES    (4u << 20)
#define CHAINSIM_HISTORY_LAG_BLOCKS 1200
#define CHAINSIM_AHEAD_BLOCKS       1000

struct chainsim_config {
	enum site_chain chain;
	unsigned port;     /* node 0's; 0: any free port (see chainsim_port) */
	const char *dir;   /* ca.pem goes here */
	unsigned block_ms; /* 0: blocks only on chainsim_produce */
	unsigned nodes;    /* nodes serving the same chain, each on its own port (0 = 1) */
	unsigned lib_lag;  /* blocks the last irreversible block trails the head;
	                    * 0: the chain's own (CHAINSIM_LIB_LAG_STEEM / _HIVE) */
};

/* Steem's last irreversible block trails its head by 15-18 blocks; Hive's by 1-2 since HF26. */
#define CHAINSIM_LIB_LAG_STEEM 16
#define CHAINSIM_LIB_LAG_HIVE  1
/* The account history plugins' paging limits (steemd: limit <= 10000; hived: limit <= 1000). */
#define CHAINSIM_HISTORY_LIMIT_STEEM 10000
#define CHAINSIM_HISTORY_LIMIT_HIVE  1000

enum chainsim_fault {
	CHAINSIM_DOWN, /* connections closed at once */
	CHAINSIM_HTTP5XX,
	CHAINSIM_MALFORMED,   /* bodies that are not JSON */
	CHAINSIM_LIE,         /* amounts 1 unit higher: history, blocks, transactions */
	CHAINSIM_STALE,       /* its head stops where it was (the chain goes on) */
	CHAINSIM_SLOW,        /* each answer waits CHAINSIM_SLOW_MS */
	CHAINSIM_TRUNCATED,   /* half the promised body, then the connection closes */
	CHAINSIM_OVERSIZED,   /* replies padded to CHAINSIM_OVERSIZED_BYTES */
	CHAINSIM_TAMPER,      /* transactions served altered, in blocks too (ids no longer match) */
	CHAINSIM_REPLAY,      /* history lists every operation twice */
	CHAINSIM_HISTORY_LAG, /* history and get_transaction know nothing of the last
	                       * CHAINSIM_HISTORY_LAG_BLOCKS blocks (blocks are current) */
	CHAINSIM_NO_TX_INDEX, /* get_transaction answers "plugin not enabled", as many public nodes
	                       */
	CHAINSIM_NO_HISTORY,  /* get_account_history answers "plugin not enabled" */
	CHAINSIM_WRONG_KEYS,  /* get_accounts serves other keys than the accounts' */
	CHAINSIM_ACCOUNT_LAG, /* only get_account_history lags as above (get_ops_in_block is
	                       * current): an account the node's history does not track,
	                       * or the two methods routed to different backends */
	CHAINSIM_HEAD_AHEAD, /* its head is CHAINSIM_AHEAD_BLOCKS ahead of the chain's, timed now */
	CHAINSIM_FORGE,      /* serves made-up blocks holding chainsim_forge_transfer()'s
	                      * transfers, signed by a forger's key it also calls the
	                      * witness's, and forged payer keys (as CHAINSIM_WRONG_KEYS) */
	CHAINSIM_POISON_INDEX, /* history entries served with indexes near 2^63 */
	CHAINSIM_FAULT_COUNT
};

enum kerr chainsim_start(const struct chainsim_config *cfg, struct chainsim **out);
void chainsim_stop(struct chainsim *c);
unsigned chainsim_port(const struct chainsim *c);
unsigned chainsim_node_port(const struct chainsim *c, unsigned node);
unsigned chainsim_node_count(const struct chainsim *c);
/* Requests answered and bytes sent (headers and bodies), over all nodes, so far. */
void chainsim_stats(struct chainsim *c, unsigned long *requests, unsigned long *bytes_out);
/* The bytes of response bodies alone (as sent: compressed when the client asked for gzip). */
unsigned long chainsim_body_bytes(struct chainsim *c);
/* The last irreversible block as the nodes tell it (head - lib_lag). */
unsigned chainsim_lib(const struct chainsim *c);

/* A transfer signed by from's active key, included in the next block. */
enum kerr chainsim_transfer(struct chainsim *c, const char *from, const char *to,
                            const char *amount, const char *memo);
/*
 * A transaction no kiosk can prove, included in the next block: a transfer
 * to `to` (operation 0, listed in to's history) followed by an operation of
 * a made-up kind ("chainsim_poison", which nothing serializes), with an id
 * and a signature that cannot be checked. What anyone can send for 0.001.
 */
enum kerr chainsim_poisoned_transfer(struct chainsim *c, const char *from, const char *to,
                                     const char *amount, const char *memo);
/* Produces one block now. */
void chainsim_produce(struct chainsim *c);
unsigned chainsim_head(const struct chainsim *c);
/* Waits until n more blocks have been produced. */
void chainsim_wait_blocks(const struct chainsim *c, unsigned n);
/* A fault on every node (the network), or on one. */
void chainsim_fault(struct chainsim *c, enum chainsim_fault f, bool on);
void chainsim_node_fault(struct chainsim *c, unsigned node, enum chainsim_fault f, bool on);
/* Node's answers each wait ms (CHAINSIM_SLOW with its own time); 0: at once again. */
void chainsim_node_slow(struct chainsim *c, unsigned node, unsigned ms);

/*
 * Blocks are real: transaction_merkle_root computed from the transactions,
 * the header signed by the witness "chainsim" (key: login("chainsim",
 * "signing", "chainsim"), served by get_witness_by_account and as each
 * block's signing_key), the id computed from the signed header.
 */
void chainsim_witness_key(const struct chainsim *c, char *out, size_t cap);
/* A transfer made up by forging nodes: in the twin of the next block only they serve. */
enum kerr chainsim_forge_transfer(struct chainsim *c, const char *from, const char *to,
                                  const char *amount, const char *memo);
/* Changes chainsim_config.lib_lag while running (0: 1). */
void chainsim_set_lib_lag(struct chainsim *c, unsigned blocks);
/* A micro-fork: block num is replaced by one without its transactions; returns how many
 * transfers left the chain. */
unsigned chainsim_fork_drop(struct chainsim *c, unsigned num);

/* How a token transfer is put on the chain: as a wallet does, or as the kiosk must refuse. */
enum chainsim_token_style {
	CHAINSIM_TOKEN_ACTIVE,    /* required_auths [from], signed with from's active key */
	CHAINSIM_TOKEN_POSTING,   /* required_posting_auths [from], signed with its posting key
	                           * (login(from, "posting", "chainsim"), served by get_accounts) */
	CHAINSIM_TOKEN_OTHER_ID,  /* active, but id CHAINSIM_TOKEN_OTHER_ID_TEXT */
	CHAINSIM_TOKEN_SECOND_OP, /* active, operation 1 after a CHAINSIM_TOKEN_NOTE_ID custom_json
	                           * of from's in the same transaction: "<trx_id>-1" on the
	                           * sidechain */
};
#define CHAINSIM_TOKEN_OTHER_ID_TEXT "ssc-testnet1"
#define CHAINSIM_TOKEN_NOTE_ID       "chainsim-note"

/*
 * A sidechain token transfer as a custom_json (id token_sidechain_id() of the
 * chain, json {"contractName":"tokens","contractAction":"transfer",
 * "contractPayload":{"symbol","to","quantity","memo"}}), in a transaction
 * signed as style says, included in the next block and listed in from's
 * history only (a custom_json impacts its auths, not the receiver). quantity
 * is sent as given ("10.000", or "10.0001" for a sidechain to refuse); memo
 * NULL is "". trx_id gets the transaction id (40 hex), op_index the
 * operation's index in it.
 */
enum kerr chainsim_token_transfer(struct chainsim *c, const char *from, const char *to,
                                  const char *symbol, const char *quantity, const char *memo,
                                  enum chainsim_token_style style, char trx_id[41],
                                  unsigned *op_index);

#endif
