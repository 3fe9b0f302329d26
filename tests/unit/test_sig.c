#include "kiosk/sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <mbedtls/ripemd160.h>
#include <mbedtls/sha256.h>

#include "kiosk/hex.h"
#include "kiosk/rng.h"
#include "testutil.h"

/* secp256k1 generator x (SEC 2 v2, 2.4.1); its y is even. */
static const char gen_x_hex[] = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

static json_t *load_json_or_fail(const char *rel)
{
	json_error_t jerr;
	json_t *j = json_load_file(fixture_path(rel), JSON_ALLOW_NUL, &jerr);

	if (!j)
		fail_msg("%s:%d: %s", rel, jerr.line, jerr.text);
	return j;
}

static const char *str_or_fail(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (!s)
		fail_msg("fixture member \"%s\" missing or not a string", key);
	return s;
}

static size_t hex_or_fail(const char *hex, uint8_t *out, size_t max)
{
	size_t n = hex_bytes(hex, out, max);

	if (n == (size_t)-1)
		fail_msg("bad hex in fixture: %.80s", hex);
	return n;
}

/*
 * Base58 (Bitcoin alphabet) decoding, only to read the fixtures' STM keys and
 * WIFs independently of the kiosk's own key module.
 */
static size_t base58_or_fail(const char *s, uint8_t *out, size_t max)
{
	static const char alpha[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	uint8_t buf[128] = {0};
	size_t len = strlen(s), zeros = 0, n;

	assert_true(len < sizeof(buf));
	while (s[zeros] == '1')
		zeros++;
	for (size_t i = 0; i < len; i++) {
		const char *p = strchr(alpha, s[i]);
		unsigned carry;

		assert_non_null(p);
		carry = (unsigned)(p - alpha);
		for (size_t k = sizeof(buf); k-- > 0;) {
			carry += 58u * buf[k];
			buf[k] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
		assert_int_equal(carry, 0);
	}
	n = 0;
	while (n < sizeof(buf) && buf[n] == 0)
		n++;
	assert_true(zeros + sizeof(buf) - n <= max);
	memset(out, 0, zeros);
	memcpy(out + zeros, buf + n, sizeof(buf) - n);
	return zeros + sizeof(buf) - n;
}

/* "STM" + base58(key33 || ripemd160(key33)[0:4]) -> key33, checksum checked. */
static void stm_key_or_fail(const char *text, uint8_t pub[SIG_PUBKEY_LEN])
{
	uint8_t raw[64], h[20];

	assert_memory_equal(text, "STM", 3);
	assert_int_equal(base58_or_fail(text + 3, raw, sizeof(raw)), 37);
	assert_int_equal(mbedtls_ripemd160_ret(raw, 33, h), 0);
	assert_memory_equal(raw + 33, h, 4);
	memcpy(pub, raw, SIG_PUBKEY_LEN);
}

/* WIF = base58(0x80 || key32 || sha256d(0x80 || key32)[0:4]) -> key32. */
static void wif_or_fail(const char *wif, uint8_t priv[SIG_PRIVKEY_LEN])
{
	uint8_t raw[64], h[32];

	assert_int_equal(base58_or_fail(wif, raw, sizeof(raw)), 37);
	assert_int_equal(raw[0], 0x80);
	assert_int_equal(mbedtls_sha256_ret(raw, 33, h, 0), 0);
	assert_int_equal(mbedtls_sha256_ret(h, 32, h, 0), 0);
	assert_memory_equal(raw + 33, h, 4);
	memcpy(priv, raw + 1, SIG_PRIVKEY_LEN);
}

static void test_stm_fixture_decoder_matches_keys_json_hex(void **state)
{
	json_t *keys = load_json_or_fail("vectors/keys.json");
	const char *roles[] = {"owner", "active", "posting", "memo"};
	size_t i, checked = 0;
	json_t *acct;

	(void)state;
	json_array_foreach(keys, i, acct)
	{
		for (size_t r = 0; r < ARRAY_SIZE(roles); r++) {
			json_t *k = json_object_get(acct, roles[r]);
			uint8_t a[SIG_PUBKEY_LEN], b[SIG_PUBKEY_LEN], priv[32], p2[32];

			stm_key_or_fail(str_or_fail(k, "public_key"), a);
			hex_or_fail(str_or_fail(k, "public_key_hex"), b, sizeof(b));
			assert_memory_equal(a, b, SIG_PUBKEY_LEN);
			wif_or_fail(str_or_fail(k, "wif"), priv);
			hex_or_fail(str_or_fail(k, "private_key_hex"), p2, sizeof(p2));
			assert_memory_equal(priv, p2, 32);
			/* and the kiosk's own public key derivation agrees with dsteem's */
			assert_int_equal(sig_public_key(priv, a), KERR_OK);
			assert_memory_equal(a, b, SIG_PUBKEY_LEN);
			checked++;
		}
	}
	assert_true(checked >= 4);
	json_decref(keys);
}

static enum sig_fault expected_fault(const char *kind)
{
	if (strcmp(kind, "high_s") == 0)
		return SIG_FAULT_HIGH_S;
	if (strcmp(kind, "zero_r") == 0 || strcmp(kind, "r_ge_n") == 0)
		return SIG_FAULT_R_RANGE;
	if (strcmp(kind, "zero_s") == 0 || strcmp(kind, "s_ge_n") == 0)
		return SIG_FAULT_S_RANGE;
	if (strcmp(kind, "bad_header") == 0)
		return SIG_FAULT_HEADER;
	if (strcmp(kind, "truncated") == 0)
		return SIG_FAULT_LENGTH;
	return SIG_FAULT_NONE;
}

static void test_must_fail_vectors_never_verify_against_expected_key(void **state)
{
	json_t *cases = load_json_or_fail("vectors/signatures-must-fail.json");
	size_t i, refused = 0, recovered_other = 0;
	json_t *c;

	(void)state;
	assert_true(json_array_size(cases) > 0);
	json_array_foreach(cases, i, c)
	{
		const char *kind = str_or_fail(c, "kind");
		const char *name = str_or_fail(c, "name");
		json_t *wax = json_object_get(c, "wax_recovers");
		uint8_t digest[32], sig[80], expect[33], got[33], wax_key[33];
		enum sig_fault want = expected_fault(kind), fault;
		size_t len;
		enum kerr err;

		hex_or_fail(str_or_fail(c, "digest_hex"), digest, sizeof(digest));
		len = hex_or_fail(str_or_fail(c, "signature"), sig, sizeof(sig));
		stm_key_or_fail(str_or_fail(c, "expected_public_key"), expect);

		err = sig_verify(digest, sig, len, expect, &fault);
		if (err == KERR_OK)
			fail_msg("%s (%s) verified against the expected key", name, kind);
		assert_int_equal(err, KERR_CRYPTO);

		err = sig_recover(digest, sig, len, got, &fault);
		if (want != SIG_FAULT_NONE) {
			if (err != KERR_CRYPTO || fault != want)
				fail_msg("%s: want refusal \"%s\", got %s / \"%s\"", name,
				         sig_fault_str(want), kerr_str(err), sig_fault_str(fault));
			refused++;
			continue;
		}
		if (err != KERR_OK) {
			refused++;
			continue;
		}
		if (memcmp(got, expect, sizeof(got)) == 0)
			fail_msg("%s (%s) recovered the expected key", name, kind);
		/* What hived's own code recovers is the independent answer. */
		if (json_is_string(wax)) {
			stm_key_or_fail(json_string_value(wax), wax_key);
			if (memcmp(got, wax_key, sizeof(got)) != 0)
				fail_msg("%s: recovered key differs from hived's (wax)", name);
		}
		recovered_other++;
	}
	assert_true(refused > 0);
	assert_true(recovered_other > 0);
	json_decref(cases);
}

static void test_edge_cases_get_the_kiosk_rule_answer(void **state)
{
	json_t *cases = load_json_or_fail("vectors/signature-edge-cases.json");
	size_t i, accepted = 0, refused = 0;
	json_t *c;

	(void)state;
	json_array_foreach(cases, i, c)
	{
		const char *name = str_or_fail(c, "name");
		bool low_s = json_is_true(json_object_get(c, "low_s"));
		bool fc = json_is_true(json_object_get(c, "fc_canonical"));
		uint8_t digest[32], sig[65], pub[33], got[33];
		struct sig_info info;
		enum sig_fault fault;
		enum kerr err;

		hex_or_fail(str_or_fail(c, "digest_hex"), digest, sizeof(digest));
		assert_int_equal(hex_or_fail(str_or_fail(c, "signature"), sig, sizeof(sig)), 65);
		stm_key_or_fail(str_or_fail(c, "public_key"), pub);

		err = sig_parse(sig, sizeof(sig), &info);
		if (info.low_s != low_s || info.fc_canonical != fc)
			fail_msg("%s: low_s %d fc %d, fixture says %d %d", name, info.low_s,
			         info.fc_canonical, low_s, fc);
		assert_int_equal(err, low_s ? KERR_OK : KERR_CRYPTO);
		err = sig_verify(digest, sig, sizeof(sig), pub, &fault);
		if (low_s) {
			if (err != KERR_OK)
				fail_msg("%s refused: %s", name, sig_fault_str(fault));
			assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, NULL), KERR_OK);
			assert_memory_equal(got, pub, sizeof(pub));
			accepted++;
		} else {
			assert_int_equal(err, KERR_CRYPTO);
			assert_int_equal(fault, SIG_FAULT_HIGH_S);
			refused++;
		}
	}
	assert_true(accepted > 0 && refused > 0);
	json_decref(cases);
}

static void test_fc_canonical_test_signatures_of_steemd(void **state)
{
	json_t *doc = load_json_or_fail("chain/fc-canonical-signatures.json");
	json_t *cases = json_object_get(doc, "cases"), *c;
	size_t i;

	(void)state;
	assert_true(json_array_size(cases) == 4);
	json_array_foreach(cases, i, c)
	{
		json_t *want = json_object_get(c, "is_canonical");
		uint8_t sig[65];
		struct sig_info info;
		enum kerr err;

		assert_int_equal(hex_or_fail(str_or_fail(c, "signature"), sig, sizeof(sig)), 65);
		err = sig_parse(sig, sizeof(sig), &info);
		assert_int_equal(info.low_s, json_is_true(json_object_get(want, "bip_0062")));
		assert_int_equal(info.fc_canonical,
		                 json_is_true(json_object_get(want, "fc_canonical")));
		assert_int_equal(err, info.low_s ? KERR_OK : KERR_CRYPTO);
	}
	json_decref(doc);
}

/* One vector's signatures (legacy or hf26 form) against its signers. */
static size_t check_signed_form(json_t *form, json_t *signers, const char *name)
{
	json_t *sigs = json_object_get(form, "signatures"), *s;
	uint8_t digest[32], all[4 * SIG_LEN], pubs[4 * SIG_PUBKEY_LEN];
	size_t i, n = json_array_size(sigs);

	assert_true(n > 0 && n <= 4);
	assert_int_equal(json_array_size(signers), n);
	hex_or_fail(str_or_fail(form, "digest_hex"), digest, sizeof(digest));
	json_array_foreach(sigs, i, s)
	{
		uint8_t *sig = all + i * SIG_LEN, pub[33], got[33];
		enum sig_fault fault;

		assert_int_equal(hex_or_fail(json_string_value(s), sig, SIG_LEN), SIG_LEN);
		stm_key_or_fail(str_or_fail(json_array_get(signers, i), "public_key"), pub);
		if (sig_recover(digest, sig, SIG_LEN, got, &fault) != KERR_OK)
			fail_msg("%s sig %zu refused: %s", name, i, sig_fault_str(fault));
		assert_memory_equal(got, pub, sizeof(pub));
		assert_int_equal(sig_verify(digest, sig, SIG_LEN, pub, NULL), KERR_OK);
	}
	assert_int_equal(sig_recover_all(digest, all, n, pubs, NULL, NULL), KERR_OK);
	return n;
}

static void test_every_vector_signature_recovers_its_signer(void **state)
{
	json_t *txs = load_json_or_fail("vectors/transactions.json"), *tx;
	size_t i, sigs = 0, hf26 = 0;

	(void)state;
	json_array_foreach(txs, i, tx)
	{
		const char *name = str_or_fail(tx, "name");
		json_t *signers = json_object_get(tx, "signers");
		json_t *h = json_object_get(tx, "hf26");

		sigs += check_signed_form(tx, signers, name);
		if (h) {
			hf26 += check_signed_form(h, signers, name);
		}
	}
	assert_true(sigs >= 100);
	assert_true(hf26 > 0);
	json_decref(txs);
}

/*
 * Signing each vector's digest with its signer's WIF gives a signature that
 * recovers to the signer and passes both rules, and is the vector's own
 * signature byte for byte: dhive and dsteem sign with libsecp256k1's RFC 6979
 * and the same extra-data retry, so this checks the nonce derivation.
 */
static size_t sign_form_and_compare(json_t *form, json_t *signers, const char *name)
{
	json_t *sigs = json_object_get(form, "signatures"), *s;
	uint8_t digest[32];
	size_t i, same = 0;

	hex_or_fail(str_or_fail(form, "digest_hex"), digest, sizeof(digest));
	json_array_foreach(sigs, i, s)
	{
		json_t *signer = json_array_get(signers, i);
		uint8_t priv[32], pub[33], want[65], out[65];
		struct sig_info info;

		wif_or_fail(str_or_fail(signer, "wif"), priv);
		stm_key_or_fail(str_or_fail(signer, "public_key"), pub);
		hex_or_fail(json_string_value(s), want, sizeof(want));
		assert_int_equal(sig_sign(priv, digest, NULL, out), KERR_OK);
		assert_int_equal(sig_parse(out, sizeof(out), &info), KERR_OK);
		assert_true(info.low_s);
		assert_true(info.fc_canonical);
		assert_int_equal(out[0], 31 + info.recid);
		assert_int_equal(sig_verify(digest, out, sizeof(out), pub, NULL), KERR_OK);
		if (memcmp(out, want, sizeof(out)) != 0) {
			char a[131], b[131];

			hex_encode(out, sizeof(out), a);
			hex_encode(want, sizeof(want), b);
			fail_msg("%s sig %zu: signed %s, vector has %s", name, i, a, b);
		}
		same++;
	}
	return same;
}

static void test_signing_reproduces_vector_signatures_byte_for_byte(void **state)
{
	json_t *txs = load_json_or_fail("vectors/transactions.json"), *tx;
	size_t i, same = 0;

	(void)state;
	json_array_foreach(txs, i, tx)
	{
		const char *name = str_or_fail(tx, "name");
		json_t *signers = json_object_get(tx, "signers");
		json_t *h = json_object_get(tx, "hf26");

		same += sign_form_and_compare(tx, signers, name);
		if (h)
			same += sign_form_and_compare(h, signers, name);
	}
	assert_true(same >= 100);
	json_decref(txs);
}

static void test_real_chain_signatures_recover_their_keys(void **state)
{
	json_t *doc = load_json_or_fail("chain/real-transactions.json");
	json_t *txs = json_object_get(doc, "transactions"), *tx;
	size_t i, checked = 0;

	(void)state;
	json_array_foreach(txs, i, tx)
	{
		json_t *served = json_object_get(tx, "tx_as_served");
		json_t *sigs = json_object_get(served, "signatures");
		json_t *keys = json_object_get(tx, "recovered_public_keys");
		uint8_t digest[32], sig[65], pub[33], got[33];

		assert_int_equal(json_array_size(sigs), json_array_size(keys));
		hex_or_fail(str_or_fail(tx, "digest_hex"), digest, sizeof(digest));
		for (size_t k = 0; k < json_array_size(sigs); k++) {
			assert_int_equal(hex_or_fail(json_string_value(json_array_get(sigs, k)),
			                             sig, sizeof(sig)),
			                 65);
			stm_key_or_fail(json_string_value(json_array_get(keys, k)), pub);
			assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, NULL), KERR_OK);
			assert_memory_equal(got, pub, sizeof(pub));
			assert_int_equal(sig_verify(digest, sig, sizeof(sig), pub, NULL), KERR_OK);
			checked++;
		}
	}
	assert_true(checked >= 30);
	json_decref(doc);
}

/*
 * Witness signatures of 1,000 real blocks: over sha256 of the header bytes
 * previous(20) || timestamp(u32 LE) || witness (varint length + bytes) ||
 * merkle root(20) || extensions (varint count 0), no chain id; each recovers
 * the block's signing_key.
 */
static void test_block_witness_signatures_recover_signing_keys(void **state)
{
	json_t *doc =
	    load_json_or_fail("chain/blocks/hive-block_api.get_block_range-1000000-1000.json");
	json_t *blocks =
	    json_object_get(json_object_get(json_object_get(doc, "response"), "result"), "blocks");
	json_t *b;
	size_t i, checked = 0;

	(void)state;
	json_array_foreach(blocks, i, b)
	{
		const char *witness = str_or_fail(b, "witness");
		size_t wlen = strlen(witness), n = 0;
		uint8_t hdr[20 + 4 + 1 + 127 + 20 + 1], digest[32], sig[65], pub[33], got[33];
		struct tm tm = {0};
		time_t t;

		assert_true(wlen < 128);
		assert_int_equal(json_array_size(json_object_get(b, "extensions")), 0);
		assert_int_equal(hex_or_fail(str_or_fail(b, "previous"), hdr, 20), 20);
		n = 20;
		assert_non_null(strptime(str_or_fail(b, "timestamp"), "%Y-%m-%dT%H:%M:%S", &tm));
		t = timegm(&tm);
		for (int k = 0; k < 4; k++)
			hdr[n++] = (uint8_t)((uint64_t)t >> (8 * k));
		hdr[n++] = (uint8_t)wlen;
		memcpy(hdr + n, witness, wlen);
		n += wlen;
		assert_int_equal(
		    hex_or_fail(str_or_fail(b, "transaction_merkle_root"), hdr + n, 20), 20);
		n += 20;
		hdr[n++] = 0;
		assert_int_equal(mbedtls_sha256_ret(hdr, n, digest, 0), 0);
		assert_int_equal(hex_or_fail(str_or_fail(b, "witness_signature"), sig, sizeof(sig)),
		                 65);
		stm_key_or_fail(str_or_fail(b, "signing_key"), pub);
		assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, NULL), KERR_OK);
		if (memcmp(got, pub, sizeof(pub)) != 0)
			fail_msg("block %s: witness signature recovers another key",
			         str_or_fail(b, "block_id"));
		checked++;
	}
	assert_int_equal(checked, 1000);
	json_decref(doc);
}

/* A valid signature to mutate: the first transactions.json vector. */
static void first_vector_or_fail(uint8_t digest[32], uint8_t sig[65], uint8_t pub[33],
                                 uint8_t priv[32])
{
	json_t *txs = load_json_or_fail("vectors/transactions.json");
	json_t *tx = json_array_get(txs, 0);
	json_t *signer = json_array_get(json_object_get(tx, "signers"), 0);

	hex_or_fail(str_or_fail(tx, "digest_hex"), digest, 32);
	hex_or_fail(json_string_value(json_array_get(json_object_get(tx, "signatures"), 0)), sig,
	            65);
	stm_key_or_fail(str_or_fail(signer, "public_key"), pub);
	wif_or_fail(str_or_fail(signer, "wif"), priv);
	json_decref(txs);
}

static void test_every_header_outside_27_to_34_is_refused(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32], got[33];
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	for (int h = 0; h < 256; h++) {
		struct sig_info info;
		enum kerr err;

		sig[0] = (uint8_t)h;
		err = sig_parse(sig, sizeof(sig), &info);
		if (h >= 27 && h <= 34) {
			assert_int_equal(err, KERR_OK);
			assert_int_equal(info.recid, (h - 27) & 3);
		} else {
			assert_int_equal(err, KERR_CRYPTO);
			assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, &fault),
			                 KERR_CRYPTO);
			assert_int_equal(fault, SIG_FAULT_HEADER);
			assert_true(got[0] == 0);
		}
	}
}

static void test_header_27_and_31_recover_the_same_key(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32], got[33];

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	sig[0] = (uint8_t)(27 + ((sig[0] - 27) & 3));
	assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, NULL), KERR_OK);
	assert_memory_equal(got, pub, sizeof(pub));
}

static void test_flipped_recovery_parity_recovers_another_key(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32], got[33];
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	sig[0] = (uint8_t)(31 + (((sig[0] - 27) & 3) ^ 1));
	assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, NULL), KERR_OK);
	assert_memory_not_equal(got, pub, sizeof(pub));
	assert_int_equal(sig_verify(digest, sig, sizeof(sig), pub, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_MISMATCH);
}

static void test_recid_2_refused_when_r_plus_n_is_not_below_p(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32], got[33];
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	/* p - n is about 2^128, so this r (top byte 0x1f) has r + n >= p. */
	assert_true(sig[1] != 0);
	sig[0] = 31 + 2;
	assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_NO_POINT);
}

static void test_truncated_and_padded_signatures_are_refused(void **state)
{
	uint8_t digest[32], sig[66], pub[33], priv[32], got[33];
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	sig[65] = 0;
	assert_int_equal(sig_recover(digest, sig, 64, got, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_LENGTH);
	assert_int_equal(sig_recover(digest, sig, 66, got, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_LENGTH);
	assert_int_equal(sig_verify(digest, sig, 64, pub, &fault), KERR_CRYPTO);
	assert_int_equal(sig_recover(digest, NULL, 65, got, &fault), KERR_CRYPTO);
	assert_int_equal(sig_recover(digest, sig, 65, got, &fault), KERR_OK);
}

/* r = x(G), s = e: then s R - e G is the point at infinity. */
static void test_signature_recovering_point_at_infinity_is_refused(void **state)
{
	uint8_t digest[32], sig[65], got[33];
	enum sig_fault fault;

	(void)state;
	memset(digest, 0, sizeof(digest));
	digest[31] = 5;
	memset(sig, 0, sizeof(sig));
	sig[0] = 27; /* y(G) is even */
	hex_or_fail(gen_x_hex, sig + 1, 32);
	sig[64] = 5;
	assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_INFINITY);
	/* the other parity is -G: 5(-G) - 5G is 2 (-5G), a real point */
	sig[0] = 28;
	assert_int_equal(sig_recover(digest, sig, sizeof(sig), got, &fault), KERR_OK);
}

static void test_zero_digest_signs_and_recovers(void **state)
{
	uint8_t digest[32] = {0}, sig[65], pub[33], priv[32], got[33], out[65];

	(void)state;
	first_vector_or_fail(got, sig, pub, priv);
	assert_int_equal(sig_sign(priv, digest, NULL, out), KERR_OK);
	assert_int_equal(sig_recover(digest, out, sizeof(out), got, NULL), KERR_OK);
	assert_memory_equal(got, pub, sizeof(pub));
}

static void test_verify_refuses_invalid_expected_key(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32];
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	pub[0] = 0x04;
	assert_int_equal(sig_verify(digest, sig, sizeof(sig), pub, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_BAD_KEY);
	pub[0] = 0x02;
	memset(pub + 1, 0xff, 32); /* x >= p */
	assert_int_equal(sig_verify(digest, sig, sizeof(sig), pub, &fault), KERR_CRYPTO);
	assert_int_equal(fault, SIG_FAULT_BAD_KEY);
}

static void test_sign_refuses_zero_and_out_of_range_keys(void **state)
{
	uint8_t digest[32] = {1}, priv[32], out[65], pub[33];

	(void)state;
	memset(priv, 0, sizeof(priv));
	assert_int_equal(sig_sign(priv, digest, NULL, out), KERR_INVAL);
	assert_true(out[0] == 0);
	memset(priv, 0xff, sizeof(priv));
	assert_int_equal(sig_sign(priv, digest, NULL, out), KERR_INVAL);
	assert_int_equal(sig_public_key(priv, pub), KERR_INVAL);
}

static void test_sign_with_extra_entropy_still_recovers_and_passes_both_rules(void **state)
{
	uint8_t digest[32], sig[65], pub[33], priv[32], got[33], a[65], b[65];
	struct rng_fake rf;
	struct sig_info info;

	(void)state;
	first_vector_or_fail(digest, sig, pub, priv);
	rng_fake_init(&rf, 42);
	assert_int_equal(sig_sign(priv, digest, &rf.base, a), KERR_OK);
	assert_int_equal(sig_sign(priv, digest, &rf.base, b), KERR_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(sig_parse(a, sizeof(a), &info), KERR_OK);
	assert_true(info.fc_canonical && info.low_s);
	assert_int_equal(sig_recover(digest, a, sizeof(a), got, NULL), KERR_OK);
	assert_memory_equal(got, pub, sizeof(pub));
	assert_int_equal(sig_verify(digest, b, sizeof(b), pub, NULL), KERR_OK);
}

static void test_duplicate_signatures_are_refused(void **state)
{
	uint8_t digest[32], pub[33], priv[32], sigs[3 * SIG_LEN], pubs[3 * SIG_PUBKEY_LEN];
	struct rng_fake rf;
	size_t a, b, bad;
	enum sig_fault fault;

	(void)state;
	first_vector_or_fail(digest, sigs, pub, priv);
	memcpy(sigs + SIG_LEN, sigs, SIG_LEN);
	assert_int_equal(sig_find_duplicate(sigs, 2, &a, &b), KERR_EXISTS);
	assert_true(a == 0 && b == 1);
	/* 27 + recid is the same signature as 31 + recid */
	sigs[SIG_LEN] = (uint8_t)(sigs[0] - 4);
	assert_int_equal(sig_find_duplicate(sigs, 2, &a, &b), KERR_EXISTS);
	assert_int_equal(sig_recover_all(digest, sigs, 2, pubs, &bad, &fault), KERR_CRYPTO);
	assert_true(bad == 1 && fault == SIG_FAULT_DUPLICATE);
	/* a different signature by the same key: the signer counts once */
	rng_fake_init(&rf, 7);
	assert_int_equal(sig_sign(priv, digest, &rf.base, sigs + SIG_LEN), KERR_OK);
	assert_int_equal(sig_find_duplicate(sigs, 2, &a, &b), KERR_OK);
	assert_true(a == 2 && b == 2);
	assert_int_equal(sig_recover_all(digest, sigs, 2, pubs, &bad, &fault), KERR_CRYPTO);
	assert_true(bad == 1 && fault == SIG_FAULT_DUPLICATE);
	assert_int_equal(sig_recover_all(digest, sigs, 1, pubs, &bad, &fault), KERR_OK);
	assert_memory_equal(pubs, pub, sizeof(pub));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stm_fixture_decoder_matches_keys_json_hex),
	    cmocka_unit_test(test_must_fail_vectors_never_verify_against_expected_key),
	    cmocka_unit_test(test_edge_cases_get_the_kiosk_rule_answer),
	    cmocka_unit_test(test_fc_canonical_test_signatures_of_steemd),
	    cmocka_unit_test(test_every_vector_signature_recovers_its_signer),
	    cmocka_unit_test(test_signing_reproduces_vector_signatures_byte_for_byte),
	    cmocka_unit_test(test_real_chain_signatures_recover_their_keys),
	    cmocka_unit_test(test_block_witness_signatures_recover_signing_keys),
	    cmocka_unit_test(test_every_header_outside_27_to_34_is_refused),
	    cmocka_unit_test(test_header_27_and_31_recover_the_same_key),
	    cmocka_unit_test(test_flipped_recovery_parity_recovers_another_key),
	    cmocka_unit_test(test_recid_2_refused_when_r_plus_n_is_not_below_p),
	    cmocka_unit_test(test_truncated_and_padded_signatures_are_refused),
	    cmocka_unit_test(test_signature_recovering_point_at_infinity_is_refused),
	    cmocka_unit_test(test_zero_digest_signs_and_recovers),
	    cmocka_unit_test(test_verify_refuses_invalid_expected_key),
	    cmocka_unit_test(test_sign_refuses_zero_and_out_of_range_keys),
	    cmocka_unit_test(test_sign_with_extra_entropy_still_recovers_and_passes_both_rules),
	    cmocka_unit_test(test_duplicate_signatures_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
