/*
 * Staff codes: RFC 6238 TOTP (6 digits, 30 s steps, HMAC-SHA1 as every
 * authenticator app defaults to) checked with no network on either side,
 * plus the rules around it: ±1 step of clock drift, a code never accepted
 * twice, and a lockout after repeated wrong codes. Pure: the caller passes
 * the time and the HMAC (core links no crypto library).
 */
#ifndef KIOSK_TOTP_H
#define KIOSK_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define TOTP_SECRET_MAX 64  /* bytes; apps use 20 (160 bits) */
#define TOTP_BASE32_MAX 104 /* base32 text of TOTP_SECRET_MAX bytes, + NUL */
#define TOTP_STEP_S     30
#define TOTP_DIGITS     6
#define TOTP_DIGITS_MAX 8 /* the longest code a site may choose */

enum totp_alg { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

/*
 * HMAC over msg with key, written to out (up to 64 bytes); returns the
 * length written, or 0 on failure.
 */
struct totp_hmac {
	size_t (*fn)(enum totp_alg alg, const uint8_t *key, size_t key_len, const uint8_t *msg,
	             size_t msg_len, uint8_t out[64]);
};

/* The code for time counter `step` (= unix_time / step_s), `digits` 6..8. */
KIOSK_MUST_CHECK enum kerr totp_code_at_step(const struct totp_hmac *h, enum totp_alg alg,
                                             const uint8_t *secret, size_t len, uint64_t step,
                                             unsigned digits, uint32_t *code);

/*
 * Checks a typed 6-digit code at unix time `now_s` against steps now-1,
 * now and now+1, skipping any step <= *last_step (already used: replay).
 * On success *last_step becomes the matched step. KERR_AUTH when it does
 * not match (or only matches a used step); KERR_PARSE when code is not
 * exactly six digits.
 */
KIOSK_MUST_CHECK enum kerr totp_verify(const struct totp_hmac *h, const uint8_t *secret, size_t len,
                                       int64_t now_s, const char *code, uint64_t *last_step);
/* The same for codes of `digits` (6..8) digits: KERR_PARSE for any other length. */
KIOSK_MUST_CHECK enum kerr totp_verify_digits(const struct totp_hmac *h, const uint8_t *secret,
                                              size_t len, int64_t now_s, const char *code,
                                              unsigned digits, uint64_t *last_step);

/* RFC 4648 base32 (A-Z2-7), as otpauth:// secrets are written. */
KIOSK_MUST_CHECK enum kerr totp_base32_encode(const uint8_t *in, size_t len, char *out, size_t cap);
/* Decodes, ignoring case, spaces and '=' padding; KERR_PARSE on other bytes. */
KIOSK_MUST_CHECK enum kerr totp_base32_decode(const char *in, uint8_t *out, size_t cap,
                                              size_t *len);

/*
 * otpauth://totp/<issuer>:<name>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
 * with issuer and name percent-encoded. KERR_TOO_BIG if cap is too small.
 */
KIOSK_MUST_CHECK enum kerr totp_otpauth_uri(const char *issuer, const char *name,
                                            const uint8_t *secret, size_t len, char *out,
                                            size_t cap);
/* The same with &digits=<digits> (6..8). */
KIOSK_MUST_CHECK enum kerr totp_otpauth_uri_digits(const char *issuer, const char *name,
                                                   const uint8_t *secret, size_t len,
                                                   unsigned digits, char *out, size_t cap);

/* Wrong-code lockout: `attempts` failures lock for `lock_s` seconds. */
struct totp_lockout {
	unsigned attempts;      /* failures allowed before locking (5) */
	unsigned lock_s;        /* lock length (300) */
	unsigned failures;      /* consecutive failures so far */
	int64_t locked_until_s; /* 0 = not locked */
};

/* True while locked at now_s; *left_s says for how long. */
bool totp_lockout_locked(const struct totp_lockout *l, int64_t now_s, int64_t *left_s);

/* Records one attempt's result: success clears failures, a failure may lock. */
void totp_lockout_record(struct totp_lockout *l, int64_t now_s, bool ok);

#endif
