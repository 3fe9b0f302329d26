/*
 * Proving a transfer before it is reported: its transaction, the payer's
 * keys (cached a while: a payer pays often, keys change rarely) and the
 * proof (proof.h). A transfer that does not prove is refused and its node
 * failed; the cursor moves past it either way.
 */
#include "watcher_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/proof.h"

/* The transaction trx_id in a get_block reply: at index hint, else wherever it is. */
enum kerr watcher_tx_in_block(const struct rpc_doc *d, const struct chain_profile *p, uint32_t hint,
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

const struct auth_entry *watcher_auth_cached(struct watcher *w, const char *name)
{
	for (unsigned i = 0; i < AUTH_CACHE; i++)
		if (w->auth[i].at_ms && watcher_now_ms(w) - w->auth[i].at_ms < AUTH_CACHE_MS &&
		    strcmp(w->auth[i].name, name) == 0)
			return &w->auth[i];
	return NULL;
}

struct auth_entry *watcher_auth_slot(struct watcher *w)
{
	struct auth_entry *a = &w->auth[w->auth_next];

	memset(a, 0, sizeof(*a));
	return a;
}

void watcher_auth_keep(struct watcher *w, struct auth_entry *a, const char *name)
{
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->at_ms = watcher_now_ms(w);
	w->auth_next = (w->auth_next + 1) % AUTH_CACHE;
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
	return e && watcher_now_ms(w) - e->at_ms < 1000;
}

/*
 * The payer's keys, from another node than the one that served the
 * transaction where one is usable: one lying node cannot then forge both a
 * transfer and the keys it is signed with.
 */
static int keys_node(const struct watcher *w)
{
	int64_t now = watcher_now_ms(w);
	int best = -1;

	for (unsigned i = 0; i < w->pool.count; i++) {
		const struct pool_node *n = &w->pool.n[i];

		if (i == w->node || (w->keys_tried >> i & 1) || !pool_usable(&w->pool, i, now))
			continue;
		if (best < 0 || n->latency_ms < w->pool.n[best].latency_ms)
			best = (int)i;
	}
	return best;
}

static void ask_keys(struct watcher *w, const char *from)
{
	int other = keys_node(w);
	char params[64];

	if (other >= 0)
		watcher_away_to(w, (unsigned)other);
	w->step = S_ACCOUNT;
	snprintf(params, sizeof(params), "[[\"%s\"]]", from);
	watcher_call(w, "get_accounts", params);
}

bool watcher_unverified(struct watcher *w, const char *reason)
{
	const struct rpc_history *h = &w->hist[w->at];
	struct watcher_unverified u = {
	    .trx_id = h->trx_id,
	    .op_index = h->op_in_trx,
	    .block = h->block,
	    .time_ms = h->time_s * 1000,
	    .from = h->from,
	    .amount = h->amount,
	    .memo = h->memo,
	    .memo_len = h->memo_len,
	    .reason = reason,
	    .node = w->node,
	};

	tx_free(w->tx);
	w->tx = NULL;
	log_warn("transfer %s from %s cannot be proven (%s): recorded as unverified, never paid",
	         h->trx_id, h->from, reason);
	if (w->ev->unverified && w->ev->unverified(w->ev, &u) != KERR_OK) {
		watcher_journal_failed(w, "an unverified transfer could not be recorded");
		return false;
	}
	w->jfails = 0;
	watcher_advance_cursor(w, h);
	w->at++;
	return true;
}

/* Whether an authority names accounts (asked only when they could not all be fetched). */
static bool names_accounts(const struct auth_entry *a)
{
	return a->active.account_count > 0 || a->owner.account_count > 0;
}

/* w->tx holds the transaction of w->hist[w->at] against the payer's keys. */
static void prove(struct watcher *w, const struct auth_entry *auth)
{
	const struct rpc_history *h = &w->hist[w->at];
	struct proof_claim claim = {.op_index = h->op_in_trx,
	                            .from = h->from,
	                            .to = h->to,
	                            .amount = h->amount,
	                            .memo = h->memo,
	                            .memo_len = h->memo_len,
	                            .token_id = h->is_token ? w->site->sidechain_id : NULL};
	enum proof_verdict v = PROOF_NOT_AUTHORIZED;
	struct proof_result res;
	const char *unverifiable = NULL;
	bool unresolved = false;

	memcpy(claim.trx_id, h->trx_id, sizeof(claim.trx_id));
	if (proof_check_full(w->tx, &claim, &auth->active, &auth->owner, &w->atab.base, &res) !=
	    KERR_OK) {
		tx_free(w->tx);
		w->tx = NULL;
		watcher_fail(w, "the proof could not be run");
		return;
	}
	v = res.verdict;
	/* An authority that names another account: fetch it (proof.h) and prove again. */
	if (v == PROOF_NEEDS_ACCOUNT && watcher_fetch_named(w, auth, res.account))
		return;
	if (v == PROOF_NEEDS_ACCOUNT) {
		/* The named accounts could not all be fetched (too many, too deep). */
		unresolved = true;
		v = PROOF_NOT_AUTHORIZED;
	}
	if (v == PROOF_NOT_AUTHORIZED && !auth_fresh_enough(w, auth)) {
		/* Perhaps the payer changed keys since we cached them: ask again. */
		auth_forget(w, h->from);
		ask_keys(w, h->from);
		return;
	}
	/*
	 * Fresh keys from another node do not sign it: that node's keys, or the
	 * transaction's node, lie. A third node's keys decide; only when no
	 * node's keys sign it is the transaction's node blamed (below).
	 */
	if (v == PROOF_NOT_AUTHORIZED && auth->has_node && auth->node != w->node) {
		w->keys_tried |= 1u << auth->node;
		if (keys_node(w) >= 0) {
			auth_forget(w, h->from);
			ask_keys(w, h->from);
			return;
		}
	}
	/*
	 * Cannot verify is not a lie: an operation the kiosk does not serialize,
	 * a signature outside its rule, an authority it cannot read or resolve.
	 * Recorded as unverified (never paid), and the reading goes on.
	 */
	if (v == PROOF_CANNOT_SERIALIZE)
		unverifiable = "the transaction holds an operation the kiosk cannot serialize";
	else if (v == PROOF_BAD_SIGNATURE)
		unverifiable = "a signature outside the kiosk's rule (e.g. not canonical)";
	else if (v == PROOF_NOT_AUTHORIZED && auth->active.threshold == 0)
		unverifiable = "the payer's authority could not be read";
	else if (v == PROOF_NOT_AUTHORIZED && unresolved && names_accounts(auth))
		unverifiable =
		    "the payer's authority names other accounts the kiosk does not resolve";
	if (unverifiable) {
		if (watcher_unverified(w, unverifiable))
			watcher_next_transfer(w);
		return;
	}
	if (v != PROOF_OK) {
		/* Provably wrong: bytes that do not hash to the id claimed, no such transfer in
		 * them, or signed by no key of the payer as the keys' node reports them. */
		char why[WATCHER_DETAIL_MAX];

		/* Which node lied: the journal keeps one row per id and reason, so per node too. */
		snprintf(why, sizeof(why), "%s (node %.160s)", proof_verdict_str(v),
		         w->site->nodes[w->node].url);
		log_warn("transfer %s from %s refused: %s", h->trx_id, h->from, why);
		if (w->ev->refused)
			w->ev->refused(w->ev, h->trx_id, why);
		/* A lying node: move to another before trusting anything else it says. */
		tx_free(w->tx);
		w->tx = NULL;
		watcher_fail(w, "served a transfer that does not prove");
		return;
	}
	/* Keys another node gave that did not sign it, where these do: that node lied. */
	for (unsigned i = 0; i < w->pool.count; i++)
		if ((w->keys_tried >> i & 1) && !(auth->has_node && auth->node == i)) {
			log_warn(
			    "node %s: served keys for %s that do not sign the payer's transfer "
			    "(other nodes' keys do)",
			    w->site->nodes[i].url, h->from);
			pool_fail(&w->pool, i, watcher_now_ms(w),
			          "served a payer's keys that are not theirs");
		}
	w->keys_tried = 0;
	/* The transaction proves; its block must too, across nodes (watcher_quorum.c). */
	watcher_quorum_begin(w);
}

/* The transfer of w->hist[w->at] is proven, and so is its block: reported, and on to the next. */
void watcher_report_proven(struct watcher *w)
{
	const struct rpc_history *h = &w->hist[w->at];
	struct watcher_transfer t = {
	    .trx_id = h->trx_id,
	    .op_index = h->op_in_trx,
	    .block = h->block,
	    .time_ms = h->time_s * 1000,
	    .from = h->from,
	    .to = h->to,
	    .amount = h->amount,
	    .memo = h->memo,
	    .memo_len = h->memo_len,
	    .node = w->node,
	    .op_count = w->tx ? (uint32_t)tx_op_count(w->tx) : 0,
	};

	tx_free(w->tx);
	w->tx = NULL;
	/* Not recorded: the cursor stays before it; read again later. */
	if ((h->is_token ? w->ev->token : w->ev->transfer)(w->ev, &t) != KERR_OK) {
		watcher_journal_failed(w, "a proven transfer could not be recorded");
		return;
	}
	w->jfails = 0;
	watcher_recent_add(w, h->trx_id, h->op_in_trx, h->block);
	if (h->block > w->known_block)
		w->known_block = h->block;
	watcher_advance_cursor(w, h);
	w->at++;
	watcher_next_transfer(w);
}

void watcher_prove(struct watcher *w, const struct auth_entry *auth)
{
	prove(w, auth);
}

/* w->tx holds the transaction of w->hist[w->at]: the payer's keys, then the proof. */
void watcher_have_tx(struct watcher *w)
{
	const struct auth_entry *a = watcher_auth_cached(w, w->hist[w->at].from);

	w->keys_tried = 0;
	/* The quorum's copies of its block, asked now: they come while the payer's keys do. */
	watcher_side_prefetch(w, w->node, w->hist[w->at].block);

	/* Keys are tied to the node that gave them: not used to judge what that node serves
	 * while another node can give them. */
	if (a && a->has_node && a->node == w->node &&
	    pool_pick_other(&w->pool, watcher_now_ms(w), w->node) >= 0)
		a = NULL;
	authority_table_init(&w->atab);

	if (a)
		prove(w, a);
	else
		ask_keys(w, w->hist[w->at].from);
}

/*
 * The block lists the transaction under its id, but the kiosk cannot read
 * it into a form it serializes (an operation it does not know, a field past
 * its bounds): not the node's lie.
 */
static bool listed_but_unserializable(const struct rpc_doc *d, const struct chain_profile *p,
                                      const char *trx_id)
{
	struct rpc_block b;
	char id[41] = "";

	if (rpc_block(d, &b) != KERR_OK)
		return false;
	for (size_t i = 0; i < b.tx_count; i++) {
		struct tx *tx = NULL;
		enum kerr err = rpc_block_tx(d, p, i, &tx, id);

		tx_free(tx);
		if (err != KERR_OK && err != KERR_PARSE && strcmp(id, trx_id) == 0)
			return err == KERR_NOTSUP || err == KERR_TOO_BIG || err == KERR_INVAL ||
			       err == KERR_RANGE;
		id[0] = '\0';
	}
	return false;
}

void watcher_tx_from_block(struct watcher *w, const struct rpc_doc *d)
{
	if (!d || watcher_tx_in_block(d, w->chain, w->hist[w->at].trx_in_block,
	                              w->hist[w->at].trx_id, &w->tx)) {
		if (d && listed_but_unserializable(d, w->chain, w->hist[w->at].trx_id)) {
			if (watcher_unverified(
			        w, "the transaction holds an operation the kiosk cannot serialize"))
				watcher_next_transfer(w);
			return;
		}
		watcher_fail(w, "the block does not hold the transaction its history names");
		return;
	}
	watcher_have_tx(w);
}

void watcher_tx_reply(struct watcher *w, struct rpc_doc **doc)
{
	watcher_tx_from_block(w, *doc);
}

void watcher_account_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct auth_entry *a = watcher_auth_slot(w);

	if (rpc_account_auth(*doc, w->chain, w->hist[w->at].from, &a->active, &a->owner) !=
	    KERR_OK) {
		/* No such account, or no authority we can read: it cannot prove.
		 * Not cached under a name; fresh, so it is not asked for again. */
		memset(a, 0, sizeof(*a));
		a->at_ms = watcher_now_ms(w);
	} else {
		watcher_auth_keep(w, a, w->hist[w->at].from);
	}
	a->node = w->node;
	a->has_node = true;
	/* Back to the node that served the transaction: the proof judges it. */
	if (w->away)
		watcher_away_back(w);
	prove(w, a);
}
