#include "kiosk/key.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/base58.h"
#include "kiosk/hash.h"
#include "kiosk/sig.h"

static enum kerr refuse(uint8_t *out, size_t n, const char **why, const char *reason, enum kerr err)
{
	memset(out, 0, n);
	if (why)
		*why = reason;
	return err;
}

enum kerr key_public_parse(const char *text, const char *prefix, uint8_t out[KEY_PUB_LEN],
                           const char **why)
{
	size_t plen = strlen(prefix), n, len;
	uint8_t raw[KEY_PUB_LEN + 4 + 8], sum[HASH_RIPEMD160_LEN];

	if (why)
		*why = NULL;
	len = strnlen(text, KEY_TEXT_MAX);
	if (len >= KEY_TEXT_MAX)
		return refuse(out, KEY_PUB_LEN, why, "too long for a public key", KERR_PARSE);
	if (strncmp(text, prefix, plen) != 0)
		return refuse(out, KEY_PUB_LEN, why, "not this chain's key prefix", KERR_PARSE);
	if (base58_decode(text + plen, len - plen, raw, sizeof(raw), &n) != KERR_OK)
		return refuse(out, KEY_PUB_LEN, why, "character outside base58", KERR_PARSE);
	if (n != KEY_PUB_LEN + 4)
		return refuse(out, KEY_PUB_LEN, why, "wrong length for a public key", KERR_PARSE);
	hash_ripemd160(raw, KEY_PUB_LEN, sum);
	if (memcmp(sum, raw + KEY_PUB_LEN, 4) != 0)
		return refuse(out, KEY_PUB_LEN, why, "checksum does not match", KERR_CHECKSUM);
	if (!sig_public_key_valid(raw))
		return refuse(out, KEY_PUB_LEN, why, "not a point on secp256k1", KERR_CRYPTO);
	memcpy(out, raw, KEY_PUB_LEN);
	return KERR_OK;
}

enum kerr key_public_format(const uint8_t key[KEY_PUB_LEN], const char *prefix, char *out,
                            size_t cap)
{
	uint8_t raw[KEY_PUB_LEN + 4], sum[HASH_RIPEMD160_LEN];
	size_t plen = strlen(prefix);
	enum kerr err;

	if (cap)
		out[0] = '\0';
	if (cap <= plen)
		return KERR_TOO_BIG;
	memcpy(raw, key, KEY_PUB_LEN);
	hash_ripemd160(key, KEY_PUB_LEN, sum);
	memcpy(raw + KEY_PUB_LEN, sum, 4);
	memcpy(out, prefix, plen);
	err = base58_encode(raw, sizeof(raw), out + plen, cap - plen);
	if (err)
		out[0] = '\0';
	return err;
}

enum kerr key_wif_parse(const char *wif, uint8_t out[KEY_PRIV_LEN], const char **why)
{
	uint8_t raw[1 + KEY_PRIV_LEN + 4 + 8], sum[HASH_SHA256_LEN];
	size_t n, len = strnlen(wif, KEY_WIF_MAX);

	if (why)
		*why = NULL;
	if (len >= KEY_WIF_MAX)
		return refuse(out, KEY_PRIV_LEN, why, "too long for a WIF", KERR_PARSE);
	if (base58_decode(wif, len, raw, sizeof(raw), &n) != KERR_OK)
		return refuse(out, KEY_PRIV_LEN, why, "character outside base58", KERR_PARSE);
	if (n != 1 + KEY_PRIV_LEN + 4)
		return refuse(out, KEY_PRIV_LEN, why, "wrong length for a WIF", KERR_PARSE);
	if (raw[0] != 0x80)
		return refuse(out, KEY_PRIV_LEN, why, "WIF version byte is not 0x80", KERR_PARSE);
	hash_sha256d(raw, 1 + KEY_PRIV_LEN, sum);
	if (memcmp(sum, raw + 1 + KEY_PRIV_LEN, 4) != 0)
		return refuse(out, KEY_PRIV_LEN, why, "checksum does not match", KERR_CHECKSUM);
	memcpy(out, raw + 1, KEY_PRIV_LEN);
	memset(raw, 0, sizeof(raw));
	return KERR_OK;
}

enum kerr key_wif_format(const uint8_t priv[KEY_PRIV_LEN], char *out, size_t cap)
{
	uint8_t raw[1 + KEY_PRIV_LEN + 4], sum[HASH_SHA256_LEN];
	enum kerr err;

	raw[0] = 0x80;
	memcpy(raw + 1, priv, KEY_PRIV_LEN);
	hash_sha256d(raw, 1 + KEY_PRIV_LEN, sum);
	memcpy(raw + 1 + KEY_PRIV_LEN, sum, 4);
	err = base58_encode(raw, sizeof(raw), out, cap);
	memset(raw, 0, sizeof(raw));
	return err;
}

void key_from_login(const char *account, const char *role, const char *password,
                    uint8_t out[KEY_PRIV_LEN])
{
	char head[64];
	int n = snprintf(head, sizeof(head), "%s%s", account, role);

	if (n < 0 || (size_t)n >= sizeof(head)) {
		/* Account names are at most 16 bytes and roles a word: never here. */
		memset(out, 0, KEY_PRIV_LEN);
		return;
	}
	hash_sha256_2(head, (size_t)n, password, strlen(password), out);
}
