/* Block JSON: parse never crashes or leaks; what parses gets a verdict that
 * agrees with itself, and nothing unproven is ever "found" in it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/block.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct chain_profile *p =
	    chain_profile_get(size & 1 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM);
	struct block_verdict v;
	struct block *b;
	uint8_t id[TX_ID_LEN] = {0};
	size_t at;
	enum kerr err;

	if (block_parse_json((const char *)data, size, p, &b, NULL) != KERR_OK)
		return 0;
	err = block_verify(b, &v);
	if (err != v.result || strlen(v.reason) >= sizeof(v.reason))
		abort();
	switch (err) {
	case KERR_OK:
		if (v.merkle != BLOCK_MERKLE_OK || !v.signature_ok || v.reason[0])
			abort();
		break;
	case KERR_NOTSUP:
		if (v.merkle != BLOCK_MERKLE_CANNOT_CHECK || !v.signature_ok || !v.unchecked)
			abort();
		break;
	case KERR_CRYPTO:
	case KERR_PROTO:
	case KERR_NOMEM:
		break;
	default:
		abort();
	}
	for (size_t i = 0; i < block_tx_count(b); i++) {
		struct tx *tx;

		if (block_tx_get(b, i, &tx, NULL) == KERR_OK)
			tx_free(tx);
	}
	err = block_tx_find(b, &v, id, &at);
	if (err == KERR_OK && v.result != KERR_OK)
		abort();
	block_free(b);
	return 0;
}
