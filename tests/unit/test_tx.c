/* Transactions: every vector's bytes, id and digest (both Hive forms), every
 * real transaction's id, and the malformed shapes refused. */
#include "kiosk/tx.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "testutil.h"

static const struct chain_profile *profile_of(const char *chain)
{
	return chain_profile_get(strcmp(chain, "hive") == 0 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM);
}

static void check_form(const struct tx *tx, enum tx_form form, const json_t *want, const char *name)
{
	uint8_t buf[TX_MAX_BYTES], id[TX_ID_LEN], digest[32];
	char hex[2 * TX_MAX_BYTES + 1];
	size_t len;

	assert_int_equal(tx_serialize(tx, form, buf, sizeof(buf), &len), KERR_OK);
	hex_encode(buf, len, hex);
	if (strcmp(hex, json_string_value(json_object_get(want, "serialized_hex"))) != 0)
		fail_msg("%s form %d: bytes differ\n got %s\nwant %s", name, form, hex,
		         json_string_value(json_object_get(want, "serialized_hex")));
	assert_int_equal(tx_id(tx, form, id), KERR_OK);
	hex_encode(id, sizeof(id), hex);
	assert_string_equal(hex, json_string_value(json_object_get(want, "trx_id")));
	assert_int_equal(tx_digest(tx, form, digest), KERR_OK);
	hex_encode(digest, sizeof(digest), hex);
	assert_string_equal(hex, json_string_value(json_object_get(want, "digest_hex")));
}

static struct tx *parse_or_fail(json_t *j, const struct chain_profile *p, const char *name)
{
	struct tx *tx;
	const char *why = NULL;
	enum kerr err = tx_from_json(j, p, &tx, &why);

	if (err)
		fail_msg("%s: %s (%s)", name, kerr_str(err), why ? why : "");
	return tx;
}

static void test_every_vector_serializes_to_its_bytes_id_and_digest(void **state)
{
	json_error_t jerr;
	json_t *all =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *v;
	size_t i, hf26 = 0;

	(void)state;
	assert_non_null(all);
	json_array_foreach(all, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		const struct chain_profile *p =
		    profile_of(json_string_value(json_object_get(v, "chain")));
		json_t *hf = json_object_get(v, "hf26");
		struct tx *tx = parse_or_fail(json_object_get(v, "tx"), p, name);
		struct tx *tx2 = parse_or_fail(json_object_get(v, "tx_appbase"), p, name);

		check_form(tx, TX_FORM_LEGACY, v, name);
		check_form(tx2, TX_FORM_LEGACY, v, name);
		if (hf) {
			check_form(tx, TX_FORM_HF26, hf, name);
			check_form(tx2, TX_FORM_HF26, hf, name);
			hf26++;
		} else {
			uint8_t buf[16];
			size_t len;

			assert_int_equal(tx_serialize(tx, TX_FORM_HF26, buf, sizeof(buf), &len),
			                 KERR_NOTSUP);
		}
		tx_free(tx);
		tx_free(tx2);
	}
	assert_true(i >= 168);
	assert_true(hf26 > 50);
	json_decref(all);
}

/* Signatures in the vectors recover to their signers; a Hive signature made
 * over one form verifies (and says which form). */
static void test_vector_signatures_recover_to_their_signers(void **state)
{
	json_error_t jerr;
	json_t *all =
	    json_load_file(fixture_path("vectors/transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *v;
	size_t i;

	(void)state;
	json_array_foreach(all, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		const struct chain_profile *p =
		    profile_of(json_string_value(json_object_get(v, "chain")));
		json_t *signers = json_object_get(v, "signers");
		json_t *forms[2] = {v, json_object_get(v, "hf26")};

		for (int f = 0; f < 2 && forms[f]; f++) {
			json_t *txj = json_deep_copy(json_object_get(v, "tx"));
			struct tx_verify_result r;
			struct tx *tx;

			json_object_set(txj, "signatures", json_object_get(forms[f], "signatures"));
			tx = parse_or_fail(txj, p, name);
			assert_int_equal(tx_verify(tx, &r), KERR_OK);
			assert_int_equal(r.nforms, forms[1] ? 2 : (p->has_hf26_form ? 2 : 1));
			assert_int_equal(r.form[f].err, KERR_OK);
			assert_int_equal(r.count, json_array_size(signers));
			for (size_t s = 0; s < r.count; s++) {
				char text[KEY_TEXT_MAX];

				assert_int_equal(
				    key_public_format(r.form[f].keys[s], "STM", text, sizeof(text)),
				    KERR_OK);
				assert_string_equal(text,
				                    json_string_value(json_object_get(
				                        json_array_get(signers, s), "public_key")));
			}
			tx_free(tx);
			json_decref(txj);
		}
	}
	json_decref(all);
}

static void test_every_real_transaction_gets_its_real_id(void **state)
{
	json_error_t jerr;
	json_t *r =
	    json_load_file(fixture_path("chain/real-transactions.json"), JSON_ALLOW_NUL, &jerr);
	json_t *v;
	size_t i, n = 0;

	(void)state;
	assert_non_null(r);
	json_array_foreach(json_object_get(r, "transactions"), i, v)
	{
		const char *src = json_string_value(json_object_get(v, "source"));
		const struct chain_profile *p = chain_profile_get(
		    strncmp(src, "blocks/hive", 11) == 0 || strstr(src, "rpc/hive")
		        ? SITE_CHAIN_HIVE
		        : SITE_CHAIN_STEEM);
		json_t *served = json_object_get(v, "tx_as_served");
		struct tx *tx = parse_or_fail(served, p, src);
		struct tx_verify_result res;

		/* Blocks of 2016: signed before Hive existed, over Steem's chain id. */
		tx_set_block_time(tx, tx_expiration(tx));
		uint8_t id[TX_ID_LEN];
		char hex[41];

		assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
		hex_encode(id, sizeof(id), hex);
		assert_string_equal(hex, json_string_value(json_object_get(v, "trx_id")));
		assert_int_equal(tx_verify(tx, &res), KERR_OK);
		for (size_t s = 0; s < res.count; s++) {
			char text[KEY_TEXT_MAX];

			assert_int_equal(key_public_format(res.form[TX_FORM_LEGACY].keys[s], "STM",
			                                   text, sizeof(text)),
			                 KERR_OK);
			assert_string_equal(text,
			                    json_string_value(json_array_get(
			                        json_object_get(v, "recovered_public_keys"), s)));
		}
		tx_free(tx);
		n++;
	}
	assert_int_equal(n, 37);
	json_decref(r);
}

static void test_beem_wire_vectors(void **state)
{
	json_error_t jerr;
	json_t *b = json_load_file(fixture_path("chain/beem-wire-vectors.json"), 0, &jerr), *c;
	size_t i;

	(void)state;
	json_array_foreach(json_object_get(b, "cases"), i, c)
	{
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *txj = json_deep_copy(json_object_get(c, "tx"));
		json_t *sigs = json_array();
		struct tx_verify_result r;
		uint8_t buf[4096];
		char hex[8193];
		struct tx *tx;
		size_t len;

		json_array_append_new(sigs, json_incref(json_object_get(c, "signature")));
		json_object_set_new(txj, "signatures", sigs);
		tx = parse_or_fail(txj, chain_profile_get(SITE_CHAIN_STEEM), name);
		assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
		hex_encode(buf, len, hex);
		assert_string_equal(hex, json_string_value(json_object_get(c, "serialized_hex")));
		/* One case's recorded signature is for another transaction. */
		if (json_is_true(json_object_get(c, "signature_valid"))) {
			char text[KEY_TEXT_MAX];

			assert_int_equal(tx_verify(tx, &r), KERR_OK);
			assert_int_equal(
			    key_public_format(r.form[0].keys[0], "STM", text, sizeof(text)),
			    KERR_OK);
			assert_string_equal(
			    text, json_string_value(json_object_get(b, "signer_public_key")));
		} else {
			char text[KEY_TEXT_MAX] = "";

			if (tx_verify(tx, &r) == KERR_OK)
				assert_int_equal(
				    key_public_format(r.form[0].keys[0], "STM", text, sizeof(text)),
				    KERR_OK);
			assert_string_not_equal(
			    text, json_string_value(json_object_get(b, "signer_public_key")));
		}
		tx_free(tx);
		json_decref(txj);
	}
	json_decref(b);
}

static void test_dsteem_operation_case(void **state)
{
	static const char op[] =
	    "{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"1970-01-01T00:00:00\","
	    "\"operations\":[[\"transfer\",{\"from\":\"foo\",\"to\":\"bar\",\"amount\":\"1.000 "
	    "STEEM\","
	    "\"memo\":\"wedding present\"}]],\"extensions\":[]}";
	/* dsteem-serializer-tests.json "Operation": the op bytes after the header. */
	static const char want[] =
	    "0203666f6f03626172e80300000000000003535445454d00000f77656464696e672070726573656e74";
	struct tx *tx;
	uint8_t buf[256];
	char hex[513];
	size_t len;

	(void)state;
	assert_int_equal(
	    tx_parse_json(op, strlen(op), chain_profile_get(SITE_CHAIN_STEEM), &tx, NULL), KERR_OK);
	assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
	/* header 10 bytes, op count 1 byte, then the operation, then 1 extension byte */
	hex_encode(buf + 11, len - 12, hex);
	assert_string_equal(hex, want);
	tx_free(tx);
}

static void test_transfer_accessor_keeps_nul_in_memo(void **state)
{
	static const char j[] =
	    "{\"ref_block_num\":1,\"ref_block_prefix\":2,\"expiration\":\"2026-11-24T10:00:00\","
	    "\"operations\":[{\"type\":\"transfer_operation\",\"value\":{\"from\":\"alice\",\"to\":"
	    "\"coop\","
	    "\"amount\":{\"amount\":\"7250\",\"precision\":3,\"nai\":\"@@000000021\"},"
	    "\"memo\":\"KP-1\\u0000x\"}}],\"extensions\":[]}";
	struct tx_transfer t;
	struct tx *tx;

	(void)state;
	assert_int_equal(tx_parse_json(j, strlen(j), chain_profile_get(SITE_CHAIN_HIVE), &tx, NULL),
	                 KERR_OK);
	assert_int_equal(tx_transfer_at(tx, 0, &t), KERR_OK);
	assert_string_equal(t.from, "alice");
	assert_int_equal(t.amount.amount, 7250);
	assert_string_equal(t.amount.symbol, "HIVE");
	assert_int_equal(t.memo_len, 6);
	assert_memory_equal(t.memo, "KP-1\0x", 6);
	assert_int_equal(tx_transfer_at(tx, 1, &t), KERR_INVAL);
	assert_int_equal(tx_verify(tx, &(struct tx_verify_result){0}), KERR_INVAL);
	tx_free(tx);
}

static void test_malformed_and_unsupported_are_refused(void **state)
{
	static const struct {
		const char *json;
		enum kerr want;
	} bad[] = {
	    {"[]", KERR_PARSE},
	    {"{\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\",\"operations\":[]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":70000,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:"
	     "06\",\"operations\":[]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2038-01-19T03:14:08\","
	     "\"operations\":[]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-02-30T00:00:00\","
	     "\"operations\":[]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"pow\",{}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"steal_funds\",{}]]}",
	     KERR_NOTSUP},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"fill_order\",{}]]}",
	     KERR_NOTSUP},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"recurrent_transfer\",{}]]}",
	     KERR_NOTSUP},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":\"-1.000 "
	     "STEEM\",\"memo\":\"\"}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.000 "
	     "HIVE\",\"memo\":\"\"}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":1000,\"memo\":"
	     "\"\"}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.000 "
	     "STEEM\"}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"vote\",{\"voter\":\"a\",\"author\":\"b\",\"permlink\":\"c\","
	     "\"weight\":40000}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[],\"extensions\":[\"x\"]}",
	     KERR_NOTSUP},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[],\"signatures\":[\"abcd\"]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-09-27T22:59:06\","
	     "\"operations\":[[\"custom_json\",{\"required_auths\":[\"a\",\"a\"],\"required_"
	     "posting_auths\":[],\"id\":\"x\",\"json\":\"{}\"}]]}",
	     KERR_PARSE},
	    {"{\"ref_block_num\":0,\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":"
	     "\"2019-09-27T22:59:06\",\"operations\":[]}",
	     KERR_PARSE},
	    {"not json", KERR_PARSE},
	};
	const struct chain_profile *p = chain_profile_get(SITE_CHAIN_STEEM);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tx *tx = (struct tx *)1;
		const char *why = NULL;
		enum kerr err = tx_parse_json(bad[i].json, strlen(bad[i].json), p, &tx, &why);

		if (err != bad[i].want)
			fail_msg("case %zu: got %s want %s", i, kerr_str(err),
			         kerr_str(bad[i].want));
		assert_null(tx);
		assert_non_null(why);
	}
}

static void test_oversize_memo_and_too_many_operations_are_refused(void **state)
{
	char *big = malloc(3000 + 300), *p;
	const struct chain_profile *prof = chain_profile_get(SITE_CHAIN_STEEM);
	struct tx *tx;
	json_t *j, *opsj;

	(void)state;
	p = big + sprintf(big, "{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":\"2019-"
	                       "09-27T22:59:06\","
	                       "\"operations\":[[\"transfer\",{\"from\":\"a\",\"to\":\"b\","
	                       "\"amount\":\"1.000 STEEM\",\"memo\":\"");
	memset(p, 'x', 2048);
	strcpy(p + 2048, "\"}]]}");
	assert_int_equal(tx_parse_json(big, strlen(big), prof, &tx, NULL), KERR_PARSE);
	/* 2047 bytes is the longest memo the chain takes. */
	memmove(p + 2047, p + 2048, strlen(p + 2048) + 1);
	assert_int_equal(tx_parse_json(big, strlen(big), prof, &tx, NULL), KERR_OK);
	tx_free(tx);
	free(big);

	j = json_pack("{s:i,s:i,s:s,s:[]}", "ref_block_num", 0, "ref_block_prefix", 0, "expiration",
	              "2019-09-27T22:59:06", "operations");
	opsj = json_object_get(j, "operations");
	for (int i = 0; i <= TX_OPS_MAX; i++)
		json_array_append_new(opsj, json_pack("[s,{s:s,s:s,s:s,s:i}]", "vote", "voter", "a",
		                                      "author", "b", "permlink", "c", "weight", 1));
	assert_int_equal(tx_from_json(j, prof, &tx, NULL), KERR_PARSE);
	json_decref(j);
}

/* What a lying node would serve: changed amount or memo, original signature. */
static void test_tampered_transactions_never_recover_to_the_payer(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/signatures-must-fail.json"),
	                             JSON_ALLOW_NUL, &jerr);
	json_t *c;
	size_t i, n = 0;

	(void)state;
	assert_non_null(all);
	json_array_foreach(all, i, c)
	{
		json_t *txj = json_object_get(c, "tx"), *copy, *sigs;
		struct tx_verify_result r;
		struct tx *tx;
		uint8_t want[33];

		if (!txj)
			continue;
		copy = json_deep_copy(txj);
		sigs = json_array();
		json_array_append(sigs, json_object_get(c, "signature"));
		json_object_set_new(copy, "signatures", sigs);
		tx = parse_or_fail(copy, profile_of(json_string_value(json_object_get(c, "chain"))),
		                   json_string_value(json_object_get(c, "name")));
		assert_int_equal(
		    key_public_parse(json_string_value(json_object_get(c, "expected_public_key")),
		                     "STM", want, NULL),
		    KERR_OK);
		if (tx_verify(tx, &r) == KERR_OK)
			for (unsigned f = 0; f < r.nforms; f++)
				if (r.form[f].err == KERR_OK)
					assert_memory_not_equal(r.form[f].keys[0], want, 33);
		tx_free(tx);
		json_decref(copy);
		n++;
	}
	assert_true(n >= 7);
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_vector_serializes_to_its_bytes_id_and_digest),
	    cmocka_unit_test(test_vector_signatures_recover_to_their_signers),
	    cmocka_unit_test(test_every_real_transaction_gets_its_real_id),
	    cmocka_unit_test(test_beem_wire_vectors),
	    cmocka_unit_test(test_dsteem_operation_case),
	    cmocka_unit_test(test_transfer_accessor_keeps_nul_in_memo),
	    cmocka_unit_test(test_malformed_and_unsupported_are_refused),
	    cmocka_unit_test(test_oversize_memo_and_too_many_operations_are_refused),
	    cmocka_unit_test(test_tampered_transactions_never_recover_to_the_payer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
