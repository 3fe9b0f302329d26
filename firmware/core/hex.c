#include "kiosk/hex.h"

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum kerr hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t len, size_t *bad_at)
{
	if (hex_len / 2 != len || hex_len % 2) {
		if (bad_at)
			*bad_at = SIZE_MAX;
		return KERR_PARSE;
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			if (bad_at)
				*bad_at = hi < 0 ? 2 * i : 2 * i + 1;
			return KERR_PARSE;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return KERR_OK;
}

void hex_encode(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}
