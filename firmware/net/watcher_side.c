/*
 * Requests beside the poll, so one slow node delays nothing: the poll's
 * chain of requests goes to one node, and meanwhile each other node is
 * asked on its own, at once:
 *  - its head, when it is due for a refresh (fresh heads for every node);
 *  - the blocks of a page's transfers, the same batch the poll's node was
 *    sent, so the quorum's copies arrive with the poll's own;
 *  - one block, when the quorum needs a copy not fetched in a batch.
 * Each node has one head and one block request in flight at most; a block
 * wanted while another is out is asked for when that returns. Answers are kept until the
 * page's blocks are dropped; an answer to a dropped page is discarded.
 */
#include "watcher_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/log.h"

static void side_free_copies(struct side *s)
{
	for (size_t i = 0; i < s->ncopy; i++)
		rpc_doc_free(s->copy[i]);
	s->ncopy = 0;
	s->answered = false;
	s->failed = false;
}

static void on_side_reply(struct http_request *r, enum kerr err, long status, const char *body,
                          size_t len);

/* Sends body (taken: freed when answered) to node i, as its head or its block request. */
static void side_send(struct watcher *w, unsigned i, enum side_kind kind, char *body,
                      uint64_t first_id)
{
	struct side *s = kind == SIDE_FRESH ? &w->fresh[i] : &w->side[i];

	s->w = w;
	s->node = i;
	s->kind = kind;
	s->body = body;
	s->first_id = first_id;
	s->gen = w->side_gen;
	s->sent_ms = watcher_now_ms(w);
	pool_spend(&w->pool, i, s->sent_ms);
	s->req = (struct http_request){
	    .url = w->site->nodes[i].url,
	    .pin = w->site->nodes[i].pin,
	    .body = s->body,
	    .timeout_ms = w->site->request_timeout_ms,
	    .max_bytes = (size_t)w->site->max_response_kb * 1024,
	    .done = on_side_reply,
	};
	if (http_post(w->http, &s->req)) {
		free(s->body);
		s->body = NULL;
		s->kind = SIDE_IDLE;
		pool_fail(&w->pool, i, s->sent_ms, "cannot start a request");
	}
}

static char *call_body(struct watcher *w, const char *method, const char *params, uint64_t *id)
{
	char *b = malloc(256);

	*id = ++w->id;
	if (b && rpc_request(b, 256, *id, method, params)) {
		free(b);
		b = NULL;
	}
	return b;
}

static void send_block(struct watcher *w, unsigned i, uint32_t block)
{
	struct side *s = &w->side[i];
	char params[32], *body;
	uint64_t id;

	snprintf(params, sizeof(params), "[%u]", block);
	body = call_body(w, "get_block", params, &id);
	if (!body)
		return;
	side_free_copies(s);
	s->nums[0] = block;
	s->nasked = 1;
	side_send(w, i, SIDE_BLOCK, body, id);
}

void watcher_side_fresh(struct watcher *w, int poll_node)
{
	int64_t now = watcher_now_ms(w);

	if (w->pool.count < 2)
		return;
	for (unsigned i = 0; i < w->pool.count; i++) {
		char *body;
		uint64_t id;

		if ((int)i == poll_node || w->fresh[i].kind != SIDE_IDLE ||
		    !pool_head_is_due(&w->pool, i, now) ||
		    pool_budget_wait_ms(&w->pool, i, now) > 0)
			continue;
		body = call_body(w, "get_dynamic_global_properties", "[]", &id);
		if (body)
			side_send(w, i, SIDE_FRESH, body, id);
	}
}

/* A node's head, judged as the poll's own (watcher.c): lies and bounds. */
static void fresh_reply(struct watcher *w, unsigned i, const struct rpc_doc *doc,
                        unsigned latency_ms)
{
	struct rpc_dgp d;
	enum pool_claim c;
	const char *why = NULL;

	if (rpc_dgp(doc, &d))
		why = "malformed global properties";
	/* Bounded before any arithmetic. */
	else if (d.head_block > INT32_MAX || d.irreversible_block > d.head_block || d.time_s < 0 ||
	         d.time_s > ((int64_t)1 << 40))
		why = "global properties out of bounds";
	else if ((c = pool_head_claim(&w->pool, i, watcher_now_ms(w), d.head_block, d.time_s)) !=
	         POOL_CLAIM_OK)
		why = pool_claim_str(c);
	if (why) {
		log_warn("node %s: %s", w->site->nodes[i].url, why);
		pool_fail(&w->pool, i, watcher_now_ms(w), why);
		return;
	}
	pool_set_lib(&w->pool, i, d.irreversible_block);
	pool_answered(&w->pool, i, watcher_now_ms(w), latency_ms, d.head_block);
	pool_poll_done(&w->pool, i);
}

static void on_side_reply(struct http_request *r, enum kerr err, long status, const char *body,
                          size_t len)
{
	struct side *s = container_of(r, struct side, req);
	struct watcher *w = s->w;
	unsigned i = s->node;
	unsigned latency = (unsigned)(watcher_now_ms(w) - s->sent_ms);
	enum side_kind kind = s->kind;
	bool current = s->gen == w->side_gen;
	struct rpc_doc *docs[BLOCK_BATCH_MAX] = {0};
	struct rpc_error e;
	const char *why = NULL;
	size_t n = kind == SIDE_FRESH ? 1 : s->nasked;

	free(s->body);
	s->body = NULL;
	s->kind = SIDE_IDLE;
	if (err || status != 200)
		why = err ? kerr_str(err) : "HTTP error status";
	else if (kind == SIDE_BATCH) {
		if (rpc_batch_reply(body, len, s->first_id, n, docs) != KERR_OK)
			why = "malformed reply to a batch";
	} else {
		enum kerr rerr = rpc_reply(body, len, s->first_id, &docs[0], &e);

		if (rerr && !(rerr == KERR_NOTFOUND && kind == SIDE_BLOCK))
			why = rerr == KERR_PROTO && e.message[0] ? e.message : "malformed reply";
	}
	if (why) {
		log_warn("node %s: %s", w->site->nodes[i].url, why);
		pool_fail(&w->pool, i, watcher_now_ms(w), why);
	} else if (kind != SIDE_FRESH) {
		/* Answered; its failures are forgotten only when the quorum judges the copy. */
		pool_answered(&w->pool, i, watcher_now_ms(w), latency, 0);
	}
	/* Each copy is checked as it comes, used or not: a node's lie is not missed for being late.
	 */
	for (size_t k = 0; kind != SIDE_FRESH && !why && k < n; k++) {
		char lie[200];

		if (docs[k] && watcher_copy_lies(w, docs[k], lie, sizeof(lie))) {
			log_warn("node %s: %s", w->site->nodes[i].url, lie);
			pool_fail(&w->pool, i, watcher_now_ms(w), lie);
			rpc_doc_free(docs[k]);
			docs[k] = NULL;
			watcher_publish(w);
		}
	}
	if (kind == SIDE_FRESH) {
		if (!why)
			fresh_reply(w, i, docs[0], latency);
		rpc_doc_free(docs[0]);
		watcher_publish(w);
		if (w->racing && w->step == S_IDLE) {
			w->racing = false;
			loop_timer_arm(w->loop, &w->timer, 0);
		}
	} else if (current) {
		/* Kept for the quorum: the copies, or that this node failed them. */
		side_free_copies(s);
		s->answered = true;
		s->failed = why != NULL;
		s->latency_ms = latency;
		for (size_t k = 0; k < n; k++)
			s->copy[k] = docs[k];
		s->ncopy = n;
	} else {
		for (size_t k = 0; k < n; k++)
			rpc_doc_free(docs[k]);
		s->nasked = 0; /* its page was dropped meanwhile */
	}
	if (kind == SIDE_FRESH)
		return;
	if (s->want_block) {
		uint32_t b = s->want_block;

		s->want_block = 0;
		send_block(w, i, b);
	}
	if (w->step == S_QWAIT && w->q.active)
		watcher_quorum_next(w);
}

void watcher_side_batch(struct watcher *w, unsigned poll_node, const char *body, uint64_t first_id,
                        const uint32_t *nums, size_t n)
{
	if (site_quorum(w->site) < 2 || n == 0)
		return;
	for (unsigned i = 0; i < w->pool.count; i++) {
		struct side *s = &w->side[i];
		char *copy;

		if (i == poll_node || s->kind != SIDE_IDLE ||
		    !pool_usable(&w->pool, i, watcher_now_ms(w)) ||
		    site_operator_of(w->site, i) == site_operator_of(w->site, poll_node))
			continue;
		copy = strdup(body);
		if (!copy)
			return;
		side_free_copies(s);
		memcpy(s->nums, nums, n * sizeof(nums[0]));
		s->nasked = n;
		side_send(w, i, SIDE_BATCH, copy, first_id);
	}
}

enum side_copy watcher_side_copy(struct watcher *w, unsigned i, uint32_t block,
                                 const struct rpc_doc **doc, unsigned *latency_ms)
{
	struct side *s = &w->side[i];
	bool asked = false;

	for (size_t k = 0; k < s->nasked; k++)
		asked |= s->nums[k] == block;
	if (asked && s->kind != SIDE_IDLE && s->gen == w->side_gen)
		return SIDE_COPY_WAIT;
	if (asked && s->answered) {
		if (s->failed)
			return SIDE_COPY_FAILED;
		for (size_t k = 0; k < s->ncopy; k++)
			if (s->nums[k] == block) {
				*doc = s->copy[k];
				*latency_ms = s->latency_ms;
				return SIDE_COPY_HAVE;
			}
	}
	/* Not asked yet: now, or as soon as its request in flight returns. */
	if (s->kind != SIDE_IDLE) {
		s->want_block = block;
		return SIDE_COPY_WAIT;
	}
	send_block(w, i, block);
	return s->kind == SIDE_IDLE ? SIDE_COPY_FAILED : SIDE_COPY_WAIT;
}

void watcher_side_drop(struct watcher *w)
{
	w->side_gen++;
	for (unsigned i = 0; i < SITE_NODES_MAX; i++) {
		side_free_copies(&w->side[i]);
		/* A request in flight keeps what it asked, to read its answer (then discarded). */
		if (w->side[i].kind == SIDE_IDLE)
			w->side[i].nasked = 0;
		w->side[i].want_block = 0;
	}
}

void watcher_side_close(struct watcher *w)
{
	/* http_free() has cancelled what was in flight without calling back. */
	for (unsigned i = 0; i < SITE_NODES_MAX; i++) {
		side_free_copies(&w->side[i]);
		free(w->side[i].body);
		free(w->fresh[i].body);
		w->side[i].body = w->fresh[i].body = NULL;
	}
}

void watcher_side_prefetch(struct watcher *w, unsigned poll_node, uint32_t block)
{
	if (site_quorum(w->site) < 2)
		return;
	for (unsigned i = 0; i < w->pool.count; i++) {
		const struct rpc_doc *d;
		unsigned latency;

		if (i != poll_node && pool_usable(&w->pool, i, watcher_now_ms(w)) &&
		    site_operator_of(w->site, i) != site_operator_of(w->site, poll_node))
			(void)watcher_side_copy(w, i, block, &d, &latency);
	}
}
