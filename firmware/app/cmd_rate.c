/*
 * kioskctl rate: the won rates staff set (docs/prices.md). "rate set STEEM
 * 312 KRW" is 312 won per STEEM; "rate set USD 1450 KRW" the won per dollar
 * that turns the chain's price feed into won; "rate set SCT 150 KRW" a
 * rate for a token the site accepts. Every change is journaled
 * with who and when.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/chain.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/timefmt.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(rate);

const char cmd_rate_usage[] = "kioskctl rate set SYMBOL RATE KRW|show [--by NAME] [--site FILE]";

static const struct ctl_verb verbs[] = {
    {"set", 3, 3, "SYMBOL RATE KRW"},
    {"show", 0, 0, ""},
    {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {"--by", "NAME", NULL, "who sets the rate (default: (kioskctl USER), the unix user)", "set"},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"rate", cmd_rate_usage, verbs, 0, 0, NULL, flags};

/*
 * The symbols a rate may be set for: the chain's two payment assets, the
 * sidechain tokens the site accepts ([tokens] accept), and USD.
 */
static bool symbol_allowed(const struct site *site, const char *symbol)
{
	const struct chain_profile *p = chain_profile_get(site->chain);

	return strcmp(symbol, "USD") == 0 || strcmp(symbol, p->assets[CHAIN_LIQUID].symbol) == 0 ||
	       strcmp(symbol, p->assets[CHAIN_DOLLAR].symbol) == 0 ||
	       site_token_index(site, symbol) >= 0;
}

/* "SCT, SWAP.HIVE": the accepted tokens for a message, or "none accepted". */
static void token_list(const struct site *site, char *buf, size_t cap)
{
	size_t used = 0;

	snprintf(buf, cap, "%s", site->token_count ? "" : "no token accepted");
	for (unsigned i = 0; i < site->token_count && used < cap; i++) {
		int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", site->tokens[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* "(kioskctl USER)": the person at the terminal, before kioskctl takes on the journal's owner. */
static void default_who(char *buf, size_t cap)
{
	const char *user = getenv("SUDO_USER");
	struct passwd *pw;

	if (!user || !*user) {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "?";
	}
	snprintf(buf, cap, "(kioskctl %.40s)", user);
}

static int set(struct ctl_args *a, const char *site_path, const char *who)
{
	const char *symbol = a->arg[0], *text = a->arg[1], *why = NULL;
	struct site *site = calloc(1, sizeof(*site));
	struct store *s = NULL;
	struct rate r, old;
	char shown[RATE_TEXT_MAX + 1], when[40];
	int64_t old_ms, now;
	int rc = 1;
	enum kerr err;

	if (!site)
		return 1;
	if (strcmp(a->arg[2], "KRW") != 0) {
		fprintf(stderr,
		        "kioskctl rate set: rates are in won: give KRW after the rate, e.g. "
		        "kioskctl rate set %s %s KRW\n",
		        symbol, text);
		rc = 2;
		goto out;
	}
	if (rate_parse(text, &r, &why) != KERR_OK) {
		fprintf(stderr,
		        "kioskctl rate set: rate \"%s\": %s; give won per one %s as digits with at "
		        "most 8 decimals, e.g. 312 or 312.5\n",
		        text, why, symbol);
		rc = 2;
		goto out;
	}
	rc = ctl_open_journal("rate", site_path, site, &s);
	if (rc)
		goto out;
	rc = 2;
	if (!symbol_allowed(site, symbol)) {
		const struct chain_profile *p = chain_profile_get(site->chain);
		char tokens[SITE_TOKENS_MAX * (SITE_TOKEN_SYMBOL_MAX + 2) + 24];

		token_list(site, tokens, sizeof(tokens));
		fprintf(stderr,
		        "kioskctl rate set: no won rate for \"%s\" on %s: give %s, %s, a token the "
		        "site accepts ([tokens] accept: %s), or USD (won per dollar, for the price "
		        "feed)\n",
		        symbol, p->name, p->assets[CHAIN_LIQUID].symbol,
		        p->assets[CHAIN_DOLLAR].symbol, tokens);
		goto out;
	}
	rc = 1;
	now = clock_real_ms(clock_system());
	err = store_rate_get(s, symbol, STORE_RATE_STAFF, &old, &old_ms, NULL, 0);
	if (err != KERR_OK && err != KERR_NOTFOUND) {
		fprintf(stderr, "kioskctl rate set: cannot read the journal %s\n",
		        site->journal_path);
		goto out;
	}
	err = store_rate_set(s, symbol, STORE_RATE_STAFF, &r, now, who);
	if (err == KERR_INVAL) {
		fprintf(stderr,
		        "kioskctl rate set: --by \"%s\": give a name of 1 to %d characters\n", who,
		        STORE_RATE_WHO_MAX);
		rc = 2;
		goto out;
	}
	if (err) {
		fprintf(stderr, "kioskctl rate set: cannot write to the journal %s (%s)\n",
		        site->journal_path, kerr_str(err));
		goto out;
	}
	if (rate_format(&r, shown, sizeof(shown)))
		shown[0] = '\0';
	timefmt_seconds(now, when, sizeof(when));
	printf("%s = %s KRW (staff, %s, by %s)\n", symbol, shown, when, who);
	rc = 0;
out:
	store_close(s);
	free(site);
	return rc;
}

/* "42 s ago", "5 min ago", "2 h 5 min ago", "in 30 s" (a clock behind the quote's). */
static void age_text(int64_t now_ms, int64_t at_ms, char *buf, size_t cap)
{
	int64_t s = (now_ms - at_ms) / 1000;
	bool ahead = s < 0;

	if (ahead)
		s = -s;
	if (s < 60)
		snprintf(buf, cap, "%s%lld s%s", ahead ? "in " : "", (long long)s,
		         ahead ? "" : " ago");
	else if (s < 3600)
		snprintf(buf, cap, "%s%lld min%s", ahead ? "in " : "", (long long)(s / 60),
		         ahead ? "" : " ago");
	else
		snprintf(buf, cap, "%s%lld h %lld min%s", ahead ? "in " : "", (long long)(s / 3600),
		         (long long)(s % 3600 / 60), ahead ? "" : " ago");
}

static int show(const char *site_path)
{
	struct site *site = calloc(1, sizeof(*site));
	struct store_rate_row *rows = calloc(STORE_RATE_LIST_MAX, sizeof(*rows));
	struct store *s = NULL;
	size_t n = 0;
	int64_t now;
	int rc = 1;

	if (!site || !rows)
		goto out;
	rc = ctl_open_journal("rate", site_path, site, &s);
	if (rc)
		goto out;
	rc = 1;
	if (store_rate_list(s, rows, STORE_RATE_LIST_MAX, &n)) {
		fprintf(stderr, "kioskctl rate show: cannot read the journal %s\n",
		        site->journal_path);
		goto out;
	}
	if (n == 0)
		printf("no rates set; set one with: kioskctl rate set SYMBOL RATE KRW\n");
	now = clock_real_ms(clock_system());
	for (size_t i = 0; i < n; i++) {
		char text[RATE_TEXT_MAX + 1], when[40], age[40];

		if (rate_format(&rows[i].rate, text, sizeof(text)))
			text[0] = '\0';
		timefmt_seconds(rows[i].at_ms, when, sizeof(when));
		age_text(now, rows[i].at_ms, age, sizeof(age));
		/* A feed quote is in dollars per unit (docs/prices.md). The age tells
		 * staff whether a fetched source is still coming in. */
		printf("%-8s %-6s %14s %s  %s (%s)  %s\n", rows[i].symbol, rows[i].source, text,
		       strcmp(rows[i].source, STORE_RATE_FEED) == 0 ? "USD" : "KRW", when, age,
		       rows[i].who);
	}
	rc = 0;
out:
	store_close(s);
	free(rows);
	free(site);
	return rc;
}

int cmd_rate(int argc, char **argv)
{
	struct ctl_args a;
	char who[STORE_RATE_WHO_MAX + 1];
	const char *by;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	if (strcmp(a.verb, "show") == 0)
		return show(ctl_get(&a, "--site"));
	by = ctl_get(&a, "--by");
	if (by)
		snprintf(who, sizeof(who), "%s", by);
	else
		default_who(who, sizeof(who));
	if (by && strlen(by) > STORE_RATE_WHO_MAX)
		return ctl_bad_value(&a, "--by", "a name of at most 64 characters");
	return set(&a, ctl_get(&a, "--site"), who);
}
