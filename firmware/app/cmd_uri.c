/* kioskctl uri: the payment URI a QR code would hold. */
#include <stdio.h>
#include <string.h>

#include "kiosk/uri.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(uri);

const char cmd_uri_usage[] = "kioskctl uri --to ACCOUNT --amount \"1.000 STEEM\" --memo MEMO "
                             "[--chain steem|hive] [--style steem-uri|https|https-transfer]";

int cmd_uri(int argc, char **argv)
{
	const char *chain = "steem", *style_name = "steem-uri", *amount = NULL, *why = NULL;
	struct uri_payment pay = {.memo = ""};
	enum site_uri_style style;
	const struct chain_profile *p;
	char out[URI_MAX];
	enum kerr err;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val || opt[0] != '-') {
			fprintf(stderr, "kioskctl uri: '%s' needs a value; usage: %s\n", opt, cmd_uri_usage);
			return 2;
		}
		i++;
		if (strcmp(opt, "--to") == 0)
			pay.to = val;
		else if (strcmp(opt, "--amount") == 0)
			amount = val;
		else if (strcmp(opt, "--memo") == 0)
			pay.memo = val;
		else if (strcmp(opt, "--chain") == 0)
			chain = val;
		else if (strcmp(opt, "--style") == 0)
			style_name = val;
		else if (strcmp(opt, "--callback") == 0)
			pay.callback = val;
		else {
			fprintf(stderr, "kioskctl uri: unknown option '%s'; usage: %s\n", opt, cmd_uri_usage);
			return 2;
		}
	}
	if (!pay.to || !amount) {
		fprintf(stderr, "usage: %s\n", cmd_uri_usage);
		return 2;
	}
	p = chain_profile_by_name(chain);
	if (!p) {
		fprintf(stderr, "kioskctl uri: unknown chain '%s' (steem or hive)\n", chain);
		return 2;
	}
	if (strcmp(style_name, "steem-uri") == 0 || strcmp(style_name, "hive-uri") == 0)
		style = SITE_URI_CHAIN;
	else if (strcmp(style_name, "https") == 0)
		style = SITE_URI_HTTPS_OP;
	else if (strcmp(style_name, "https-transfer") == 0)
		style = SITE_URI_HTTPS_TRANSFER;
	else {
		fprintf(stderr, "kioskctl uri: unknown style '%s' (steem-uri, https, https-transfer)\n",
		        style_name);
		return 2;
	}
	if (asset_parse(amount, &pay.amount, &why)) {
		fprintf(stderr, "kioskctl uri: amount \"%s\": %s\n", amount, why);
		return 2;
	}
	err = uri_build(p, style, &pay, out, sizeof(out), &why);
	if (err) {
		fprintf(stderr, "kioskctl uri: %s\n", why ? why : kerr_str(err));
		return 2;
	}
	printf("%s\n", out);
	return 0;
}
