/* kioskctl key: public key of a WIF, and whether a key text is valid for a chain. */
#include <stdio.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(key);

const char cmd_key_usage[] = "kioskctl key pub WIF | key check KEY_TEXT [--chain steem|hive|steem-testnet]";

int cmd_key(int argc, char **argv)
{
	const char *prefix = "STM", *arg = NULL, *why = NULL;
	uint8_t priv[KEY_PRIV_LEN], pub[KEY_PUB_LEN];
	char text[KEY_TEXT_MAX];
	enum kerr err;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--chain") == 0 && i + 1 < argc) {
			const char *c = argv[++i];

			if (strcmp(c, "steem-testnet") == 0)
				prefix = "TST";
			else if (chain_profile_by_name(c))
				prefix = chain_profile_by_name(c)->key_prefix;
			else {
				fprintf(stderr, "kioskctl key: unknown chain '%s' (steem, hive, steem-testnet)\n", c);
				return 2;
			}
		} else if (!arg) {
			arg = argv[i];
		} else {
			fprintf(stderr, "kioskctl key: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (argc < 2 || !arg || (strcmp(argv[1], "pub") != 0 && strcmp(argv[1], "check") != 0)) {
		fprintf(stderr, "usage: %s\n", cmd_key_usage);
		return 2;
	}
	if (strcmp(argv[1], "pub") == 0) {
		err = key_wif_parse(arg, priv, &why);
		if (err == KERR_OK)
			err = sig_public_key(priv, pub);
		memset(priv, 0, sizeof(priv));
		if (err == KERR_OK)
			err = key_public_format(pub, prefix, text, sizeof(text));
		if (err) {
			fprintf(stderr, "kioskctl key pub: not a valid WIF: %s\n", why ? why : kerr_str(err));
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
