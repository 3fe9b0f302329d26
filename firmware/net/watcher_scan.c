/*
 * Finding the transfers to the co-op: the account history from the
 * journal's cursor, the new blocks while a request is open, the blocks
 * from the cursor for a node without (or with a lagging) history, and the
 * probe that finds a history lagging its own blocks.
 */
#include "watcher_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/token.h"

static void save_cursor(struct watcher *w)
{
	if (w->journal->cursor_set(w->journal_ctx, w->chain->name, w->site->account, &w->cursor))
		log_err("journal: the chain cursor could not be saved; it will be read again");
}

void watcher_advance_cursor(struct watcher *w, const struct rpc_history *h)
{
	if (h->index < 0)
		return; /* found in a block: the history cursor moves when the history lists it */
	w->cursor.history_index = h->index;
	w->cursor.block = h->block;
	w->cursor.block_time_ms = h->time_s * 1000;
	save_cursor(w);
}

static void scan_next(struct watcher *w);

static void history_call(struct watcher *w, int64_t start, int64_t limit)
{
	char params[160];

	w->step = S_HISTORY;
	/* What a sane reply may hold: limit + 1 entries (steemd serves one more),
	 * none past start (-1: the newest, bounded only by the index limit). */
	w->hist_asked_max = start < 0 ? WATCHER_HISTORY_INDEX_MAX - 1 : start;
	w->hist_asked_count = (size_t)limit + 1;
	snprintf(params, sizeof(params), "[\"%s\",%lld,%lld]", w->site->account, (long long)start,
	         (long long)limit);
	watcher_call(w, "get_account_history", params);
}

/*
 * The nodes page backwards: [account, start, limit] serves the entries up
 * to index start (the newest when start is beyond it, or -1), limit of them
 * on hived ([start-limit+1, start]; it wants start >= limit-1) and one more
 * on steemd ([start-limit, start]; it wants start >= limit and refuses
 * anything else). So a poll first asks for the newest entry alone, and only
 * when that shows entries after the cursor it did not bring, asks for the
 * page that begins just after the cursor: never a full page of old entries
 * (which would read as "more to come" forever), never a refused call.
 */
void watcher_start_history(struct watcher *w)
{
	/* Its history lags its blocks: read the blocks from the cursor instead. */
	if (pool_history_lags(&w->pool, w->node, watcher_now_ms(w))) {
		watcher_start_scan(w);
		return;
	}
	w->peeked = false;
	w->newest = -1;
	w->page_cursor = w->cursor.history_index;
	history_call(w, -1, HISTORY_PEEK);
}

/* The page after the cursor, up to HISTORY_BATCH entries, ending at most at the newest index. */
static void start_page(struct watcher *w)
{
	int64_t cur = w->cursor.history_index;
	int64_t start = cur + HISTORY_BATCH < w->newest ? cur + HISTORY_BATCH : w->newest;
	int64_t limit = start - cur;

	/* steemd: start >= limit (it serves [start - limit, start]: from the cursor, or from 0). */
	if (w->site->chain == SITE_CHAIN_STEEM && limit > start)
		limit = start;
	w->page_cursor = cur;
	history_call(w, start, limit);
}

void watcher_drop_tx_blocks(struct watcher *w)
{
	for (size_t i = 0; i < w->ntx_block; i++)
		rpc_doc_free(w->tx_block[i]);
	w->ntx_block = 0;
	watcher_side_drop(w);
}

/* Whether the block was fetched for this page; *doc its reply (NULL: the node did not serve it). */
static bool fetched_block(const struct watcher *w, uint32_t block, const struct rpc_doc **doc)
{
	for (size_t i = 0; i < w->ntx_block; i++)
		if (w->tx_block_num[i] == block) {
			*doc = w->tx_block[i];
			return true;
		}
	return false;
}

const struct rpc_doc *watcher_block_in_hand(const struct watcher *w, uint32_t block)
{
	const struct rpc_doc *d = NULL;

	if (w->in_blocks && w->block_doc && w->at < w->nhist && w->hist[w->at].block == block)
		return w->block_doc;
	if (!w->in_blocks && fetched_block(w, block, &d))
		return d;
	return NULL;
}

/*
 * 1: a transfer the kiosk records (watcher_wants: to the co-op, or a
 * refund from it) the journal does not have; 0: not one, or
 * recorded; -1: the journal could not tell, which is not "recorded".
 */
static int unseen_transfer(struct watcher *w, const struct rpc_history *h)
{
	bool seen = false;

	if (!h->is_token &&
	    (!h->is_transfer || !watcher_wants(w, h->from, h->to, h->memo, h->memo_len)))
		return 0;
	if (w->skip_before_ms && h->time_s * 1000 < w->skip_before_ms)
		return 0; /* before the site's `since`: read past, not recorded */
	if (w->journal->transfer_seen(w->journal_ctx, h->trx_id, h->op_in_trx, &seen) != KERR_OK)
		return -1;
	return !seen;
}

/*
 * The blocks holding the page's next unrecorded transfers, up to
 * w->block_batch of them, in one JSON-RPC batch (a day's catch-up of
 * hundreds of transfers is then a few dozen requests, not one each).
 */
static void fetch_tx_blocks(struct watcher *w)
{
	size_t n = 0, len = 1;

	watcher_drop_tx_blocks(w);
	w->batch_id = w->id + 1;
	w->body[0] = '[';
	for (size_t i = w->at; i < w->nhist && n < w->block_batch; i++) {
		const struct rpc_history *h = &w->hist[i];
		const struct rpc_doc *d;
		char params[32], call[160];

		int unseen = unseen_transfer(w, h);

		if (unseen < 0)
			break; /* watcher_next_transfer stops there too */
		if (!unseen || fetched_block(w, h->block, &d))
			continue;
		snprintf(params, sizeof(params), "[%u]", h->block);
		if (rpc_request(call, sizeof(call), ++w->id, "get_block", params) ||
		    len + strlen(call) + 2 > sizeof(w->body))
			break;
		len += (size_t)snprintf(w->body + len, sizeof(w->body) - len, "%s%s", n ? "," : "",
		                        call);
		w->tx_block_num[n] = h->block;
		w->tx_block[n] = NULL;
		w->ntx_block = ++n;
	}
	snprintf(w->body + len, sizeof(w->body) - len, "]");
	log_debug("node %s: get_block for %zu blocks in a batch", w->site->nodes[w->node].url, n);
	w->step = S_TX_BATCH;
	watcher_post(w);
	/* The quorum's copies: the same batch to the other nodes, at once. */
	if (w->step == S_TX_BATCH)
		watcher_side_batch(w, w->node, w->body, w->batch_id, w->tx_block_num, n);
}

/*
 * The next batch sized to the blocks just read: as many as fill three
 * quarters of the response cap at their average size (small blocks: fewer
 * requests; large ones: no reply over the cap), up to BLOCK_BATCH_MAX. A
 * failed batch still halves it (watcher.c).
 */
void watcher_fit_batch(struct watcher *w, size_t len, size_t blocks)
{
	size_t per, fit;

	if (blocks == 0)
		return;
	per = len / blocks + 1;
	fit = (size_t)w->site->max_response_kb * 1024 / 4 * 3 / per;
	w->block_batch = fit < 1 ? 1 : fit > BLOCK_BATCH_MAX ? BLOCK_BATCH_MAX : (unsigned)fit;
}

void watcher_tx_batch_reply(struct watcher *w, const char *body, size_t len)
{
	struct rpc_doc *docs[BLOCK_BATCH_MAX];

	if (rpc_batch_reply(body, len, w->batch_id, w->ntx_block, docs) != KERR_OK) {
		watcher_fail(w, "malformed reply to a batch");
		return;
	}
	for (size_t i = 0; i < w->ntx_block; i++)
		w->tx_block[i] = docs[i];
	watcher_fit_batch(w, len, w->ntx_block);
	if (w->scanning) {
		scan_next(w);
		return;
	}
	w->step = S_HISTORY;
	watcher_next_transfer(w);
}

static void start_block(struct watcher *w)
{
	char params[32];

	w->step = S_BLOCK;
	snprintf(params, sizeof(params), "[%u]", w->block_next);
	watcher_call(w, "get_block", params);
}

/*
 * The transfers the kiosk records: those to the co-op, and those from it
 * whose memo is a refund's (RF-..., read as payment_memo_key does: leading
 * whitespace skipped, any case), which close the refund they pay back.
 */
bool watcher_wants(const struct watcher *w, const char *from, const char *to, const char *memo,
                   size_t memo_len)
{
	size_t i = 0;

	if (strcmp(to, w->site->account) == 0)
		return true;
	if (strcmp(from, w->site->account) != 0)
		return false;
	while (i < memo_len && strchr(" \t\n\r\v\f", memo[i]) && memo[i])
		i++;
	return memo_len - i >= 3 && (memo[i] == 'R' || memo[i] == 'r') &&
	       (memo[i + 1] == 'F' || memo[i + 1] == 'f') && memo[i + 2] == '-';
}

/*
 * Operation j of tx as a token transfer to the co-op of a token the site
 * accepts, into *h (its block facts left to the caller); false for anything
 * else. A custom_json lists only its auths as impacted accounts, so the
 * co-op's history never holds one: blocks are where they are found.
 */
static bool block_token(const struct watcher *w, const struct tx *tx, size_t j,
                        struct rpc_history *h)
{
	struct tx_custom_json cj;
	struct token_transfer t;

	if (!w->ev->token || !w->site->token_count || tx_custom_json_at(tx, j, &cj) != KERR_OK ||
	    cj.n_required_auths > TX_CUSTOM_AUTHS_MAX ||
	    token_transfer_parse_id(w->site->sidechain_id, cj.id, cj.required_auths,
	                            cj.n_required_auths, cj.n_required_posting_auths, cj.json,
	                            cj.json_len, WATCHER_TOKEN_PRECISION, &t, NULL) != KERR_OK ||
	    strcmp(t.to, w->site->account) != 0 || site_token_index(w->site, t.symbol) < 0 ||
	    strlen(t.memo) > TX_MEMO_MAX)
		return false;
	memset(h, 0, sizeof(*h));
	if (asset_token(t.symbol, WATCHER_TOKEN_PRECISION, t.quantity, &h->amount) != KERR_OK)
		return false;
	h->index = -1;
	h->op_in_trx = (uint32_t)j;
	h->is_token = true;
	snprintf(h->from, sizeof(h->from), "%s", t.from);
	snprintf(h->to, sizeof(h->to), "%s", t.to);
	h->memo_len = strlen(t.memo);
	memcpy(h->memo, t.memo, h->memo_len);
	return true;
}

/* The transfers to (or refunds from) the co-op in a block, as history entries outside the cursor
 * (index -1). */
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

			if (block_token(w, tx, j, h)) {
				memcpy(h->trx_id, id, sizeof(h->trx_id));
				h->block = w->block_next;
				h->trx_in_block = (uint32_t)i;
				h->time_s = b.time_s;
				w->nhist++;
				continue;
			}
			if (tx_transfer_at(tx, j, &tr) != KERR_OK ||
			    strcmp(tr.op, "transfer") != 0 ||
			    !watcher_wants(w, tr.from, tr.to, tr.memo, tr.memo_len) ||
			    tr.memo_len > TX_MEMO_MAX)
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

/*
 * The node has no account history (not every public node runs the plugin):
 * read the blocks from the cursor on instead, SCAN_PER_POLL at a time, at
 * once again while behind. A node that has it later re-reads the history
 * from its own cursor; what the blocks found counts once.
 */
/*
 * With no cursor (a first run): the block at or before the journal's first
 * read time, from the head's time and the block interval (blocks are never
 * faster than that; a missed slot only moves the estimate earlier). The head
 * when nothing is owed.
 */
static uint32_t block_at(const struct watcher *w, int64_t ms)
{
	int64_t head_ms = w->dgp.time_s * 1000, interval = w->plan.interval_ms, back;

	if (!ms || interval <= 0 || ms >= head_ms)
		return w->dgp.head_block;
	back = (head_ms - ms) / interval + 1;
	return back >= (int64_t)w->dgp.head_block ? 1 : w->dgp.head_block - (uint32_t)back;
}

static uint32_t first_block(const struct watcher *w)
{
	return block_at(w, w->first_read_ms);
}

/*
 * A token transfer to the co-op is in no history of the co-op's: while a
 * payment request is open (on screen or not, paid from home, the kiosk
 * offline meanwhile or restarted), every block since the oldest open
 * request's creation is read (*from: the first). False when the site takes
 * no tokens or nothing is open; a journal that cannot tell is read as
 * "open", so nothing is skipped.
 */
static bool token_blocks_due(struct watcher *w, uint32_t *from)
{
	int64_t ms = 0;
	enum kerr err;

	*from = 0;
	if (!w->ev->token || !w->site->token_count || !w->journal->first_read_ms)
		return false;
	err = w->journal->first_read_ms(w->journal_ctx, &ms);
	if (err)
		return w->block_next != 0;
	if (!ms)
		return false;
	*from = block_at(w, ms);
	return true;
}

void watcher_start_scan(struct watcher *w)
{
	w->scanning = true;
	w->block_next = w->cursor.block ? w->cursor.block + 1 : first_block(w);
	w->blocks_left = SCAN_PER_POLL;
	if (w->block_next > w->dgp.head_block) {
		w->scanning = false;
		w->more = false;
		watcher_finish_poll(w);
		return;
	}
	watcher_drop_tx_blocks(w);
	scan_next(w);
}

/*
 * Scanning: the next block from those fetched in a batch, or the next batch
 * (w->block_batch blocks from w->block_next on, within the poll's share and
 * the head) in one request.
 */
static void scan_next(struct watcher *w)
{
	size_t len = 1, n = 0;

	for (size_t i = 0; i < w->ntx_block; i++)
		if (w->tx_block_num[i] == w->block_next) {
			struct rpc_doc *d = w->tx_block[i];

			w->tx_block[i] = NULL; /* the block step owns it now */
			w->step = S_BLOCK;
			watcher_block_reply(w, &d);
			rpc_doc_free(d);
			return;
		}
	if (w->block_batch <= 1) {
		start_block(w);
		return;
	}
	watcher_drop_tx_blocks(w);
	w->batch_id = w->id + 1;
	w->body[0] = '[';
	for (uint32_t b = w->block_next;
	     b <= w->dgp.head_block && n < w->block_batch && n < w->blocks_left; b++) {
		char params[32], call[160];

		snprintf(params, sizeof(params), "[%u]", b);
		if (rpc_request(call, sizeof(call), ++w->id, "get_block", params) ||
		    len + strlen(call) + 2 > sizeof(w->body))
			break;
		len += (size_t)snprintf(w->body + len, sizeof(w->body) - len, "%s%s", n ? "," : "",
		                        call);
		w->tx_block_num[n] = b;
		w->tx_block[n] = NULL;
		w->ntx_block = ++n;
	}
	snprintf(w->body + len, sizeof(w->body) - len, "]");
	log_debug("node %s: get_block %u.. for %zu blocks in a batch", w->site->nodes[w->node].url,
	          w->block_next, n);
	w->step = S_TX_BATCH;
	watcher_post(w);
	/* The quorum's copies: the same batch to the other nodes, at once. */
	if (w->step == S_TX_BATCH)
		watcher_side_batch(w, w->node, w->body, w->batch_id, w->tx_block_num, n);
}

void watcher_end_blocks(struct watcher *w)
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
void watcher_after_head(struct watcher *w)
{
	uint32_t head = w->dgp.head_block, from;
	bool tokens = token_blocks_due(w, &from);

	if (w->urgent || tokens) {
		if (tokens) {
			/* No gap: the history does not cover token transfers. */
			if (!w->block_next || w->block_next < from)
				w->block_next = from;
		} else if (!w->block_next || w->block_next + BLOCKS_BEHIND_MAX < head) {
			w->block_next = head;
		}
		if (w->block_next <= head) {
			w->blocks_left = tokens && head - w->block_next >= BLOCKS_PER_POLL
			                     ? TOKEN_BLOCKS_PER_POLL
			                     : BLOCKS_PER_POLL;
			start_block(w);
			return;
		}
	}
	watcher_start_history(w);
}

static void history_lagging(struct watcher *w, const char *why)
{
	pool_history_lagging(&w->pool, w->node, watcher_now_ms(w));
	log_warn(
	    "node %s: its account history lags its own blocks (%s); reading its blocks instead",
	    w->site->nodes[w->node].url, why);
	watcher_publish(w);
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

	if (!w->known_block || listed >= w->known_block ||
	    w->known_block > w->dgp.irreversible_block ||
	    w->dgp.head_block < w->known_block + HISTORY_LAG_BLOCKS)
		return false;
	snprintf(why, sizeof(why),
	         "it lists nothing after block %u, a transfer to %s is in block %u, its head is %u",
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
bool watcher_start_probe(struct watcher *w)
{
	char params[32];

	/* Not while a member waits: the blocks are read then anyway. */
	if (w->urgent || watcher_now_ms(w) < w->probe_at[w->node] ||
	    w->dgp.head_block <= HISTORY_LAG_BLOCKS ||
	    pool_history_lags(&w->pool, w->node, watcher_now_ms(w)))
		return false;
	w->probe_at[w->node] = watcher_now_ms(w) + HISTORY_PROBE_MS;
	w->probe_block = w->dgp.head_block - HISTORY_LAG_BLOCKS;
	w->step = S_PROBE;
	snprintf(params, sizeof(params), "[%u,true]", w->probe_block);
	watcher_call(w, "get_ops_in_block", params);
	return true;
}

void watcher_next_transfer(struct watcher *w)
{
	char params[128];

	while (w->at < w->nhist) {
		const struct rpc_history *h = &w->hist[w->at];

		int unseen = unseen_transfer(w, h);

		/* Not knowing whether it is recorded is not "recorded": stop before it. */
		if (unseen < 0) {
			watcher_journal_failed(w, "cannot tell whether a transfer is recorded");
			return;
		}
		if (unseen) {
			char id[41];
			const struct rpc_doc *d;

			/* From a block: the transaction is in it (get_transaction can lag like the
			 * history). */
			if (w->in_blocks && w->block_doc &&
			    rpc_block_tx(w->block_doc, w->chain, h->trx_in_block, &w->tx, id) ==
			        KERR_OK) {
				watcher_have_tx(w);
				return;
			}
			/* History: its block, fetched with the page's next ones in a batch. */
			if (!w->in_blocks && w->block_batch > 1) {
				if (!fetched_block(w, h->block, &d)) {
					fetch_tx_blocks(w);
					return;
				}
				w->step = S_TX;
				watcher_tx_from_block(w, d);
				return;
			}
			w->step = S_TX;
			snprintf(params, sizeof(params), "[%u]", h->block);
			watcher_call(w, "get_block", params);
			return;
		}
		watcher_advance_cursor(w, h);
		w->at++;
	}
	if (w->in_blocks && w->scanning) {
		/* Every transfer of that block is recorded: the cursor moves past it. */
		watcher_end_blocks(w);
		w->cursor.block = w->block_next;
		save_cursor(w);
		w->block_next++;
		if (--w->blocks_left > 0 && w->block_next <= w->dgp.head_block) {
			scan_next(w);
			return;
		}
		watcher_drop_tx_blocks(w);
		w->scanning = false;
		w->more = w->block_next <= w->dgp.head_block;
		watcher_finish_poll(w);
		return;
	}
	if (w->in_blocks) {
		/* That block is done: the next one, or the history. */
		watcher_end_blocks(w);
		w->block_next++;
		if (--w->blocks_left > 0 && w->block_next <= w->dgp.head_block)
			start_block(w);
		else
			watcher_start_history(w);
		return;
	}
	watcher_drop_tx_blocks(w);
	/*
	 * A page that ends before the node's newest index: the next page at
	 * once, as long as the last one moved the cursor (a node that serves
	 * the same page again is not asked in a loop).
	 */
	if (w->nhist && w->hist[w->nhist - 1].index < w->newest &&
	    w->cursor.history_index > w->page_cursor) {
		start_page(w);
		return;
	}
	w->more = false;
	if (history_lags(w)) {
		watcher_start_scan(w);
		return;
	}
	/*
	 * History read to its end: a node without it would read blocks from
	 * here. It lists irreversible blocks only, so it is complete up to the
	 * last irreversible block, not the head. Not while it misses a transfer
	 * known to be on chain: then it is complete only up to before that block.
	 */
	if (w->dgp.irreversible_block > w->cursor.block && listed_block(w) >= w->known_block) {
		w->cursor.block = w->dgp.irreversible_block;
		w->cursor.block_time_ms =
		    (w->dgp.time_s - (int64_t)(w->dgp.head_block - w->dgp.irreversible_block) *
		                         w->chain->block_interval_s) *
		    1000;
		save_cursor(w);
	}
	watcher_finish_poll(w);
}

void watcher_probe_reply(struct watcher *w, struct rpc_doc **doc)
{
	size_t n = 0;

	if (*doc && rpc_ops_in_block(*doc, w->probe_block, &n) != KERR_OK) {
		watcher_fail(w, "malformed operations of a block");
		return;
	}
	if (n == 0) {
		char why[96];

		snprintf(why, sizeof(why),
		         "it lists no operation, not even the producer's reward, in block %u",
		         w->probe_block);
		history_lagging(w, why);
	}
	watcher_after_head(w);
}

void watcher_block_reply(struct watcher *w, struct rpc_doc **doc)
{
	if (!*doc || rpc_block(*doc, &(struct rpc_block){0}) != KERR_OK) {
		/* Not there (yet): the history still runs (or, scanning, the poll ends). */
		rpc_doc_free(*doc);
		*doc = NULL;
		if (w->scanning) {
			w->scanning = false;
			watcher_drop_tx_blocks(w);
			watcher_finish_poll(w);
		} else {
			watcher_start_history(w);
		}
		return;
	}
	if (block_transfers(w, *doc)) {
		watcher_fail(w, "malformed block");
		return;
	}
	w->in_blocks = true;
	w->block_doc = *doc; /* kept for its transactions while they are proven */
	*doc = NULL;
	watcher_next_transfer(w);
}

void watcher_history_reply(struct watcher *w, struct rpc_doc **doc)
{
	w->nhist = 0;
	w->at = 0;
	if (*doc && rpc_history(*doc, w->chain, w->hist, HISTORY_BATCH + 1, &w->nhist)) {
		watcher_fail(w, "malformed account history");
		return;
	}
	{
		const char *why = watcher_history_insane(w);

		if (why) {
			w->nhist = 0;
			watcher_fail(w, why);
			return;
		}
	}
	/*
	 * The newest entry: all there is to read when nothing is newer than the
	 * cursor, or when it alone is new; else the page after the cursor.
	 */
	if (!w->peeked) {
		w->peeked = true;
		w->newest = w->nhist ? w->hist[w->nhist - 1].index : -1;
		if (w->newest > w->cursor.history_index &&
		    w->hist[0].index > w->cursor.history_index + 1) {
			start_page(w);
			return;
		}
	}
	/* Keep only entries after the cursor. */
	while (w->at < w->nhist && w->hist[w->at].index <= w->cursor.history_index)
		w->at++;
	watcher_next_transfer(w);
}

const char *watcher_history_insane(const struct watcher *w)
{
	/* Nothing past what was asked (history_call), nor more entries. */
	int64_t asked = w->hist_asked_max, prev = -1;
	uint32_t prev_block = 0;

	if (w->nhist > w->hist_asked_count)
		return "more account history than asked for";
	for (size_t i = 0; i < w->nhist; i++) {
		const struct rpc_history *h = &w->hist[i];

		if (h->index < 0 || h->index > asked || h->index >= WATCHER_HISTORY_INDEX_MAX)
			return "an account history index out of bounds";
		if (h->index <= prev)
			return "account history indexes not increasing";
		if (h->block == 0 || h->block > w->dgp.head_block + HEAD_SLACK_BLOCKS ||
		    h->block < prev_block)
			return "an account history block past its head or out of order";
		if (h->time_s < 0 || h->time_s > ((int64_t)1 << 40) || h->memo_len > TX_MEMO_MAX)
			return "an account history entry out of bounds";
		prev = h->index;
		prev_block = h->block;
	}
	return NULL;
}

void watcher_probe_refused(struct watcher *w, const struct rpc_error *e)
{
	(void)e;
	/* No history plugin at all: the history step finds that out and reads blocks. */
	watcher_after_head(w);
}

void watcher_history_refused(struct watcher *w, const struct rpc_error *e)
{
	log_info("node %s: no account history (%s); reading blocks", w->site->nodes[w->node].url,
	         e->message[0] ? e->message : "error");
	watcher_start_scan(w);
}
