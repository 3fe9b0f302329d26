#include "kiosk/totp.h"

#include <stdio.h>
#include <string.h>

static const uint32_t pow10_tab[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

enum kerr totp_code_at_step(const struct totp_hmac *h, enum totp_alg alg, const uint8_t *secret,
                            size_t len, uint64_t step, unsigned digits, uint32_t *code)
{
	uint8_t msg[8], mac[64];
	size_t n;
	unsigned off;
	uint32_t bin;

	*code = 0;
	if (digits < 6 || digits > 8 || len == 0 || len > TOTP_SECRET_MAX)
		return KERR_INVAL;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)(step & 0xff);
		step >>= 8;
	}
	n = h->fn(alg, secret, len, msg, sizeof(msg), mac);
	if (n < 20 || n > sizeof(mac))
		return KERR_CRYPTO;
	/* RFC 4226 dynamic truncation. */
	off = mac[n - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	*code = bin % pow10_tab[digits];
	return KERR_OK;
}

enum kerr totp_verify(const struct totp_hmac *h, const uint8_t *secret, size_t len, int64_t now_s,
                      const char *code, uint64_t *last_step)
{
	return totp_verify_digits(h, secret, len, now_s, code, TOTP_DIGITS, last_step);
}

enum kerr totp_verify_digits(const struct totp_hmac *h, const uint8_t *secret, size_t len,
                             int64_t now_s, const char *code, unsigned digits, uint64_t *last_step)
{
	uint32_t want = 0;
	uint64_t now_step;

	if (digits < 6 || digits > TOTP_DIGITS_MAX || !code || strlen(code) != digits)
		return KERR_PARSE;
	for (unsigned i = 0; i < digits; i++) {
		if (code[i] < '0' || code[i] > '9')
			return KERR_PARSE;
		want = want * 10 + (uint32_t)(code[i] - '0');
	}
	if (now_s < TOTP_STEP_S)
		return KERR_CLOCK;
	now_step = (uint64_t)now_s / TOTP_STEP_S;
	/* Oldest first, so a code is pinned to the earliest step it fits. */
	for (uint64_t s = now_step - 1; s <= now_step + 1; s++) {
		uint32_t got;
		enum kerr err;

		if (s <= *last_step)
			continue;
		err = totp_code_at_step(h, TOTP_SHA1, secret, len, s, digits, &got);
		if (err)
			return err;
		if (got == want) {
			*last_step = s;
			return KERR_OK;
		}
	}
	return KERR_AUTH;
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

enum kerr totp_base32_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	if (cap == 0)
		return KERR_TOO_BIG;
	out[0] = '\0';
	if ((len * 8 + 4) / 5 + 1 > cap)
		return KERR_TOO_BIG;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return KERR_OK;
}

enum kerr totp_base32_decode(const char *in, uint8_t *out, size_t cap, size_t *len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;

	*len = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		const char *at;

		if (c == ' ' || c == '=' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		at = strchr(b32, c);
		if (!at)
			return KERR_PARSE;
		acc = (acc << 5) | (uint32_t)(at - b32);
		bits += 5;
		if (bits >= 8) {
			if (o >= cap)
				return KERR_TOO_BIG;
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	*len = o;
	return KERR_OK;
}

/* Percent-encodes everything but RFC 3986 unreserved characters. */
static bool put_encoded(const char *s, char *out, size_t cap, size_t *o)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		             (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
		             *p == '~';
		size_t need = plain ? 1 : 3;

		if (*o + need >= cap)
			return false;
		if (plain) {
			out[(*o)++] = (char)*p;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[*p >> 4];
			out[(*o)++] = hex[*p & 15];
		}
	}
	out[*o] = '\0';
	return true;
}

static bool put_plain(const char *s, char *out, size_t cap, size_t *o)
{
	size_t n = strlen(s);

	if (*o + n >= cap)
		return false;
	memcpy(out + *o, s, n + 1);
	*o += n;
	return true;
}

enum kerr totp_otpauth_uri(const char *issuer, const char *name, const uint8_t *secret, size_t len,
                           char *out, size_t cap)
{
	return totp_otpauth_uri_digits(issuer, name, secret, len, TOTP_DIGITS, out, cap);
}

enum kerr totp_otpauth_uri_digits(const char *issuer, const char *name, const uint8_t *secret,
                                  size_t len, unsigned digits, char *out, size_t cap)
{
	char sec[TOTP_BASE32_MAX], tail[48];
	size_t o = 0;
	bool ok;

	if (cap)
		out[0] = '\0';
	if (len == 0 || len > TOTP_SECRET_MAX || digits < 6 || digits > TOTP_DIGITS_MAX)
		return KERR_INVAL;
	snprintf(tail, sizeof(tail), "&algorithm=SHA1&digits=%u&period=30", digits);
	if (totp_base32_encode(secret, len, sec, sizeof(sec)))
		return KERR_INVAL;
	ok = cap > 0 && put_plain("otpauth://totp/", out, cap, &o) &&
	     put_encoded(issuer, out, cap, &o) && put_plain(":", out, cap, &o) &&
	     put_encoded(name, out, cap, &o) && put_plain("?secret=", out, cap, &o) &&
	     put_plain(sec, out, cap, &o) && put_plain("&issuer=", out, cap, &o) &&
	     put_encoded(issuer, out, cap, &o) && put_plain(tail, out, cap, &o);
	if (!ok) {
		if (cap)
			out[0] = '\0';
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

bool totp_lockout_locked(const struct totp_lockout *l, int64_t now_s, int64_t *left_s)
{
	*left_s = 0;
	if (l->locked_until_s == 0 || now_s >= l->locked_until_s)
		return false;
	*left_s = l->locked_until_s - now_s;
	return true;
}

void totp_lockout_record(struct totp_lockout *l, int64_t now_s, bool ok)
{
	if (ok) {
		l->failures = 0;
		l->locked_until_s = 0;
		return;
	}
	if (l->locked_until_s && now_s >= l->locked_until_s) {
		/* The previous lock ran out: a fresh count. */
		l->locked_until_s = 0;
		l->failures = 0;
	}
	l->failures++;
	if (l->failures >= l->attempts)
		l->locked_until_s = now_s + l->lock_s;
}
