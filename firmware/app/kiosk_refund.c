/*
 * A refund the co-op paid back on chain closes its refund due by itself:
 * the watcher reports transfers from the co-op whose memo is a refund's
 * (RF-<id>); one to the refund's payer, in its asset, of at least what is
 * owed, records it paid by "chain" with its transaction. Anything else is
 * journaled for staff (refund_unmatched) and left for `kioskctl refunds done`.
 */
#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store_report.h"

/* Why this transfer does not pay refund r back; NULL when it does. */
static const char *mismatch(const struct store_refund *r, const struct watcher_transfer *t)
{
	int cmp;

	if (r->paid_ms)
		return "already paid";
	if (strcmp(r->payer, t->to ? t->to : "") != 0)
		return "sent to another account than the payer";
	if (!asset_same_kind(&r->amount, &t->amount))
		return "another asset";
	if (asset_cmp(&t->amount, &r->amount, &cmp) != KERR_OK || cmp < 0)
		return "less than is owed";
	return NULL;
}

enum kerr kiosk_on_refund_sent(struct kiosk *k, const struct watcher_transfer *t)
{
	struct staff_ctx c = {.store = k->store, .site = k->site, .rng = k->rng, .actor = "chain"};
	struct store_transfer st = {0};
	struct store_refund r;
	struct staff_result *res = calloc(1, sizeof(*res));
	char memo[ORDER_MEMO_MAX + 1], detail[STORE_DETAIL_MAX];
	const char *why = NULL;
	bool have;
	enum kerr err;

	if (!res)
		return KERR_NOMEM;
	snprintf(st.trx_id, sizeof(st.trx_id), "%s", t->trx_id);
	st.op_index = t->op_index;
	st.block = t->block;
	st.timestamp_ms = t->time_ms;
	snprintf(st.from, sizeof(st.from), "%s", t->from);
	snprintf(st.to, sizeof(st.to), "%s", t->to ? t->to : "");
	st.amount = t->amount;
	if (t->node < k->site->node_count)
		snprintf(st.proved_by, sizeof(st.proved_by), "%s", k->site->nodes[t->node].url);
	st.memo_len = t->memo_len < sizeof(st.memo) ? t->memo_len : sizeof(st.memo);
	memcpy(st.memo, t->memo, st.memo_len);
	st.status = STORE_TRANSFER_OUTGOING;
	/* The same memo rule as payments: trimmed, upper case. */
	have = payment_memo_key(t->memo, t->memo_len, memo, sizeof(memo)) == KERR_OK &&
	       store_refund_by_memo(k->store, memo, &r) == KERR_OK;
	c.now_ms = t->time_ms;
	/* One transaction: the transfer (so it counts once) and the refund it closes. */
	err = store_begin(k->store);
	if (err)
		goto out;
	err = store_transfer_insert(k->store, &st);
	if (err == KERR_EXISTS) {
		/* Recorded before (the cursor was not saved after it): nothing more to do. */
		store_rollback(k->store);
		err = KERR_OK;
		goto out;
	}
	if (err)
		goto rollback;
	why = have ? mismatch(&r, t) : "no refund has this memo";
	if (!why && staff_refund_paid(&c, r.id, t->trx_id, &r, res) != STAFF_OK) {
		err = res->err ? res->err : KERR_IO;
		goto rollback;
	}
	if (why) {
		char amount[ASSET_STR_MAX];

		if (asset_format(&t->amount, amount, sizeof(amount)))
			amount[0] = '\0';
		snprintf(detail, sizeof(detail), "%.40s: %s to %s, memo %s: %s", t->trx_id, amount,
		         st.to, memo, why);
		err = store_event(k->store, have ? r.order_id : NULL, "refund_unmatched", detail);
		if (err)
			goto rollback;
	}
	err = store_commit(k->store);
	if (err)
		goto out;
	if (why)
		log_warn("refund transfer %s to %s closes no refund: %s", t->trx_id, st.to, why);
	else
		log_notice("refund %s to %s paid on chain (%s)", r.memo, r.payer, t->trx_id);
	goto out;
rollback:
	store_rollback(k->store);
	log_err("journal: refund transfer %s could not be recorded; it will be read again",
	        t->trx_id);
out:
	free(res);
	return err;
}
