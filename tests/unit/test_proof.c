/* Proof, not trust: a real signed transfer is proven against its payer's
 * authority; every kind of lie a node could tell is caught. */
#include "kiosk/proof.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
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
	json_array_foreach(x->all, i, x->v)
	{
		json_t *ops = json_object_get(json_object_get(x->v, "tx"), "operations");
		json_t *form = hf26 ? json_object_get(x->v, "hf26") : x->v;
		json_t *txj, *body;
		struct tx_transfer t;

		if (strcmp(json_string_value(json_object_get(x->v, "chain")), chain) != 0 ||
		    json_array_size(ops) != 1 ||
		    strcmp(json_string_value(json_array_get(json_array_get(ops, 0), 0)),
		           "transfer") != 0 ||
		    json_array_size(json_object_get(x->v, "signers")) != 1 || !form)
			continue;
		txj = json_deep_copy(json_object_get(x->v, "tx"));
		json_object_set(txj, "signatures", json_object_get(form, "signatures"));
		assert_int_equal(
		    tx_from_json(txj,
		                 chain_profile_get(strcmp(chain, "hive") == 0 ? SITE_CHAIN_HIVE
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
		assert_int_equal(
		    key_public_parse(
		        json_string_value(json_object_get(
		            json_array_get(json_object_get(x->v, "signers"), 0), "public_key")),
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
	x.claim.amount.amount += 1; /* changed amount */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.amount.amount -= 1;
	x.claim.memo_len = 0; /* changed memo */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.memo_len = strlen(x.memo);
	x.claim.to = "thief"; /* other receiver */
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
	x.claim.op_index = 1; /* no such operation */
	assert_int_equal(check(&x, &form), PROOF_OP_MISMATCH);
	x.claim.op_index = 0;
	other = x.payer; /* signed by someone else */
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
	json_t *all = json_load_file(fixture_path("vectors/signatures-must-fail.json"),
	                             JSON_ALLOW_NUL, &jerr),
	       *c;
	size_t i, n = 0;

	(void)state;
	json_array_foreach(all, i, c)
	{
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
		json_object_set_new(txj, "signatures",
		                    json_pack("[O]", json_object_get(c, "signature")));
		assert_int_equal(
		    tx_from_json(
		        txj,
		        chain_profile_get(
		            strcmp(json_string_value(json_object_get(c, "chain")), "hive") == 0
		                ? SITE_CHAIN_HIVE
		                : SITE_CHAIN_STEEM),
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
		assert_int_equal(
		    key_public_parse(json_string_value(json_object_get(c, "expected_public_key")),
		                     "STM", payer.keys[0].key, NULL),
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

/*
 * The case: a transfer to the co-op in one transaction with
 * operations the kiosk used to refuse, paid by an account whose active
 * authority is 2-of-3 through another account. Signed here with two keys.
 */
static void test_mixed_transaction_from_a_multisig_account_payer(void **state)
{
	static const char body[] = "{\"ref_block_num\":4660,\"ref_block_prefix\":305419896,"
	                           "\"expiration\":\"2026-11-24T10:00:00\","
	                           "\"operations\":[[\"account_witness_vote\",{\"account\":"
	                           "\"payer\",\"witness\":\"w\",\"approve\":true}],"
	                           "[\"claim_reward_balance\",{\"account\":\"payer\",\"reward_"
	                           "hive\":\"0.001 HIVE\",\"reward_hbd\":"
	                           "\"0.000 HBD\",\"reward_vests\":\"0.000000 VESTS\"}],"
	                           "[\"transfer\",{\"from\":\"payer\",\"to\":\"coop\",\"amount\":"
	                           "\"7.250 HIVE\",\"memo\":\"KP-1\"}],"
	                           "[\"custom_json\",{\"required_auths\":[\"payer\"],\"required_"
	                           "posting_auths\":[],\"id\":\"x\","
	                           "\"json\":\"{}\"}]],\"extensions\":[]";
	const struct chain_profile *p = chain_profile_get(SITE_CHAIN_HIVE);
	uint8_t priv[2][32], pub[3][33], digest[32], sig[2][65], id[TX_ID_LEN];
	char json[2048], sighex[2][131], reason[160];
	struct authority payer = {.threshold = 2, .key_count = 1, .account_count = 2};
	struct authority agent = {.threshold = 1, .key_count = 1};
	struct authority absent = {.threshold = 1, .key_count = 1};
	struct authority_table table;
	struct proof_claim claim = {
	    .op_index = 2, .from = "payer", .to = "coop", .memo = "KP-1", .memo_len = 4};
	struct proof_result r;
	struct tx *tx;

	(void)state;
	for (int i = 0; i < 2; i++) {
		memset(priv[i], 0x11 * (i + 1), 32);
		assert_int_equal(sig_public_key(priv[i], pub[i]), KERR_OK);
	}
	memset(pub[2], 0x02, 33); /* a third key nobody signs with */
	/* payer: own key 0 (1), agent (1), absent (1): 2 of 3; agent: key 1 */
	memcpy(payer.keys[0].key, pub[0], 33);
	payer.keys[0].weight = 1;
	strcpy(payer.accounts[0].name, "absent");
	payer.accounts[0].weight = 1;
	strcpy(payer.accounts[1].name, "agent");
	payer.accounts[1].weight = 1;
	memcpy(agent.keys[0].key, pub[1], 33);
	agent.keys[0].weight = 1;
	memcpy(absent.keys[0].key, pub[2], 33);
	absent.keys[0].weight = 1;

	/* sign the legacy form's digest with both keys */
	snprintf(json, sizeof(json), "%s}", body);
	assert_int_equal(tx_parse_json(json, strlen(json), p, &tx, NULL), KERR_OK);
	assert_int_equal(tx_digest(tx, TX_FORM_LEGACY, digest), KERR_OK);
	assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
	hex_encode(id, sizeof(id), claim.trx_id);
	tx_free(tx);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sig_sign(priv[i], digest, NULL, sig[i]), KERR_OK);
		hex_encode(sig[i], 65, sighex[i]);
	}
	assert_int_equal(asset_parse("7.250 HIVE", &claim.amount, NULL), KERR_OK);

	/* signed by key 0 only: weight 1 of 2, and agent not fetched yet */
	snprintf(json, sizeof(json), "%s,\"signatures\":[\"%s\"]}", body, sighex[0]);
	assert_int_equal(tx_parse_json(json, strlen(json), p, &tx, NULL), KERR_OK);
	authority_table_init(&table);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, &table.base, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_NEEDS_ACCOUNT);
	assert_string_equal(r.account, "absent");
	assert_int_equal(authority_table_add(&table, "absent", &absent), KERR_OK);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, &table.base, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_NEEDS_ACCOUNT);
	assert_string_equal(r.account, "agent");
	proof_reason(&r, reason, sizeof(reason));
	assert_non_null(strstr(reason, "agent"));
	assert_int_equal(authority_table_add(&table, "agent", &agent), KERR_OK);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, &table.base, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_NOT_AUTHORIZED);
	assert_int_equal(r.active.weight, 1);
	proof_reason(&r, reason, sizeof(reason));
	assert_string_equal(reason, "not proven: signatures do not reach the authority's threshold "
	                            "(weight 1 of 2)");
	tx_free(tx);

	/* signed by key 0 and agent's key: 2 of 3, proven */
	snprintf(json, sizeof(json), "%s,\"signatures\":[\"%s\",\"%s\"]}", body, sighex[0],
	         sighex[1]);
	assert_int_equal(tx_parse_json(json, strlen(json), p, &tx, NULL), KERR_OK);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, &table.base, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OK);
	assert_int_equal(r.form, TX_FORM_LEGACY);
	/* the old entry point agrees; without the table it fails closed */
	{
		enum proof_verdict v;
		enum tx_form form;

		assert_int_equal(proof_check(tx, &claim, &payer, NULL, &table.base, &v, &form),
		                 KERR_OK);
		assert_int_equal(v, PROOF_OK);
		assert_int_equal(proof_check(tx, &claim, &payer, NULL, NULL, &v, &form), KERR_OK);
		assert_int_equal(v, PROOF_NOT_AUTHORIZED);
	}
	tx_free(tx);
}

/* A Steem transaction of ops, signed with priv; its id into trx_id. */
static struct tx *signed_tx(const char *ops, const uint8_t priv[32], char trx_id[41])
{
	const struct chain_profile *p = chain_profile_get(SITE_CHAIN_STEEM);
	uint8_t digest[32], sig[65], id[TX_ID_LEN];
	char json[2048], sighex[131];
	struct tx *tx;

	snprintf(json, sizeof(json),
	         "{\"ref_block_num\":4660,\"ref_block_prefix\":305419896,\"expiration\":"
	         "\"2026-11-24T10:00:00\",\"operations\":[%s],\"extensions\":[]}",
	         ops);
	assert_int_equal(tx_parse_json(json, strlen(json), p, &tx, NULL), KERR_OK);
	assert_int_equal(tx_digest(tx, TX_FORM_LEGACY, digest), KERR_OK);
	assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
	hex_encode(id, sizeof(id), trx_id);
	tx_free(tx);
	assert_int_equal(sig_sign(priv, digest, NULL, sig), KERR_OK);
	hex_encode(sig, 65, sighex);
	snprintf(json, sizeof(json),
	         "{\"ref_block_num\":4660,\"ref_block_prefix\":305419896,\"expiration\":"
	         "\"2026-11-24T10:00:00\",\"operations\":[%s],\"extensions\":[],"
	         "\"signatures\":[\"%s\"]}",
	         ops, sighex);
	assert_int_equal(tx_parse_json(json, strlen(json), p, &tx, NULL), KERR_OK);
	return tx;
}

#define TOKEN_OP(auths, posting, id, payload)                                                      \
	"[\"custom_json\",{\"required_auths\":" auths ",\"required_posting_auths\":" posting       \
	",\"id\":\"" id                                                                            \
	"\",\"json\":\"{\\\"contractName\\\":\\\"tokens\\\",\\\"contractAction\\\":"               \
	"\\\"transfer\\\",\\\"contractPayload\\\":{" payload "}}\"}]"
#define SCT_TO_COOP                                                                                \
	"\\\"symbol\\\":\\\"SCT\\\",\\\"to\\\":\\\"coop\\\",\\\"quantity\\\":\\\"10.000\\\","      \
	"\\\"memo\\\":"                                                                            \
	"\\\"KP-7QK3\\\""

/*
 * A sidechain token transfer is proven by the same code as a transfer: the id
 * from its bytes, every field of the custom_json, the signer in required_auths
 * with its active keys. Each lie, and each form the kiosk must refuse, fails.
 */
static void test_a_token_transfer_is_proven_as_a_transfer_is(void **state)
{
	static const char *const refused_ops[] = {
	    /* the payer named in required_posting_auths (signed with the same key) */
	    TOKEN_OP("[]", "[\"payer\"]", "ssc-mainnet1", SCT_TO_COOP),
	    /* another sidechain's id */
	    TOKEN_OP("[\"payer\"]", "[]", "ssc-mainnet-hive", SCT_TO_COOP),
	    /* a chain transfer is not a token transfer */
	    ("[\"transfer\",{\"from\":\"payer\",\"to\":\"coop\",\"amount\":\"10.000 "
	     "STEEM\",\"memo\":\"KP-7QK3\"}]"),
	};
	uint8_t priv[32], other[32];
	struct authority payer = {.threshold = 1, .key_count = 1};
	struct proof_claim claim = {.op_index = 0,
	                            .from = "payer",
	                            .to = "coop",
	                            .memo = "KP-7QK3",
	                            .memo_len = 7,
	                            .token_id = "ssc-mainnet1"};
	struct proof_claim lie;
	struct proof_result r;
	struct tx *tx;

	(void)state;
	memset(priv, 0x21, sizeof(priv));
	memset(other, 0x22, sizeof(other));
	assert_int_equal(sig_public_key(priv, payer.keys[0].key), KERR_OK);
	payer.keys[0].weight = 1;
	/* 10.000 SCT read at the sidechain's widest precision: 10 * 10^8 units. */
	assert_int_equal(asset_token("SCT", 8, 1000000000, &claim.amount), KERR_OK);
	tx = signed_tx(TOKEN_OP("[\"payer\"]", "[]", "ssc-mainnet1", SCT_TO_COOP), priv,
	               claim.trx_id);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OK);
	/* At the token's own precision too; not at one too narrow for "10.000". */
	lie = claim;
	assert_int_equal(asset_token("SCT", 3, 10000, &lie.amount), KERR_OK);
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OK);
	assert_int_equal(asset_token("SCT", 2, 1000, &lie.amount), KERR_OK);
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	/* Every field a node could change. */
	lie = claim;
	lie.amount.amount++;
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	assert_int_equal(asset_token("PAL", 8, 1000000000, &lie.amount), KERR_OK);
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	lie.to = "mallory";
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	lie.from = "mallory";
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	lie.memo = "KP-7QK4";
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	lie.token_id = "ssc-mainnet-hive";
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	/* The custom_json claimed as a chain transfer is no transfer. */
	lie = claim;
	lie.token_id = NULL;
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_OP_MISMATCH);
	lie = claim;
	lie.trx_id[0] = lie.trx_id[0] == '0' ? '1' : '0';
	assert_int_equal(proof_check_full(tx, &lie, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_ID_MISMATCH);
	tx_free(tx);
	/* Signed by a key that is not the payer's active one (e.g. its posting key). */
	tx = signed_tx(TOKEN_OP("[\"payer\"]", "[]", "ssc-mainnet1", SCT_TO_COOP), other,
	               claim.trx_id);
	assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, NULL, &r), KERR_OK);
	assert_int_equal(r.verdict, PROOF_NOT_AUTHORIZED);
	tx_free(tx);
	for (size_t i = 0; i < ARRAY_SIZE(refused_ops); i++) {
		tx = signed_tx(refused_ops[i], priv, claim.trx_id);
		assert_int_equal(proof_check_full(tx, &claim, &payer, NULL, NULL, &r), KERR_OK);
		if (r.verdict != PROOF_OP_MISMATCH)
			fail_msg("case %zu: %s", i, proof_verdict_str(r.verdict));
		tx_free(tx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_real_transfer_is_proven),
	    cmocka_unit_test(test_every_lie_is_caught),
	    cmocka_unit_test(test_tampered_transactions_from_a_consistent_liar),
	    cmocka_unit_test(test_mixed_transaction_from_a_multisig_account_payer),
	    cmocka_unit_test(test_a_token_transfer_is_proven_as_a_transfer_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
