/*
 * One poll is a chain of requests to one node, one at a time: global
 * properties, then account history from the cursor, then for each new
 * transfer to the co-op the block that holds its transaction (not
 * get_transaction: public nodes often lack its index) and its payer's
 * account, and the proof. Any failure ends the poll, puts that node in back-off (pool.h) and
 * moves to the next; the cursor only advances past a transfer once it was
 * reported (or refused), so nothing is skipped.
 */
#include "kiosk/watcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/http.h"
#include "kiosk/log.h"
#include "kiosk/pool.h"
#include "kiosk/proof.h"
#include "kiosk/rpc.h"
#include "kiosk/watchplan.h"

#define HISTORY_BATCH 100
#define AUTH_CACHE 16
#define AUTH_CACHE_MS (10 * 60 * 1000) /* keys change rarely; a payer pays often */

struct auth_entry {
	char name[ORDER_ACCOUNT_MAX + 1];
	struct authority active, owner;
	int64_t at_ms;                      /* 0 = empty */
};

enum step { S_IDLE, S_DGP, S_PROBE, S_BLOCK, S_HISTORY, S_TX, S_ACCOUNT, S_SECOND, S_SECOND_ACCOUNT };

/* While a request is open, each new block is read too (history can lag hours). */
#define BLOCKS_PER_POLL 5
#define BLOCKS_BEHIND_MAX 20    /* further behind: the history covers the gap */
#define SCAN_PER_POLL 50        /* a node without account history: blocks read per poll */

#define SECOND_MAX 8

/*
 * A node's history that still does not list a transfer to the co-op this
 * many blocks after the block holding it lags its own blocks. Past the
 * chain's irreversibility (about 15-20 blocks) a healthy node lists it.
 */
#define HISTORY_LAG_BLOCKS 40
#define HISTORY_PROBE_MS (10 * 60 * 1000) /* how often each node's history is probed */

/* A proven transfer waiting for a second node's word (the strict rule). */
struct second {
	bool used;
	char trx_id[41];
	uint32_t op_index;
	uint32_t block;
	char from[ORDER_ACCOUNT_MAX + 1];
	struct asset amount;
	char memo[TX_MEMO_MAX + 1];
	size_t memo_len;
	unsigned first_node;                /* who proved it first; ask another */
};

struct watcher {
	const struct site *site;
	const struct chain_profile *chain;
	struct store *store;
	struct loop *loop;
	const struct clock *clock;
	struct watcher_events *ev;
	struct http *http;
	struct watchplan plan;
	struct loop_timer timer;
	struct http_request req;
	char body[RPC_BODY_MAX];
	uint64_t id;
	enum step step;
	unsigned node;                      /* the node of the poll in progress */
	struct pool pool;
	enum pool_state state;
	bool told;                          /* the kiosk has heard the state */
	int64_t sent_ms;                    /* when the current request went out */
	bool urgent, last_found_nothing;     /* the last poll saw no new block */
	uint32_t prev_head;                 /* the head before the last poll */
	bool more;                          /* the last history batch was full: catching up */
	uint32_t block_next;                /* the next block to read while urgent; 0 = none yet */
	unsigned blocks_left;               /* blocks still to read in this poll */
	bool in_blocks;                     /* w->hist holds a block's transfers, not history */
	bool scanning;                      /* this node has no account history: blocks from the cursor */
	struct rpc_doc *block_doc;          /* that block, for its transactions (owned) */
	struct rpc_dgp dgp;
	struct store_cursor cursor;
	/* the history batch being worked through */
	struct rpc_history *hist;
	size_t nhist, at;
	struct tx *tx;
	struct auth_entry auth[AUTH_CACHE];
	unsigned auth_next;                 /* round-robin slot to replace */
	struct second second[SECOND_MAX];
	int second_at;                      /* the entry being asked about; -1 = none */
	unsigned poll_node;                 /* the node of the poll, while another one is asked */
	bool away;                          /* another node than the poll's is being asked */
	uint32_t known_block;               /* the newest block known to hold a transfer to the co-op */
	int64_t probe_at[SITE_NODES_MAX];   /* when to probe each node's history next */
	uint32_t probe_block;               /* the block the probe asked about */
};

static void schedule(struct watcher *w);
static void next_transfer(struct watcher *w);
static void end_blocks(struct watcher *w);

static int64_t now_ms(const struct watcher *w)
{
	return clock_real_ms(w->clock);
}

/* Tells the kiosk when the pool's state changes, with what is wrong. */
static void publish(struct watcher *w)
{
	enum pool_state st = pool_state(&w->pool, now_ms(w));
	char detail[WATCHER_DETAIL_MAX];
	size_t n;

	if (w->told && st == w->state)
		return;
	w->state = st;
	w->told = true;
	n = (size_t)snprintf(detail, sizeof(detail), "%s", pool_state_name(st));
	for (unsigned i = 0; i < w->pool.count && n < sizeof(detail); i++) {
		const struct pool_node *pn = &w->pool.n[i];

		if (pn->fails || pool_stale(&w->pool, i) || pool_history_lags(&w->pool, i, now_ms(w)))
			n += (size_t)snprintf(detail + n, sizeof(detail) - n, "; %s: %s", w->site->nodes[i].url,
			                      pn->fails                ? pn->why
			                      : pool_stale(&w->pool, i) ? "behind the other nodes"
			                                                : "account history lags its blocks");
	}
	if (st == POOL_OFFLINE)
		log_warn("chain nodes: %s (payments are still accepted; staff can confirm)", detail);
	else
		log_notice("chain nodes: %s", detail);
	if (w->ev->pool)
		w->ev->pool(w->ev, st, detail);
}

static void fail(struct watcher *w, const char *what)
{
	log_warn("node %s: %s", w->site->nodes[w->node].url, what);
	tx_free(w->tx);
	w->tx = NULL;
	w->step = S_IDLE;
	end_blocks(w);
	w->scanning = false;
	w->away = false;
	pool_fail(&w->pool, w->node, now_ms(w), what);
	publish(w);
	schedule(w);
}

static void on_reply(struct http_request *r, enum kerr err, long status, const char *body, size_t len);

/*
 * For a moment another node than the poll's is asked (the payer's keys, a
 * second opinion); away_back() returns to the poll's node, crediting the
 * other with its good answer. A failure there backs off the other node.
 */
static void away_to(struct watcher *w, unsigned other)
{
	w->poll_node = w->node;
	w->node = other;
	w->away = true;
}

static void away_back(struct watcher *w)
{
	pool_ok(&w->pool, w->node, now_ms(w), (unsigned)(now_ms(w) - w->sent_ms), 0);
	w->node = w->poll_node;
	w->away = false;
}

static void call(struct watcher *w, const char *method, const char *params)
{
	log_debug("node %s: %s %s", w->site->nodes[w->node].url, method, params);
	if (rpc_request(w->body, sizeof(w->body), ++w->id, method, params)) {
		fail(w, "request too long");
		return;
	}
	w->sent_ms = now_ms(w);
	w->req = (struct http_request){
	    .url = w->site->nodes[w->node].url,
	    .pin = w->site->nodes[w->node].pin,
	    .body = w->body,
	    .timeout_ms = w->site->request_timeout_ms,
	    .max_bytes = (size_t)w->site->max_response_kb * 1024,
	    .done = on_reply,
	};
	if (http_post(w->http, &w->req))
		fail(w, "cannot start a request");
}

static bool ask_second(struct watcher *w);

static void finish_poll(struct watcher *w)
{
	if (ask_second(w))
		return;
	/* No new block yet (it is late, or our clock is ahead): ask again shortly, not at once. */
	w->last_found_nothing = w->dgp.head_block <= w->prev_head;
	w->prev_head = w->dgp.head_block;
	w->step = S_IDLE;
	publish(w);
	if (w->ev->head)
		w->ev->head(w->ev, w->dgp.head_block, w->dgp.irreversible_block, w->dgp.time_s);
	schedule(w);
}

static void advance_cursor(struct watcher *w, const struct rpc_history *h)
{
	if (h->index < 0)
		return; /* found in a block: the history cursor moves when the history lists it */
	w->cursor.history_index = h->index;
	w->cursor.block = h->block;
	w->cursor.block_time_ms = h->time_s * 1000;
	if (store_cursor_set(w->store, w->chain->name, w->site->account, &w->cursor))
		log_err("journal: the chain cursor could not be saved; it will be read again");
}

static void start_scan(struct watcher *w);

static void start_history(struct watcher *w)
{
	char params[160];

	/* Its history lags its blocks: read the blocks from the cursor instead. */
	if (pool_history_lags(&w->pool, w->node, now_ms(w))) {
		start_scan(w);
		return;
	}
	w->step = S_HISTORY;
	/* From the cursor on: start = cursor + batch, limit = batch (condenser counts back). */
	snprintf(params, sizeof(params), "[\"%s\",%lld,%d]", w->site->account,
	         (long long)(w->cursor.history_index + HISTORY_BATCH), HISTORY_BATCH);
	call(w, "get_account_history", params);
}

static void start_block(struct watcher *w)
{
	char params[32];

	w->step = S_BLOCK;
	snprintf(params, sizeof(params), "[%u]", w->block_next);
	call(w, "get_block", params);
}

/* The transfers to the co-op in a block, as history entries outside the cursor (index -1). */
static enum kerr block_transfers(struct watcher *w, const struct rpc_doc *d)
{
	struct rpc_block b;
	enum kerr err = rpc_block(d, &b);

	w->nhist = 0;
	w->at = 0;
	if (err)
		return err;
	for (size_t i = 0; i < b.tx_count; i++) {
		struct tx *tx;
		char id[41];

		/* One we cannot serialize cannot be proven here; the history path refuses it. */
		if (rpc_block_tx(d, w->chain, i, &tx, id) != KERR_OK)
			continue;
		for (size_t j = 0; j < tx_op_count(tx) && w->nhist <= HISTORY_BATCH; j++) {
			struct tx_transfer tr;
			struct rpc_history *h = &w->hist[w->nhist];

			if (tx_transfer_at(tx, j, &tr) != KERR_OK || strcmp(tr.op, "transfer") != 0 ||
			    strcmp(tr.to, w->site->account) != 0 || tr.memo_len > TX_MEMO_MAX)
				continue;
			memset(h, 0, sizeof(*h));
			h->index = -1;
			h->block = w->block_next;
			memcpy(h->trx_id, id, sizeof(h->trx_id));
			h->trx_in_block = (uint32_t)i;
			h->op_in_trx = (uint32_t)j;
			h->time_s = b.time_s;
			h->is_transfer = true;
			snprintf(h->from, sizeof(h->from), "%s", tr.from);
			snprintf(h->to, sizeof(h->to), "%s", tr.to);
			h->amount = tr.amount;
			memcpy(h->memo, tr.memo, tr.memo_len);
			h->memo_len = tr.memo_len;
			w->nhist++;
		}
		tx_free(tx);
	}
	return KERR_OK;
}

static void prove(struct watcher *w, const struct auth_entry *auth);
static const struct auth_entry *auth_cached(struct watcher *w, const char *name);

/* The transaction trx_id in a get_block reply: at index hint, else wherever it is. */
static enum kerr tx_in_block(const struct rpc_doc *d, const struct chain_profile *p, uint32_t hint,
                             const char *trx_id, struct tx **out)
{
	struct rpc_block b;
	char id[41];

	*out = NULL;
	if (rpc_block(d, &b) != KERR_OK)
		return KERR_PARSE;
	if (hint < b.tx_count && rpc_block_tx(d, p, hint, out, id) == KERR_OK) {
		if (strcmp(id, trx_id) == 0)
			return KERR_OK;
		tx_free(*out);
		*out = NULL;
	}
	for (size_t i = 0; i < b.tx_count; i++) {
		if (i == hint || rpc_block_tx(d, p, i, out, id) != KERR_OK)
			continue;
		if (strcmp(id, trx_id) == 0)
			return KERR_OK;
		tx_free(*out);
		*out = NULL;
	}
	return KERR_NOTFOUND;
}

/* w->tx holds the transaction of w->hist[w->at]: the payer's keys, then the proof. */
/*
 * The payer's keys, from another node than the one that served the
 * transaction where one is usable: one lying node cannot then forge both a
 * transfer and the keys it is signed with.
 */
static void ask_keys(struct watcher *w, const char *from)
{
	int other = pool_pick_other(&w->pool, now_ms(w), w->node);
	char params[64];

	if (other >= 0)
		away_to(w, (unsigned)other);
	w->step = S_ACCOUNT;
	snprintf(params, sizeof(params), "[[\"%s\"]]", from);
	call(w, "get_accounts", params);
}

static void have_tx(struct watcher *w)
{
	const struct auth_entry *a = auth_cached(w, w->hist[w->at].from);

	if (a)
		prove(w, a);
	else
		ask_keys(w, w->hist[w->at].from);
}

/*
 * The node has no account history (not every public node runs the plugin):
 * read the blocks from the cursor on instead, SCAN_PER_POLL at a time, at
 * once again while behind. A node that has it later re-reads the history
 * from its own cursor; what the blocks found counts once.
 */
static void start_scan(struct watcher *w)
{
	w->scanning = true;
	w->block_next = w->cursor.block ? w->cursor.block + 1 : w->dgp.head_block;
	w->blocks_left = SCAN_PER_POLL;
	if (w->block_next > w->dgp.head_block) {
		w->scanning = false;
		w->more = false;
		finish_poll(w);
		return;
	}
	start_block(w);
}

static void end_blocks(struct watcher *w)
{
	w->in_blocks = false;
	rpc_doc_free(w->block_doc);
	w->block_doc = NULL;
}

/* The newest block the history batch just read lists (its last entry). */
static uint32_t listed_block(const struct watcher *w)
{
	return w->nhist ? w->hist[w->nhist - 1].block : 0;
}

/* With the head known: the new blocks while a request is open, then the history. */
static void after_head(struct watcher *w)
{
	if (w->urgent) {
		uint32_t head = w->dgp.head_block;

		if (!w->block_next || w->block_next + BLOCKS_BEHIND_MAX < head)
			w->block_next = head;
		if (w->block_next <= head) {
			w->blocks_left = BLOCKS_PER_POLL;
			start_block(w);
			return;
		}
	}
	start_history(w);
}

static void history_lagging(struct watcher *w, const char *why)
{
	pool_history_lagging(&w->pool, w->node, now_ms(w));
	log_warn("node %s: its account history lags its own blocks (%s); reading its blocks instead",
	         w->site->nodes[w->node].url, why);
	publish(w);
}

/*
 * Read to its end, this node's history does not list a transfer to the
 * co-op in an irreversible block HISTORY_LAG_BLOCKS behind its own head:
 * its history lags its blocks (public nodes have served it hours late).
 * Its history is left alone for a while and its blocks are read instead.
 */
static bool history_lags(struct watcher *w)
{
	uint32_t listed = listed_block(w);
	char why[160];

	if (!w->known_block || listed >= w->known_block || w->known_block > w->dgp.irreversible_block ||
	    w->dgp.head_block < w->known_block + HISTORY_LAG_BLOCKS)
		return false;
	snprintf(why, sizeof(why), "it lists nothing after block %u, a transfer to %s is in block %u, its head is %u",
	         listed, w->site->account, w->known_block, w->dgp.head_block);
	history_lagging(w, why);
	return true;
}

/*
 * Now and then (and on the first idle poll of each node) its history is
 * probed without a yardstick of our own: every block holds its producer's
 * reward, so a history plugin that lists no operation for a block
 * HISTORY_LAG_BLOCKS behind the head lags its blocks.
 */
static bool start_probe(struct watcher *w)
{
	char params[32];

	/* Not while a member waits: the blocks are read then anyway. */
	if (w->urgent || now_ms(w) < w->probe_at[w->node] || w->dgp.head_block <= HISTORY_LAG_BLOCKS ||
	    pool_history_lags(&w->pool, w->node, now_ms(w)))
		return false;
	w->probe_at[w->node] = now_ms(w) + HISTORY_PROBE_MS;
	w->probe_block = w->dgp.head_block - HISTORY_LAG_BLOCKS;
	w->step = S_PROBE;
	snprintf(params, sizeof(params), "[%u,true]", w->probe_block);
	call(w, "get_ops_in_block", params);
	return true;
}

static void next_transfer(struct watcher *w)
{
	char params[128];

	while (w->at < w->nhist) {
		const struct rpc_history *h = &w->hist[w->at];
		bool seen = false;

		if (h->is_transfer && strcmp(h->to, w->site->account) == 0 &&
		    store_transfer_seen(w->store, h->trx_id, h->op_in_trx, &seen) == KERR_OK && !seen) {
			char id[41];

			/* From a block: the transaction is in it (get_transaction can lag like the history). */
			if (w->in_blocks && w->block_doc &&
			    rpc_block_tx(w->block_doc, w->chain, h->trx_in_block, &w->tx, id) == KERR_OK) {
				have_tx(w);
				return;
			}
			w->step = S_TX;
			snprintf(params, sizeof(params), "[%u]", h->block);
			call(w, "get_block", params);
			return;
		}
		advance_cursor(w, h);
		w->at++;
	}
	if (w->in_blocks && w->scanning) {
		/* Every transfer of that block is recorded: the cursor moves past it. */
		end_blocks(w);
		w->cursor.block = w->block_next;
		if (store_cursor_set(w->store, w->chain->name, w->site->account, &w->cursor))
			log_err("journal: the chain cursor could not be saved; it will be read again");
		w->block_next++;
		if (--w->blocks_left > 0 && w->block_next <= w->dgp.head_block) {
			start_block(w);
			return;
		}
		w->scanning = false;
		w->more = w->block_next <= w->dgp.head_block;
		finish_poll(w);
		return;
	}
	if (w->in_blocks) {
		/* That block is done: the next one, or the history. */
		end_blocks(w);
		w->block_next++;
		if (--w->blocks_left > 0 && w->block_next <= w->dgp.head_block)
			start_block(w);
		else
			start_history(w);
		return;
	}
	w->more = w->nhist >= HISTORY_BATCH;
	if (!w->more && history_lags(w)) {
		start_scan(w);
		return;
	}
	/*
	 * History read to its end: a node without it would read blocks from
	 * here. Not while it misses a transfer known to be on chain: then it
	 * is complete only up to before that block.
	 */
	if (!w->more && w->dgp.head_block > w->cursor.block && listed_block(w) >= w->known_block) {
		w->cursor.block = w->dgp.head_block;
		w->cursor.block_time_ms = w->dgp.time_s * 1000;
		if (store_cursor_set(w->store, w->chain->name, w->site->account, &w->cursor))
			log_err("journal: the chain cursor could not be saved; it will be read again");
	}
	finish_poll(w);
}

static const struct auth_entry *auth_cached(struct watcher *w, const char *name)
{
	for (unsigned i = 0; i < AUTH_CACHE; i++)
		if (w->auth[i].at_ms && now_ms(w) - w->auth[i].at_ms < AUTH_CACHE_MS &&
		    strcmp(w->auth[i].name, name) == 0)
			return &w->auth[i];
	return NULL;
}

static void auth_forget(struct watcher *w, const char *name)
{
	for (unsigned i = 0; i < AUTH_CACHE; i++)
		if (strcmp(w->auth[i].name, name) == 0)
			w->auth[i].at_ms = 0;
}

/* A transaction that does not prove may be signed by a key newer than the cache. */
static bool auth_fresh_enough(struct watcher *w, const struct auth_entry *e)
{
	return e && now_ms(w) - e->at_ms < 1000;
}

static void prove(struct watcher *w, const struct auth_entry *auth)
{
	const struct rpc_history *h = &w->hist[w->at];
	struct proof_claim claim = {.op_index = h->op_in_trx, .from = h->from, .to = h->to,
	                            .amount = h->amount, .memo = h->memo, .memo_len = h->memo_len};
	enum proof_verdict v = PROOF_NOT_AUTHORIZED;
	enum tx_form form;

	memcpy(claim.trx_id, h->trx_id, sizeof(claim.trx_id));
	if (proof_check(w->tx, &claim, &auth->active, &auth->owner, NULL, &v, &form) != KERR_OK ||
	    v != PROOF_OK) {
		if (v == PROOF_NOT_AUTHORIZED && !auth_fresh_enough(w, auth)) {
			/* Perhaps the payer changed keys since we cached them: ask again. */
			auth_forget(w, h->from);
			ask_keys(w, h->from);
			return;
		}
		log_warn("transfer %s from %s refused: %s", h->trx_id, h->from, proof_verdict_str(v));
		if (w->ev->refused)
			w->ev->refused(w->ev, h->trx_id, proof_verdict_str(v));
		/* A lying node: move to another before trusting anything else it says. */
		tx_free(w->tx);
		w->tx = NULL;
		fail(w, "served a transfer that does not prove");
		return;
	} else {
		struct watcher_transfer t = {
		    .trx_id = h->trx_id, .op_index = h->op_in_trx, .block = h->block,
		    .time_ms = h->time_s * 1000, .from = h->from, .amount = h->amount,
		    .memo = h->memo, .memo_len = h->memo_len, .node = w->node,
		};

		w->ev->transfer(w->ev, &t);
		if (h->block > w->known_block)
			w->known_block = h->block;
	}
	tx_free(w->tx);
	w->tx = NULL;
	advance_cursor(w, h);
	w->at++;
	next_transfer(w);
}

/*
 * The strict rule: a second, different node must serve the same transaction,
 * which must prove the same transfer. One entry per poll, on a node other
 * than the one that proved it first; a failure backs that node off and the
 * entry waits for the next poll.
 */
static bool ask_second(struct watcher *w)
{
	char params[64];

	for (int i = 0; i < SECOND_MAX; i++) {
		struct second *e = &w->second[(w->second_at + 1 + i + SECOND_MAX) % SECOND_MAX];
		int other;

		if (!e->used)
			continue;
		other = pool_pick_other(&w->pool, now_ms(w), e->first_node);
		if (other < 0)
			return false;
		w->second_at = (int)(e - w->second);
		away_to(w, (unsigned)other);
		w->step = S_SECOND;
		snprintf(params, sizeof(params), "[%u]", e->block);
		call(w, "get_block", params);
		return true;
	}
	return false;
}

/* The second node's transaction (in w->tx) against the payer's keys. */
static void second_prove(struct watcher *w, const struct auth_entry *auth)
{
	struct second *e = &w->second[w->second_at];
	struct proof_claim claim = {.op_index = e->op_index, .from = e->from, .to = w->site->account,
	                            .amount = e->amount, .memo = e->memo, .memo_len = e->memo_len};
	enum proof_verdict v = PROOF_NOT_AUTHORIZED;
	enum tx_form form;

	memcpy(claim.trx_id, e->trx_id, sizeof(claim.trx_id));
	if (proof_check(w->tx, &claim, &auth->active, &auth->owner, NULL, &v, &form) != KERR_OK || v != PROOF_OK) {
		fail(w, "a second node did not prove the transfer");
		return;
	}
	tx_free(w->tx);
	w->tx = NULL;
	log_notice("transfer %s: a second node agrees", e->trx_id);
	e->used = false;
	if (w->ev->agreed)
		w->ev->agreed(w->ev, e->trx_id, e->op_index);
	/* Back to the poll's node for the rest. */
	away_back(w);
	finish_poll(w);
}

static void second_reply(struct watcher *w, struct rpc_doc *d)
{
	struct second *e = &w->second[w->second_at];
	const struct auth_entry *auth;
	char params[64];

	if (!d || tx_in_block(d, w->chain, 0, e->trx_id, &w->tx) != KERR_OK) {
		fail(w, "a second node did not serve the transaction");
		return;
	}
	auth = auth_cached(w, e->from);
	if (auth) {
		second_prove(w, auth);
		return;
	}
	/* The payer's keys, from this same node. */
	w->step = S_SECOND_ACCOUNT;
	snprintf(params, sizeof(params), "[[\"%s\"]]", e->from);
	call(w, "get_accounts", params);
}

static void second_account_reply(struct watcher *w, struct rpc_doc *d)
{
	struct auth_entry *a = &w->auth[w->auth_next];
	const char *from = w->second[w->second_at].from;

	memset(a, 0, sizeof(*a));
	if (rpc_account_auth(d, w->chain, from, &a->active, &a->owner) != KERR_OK) {
		memset(a, 0, sizeof(*a));
		fail(w, "a second node did not serve the payer's keys");
		return;
	}
	/* Same size, both NUL-ended (memcpy: both live in *w, -Wrestrict cannot tell them apart). */
	memcpy(a->name, from, sizeof(a->name));
	a->at_ms = now_ms(w);
	w->auth_next = (w->auth_next + 1) % AUTH_CACHE;
	second_prove(w, a);
}

void watcher_second_opinion(struct watcher *w, const struct watcher_transfer *t)
{
	struct second *free_slot = NULL;

	for (int i = 0; i < SECOND_MAX; i++) {
		if (w->second[i].used && strcmp(w->second[i].trx_id, t->trx_id) == 0 &&
		    w->second[i].op_index == t->op_index)
			return;
		if (!w->second[i].used && !free_slot)
			free_slot = &w->second[i];
	}
	if (!free_slot || t->memo_len > TX_MEMO_MAX)
		return; /* full: asked again on the next head */
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	snprintf(free_slot->trx_id, sizeof(free_slot->trx_id), "%s", t->trx_id);
	free_slot->op_index = t->op_index;
	free_slot->block = t->block;
	snprintf(free_slot->from, sizeof(free_slot->from), "%s", t->from);
	free_slot->amount = t->amount;
	memcpy(free_slot->memo, t->memo, t->memo_len);
	free_slot->memo_len = t->memo_len;
	free_slot->first_node = t->node;
	/* Not a minute later, at the idle pace: the member may be waiting. */
	if (w->step == S_IDLE)
		loop_timer_arm(w->loop, &w->timer, 0);
}

static void on_reply(struct http_request *r, enum kerr err, long status, const char *body, size_t len)
{
	struct watcher *w = container_of(r, struct watcher, req);
	struct rpc_doc *d = NULL;
	struct rpc_error e;

	if (err || status != 200) {
		fail(w, err ? kerr_str(err) : "HTTP error status");
		return;
	}
	err = rpc_reply(body, len, w->id, &d, &e);
	if (err == KERR_PROTO && w->step == S_PROBE) {
		/* No history plugin at all: the history step finds that out and reads blocks. */
		rpc_doc_free(d);
		after_head(w);
		return;
	}
	if (err == KERR_PROTO && w->step == S_HISTORY) {
		log_info("node %s: no account history (%s); reading blocks", w->site->nodes[w->node].url,
		         e.message[0] ? e.message : "error");
		rpc_doc_free(d);
		start_scan(w);
		return;
	}
	if (err && !(err == KERR_NOTFOUND && (w->step == S_HISTORY || w->step == S_BLOCK || w->step == S_PROBE))) {
		fail(w, err == KERR_PROTO && e.message[0] ? e.message : "malformed reply");
		return;
	}
	switch (w->step) {
	case S_DGP:
		if (rpc_dgp(d, &w->dgp)) {
			rpc_doc_free(d);
			fail(w, "malformed global properties");
			return;
		}
		if (watchplan_head_stale(&w->plan, w->dgp.time_s * 1000, now_ms(w), 20)) {
			rpc_doc_free(d);
			fail(w, "its head block is far behind the clock (stale node)");
			return;
		}
		pool_ok(&w->pool, w->node, now_ms(w), (unsigned)(now_ms(w) - w->sent_ms), w->dgp.head_block);
		/* Behind the others: not used for decisions while another is current. */
		if (pool_stale(&w->pool, w->node) && pool_state(&w->pool, now_ms(w)) != POOL_OFFLINE) {
			rpc_doc_free(d);
			fail(w, "its head lags the other nodes (stale)");
			return;
		}
		if (!start_probe(w))
			after_head(w);
		break;
	case S_PROBE: {
		size_t n = 0;

		if (d && rpc_ops_in_block(d, w->probe_block, &n) != KERR_OK) {
			rpc_doc_free(d);
			fail(w, "malformed operations of a block");
			return;
		}
		if (n == 0) {
			char why[96];

			snprintf(why, sizeof(why), "it lists no operation, not even the producer's reward, in block %u",
			         w->probe_block);
			history_lagging(w, why);
		}
		after_head(w);
		break;
	}
	case S_BLOCK:
		if (!d || rpc_block(d, &(struct rpc_block){0}) != KERR_OK) {
			/* Not there (yet): the history still runs (or, scanning, the poll ends). */
			rpc_doc_free(d);
			d = NULL;
			if (w->scanning) {
				w->scanning = false;
				finish_poll(w);
			} else {
				start_history(w);
			}
			break;
		}
		if (block_transfers(w, d)) {
			rpc_doc_free(d);
			fail(w, "malformed block");
			return;
		}
		w->in_blocks = true;
		w->block_doc = d; /* kept for its transactions while they are proven */
		d = NULL;
		next_transfer(w);
		break;
	case S_HISTORY:
		w->nhist = 0;
		w->at = 0;
		if (d && rpc_history(d, w->chain, w->hist, HISTORY_BATCH + 1, &w->nhist)) {
			rpc_doc_free(d);
			fail(w, "malformed account history");
			return;
		}
		/* Keep only entries after the cursor. */
		while (w->at < w->nhist && w->hist[w->at].index <= w->cursor.history_index)
			w->at++;
		next_transfer(w);
		break;
	case S_TX:
		if (!d || tx_in_block(d, w->chain, w->hist[w->at].trx_in_block, w->hist[w->at].trx_id, &w->tx)) {
			rpc_doc_free(d);
			fail(w, "the block does not hold the transaction its history names");
			return;
		}
		have_tx(w);
		break;
	case S_ACCOUNT: {
		struct auth_entry *a = &w->auth[w->auth_next];

		memset(a, 0, sizeof(*a));
		if (rpc_account_auth(d, w->chain, w->hist[w->at].from, &a->active, &a->owner) != KERR_OK) {
			/* No such account, or no authority we can read: it cannot prove.
			 * Not cached under a name; fresh, so it is not asked for again. */
			memset(a, 0, sizeof(*a));
			a->at_ms = now_ms(w);
		} else {
			snprintf(a->name, sizeof(a->name), "%s", w->hist[w->at].from);
			a->at_ms = now_ms(w);
			w->auth_next = (w->auth_next + 1) % AUTH_CACHE;
		}
		/* Back to the node that served the transaction: the proof judges it. */
		if (w->away)
			away_back(w);
		prove(w, a);
		break;
	}
	case S_SECOND:
		second_reply(w, d);
		break;
	case S_SECOND_ACCOUNT:
		second_account_reply(w, d);
		break;
	case S_IDLE:
		break;
	}
	rpc_doc_free(d);
}

static void on_timer(struct loop_timer *t)
{
	struct watcher *w = container_of(t, struct watcher, timer);
	int node;

	if (w->step != S_IDLE)
		return;
	node = pool_pick(&w->pool, now_ms(w));
	if (node < 0) {
		publish(w);
		schedule(w);
		return;
	}
	w->node = (unsigned)node;
	w->step = S_DGP;
	call(w, "get_dynamic_global_properties", "[]");
}

static bool second_due(const struct watcher *w)
{
	for (int i = 0; i < SECOND_MAX; i++)
		if (w->second[i].used && pool_pick_other(&w->pool, now_ms(w), w->second[i].first_node) >= 0)
			return true;
	return false;
}

static void schedule(struct watcher *w)
{
	struct watchplan_state s = {
	    .open_requests = w->urgent,
	    .have_head = w->dgp.head_block != 0,
	    .head_time_ms = w->dgp.time_s * 1000,
	    .now_ms = now_ms(w),
	    .last_poll_found_nothing = w->last_found_nothing,
	    .offline = w->state == POOL_OFFLINE,
	};
	int64_t when = watchplan_next(&w->plan, &s), delay = when - s.now_ms;
	bool failed = w->pool.n[w->node].fails > 0;

	if (pool_pick(&w->pool, s.now_ms) < 0) {
		/* Every node in back-off: look again when the first comes out of it. */
		delay = pool_next_retry_ms(&w->pool) - s.now_ms;
	} else if (failed || w->more || second_due(w)) {
		/* Another node at once after a failure; the next batch at once while catching up;
		 * a second opinion at once (a member may be waiting for it). */
		delay = 0;
	}
	log_debug("watcher: next poll in %lld ms (urgent %d, %zu history entries)", (long long)delay,
	          w->urgent, w->nhist);
	loop_timer_arm(w->loop, &w->timer, (delay < 0 ? 0 : delay) * NS_PER_MS);
}

void watcher_set_urgent(struct watcher *w, bool urgent)
{
	if (w->urgent == urgent)
		return;
	w->urgent = urgent;
	if (urgent && w->step == S_IDLE)
		loop_timer_arm(w->loop, &w->timer, 0);
}

enum pool_state watcher_pool_state(const struct watcher *w)
{
	return w->state;
}

enum kerr watcher_open(const struct site *site, struct store *store, struct loop *loop,
                       const struct clock *clock, struct rng *rng, struct watcher_events *ev,
                       struct watcher **out)
{
	struct watcher *w = calloc(1, sizeof(*w));
	enum kerr err;

	*out = NULL;
	if (!w)
		return KERR_NOMEM;
	w->site = site;
	w->chain = chain_profile_get(site->chain);
	w->store = store;
	w->loop = loop;
	w->clock = clock;
	w->ev = ev;
	w->timer.handle = on_timer;
	w->second_at = -1;
	pool_init(&w->pool, site->node_count, rng);
	w->state = POOL_ONLINE; /* until a node says otherwise */
	w->hist = calloc(HISTORY_BATCH + 1, sizeof(*w->hist));
	watchplan_defaults(&w->plan, site->block_interval_ms ? site->block_interval_ms
	                                                     : w->chain->block_interval_s * 1000);
	err = w->hist ? http_new(loop, site->ca_path, &w->http) : KERR_NOMEM;
	if (!err)
		err = store_cursor_get(store, w->chain->name, site->account, &w->cursor);
	/* What the journal already knows is on chain: the yardstick for lagging histories. */
	if (!err)
		err = store_transfer_newest_block(store, &w->known_block);
	if (err) {
		watcher_close(w);
		return err;
	}
	loop_timer_arm(loop, &w->timer, 0);
	*out = w;
	return KERR_OK;
}

void watcher_close(struct watcher *w)
{
	if (!w)
		return;
	loop_timer_disarm(w->loop, &w->timer);
	http_free(w->http);
	end_blocks(w);
	tx_free(w->tx);
	free(w->hist);
	free(w);
}
