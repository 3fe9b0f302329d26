/* Key text and WIF parsing: never crash; what parses formats back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base58.h"
#include "kiosk/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[KEY_TEXT_MAX + 8], back[KEY_TEXT_MAX];
	uint8_t raw[BASE58_MAX_BYTES], key[KEY_PUB_LEN];
	size_t n;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (base58_decode(text, strlen(text), raw, sizeof(raw), &n) == KERR_OK && n <= 64) {
		char enc[128];
		uint8_t again[BASE58_MAX_BYTES];
		size_t m;

		if (base58_encode(raw, n, enc, sizeof(enc)) != KERR_OK ||
		    base58_decode(enc, strlen(enc), again, sizeof(again), &m) != KERR_OK ||
		    m != n || memcmp(raw, again, n) != 0)
			abort();
	}
	if (key_public_parse(text, "STM", key, NULL) == KERR_OK) {
		if (key_public_format(key, "STM", back, sizeof(back)) != KERR_OK ||
		    strcmp(back, text) != 0)
			abort();
	}
	if (key_wif_parse(text, key, NULL) == KERR_OK) {
		if (key_wif_format(key, back, sizeof(back)) != KERR_OK || strcmp(back, text) != 0)
			abort();
	}
	return 0;
}
