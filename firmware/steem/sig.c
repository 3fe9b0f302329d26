/*
 * Compact secp256k1 signatures with mbedtls 2.28. mbedtls has neither public
 * key recovery nor compressed point reading for short Weierstrass curves, so
 * both are built here from its point and bignum arithmetic (SEC 1 v2, 4.1.6
 * and 2.3.4: https://www.secg.org/sec1-v2.pdf).
 */
#include "kiosk/sig.h"

#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "kiosk/rng.h"

/* Group order n and n/2 (rounded down) of secp256k1, big-endian (SEC 2 v2,
 * 2.4.1: https://www.secg.org/sec2-v2.pdf). */
static const uint8_t order_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
};
static const uint8_t half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

/* Header range hived reads (fc elliptic_secp256k1.cpp public_key(compact_signature)). */
#define HEADER_MIN 27
#define HEADER_MAX 34
/* Signers write 31 + recid: "compressed key" headers. */
#define HEADER_COMPRESSED 31
/* sig_sign() gives up after this many attempts: the attempt is one byte. */
#define SIGN_ATTEMPTS_MAX 255

const char *sig_fault_str(enum sig_fault f)
{
	switch (f) {
	case SIG_FAULT_NONE:
		return "accepted";
	case SIG_FAULT_LENGTH:
		return "signature is not 65 bytes";
	case SIG_FAULT_HEADER:
		return "header byte outside 27..34";
	case SIG_FAULT_R_RANGE:
		return "r is zero or not below the group order";
	case SIG_FAULT_S_RANGE:
		return "s is zero or not below the group order";
	case SIG_FAULT_HIGH_S:
		return "s above n/2 (not low-s)";
	case SIG_FAULT_NO_POINT:
		return "r is not the x coordinate of a curve point for this recovery id";
	case SIG_FAULT_INFINITY:
		return "recovers to the point at infinity";
	case SIG_FAULT_MISMATCH:
		return "made by another key";
	case SIG_FAULT_BAD_KEY:
		return "expected public key is not a valid secp256k1 point";
	case SIG_FAULT_DUPLICATE:
		return "duplicate signature or signer";
	}
	return "unknown signature fault";
}

static bool is_zero32(const uint8_t *b)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < 32; i++)
		acc |= b[i];
	return acc == 0;
}

/* Big-endian 32-byte numbers compare like memcmp. */
static bool in_range(const uint8_t *b)
{
	return !is_zero32(b) && memcmp(b, order_n, 32) < 0;
}

/* steem libraries/fc/src/crypto/elliptic_common.cpp is_fc_canonical(). */
static bool fc_canonical(const uint8_t *c)
{
	return !(c[1] & 0x80) && !(c[1] == 0 && !(c[2] & 0x80)) && !(c[33] & 0x80) &&
	       !(c[33] == 0 && !(c[34] & 0x80));
}

enum kerr sig_parse(const uint8_t *sig, size_t len, struct sig_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!sig || len != SIG_LEN) {
		info->fault = SIG_FAULT_LENGTH;
		return KERR_CRYPTO;
	}
	info->header = sig[0];
	info->header_ok = sig[0] >= HEADER_MIN && sig[0] <= HEADER_MAX;
	info->recid = (uint8_t)((sig[0] - HEADER_MIN) & 3);
	info->r_in_range = in_range(sig + 1);
	info->s_in_range = in_range(sig + 33);
	info->low_s = info->s_in_range && memcmp(sig + 33, half_n, 32) <= 0;
	info->fc_canonical = fc_canonical(sig);

	if (!info->header_ok)
		info->fault = SIG_FAULT_HEADER;
	else if (!info->r_in_range)
		info->fault = SIG_FAULT_R_RANGE;
	else if (!info->s_in_range)
		info->fault = SIG_FAULT_S_RANGE;
	else if (!info->low_s)
		info->fault = SIG_FAULT_HIGH_S;
	return info->fault == SIG_FAULT_NONE ? KERR_OK : KERR_CRYPTO;
}

/* Allocation is the only mbedtls failure that is not about the input. */
static enum kerr from_mbedtls(int ret)
{
	if (ret == 0)
		return KERR_OK;
	if (ret == MBEDTLS_ERR_MPI_ALLOC_FAILED || ret == MBEDTLS_ERR_ECP_ALLOC_FAILED)
		return KERR_NOMEM;
	return KERR_CRYPTO;
}

static int load_curve(mbedtls_ecp_group *grp)
{
	mbedtls_ecp_group_init(grp);
	return mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP256K1);
}

/*
 * Sets pt to the curve point with x coordinate x and y parity odd. p = 3 mod 4,
 * so a square root of a is a^((p+1)/4) when one exists (SEC 1, 2.3.4).
 * *on_curve is false when x >= p or x^3 + 7 is not a square.
 */
static int lift_x(const mbedtls_ecp_group *grp, const mbedtls_mpi *x, int odd,
                  mbedtls_ecp_point *pt, bool *on_curve)
{
	mbedtls_mpi rhs, y, e, chk;
	int ret = 0;

	*on_curve = false;
	if (mbedtls_mpi_cmp_int(x, 0) < 0 || mbedtls_mpi_cmp_mpi(x, &grp->P) >= 0)
		return 0;
	mbedtls_mpi_init(&rhs);
	mbedtls_mpi_init(&y);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&chk);
	/* rhs = x^3 + a x + b; a is 0 for secp256k1 and mbedtls leaves grp->A unset. */
	MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&rhs, x, x));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp->P));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&rhs, &rhs, x));
	MBEDTLS_MPI_CHK(mbedtls_mpi_add_mpi(&rhs, &rhs, &grp->B));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp->P));
	MBEDTLS_MPI_CHK(mbedtls_mpi_add_int(&e, &grp->P, 1));
	MBEDTLS_MPI_CHK(mbedtls_mpi_shift_r(&e, 2));
	MBEDTLS_MPI_CHK(mbedtls_mpi_exp_mod(&y, &rhs, &e, &grp->P, NULL));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&chk, &y, &y));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&chk, &chk, &grp->P));
	if (mbedtls_mpi_cmp_mpi(&chk, &rhs) != 0)
		goto cleanup;
	if ((int)mbedtls_mpi_get_bit(&y, 0) != odd) {
		if (mbedtls_mpi_cmp_int(&y, 0) == 0)
			goto cleanup;
		MBEDTLS_MPI_CHK(mbedtls_mpi_sub_mpi(&y, &grp->P, &y));
	}
	MBEDTLS_MPI_CHK(mbedtls_mpi_copy(&pt->X, x));
	MBEDTLS_MPI_CHK(mbedtls_mpi_copy(&pt->Y, &y));
	MBEDTLS_MPI_CHK(mbedtls_mpi_lset(&pt->Z, 1));
	*on_curve = true;
cleanup:
	mbedtls_mpi_free(&chk);
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&y);
	mbedtls_mpi_free(&rhs);
	return ret;
}

/* Reads a 33-byte compressed key; *valid is false for anything not on the curve. */
static int read_pub(const mbedtls_ecp_group *grp, const uint8_t pub[SIG_PUBKEY_LEN],
                    mbedtls_ecp_point *pt, bool *valid)
{
	mbedtls_mpi x;
	int ret = 0;

	*valid = false;
	if (pub[0] != 0x02 && pub[0] != 0x03)
		return 0;
	mbedtls_mpi_init(&x);
	MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(&x, pub + 1, 32));
	MBEDTLS_MPI_CHK(lift_x(grp, &x, pub[0] & 1, pt, valid));
	if (*valid && mbedtls_ecp_check_pubkey(grp, pt) != 0)
		*valid = false;
cleanup:
	mbedtls_mpi_free(&x);
	return ret;
}

static int write_pub(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *pt,
                     uint8_t pub[SIG_PUBKEY_LEN])
{
	size_t olen = 0;
	int ret = mbedtls_ecp_point_write_binary(grp, pt, MBEDTLS_ECP_PF_COMPRESSED, &olen, pub,
	                                         SIG_PUBKEY_LEN);

	if (ret == 0 && olen != SIG_PUBKEY_LEN)
		ret = MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	return ret;
}

/* e = digest as an integer mod n (ECDSA with a 256-bit order takes all 256 bits). */
bool sig_public_key_valid(const uint8_t pub[SIG_PUBKEY_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point pt;
	bool valid = false;

	mbedtls_ecp_point_init(&pt);
	if (load_curve(&grp) == 0 && read_pub(&grp, pub, &pt, &valid) != 0)
		valid = false;
	mbedtls_ecp_point_free(&pt);
	mbedtls_ecp_group_free(&grp);
	return valid;
}

static int read_digest(const mbedtls_ecp_group *grp, const uint8_t digest[SIG_DIGEST_LEN],
                       mbedtls_mpi *e)
{
	int ret = 0;

	MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(e, digest, SIG_DIGEST_LEN));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(e, e, &grp->N));
cleanup:
	return ret;
}

/*
 * Q = r^-1 (s R - e G) with R the point of x = r + j n (j = recid >> 1) and
 * y parity recid & 1 (SEC 1, 4.1.6). The caller has checked r and s.
 */
static int recover_point(mbedtls_ecp_group *grp, const uint8_t digest[SIG_DIGEST_LEN],
                         const uint8_t *sig, uint8_t recid, mbedtls_ecp_point *q,
                         enum sig_fault *fault)
{
	mbedtls_mpi r, s, e, x, rinv, u1, u2;
	mbedtls_ecp_point big_r;
	bool on_curve;
	int ret = 0;

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&rinv);
	mbedtls_mpi_init(&u1);
	mbedtls_mpi_init(&u2);
	mbedtls_ecp_point_init(&big_r);

	MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(&r, sig + 1, 32));
	MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(&s, sig + 33, 32));
	MBEDTLS_MPI_CHK(read_digest(grp, digest, &e));

	/* recid 2/3 name an R whose x overflowed n: x = r + n, which must stay below p. */
	MBEDTLS_MPI_CHK(mbedtls_mpi_copy(&x, &r));
	if (recid & 2)
		MBEDTLS_MPI_CHK(mbedtls_mpi_add_mpi(&x, &x, &grp->N));
	MBEDTLS_MPI_CHK(lift_x(grp, &x, recid & 1, &big_r, &on_curve));
	if (!on_curve) {
		*fault = SIG_FAULT_NO_POINT;
		goto cleanup;
	}

	MBEDTLS_MPI_CHK(mbedtls_mpi_inv_mod(&rinv, &r, &grp->N));
	/* u1 = -e r^-1 mod n, u2 = s r^-1 mod n; Q = u1 G + u2 R. */
	MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&u1, &e, &rinv));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&u1, &u1, &grp->N));
	if (mbedtls_mpi_cmp_int(&u1, 0) != 0)
		MBEDTLS_MPI_CHK(mbedtls_mpi_sub_mpi(&u1, &grp->N, &u1));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&u2, &s, &rinv));
	MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&u2, &u2, &grp->N));

	/* mbedtls scalars must lie in [1, n-1]; u1 is 0 only when e = 0 mod n. */
	if (mbedtls_mpi_cmp_int(&u1, 0) == 0)
		MBEDTLS_MPI_CHK(mbedtls_ecp_mul(grp, q, &u2, &big_r, NULL, NULL));
	else
		MBEDTLS_MPI_CHK(mbedtls_ecp_muladd(grp, q, &u1, &grp->G, &u2, &big_r));
	if (mbedtls_ecp_is_zero(q))
		*fault = SIG_FAULT_INFINITY;
cleanup:
	mbedtls_ecp_point_free(&big_r);
	mbedtls_mpi_free(&u2);
	mbedtls_mpi_free(&u1);
	mbedtls_mpi_free(&rinv);
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	return ret;
}

/* The compressed key that signed digest; pub holds it only on KERR_OK. */
static enum kerr recover_in(mbedtls_ecp_group *grp, const uint8_t digest[SIG_DIGEST_LEN],
                            const uint8_t *sig, size_t len, uint8_t pub[SIG_PUBKEY_LEN],
                            enum sig_fault *fault)
{
	struct sig_info info;
	mbedtls_ecp_point q;
	enum kerr err;

	*fault = SIG_FAULT_NONE;
	err = sig_parse(sig, len, &info);
	if (err != KERR_OK) {
		*fault = info.fault;
		return err;
	}
	mbedtls_ecp_point_init(&q);
	err = from_mbedtls(recover_point(grp, digest, sig, info.recid, &q, fault));
	if (err == KERR_OK && *fault != SIG_FAULT_NONE)
		err = KERR_CRYPTO;
	if (err == KERR_OK)
		err = from_mbedtls(write_pub(grp, &q, pub));
	mbedtls_ecp_point_free(&q);
	return err;
}

enum kerr sig_recover(const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *sig, size_t len,
                      uint8_t pub[SIG_PUBKEY_LEN], enum sig_fault *fault)
{
	enum sig_fault why = SIG_FAULT_NONE;
	mbedtls_ecp_group grp;
	enum kerr err;

	memset(pub, 0, SIG_PUBKEY_LEN);
	err = from_mbedtls(load_curve(&grp));
	if (err == KERR_OK)
		err = recover_in(&grp, digest, sig, len, pub, &why);
	if (err != KERR_OK)
		memset(pub, 0, SIG_PUBKEY_LEN);
	mbedtls_ecp_group_free(&grp);
	if (fault)
		*fault = why;
	return err;
}

enum kerr sig_verify(const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *sig, size_t len,
                     const uint8_t pub[SIG_PUBKEY_LEN], enum sig_fault *fault)
{
	enum sig_fault why = SIG_FAULT_NONE;
	uint8_t got[SIG_PUBKEY_LEN];
	mbedtls_ecp_group grp;
	mbedtls_ecp_point expect;
	mbedtls_mpi r, s;
	bool valid;
	enum kerr err;

	mbedtls_ecp_point_init(&expect);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	err = from_mbedtls(load_curve(&grp));
	if (err != KERR_OK)
		goto out;
	err = from_mbedtls(read_pub(&grp, pub, &expect, &valid));
	if (err == KERR_OK && !valid) {
		why = SIG_FAULT_BAD_KEY;
		err = KERR_CRYPTO;
	}
	if (err != KERR_OK)
		goto out;
	err = recover_in(&grp, digest, sig, len, got, &why);
	if (err != KERR_OK)
		goto out;
	if (memcmp(got, pub, SIG_PUBKEY_LEN) != 0) {
		why = SIG_FAULT_MISMATCH;
		err = KERR_CRYPTO;
		goto out;
	}
	/* A second, independent path: plain ECDSA verification with the key. */
	err = from_mbedtls(mbedtls_mpi_read_binary(&r, sig + 1, 32));
	if (err == KERR_OK)
		err = from_mbedtls(mbedtls_mpi_read_binary(&s, sig + 33, 32));
	if (err != KERR_OK)
		goto out;
	if (mbedtls_ecdsa_verify(&grp, digest, SIG_DIGEST_LEN, &expect, &r, &s) != 0) {
		why = SIG_FAULT_MISMATCH;
		err = KERR_CRYPTO;
	}
out:
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&expect);
	mbedtls_ecp_group_free(&grp);
	if (fault)
		*fault = why;
	return err;
}

static int read_priv(const mbedtls_ecp_group *grp, const uint8_t priv[SIG_PRIVKEY_LEN],
                     mbedtls_mpi *d, bool *valid)
{
	int ret = 0;

	*valid = false;
	MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(d, priv, SIG_PRIVKEY_LEN));
	*valid = mbedtls_ecp_check_privkey(grp, d) == 0;
cleanup:
	return ret;
}

/*
 * Loads the curve and the private key d, KERR_INVAL for a key out of range.
 * grp and d are set up whatever it returns: the caller frees both.
 */
static enum kerr load_priv(mbedtls_ecp_group *grp, const uint8_t priv[SIG_PRIVKEY_LEN],
                           mbedtls_mpi *d)
{
	bool valid;
	enum kerr err;

	mbedtls_mpi_init(d);
	err = from_mbedtls(load_curve(grp));
	if (err == KERR_OK)
		err = from_mbedtls(read_priv(grp, priv, d, &valid));
	if (err == KERR_OK && !valid)
		err = KERR_INVAL;
	return err;
}

enum kerr sig_public_key(const uint8_t priv[SIG_PRIVKEY_LEN], uint8_t pub[SIG_PUBKEY_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	enum kerr err;

	memset(pub, 0, SIG_PUBKEY_LEN);
	mbedtls_ecp_point_init(&q);
	err = load_priv(&grp, priv, &d);
	if (err == KERR_OK)
		err = from_mbedtls(mbedtls_ecp_mul(&grp, &q, &d, &grp.G, NULL, NULL));
	if (err == KERR_OK)
		err = from_mbedtls(write_pub(&grp, &q, pub));
	if (err != KERR_OK)
		memset(pub, 0, SIG_PUBKEY_LEN);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	mbedtls_mpi_free(&d);
	return err;
}

/*
 * The signing core: k from HMAC-DRBG seeded with priv || bits2octets(digest)
 * [|| data], exactly RFC 6979 3.2 with libsecp256k1's extra-data extension
 * (its nonce_function_rfc6979); the DRBG update between outputs is RFC 6979's
 * "K = HMAC(V || 0x00), V = HMAC(V)" step.
 */
static int sign_core(mbedtls_ecp_group *grp, const mbedtls_mpi *d,
                     const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *data,
                     uint8_t out[SIG_LEN])
{
	uint8_t seed[96], kbuf[32];
	mbedtls_hmac_drbg_context drbg;
	mbedtls_mpi e, k, kinv, r, s;
	mbedtls_ecp_point big_r;
	size_t seed_len = 64;
	uint8_t recid;
	int ret = 0;

	mbedtls_hmac_drbg_init(&drbg);
	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&k);
	mbedtls_mpi_init(&kinv);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecp_point_init(&big_r);

	MBEDTLS_MPI_CHK(read_digest(grp, digest, &e));
	MBEDTLS_MPI_CHK(mbedtls_mpi_write_binary(d, seed, 32));
	MBEDTLS_MPI_CHK(mbedtls_mpi_write_binary(&e, seed + 32, 32));
	if (data) {
		memcpy(seed + 64, data, 32);
		seed_len = 96;
	}
	MBEDTLS_MPI_CHK(mbedtls_hmac_drbg_seed_buf(
	    &drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, seed_len));

	for (;;) {
		MBEDTLS_MPI_CHK(mbedtls_hmac_drbg_random(&drbg, kbuf, sizeof(kbuf)));
		MBEDTLS_MPI_CHK(mbedtls_mpi_read_binary(&k, kbuf, sizeof(kbuf)));
		if (mbedtls_mpi_cmp_int(&k, 1) < 0 || mbedtls_mpi_cmp_mpi(&k, &grp->N) >= 0)
			continue;
		MBEDTLS_MPI_CHK(mbedtls_ecp_mul(grp, &big_r, &k, &grp->G, NULL, NULL));
		MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&r, &big_r.X, &grp->N));
		if (mbedtls_mpi_cmp_int(&r, 0) == 0)
			continue;
		/* s = k^-1 (e + r d) mod n */
		MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&s, &r, d));
		MBEDTLS_MPI_CHK(mbedtls_mpi_add_mpi(&s, &s, &e));
		MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&s, &s, &grp->N));
		MBEDTLS_MPI_CHK(mbedtls_mpi_inv_mod(&kinv, &k, &grp->N));
		MBEDTLS_MPI_CHK(mbedtls_mpi_mul_mpi(&s, &s, &kinv));
		MBEDTLS_MPI_CHK(mbedtls_mpi_mod_mpi(&s, &s, &grp->N));
		if (mbedtls_mpi_cmp_int(&s, 0) != 0)
			break;
	}
	recid = (uint8_t)(mbedtls_mpi_get_bit(&big_r.Y, 0) |
	                  (mbedtls_mpi_cmp_mpi(&big_r.X, &grp->N) >= 0 ? 2 : 0));
	MBEDTLS_MPI_CHK(mbedtls_mpi_write_binary(&r, out + 1, 32));
	MBEDTLS_MPI_CHK(mbedtls_mpi_write_binary(&s, out + 33, 32));
	/* Low-s: (r, n - s) is the same signature for the point -R, so flip parity. */
	if (memcmp(out + 33, half_n, 32) > 0) {
		MBEDTLS_MPI_CHK(mbedtls_mpi_sub_mpi(&s, &grp->N, &s));
		MBEDTLS_MPI_CHK(mbedtls_mpi_write_binary(&s, out + 33, 32));
		recid ^= 1;
	}
	out[0] = (uint8_t)(HEADER_COMPRESSED + recid);
cleanup:
	mbedtls_platform_zeroize(seed, sizeof(seed));
	mbedtls_platform_zeroize(kbuf, sizeof(kbuf));
	mbedtls_ecp_point_free(&big_r);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&kinv);
	mbedtls_mpi_free(&k);
	mbedtls_mpi_free(&e);
	mbedtls_hmac_drbg_free(&drbg);
	return ret;
}

enum kerr sig_sign_with_data(const uint8_t priv[SIG_PRIVKEY_LEN],
                             const uint8_t digest[SIG_DIGEST_LEN], const uint8_t data[32],
                             uint8_t out[SIG_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	enum kerr err;

	memset(out, 0, SIG_LEN);
	err = load_priv(&grp, priv, &d);
	if (err == KERR_OK)
		err = from_mbedtls(sign_core(&grp, &d, digest, data, out));
	if (err != KERR_OK)
		memset(out, 0, SIG_LEN);
	mbedtls_ecp_group_free(&grp);
	mbedtls_mpi_free(&d);
	return err;
}

enum kerr sig_sign(const uint8_t priv[SIG_PRIVKEY_LEN], const uint8_t digest[SIG_DIGEST_LEN],
                   struct rng *extra, uint8_t out[SIG_LEN])
{
	uint8_t noise[32], data[32], attempt;
	mbedtls_sha256_context sha;
	enum kerr err = KERR_CRYPTO;

	for (unsigned int i = 1; i <= SIGN_ATTEMPTS_MAX; i++) {
		/* dhive's PrivateKey.sign(): data = sha256(digest || byte attempts). */
		attempt = (uint8_t)i;
		mbedtls_sha256_init(&sha);
		err = from_mbedtls(mbedtls_sha256_starts_ret(&sha, 0));
		if (err == KERR_OK)
			err = from_mbedtls(mbedtls_sha256_update_ret(&sha, digest, SIG_DIGEST_LEN));
		if (err == KERR_OK)
			err = from_mbedtls(mbedtls_sha256_update_ret(&sha, &attempt, 1));
		if (err == KERR_OK && extra) {
			err = rng_fill(extra, noise, sizeof(noise));
			if (err == KERR_OK)
				err = from_mbedtls(
				    mbedtls_sha256_update_ret(&sha, noise, sizeof(noise)));
		}
		if (err == KERR_OK)
			err = from_mbedtls(mbedtls_sha256_finish_ret(&sha, data));
		mbedtls_sha256_free(&sha);
		if (err != KERR_OK)
			break;
		err = sig_sign_with_data(priv, digest, data, out);
		if (err != KERR_OK)
			break;
		if (fc_canonical(out))
			break;
		err = KERR_CRYPTO;
	}
	mbedtls_platform_zeroize(noise, sizeof(noise));
	mbedtls_platform_zeroize(data, sizeof(data));
	if (err != KERR_OK)
		memset(out, 0, SIG_LEN);
	return err;
}

/* Same signature: same recid, r and s (27+i and 31+i differ only in a flag hived ignores). */
static bool same_sig(const uint8_t *a, const uint8_t *b)
{
	return ((a[0] - HEADER_MIN) & 3) == ((b[0] - HEADER_MIN) & 3) &&
	       memcmp(a + 1, b + 1, SIG_LEN - 1) == 0;
}

enum kerr sig_find_duplicate(const uint8_t *sigs, size_t count, size_t *first, size_t *second)
{
	*first = count;
	*second = count;
	for (size_t i = 0; i < count; i++) {
		for (size_t j = i + 1; j < count; j++) {
			if (same_sig(sigs + i * SIG_LEN, sigs + j * SIG_LEN)) {
				*first = i;
				*second = j;
				return KERR_EXISTS;
			}
		}
	}
	return KERR_OK;
}

enum kerr sig_recover_all(const uint8_t digest[SIG_DIGEST_LEN], const uint8_t *sigs, size_t count,
                          uint8_t *pubs, size_t *bad, enum sig_fault *fault)
{
	enum sig_fault why = SIG_FAULT_NONE;
	size_t at = count, a, b;
	enum kerr err = KERR_OK;

	if (sig_find_duplicate(sigs, count, &a, &b) != KERR_OK) {
		at = b;
		why = SIG_FAULT_DUPLICATE;
		err = KERR_CRYPTO;
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		uint8_t *pub = pubs + i * SIG_PUBKEY_LEN;

		err = sig_recover(digest, sigs + i * SIG_LEN, SIG_LEN, pub, &why);
		if (err != KERR_OK) {
			at = i;
			goto out;
		}
		for (size_t j = 0; j < i; j++) {
			if (memcmp(pubs + j * SIG_PUBKEY_LEN, pub, SIG_PUBKEY_LEN) == 0) {
				at = i;
				why = SIG_FAULT_DUPLICATE;
				err = KERR_CRYPTO;
				goto out;
			}
		}
	}
out:
	if (err != KERR_OK && count)
		memset(pubs, 0, count * SIG_PUBKEY_LEN);
	if (bad)
		*bad = at;
	if (fault)
		*fault = why;
	return err;
}
