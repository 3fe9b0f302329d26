/*
 * The chain watcher: asks the site's nodes (the pool picks the best; a
 * failing one backs off, pool.h) for the head and the co-op's account history
 * from the journal's cursor on, and proves every new transfer to the co-op
 * before it is reported: the transaction is fetched and checked against
 * the payer's authority (proof.h). Polls are timed to the block schedule
 * (watchplan.h): just after each expected block while a request is open,
 * rarely otherwise. Non-blocking: everything runs in the kiosk's loop.
 */
#ifndef KIOSK_WATCHER_H
#define KIOSK_WATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"
#include "kiosk/pool.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"

struct watcher;

#define WATCHER_DETAIL_MAX 256
/* With one node configured there is no one to check it against. */
#define WATCHER_ONE_NODE "one node: payments are trusted to it"

/* A transfer to the co-op, proven. Fields borrowed for the call. */
struct watcher_transfer {
	const char *trx_id;
	uint32_t op_index;
	uint32_t block;
	int64_t time_ms;
	const char *from;
	const char *to; /* the co-op; or the payee of a refund it sent */
	struct asset amount;
	const char *memo;
	size_t memo_len;
	unsigned node;     /* which of the site's nodes proved it */
	uint32_t op_count; /* operations in its transaction; 0 = not known */
};

/*
 * A transfer to the co-op the kiosk cannot prove, though no node lied
 * about it: its transaction holds an operation the kiosk does not
 * serialize, its payer's authority cannot be resolved, or a signature is
 * outside the kiosk's rule. Never paid; shown to staff. Fields borrowed.
 */
struct watcher_unverified {
	const char *trx_id;
	uint32_t op_index;
	uint32_t block;
	int64_t time_ms;
	const char *from;
	struct asset amount;
	const char *memo;
	size_t memo_len;
	const char *reason;
	unsigned node; /* the node that served it */
};

struct watcher_events {
	/*
	 * A proven transfer the journal has not seen; the kiosk records it and
	 * returns KERR_OK. Any error (the journal busy, full, read-only): the
	 * cursor stays before it and it is reported again later, with back-off.
	 */
	enum kerr (*transfer)(struct watcher_events *e, const struct watcher_transfer *t);
	/* A transfer that cannot be proven (above); recorded as the transfer is (KERR_OK), or
	 * reported again later. NULL: only logged. */
	enum kerr (*unverified)(struct watcher_events *e, const struct watcher_unverified *u);
	/* A reported transfer failed its proof: the node provably lied (its bytes do not hash to
	 * the id it claimed, no such transfer in them, signed by no key of the payer). */
	void (*refused)(struct watcher_events *e, const char *trx_id, const char *why);
	/* After each poll: the chain's head and last irreversible block. */
	void (*head)(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s);
	/* A second, different node proved the transfer too (watcher_second_opinion). */
	void (*agreed)(struct watcher_events *e, const char *trx_id, uint32_t op_index);
	/* The pool's state changed; detail names each node that is not good and why. */
	void (*pool)(struct watcher_events *e, enum pool_state state, const char *detail);
	/*
	 * A reported transfer's block left the chain before it was irreversible
	 * (a fork: another block, signed by its witness, holds that height
	 * without the transaction). May be NULL.
	 */
	void (*reverted)(struct watcher_events *e, const char *trx_id, uint32_t op_index,
	                 uint32_t block);
	/*
	 * A sidechain token transfer to the co-op of a token the site accepts,
	 * proven on the chain as a transfer is (its custom_json, its signer's
	 * active authority, its block across nodes), amount in the token at 8
	 * decimals (WATCHER_TOKEN_PRECISION). Not yet paid: the sidechain must
	 * confirm it executed (sidechain_check.h). As transfer for errors. NULL:
	 * token transfers are not looked for.
	 */
	enum kerr (*token)(struct watcher_events *e, const struct watcher_transfer *t);
};

/* A token transfer's quantity as the watcher reports it: in 10^-8 units, the widest a token
 * has (tokens.js), so any token's quantity is exact before its own precision is known. */
#define WATCHER_TOKEN_PRECISION 8

/* History indexes above this are refused (a double holds them exactly; index + batch cannot
 * overflow). */
#define WATCHER_HISTORY_INDEX_MAX ((int64_t)1 << 53)

/* Where the co-op's account history was read up to. */
struct watcher_cursor {
	int64_t history_index; /* last account-history index read; -1 = none */
	uint32_t block;        /* last block read; 0 = none */
	int64_t block_time_ms; /* that block's time */
};

/*
 * The journal, as the watcher needs it; the app supplies it (the watcher
 * never opens or writes the journal itself). ctx is the table's own,
 * passed back on every call. Each returns KERR_OK or the journal's error.
 */
struct watcher_journal_ops {
	/* The cursor of chain/account; a cursor never saved: {-1, 0, 0}. */
	enum kerr (*cursor_get)(void *ctx, const char *chain, const char *account,
	                        struct watcher_cursor *out);
	enum kerr (*cursor_set)(void *ctx, const char *chain, const char *account,
	                        const struct watcher_cursor *c);
	/* Whether this transfer (operation op_index of trx_id) is already recorded. */
	enum kerr (*transfer_seen)(void *ctx, const char *trx_id, uint32_t op_index, bool *seen);
	/* The newest block holding a recorded transfer; 0 = none. */
	enum kerr (*newest_transfer_block)(void *ctx, uint32_t *block);
	/* The kept block-signing key (text) of a witness; KERR_NOTFOUND if none. May be NULL (none
	 * kept). */
	enum kerr (*witness_key_get)(void *ctx, const char *chain, const char *witness, char *key,
	                             size_t cap);
	/* Keeps a witness's key learned from a quorum of nodes. May be NULL. */
	enum kerr (*witness_key_set)(void *ctx, const char *chain, const char *witness,
	                             const char *key);
	/*
	 * With no cursor yet (a first run): the wall-clock time (ms) reading must
	 * start from, so a payment made before the first usable poll is found
	 * (the oldest open payment request's creation, or the site's `since`);
	 * 0 = nothing owed. May be NULL.
	 */
	enum kerr (*first_read_ms)(void *ctx, int64_t *ms);
};

/*
 * Reads the cursor and the newest recorded transfer's block from the
 * journal, then polls from the loop. journal, journal_ctx, site, loop,
 * clock, ev and rng (which spreads the back-off of failed nodes) are
 * borrowed for the watcher's life. The journal's error, KERR_NOMEM, or
 * http_new()'s error; *out is NULL then.
 */
KIOSK_MUST_CHECK enum kerr watcher_open(const struct site *site,
                                        const struct watcher_journal_ops *journal,
                                        void *journal_ctx, struct loop *loop,
                                        const struct clock *clock, struct rng *rng,
                                        struct watcher_events *ev, struct watcher **out);
void watcher_close(struct watcher *w);

/*
 * Asks, at the end of a coming poll, a node other than t->node for t's
 * transaction and proves it again; `agreed` says when one did. Used for
 * payments above the site's strict_above. Copies t; at most 8 wait at once
 * (more are dropped: ask again on a later head).
 */
void watcher_second_opinion(struct watcher *w, const struct watcher_transfer *t);

/* While a payment request is open, poll on every block. */
void watcher_set_urgent(struct watcher *w, bool urgent);

enum pool_state watcher_pool_state(const struct watcher *w);

#endif
