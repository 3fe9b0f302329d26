/*
 * Sign URIs (steem://, hive://, https://…/sign/…) as a phone's camera or a
 * scanner hands them over: arbitrary bytes through uri_decode() and the
 * base64url and percent decoders. No crash, no leak; what decodes is JSON
 * text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char bin[URI_MAX];
	static char text[URI_MAX];
	char *s, *json = NULL;
	size_t n;

	if (size > 2 * URI_MAX)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (uri_decode(s, &json) == KERR_OK) {
		if (!json || (json[0] != '{' && json[0] != '['))
			abort();
	}
	free(json);
	(void)uri_b64u_decode(s, size, bin, sizeof(bin), &n);
	(void)uri_percent_decode(s, size, text, sizeof(text));
	free(s);
	return 0;
}
