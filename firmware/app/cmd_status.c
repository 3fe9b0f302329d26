/* kioskctl status: what the journal says about the kiosk right now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/watcher.h"
#include "kiosk/store_expiry.h"
#include "kiosk/store_report.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(status);

const char cmd_status_usage[] = "kioskctl status [--site FILE]";

/* Payment requests that ran out: the daemon sweeps them (at start, on each
 * chain head, every minute); what it has not swept yet, and the refunds it
 * made due for orders that expired part paid. */
static void print_expiry(struct store *s, int64_t now)
{
	unsigned overdue, refunds;

	if (store_expiry_counts(s, now, &overdue, &refunds) != KERR_OK)
		return;
	printf("payment requests expired, not yet swept by the kiosk: %u\n", overdue);
	printf("refunds due for expired underpaid orders: %u\n", refunds);
}

static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"status", cmd_status_usage, NULL, 0, 0, NULL, flags};

struct locks {
	int64_t now;
	unsigned n;
};

static void print_lock(const char *scope, const struct lockout *l, void *arg)
{
	struct locks *x = arg;

	x->n++;
	printf("  %s locked for %lld more min (lock %u); `kioskctl %s` lifts it\n", scope,
	       (long long)((l->until_ms - x->now + 59999) / 60000), l->level ? l->level : 1,
	       strncmp(scope, "order:", 6) == 0 ? "orders unlock ID"
	       : strcmp(scope, "staff") == 0    ? "staff unlock"
	                                        : "orders unlock --kiosk");
}

int cmd_status(int argc, char **argv)
{
	struct site *site;
	struct ctl_args a;
	struct store_confirmation conf[64];
	struct store_handover pend[32];
	struct store_cursor cur;
	struct store *s = NULL;
	unsigned n, flagged = 0, refunds = 0;
	int64_t now = clock_real_ms(clock_system());
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	site = calloc(1, sizeof(*site));
	if (!site)
		return 1;
	rc = ctl_open_journal("status", ctl_get(&a, "--site"), site, &s);
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
			printf(
			    "  order %s %s %u since %lld ms ago (resume it from the staff menu)\n",
			    pend[i].order_id, handover_kind_name(pend[i].kind), pend[i].compartment,
			    (long long)(now - pend[i].intent_ms));
	}
	if (store_confirmation_list(s, RECONCILE_UNDERPAID, conf, 64, &n) == KERR_OK)
		flagged += n;
	if (store_confirmation_list(s, RECONCILE_UNPAID, conf, 64, &n) == KERR_OK)
		flagged += n;
	if (store_refund_owed_count(s, &refunds) != KERR_OK)
		refunds = 0;
	printf("flagged for staff: %u, refunds due: %u\n", flagged, refunds);
	print_expiry(s, now);
	{
		/* Transfers to the co-op that could not be proven: never paid, staff look at them.
		 */
		static struct store_unverified u;
		unsigned long nu = 0;

		char amt[ASSET_STR_MAX];

		if (store_unverified_newest(s, &nu, &u) == KERR_OK && nu > 0)
			printf("unverified transfers: %lu; newest %s from %s, %s, block %u: %s\n",
			       nu, u.trx_id, u.from,
			       asset_format(&u.amount, amt, sizeof(amt)) == KERR_OK ? amt : "?",
			       u.block, u.reason);
		else if (nu == 0)
			printf("unverified transfers: 0\n");
	}
	if (store_cursor_get(s, chain_profile_get(site->chain)->name, site->account, &cur) ==
	    KERR_OK) {
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
			printf("nodes: %u configured; %s (since %lld s ago)\n", site->node_count,
			       detail, (long long)((now - at) / 1000));
		else
			printf("nodes: %u configured; not asked yet\n", site->node_count);
		if (site->node_count == 1)
			printf("nodes: %s: every payment needs staff to confirm it\n",
			       WATCHER_ONE_NODE);
		/* A payment whose block left the chain after its goods were out: staff must act. */
		if (store_last_event_of(s, "reverted_after_handover", NULL, &at, detail,
		                        sizeof(detail)) == KERR_OK)
			printf("ALERT reverted after handover: %s (%lld s ago)\n", detail,
			       (long long)((now - at) / 1000));
		/* The daemon journals the printer's changes: missing (degraded), paper
		 * near end, and back to normal. */
		if (store_last_event_of(s, "printer", NULL, &at, detail, sizeof(detail)) == KERR_OK)
			printf("printer: %s (since %lld s ago)\n", detail,
			       (long long)((now - at) / 1000));
	}
	{
		/* Wrong-code lockouts (pickup per order and kiosk-wide, staff codes), from the
		 * journal. */
		struct locks x = {.now = now};
		char detail[300];
		int64_t at;

		printf("lockouts:\n");
		if (store_lockout_active(s, now, print_lock, &x) == KERR_OK && x.n == 0)
			printf("  none\n");
		if (store_last_event_of(s, "staff_locked", NULL, &at, detail, sizeof(detail)) ==
		    KERR_OK)
			printf("last staff code lockout: %lld s ago: %s\n",
			       (long long)((now - at) / 1000), detail);
		if (store_last_event_of(s, "pickup_kiosk_locked", NULL, &at, detail,
		                        sizeof(detail)) == KERR_OK)
			printf("last kiosk-wide pickup lockout: %lld s ago: %s\n",
			       (long long)((now - at) / 1000), detail);
	}
	store_close(s);
	free(site);
	return 0;
}
