/*
 * Another node than the poll's, for a moment: the payer's keys, and the
 * strict rule's second opinion (a second, different node must serve the
 * same transaction, which must prove the same transfer).
 */
#include "watcher_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/proof.h"

/*
 * For a moment another node than the poll's is asked (the payer's keys, a
 * second opinion); watcher_away_back() returns to the poll's node, crediting
 * the other with its good answer. A failure there backs off the other node.
 */
void watcher_away_to(struct watcher *w, unsigned other)
{
	w->poll_node = w->node;
	w->node = other;
	w->away = true;
}

void watcher_away_back(struct watcher *w)
{
	pool_ok(&w->pool, w->node, watcher_now_ms(w), (unsigned)(watcher_now_ms(w) - w->sent_ms),
	        0);
	w->node = w->poll_node;
	w->away = false;
}

/*
 * One entry per poll, on a node other than the one that proved it first; a
 * failure backs that node off and the entry waits for the next poll.
 */
bool watcher_ask_second(struct watcher *w)
{
	char params[64];

	for (int i = 0; i < SECOND_MAX; i++) {
		struct second *e = &w->second[(w->second_at + 1 + i + SECOND_MAX) % SECOND_MAX];
		int other;

		if (!e->used)
			continue;
		other = pool_pick_other(&w->pool, watcher_now_ms(w), e->first_node);
		if (other < 0)
			return false;
		w->second_at = (int)(e - w->second);
		watcher_away_to(w, (unsigned)other);
		w->step = S_SECOND;
		snprintf(params, sizeof(params), "[%u]", e->block);
		watcher_call(w, "get_block", params);
		return true;
	}
	return false;
}

bool watcher_second_due(const struct watcher *w)
{
	for (int i = 0; i < SECOND_MAX; i++)
		if (w->second[i].used &&
		    pool_pick_other(&w->pool, watcher_now_ms(w), w->second[i].first_node) >= 0)
			return true;
	return false;
}

/* The second node's transaction (in w->tx) against the payer's keys. */
static void second_prove(struct watcher *w, const struct auth_entry *auth)
{
	struct second *e = &w->second[w->second_at];
	struct proof_claim claim = {.op_index = e->op_index,
	                            .from = e->from,
	                            .to = w->site->account,
	                            .amount = e->amount,
	                            .memo = e->memo,
	                            .memo_len = e->memo_len};
	enum proof_verdict v = PROOF_NOT_AUTHORIZED;
	enum tx_form form;

	memcpy(claim.trx_id, e->trx_id, sizeof(claim.trx_id));
	if (proof_check(w->tx, &claim, &auth->active, &auth->owner, NULL, &v, &form) != KERR_OK ||
	    v != PROOF_OK) {
		watcher_fail(w, "a second node did not prove the transfer");
		return;
	}
	tx_free(w->tx);
	w->tx = NULL;
	log_notice("transfer %s: a second node agrees", e->trx_id);
	e->used = false;
	if (w->ev->agreed)
		w->ev->agreed(w->ev, e->trx_id, e->op_index);
	/* Back to the poll's node for the rest. */
	watcher_away_back(w);
	watcher_finish_poll(w);
}

void watcher_second_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct second *e = &w->second[w->second_at];
	const struct auth_entry *auth;
	char params[64];

	if (!*doc || watcher_tx_in_block(*doc, w->chain, 0, e->trx_id, &w->tx) != KERR_OK) {
		watcher_fail(w, "a second node did not serve the transaction");
		return;
	}
	auth = watcher_auth_cached(w, e->from);
	if (auth) {
		second_prove(w, auth);
		return;
	}
	/* The payer's keys, from this same node. */
	w->step = S_SECOND_ACCOUNT;
	snprintf(params, sizeof(params), "[[\"%s\"]]", e->from);
	watcher_call(w, "get_accounts", params);
}

void watcher_second_account_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct auth_entry *a = watcher_auth_slot(w);
	const char *from = w->second[w->second_at].from;

	if (rpc_account_auth(*doc, w->chain, from, &a->active, &a->owner) != KERR_OK) {
		memset(a, 0, sizeof(*a));
		watcher_fail(w, "a second node did not serve the payer's keys");
		return;
	}
	watcher_auth_keep(w, a, from);
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
