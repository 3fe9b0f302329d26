/* Proof, not trust: a real signed transfer is proven against its payer's
 * authority; every kind of lie a node could tell is caught. */
#include "kiosk/proof.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "testutil.h"

struct vec {
	json_t *all, *v;
	struct tx *tx;
	struct authority payer;
	struct proof_claim claim;
	char memo[TX_MEMO_MAX + 1];
};

/* The first transfer vector of chain (with one signer and the hf26 form when asked). */
static void load(struct vec *x, const char *chain, bool hf26)
{
	json_error_t jerr;
	size_t i;

	memset(x, 0, sizeof(*x));
	x->all = json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	assert_non_null(x->all);
	json_array_foreach(x->all, i, x->v) {
		json_t *ops = json_object_get(json_object_get(x->v, "tx"), "operations");
		json_t *form = hf26 ? json_object_get(x->v, "hf26") : x->v;
		json_t *txj, *body;
		struct tx_transfer t;

		if (strcmp(json_string_value(json_object_get(x->v, "chain")), chain) != 0 ||
		    json_array_size(ops) != 1 ||
		    strcmp(json_string_value(json_array_get(json_array_get(ops, 0), 0)), "transfer") != 0 ||
		    json_array_size(json_object_get(x->v, "signers")) != 1 || !form)
			continue;
		txj = json_deep_copy(json_object_get(x->v, "tx"));
		json_object_set(txj, "signatures", json_object_get(form, "signatures"));
		assert_int_equal(tx_from_json(txj, chain_profile_get(strcmp(chain, "hive") == 0 ? SITE_CHAIN_HIVE
		                                                                              : SITE_CHAIN_STEEM),
		                              &x->tx, NULL),
		                 KERR_OK);
		json_decref(txj);
		assert_int_equal(tx_transfer_at(x->tx, 0, &t), KERR_OK);
		body = json_array_get(json_array_get(ops, 0), 1);
		(void)body;
		snprintf(x->claim.trx_id, sizeof(x->claim.trx_id), "%s",
		         json_string_value(json_object_get(form, "trx_id")));
		x->claim.from = t.from;
		x->claim.to = t.to;
		x->claim.amount = t.amount;
		memcpy(x->memo, t.memo, t.memo_len);
		x->claim.memo = x->memo;
		x->claim.memo_len = t.memo_len;
		x->payer.threshold = 1;
		x->payer.key_count = 1;
		x->payer.keys[0].weight = 1;
		assert_int_equal(key_public_parse(json_string_value(json_object_get(json_array_get(json_object_get(x->v, "signers"), 0), "public_key")),
		                                  "STM", x->payer.keys[0].key, NULL),
		                 KERR_OK);
		return;
	}
	fail_msg("no suitable %s vector", chain);
}

static void unload(struct vec *x)
{
	tx_free(x->tx);
	json_decref(x->all);
}

static enum proof_verdict check(struct vec *x, enum tx_form *form)
{
	enum proof_verdict v;

	assert_int_equal(proof_check(x->tx, &x->claim, &x->payer, NULL, NULL, &v, form), KERR_OK);
	return v;
}

static void test_a_real_transfer_is_proven(void **state)
{
	struct vec x;
	enum tx_form form;

	(void)state;
	load(&x, "steem", false);
	assert_int_equal(check(&x, &form), PROOF_OK);
	assert_int_equal(form, TX_FORM_LEGACY);
	unload(&x);
	load(&x, "hive", true);
	assert_int_equal(check(&x, &form), PROOF_OK);
	assert_int_equal(form, TX_FORM_HF26);
	unload(&x);
}

static void test_every_lie_is_caught(void **state)
{
	struct vec x;
	enum tx_form form;
	struct authority other;

	(void)state;
	load(&x, "hive", false);
	x.claim.amount.amount += 1;                             /* changed amount */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.amount.amount -= 1;
	x.claim.memo_len = 0;                                   /* changed memo */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.memo_len = strlen(x.memo);
	x.claim.to = "thief";                                   /* other receiver */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.to = NULL;
	{
		struct tx_transfer t;

		assert_int_equal(tx_transfer_at(x.tx, 0, &t), KERR_OK);
		x.claim.to = t.to;
	}
	{
		char first = x.claim.trx_id[0];

		x.claim.trx_id[0] = first == 'a' ? 'b' : 'a'; /* another transaction */
		assert_int_equal(check(&x, &form), PROOF_ID_MISMATCH);
		x.claim.trx_id[0] = first;
	}
	x.claim.op_index = 1;                                   /* no such operation */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.op_index = 0;
	other = x.payer;                                        /* signed by someone else */
	other.keys[0].key[5] ^= 1;
	x.payer = other;
	assert_int_equal(check(&x, &form), PROOF_NOT_AUTHORIZED);
	unload(&x);
}

/* A lying node serving a tampered transaction with its own consistent id:
 * the signature no longer recovers to the payer. */
static void test_tampered_transactions_from_a_consistent_liar(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/signatures-must-fail.json"), JSON_ALLOW_NUL, &jerr), *c;
	size_t i, n = 0;

	(void)state;
	json_array_foreach(all, i, c) {
		const char *kind = json_string_value(json_object_get(c, "kind"));
		json_t *txj;
		struct tx *tx;
		struct tx_transfer t;
		struct proof_claim claim = {0};
		struct authority payer = {.threshold = 1, .key_count = 1};
		uint8_t id[TX_ID_LEN];
		enum proof_verdict v;
		enum tx_form form;

		if (strcmp(kind, "tampered_amount") != 0 && strcmp(kind, "tampered_memo") != 0)
			continue;
		txj = json_deep_copy(json_object_get(c, "tx"));
		json_object_set_new(txj, "signatures", json_pack("[O]", json_object_get(c, "signature")));
		assert_int_equal(tx_from_json(txj, chain_profile_get(strcmp(json_string_value(json_object_get(c, "chain")), "hive") == 0 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM),
		                              &tx, NULL),
		                 KERR_OK);
		assert_int_equal(tx_transfer_at(tx, 0, &t), KERR_OK);
		assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
		hex_encode(id, sizeof(id), claim.trx_id);
		claim.from = t.from;
		claim.to = t.to;
		claim.amount = t.amount;
		claim.memo = t.memo;
		claim.memo_len = t.memo_len;
		payer.keys[0].weight = 1;
		assert_int_equal(key_public_parse(json_string_value(json_object_get(c, "expected_public_key")), "STM",
		                                  payer.keys[0].key, NULL),
		                 KERR_OK);
		assert_int_equal(proof_check(tx, &claim, &payer, NULL, NULL, &v, &form), KERR_OK);
		assert_true(v == PROOF_NOT_AUTHORIZED || v == PROOF_BAD_SIGNATURE);
		tx_free(tx);
		json_decref(txj);
		n++;
	}
	assert_true(n >= 7);
	assert_string_equal(proof_verdict_str(PROOF_OK), "proven");
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_real_transfer_is_proven),
	    cmocka_unit_test(test_every_lie_is_caught),
	    cmocka_unit_test(test_tampered_transactions_from_a_consistent_liar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
