/*
 * The site file: which chain, the co-op's account, the nodes, the payment
 * and confirmation policies, language, journal and staff settings.
 */
#ifndef KIOSK_SITE_H
#define KIOSK_SITE_H

#include <stdbool.h>
#include <string.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/rate.h"

#define SITE_NODES_MAX   8
#define SITE_URL_MAX     256
#define SITE_PATH_MAX    256
#define SITE_ACCOUNT_MAX 16 /* chain account names are 3..16 chars */
#define SITE_NAME_MAX    64
#define SITE_PIN_MAX     128 /* curl's "sha256//base64" pin */
#define SITE_TOKENS_MAX  8   /* sidechain tokens a site accepts */
/* A token's symbol: tokens.js create, "max length of 10" (token.h's TOKEN_SYMBOL_MAX). */
#define SITE_TOKEN_SYMBOL_MAX  10
#define SITE_SIDECHAIN_ID_MAX  32 /* "ssc-mainnet-hive" with room for a testnet's */
#define SITE_TICKER_MARKET_MAX 32 /* "KRW-STEEM" (ticker.h's TICKER_MARKET_MAX) */
#define SITE_SIDECHAIN_QUORUM  2  /* issue 19: "confirmed by at least two sidechain nodes" */

enum site_chain { SITE_CHAIN_STEEM, SITE_CHAIN_HIVE };
enum site_lang { SITE_LANG_KO, SITE_LANG_EN };
enum site_confirm { SITE_CONFIRM_HEAD, SITE_CONFIRM_BLOCKS, SITE_CONFIRM_IRREVERSIBLE };
/* What a QR code holds: steem:// / hive:// sign URI, or the https signer link. */
enum site_uri_style { SITE_URI_CHAIN, SITE_URI_HTTPS_OP, SITE_URI_HTTPS_TRANSFER };
/* A payment that arrives after its request expired. */
enum site_late { SITE_LATE_ACCEPT, SITE_LATE_REFUND };

struct site_node {
	char url[SITE_URL_MAX];
	char pin[SITE_PIN_MAX]; /* optional public-key pin; empty = none */
	char operator_name[32]; /* nodes of one operator count once in a quorum; "" = its own */
};

struct site {
	char path[SITE_PATH_MAX]; /* the file it came from, for messages */
	enum site_chain chain;
	char account[SITE_ACCOUNT_MAX + 1];
	unsigned block_interval_ms; /* 0 = the chain's (a testnet or simulator may differ) */
	/* The kiosk's first run reads the co-op's history from this time on
	 * (seconds, UTC); older transfers are passed over, not recorded. 0 = the
	 * whole history (every transfer to the co-op is recorded, for staff). */
	int64_t since_s;
	char coop_name[SITE_NAME_MAX];
	enum site_lang lang;
	char timezone[64]; /* IANA name for every time shown; "UTC" by default */

	unsigned node_count;
	struct site_node nodes[SITE_NODES_MAX];
	char ca_path[SITE_PATH_MAX]; /* CA bundle; empty = system default */
	unsigned request_timeout_ms;
	unsigned max_response_kb;
	unsigned quorum; /* operators whose nodes must serve the same block; 0 = default */

	enum site_confirm confirm;
	unsigned confirm_blocks; /* for SITE_CONFIRM_BLOCKS */
	bool strict_set;
	struct asset strict_above; /* above it: irreversible + two nodes agree */
	bool head_max_set;
	struct asset head_max; /* confirm = head: up to this amount; above it, irreversible */

	enum site_uri_style uri_style;
	unsigned request_ttl_s; /* payment request lifetime */
	enum site_late late_payment;
	char explorer_url[SITE_URL_MAX]; /* receipt QR: prefix + trx id */

	char journal_path[SITE_PATH_MAX];
	int log_level; /* index in err, warn, notice, info, debug */

	char staff_secrets_path[SITE_PATH_MAX];
	unsigned staff_lockout_attempts;
	unsigned staff_lockout_s;
	unsigned staff_code_digits;  /* TOTP digits: 6 (every app) or 8 */
	unsigned pickup_code_digits; /* members' pickup codes: 6..10 */
	unsigned reconcile_after_s;  /* unseen chain payment flagged after this */

	/* [tokens]: sidechain tokens accepted in payment (docs/tokens.md). None
	 * listed: no sidechain nodes, no token payments. */
	unsigned token_count;
	char tokens[SITE_TOKENS_MAX][SITE_TOKEN_SYMBOL_MAX + 1]; /* "SCT", "SWAP.HIVE" */
	/* The custom_json id of the chain's sidechain; the chain's own
	 * (token_sidechain_id()) unless the file names another. */
	char sidechain_id[SITE_SIDECHAIN_ID_MAX + 1];
	unsigned sidechain_node_count; /* 2.. when tokens are listed */
	struct site_node sidechain_nodes[SITE_NODES_MAX];
	char sidechain_ca_path[SITE_PATH_MAX]; /* CA bundle; empty = system default */
	unsigned sidechain_quorum; /* operators that must agree; SITE_SIDECHAIN_QUORUM by default */

	/* [rates]: prices in won (docs/prices.md). */
	unsigned rate_source_count;
	enum rate_source rate_sources[RATE_SOURCE_COUNT]; /* in the site's order; default staff */
	unsigned rate_max_age_s;                          /* a quote older than this is not used */
	unsigned rate_lock_s;       /* a won-priced request's rate holds (and it lives) this long */
	unsigned rate_tolerance_bp; /* a payment this close below the locked amount counts */
	/* The ticker source: one exchange market, won per unit of the chain's coin. */
	char rate_ticker_url[SITE_URL_MAX];                  /* https GET URL; empty = no ticker */
	char rate_ticker_market[SITE_TICKER_MARKET_MAX + 1]; /* "KRW-STEEM"; default KRW-<coin> */
	char rate_ticker_ca_path[SITE_PATH_MAX];             /* CA bundle; empty = system default */
	unsigned rate_refresh_s; /* the ticker and the feed are asked this often */
};

/*
 * Node i's operator: the index of the first node the site file gives the
 * same operator (nodes of one operator count once in a quorum), else i.
 */
static inline unsigned site_operator_of(const struct site *s, unsigned i)
{
	const char *name = s->nodes[i].operator_name;

	if (name[0] == '\0')
		return i;
	for (unsigned j = 0; j < i; j++)
		if (strcmp(s->nodes[j].operator_name, name) == 0)
			return j;
	return i;
}

/* How many distinct operators run the site's nodes. */
static inline unsigned site_operators(const struct site *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->node_count; i++)
		n += site_operator_of(s, i) == i;
	return n;
}

/* Operators that must serve the same block: the site's quorum, else 2 with two or more, else 1. */
static inline unsigned site_quorum(const struct site *s)
{
	unsigned ops = site_operators(s);

	if (s->quorum)
		return s->quorum;
	return ops >= 2 ? 2 : 1;
}

/* The index of symbol among the site's accepted tokens, or -1. */
static inline int site_token_index(const struct site *s, const char *symbol)
{
	for (unsigned i = 0; i < s->token_count; i++)
		if (strcmp(s->tokens[i], symbol) == 0)
			return (int)i;
	return -1;
}

#endif
