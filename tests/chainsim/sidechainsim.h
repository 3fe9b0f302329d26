/*
 * A local sidechain (Steem-Engine, Hive-Engine) for tests: N nodes over real
 * TLS on loopback (simtls.h; the CA written as sidechain-ca.pem) answering
 * the steemsmartcontracts JSON-RPC methods the kiosk uses, in the shapes
 * its JsonRPCServer sends: /blockchain getTransactionInfo,
 * getLatestBlockInfo and getStatus, /contracts findOne on tokens/tokens.
 * A transaction's payload and logs are JSON text inside the result, as on
 * the real nodes. Transfers are either recorded by the test (executed or
 * refused, as it says) or executed from the chain's blocks with balances
 * (sidechainsim_feed, sidechainsim_follow). Faults per node.
 */
#ifndef SIDECHAINSIM_H
#define SIDECHAINSIM_H

#include <stdbool.h>
#include <stddef.h>

#include "chainsim.h"
#include "kiosk/kerr.h"
#include "kiosk/site.h"

struct sidechainsim;

#define SIDECHAINSIM_NODES_MAX 4
#define SIDECHAINSIM_CA_FILE   "sidechain-ca.pem"
#define SIDECHAINSIM_SLOW_MS   4000
#define SIDECHAINSIM_LAG_S     60  /* a lagging node's default delay */
#define SIDECHAINSIM_TX_MAX    256 /* transactions it keeps */
#define SIDECHAINSIM_TOKENS    16
#define SIDECHAINSIM_BALANCES  64
/* plugins/Streamer.js holds two chain blocks (antiForkBufferMaxSize) before it
 * sends the oldest to the sidechain: block N executes when N + 2 arrives. */
#define SIDECHAINSIM_DELAY_BLOCKS 2

struct sidechainsim_config {
	const char *dir;       /* SIDECHAINSIM_CA_FILE is written here */
	enum site_chain chain; /* Steem-Engine (refSteemBlockNumber) or Hive-Engine */
	unsigned nodes;        /* 0 = 1; at most SIDECHAINSIM_NODES_MAX */
	unsigned port;         /* node 0's; 0: any free port */
	unsigned lag_s;        /* SIDECHAINSIM_LAG's delay; 0 = SIDECHAINSIM_LAG_S */
	unsigned
	    delay_blocks; /* chain blocks before one is executed; 0 = SIDECHAINSIM_DELAY_BLOCKS */
};

enum sidechainsim_fault {
	SIDECHAINSIM_DOWN,      /* connections closed without an answer */
	SIDECHAINSIM_SLOW,      /* each answer waits SIDECHAINSIM_SLOW_MS */
	SIDECHAINSIM_HTTP5XX,   /* 503 */
	SIDECHAINSIM_MALFORMED, /* bodies that are not JSON */
	SIDECHAINSIM_LIE,       /* executed transfers one unit larger (payload and event alike),
	                         * refused ones reported executed, precisions one off */
	SIDECHAINSIM_LAG,       /* transactions of the last lag_s seconds unknown (result null) */
	SIDECHAINSIM_FAULT_COUNT
};

enum kerr sidechainsim_start(const struct sidechainsim_config *cfg, struct sidechainsim **out);
void sidechainsim_stop(struct sidechainsim *s);
unsigned sidechainsim_node_port(const struct sidechainsim *s, unsigned node);
unsigned sidechainsim_node_count(const struct sidechainsim *s);
void sidechainsim_node_fault(struct sidechainsim *s, unsigned node, enum sidechainsim_fault f,
                             bool on);
/* Requests answered (any method, any node, faults included) so far. */
unsigned long sidechainsim_requests(struct sidechainsim *s);

/* A token the tokens contract knows, with 0..8 decimals. */
enum kerr sidechainsim_token(struct sidechainsim *s, const char *symbol, unsigned precision);
/*
 * The sidechain executed the mainchain transaction txid (with its "-N"
 * suffix if any), a transfer of quantity ("10.000") symbol from `from` to
 * `to` with memo (NULL: none), in a new sidechain block made now.
 */
enum kerr sidechainsim_transfer(struct sidechainsim *s, const char *txid, const char *from,
                                const char *to, const char *symbol, const char *quantity,
                                const char *memo);
/* The same transfer, refused by the tokens contract with error ("overdrawn balance"). */
enum kerr sidechainsim_refused(struct sidechainsim *s, const char *txid, const char *from,
                               const char *to, const char *symbol, const char *quantity,
                               const char *memo, const char *error);

/*
 * Executing what the chain carries, as a sidechain node does: each chain
 * block fed is parsed as plugins/Streamer.js parses it (custom_json ops
 * whose id is the chain's sidechain id; the sender is required_auths[0],
 * else required_posting_auths[0] and not signed with the active key; the
 * json an action or an array of actions; the txid the chain's, with "-op"
 * when the transaction has several operations and "-action" for an array)
 * and its tokens/transfer actions run delay_blocks chain blocks later with
 * contracts/tokens.js's checks and error texts, in its order: "you must use
 * a custom_json signed with your active key", "invalid params" (a quantity
 * that is not a plain decimal), "cannot transfer to self", "invalid to",
 * "symbol does not exist", "symbol precision mismatch", "must transfer
 * positive quantity", "balance does not exist", "overdrawn balance".
 * Other contracts and actions are not recorded. Faults apply as to
 * transactions recorded by hand.
 */
void sidechainsim_feed(struct sidechainsim *s, unsigned num, const char *block_json);
/* Feeds s every block c makes from now on (chainsim_on_block); NULL c stops.
 * Stop the chain simulator, or call this with NULL, before stopping s. */
void sidechainsim_follow(struct sidechainsim *s, struct chainsim *c);
/* account's balance of symbol (a token already known), as a decimal ("100.000"). */
enum kerr sidechainsim_balance_set(struct sidechainsim *s, const char *account, const char *symbol,
                                   const char *quantity);
/* account's balance as "90.000" ("0.000" when none) into out; KERR_NOTFOUND for an unknown token.
 */
enum kerr sidechainsim_balance(struct sidechainsim *s, const char *account, const char *symbol,
                               char *out, size_t cap);

#endif
