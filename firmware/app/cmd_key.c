/* kioskctl key: public key of a WIF, and whether a key text is valid for a chain. */
#include <stdio.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(key);

const char cmd_key_usage[] =
    "kioskctl key pub WIF | key check KEY_TEXT [--chain steem|hive|steem-testnet]";

static const char *const chains[] = {"steem", "hive", "steem-testnet", NULL};
static const struct ctl_verb verbs[] = {
    {"pub", 1, 1, "WIF"},
    {"check", 1, 1, "KEY_TEXT"},
    {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--chain", "CHAIN", chains, "the key prefix: STM for steem and hive, TST for the testnet",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"key", cmd_key_usage, verbs, 0, 0, NULL, flags};

int cmd_key(int argc, char **argv)
{
	const char *prefix = "STM", *arg, *chain, *why = NULL;
	struct ctl_args a;
	int rc;
	uint8_t priv[KEY_PRIV_LEN], pub[KEY_PUB_LEN];
	char text[KEY_TEXT_MAX];
	enum kerr err;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	arg = a.arg[0];
	chain = ctl_get(&a, "--chain");
	if (chain && strcmp(chain, "steem-testnet") == 0)
		prefix = "TST";
	else if (chain && chain_profile_by_name(chain))
		prefix = chain_profile_by_name(chain)->key_prefix;
	if (strcmp(a.verb, "pub") == 0) {
		err = key_wif_parse(arg, priv, &why);
		if (err == KERR_OK)
			err = sig_public_key(priv, pub);
		memset(priv, 0, sizeof(priv));
		if (err == KERR_OK)
			err = key_public_format(pub, prefix, text, sizeof(text));
		if (err) {
			fprintf(stderr, "kioskctl key pub: not a valid WIF: %s\n",
			        why ? why : kerr_str(err));
			return 2;
		}
		printf("%s\n", text);
		return 0;
	}
	err = key_public_parse(arg, prefix, pub, &why);
	if (err) {
		printf("invalid: %s\n", why);
		return 1;
	}
	printf("valid\n");
	return 0;
}
