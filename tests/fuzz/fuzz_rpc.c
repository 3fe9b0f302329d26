/* Node replies: arbitrary bytes through every parser; no crash, no leak. */
#include <stdint.h>
#include <stdlib.h>

#include "kiosk/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rpc_history h[16];
	const struct chain_profile *p = chain_profile_get(SITE_CHAIN_HIVE);
	struct rpc_doc *d;
	struct rpc_error e;
	struct rpc_dgp g;
	struct rpc_block b;
	struct authority a, o;
	struct tx *tx;
	uint32_t block;
	char id[41];
	size_t n;

	if (rpc_reply((const char *)data, size, 1, &d, &e) != KERR_OK)
		return 0;
	(void)rpc_dgp(d, &g);
	(void)rpc_history(d, p, h, 16, &n);
	(void)rpc_ops_in_block(d, 1000000, &n);
	if (rpc_block(d, &b) == KERR_OK && b.tx_count && rpc_block_tx(d, p, 0, &tx, id) == KERR_OK)
		tx_free(tx);
	if (rpc_transaction(d, p, &tx, &block) == KERR_OK)
		tx_free(tx);
	(void)rpc_account_auth(d, p, "coop", &a, &o);
	rpc_doc_free(d);
	return 0;
}
