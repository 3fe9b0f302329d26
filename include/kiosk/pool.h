/*
 * The node pool: which of the site's nodes to ask next, from each node's
 * health (latency, errors, head block). A node that fails is left alone for
 * an exponentially growing back-off with jitter (so kiosks that lost the
 * same node do not return to it in step); a node whose head lags the best
 * head seen by more than a few blocks is stale and not used while another
 * is current. The pool's state (online, degraded, offline) is what the
 * screen and the staff tools show. Pure: times (ms) and the jitter's
 * random source are passed in.
 */
#ifndef KIOSK_POOL_H
#define KIOSK_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/rng.h"
#include "kiosk/site.h"

#define POOL_BACKOFF_MIN_MS     1000
#define POOL_BACKOFF_MAX_MS     120000
#define POOL_STALE_BLOCKS       10               /* behind the best head by more than this: stale */
#define POOL_HISTORY_RECHECK_MS (10 * 60 * 1000) /* a lagging history is tried again after */
/*
 * The request budget per node, the last safety net against a loop that
 * asks too often (a token bucket): POOL_BUDGET_PER_S requests a second
 * sustained, up to POOL_BUDGET_BURST at once (a catch-up poll that makes
 * progress may run into debt; the next poll to that node waits it off).
 */
#define POOL_BUDGET_PER_S 2
#define POOL_BUDGET_BURST 30

enum pool_state { POOL_ONLINE, POOL_DEGRADED, POOL_OFFLINE };

struct pool_node {
	unsigned latency_ms;  /* smoothed (1/4 of each new sample) */
	bool measured;        /* latency_ms holds a sample */
	unsigned fails;       /* in a row; 0 = healthy */
	unsigned long errors; /* in all */
	uint32_t head;        /* its newest head block */
	int64_t retry_at_ms;  /* in back-off until then */
	int64_t ok_at_ms;     /* its last good answer */
	char why[64];         /* its last failure */
	int64_t
	    history_lag_until_ms; /* its account history lags its own blocks: not used until then */
	int64_t head_time_s;      /* its head block's time (0 = not known) */
	int64_t head_at_ms;       /* when it last told its head */
	uint32_t lib;             /* its last irreversible block, with that head */
	int64_t budget_milli;     /* request tokens, in thousandths (negative: in debt) */
	int64_t budget_at_ms; /* when budget_milli was last brought up to date; 0 = never (full) */
};

struct pool {
	unsigned count;
	struct pool_node n[SITE_NODES_MAX];
	uint32_t best_head;   /* the highest head any node gave */
	struct rng *rng;      /* borrowed: back-off jitter */
	unsigned interval_ms; /* the chain's block interval (pool_set_interval; 0 = 3000) */
};

void pool_init(struct pool *p, unsigned count, struct rng *rng);

/*
 * The node to ask now: out of back-off and not stale, lowest latency first
 * (a node never measured counts as fast, so each is tried). -1 when none;
 * then pool_next_retry_ms() says when one will be.
 */
int pool_pick(const struct pool *p, int64_t now_ms);
/* Node i is out of back-off and not stale: it may be asked. */
bool pool_usable(const struct pool *p, unsigned i, int64_t now_ms);
/* The same, but never node `not` (a second opinion); -1 when no other is usable. */
int pool_pick_other(const struct pool *p, int64_t now_ms, unsigned not );
int64_t pool_next_retry_ms(const struct pool *p);

/* A good answer from node i after latency_ms, with its head block (0 = none given): its failures
 * are forgotten. */
void pool_ok(struct pool *p, unsigned i, int64_t now_ms, unsigned latency_ms, uint32_t head);
/*
 * A good answer from node i, but only one step of a poll: its latency and
 * head are noted, its failures are not forgotten (a node that fails later
 * in every poll keeps backing off). pool_poll_done() when the poll completes.
 */
void pool_answered(struct pool *p, unsigned i, int64_t now_ms, unsigned latency_ms, uint32_t head);
void pool_poll_done(struct pool *p, unsigned i);
/* A failure (transport, HTTP, protocol, proof): back off, doubling up to the cap, ±25 % jitter. */
void pool_fail(struct pool *p, unsigned i, int64_t now_ms, const char *why);
/* Whether node i's head lags the best head seen (it answers, but is behind). */
bool pool_stale(const struct pool *p, unsigned i);

/*
 * Node i's account history lags its own blocks (it does not list a transfer
 * its chain holds): its history is not used for POOL_HISTORY_RECHECK_MS;
 * its blocks still are. The pool is degraded meanwhile.
 */
void pool_history_lagging(struct pool *p, unsigned i, int64_t now_ms);
bool pool_history_lags(const struct pool *p, unsigned i, int64_t now_ms);

/* A request goes to node i now: one token from its budget (it may go into debt). */
void pool_spend(struct pool *p, unsigned i, int64_t now_ms);
/* How long until node i may be asked again within its budget; 0: now. */
int64_t pool_budget_wait_ms(const struct pool *p, unsigned i, int64_t now_ms);

enum pool_state pool_state(const struct pool *p, int64_t now_ms);
const char *pool_state_name(enum pool_state s);

/*
 * Heads judged, not believed. Staleness (pool_stale) is measured against the
 * median of the nodes' heads (the upper middle: with two nodes, the higher),
 * leaving out a head that does not fit its time: one ahead of what every
 * other node's head, carried forward at the block interval to its time,
 * says. One node's claim never makes all the others stale.
 */
#define POOL_CLOCK_SLACK_MS 5000 /* a head's time may be this far ahead of our clock */
#define POOL_FRESH_BLOCKS   3    /* each node's head is asked again after this many blocks */

enum pool_claim {
	POOL_CLAIM_OK,
	POOL_CLAIM_AHEAD_OF_CLOCK, /* its head block's time is in our future: a lie */
	POOL_CLAIM_UNFIT, /* its number does not fit its time (the other nodes', its own before) */
};

void pool_set_interval(struct pool *p, unsigned interval_ms);
/*
 * Node i says its head is `head`, made at head_time_s. Anything but
 * POOL_CLAIM_OK is a lie: its head is forgotten (it counts for nothing) and
 * the caller fails the node. POOL_CLAIM_OK records it (pool_ok still
 * records the node's health).
 */
enum pool_claim pool_head_claim(struct pool *p, unsigned i, int64_t now_ms, uint32_t head,
                                int64_t head_time_s);
const char *pool_claim_str(enum pool_claim c);
/* The head the others are judged against: the median of the believed heads (0 = none). */
uint32_t pool_ref_head(const struct pool *p);
/*
 * Node i is out of back-off and its head was last told more than
 * POOL_FRESH_BLOCKS blocks ago: ask it (a cheap global-properties call)
 * though it is not the one in use.
 */
bool pool_head_is_due(const struct pool *p, unsigned i, int64_t now_ms);

/* Node i's last irreversible block, told with a head pool_head_claim() accepted. */
void pool_set_lib(struct pool *p, unsigned i, uint32_t lib);
/*
 * The last irreversible block to decide by: the lowest among the nodes whose
 * heads are believed and current (not stale, not failing), and never above
 * `own` (the poll node's), which it is when no believed node's is lower.
 */
uint32_t pool_agreed_lib(const struct pool *p, uint32_t own);

#endif
