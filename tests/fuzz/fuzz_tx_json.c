/* Transaction JSON: parse never crashes; what parses serializes, or says why not. */
#include <stdint.h>
#include <stdlib.h>

#include "kiosk/tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[TX_MAX_BYTES];
	const struct chain_profile *p =
	    chain_profile_get(size & 1 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM);
	struct tx *tx;
	size_t len;

	if (tx_parse_json((const char *)data, size, p, &tx, NULL) != KERR_OK)
		return 0;
	for (unsigned f = 0; f < tx_form_count(tx); f++) {
		enum kerr err = tx_serialize(tx, (enum tx_form)f, buf, sizeof(buf), &len);

		if (err != KERR_OK && err != KERR_TOO_BIG && err != KERR_NOTSUP)
			abort();
	}
	if (tx_signature_count(tx)) {
		struct tx_verify_result r;

		(void)tx_verify(tx, &r);
	}
	tx_free(tx);
	return 0;
}
