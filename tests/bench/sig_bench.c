/*
 * Signature recovery and verification per second with the kiosk's mbedtls
 * code, beside libsecp256k1 (the reference limit) when it is available, over
 * every signature of the transactions.json vectors (legacy and HF26 forms).
 * Each figure is the best of a few rounds of at least BENCH_MIN_S seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "kiosk/sig.h"
#include "testutil.h"

#ifdef KIOSK_HAVE_SECP256K1
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#endif

#define MAX_SIGS    512
#define BENCH_MIN_S 1.0
#define ROUNDS      3

struct item {
	uint8_t digest[SIG_DIGEST_LEN];
	uint8_t sig[SIG_LEN];
	uint8_t pub[SIG_PUBKEY_LEN];
};

static struct item items[MAX_SIGS];
static size_t n_items;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_form(json_t *form)
{
	json_t *sigs = json_object_get(form, "signatures"), *s;
	const char *digest = json_string_value(json_object_get(form, "digest_hex"));
	size_t i;

	json_array_foreach(sigs, i, s)
	{
		struct item *it;

		if (n_items == MAX_SIGS || !digest)
			return;
		it = &items[n_items];
		if (hex_bytes(digest, it->digest, sizeof(it->digest)) != SIG_DIGEST_LEN ||
		    hex_bytes(json_string_value(s), it->sig, sizeof(it->sig)) != SIG_LEN)
			continue;
		/* The key to verify against is what recovery gives (checked by test_sig). */
		if (sig_recover(it->digest, it->sig, SIG_LEN, it->pub, NULL) != KERR_OK)
			continue;
		n_items++;
	}
}

static int load_vectors(void)
{
	json_error_t jerr;
	json_t *txs =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *tx;
	size_t i;

	if (!txs) {
		fprintf(stderr, "sig_bench: transactions.json:%d: %s\n", jerr.line, jerr.text);
		return -1;
	}
	json_array_foreach(txs, i, tx)
	{
		add_form(tx);
		if (json_object_get(tx, "hf26"))
			add_form(json_object_get(tx, "hf26"));
	}
	json_decref(txs);
	return n_items ? 0 : -1;
}

typedef int (*op_fn)(const struct item *it, void *arg);

/* Operations per second, best of ROUNDS; -1 if any operation failed. */
static double rate(op_fn op, void *arg)
{
	double best = 0;

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s(), dt;
		size_t done = 0;

		do {
			for (size_t i = 0; i < n_items; i++)
				if (op(&items[i], arg) != 0)
					return -1;
			done += n_items;
			dt = now_s() - t0;
		} while (dt < BENCH_MIN_S);
		if ((double)done / dt > best)
			best = (double)done / dt;
	}
	return best;
}

static int mbed_recover(const struct item *it, void *arg)
{
	uint8_t pub[SIG_PUBKEY_LEN];

	(void)arg;
	if (sig_recover(it->digest, it->sig, SIG_LEN, pub, NULL) != KERR_OK)
		return -1;
	return memcmp(pub, it->pub, sizeof(pub)) != 0;
}

static int mbed_verify(const struct item *it, void *arg)
{
	(void)arg;
	return sig_verify(it->digest, it->sig, SIG_LEN, it->pub, NULL) != KERR_OK;
}

#ifdef KIOSK_HAVE_SECP256K1
static int secp_recover(const struct item *it, void *arg)
{
	secp256k1_context *ctx = arg;
	secp256k1_ecdsa_recoverable_signature rs;
	secp256k1_pubkey pk;
	uint8_t out[33];
	size_t olen = sizeof(out);

	if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, it->sig + 1,
	                                                         (it->sig[0] - 27) & 3) ||
	    !secp256k1_ecdsa_recover(ctx, &pk, &rs, it->digest) ||
	    !secp256k1_ec_pubkey_serialize(ctx, out, &olen, &pk, SECP256K1_EC_COMPRESSED))
		return -1;
	return memcmp(out, it->pub, sizeof(out)) != 0;
}

/* As the kiosk's verify: recover and compare, then a plain ECDSA verify. */
static int secp_verify(const struct item *it, void *arg)
{
	secp256k1_context *ctx = arg;
	secp256k1_ecdsa_signature sig;
	secp256k1_pubkey pk;

	if (secp_recover(it, arg) != 0)
		return -1;
	if (!secp256k1_ec_pubkey_parse(ctx, &pk, it->pub, SIG_PUBKEY_LEN) ||
	    !secp256k1_ecdsa_signature_parse_compact(ctx, &sig, it->sig + 1))
		return -1;
	return !secp256k1_ecdsa_verify(ctx, &sig, it->digest, &pk);
}
#endif

int main(void)
{
	double mr, mv;

	if (load_vectors() != 0) {
		fprintf(stderr, "sig_bench: no usable vectors; check KIOSK_FIXTURES\n");
		return 1;
	}
	mr = rate(mbed_recover, NULL);
	mv = rate(mbed_verify, NULL);
	if (mr < 0 || mv < 0) {
		fprintf(stderr, "sig_bench: a vector failed with the kiosk's code\n");
		return 1;
	}
	printf("signatures=%zu\n", n_items);
#ifdef KIOSK_HAVE_SECP256K1
	{
		secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
		double sr = rate(secp_recover, ctx), sv = rate(secp_verify, ctx);

		secp256k1_context_destroy(ctx);
		if (sr < 0 || sv < 0) {
			fprintf(stderr, "sig_bench: a vector failed with libsecp256k1\n");
			return 1;
		}
		printf("mbedtls_recover_per_s=%.0f mbedtls_verify_per_s=%.0f "
		       "secp256k1_recover_per_s=%.0f secp256k1_verify_per_s=%.0f ratio=%.1f\n",
		       mr, mv, sr, sv, sr / mr);
	}
#else
	printf("mbedtls_recover_per_s=%.0f mbedtls_verify_per_s=%.0f\n", mr, mv);
#endif
	return 0;
}
