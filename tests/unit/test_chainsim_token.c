/*
 * Token transfers on the chain simulator: a custom_json in a real signed
 * transaction, served by get_transaction, get_block and the sender's
 * history (not the receiver's) in the shapes the nodes send, with the id of
 * each chain's sidechain, and the variants a kiosk must refuse (posting
 * key, another id, not alone in its transaction).
 */
#include "chainsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/chain.h"
#include "kiosk/hex.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kiosk/token.h"
#include "kiosk/tx.h"
#include "simhttp.h"
#include "testutil.h"

struct fx {
	struct simhttp h;
	enum site_chain chain;
};

static int start(void **state, enum site_chain chain)
{
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	f->chain = chain;
	return simhttp_start(&f->h, chain);
}

static int setup_steem(void **state)
{
	return start(state, SITE_CHAIN_STEEM);
}

static int setup_hive(void **state)
{
	return start(state, SITE_CHAIN_HIVE);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	simhttp_stop(&f->h);
	free(f);
	return 0;
}

/* The result of one call (the caller frees the reply it returns in *reply). */
static json_t *call(struct fx *f, const char *method, const char *params, json_t **reply)
{
	struct simhttp_reply res = {0};
	char body[512];
	json_error_t jerr;

	snprintf(body, sizeof(body),
	         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}", method, params);
	simhttp_post(&f->h, NULL, body, NULL, 1 << 20, &res);
	assert_int_equal(res.err, KERR_OK);
	assert_int_equal(res.status, 200);
	*reply = json_loadb(res.body, res.len, 0, &jerr);
	assert_non_null(*reply);
	simhttp_reply_free(&res);
	return json_object_get(*reply, "result");
}

static json_t *get_transaction(struct fx *f, const char *id, json_t **reply)
{
	char params[64];

	snprintf(params, sizeof(params), "[\"%s\"]", id);
	return call(f, "condenser_api.get_transaction", params, reply);
}

/* Enough blocks after the transaction's that its history is served. */
static void make_irreversible(struct fx *f)
{
	unsigned n = f->chain == SITE_CHAIN_STEEM ? CHAINSIM_LIB_LAG_STEEM : CHAINSIM_LIB_LAG_HIVE;

	for (unsigned i = 0; i <= n; i++)
		chainsim_produce(f->h.sim);
}

/* The public key that signed the served transaction tx. */
static void signer(struct fx *f, json_t *tx, uint8_t pub[SIG_PUBKEY_LEN], char idhex[41])
{
	const struct chain_profile *p = chain_profile_get(f->chain);
	uint8_t digest[SIG_DIGEST_LEN], sig[SIG_LEN], id[TX_ID_LEN];
	const char *sighex =
	    json_string_value(json_array_get(json_object_get(tx, "signatures"), 0));
	struct tx *t;
	json_t *copy = json_deep_copy(tx);
	char *text;

	/* As a kiosk reads it: the node's extra members are not part of the transaction. */
	json_object_del(copy, "block_num");
	json_object_del(copy, "transaction_id");
	json_object_del(copy, "transaction_num");
	text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	assert_int_equal(tx_parse_json(text, strlen(text), p, &t, NULL), KERR_OK);
	free(text);
	assert_int_equal(tx_digest(t, TX_FORM_LEGACY, digest), KERR_OK);
	assert_int_equal(tx_id(t, TX_FORM_LEGACY, id), KERR_OK);
	tx_free(t);
	hex_encode(id, TX_ID_LEN, idhex);
	assert_non_null(sighex);
	assert_int_equal(hex_decode(sighex, strlen(sighex), sig, sizeof(sig), NULL), KERR_OK);
	assert_int_equal(sig_recover(digest, sig, SIG_LEN, pub, NULL), KERR_OK);
}

static void login_pub(const char *acct, const char *role, uint8_t pub[SIG_PUBKEY_LEN])
{
	uint8_t priv[SIG_PRIVKEY_LEN];

	key_from_login(acct, role, "chainsim", priv);
	assert_int_equal(sig_public_key(priv, pub), KERR_OK);
}

static void test_a_token_transfer_is_a_custom_json_signed_with_the_active_key(void **state)
{
	struct fx *f = *state;
	char id[41], recomputed[41];
	unsigned op_index = 9;
	json_t *reply, *tx, *op, *body;
	uint8_t pub[SIG_PUBKEY_LEN], active[SIG_PUBKEY_LEN];
	struct token_transfer t;
	const char *why = NULL;
	char *op_text;

	assert_int_equal(chainsim_token_transfer(f->h.sim, "alice", "coop", "SCT", "10.000",
	                                         "KP-7QK3", CHAINSIM_TOKEN_ACTIVE, id, &op_index),
	                 KERR_OK);
	assert_int_equal(strlen(id), 40);
	assert_int_equal(op_index, 0);
	chainsim_produce(f->h.sim);
	tx = get_transaction(f, id, &reply);
	assert_non_null(tx);
	assert_int_equal(json_array_size(json_object_get(tx, "operations")), 1);
	op = json_array_get(json_object_get(tx, "operations"), 0);
	assert_string_equal(json_string_value(json_array_get(op, 0)), "custom_json");
	body = json_array_get(op, 1);
	assert_string_equal(json_string_value(json_object_get(body, "id")),
	                    token_sidechain_id(f->chain));
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(body, "required_auths"), 0)), "alice");
	assert_int_equal(json_array_size(json_object_get(body, "required_posting_auths")), 0);
	/* The kiosk's own reader takes it as the transfer it is. */
	op_text = json_dumps(body, JSON_COMPACT);
	assert_int_equal(token_transfer_parse_op(f->chain, op_text, strlen(op_text), 3, &t, &why),
	                 KERR_OK);
	free(op_text);
	assert_string_equal(t.from, "alice");
	assert_string_equal(t.to, "coop");
	assert_string_equal(t.symbol, "SCT");
	assert_int_equal(t.quantity, 10000);
	assert_string_equal(t.memo, "KP-7QK3");
	/* Its bytes hash to its id and its signature is alice's active key. */
	signer(f, tx, pub, recomputed);
	assert_string_equal(recomputed, id);
	login_pub("alice", "active", active);
	assert_memory_equal(pub, active, SIG_PUBKEY_LEN);
	json_decref(reply);
}

static void test_history_lists_it_for_the_sender_only(void **state)
{
	struct fx *f = *state;
	char id[41];
	unsigned op_index;
	json_t *reply, *res, *e;

	assert_int_equal(chainsim_token_transfer(f->h.sim, "alice", "coop", "SCT", "1.5", NULL,
	                                         CHAINSIM_TOKEN_ACTIVE, id, &op_index),
	                 KERR_OK);
	make_irreversible(f);
	res = call(f, "condenser_api.get_account_history", "[\"alice\",-1,100]", &reply);
	assert_int_equal(json_array_size(res), 1);
	e = json_array_get(json_array_get(res, 0), 1);
	assert_string_equal(json_string_value(json_object_get(e, "trx_id")), id);
	assert_int_equal(json_integer_value(json_object_get(e, "op_in_trx")), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(e, "op"), 0)),
	                    "custom_json");
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_array_get(json_object_get(e, "op"), 1), "json")),
	    "\"quantity\":\"1.5\""));
	json_decref(reply);
	/* The receiver is in the json, not among the operation's impacted accounts. */
	res = call(f, "condenser_api.get_account_history", "[\"coop\",-1,100]", &reply);
	assert_true(json_is_array(res));
	assert_int_equal(json_array_size(res), 0);
	json_decref(reply);
}

static void test_get_block_serves_it_with_its_id(void **state)
{
	struct fx *f = *state;
	char id[41], params[16];
	unsigned op_index;
	json_t *reply, *block;

	chainsim_produce(f->h.sim);
	assert_int_equal(chainsim_token_transfer(f->h.sim, "alice", "coop", "SCT", "2.000", "M",
	                                         CHAINSIM_TOKEN_ACTIVE, id, &op_index),
	                 KERR_OK);
	chainsim_produce(f->h.sim);
	snprintf(params, sizeof(params), "[%u]", chainsim_head(f->h.sim));
	block = call(f, "condenser_api.get_block", params, &reply);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(block, "transaction_ids"), 0)), id);
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_array_get(
	            json_object_get(json_array_get(json_object_get(block, "transactions"), 0),
	                            "operations"),
	            0),
	        0)),
	    "custom_json");
	json_decref(reply);
}

static void test_a_posting_signed_transfer_is_refused_by_the_kiosks_reader(void **state)
{
	struct fx *f = *state;
	char id[41], recomputed[41], *op_text;
	unsigned op_index;
	json_t *reply, *tx, *body;
	uint8_t pub[SIG_PUBKEY_LEN], posting[SIG_PUBKEY_LEN];
	struct token_transfer t;
	const char *why = NULL;

	assert_int_equal(chainsim_token_transfer(f->h.sim, "alice", "coop", "SCT", "10.000", "M",
	                                         CHAINSIM_TOKEN_POSTING, id, &op_index),
	                 KERR_OK);
	chainsim_produce(f->h.sim);
	tx = get_transaction(f, id, &reply);
	body = json_array_get(json_array_get(json_object_get(tx, "operations"), 0), 1);
	assert_int_equal(json_array_size(json_object_get(body, "required_auths")), 0);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(body, "required_posting_auths"), 0)),
	    "alice");
	op_text = json_dumps(body, JSON_COMPACT);
	assert_int_not_equal(
	    token_transfer_parse_op(f->chain, op_text, strlen(op_text), 3, &t, &why), KERR_OK);
	assert_non_null(why);
	free(op_text);
	signer(f, tx, pub, recomputed);
	assert_string_equal(recomputed, id);
	login_pub("alice", "posting", posting);
	assert_memory_equal(pub, posting, SIG_PUBKEY_LEN);
	json_decref(reply);
	/* get_accounts serves the posting key that signed it, as its own authority. */
	body = call(f, "condenser_api.get_accounts", "[[\"alice\"]]", &reply);
	assert_non_null(json_object_get(json_array_get(body, 0), "posting"));
	json_decref(reply);
}

static void test_another_id_and_a_second_operation(void **state)
{
	struct fx *f = *state;
	char id[41], id2[41], *op_text;
	unsigned op_index, op_index2;
	json_t *reply, *tx, *ops;
	struct token_transfer t;
	const char *why = NULL;

	assert_int_equal(chainsim_token_transfer(f->h.sim, "alice", "coop", "SCT", "10.000", "M",
	                                         CHAINSIM_TOKEN_OTHER_ID, id, &op_index),
	                 KERR_OK);
	assert_int_equal(chainsim_token_transfer(f->h.sim, "bob", "coop", "SCT", "3.000", "N",
	                                         CHAINSIM_TOKEN_SECOND_OP, id2, &op_index2),
	                 KERR_OK);
	assert_int_equal(op_index2, 1);
	assert_string_not_equal(id, id2);
	chainsim_produce(f->h.sim);
	tx = get_transaction(f, id, &reply);
	op_text = json_dumps(
	    json_array_get(json_array_get(json_object_get(tx, "operations"), 0), 1), JSON_COMPACT);
	assert_int_not_equal(
	    token_transfer_parse_op(f->chain, op_text, strlen(op_text), 3, &t, &why), KERR_OK);
	assert_string_equal(why, "the custom_json id is not this chain's sidechain");
	free(op_text);
	json_decref(reply);
	tx = get_transaction(f, id2, &reply);
	ops = json_object_get(tx, "operations");
	assert_int_equal(json_array_size(ops), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_array_get(ops, 0), 1), "id")),
	    CHAINSIM_TOKEN_NOTE_ID);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_array_get(ops, 1), 1), "id")),
	    token_sidechain_id(f->chain));
	json_decref(reply);
	make_irreversible(f);
	/* bob's history has both operations of the transaction, numbered in it. */
	ops = call(f, "condenser_api.get_account_history", "[\"bob\",-1,100]", &reply);
	assert_int_equal(json_array_size(ops), 2);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(json_array_get(ops, 1), 1), "op_in_trx")),
	                 1);
	json_decref(reply);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_a_token_transfer_is_a_custom_json_signed_with_the_active_key, setup_steem,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_token_transfer_is_a_custom_json_signed_with_the_active_key, setup_hive,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_history_lists_it_for_the_sender_only, setup_steem,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_history_lists_it_for_the_sender_only, setup_hive,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_get_block_serves_it_with_its_id, setup_hive,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_posting_signed_transfer_is_refused_by_the_kiosks_reader, setup_steem,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_another_id_and_a_second_operation, setup_steem,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
