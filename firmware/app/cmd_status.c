/* kioskctl status: what the journal says about the kiosk right now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/watcher.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(status);

const char cmd_status_usage[] = "kioskctl status --site FILE";

int cmd_status(int argc, char **argv)
{
	struct site *site = calloc(1, sizeof(*site));
	struct store_confirmation conf[64];
	struct store_handover pend[32];
	struct store_cursor cur;
	struct store *s = NULL;
	unsigned n, flagged = 0, refunds = 0;
	int64_t now = clock_real_ms(clock_system());
	int rc;

	if (!site)
		return 1;
	rc = ctl_open_journal("status", ctl_opt(argc, argv, "--site"), site, &s);
	if (rc) {
		free(site);
		return rc;
	}
	printf("journal: %s (schema %d)\n", site->journal_path, store_version(s));
	printf("orders:");
	for (int st = 0; st < ORDER_STATE_COUNT; st++)
		if (store_order_count(s, st, &n) == KERR_OK && n)
			printf(" %s=%u", order_state_name((enum order_state)st), n);
	printf("\n");
	if (store_order_count(s, ORDER_AWAITING_PAYMENT, &n) == KERR_OK)
		printf("open payment requests: %u\n", n);
	if (store_handover_pending(s, pend, 32, &n) == KERR_OK) {
		printf("pending handovers: %u\n", n);
		for (unsigned i = 0; i < n; i++)
			printf("  order %s %s %u since %lld ms ago (resume it from the staff menu)\n",
			       pend[i].order_id, pend[i].kind, pend[i].compartment,
			       (long long)(now - pend[i].intent_ms));
	}
	if (store_confirmation_list(s, "underpaid", conf, 64, &n) == KERR_OK)
		flagged += n;
	if (store_confirmation_list(s, "unpaid", conf, 64, &n) == KERR_OK)
		flagged += n;
	if (store_refund_count(s, &refunds) != KERR_OK)
		refunds = 0;
	printf("flagged for staff: %u, refunds due: %u\n", flagged, refunds);
	if (store_cursor_get(s, chain_profile_get(site->chain)->name, site->account, &cur) == KERR_OK) {
		if (cur.block)
			printf("chain cursor: block %u, %lld s behind the wall clock\n", cur.block,
			       (long long)((now - cur.block_time_ms) / 1000));
		else
			printf("chain cursor: not started\n");
	}
	{
		char detail[300];
		int64_t at;

		/* The daemon journals each change of the pool's state, with what is wrong. */
		if (store_last_event_of(s, "pool", NULL, &at, detail, sizeof(detail)) == KERR_OK)
			printf("nodes: %u configured; %s (since %lld s ago)\n", site->node_count, detail,
			       (long long)((now - at) / 1000));
		else
			printf("nodes: %u configured; not asked yet\n", site->node_count);
		if (site->node_count == 1)
			printf("nodes: %s: every payment needs staff to confirm it\n", WATCHER_ONE_NODE);
		/* A payment whose block left the chain after its goods were out: staff must act. */
		if (store_last_event_of(s, "reverted_after_handover", NULL, &at, detail, sizeof(detail)) == KERR_OK)
			printf("ALERT reverted after handover: %s (%lld s ago)\n", detail, (long long)((now - at) / 1000));
	}
	store_close(s);
	free(site);
	return 0;
}
