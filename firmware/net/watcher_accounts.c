/*
 * PROOF_NEEDS_ACCOUNT (proof.h): the payer's authority names another
 * account (account_auths) whose keys signed. That account's active
 * authority is fetched (get_accounts), from a node other than the one that
 * served the transaction where one is usable, added to the transfer's
 * authority table, and the proof runs again. A full table, an account
 * asked for twice, or one that cannot be read: not proven.
 */
#include "watcher_priv.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"

bool watcher_fetch_named(struct watcher *w, const struct auth_entry *payer, const char *name)
{
	char params[64];
	int other;

	if (!name[0] || w->atab.count >= AUTHORITY_TABLE_MAX)
		return false;
	for (size_t i = 0; i < w->atab.count; i++)
		if (strcmp(w->atab.names[i], name) == 0)
			return false;
	if (payer != &w->payer)
		w->payer = *payer;
	snprintf(w->named, sizeof(w->named), "%s", name);
	w->named_home = w->node;
	other = pool_pick_other(&w->pool, watcher_now_ms(w), w->node);
	if (other >= 0) {
		w->node = (unsigned)other;
		w->away = true;
		w->poll_node = w->named_home;
	}
	w->step = S_NAMED;
	snprintf(params, sizeof(params), "[[\"%s\"]]", name);
	watcher_call(w, "get_accounts", params);
	return true;
}

void watcher_named_reply(struct watcher *w, struct rpc_doc **doc)
{
	struct authority active, owner;
	bool ok = rpc_account_auth(*doc, w->chain, w->named, &active, &owner) == KERR_OK &&
	          authority_table_add(&w->atab, w->named, &active) == KERR_OK;

	if (w->away)
		pool_ok(&w->pool, w->node, watcher_now_ms(w),
		        (unsigned)(watcher_now_ms(w) - w->sent_ms), 0);
	w->node = w->named_home;
	w->away = false;
	if (!ok) {
		log_warn("account %s, named by %s's authority, could not be read", w->named,
		         w->hist[w->at].from);
		/* Marked as asked: the proof then refuses rather than asking again. */
		if (w->atab.count < AUTHORITY_TABLE_MAX) {
			struct authority none;

			memset(&none, 0, sizeof(none));
			none.threshold = 1; /* no key: nothing satisfies it */
			if (authority_table_add(&w->atab, w->named, &none) != KERR_OK)
				log_debug("account %s: not marked as asked", w->named);
		}
	}
	watcher_prove(w, &w->payer);
}
