/* kioskctl tx: the id, digest and signers of a transaction in JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/tx.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(tx);

const char cmd_tx_usage[] =
    "kioskctl tx id FILE [--chain steem|hive] | tx verify FILE --chain steem|hive";

static const char *const form_names[] = {"legacy", "hf26"};

static const char *const chains[] = {"steem", "hive", NULL};
static const struct ctl_verb verbs[] = {
    {"id", 1, 1, "FILE (- for stdin)"},
    {"verify", 1, 1, "FILE (- for stdin)"},
    {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--chain", "CHAIN", chains, "the transaction's chain (default steem; verify needs it)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"tx", cmd_tx_usage, verbs, 0, 0, NULL, flags};

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(TX_JSON_MAX + 1);
	if (buf)
		*len = fread(buf, 1, TX_JSON_MAX + 1, f);
	if (f != stdin)
		fclose(f);
	return buf;
}

int cmd_tx(int argc, char **argv)
{
	const char *file, *chain, *why = NULL;
	struct ctl_args a;
	const struct chain_profile *p;
	struct tx *tx;
	size_t len;
	char *text;
	enum kerr err;
	int rc = 0;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	file = a.arg[0];
	chain = ctl_get(&a, "--chain");
	if (strcmp(a.verb, "verify") == 0 && !chain) {
		fprintf(stderr,
		        "kioskctl tx verify: say which chain signed it: --chain steem|hive\n");
		return 2;
	}
	p = chain_profile_by_name(chain ? chain : "steem");
	if (!p)
		return 2;
	text = read_all(file, &len);
	if (!text) {
		fprintf(stderr, "kioskctl tx: cannot read %s\n", file);
		return 2;
	}
	err = len > TX_JSON_MAX ? KERR_TOO_BIG : tx_parse_json(text, len, p, &tx, &why);
	free(text);
	if (err) {
		fprintf(stderr, "kioskctl tx: %s: %s\n", file,
		        why                   ? why
		        : err == KERR_TOO_BIG ? "larger than 256 KiB"
		                              : kerr_str(err));
		return 2;
	}
	if (strcmp(a.verb, "id") == 0) {
		for (unsigned f = 0; f < tx_form_count(tx); f++) {
			uint8_t id[TX_ID_LEN], digest[SIG_DIGEST_LEN];
			char hex[65];

			if (tx_id(tx, (enum tx_form)f, id) ||
			    tx_digest(tx, (enum tx_form)f, digest)) {
				fprintf(stderr, "kioskctl tx: cannot serialize the %s form\n",
				        form_names[f]);
				rc = 1;
				break;
			}
			hex_encode(id, sizeof(id), hex);
			printf("%s trx_id=%s", form_names[f], hex);
			hex_encode(digest, sizeof(digest), hex);
			printf(" digest=%s\n", hex);
		}
	} else {
		struct tx_verify_result r;

		err = tx_verify(tx, &r);
		if (err == KERR_INVAL) {
			fprintf(stderr, "kioskctl tx verify: the transaction has no signatures\n");
			rc = 2;
		} else {
			for (unsigned f = 0; f < r.nforms; f++) {
				const struct tx_verify_form *vf = &r.form[f];

				if (vf->err) {
					printf("%s signature %zu refused: %s\n", form_names[f],
					       vf->bad, sig_fault_str(vf->fault));
					continue;
				}
				for (size_t s = 0; s < r.count; s++) {
					char key[KEY_TEXT_MAX];

					if (key_public_format(vf->keys[s], p->key_prefix, key,
					                      sizeof(key)))
						continue;
					printf("%s signature %zu key=%s rule=passed\n",
					       form_names[f], s, key);
				}
			}
			rc = err == KERR_OK ? 0 : 1;
		}
	}
	tx_free(tx);
	return rc;
}
