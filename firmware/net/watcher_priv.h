/*
 * The watcher's state and the steps of a poll, shared by the files of the
 * watcher module: watcher.c (the poll's dispatch, timers, open/close),
 * watcher_scan.c (account history, blocks, the history-lag probe),
 * watcher_proof.c (the proof and the payer-key cache) and watcher_second.c
 * (second opinions, and asking another node for a moment), watcher_quorum.c
 * (the block across nodes, forks) and watcher_side.c (requests to other
 * nodes beside the poll).
 */
#ifndef KIOSK_WATCHER_PRIV_H
#define KIOSK_WATCHER_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/authority.h"
#include "kiosk/block.h"
#include "kiosk/chain.h"
#include "kiosk/http.h"
#include "kiosk/order.h"
#include "kiosk/pool.h"
#include "kiosk/rpc.h"
#include "kiosk/tx.h"
#include "kiosk/watcher.h"
#include "kiosk/watchplan.h"

/*
 * History is read forward from the cursor in pages of up to HISTORY_BATCH
 * entries (hived allows 1,000 at most, steemd 10,000; 500 keeps a page of
 * long memos within the response cap), after one small call for the newest
 * index ([account, -1, HISTORY_PEEK]): all an idle poll needs.
 */
#define HISTORY_BATCH 500
#define HISTORY_PEEK  1
/* The blocks of a page's transfers are fetched in JSON-RPC batches: at
 * first max_response_kb / BLOCK_BATCH_KB of them (up to BLOCK_BATCH_START),
 * then as many as the blocks read so far show fit (watcher_fit_batch), up
 * to BLOCK_BATCH_MAX. */
#define BLOCK_BATCH_START 25
#define BLOCK_BATCH_MAX   100
#define BLOCK_BATCH_KB    40
#define WATCHER_BODY_MAX  8192 /* a request, or a batch of them */
#define AUTH_CACHE        16
#define AUTH_CACHE_MS     (10 * 60 * 1000) /* keys change rarely; a payer pays often */

/* While a request is open, each new block is read too (history can lag hours). */
#define BLOCKS_PER_POLL   5
#define BLOCKS_BEHIND_MAX 20 /* further behind: the history covers the gap */
/* Catching up the blocks since the oldest open request, for token transfers (which no history of
 * the co-op's lists): blocks read per poll, within the node's request budget (pool.h: 30). */
#define TOKEN_BLOCKS_PER_POLL 20
#define SCAN_PER_POLL         200 /* a node without account history: blocks read per poll (in batches) */

#define SECOND_MAX 8

/*
 * A node's history that still does not list a transfer to the co-op this
 * many blocks after the block holding it lags its own blocks. Past the
 * chain's irreversibility (about 15-20 blocks) a healthy node lists it.
 */
#define HISTORY_LAG_BLOCKS 40
#define HISTORY_PROBE_MS   (10 * 60 * 1000) /* how often each node's history is probed */

struct auth_entry {
	char name[ORDER_ACCOUNT_MAX + 1];
	struct authority active, owner;
	int64_t at_ms; /* 0 = empty */
	bool has_node;
	unsigned node; /* the node that gave them */
};

/* The request of the poll in flight; each has its reply handler (watcher.c). */
enum step {
	S_IDLE,
	S_DGP,
	S_PROBE,
	S_BLOCK,
	S_HISTORY,
	S_TX,
	S_ACCOUNT,
	S_SECOND,
	S_SECOND_ACCOUNT,
	S_QBLOCK,
	S_QWAIT, /* no request of the poll's: the quorum waits for other nodes' copies */
	S_QWITNESS,
	S_FORK,
	S_NAMED,
	S_TX_BATCH
};

#define RECENT_MAX 16

/* A reported transfer whose block is not irreversible yet: watched for a fork. */
struct recent {
	bool used;
	char trx_id[41];
	uint32_t op_index;
	uint32_t block;
	uint8_t id[BLOCK_ID_LEN]; /* the block id the quorum agreed on */
	uint32_t checked_head;    /* the head it was last checked at */
};

#define WITNESS_KEYS 32

/* A witness's block-signing key as the kiosk knows it (kept in the journal). */
struct witness_key {
	char name[BLOCK_WITNESS_MAX + 1];
	uint8_t key[SIG_PUBKEY_LEN];
};

/*
 * A proven transfer's block, asked of every node in turn: it counts once
 * `quorum` operators served the same block (its id computed from its bytes),
 * holding the transaction (merkle root), signed by its witness's key.
 */
struct quorum {
	bool active;
	uint32_t block;
	uint8_t trx[TX_ID_LEN];
	bool have_id;
	uint8_t id[BLOCK_ID_LEN]; /* the first good copy's */
	char witness[BLOCK_WITNESS_MAX + 1];
	uint8_t key[SIG_PUBKEY_LEN]; /* recovered from the first good copy */
	bool key_known;              /* key is the kept one (else being learned) */
	unsigned judged;             /* nodes (bits) whose copy was judged */
	bool home_asked;             /* the poll's node was asked for its copy */
	bool next_blocked;           /* nothing to ask: the transfer cannot be looked for */
	unsigned home;               /* the poll's node */
	unsigned agree;              /* operators (bits) that served the same, good block */
	unsigned key_votes;          /* operators that named key as the witness's */
	bool forged;                 /* a copy signed by another key than the witness's kept one */
	char why[160];               /* why the last copy did not count */
};

/* What a node's request beside the poll is for (watcher_side.c). */
enum side_kind { SIDE_IDLE, SIDE_FRESH, SIDE_BATCH, SIDE_BLOCK };

struct side {
	struct http_request req;
	struct watcher *w;
	unsigned node;
	enum side_kind kind; /* in flight; SIDE_IDLE: none */
	char *body;          /* owned while in flight */
	uint64_t first_id;
	unsigned gen; /* w->side_gen when sent: an answer to a dropped page is discarded */
	int64_t sent_ms;
	/* the blocks asked (in flight) or answered */
	uint32_t nums[BLOCK_BATCH_MAX];
	size_t nasked;
	bool answered, failed;
	struct rpc_doc *copy[BLOCK_BATCH_MAX]; /* NULL: the node did not serve that block */
	size_t ncopy;
	unsigned latency_ms;
	uint32_t want_block; /* to ask for once the request in flight returns; 0 = none */
};

/* A proven transfer waiting for a second node's word (the strict rule). */
struct second {
	bool used;
	char trx_id[41];
	uint32_t op_index;
	uint32_t block;
	char from[ORDER_ACCOUNT_MAX + 1];
	char to[ORDER_ACCOUNT_MAX + 1]; /* the co-op; or the payee of a refund it sent */
	struct asset amount;
	char memo[TX_MEMO_MAX + 1];
	size_t memo_len;
	unsigned first_node; /* who proved it first; ask another */
};

struct watcher {
	const struct site *site;
	const struct chain_profile *chain;
	const struct watcher_journal_ops *journal;
	void *journal_ctx;
	struct loop *loop;
	const struct clock *clock;
	struct watcher_events *ev;
	struct http *http;
	struct watchplan plan;
	struct loop_timer timer;
	struct http_request req;
	char body[WATCHER_BODY_MAX];
	uint64_t id;
	enum step step;
	unsigned node; /* the node of the poll in progress */
	struct pool pool;
	enum pool_state state;
	bool told;                       /* the kiosk has heard the state */
	int64_t sent_ms;                 /* when the current request went out */
	bool urgent, last_found_nothing; /* the last poll saw no new block */
	uint32_t prev_head;              /* the head before the last poll */
	bool more;                       /* the last history batch was full: catching up */
	uint32_t block_next;             /* the next block to read while urgent; 0 = none yet */
	unsigned blocks_left;            /* blocks still to read in this poll */
	bool in_blocks;                  /* w->hist holds a block's transfers, not history */
	bool scanning;             /* this node has no account history: blocks from the cursor */
	struct rpc_doc *block_doc; /* that block, for its transactions (owned) */
	struct rpc_dgp dgp;
	struct watcher_cursor cursor;
	/* the history batch being worked through */
	struct rpc_history *hist;
	size_t nhist, at;
	bool peeked;             /* this poll knows the node's newest history index */
	int64_t hist_asked_max;  /* the last history call: no index past this */
	size_t hist_asked_count; /* ... and no more entries than this */
	int64_t newest;          /* that index; -1 = none */
	int64_t page_cursor;     /* the cursor when the last page was asked: progress */
	/* the blocks of the page's transfers, fetched in a batch (owned; NULL: not served) */
	struct rpc_doc *tx_block[BLOCK_BATCH_MAX];
	uint32_t tx_block_num[BLOCK_BATCH_MAX];
	size_t ntx_block;
	unsigned block_batch; /* blocks per batch now (halved after a failed batch) */
	uint64_t batch_id;    /* the id of the batch's first call */
	struct tx *tx;
	struct auth_entry auth[AUTH_CACHE];
	unsigned auth_next; /* round-robin slot to replace */
	struct second second[SECOND_MAX];
	int second_at;        /* the entry being asked about; -1 = none */
	unsigned poll_node;   /* the node of the poll, while another one is asked */
	bool away;            /* another node than the poll's is being asked */
	uint32_t known_block; /* the newest block known to hold a transfer to the co-op */
	int64_t probe_at[SITE_NODES_MAX]; /* when to probe each node's history next */
	uint32_t probe_block;             /* the block the probe asked about */
	struct quorum q;                  /* watcher_quorum.c */
	struct witness_key wkeys[WITNESS_KEYS];
	unsigned nwkeys;
	struct side side[SITE_NODES_MAX];  /* blocks for the quorum, beside the poll */
	struct side fresh[SITE_NODES_MAX]; /* heads, beside the poll */
	unsigned side_gen;
	bool racing; /* no node measured: the poll waits for the first head asked beside it */
	struct recent recent[RECENT_MAX];
	int fork_at; /* the entry being checked; -1 = none */
	/* PROOF_NEEDS_ACCOUNT: accounts an authority names, fetched for this transfer */
	struct authority_table atab;
	struct auth_entry payer; /* the payer's keys while one is fetched */
	char named[AUTHORITY_ACCOUNT_MAX + 1];
	unsigned named_home;    /* the node that served the transaction */
	unsigned keys_tried;    /* nodes (bits) whose keys for this transfer did not sign it */
	unsigned jfails;        /* journal writes refused in a row */
	int64_t jretry_at_ms;   /* the journal refused: next poll not before */
	int64_t first_read_ms;  /* no cursor yet: read blocks from this time on; 0 = head */
	int64_t skip_before_ms; /* history older than this is passed over (site since); 0 = none */
};

/* The journal refused: from JOURNAL_RETRY_MIN_MS, doubling up to JOURNAL_RETRY_MAX_MS. */
#define JOURNAL_RETRY_MIN_MS 500
#define JOURNAL_RETRY_MAX_MS 30000
/* A node's history may name a block this far past the head it gave (it moved on meanwhile). */
#define HEAD_SLACK_BLOCKS 10

/*
 * The reply handlers (one per step, dispatched by watcher.c): *doc is the
 * reply of step w->step, NULL when the node knows no such thing (only for
 * the steps that accept that). The document stays the dispatcher's, which
 * frees it afterwards; a handler that keeps it sets *doc = NULL.
 */
/* watcher.c: the poll */
int64_t watcher_now_ms(const struct watcher *w);
void watcher_publish(struct watcher *w);
void watcher_fail(struct watcher *w, const char *what);
void watcher_call(struct watcher *w, const char *method, const char *params);
/* Sends w->body as it is (a call or a batch) to w->node. */
void watcher_post(struct watcher *w);
void watcher_finish_poll(struct watcher *w);
void watcher_schedule(struct watcher *w);
/*
 * The journal refused a read or a write (busy, full, read-only): the poll
 * ends where it is, the cursor before what was not recorded, the node not
 * blamed; the next poll is retried with back-off.
 */
void watcher_journal_failed(struct watcher *w, const char *what);

/* watcher_scan.c: history, blocks, the probe */
void watcher_after_head(struct watcher *w);
bool watcher_start_probe(struct watcher *w);
void watcher_start_history(struct watcher *w);
void watcher_start_scan(struct watcher *w);
void watcher_next_transfer(struct watcher *w);
/* Whether a transfer is one the kiosk records: to the co-op, or a refund from it. */
bool watcher_wants(const struct watcher *w, const char *from, const char *to, const char *memo,
                   size_t memo_len);
void watcher_advance_cursor(struct watcher *w, const struct rpc_history *h);
void watcher_end_blocks(struct watcher *w);
/* Frees the blocks fetched for a page's transfers. */
void watcher_drop_tx_blocks(struct watcher *w);
/* The reply to a batch of get_block calls (S_TX_BATCH), raw: the dispatcher does not parse batches.
 */
void watcher_tx_batch_reply(struct watcher *w, const char *body, size_t len);
/* The next batch's size from a reply of len bytes holding blocks blocks. */
void watcher_fit_batch(struct watcher *w, size_t len, size_t blocks);
void watcher_probe_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_block_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_history_reply(struct watcher *w, struct rpc_doc **doc);
/* The node answered the probe or the history with an error: it has no history plugin. */
void watcher_probe_refused(struct watcher *w, const struct rpc_error *e);
void watcher_history_refused(struct watcher *w, const struct rpc_error *e);
/* Why a history batch cannot be true (indexes out of order or bounds, blocks past the head); NULL:
 * sane. */
const char *watcher_history_insane(const struct watcher *w);

/* watcher_proof.c: the proof and the payer-key cache */
void watcher_have_tx(struct watcher *w);
const struct auth_entry *watcher_auth_cached(struct watcher *w, const char *name);
/* The cache slot to fill next (zeroed); watcher_auth_keep() keeps it under name. */
struct auth_entry *watcher_auth_slot(struct watcher *w);
void watcher_auth_keep(struct watcher *w, struct auth_entry *a, const char *name);
enum kerr watcher_tx_in_block(const struct rpc_doc *d, const struct chain_profile *p, uint32_t hint,
                              const char *trx_id, struct tx **out);
/* The current history entry's transaction out of its block d (NULL: the node
 * did not serve it): proven next, recorded as unverified when the kiosk cannot
 * serialize it, or the node failed when the block does not hold it. */
void watcher_tx_from_block(struct watcher *w, const struct rpc_doc *d);
void watcher_tx_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_account_reply(struct watcher *w, struct rpc_doc **doc);
/*
 * w->hist[w->at] cannot be proven (reason), though no node lied: reported
 * as unverified and passed (true), or the journal refused it (false: the
 * poll has ended).
 */
bool watcher_unverified(struct watcher *w, const char *reason);

/* The poll node's copy of block, already fetched for this page (a batch, or the scanned block);
 * NULL if none. */
const struct rpc_doc *watcher_block_in_hand(const struct watcher *w, uint32_t block);
/* watcher_quorum.c: the block of a proven transfer, across nodes; fresh heads */
void watcher_quorum_begin(struct watcher *w);
void watcher_quorum_block_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_quorum_witness_reply(struct watcher *w, struct rpc_doc **doc);
/*
 * A node's copy of a block provably false from its own bytes (they do not
 * hash to its id or root, or the witness's kept key did not sign it): why.
 * Every copy that arrives is audited so, used by the quorum or not.
 */
bool watcher_copy_lies(struct watcher *w, const struct rpc_doc *d, char *why, size_t cap);
/* The next copy to judge, or wait for (S_QWAIT), or the end: proven or not. */
void watcher_quorum_next(struct watcher *w);
/* At the end of a poll: a reported transfer's block checked again until irreversible; true when
 * asked. */
bool watcher_fork_check(struct watcher *w);
void watcher_fork_reply(struct watcher *w, struct rpc_doc **doc);
/* Remembers the block id the quorum agreed on for the transfer being reported. */
void watcher_recent_add(struct watcher *w, const char *trx_id, uint32_t op_index, uint32_t block);
/* watcher_proof.c: a transfer whose block the quorum proved is reported, and the poll goes on. */
void watcher_report_proven(struct watcher *w);

/* watcher_accounts.c: an account the payer's authority names (PROOF_NEEDS_ACCOUNT) */
bool watcher_fetch_named(struct watcher *w, const struct auth_entry *payer, const char *name);
void watcher_named_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_prove(struct watcher *w, const struct auth_entry *auth);

/* watcher_side.c: requests to other nodes beside the poll */
/* Each other node whose head is due, asked for it now. */
void watcher_side_fresh(struct watcher *w, int poll_node);
/* The batch of get_block calls body (ids from first_id, blocks nums) sent to the poll's node,
 * sent to each other usable node of another operator too. */
void watcher_side_batch(struct watcher *w, unsigned poll_node, const char *body, uint64_t first_id,
                        const uint32_t *nums, size_t n);
enum side_copy { SIDE_COPY_HAVE, SIDE_COPY_WAIT, SIDE_COPY_FAILED };
/* Node i's copy of block: in hand (*doc, NULL if it did not serve it), asked (now, if it was
 * not), or its request failed. */
enum side_copy watcher_side_copy(struct watcher *w, unsigned i, uint32_t block,
                                 const struct rpc_doc **doc, unsigned *latency_ms);
/* Each other node of another operator asked for its copy of block, unless it was. */
void watcher_side_prefetch(struct watcher *w, unsigned poll_node, uint32_t block);
/* The page's copies dropped; answers still in flight will be discarded. */
void watcher_side_drop(struct watcher *w);
/* Frees what is kept (after http_free). */
void watcher_side_close(struct watcher *w);

/* watcher_second.c: another node for a moment, second opinions */
void watcher_away_to(struct watcher *w, unsigned other);
void watcher_away_back(struct watcher *w);
bool watcher_ask_second(struct watcher *w);
bool watcher_second_due(const struct watcher *w);
void watcher_second_reply(struct watcher *w, struct rpc_doc **doc);
void watcher_second_account_reply(struct watcher *w, struct rpc_doc **doc);

#endif
