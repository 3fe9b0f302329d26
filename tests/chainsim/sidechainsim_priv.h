/*
 * What sidechainsim.c (the nodes' replies) and sidechainsim_exec.c (the
 * tokens contract run on the chain's blocks) share.
 */
#ifndef SIDECHAINSIM_PRIV_H
#define SIDECHAINSIM_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/sidechain.h"
#include "kiosk/token.h"
#include "sidechainsim.h"

#define FIRST_BLOCK     2061216u  /* a sidechain block number of the size real ones have */
#define FIRST_REF_BLOCK 41967400u /* the mainchain block it refers to */
#define PENDING_BLOCKS  16        /* chain blocks fed and not executed yet */
#define PAYLOAD_TO_MAX  32        /* bytes of a payload's "to" as sent (untrimmed) */

struct sim_tx {
	char txid[SIDECHAIN_TXID_MAX + 1];
	char from[TOKEN_ACCOUNT_MAX + 1], to[TOKEN_ACCOUNT_MAX + 1];
	char payload_to[PAYLOAD_TO_MAX + 1]; /* "to" as the payload has it; "": as to */
	char symbol[TOKEN_SYMBOL_MAX + 1];
	char quantity[TOKEN_QUANTITY_MAX + 2]; /* room for a lie's extra digit */
	char memo[TOKEN_MEMO_MAX + 1];
	bool has_memo;
	char error[SIDECHAIN_ERROR_MAX + 1]; /* "": executed */
	unsigned block;
	unsigned ref_block; /* the chain block it came from; 0: made up from block */
	int64_t at_ms;
};

struct sim_token {
	char symbol[TOKEN_SYMBOL_MAX + 1];
	unsigned precision;
};

struct sim_balance {
	char account[TOKEN_ACCOUNT_MAX + 1];
	char symbol[TOKEN_SYMBOL_MAX + 1];
	int64_t units; /* at the token's precision */
};

struct sim_pending {
	unsigned num;
	char *json; /* the chain block as get_block serves it */
};

struct sidechainsim {
	struct sidechainsim_config cfg;
	struct simtls *tls;
	pthread_mutex_t mu; /* everything below */
	bool faults[SIDECHAINSIM_NODES_MAX][SIDECHAINSIM_FAULT_COUNT];
	struct sim_tx tx[SIDECHAINSIM_TX_MAX];
	unsigned ntx;
	struct sim_token token[SIDECHAINSIM_TOKENS];
	unsigned ntokens;
	unsigned long requests;
	unsigned last_block; /* the newest sidechain block */
	struct sim_balance balance[SIDECHAINSIM_BALANCES];
	unsigned nbalances;
	struct sim_pending pending[PENDING_BLOCKS];
	unsigned npending;
};

int64_t sidechainsim_now_ms(void);

/* Records a transaction in sidechain block `block` (under mu); false when full. to is the
 * event's, payload_to the payload's (NULL: the same). */
bool sidechainsim_record_locked(struct sidechainsim *s, const char *txid, const char *from,
                                const char *to, const char *payload_to, const char *symbol,
                                const char *quantity, const char *memo, const char *error,
                                unsigned block, unsigned ref_block);

/* Frees the chain blocks fed and not executed. */
void sidechainsim_exec_fini(struct sidechainsim *s);

#endif
