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

void watcher_start_history(struct watcher *w)
{
	char params[160];

	/* Its history lags its blocks: read the blocks from the cursor instead. */
	if (pool_history_lags(&w->pool, w->node, watcher_now_ms(w))) {
		watcher_start_scan(w);
		return;
	}
	w->step = S_HISTORY;
	/* From the cursor on: start = cursor + batch, limit = batch (condenser counts back). */
	snprintf(params, sizeof(params), "[\"%s\",%lld,%d]", w->site->account,
	         (long long)(w->cursor.history_index + HISTORY_BATCH), HISTORY_BATCH);
	watcher_call(w, "get_account_history", params);
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

/* The transfers to (or refunds from) the co-op in a block, as history entries outside the cursor (index -1). */
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
			    !watcher_wants(w, tr.from, tr.to, tr.memo, tr.memo_len) || tr.memo_len > TX_MEMO_MAX)
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
void watcher_start_scan(struct watcher *w)
{
	w->scanning = true;
	w->block_next = w->cursor.block ? w->cursor.block + 1 : w->dgp.head_block;
	w->blocks_left = SCAN_PER_POLL;
	if (w->block_next > w->dgp.head_block) {
		w->scanning = false;
		w->more = false;
		watcher_finish_poll(w);
		return;
	}
	start_block(w);
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
	watcher_start_history(w);
}

static void history_lagging(struct watcher *w, const char *why)
{
	pool_history_lagging(&w->pool, w->node, watcher_now_ms(w));
	log_warn("node %s: its account history lags its own blocks (%s); reading its blocks instead",
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
bool watcher_start_probe(struct watcher *w)
{
	char params[32];

	/* Not while a member waits: the blocks are read then anyway. */
	if (w->urgent || watcher_now_ms(w) < w->probe_at[w->node] || w->dgp.head_block <= HISTORY_LAG_BLOCKS ||
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
		bool seen = false;

		if (h->is_transfer && watcher_wants(w, h->from, h->to, h->memo, h->memo_len) &&
		    w->journal->transfer_seen(w->journal_ctx, h->trx_id, h->op_in_trx, &seen) == KERR_OK &&
		    !seen) {
			char id[41];

			/* From a block: the transaction is in it (get_transaction can lag like the history). */
			if (w->in_blocks && w->block_doc &&
			    rpc_block_tx(w->block_doc, w->chain, h->trx_in_block, &w->tx, id) == KERR_OK) {
				watcher_have_tx(w);
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
			start_block(w);
			return;
		}
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
	w->more = w->nhist >= HISTORY_BATCH;
	if (!w->more && history_lags(w)) {
		watcher_start_scan(w);
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

		snprintf(why, sizeof(why), "it lists no operation, not even the producer's reward, in block %u",
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
	/* Keep only entries after the cursor. */
	while (w->at < w->nhist && w->hist[w->at].index <= w->cursor.history_index)
		w->at++;
	watcher_next_transfer(w);
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
