/*
 * Never trust a node: a transfer that proved against its transaction still
 * counts only once its block is proven too. Every node is asked for that
 * block; each copy is checked from its own bytes (block_verify: the id
 * computed from the signed header, the witness signature recovered, the
 * transaction merkle root recomputed), must hold the transaction
 * (block_tx_find: "cannot check" is not proven), and must be signed by the
 * key the kiosk knows for its witness. The transfer is reported once
 * site_quorum() operators served the same block (nodes of one operator count
 * once). A witness key is learned once, from a quorum of nodes naming the
 * key that signed the block, and kept in the journal; a copy signed by
 * another key is refused however many nodes serve it.
 *
 * Each other node's copy is asked beside the poll, all at once
 * (watcher_side.c), and judged as it comes.
 *
 * Also here: a reported transfer's block is checked again until it is
 * irreversible (forks).
 */
#include "watcher_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/log.h"

/* The kept key of a witness: the watcher's copy, else the journal's. */
static bool witness_key_known(struct watcher *w, const char *name, uint8_t key[SIG_PUBKEY_LEN])
{
	char text[KEY_TEXT_MAX];

	for (unsigned i = 0; i < w->nwkeys; i++)
		if (strcmp(w->wkeys[i].name, name) == 0) {
			memcpy(key, w->wkeys[i].key, SIG_PUBKEY_LEN);
			return true;
		}
	if (!w->journal->witness_key_get ||
	    w->journal->witness_key_get(w->journal_ctx, w->chain->name, name, text, sizeof(text)) !=
	        KERR_OK ||
	    key_public_parse(text, w->chain->key_prefix, key, NULL) != KERR_OK)
		return false;
	if (w->nwkeys < WITNESS_KEYS) {
		snprintf(w->wkeys[w->nwkeys].name, sizeof(w->wkeys[0].name), "%s", name);
		memcpy(w->wkeys[w->nwkeys].key, key, SIG_PUBKEY_LEN);
		w->nwkeys++;
	}
	return true;
}

static void witness_key_keep(struct watcher *w, const char *name, const uint8_t key[SIG_PUBKEY_LEN])
{
	char text[KEY_TEXT_MAX];

	if (key_public_format(key, w->chain->key_prefix, text, sizeof(text)) != KERR_OK)
		return;
	log_notice("witness %s: signing key %s learned from %u node operators; kept", name, text,
	           site_quorum(w->site));
	if (w->nwkeys < WITNESS_KEYS) {
		snprintf(w->wkeys[w->nwkeys].name, sizeof(w->wkeys[0].name), "%s", name);
		memcpy(w->wkeys[w->nwkeys].key, key, SIG_PUBKEY_LEN);
		w->nwkeys++;
	}
	if (w->journal->witness_key_set &&
	    w->journal->witness_key_set(w->journal_ctx, w->chain->name, name, text) != KERR_OK)
		log_err("journal: witness %s's key could not be kept; it will be learned again",
		        name);
}

static unsigned bits(unsigned v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void go_home(struct watcher *w)
{
	w->node = w->q.home;
	w->away = false;
}

/* Not (yet) proven: nothing is reported, the cursor stays, the next poll tries again. */
static void quorum_short(struct watcher *w)
{
	const struct rpc_history *h = &w->hist[w->at];

	w->q.active = false;
	go_home(w);
	if (w->q.forged) {
		char why[200];

		snprintf(why, sizeof(why),
		         "its block %u is not signed by witness %s's key as the kiosk knows it",
		         w->q.block, w->q.witness);
		log_warn("transfer %s from %s refused: %s", h->trx_id, h->from, why);
		if (w->ev->refused)
			w->ev->refused(w->ev, h->trx_id, why);
		watcher_fail(w, "served a block its witness did not sign");
		return;
	}
	log_warn(
	    "transfer %s: block %u served alike by %u of %u node operators (%s); not counted yet",
	    h->trx_id, w->q.block, bits(w->q.agree), site_quorum(w->site),
	    w->q.why[0] ? w->q.why : "no other node answered");
	w->more = false;
	watcher_end_blocks(w);
	w->scanning = false;
	w->step = S_IDLE;
	watcher_finish_poll(w);
}

/* Judges node i's copy d (NULL: it did not serve it), fetched latency_ms after it was asked. */
static void judge_copy(struct watcher *w, unsigned i, const struct rpc_doc *d, unsigned latency_ms)
{
	struct rpc_doc *doc = (struct rpc_doc *)d;

	w->q.judged |= 1u << i;
	w->node = i;
	w->away = i != w->q.home;
	w->poll_node = w->q.home;
	w->sent_ms = watcher_now_ms(w) - latency_ms;
	w->step = S_QBLOCK;
	watcher_quorum_block_reply(w, &doc);
}

/*
 * The next copy to judge: the poll node's own (in hand, or asked with the
 * poll's request) and each other node's, asked beside the poll all at once
 * (watcher_side.c), judged as they come; proven once enough operators
 * agree, so a slow node delays nothing when others make the quorum.
 */
void watcher_quorum_next(struct watcher *w)
{
	bool waiting = false;

	if (bits(w->q.agree) >= site_quorum(w->site)) {
		w->q.active = false;
		go_home(w);
		log_info("transfer %s: block %u served alike by %u node operators",
		         w->hist[w->at].trx_id, w->q.block, bits(w->q.agree));
		watcher_report_proven(w);
		return;
	}
	for (unsigned i = 0; i < w->pool.count; i++) {
		const struct rpc_doc *d = NULL;
		unsigned latency = 0;

		if ((w->q.judged >> i & 1) || (w->q.agree >> site_operator_of(w->site, i) & 1) ||
		    (i != w->q.home && !pool_usable(&w->pool, i, watcher_now_ms(w))) ||
		    w->q.next_blocked)
			continue;
		if (i == w->q.home) {
			if (w->q.home_asked)
				continue; /* its answer comes to the poll's request */
			d = watcher_block_in_hand(w, w->q.block);
			if (d) {
				judge_copy(w, i, d, 0);
				return;
			}
			waiting = true;
			continue; /* asked below, once every other node is asked */
		}
		switch (watcher_side_copy(w, i, w->q.block, &d, &latency)) {
		case SIDE_COPY_HAVE:
			judge_copy(w, i, d, latency);
			return;
		case SIDE_COPY_WAIT:
			waiting = true;
			break;
		case SIDE_COPY_FAILED:
			w->q.judged |= 1u << i;
			snprintf(w->q.why, sizeof(w->q.why), "%s", w->pool.n[i].why);
			break;
		}
	}
	if (!w->q.home_asked && !(w->q.judged >> w->q.home & 1) &&
	    !(w->q.agree >> site_operator_of(w->site, w->q.home) & 1)) {
		char params[32];

		w->q.home_asked = true;
		w->q.judged |= 1u << w->q.home;
		go_home(w);
		w->step = S_QBLOCK;
		snprintf(params, sizeof(params), "[%u]", w->q.block);
		watcher_call(w, "get_block", params);
		return;
	}
	if (waiting) {
		go_home(w);
		w->step = S_QWAIT;
		return;
	}
	quorum_short(w);
}

void watcher_quorum_begin(struct watcher *w)
{
	const struct rpc_history *h = &w->hist[w->at];

	tx_free(w->tx);
	w->tx = NULL;
	memset(&w->q, 0, sizeof(w->q));
	w->q.active = true;
	w->q.block = h->block;
	w->q.home = w->node;
	if (hex_decode(h->trx_id, strlen(h->trx_id), w->q.trx, TX_ID_LEN, NULL) != KERR_OK) {
		snprintf(w->q.why, sizeof(w->q.why), "a transaction id that is not hex");
		w->q.next_blocked = true;
		w->q.home_asked = true;
	}
	watcher_quorum_next(w);
}

bool watcher_copy_lies(struct watcher *w, const struct rpc_doc *d, char *why, size_t cap)
{
	struct block *b = NULL;
	struct block_verdict v;
	const char *perr = NULL;
	uint8_t kept[SIG_PUBKEY_LEN];
	enum kerr err = rpc_block_parse(d, w->chain, &b, &perr);

	if (err) {
		snprintf(why, cap, "a block that cannot be read: %s", perr ? perr : kerr_str(err));
		return err != KERR_NOTSUP;
	}
	err = block_verify(b, &v);
	block_free(b);
	if (err && err != KERR_NOTSUP) {
		snprintf(why, cap, "block %u refused: %s", v.num,
		         v.reason[0] ? v.reason : kerr_str(err));
		return true;
	}
	if (!err && witness_key_known(w, v.witness, kept) && block_signed_by(&v, kept) != KERR_OK) {
		snprintf(why, cap, "block %u signed by %s, not by witness %s's kept key", v.num,
		         v.signing_key_text, v.witness);
		return true;
	}
	return false;
}

/* This node's copy did not count: why, and a node that lied is backed off. */
KIOSK_PRINTF(3, 4)
static void copy_refused(struct watcher *w, bool lie, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->q.why, sizeof(w->q.why), fmt, ap);
	va_end(ap);
	log_warn("node %s: block %u: %s", w->site->nodes[w->node].url, w->q.block, w->q.why);
	if (lie)
		pool_fail(&w->pool, w->node, watcher_now_ms(w), w->q.why);
	else if (w->away)
		pool_ok(&w->pool, w->node, watcher_now_ms(w),
		        (unsigned)(watcher_now_ms(w) - w->sent_ms), 0);
	go_home(w);
	watcher_quorum_next(w);
}

static void copy_agrees(struct watcher *w)
{
	if (w->away)
		pool_ok(&w->pool, w->node, watcher_now_ms(w),
		        (unsigned)(watcher_now_ms(w) - w->sent_ms), 0);
	w->q.agree |= 1u << site_operator_of(w->site, w->node);
	go_home(w);
	watcher_quorum_next(w);
}

/* The first copy of the block that checked out: the one the others must match. */
static void first_copy(struct watcher *w, const struct block_verdict *v)
{
	w->q.have_id = true;
	memcpy(w->q.id, v->id, BLOCK_ID_LEN);
	snprintf(w->q.witness, sizeof(w->q.witness), "%s", v->witness);
	memcpy(w->q.key, v->signing_key, SIG_PUBKEY_LEN);
}

void watcher_quorum_block_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct block *b = NULL;
	struct block_verdict v;
	const char *why = NULL;
	uint8_t kept[SIG_PUBKEY_LEN];
	size_t idx;
	enum kerr err;
	char params[48];

	if (!*doc) {
		copy_refused(w, false, "%s", "the node does not have it (yet)");
		return;
	}
	err = rpc_block_parse(*doc, w->chain, &b, &why);
	if (err) {
		copy_refused(w, err != KERR_NOTSUP, "cannot be read: %s",
		             why ? why : kerr_str(err));
		return;
	}
	err = block_verify(b, &v);
	if (err == KERR_OK)
		err = block_tx_find(b, &v, w->q.trx, &idx);
	else if (err == KERR_NOTSUP)
		err = KERR_NOTSUP;
	block_free(b);
	if (err == KERR_NOTSUP) {
		copy_refused(w, false, "not proven: %s",
		             v.reason[0] ? v.reason : "merkle root cannot be checked");
		return;
	}
	if (err == KERR_NOTFOUND) {
		copy_refused(w, false, "%s",
		             "it does not hold the transaction (another branch, or a lie)");
		return;
	}
	if (err) {
		copy_refused(w, true, "refused: %s", v.reason[0] ? v.reason : kerr_str(err));
		return;
	}
	if (w->q.have_id && memcmp(v.id, w->q.id, BLOCK_ID_LEN) != 0) {
		copy_refused(w, false, "another block at that height (%s): a fork, or a lie",
		             v.id_hex);
		return;
	}
	if (witness_key_known(w, v.witness, kept)) {
		if (block_signed_by(&v, kept) != KERR_OK) {
			w->q.forged = true;
			copy_refused(w, true, "signed by %s, not by its witness's kept key",
			             v.signing_key_text);
			return;
		}
		if (!w->q.have_id) {
			first_copy(w, &v);
			w->q.key_known = true;
		}
		copy_agrees(w);
		return;
	}
	/* The witness's key is not known yet: this node must name the key that signed it. */
	if (!w->q.have_id)
		first_copy(w, &v);
	w->step = S_QWITNESS;
	snprintf(params, sizeof(params), "[\"%s\"]", w->q.witness);
	watcher_call(w, "get_witness_by_account", params);
}

void watcher_quorum_witness_reply(struct watcher *w, struct rpc_doc **doc)
{
	uint8_t key[SIG_PUBKEY_LEN];

	if (rpc_witness_key(*doc, w->chain, w->q.witness, key) != KERR_OK) {
		copy_refused(w, false, "%s", "no readable signing key for its witness");
		return;
	}
	if (memcmp(key, w->q.key, SIG_PUBKEY_LEN) != 0) {
		copy_refused(w, true, "%s", "the witness's key it names did not sign the block");
		return;
	}
	w->q.key_votes |= 1u << site_operator_of(w->site, w->node);
	if (bits(w->q.key_votes) >= site_quorum(w->site)) {
		witness_key_keep(w, w->q.witness, w->q.key);
		w->q.key_known = true;
	}
	copy_agrees(w);
}

/* ---- forks: a reported transfer's block, until it is irreversible ---- */

void watcher_recent_add(struct watcher *w, const char *trx_id, uint32_t op_index, uint32_t block)
{
	struct recent *slot = NULL;

	if (!w->q.have_id)
		return;
	for (int i = 0; i < RECENT_MAX; i++)
		if (!w->recent[i].used || w->recent[i].block < (slot ? slot->block : UINT32_MAX)) {
			slot = &w->recent[i];
			if (!slot->used)
				break;
		}
	memset(slot, 0, sizeof(*slot));
	slot->used = true;
	snprintf(slot->trx_id, sizeof(slot->trx_id), "%s", trx_id);
	slot->op_index = op_index;
	slot->block = block;
	memcpy(slot->id, w->q.id, BLOCK_ID_LEN);
	slot->checked_head = w->dgp.head_block;
}

bool watcher_fork_check(struct watcher *w)
{
	char params[32];

	if (w->away || !w->dgp.head_block)
		return false;
	for (int i = 0; i < RECENT_MAX; i++) {
		struct recent *r = &w->recent[i];

		if (!r->used)
			continue;
		if (r->block <= pool_agreed_lib(&w->pool, w->dgp.irreversible_block)) {
			r->used = false; /* irreversible: it stays */
			continue;
		}
		if (r->checked_head >= w->dgp.head_block)
			continue;
		r->checked_head = w->dgp.head_block;
		w->fork_at = i;
		w->step = S_FORK;
		snprintf(params, sizeof(params), "[%u]", r->block);
		watcher_call(w, "get_block", params);
		return true;
	}
	return false;
}

void watcher_fork_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct recent *r = &w->recent[w->fork_at];
	struct block *b = NULL;
	struct block_verdict v;
	uint8_t kept[SIG_PUBKEY_LEN], trx[TX_ID_LEN];
	size_t idx;
	enum kerr found = KERR_PROTO;

	w->fork_at = -1;
	if (*doc && rpc_block_parse(*doc, w->chain, &b, NULL) == KERR_OK &&
	    block_verify(b, &v) == KERR_OK &&
	    hex_decode(r->trx_id, strlen(r->trx_id), trx, TX_ID_LEN, NULL) == KERR_OK)
		found = block_tx_find(b, &v, trx, &idx);
	block_free(b);
	/*
	 * Only a block proven from its bytes and signed by its witness's kept key
	 * says the height changed; anything less is not a fork, only a node.
	 */
	if (found != KERR_PROTO && memcmp(v.id, r->id, BLOCK_ID_LEN) != 0 &&
	    witness_key_known(w, v.witness, kept) && block_signed_by(&v, kept) == KERR_OK &&
	    found == KERR_NOTFOUND) {
		log_warn("transfer %s: block %u is now %s, without it: reverted (fork)", r->trx_id,
		         r->block, v.id_hex);
		r->used = false;
		if (w->ev->reverted)
			w->ev->reverted(w->ev, r->trx_id, r->op_index, r->block);
	}
	watcher_finish_poll(w);
}
