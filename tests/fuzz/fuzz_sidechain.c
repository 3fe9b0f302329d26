/*
 * Sidechain replies and token operations: arbitrary bytes through
 * getTransactionInfo, findOne and custom_json parsing; no crash, no leak, and
 * what is accepted holds the promised bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/sidechain.h"
#include "kiosk/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_transfer(const struct token_transfer *t)
{
	char json[TOKEN_JSON_MAX];

	if (t->quantity <= 0 || !token_symbol_valid(t->symbol) || !token_account_valid(t->to) ||
	    !token_account_valid(t->from) || t->precision > TOKEN_PRECISION_MAX)
		abort();
	if (token_transfer_json(t, json, sizeof(json), NULL) == KERR_INVAL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	uint8_t precision = size ? data[0] % (TOKEN_PRECISION_MAX + 1) : 0;
	struct sidechain_outcome o;
	struct token_transfer t;
	uint8_t p;

	if (sidechain_parse_tx_info(text, size, precision, &o, NULL) == KERR_OK) {
		if (o.state == SIDECHAIN_EXECUTED)
			check_transfer(&o.transfer);
		if (strlen(o.error) > SIDECHAIN_ERROR_MAX)
			abort();
	}
	if (sidechain_parse_token_precision(text, size, "SCT", &p, NULL) == KERR_OK &&
	    p > TOKEN_PRECISION_MAX)
		abort();
	if (token_transfer_parse_op(size & 1 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM, text, size,
	                            precision, &t, NULL) == KERR_OK)
		check_transfer(&t);
	return 0;
}
