/* kioskctl refunds: what the co-op owes back to payers, and recording that it was paid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/rng.h"
#include "kiosk/staff_actions.h"
#include "kiosk/store.h"
#include "kiosk/store_report.h"
#include "kiosk/timefmt.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(refunds);

const char cmd_refunds_usage[] = "kioskctl refunds list [--site FILE] [--all] | refunds done ID "
                                 "[--site FILE] [--trx TXID] [--by NAME]";

#define LIST_MAX 10000

static void print_refund(const struct store_refund *r)
{
	char amount[ASSET_STR_MAX], at[TIMEFMT_MAX], paid[TIMEFMT_MAX];

	if (asset_format(&r->amount, amount, sizeof(amount)))
		amount[0] = '\0';
	timefmt_seconds(r->at_ms, at, sizeof(at));
	printf("%-5lld %-10s %-16s %-16s %16s  %-12s %s", (long long)r->id, r->memo,
	       r->order_id[0] ? r->order_id : "-", r->payer, amount, r->reason, at);
	if (r->paid_ms) {
		timefmt_seconds(r->paid_ms, paid, sizeof(paid));
		printf("  paid %s by %s%s%s", paid, r->paid_by, r->paid_trx[0] ? " trx " : "",
		       r->paid_trx);
	}
	putchar('\n');
}

static int list(struct store *s, bool all)
{
	struct store_refund *r = calloc(LIST_MAX, sizeof(*r));
	unsigned n;

	if (!r || store_refund_list(s, !all, r, LIST_MAX, &n)) {
		free(r);
		fprintf(stderr, "kioskctl refunds: cannot read the journal\n");
		return 1;
	}
	printf("%-5s %-10s %-16s %-16s %16s  %-12s %s\n", "id", "memo", "order", "payer", "amount",
	       "reason", "due since");
	for (unsigned i = 0; i < n; i++)
		print_refund(&r[i]);
	if (n == 0)
		printf("(%s)\n", all ? "no refunds" : "no refunds owed");
	free(r);
	return 0;
}

static int done(struct store *s, const struct site *site, const char *id_s, const char *trx,
                const char *by)
{
	struct staff_ctx c = {.store = s,
	                      .site = site,
	                      .rng = rng_system(),
	                      .now_ms = clock_real_ms(clock_system()),
	                      .actor = by ? by : "(kioskctl)"};
	struct staff_result *r = malloc(sizeof(*r));
	struct store_refund ref;
	char *end;
	long long id = strtoll(id_s, &end, 10);
	int rc = 1;

	if (!r)
		return 1;
	if (*end || id <= 0) {
		fprintf(stderr,
		        "kioskctl refunds done: '%s' is not a refund id (see refunds list)\n",
		        id_s);
		free(r);
		return 2;
	}
	switch (staff_refund_paid(&c, id, trx, &ref, r)) {
	case STAFF_OK:
		printf("refund %lld (%s) paid\n", id, ref.memo);
		print_refund(&ref);
		if (r->order.id[0])
			printf("order %s: %s\n", r->order.id, order_state_name(r->order.state));
		rc = 0;
		break;
	case STAFF_NO_ORDER:
		fprintf(stderr, "kioskctl refunds done: no refund %lld\n", id);
		break;
	case STAFF_REFUSED:
		fprintf(stderr, "kioskctl refunds done: refund %lld was already recorded as paid\n",
		        id);
		break;
	default:
		fprintf(stderr, "kioskctl refunds done: %s\n", kerr_str(r->err));
	}
	free(r);
	return rc;
}

static const struct ctl_verb verbs[] = {
    {"list", 0, 0, ""},
    {"done", 1, 1, "ID"},
    {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {"--all", NULL, NULL, "also the refunds already paid back", "list"},
    {"--trx", "TXID", NULL, "the refund transfer's transaction id", "done"},
    {"--by", "NAME", NULL, "who paid it back (default (kioskctl))", "done"},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"refunds", cmd_refunds_usage, verbs, 0, 0, NULL, flags};

int cmd_refunds(int argc, char **argv)
{
	const char *site_path, *trx, *by, *verb, *id;
	struct site *site;
	struct store *s = NULL;
	struct ctl_args a;
	bool all;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	verb = a.verb;
	id = a.nargs ? a.arg[0] : NULL;
	site_path = ctl_get(&a, "--site");
	trx = ctl_get(&a, "--trx");
	by = ctl_get(&a, "--by");
	all = ctl_has(&a, "--all");
	if (trx && (strlen(trx) == 0 || strlen(trx) > STORE_TRX_ID_MAX ||
	            strspn(trx, "0123456789abcdef") != strlen(trx)))
		return ctl_bad_value(&a, "--trx", "the transaction id, 40 hex digits at most");
	site = calloc(1, sizeof(*site));
	if (!site)
		return 1;
	rc = ctl_open_journal("refunds", site_path, site, &s);
	if (!rc)
		rc = strcmp(verb, "list") == 0 ? list(s, all) : done(s, site, id, trx, by);
	store_close(s);
	free(site);
	return rc;
}
