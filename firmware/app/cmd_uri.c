/* kioskctl uri: the payment URI a QR code would hold. */
#include <stdio.h>
#include <string.h>

#include "kiosk/token.h"
#include "kiosk/uri.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(uri);

const char cmd_uri_usage[] = "kioskctl uri --to ACCOUNT --amount \"1.000 STEEM\" [--memo MEMO] "
                             "[--chain steem|hive] [--style steem-uri|https|https-transfer] "
                             "[--token SYMBOL (then --amount 10.000)]";

static const char *const chains[] = {"steem", "hive", NULL};
static const char *const styles[] = {"steem-uri", "hive-uri", "https", "https-transfer", NULL};
static const struct ctl_flag flags[] = {
    {"--to", "ACCOUNT", NULL, "the account paid (required)", NULL},
    {"--amount", "AMOUNT", NULL, "\"1.000 STEEM\": 3 decimals and the symbol (required)", NULL},
    {"--memo", "MEMO", NULL, "the transfer memo (ASCII)", NULL},
    {"--chain", "CHAIN", chains, "default steem", NULL},
    {"--style", "STYLE", styles, "default steem-uri", NULL},
    {"--callback", "URL", NULL, "where the wallet reports back", NULL},
    {"--token", "SYMBOL", NULL,
     "a Steem-Engine/Hive-Engine token: --amount is then a plain decimal (10.000)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"uri", cmd_uri_usage, NULL, 0, 0, NULL, flags};

static const char bad_symbol[] =
    "a token symbol is 1..10 upper-case letters with at most one '.' (SCT, SWAP.HIVE)";

/*
 * A token amount as written: the kiosk does not know the token's precision
 * here, and the sidechain takes up to that many decimals, so the quantity
 * goes out with the decimals given ("10.000" stays "10.000").
 */
static bool token_amount(const char *symbol, const char *text, struct uri_payment *pay,
                         const char **why)
{
	const char *dot = strchr(text, '.');
	size_t decimals = dot ? strlen(dot + 1) : 0;

	if (!token_symbol_valid(symbol)) {
		*why = bad_symbol;
		return false;
	}
	if (strchr(text, ' ')) {
		*why = "with --token, --amount is a plain decimal without a symbol (e.g. 10.000)";
		return false;
	}
	if (decimals > TOKEN_PRECISION_MAX) {
		*why = "a token amount has at most 8 decimals";
		return false;
	}
	pay->token_precision = (uint8_t)decimals;
	return token_quantity_parse(text, strlen(text), pay->token_precision, &pay->token_quantity,
	                            why) == KERR_OK;
}

int cmd_uri(int argc, char **argv)
{
	const char *chain, *amount, *why = NULL;
	static const enum site_uri_style style_of[] = {SITE_URI_CHAIN, SITE_URI_CHAIN,
	                                               SITE_URI_HTTPS_OP, SITE_URI_HTTPS_TRANSFER};
	struct uri_payment pay = {.memo = ""};
	enum site_uri_style style;
	const struct chain_profile *p;
	struct ctl_args a;
	char out[URI_MAX];
	enum kerr err;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	pay.to = ctl_get(&a, "--to");
	amount = ctl_get(&a, "--amount");
	if (!pay.to)
		return ctl_missing(&a, "--to");
	if (!amount)
		return ctl_missing(&a, "--amount");
	if (ctl_has(&a, "--memo"))
		pay.memo = ctl_get(&a, "--memo");
	pay.callback = ctl_get(&a, "--callback");
	chain = ctl_has(&a, "--chain") ? ctl_get(&a, "--chain") : "steem";
	p = chain_profile_by_name(chain);
	if (!p)
		return 2;
	style = style_of[ctl_choice(&a, "--style", 0)];
	pay.token = ctl_get(&a, "--token");
	if (pay.token) {
		if (!token_amount(pay.token, amount, &pay, &why))
			return ctl_bad_value(&a, why == bad_symbol ? "--token" : "--amount", why);
	} else if (asset_parse(amount, &pay.amount, &why)) {
		return ctl_bad_value(&a, "--amount", why);
	}
	err = uri_build(p, style, &pay, out, sizeof(out), &why);
	if (err) {
		fprintf(stderr, "kioskctl uri: %s\n", why ? why : kerr_str(err));
		return 2;
	}
	printf("%s\n", out);
	return 0;
}
