/* Asset parsing: never crashes, and whatever parses formats back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/asset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asset a, b;
	char buf[ASSET_STR_MAX];
	const char *why;

	if (asset_parse_n((const char *)data, size, &a, &why) != KERR_OK)
		return 0;
	if (asset_format(&a, buf, sizeof(buf)) != KERR_OK)
		abort();
	if (strlen(buf) != size || memcmp(buf, data, size) != 0)
		abort();
	if (asset_parse(buf, &b, &why) != KERR_OK || a.amount != b.amount ||
	    a.precision != b.precision || strcmp(a.symbol, b.symbol) != 0)
		abort();
	if (asset_add(&a, &b, &b) == KERR_OK && b.amount < a.amount)
		abort();
	return 0;
}
