/*
 * Keys in the chain's text forms. A public key is written as the chain's
 * prefix ("STM") + base58(33-byte compressed key ‖ ripemd160(key)[0:4]); a
 * private key as WIF, base58(0x80 ‖ key ‖ sha256d(0x80 ‖ key)[0:4]). Only
 * the prefix the caller allows is accepted (the chain's, or "TST" for the
 * Steem testnet): other chains' keys and look-alikes are refused.
 */
#ifndef KIOSK_KEY_H
#define KIOSK_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define KEY_PUB_LEN  33
#define KEY_PRIV_LEN 32
#define KEY_TEXT_MAX 64 /* "STM" + 50 base58 chars + NUL, with room */
#define KEY_WIF_MAX  56

/*
 * Parses public key text with the given prefix. KERR_PARSE for a wrong
 * prefix, length or character, KERR_CHECKSUM for a bad checksum, KERR_CRYPTO
 * for bytes that are not a point on the curve. *why (may be NULL) says which.
 */
KIOSK_MUST_CHECK enum kerr key_public_parse(const char *text, const char *prefix,
                                            uint8_t out[KEY_PUB_LEN], const char **why);

/* Writes the text form; KERR_TOO_BIG if cap is short. */
KIOSK_MUST_CHECK enum kerr key_public_format(const uint8_t key[KEY_PUB_LEN], const char *prefix,
                                             char *out, size_t cap);

/* Parses a WIF (version 0x80, double-sha256 checksum). */
KIOSK_MUST_CHECK enum kerr key_wif_parse(const char *wif, uint8_t out[KEY_PRIV_LEN],
                                         const char **why);

/* Writes a WIF; KERR_TOO_BIG if cap is short. */
KIOSK_MUST_CHECK enum kerr key_wif_format(const uint8_t priv[KEY_PRIV_LEN], char *out, size_t cap);

/* The private key sha256(account ‖ role ‖ password), as wallets derive it. */
void key_from_login(const char *account, const char *role, const char *password,
                    uint8_t out[KEY_PRIV_LEN]);

#endif
