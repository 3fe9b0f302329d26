#include "kiosk/base58.h"

#include <string.h>

static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

enum kerr base58_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	uint8_t digits[BASE58_MAX_BYTES * 138 / 100 + 1];
	size_t zeros = 0, n = 0, o = 0;

	if (cap)
		out[0] = '\0';
	if (len > BASE58_MAX_BYTES)
		return KERR_TOO_BIG;
	while (zeros < len && in[zeros] == 0)
		zeros++;
	/* Schoolbook base conversion: fine for the few dozen bytes of a key. */
	for (size_t i = zeros; i < len; i++) {
		unsigned carry = in[i];

		for (size_t j = 0; j < n; j++) {
			carry += (unsigned)digits[j] << 8;
			digits[j] = (uint8_t)(carry % 58);
			carry /= 58;
		}
		while (carry) {
			digits[n++] = (uint8_t)(carry % 58);
			carry /= 58;
		}
	}
	if (zeros + n + 1 > cap)
		return KERR_TOO_BIG;
	for (size_t i = 0; i < zeros; i++)
		out[o++] = '1';
	while (n)
		out[o++] = alphabet[digits[--n]];
	out[o] = '\0';
	return KERR_OK;
}

enum kerr base58_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t bytes[BASE58_MAX_BYTES + 1];
	size_t zeros = 0, n = 0;

	*out_len = 0;
	if (len > BASE58_MAX_BYTES * 138 / 100 + 1)
		return KERR_TOO_BIG;
	while (zeros < len && in[zeros] == '1')
		zeros++;
	for (size_t i = zeros; i < len; i++) {
		const char *p = in[i] ? strchr(alphabet, in[i]) : NULL;
		unsigned carry;

		if (!p)
			return KERR_PARSE;
		carry = (unsigned)(p - alphabet);
		for (size_t j = 0; j < n; j++) {
			carry += (unsigned)bytes[j] * 58;
			bytes[j] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
		while (carry) {
			if (n >= sizeof(bytes))
				return KERR_TOO_BIG;
			bytes[n++] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
	}
	if (zeros + n > cap)
		return KERR_TOO_BIG;
	memset(out, 0, zeros);
	for (size_t i = 0; i < n; i++)
		out[zeros + i] = bytes[n - 1 - i];
	*out_len = zeros + n;
	return KERR_OK;
}
