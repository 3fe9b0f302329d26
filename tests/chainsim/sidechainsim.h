/*
 * A local sidechain (Steem-Engine, Hive-Engine) for tests: N nodes over real
 * TLS on loopback (simtls.h; the CA written as sidechain-ca.pem) answering
 * the steemsmartcontracts JSON-RPC methods the kiosk uses, in the shapes
 * its JsonRPCServer sends: /blockchain getTransactionInfo,
 * getLatestBlockInfo and getStatus, /contracts findOne on tokens/tokens.
 * A transaction's payload and logs are JSON text inside the result, as on
 * the real nodes. Transfers are recorded, not computed from balances: the
 * test says whether one executed or was refused. Faults per node.
 */
#ifndef SIDECHAINSIM_H
#define SIDECHAINSIM_H

#include <stdbool.h>

#include "kiosk/kerr.h"
#include "kiosk/site.h"

struct sidechainsim;

#define SIDECHAINSIM_NODES_MAX 4
#define SIDECHAINSIM_CA_FILE   "sidechain-ca.pem"
#define SIDECHAINSIM_SLOW_MS   4000
#define SIDECHAINSIM_LAG_S     60 /* a lagging node's default delay */
#define SIDECHAINSIM_TX_MAX    64 /* transactions it keeps */
#define SIDECHAINSIM_TOKENS    16

struct sidechainsim_config {
	const char *dir;       /* SIDECHAINSIM_CA_FILE is written here */
	enum site_chain chain; /* Steem-Engine (refSteemBlockNumber) or Hive-Engine */
	unsigned nodes;        /* 0 = 1; at most SIDECHAINSIM_NODES_MAX */
	unsigned port;         /* node 0's; 0: any free port */
	unsigned lag_s;        /* SIDECHAINSIM_LAG's delay; 0 = SIDECHAINSIM_LAG_S */
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

#endif
