/* kioskctl uri: the payment URI a QR code would hold. */
#include <stdio.h>

#include "kiosk/uri.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(uri);

const char cmd_uri_usage[] = "kioskctl uri --to ACCOUNT --amount \"1.000 STEEM\" [--memo MEMO] "
                             "[--chain steem|hive] [--style steem-uri|https|https-transfer]";

static const char *const chains[] = {"steem", "hive", NULL};
static const char *const styles[] = {"steem-uri", "hive-uri", "https", "https-transfer", NULL};
static const struct ctl_flag flags[] = {
    {"--to", "ACCOUNT", NULL, "the account paid (required)", NULL},
    {"--amount", "AMOUNT", NULL, "\"1.000 STEEM\": 3 decimals and the symbol (required)", NULL},
    {"--memo", "MEMO", NULL, "the transfer memo (ASCII)", NULL},
    {"--chain", "CHAIN", chains, "default steem", NULL},
    {"--style", "STYLE", styles, "default steem-uri", NULL},
    {"--callback", "URL", NULL, "where the wallet reports back", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"uri", cmd_uri_usage, NULL, 0, 0, NULL, flags};

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
	if (asset_parse(amount, &pay.amount, &why))
		return ctl_bad_value(&a, "--amount", why);
	err = uri_build(p, style, &pay, out, sizeof(out), &why);
	if (err) {
		fprintf(stderr, "kioskctl uri: %s\n", why ? why : kerr_str(err));
		return 2;
	}
	printf("%s\n", out);
	return 0;
}
