/*
 * kioskctl report: every movement of money in a period, section by section
 * (chain payments, staff confirmations, refunds due and paid, money that
 * pays no order, transfers not proven, handovers); the daily close (--day: totals per asset, per
 * method, per staff member); or what staff must follow up (--flagged).
 * Readable table, or CSV with --csv. Dates and times are the site's zone.
 * Amounts are exact (asset.h): summed in the asset's smallest unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/store_expiry.h"
#include "kiosk/store_rates.h"
#include "kiosk/store_report.h"
#include "kiosk/timefmt.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(report);

const char cmd_report_usage[] =
    "kioskctl report [--site FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv] | "
    "report --day YYYY-MM-DD [--site FILE] [--csv] | report --flagged [--site FILE]";

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

static void amount_str(const struct asset *a, char *buf, size_t n)
{
	buf[0] = '\0';
	if (a->symbol[0] && asset_format(a, buf, n))
		buf[0] = '\0';
}

/* ---- the movements, one section per kind ---- */

struct row {
	char kind[24];
	int64_t at_ms;
	unsigned section; /* ties in time keep the section order */
	int64_t id;
	char order_id[ORDER_ID_MAX + 1];
	char who[40];
	char method[16];
	struct asset amount;
	char ref[80];
	char detail[STORE_DETAIL_MAX];
};

struct rows {
	struct row *v;
	size_t n, cap;
	const char *kind; /* of the section being read */
	unsigned section;
	bool failed;
};

static void collect(const struct store_movement *m, void *arg)
{
	struct rows *rs = arg;
	struct row *r;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct row *v = realloc(rs->v, cap * sizeof(*v));

		if (!v) {
			rs->failed = true;
			return;
		}
		rs->v = v;
		rs->cap = cap;
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	/* A staff confirmation's kind names its method: staff_cash, staff_waived, ... */
	if (strcmp(rs->kind, "staff") == 0)
		snprintf(r->kind, sizeof(r->kind), "staff_%s", m->method);
	else
		snprintf(r->kind, sizeof(r->kind), "%s", rs->kind);
	r->at_ms = m->at_ms;
	r->section = rs->section;
	r->id = m->id;
	snprintf(r->order_id, sizeof(r->order_id), "%s", m->order_id);
	snprintf(r->who, sizeof(r->who), "%s", m->who);
	snprintf(r->method, sizeof(r->method), "%s", m->method);
	r->amount = m->amount;
	snprintf(r->ref, sizeof(r->ref), "%s", m->ref);
	snprintf(r->detail, sizeof(r->detail), "%s", m->detail);
}

/*
 * Transfers to the co-op the kiosk could not prove (store_unverified): never
 * counted as paid, listed for staff; at when first seen, the reason as detail.
 */
struct unverified_arg {
	store_movement_fn *fn;
	void *arg;
};

static void unverified_row(const struct store_unverified *u, void *arg)
{
	const struct unverified_arg *ua = arg;
	struct store_movement m = {.id = 0,
	                           .at_ms = u->first_seen_ms,
	                           .order_id = "",
	                           .who = u->from,
	                           .method = "chain",
	                           .amount = u->amount,
	                           .ref = u->trx_id,
	                           .detail = u->reason};

	ua->fn(&m, ua->arg);
}

static enum kerr report_unverified(struct store *s, int64_t from_ms, int64_t to_ms,
                                   store_movement_fn *fn, void *arg)
{
	struct unverified_arg ua = {fn, arg};

	return store_unverified_each(s, from_ms, to_ms, unverified_row, &ua);
}

typedef enum kerr section_fn(struct store *s, int64_t from_ms, int64_t to_ms, store_movement_fn *fn,
                             void *arg);

/*
 * The report's sections, in this order. Each is one query of the journal
 * (store_report.h); a new kind of movement (e.g. transfers not yet
 * verified) is one more line here.
 */
static const struct {
	const char *kind;
	section_fn *read;
} sections[] = {
    {"payment", store_report_chain_payments},    /* chain, counted towards an order */
    {"staff", store_report_confirmations},       /* cash, bank, waived, chain_pending */
    {"returned", store_report_returned},         /* chain, pays nothing: owed back whole */
    {"unknown_memo", store_report_unknown_memo}, /* chain, no order's code */
    {"refund_due", store_report_refunds_due},
    {"refund_paid", store_report_refunds_paid},
    {"outgoing", store_report_outgoing_unmatched}, /* from the co-op, closed no refund */
    {"unverified", report_unverified},             /* chain, not proven: never paid */
    {"handover", store_report_handovers},
};

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	if (x->section != y->section)
		return x->section < y->section ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static enum kerr read_all(struct store *s, int64_t from, int64_t to, struct rows *rs)
{
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		enum kerr err;

		rs->kind = sections[i].kind;
		rs->section = (unsigned)i;
		err = sections[i].read(s, from, to, collect, rs);
		if (err)
			return err;
		if (rs->failed)
			return KERR_NOMEM;
	}
	if (rs->n)
		qsort(rs->v, rs->n, sizeof(*rs->v), by_time);
	return KERR_OK;
}

/* The detail column of the CSV: the reference and the detail together. */
static void csv_detail(const struct row *r, char *buf, size_t n)
{
	if (r->ref[0] && r->detail[0])
		snprintf(buf, n, "%s %s", r->ref, r->detail);
	else
		snprintf(buf, n, "%s", r->ref[0] ? r->ref : r->detail);
}

static void print_csv(const struct rows *rs)
{
	printf("kind,time,order,who,amount,detail\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		char when[TIMEFMT_MAX], amount[ASSET_STR_MAX], detail[STORE_DETAIL_MAX + 100];

		timefmt_iso(r->at_ms, when, sizeof(when));
		amount_str(&r->amount, amount, sizeof(amount));
		csv_detail(r, detail, sizeof(detail));
		csv(r->kind, false);
		csv(when, false);
		csv(r->order_id, false);
		csv(r->who, false);
		csv(amount, false);
		csv(detail, true);
	}
}

static void print_table(const struct rows *rs)
{
	printf("%-27s %-19s %-12s %-16s %-13s %16s  %s\n", "time", "kind", "order", "who", "method",
	       "amount", "reference / detail");
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		char when[TIMEFMT_MAX], amount[ASSET_STR_MAX], detail[STORE_DETAIL_MAX + 100];

		timefmt_seconds(r->at_ms, when, sizeof(when));
		amount_str(&r->amount, amount, sizeof(amount));
		csv_detail(r, detail, sizeof(detail));
		printf("%-27s %-19s %-12s %-16s %-13s %16s  %s\n", when, r->kind,
		       r->order_id[0] ? r->order_id : "-", r->who[0] ? r->who : "-",
		       r->method[0] ? r->method : "-", amount, detail);
	}
	if (rs->n == 0)
		printf("(no movements)\n");
}

/* ---- the daily close ---- */

struct total {
	char group[8]; /* asset, method, staff */
	char name[64];
	struct asset sum;
	unsigned count;
};

struct totals {
	struct total v[256];
	size_t n;
	bool overflow;
};

static void add(struct totals *t, const char *group, const char *name, const struct asset *a)
{
	struct total *x = NULL;

	if (!a->symbol[0])
		return;
	for (size_t i = 0; i < t->n && !x; i++)
		if (strcmp(t->v[i].group, group) == 0 && strcmp(t->v[i].name, name) == 0 &&
		    strcmp(t->v[i].sum.symbol, a->symbol) == 0)
			x = &t->v[i];
	if (!x) {
		if (t->n == ARRAY_SIZE(t->v)) {
			t->overflow = true;
			return;
		}
		x = &t->v[t->n++];
		snprintf(x->group, sizeof(x->group), "%s", group);
		snprintf(x->name, sizeof(x->name), "%s", name);
		x->sum = *a;
		x->sum.amount = 0;
	}
	/* Exact: an overflow or an asset of another precision is an error, never a wrong sum. */
	if (asset_add(&x->sum, a, &x->sum))
		t->overflow = true;
	x->count++;
}

static void sub(struct totals *t, const char *group, const char *name, const struct asset *a)
{
	struct asset neg = *a;

	neg.amount = -neg.amount;
	add(t, group, name, &neg);
}

/*
 * What the day's movements add up to:
 *   asset:  chain_in (every transfer to the co-op: payments, money owed back
 *           whole, unknown memos), cash, bank, waived (goods given, no
 *           money), unknown_memo, refunds_due (owed back, fell due that
 *           day), refunds_paid, net = chain_in + cash + bank - refunds_paid
 *   method: what paid orders: chain (transfers counted towards an order),
 *           cash, bank, waived; chain_pending (confirmed, not yet seen)
 *   staff:  each member's confirmations (cash, bank, waived), per method
 *           (name/method) and in all (name).
 */
static void close_day(const struct rows *rs, struct totals *t)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (strcmp(r->kind, "payment") == 0) {
			add(t, "asset", "chain_in", &r->amount);
			add(t, "asset", "net", &r->amount);
			add(t, "method", "chain", &r->amount);
		} else if (strcmp(r->kind, "returned") == 0) {
			add(t, "asset", "chain_in", &r->amount);
			add(t, "asset", "net", &r->amount);
		} else if (strcmp(r->kind, "unknown_memo") == 0) {
			add(t, "asset", "chain_in", &r->amount);
			add(t, "asset", "unknown_memo", &r->amount);
			add(t, "asset", "net", &r->amount);
		} else if (strncmp(r->kind, "staff_", 6) == 0) {
			char who[64];

			add(t, "method", r->method, &r->amount);
			if (strcmp(r->method, "chain_pending") == 0)
				continue;
			add(t, "asset", r->method, &r->amount);
			if (strcmp(r->method, "waived") != 0)
				add(t, "asset", "net", &r->amount);
			snprintf(who, sizeof(who), "%.32s/%s", r->who, r->method);
			add(t, "staff", who, &r->amount);
			add(t, "staff", r->who, &r->amount);
		} else if (strcmp(r->kind, "refund_due") == 0) {
			add(t, "asset", "refunds_due", &r->amount);
		} else if (strcmp(r->kind, "refund_paid") == 0 ||
		           strcmp(r->kind, "outgoing") == 0) {
			add(t, "asset", "refunds_paid", &r->amount);
			sub(t, "asset", "net", &r->amount);
		}
	}
}

/*
 *   won:    payments to won-priced orders, each valued at the rate the
 *           request it paid locked for the asset paid (rounded down to
 *           the won): per asset
 *           paid (name = the asset) and in all (name = total), in KRW.
 */
static void close_won(struct store *s, const struct rows *rs, struct totals *t)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		struct store_rate_lock lock;
		struct store_rate_offer offer;
		struct asset won = {.precision = 0, .symbol = RATE_WON_SYMBOL};
		struct order o;

		if (strcmp(r->kind, "payment") != 0 || !r->order_id[0] ||
		    store_order_get(s, r->order_id, &o) != KERR_OK || !o.won.symbol[0])
			continue;
		/* At the rate of the request the payment paid; the order's current
		 * request may have locked another since. */
		if (store_rate_lock_of_transfer(s, r->id, &lock) != KERR_OK &&
		    store_rate_lock_get(s, o.memo, &lock) != KERR_OK)
			continue;
		/* Paid in another asset the request offered: at that asset's rate. */
		if (store_rate_offer_get(s, lock.memo, r->amount.symbol, &offer) == KERR_OK)
			lock.rate = offer.rate;
		if (rate_value(&lock.rate, r->amount.amount, r->amount.precision, &won.amount)) {
			t->overflow = true;
			continue;
		}
		add(t, "won", r->amount.symbol, &won);
		add(t, "won", "total", &won);
	}
}

static int print_close(struct store *s, const char *day, const struct rows *rs, bool as_csv)
{
	struct totals *t = calloc(1, sizeof(*t));
	static const char *const groups[] = {"asset", "method", "staff", "won"};

	if (!t)
		return 1;
	close_day(rs, t);
	close_won(s, rs, t);
	if (t->overflow) {
		fprintf(
		    stderr,
		    "kioskctl report: the totals of %s overflow or mix precisions; not printed\n",
		    day);
		free(t);
		return 1;
	}
	if (as_csv)
		printf("group,name,asset,count,amount\n");
	else
		printf("\nDaily close %s (%s)\n", day, getenv("TZ") ? getenv("TZ") : "UTC");
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		if (!as_csv)
			printf("\nper %s:\n", groups[g]);
		for (size_t i = 0; i < t->n; i++) {
			const struct total *x = &t->v[i];
			char amount[ASSET_STR_MAX], count[16];

			if (strcmp(x->group, groups[g]) != 0)
				continue;
			amount_str(&x->sum, amount, sizeof(amount));
			if (as_csv) {
				snprintf(count, sizeof(count), "%u", x->count);
				csv(x->group, false);
				csv(x->name, false);
				csv(x->sum.symbol, false);
				csv(count, false);
				csv(amount, true);
			} else {
				printf("  %-24s %5u  %16s\n", x->name, x->count, amount);
			}
		}
	}
	free(t);
	return 0;
}

/* ---- what staff must follow up ---- */

static void flagged_confirmations(struct store *s)
{
	static const enum reconcile_state states[] = {RECONCILE_UNDERPAID, RECONCILE_UNPAID};
	struct store_confirmation *c = calloc(500, sizeof(*c));
	unsigned n;

	printf("order,staff,method,settlement,still_due,confirmed_at\n");
	for (size_t k = 0; c && k < ARRAY_SIZE(states); k++) {
		if (store_confirmation_list(s, states[k], c, 500, &n))
			continue;
		for (unsigned i = 0; i < n; i++) {
			char when[TIMEFMT_MAX], due[ASSET_STR_MAX];

			timefmt_iso(c[i].at_ms, when, sizeof(when));
			amount_str(&c[i].due, due, sizeof(due));
			csv(c[i].order_id, false);
			csv(c[i].staff, false);
			csv(pay_method_name(c[i].method), false);
			csv(reconcile_state_name(c[i].settlement), false);
			csv(due, false);
			csv(when, true);
		}
	}
	free(c);
}

/* An order that expired part paid, one row per payer owed back
 * (staff "kiosk", settlement expired_underpaid, still_due = owed back). */
static void flagged_expired(const struct store_expiry_refund *r, void *arg)
{
	char when[TIMEFMT_MAX], amount[ASSET_STR_MAX];

	(void)arg;
	timefmt_iso(r->at_ms, when, sizeof(when));
	amount_str(&r->amount, amount, sizeof(amount));
	csv(r->order_id, false);
	csv("kiosk", false);
	csv("chain", false);
	csv("expired_underpaid", false);
	csv(amount, false);
	csv(when, true);
}

static void flagged_refunds(struct store *s)
{
	struct store_refund *r = calloc(2000, sizeof(*r));
	unsigned n = 0;

	printf("\nrefund,memo,order,payer,amount,reason,due_since\n");
	if (r && store_refund_list(s, true, r, 2000, &n) == KERR_OK) {
		for (unsigned i = 0; i < n; i++) {
			char id[24], when[TIMEFMT_MAX], amount[ASSET_STR_MAX];

			snprintf(id, sizeof(id), "%lld", (long long)r[i].id);
			timefmt_iso(r[i].at_ms, when, sizeof(when));
			amount_str(&r[i].amount, amount, sizeof(amount));
			csv(id, false);
			csv(r[i].memo, false);
			csv(r[i].order_id, false);
			csv(r[i].payer, false);
			csv(amount, false);
			csv(r[i].reason, false);
			csv(when, true);
		}
	}
	free(r);
}

/* Money that came in and pays no order: transfers with an unknown or encrypted memo. */
static void flagged_unmatched(struct store *s)
{
	struct rows rs = {.kind = "unknown_memo"};

	printf("\nunmatched,time,payer,amount,trx,memo\n");
	if (store_report_unknown_memo(s, INT64_MIN, INT64_MAX, collect, &rs) == KERR_OK) {
		for (size_t i = 0; i < rs.n; i++) {
			char id[24], when[TIMEFMT_MAX], amount[ASSET_STR_MAX];

			snprintf(id, sizeof(id), "%lld", (long long)rs.v[i].id);
			timefmt_iso(rs.v[i].at_ms, when, sizeof(when));
			amount_str(&rs.v[i].amount, amount, sizeof(amount));
			csv(id, false);
			csv(when, false);
			csv(rs.v[i].who, false);
			csv(amount, false);
			csv(rs.v[i].ref, false);
			csv(rs.v[i].detail, true);
		}
	}
	free(rs.v);
}

static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {"--from", "YYYY-MM-DD", NULL, "from this day (the site's time zone)", NULL},
    {"--to", "YYYY-MM-DD", NULL, "to this day, included (the site's time zone)", NULL},
    {"--day", "YYYY-MM-DD", NULL, "one whole day and its daily close", NULL},
    {"--csv", NULL, NULL, "CSV instead of a table", NULL},
    {"--flagged", NULL, NULL,
     "what staff must follow up: confirmations, refunds owed, unmatched money", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"report", cmd_report_usage, NULL, 0, 0, NULL, flags};

int cmd_report(int argc, char **argv)
{
	const char *from_s, *to_s, *day_s, *site_path;
	struct site *site;
	struct store *s = NULL;
	struct rows rs = {0};
	int64_t from = INT64_MIN, to = INT64_MAX, ignored;
	struct ctl_args a;
	bool flagged, as_csv;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	from_s = ctl_get(&a, "--from");
	to_s = ctl_get(&a, "--to");
	day_s = ctl_get(&a, "--day");
	site_path = ctl_get(&a, "--site");
	flagged = ctl_has(&a, "--flagged");
	as_csv = ctl_has(&a, "--csv");
	if (day_s && (from_s || to_s || flagged)) {
		fprintf(stderr,
		        "kioskctl report: --day is one whole day, without --from, --to or "
		        "--flagged; usage: %s\n",
		        cmd_report_usage);
		return 2;
	}
	/* The shape first (the days themselves are read in the site's zone below). */
	if (from_s && !timefmt_day(from_s, &from, &ignored))
		return ctl_bad_value(&a, "--from", "a day is YYYY-MM-DD (in the site's time zone)");
	if (to_s && !timefmt_day(to_s, &ignored, &to))
		return ctl_bad_value(&a, "--to", "a day is YYYY-MM-DD (in the site's time zone)");
	if (day_s && !timefmt_day(day_s, &from, &to))
		return ctl_bad_value(&a, "--day", "a day is YYYY-MM-DD (in the site's time zone)");
	site = calloc(1, sizeof(*site));
	if (!site)
		return 1;
	rc = ctl_open_journal("report", site_path, site, &s);
	if (rc) {
		free(site);
		return rc;
	}
	/* Days are the site's (timefmt: its zone is set by now). */
	if ((from_s && !timefmt_day(from_s, &from, &ignored)) ||
	    (to_s && !timefmt_day(to_s, &ignored, &to)) ||
	    (day_s && !timefmt_day(day_s, &from, &to))) {
		fprintf(stderr,
		        "kioskctl report: dates are YYYY-MM-DD (in the site's time zone, %s); "
		        "usage: %s\n",
		        site->timezone, cmd_report_usage);
		rc = 2;
	} else if (flagged) {
		flagged_confirmations(s);
		if (store_expiry_refunds(s, flagged_expired, NULL))
			rc = 1;
		flagged_refunds(s);
		flagged_unmatched(s);
	} else if (read_all(s, from, to, &rs)) {
		fprintf(stderr, "kioskctl report: cannot read the journal\n");
		rc = 1;
	} else if (day_s) {
		if (!as_csv)
			print_table(&rs);
		rc = print_close(s, day_s, &rs, as_csv);
	} else if (as_csv) {
		print_csv(&rs);
	} else {
		print_table(&rs);
	}
	free(rs.v);
	store_close(s);
	free(site);
	return rc;
}
