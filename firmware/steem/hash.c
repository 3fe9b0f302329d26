#include "kiosk/hash.h"

#include <string.h>

#include <mbedtls/ripemd160.h>
#include <mbedtls/sha256.h>

/* The _ret variants cannot fail for in-memory input with these algorithms. */
void hash_sha256(const void *data, size_t len, uint8_t out[HASH_SHA256_LEN])
{
	(void)mbedtls_sha256_ret(data, len, out, 0);
}

void hash_sha256d(const void *data, size_t len, uint8_t out[HASH_SHA256_LEN])
{
	uint8_t once[HASH_SHA256_LEN];

	hash_sha256(data, len, once);
	hash_sha256(once, sizeof(once), out);
}

void hash_sha224(const void *data, size_t len, uint8_t out[HASH_SHA224_LEN])
{
	uint8_t full[HASH_SHA256_LEN];

	/* mbedtls declares a 32-byte output for both sizes; SHA-224 fills 28. */
	(void)mbedtls_sha256_ret(data, len, full, 1);
	memcpy(out, full, HASH_SHA224_LEN);
}

void hash_ripemd160(const void *data, size_t len, uint8_t out[HASH_RIPEMD160_LEN])
{
	(void)mbedtls_ripemd160_ret(data, len, out);
}

void hash_sha256_2(const void *a, size_t alen, const void *b, size_t blen,
                   uint8_t out[HASH_SHA256_LEN])
{
	mbedtls_sha256_context c;

	mbedtls_sha256_init(&c);
	(void)mbedtls_sha256_starts_ret(&c, 0);
	(void)mbedtls_sha256_update_ret(&c, a, alen);
	(void)mbedtls_sha256_update_ret(&c, b, blen);
	(void)mbedtls_sha256_finish_ret(&c, out);
	mbedtls_sha256_free(&c);
}
