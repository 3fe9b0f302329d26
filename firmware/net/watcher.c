/*
 * One poll is a chain of requests to one node, one at a time (other nodes
 * are asked beside it, at once: watcher_side.c): global
 * properties, then account history from the cursor, then for each new
 * transfer to the co-op the block that holds its transaction (not
 * get_transaction: public nodes often lack its index) and its payer's
 * account, and the proof. Any failure ends the poll, puts that node in back-off (pool.h) and
 * moves to the next; the cursor only advances past a transfer once it was
 * reported (or refused), so nothing is skipped.
 *
 * This file runs the poll: a request out, its reply to the handler of the
 * step it answers (the table below), the timer, open and close. The steps
 * live in watcher_scan.c, watcher_proof.c and watcher_second.c.
 */
#include "kiosk/watcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/log.h"
#include "watcher_priv.h"

int64_t watcher_now_ms(const struct watcher *w)
{
	return clock_real_ms(w->clock);
}

/* Tells the kiosk when the pool's state changes, with what is wrong. */
void watcher_publish(struct watcher *w)
{
	enum pool_state st = pool_state(&w->pool, watcher_now_ms(w));
	char detail[WATCHER_DETAIL_MAX];
	size_t n;

	if (w->told && st == w->state)
		return;
	w->state = st;
	w->told = true;
	n = (size_t)snprintf(detail, sizeof(detail), "%s", pool_state_name(st));
	for (unsigned i = 0; i < w->pool.count && n < sizeof(detail); i++) {
		const struct pool_node *pn = &w->pool.n[i];

		if (pn->fails || pool_stale(&w->pool, i) ||
		    pool_history_lags(&w->pool, i, watcher_now_ms(w)))
			n += (size_t)snprintf(
			    detail + n, sizeof(detail) - n, "; %s: %s", w->site->nodes[i].url,
			    pn->fails                 ? pn->why
			    : pool_stale(&w->pool, i) ? "behind the other nodes"
			                              : "account history lags its blocks");
	}
	if (w->pool.count == 1 && n < sizeof(detail))
		snprintf(detail + n, sizeof(detail) - n, "; %s", WATCHER_ONE_NODE);
	if (st == POOL_OFFLINE)
		log_warn("chain nodes: %s (payments are still accepted; staff can confirm)",
		         detail);
	else
		log_notice("chain nodes: %s", detail);
	if (w->ev->pool)
		w->ev->pool(w->ev, st, detail);
}

void watcher_fail(struct watcher *w, const char *what)
{
	log_warn("node %s: %s", w->site->nodes[w->node].url, what);
	tx_free(w->tx);
	w->tx = NULL;
	/* A batch of blocks too large for the response cap (or the node): smaller ones next time.
	 */
	if (w->step == S_TX_BATCH && w->block_batch > 1)
		w->block_batch /= 2;
	w->step = S_IDLE;
	w->q.active = false;
	watcher_end_blocks(w);
	watcher_drop_tx_blocks(w);
	w->scanning = false;
	w->away = false;
	pool_fail(&w->pool, w->node, watcher_now_ms(w), what);
	watcher_publish(w);
	watcher_schedule(w);
}

static void on_reply(struct http_request *r, enum kerr err, long status, const char *body,
                     size_t len);

void watcher_call(struct watcher *w, const char *method, const char *params)
{
	log_debug("node %s: %s %s", w->site->nodes[w->node].url, method, params);
	if (rpc_request(w->body, sizeof(w->body), ++w->id, method, params)) {
		watcher_fail(w, "request too long");
		return;
	}
	watcher_post(w);
}

void watcher_post(struct watcher *w)
{
	w->sent_ms = watcher_now_ms(w);
	pool_spend(&w->pool, w->node, w->sent_ms);
	w->req = (struct http_request){
	    .url = w->site->nodes[w->node].url,
	    .pin = w->site->nodes[w->node].pin,
	    .body = w->body,
	    .timeout_ms = w->site->request_timeout_ms,
	    .max_bytes = (size_t)w->site->max_response_kb * 1024,
	    .done = on_reply,
	};
	if (http_post(w->http, &w->req))
		watcher_fail(w, "cannot start a request");
}

void watcher_journal_failed(struct watcher *w, const char *what)
{
	int64_t backoff = JOURNAL_RETRY_MIN_MS;

	if (w->jfails < 31)
		w->jfails++;
	for (unsigned k = 1; k < w->jfails && backoff < JOURNAL_RETRY_MAX_MS; k++)
		backoff *= 2;
	if (backoff > JOURNAL_RETRY_MAX_MS)
		backoff = JOURNAL_RETRY_MAX_MS;
	w->jretry_at_ms = watcher_now_ms(w) + backoff;
	log_err("journal: %s; the chain is read again from before it in %lld ms", what,
	        (long long)backoff);
	tx_free(w->tx);
	w->tx = NULL;
	if (w->away)
		watcher_away_back(w);
	watcher_end_blocks(w);
	w->scanning = false;
	w->more = false;
	/* The poll ends here: the head still reaches the kiosk (confirmations, reconciliation). */
	w->step = S_IDLE;
	watcher_finish_poll(w);
}

void watcher_finish_poll(struct watcher *w)
{
	/* The poll completed: only now are the node's failures forgotten. */
	pool_poll_done(&w->pool, w->node);
	if (watcher_ask_second(w) || watcher_fork_check(w))
		return;
	/* No new block yet (it is late, or our clock is ahead): ask again shortly, not at once. */
	w->last_found_nothing = w->dgp.head_block <= w->prev_head;
	w->prev_head = w->dgp.head_block;
	w->step = S_IDLE;
	watcher_publish(w);
	/* Irreversible: the lowest among the nodes that agree, not one node's word. */
	if (w->ev->head)
		w->ev->head(w->ev, w->dgp.head_block,
		            pool_agreed_lib(&w->pool, w->dgp.irreversible_block), w->dgp.time_s);
	watcher_schedule(w);
}

/* The head, judged: a node far behind the clock or the other nodes is not used. */
static void dgp_reply(struct watcher *w, struct rpc_doc **doc)
{
	enum pool_claim claim;

	if (rpc_dgp(*doc, &w->dgp)) {
		watcher_fail(w, "malformed global properties");
		return;
	}
	/* Bounded before any arithmetic: blocks fit well in 31 bits, times in 2^40 s. */
	if (w->dgp.head_block > INT32_MAX || w->dgp.irreversible_block > w->dgp.head_block ||
	    w->dgp.time_s < 0 || w->dgp.time_s > ((int64_t)1 << 40)) {
		w->dgp = (struct rpc_dgp){0};
		watcher_fail(w, "global properties out of bounds");
		return;
	}
	/* A head ahead of the clock, or that does not fit its time, is a lie: nothing on its word.
	 */
	claim =
	    pool_head_claim(&w->pool, w->node, watcher_now_ms(w), w->dgp.head_block, w->dgp.time_s);
	if (claim != POOL_CLAIM_OK) {
		w->dgp = (struct rpc_dgp){0};
		watcher_fail(w, pool_claim_str(claim));
		return;
	}
	pool_set_lib(&w->pool, w->node, w->dgp.irreversible_block);
	if (watchplan_head_stale(&w->plan, w->dgp.time_s * 1000, watcher_now_ms(w), 20)) {
		watcher_fail(w, "its head block is far behind the clock (stale node)");
		return;
	}
	/* One step of the poll: its failures count until the poll completes. */
	pool_answered(&w->pool, w->node, watcher_now_ms(w),
	              (unsigned)(watcher_now_ms(w) - w->sent_ms), w->dgp.head_block);
	/* Behind the others: not used for decisions while another is current. */
	if (pool_stale(&w->pool, w->node) &&
	    pool_state(&w->pool, watcher_now_ms(w)) != POOL_OFFLINE) {
		watcher_fail(w, "its head lags the other nodes (stale)");
		return;
	}
	if (!watcher_start_probe(w))
		watcher_after_head(w);
}

/* What each step does with its reply. */
struct reply_step {
	void (*handle)(struct watcher *w, struct rpc_doc **doc);
	/* "No such thing" (KERR_NOTFOUND) is an answer too: handle gets NULL. */
	bool absent_ok;
	/* An error answer (no plugin for the method): this instead of failing the node. */
	void (*refused)(struct watcher *w, const struct rpc_error *e);
};

static const struct reply_step steps[] = {
    [S_IDLE] = {NULL, false, NULL},
    [S_DGP] = {dgp_reply, false, NULL},
    [S_PROBE] = {watcher_probe_reply, true, watcher_probe_refused},
    [S_BLOCK] = {watcher_block_reply, true, NULL},
    [S_HISTORY] = {watcher_history_reply, true, watcher_history_refused},
    [S_TX] = {watcher_tx_reply, false, NULL},
    [S_ACCOUNT] = {watcher_account_reply, false, NULL},
    [S_SECOND] = {watcher_second_reply, false, NULL},
    [S_SECOND_ACCOUNT] = {watcher_second_account_reply, false, NULL},
    [S_QBLOCK] = {watcher_quorum_block_reply, true, NULL},
    [S_QWAIT] = {NULL, false, NULL},
    [S_QWITNESS] = {watcher_quorum_witness_reply, false, NULL},
    [S_FORK] = {watcher_fork_reply, true, NULL},
    [S_NAMED] = {watcher_named_reply, false, NULL},
    [S_TX_BATCH] = {NULL, false, NULL}, /* a batch: watcher_tx_batch_reply() */
};

static void on_reply(struct http_request *r, enum kerr err, long status, const char *body,
                     size_t len)
{
	struct watcher *w = container_of(r, struct watcher, req);
	const struct reply_step *s = &steps[w->step];
	struct rpc_doc *d = NULL;
	struct rpc_error e;

	if (err || status != 200) {
		watcher_fail(w, err ? kerr_str(err) : "HTTP error status");
		return;
	}
	if (w->step == S_TX_BATCH) {
		watcher_tx_batch_reply(w, body, len);
		return;
	}
	err = rpc_reply(body, len, w->id, &d, &e);
	if (err == KERR_PROTO && s->refused) {
		rpc_doc_free(d);
		s->refused(w, &e);
		return;
	}
	if (err && !(err == KERR_NOTFOUND && s->absent_ok)) {
		watcher_fail(w, err == KERR_PROTO && e.message[0] ? e.message : "malformed reply");
		return;
	}
	if (s->handle)
		s->handle(w, &d);
	rpc_doc_free(d);
}

/*
 * A node never measured counts as fast (pool.h), so a slow node would get
 * the first poll, and every step of it would wait. Instead every node is
 * asked for its head at once, and the first measured one is polled.
 */
static int race_pick(struct watcher *w, int node)
{
	int64_t now = watcher_now_ms(w);
	int best = -1;
	bool in_flight = false;

	if (node < 0 || w->pool.count < 2 || w->pool.n[node].measured)
		return node;
	watcher_side_fresh(w, -1);
	for (unsigned i = 0; i < w->pool.count; i++) {
		const struct pool_node *n = &w->pool.n[i];

		in_flight |= w->fresh[i].kind != SIDE_IDLE;
		if (n->measured && pool_usable(&w->pool, i, now) &&
		    (best < 0 || n->latency_ms < w->pool.n[best].latency_ms))
			best = (int)i;
	}
	if (best >= 0)
		return best;
	if (in_flight) {
		w->racing = true; /* the first answer arms the timer again */
		return -1;
	}
	return node;
}

static void on_timer(struct loop_timer *t)
{
	struct watcher *w = container_of(t, struct watcher, timer);
	int node;

	if (w->step != S_IDLE)
		return;
	node = pool_pick(&w->pool, watcher_now_ms(w));
	if (node >= 0) {
		node = race_pick(w, node);
		if (node < 0)
			return;
	}
	if (node < 0) {
		watcher_publish(w);
		watcher_schedule(w);
		return;
	}
	/* Its request budget spent (pool.h): another node, or wait until it has one. */
	if (pool_budget_wait_ms(&w->pool, (unsigned)node, watcher_now_ms(w)) > 0) {
		int other = pool_pick_other(&w->pool, watcher_now_ms(w), (unsigned)node);

		if (other >= 0 &&
		    pool_budget_wait_ms(&w->pool, (unsigned)other, watcher_now_ms(w)) == 0) {
			node = other;
		} else {
			log_debug("watcher: request budget spent; next poll in %lld ms",
			          (long long)pool_budget_wait_ms(&w->pool, (unsigned)node,
			                                         watcher_now_ms(w)));
			loop_timer_arm(
			    w->loop, &w->timer,
			    pool_budget_wait_ms(&w->pool, (unsigned)node, watcher_now_ms(w)) *
			        NS_PER_MS);
			return;
		}
	}
	/* Every node's head stays fresh, not only the one in use: asked beside the poll. */
	watcher_side_fresh(w, node);
	w->node = (unsigned)node;
	w->step = S_DGP;
	watcher_call(w, "get_dynamic_global_properties", "[]");
}

void watcher_schedule(struct watcher *w)
{
	struct watchplan_state s = {
	    .open_requests = w->urgent,
	    .have_head = w->dgp.head_block != 0,
	    .head_time_ms = w->dgp.time_s * 1000,
	    .now_ms = watcher_now_ms(w),
	    .last_poll_found_nothing = w->last_found_nothing,
	    .offline = w->state == POOL_OFFLINE,
	};
	int64_t when = watchplan_next(&w->plan, &s), delay = when - s.now_ms;
	bool failed = w->pool.n[w->node].fails > 0;

	if (pool_pick(&w->pool, s.now_ms) < 0) {
		/* Every node in back-off: look again when the first comes out of it. */
		delay = pool_next_retry_ms(&w->pool) - s.now_ms;
	} else if (failed || w->more || watcher_second_due(w)) {
		/* Another node at once after a failure; the next batch at once while catching up;
		 * a second opinion at once (a member may be waiting for it). */
		delay = 0;
	}
	/* The journal refused a write: back off (the node is not to blame). */
	if (w->jretry_at_ms > s.now_ms && delay < w->jretry_at_ms - s.now_ms)
		delay = w->jretry_at_ms - s.now_ms;
	log_debug("watcher: next poll in %lld ms (urgent %d, %zu history entries)",
	          (long long)delay, w->urgent, w->nhist);
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

enum kerr watcher_open(const struct site *site, const struct watcher_journal_ops *journal,
                       void *journal_ctx, struct loop *loop, const struct clock *clock,
                       struct rng *rng, struct watcher_events *ev, struct watcher **out)
{
	struct watcher *w = calloc(1, sizeof(*w));
	enum kerr err;

	*out = NULL;
	if (!w)
		return KERR_NOMEM;
	w->site = site;
	w->chain = chain_profile_get(site->chain);
	w->journal = journal;
	w->journal_ctx = journal_ctx;
	w->loop = loop;
	w->clock = clock;
	w->ev = ev;
	w->timer.handle = on_timer;
	w->second_at = -1;
	w->fork_at = -1;
	w->block_batch = site->max_response_kb / BLOCK_BATCH_KB;
	if (w->block_batch > BLOCK_BATCH_START)
		w->block_batch = BLOCK_BATCH_START;
	if (w->block_batch < 1)
		w->block_batch = 1;
	pool_init(&w->pool, site->node_count, rng);
	pool_set_interval(&w->pool, site->block_interval_ms ? site->block_interval_ms
	                                                    : w->chain->block_interval_s * 1000);
	w->state = POOL_ONLINE; /* until a node says otherwise */
	w->hist = calloc(HISTORY_BATCH + 1, sizeof(*w->hist));
	watchplan_defaults(&w->plan, site->block_interval_ms ? site->block_interval_ms
	                                                     : w->chain->block_interval_s * 1000);
	err = w->hist ? http_new(loop, site->ca_path, &w->http) : KERR_NOMEM;
	if (!err)
		err = journal->cursor_get(journal_ctx, w->chain->name, site->account, &w->cursor);
	/* A cursor poisoned before indexes were checked: the history is read again (what
	 * the journal has is not reported twice). */
	if (!err &&
	    (w->cursor.history_index < -1 || w->cursor.history_index >= WATCHER_HISTORY_INDEX_MAX ||
	     w->cursor.block > INT32_MAX)) {
		log_warn("journal: the chain cursor (history index %lld, block %u) is out of "
		         "bounds; reading again",
		         (long long)w->cursor.history_index, w->cursor.block);
		w->cursor = (struct watcher_cursor){.history_index = -1};
	}
	/* A first run: from the oldest payment that may be owed, not from the head. */
	if (!err && w->cursor.block == 0 && journal->first_read_ms)
		err = journal->first_read_ms(journal_ctx, &w->first_read_ms);
	/*
	 * A site `since` the cursor has not reached (a first run, or one cut
	 * short): what is older than it, and than every open request, is passed
	 * over, not recorded: years of an account's history are not money for
	 * staff to follow up. The blocks of a first run are read from there too.
	 */
	if (!err && site->since_s > 0 && w->cursor.block_time_ms < site->since_s * 1000) {
		int64_t open_ms = 0;

		if (journal->first_read_ms)
			err = journal->first_read_ms(journal_ctx, &open_ms);
		w->skip_before_ms = site->since_s * 1000;
		if (open_ms > 0 && open_ms < w->skip_before_ms)
			w->skip_before_ms = open_ms;
		if (w->cursor.block == 0 &&
		    (!w->first_read_ms || w->skip_before_ms < w->first_read_ms))
			w->first_read_ms = w->skip_before_ms;
	}
	/* What the journal already knows is on chain: the yardstick for lagging histories. */
	if (!err)
		err = journal->newest_transfer_block(journal_ctx, &w->known_block);
	if (err) {
		watcher_close(w);
		return err;
	}
	if (site->node_count == 1) {
		/* Nothing to cross-check against: said at once, and on every pool event. */
		log_warn("%s", WATCHER_ONE_NODE);
		if (ev->pool)
			ev->pool(ev, POOL_ONLINE, WATCHER_ONE_NODE);
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
	watcher_side_close(w);
	watcher_end_blocks(w);
	watcher_drop_tx_blocks(w);
	tx_free(w->tx);
	free(w->hist);
	free(w);
}
