/*
 * Steem/Hive compact signatures over secp256k1: parse, recover, verify, sign.
 *
 * A signature is 65 bytes: header, r (32, big-endian), s (32, big-endian).
 * hived reads any header 27..34 and takes recid = (header - 27) & 3; signers
 * write 31 + recid. The kiosk rule (docs/signatures.md): header 27..34, r and
 * s in [1, n-1], s <= n/2 (BIP 62 low-s), r of any form. The old fc
 * "canonical" rule is reported for information only and never refuses.
 * https://en.bitcoin.it/wiki/BIP_0062#Low_S_values_in_signatures
 *
 * Pure functions: no clock, file, network or randomness of their own.
 */
#ifndef KIOSK_SIG_H
#define KIOSK_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

struct rng;

#define SIG_LEN         65 /* header + r + s */
#define SIG_DIGEST_LEN  32 /* sha256 of what was signed */
#define SIG_PUBKEY_LEN  33 /* compressed public key: 02/03 + x */
#define SIG_PRIVKEY_LEN 32

/* Why the kiosk refuses a signature; SIG_FAULT_NONE when it does not. */
enum sig_fault {
	SIG_FAULT_NONE = 0,
	SIG_FAULT_LENGTH,    /* not exactly 65 bytes (truncated or padded) */
	SIG_FAULT_HEADER,    /* header byte outside 27..34 */
	SIG_FAULT_R_RANGE,   /* r is zero or >= n */
	SIG_FAULT_S_RANGE,   /* s is zero or >= n */
	SIG_FAULT_HIGH_S,    /* s > n/2: malleable form, refused by the kiosk rule */
	SIG_FAULT_NO_POINT,  /* r (+ n for recid 2/3) is >= p or not the x of a curve point */
	SIG_FAULT_INFINITY,  /* the recovered point is the point at infinity */
	SIG_FAULT_MISMATCH,  /* recovers (or verifies) to another key */
	SIG_FAULT_BAD_KEY,   /* the expected public key is not a valid curve point */
	SIG_FAULT_DUPLICATE, /* the same signature or signer twice in one transaction */
};

/* Static English text for f; never NULL. */
const char *sig_fault_str(enum sig_fault f);

/* What the bytes of one signature say, before any curve arithmetic. */
struct sig_info {
	uint8_t header;
	uint8_t recid;        /* (header - 27) & 3 */
	bool header_ok;       /* 27..34 */
	bool r_in_range;      /* 1 <= r < n */
	bool s_in_range;      /* 1 <= s < n */
	bool low_s;           /* s <= n/2 */
	bool fc_canonical;    /* the pre-HF20 fc rule: information only */
	enum sig_fault fault; /* first fault under the kiosk rule, or NONE */
};

/*
 * Reads sig (len bytes) into *info and applies the kiosk rule's byte checks.
 * KERR_OK when the form is acceptable (recovery may still fail), KERR_CRYPTO
 * when refused (info->fault says why). With len != 65, *info is zeroed and
 * info->fault is SIG_FAULT_LENGTH.
 */
KIOSK_MUST_CHECK enum kerr sig_parse(const uint8_t *sig, size_t len, struct sig_info *info);

/*
 * Recovers the compressed public key that made sig over digest, applying the
 * kiosk rule first. KERR_OK with pub filled; KERR_CRYPTO when refused;
 * KERR_NOMEM if the bignum library could not allocate. On failure pub is
 * zeroed. fault (may be NULL) receives the reason, SIG_FAULT_NONE on success.
 */
KIOSK_MUST_CHECK enum kerr sig_recover(const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *sig,
                                       size_t len, uint8_t pub[SIG_PUBKEY_LEN],
                                       enum sig_fault *fault);

/*
 * Proves that sig over digest was made by pub: recovery must give exactly pub
 * and a plain ECDSA verification with pub must agree. KERR_OK when proven,
 * KERR_CRYPTO otherwise (fault says why), KERR_NOMEM as above.
 */
KIOSK_MUST_CHECK enum kerr sig_verify(const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *sig,
                                      size_t len, const uint8_t pub[SIG_PUBKEY_LEN],
                                      enum sig_fault *fault);

/*
 * One RFC 6979 signature (HMAC-SHA256 nonce from priv, digest and the optional
 * 32-byte extra data, as libsecp256k1's nonce function), s normalised to
 * low-s, header 31 + recid. It need not pass the fc rule: sig_sign() retries.
 * KERR_INVAL if priv is zero or >= n; out is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr sig_sign_with_data(const uint8_t priv[SIG_PRIVKEY_LEN],
                                              const uint8_t digest[SIG_DIGEST_LEN],
                                              const uint8_t data[32], uint8_t out[SIG_LEN]);

/*
 * Signs digest so the result passes both the kiosk rule and the fc rule, as
 * dhive does: attempt i = 1, 2, ... uses extra data sha256(digest || byte i)
 * until the fc rule holds. Deterministic when extra is NULL; otherwise 32
 * bytes from extra are hashed into each attempt's data. KERR_INVAL for a bad
 * priv, KERR_IO if extra failed, KERR_CRYPTO if 255 attempts all failed the
 * fc rule (odds about 2^-255). out is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr sig_sign(const uint8_t priv[SIG_PRIVKEY_LEN],
                                    const uint8_t digest[SIG_DIGEST_LEN], struct rng *extra,
                                    uint8_t out[SIG_LEN]);

/* The compressed public key of priv. KERR_INVAL if priv is zero or >= n. */
KIOSK_MUST_CHECK enum kerr sig_public_key(const uint8_t priv[SIG_PRIVKEY_LEN],
                                          uint8_t pub[SIG_PUBKEY_LEN]);

/* True when pub is a compressed point on secp256k1 (02/03 prefix, valid x). */
bool sig_public_key_valid(const uint8_t pub[SIG_PUBKEY_LEN]);

/*
 * Refuses a list with the same signature twice (count signatures of 65 bytes
 * each, back to back in sigs). Headers 27+i and 31+i with equal r and s are
 * the same signature. KERR_OK when all differ; KERR_EXISTS with *first and
 * *second (first < second) set to the pair; otherwise both are set to count.
 */
KIOSK_MUST_CHECK enum kerr sig_find_duplicate(const uint8_t *sigs, size_t count, size_t *first,
                                              size_t *second);

/*
 * Recovers every signature of one transaction (count x 65 bytes in sigs) into
 * pubs (count x 33 bytes), refusing any the kiosk rule refuses and any two
 * that are equal or recover to the same key (hived: "Duplicate Signature
 * detected"). KERR_OK, or KERR_CRYPTO with *bad the index of the signature
 * refused and *fault why (both may be NULL); pubs is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr sig_recover_all(const uint8_t digest[SIG_DIGEST_LEN],
                                           const uint8_t *sigs, size_t count, uint8_t *pubs,
                                           size_t *bad, enum sig_fault *fault);

#endif
