/* kioskctl sig recover: which key made a signature, and does the kiosk accept it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kioskctl_priv.h"

#define SIG_USAGE "kioskctl sig recover DIGEST_HEX SIGNATURE_HEX [--chain steem|hive]"

/* Exactly len bytes of hex, nothing else; false with a reason on stderr. */
static bool parse_hex(const char *what, const char *hex, uint8_t *out, size_t len)
{
	size_t n = strlen(hex), bad;

	if (hex_decode(hex, n, out, len, &bad) == KERR_OK)
		return true;
	if (bad == SIZE_MAX)
		fprintf(stderr, "kioskctl sig: %s must be %zu hex digits (%zu bytes), got %zu\n",
		        what, 2 * len, len, n);
	else
		fprintf(stderr, "kioskctl sig: %s has a non-hex character at position %zu\n", what,
		        bad + 1);
	return false;
}

static int recover(const char *digest_hex, const char *sig_hex)
{
	uint8_t digest[SIG_DIGEST_LEN], sig[SIG_LEN], pub[SIG_PUBKEY_LEN];
	struct sig_info info;
	enum sig_fault fault;
	enum kerr err;

	if (!parse_hex("DIGEST_HEX", digest_hex, digest, sizeof(digest)) ||
	    !parse_hex("SIGNATURE_HEX", sig_hex, sig, sizeof(sig)))
		return 2;

	/* Both verdicts are shown even when the rule refuses, to say why. */
	err = sig_parse(sig, sizeof(sig), &info);
	fault = info.fault;
	if (info.header_ok)
		printf("header=%u recid=%u\n", info.header, info.recid);
	else
		printf("header=%u recid=none\n", info.header);
	printf("low_s=%s\n", info.low_s ? "yes" : "no");
	printf("fc_canonical=%s (information only)\n", info.fc_canonical ? "yes" : "no");

	if (err == KERR_OK)
		err = sig_recover(digest, sig, sizeof(sig), pub, &fault);
	if (err == KERR_CRYPTO) {
		printf("verdict=refused: %s\n", sig_fault_str(fault));
		return 1;
	}
	if (err != KERR_OK) {
		fprintf(stderr, "kioskctl sig: %s\n", kerr_str(err));
		return 1;
	}
	{
		char text[KEY_TEXT_MAX];

		if (key_public_format(pub, "STM", text, sizeof(text)) == KERR_OK)
			printf("public_key=%s\n", text);
	}
	printf("public_key_hex=");
	for (size_t i = 0; i < sizeof(pub); i++)
		printf("%02x", pub[i]);
	printf("\nverdict=accepted\n");
	return 0;
}

KIOSKCTL_DECLARE(sig);

const char cmd_sig_usage[] = SIG_USAGE;

static const char *const chains[] = {"steem", "hive", NULL};
static const struct ctl_verb verbs[] = {
    {"recover", 2, 2, "DIGEST_HEX SIGNATURE_HEX"},
    {NULL, 0, 0, NULL},
};
/* Both chains sign the same way and print keys with STM: --chain is only checked. */
static const struct ctl_flag flags[] = {
    {"--chain", "CHAIN", chains, "the chain that signed (both sign alike)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"sig", SIG_USAGE, verbs, 0, 0, NULL, flags};

int cmd_sig(int argc, char **argv)
{
	struct ctl_args a;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	return recover(a.arg[0], a.arg[1]);
}
