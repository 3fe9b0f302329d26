/* kioskctl report: payments, handovers and refunds due as CSV; or what staff must follow up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/civil.h"
#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/store_expiry.h"
#include "kiosk/tx.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(report);

const char cmd_report_usage[] = "kioskctl report [--site FILE] [--from YYYY-MM-DD] [--to "
                                "YYYY-MM-DD] | report --flagged [--site FILE]";

/* CSV field: quoted when it holds a comma, quote or newline. */
static void csv(const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\n\r")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static void iso(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void row(const struct store_report_row *r, void *arg)
{
	char when[32], amount[ASSET_STR_MAX] = "";

	(void)arg;
	iso(r->at_ms, when, sizeof(when));
	if (r->amount.symbol[0] && asset_format(&r->amount, amount, sizeof(amount)))
		amount[0] = '\0';
	csv(r->kind, false);
	csv(when, false);
	csv(r->order_id, false);
	csv(r->who, false);
	csv(amount, false);
	csv(r->detail, true);
}

/* --flagged: an order that expired part paid, one row per payer owed back
 * (staff "kiosk", settlement expired_underpaid, still_due = owed back). */
static void flagged_expired(const struct store_expiry_refund *r, void *arg)
{
	char when[32], amount[ASSET_STR_MAX] = "";

	(void)arg;
	iso(r->at_ms, when, sizeof(when));
	if (asset_format(&r->amount, amount, sizeof(amount)))
		amount[0] = '\0';
	csv(r->order_id, false);
	csv("kiosk", false);
	csv("chain", false);
	csv("expired_underpaid", false);
	csv(amount, false);
	csv(when, true);
}

static bool day(const char *s, int64_t *ms)
{
	char full[32];
	int64_t sec;

	if (strlen(s) != 10)
		return false;
	snprintf(full, sizeof(full), "%sT00:00:00", s);
	if (!civil_parse_utc(full, strlen(full), &sec))
		return false;
	*ms = sec * 1000;
	return true;
}

static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {"--from", "YYYY-MM-DD", NULL, "from this day (UTC)", NULL},
    {"--to", "YYYY-MM-DD", NULL, "to this day, included (UTC)", NULL},
    {"--flagged", NULL, NULL, "what staff confirmed as underpaid or unpaid, to follow up", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"report", cmd_report_usage, NULL, 0, 0, NULL, flags};

int cmd_report(int argc, char **argv)
{
	const char *from_s, *to_s;
	struct site *site;
	struct store *s = NULL;
	int64_t from = 0, to = INT64_MAX;
	struct ctl_args a;
	bool flagged;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	from_s = ctl_get(&a, "--from");
	to_s = ctl_get(&a, "--to");
	flagged = ctl_has(&a, "--flagged");
	if (from_s && !day(from_s, &from))
		return ctl_bad_value(&a, "--from", "a day is YYYY-MM-DD (UTC)");
	if (to_s && !day(to_s, &to))
		return ctl_bad_value(&a, "--to", "a day is YYYY-MM-DD (UTC)");
	site = calloc(1, sizeof(*site));
	if (!site)
		return 1;
	if (to_s)
		to += 86400000; /* the whole --to day */
	rc = ctl_open_journal("report", ctl_get(&a, "--site"), site, &s);
	if (rc) {
		free(site);
		return rc;
	}
	if (flagged) {
		static const enum reconcile_state states[] = {RECONCILE_UNDERPAID,
		                                              RECONCILE_UNPAID};
		struct store_confirmation *c = calloc(500, sizeof(*c));
		unsigned n;

		printf("order,staff,method,settlement,still_due,confirmed_at\n");
		for (size_t k = 0; c && k < ARRAY_SIZE(states); k++) {
			if (store_confirmation_list(s, states[k], c, 500, &n))
				continue;
			for (unsigned i = 0; i < n; i++) {
				char when[32], due[ASSET_STR_MAX] = "";

				iso(c[i].at_ms, when, sizeof(when));
				if (c[i].due.symbol[0] && asset_format(&c[i].due, due, sizeof(due)))
					due[0] = '\0';
				csv(c[i].order_id, false);
				csv(c[i].staff, false);
				csv(pay_method_name(c[i].method), false);
				csv(reconcile_state_name(c[i].settlement), false);
				csv(due, false);
				csv(when, true);
			}
		}
		free(c);
		if (store_expiry_refunds(s, flagged_expired, NULL))
			rc = 1;
	} else {
		printf("kind,time,order,who,amount,detail\n");
		if (store_report(s, from, to, row, NULL))
			rc = 1;
	}
	store_close(s);
	free(site);
	return rc;
}
