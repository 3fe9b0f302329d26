/* The chain's hashes, through mbedtls: one place for every caller. */
#ifndef KIOSK_HASH_H
#define KIOSK_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SHA256_LEN    32
#define HASH_RIPEMD160_LEN 20
#define HASH_SHA224_LEN    28

void hash_sha256(const void *data, size_t len, uint8_t out[HASH_SHA256_LEN]);
/* sha256(sha256(data)): WIF checksums. */
void hash_sha256d(const void *data, size_t len, uint8_t out[HASH_SHA256_LEN]);
/* SHA-224 (FIPS 180-4): block ids are its first 20 bytes. */
void hash_sha224(const void *data, size_t len, uint8_t out[HASH_SHA224_LEN]);
void hash_ripemd160(const void *data, size_t len, uint8_t out[HASH_RIPEMD160_LEN]);

/* sha256 over two pieces (chain id ‖ transaction) without copying. */
void hash_sha256_2(const void *a, size_t alen, const void *b, size_t blen,
                   uint8_t out[HASH_SHA256_LEN]);

#endif
