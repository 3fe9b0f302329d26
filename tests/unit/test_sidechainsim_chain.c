/*
 * The sidechain simulator executing what the chain simulator carries: a
 * token transfer on the chain runs on the sidechain two chain blocks later
 * with balances, the tokens contract's refusals in its words, the txid rule
 * for an operation that is not alone, and the node faults still applied.
 * Replies are read with the kiosk's own parser (sidechain.h).
 */
#include "sidechainsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainsim.h"
#include "kiosk/sidechain.h"
#include "scsimfx.h"
#include "testutil.h"

struct fx {
	struct scsimfx x;
	struct chainsim *chain;
};

static int start(void **state, enum site_chain chain)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct chainsim_config cc = {.chain = chain};

	*state = f;
	if (!f || scsimfx_start_chain(&f->x, 2, 1, chain))
		return -1;
	cc.dir = f->x.dir;
	if (chainsim_start(&cc, &f->chain))
		return -1;
	sidechainsim_follow(f->x.sim, f->chain);
	if (sidechainsim_token(f->x.sim, "SCT", 3) ||
	    sidechainsim_balance_set(f->x.sim, "alice", "SCT", "100"))
		return -1;
	return 0;
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

	/* The chain first: it feeds the sidechain. */
	chainsim_stop(f->chain);
	scsimfx_stop(&f->x);
	free(f);
	return 0;
}

/* getTransactionInfo of txid on node, read at precision 3. */
static void tx_info(struct fx *f, unsigned node, const char *txid, struct sidechain_outcome *o)
{
	struct simhttp_reply r = {0};
	char body[256];
	const char *why = NULL;

	snprintf(body, sizeof(body),
	         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getTransactionInfo\",\"params\":{"
	         "\"txid\":\"%s\"}}",
	         txid);
	scsimfx_post(&f->x, node, "/blockchain", body, &r);
	assert_int_equal(r.err, KERR_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(sidechain_parse_tx_info(r.body, r.len, 3, o, &why), KERR_OK);
	simhttp_reply_free(&r);
}

static void expect_balance(struct fx *f, const char *account, const char *want)
{
	char got[40];

	assert_int_equal(sidechainsim_balance(f->x.sim, account, "SCT", got, sizeof(got)), KERR_OK);
	assert_string_equal(got, want);
}

/* A token transfer in the next chain block, and that block made. */
static void send_token(struct fx *f, const char *from, const char *quantity,
                       enum chainsim_token_style style, char id[41])
{
	unsigned op_index;

	assert_int_equal(chainsim_token_transfer(f->chain, from, "coop", "SCT", quantity, "KP-1",
	                                         style, id, &op_index),
	                 KERR_OK);
	chainsim_produce(f->chain);
}

static void test_a_transfer_executes_two_blocks_later_and_moves_balances(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;
	char id[41];

	send_token(f, "alice", "10.000", CHAINSIM_TOKEN_ACTIVE, id);
	chainsim_produce(f->chain);
	tx_info(f, 0, id, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	expect_balance(f, "alice", "100.000");
	chainsim_produce(f->chain);
	for (unsigned node = 0; node < 2; node++) {
		tx_info(f, node, id, &o);
		assert_int_equal(o.state, SIDECHAIN_EXECUTED);
		assert_string_equal(o.txid, id);
		assert_string_equal(o.transfer.from, "alice");
		assert_string_equal(o.transfer.to, "coop");
		assert_int_equal(o.transfer.quantity, 10000);
		assert_string_equal(o.transfer.memo, "KP-1");
	}
	expect_balance(f, "alice", "90.000");
	expect_balance(f, "coop", "10.000");
}

static void test_an_overdrawn_transfer_fails_with_the_contracts_words(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;
	char id[41];

	send_token(f, "alice", "100.001", CHAINSIM_TOKEN_ACTIVE, id);
	chainsim_produce(f->chain);
	chainsim_produce(f->chain);
	tx_info(f, 1, id, &o);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "overdrawn balance");
	expect_balance(f, "alice", "100.000");
	expect_balance(f, "coop", "0.000");
	/* One without any balance of the token is told so. */
	send_token(f, "bob", "1", CHAINSIM_TOKEN_ACTIVE, id);
	chainsim_produce(f->chain);
	chainsim_produce(f->chain);
	tx_info(f, 0, id, &o);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "balance does not exist");
}

static void test_too_many_decimals_and_a_posting_key_are_refused(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;
	char decimals[41], posting[41];

	send_token(f, "alice", "1.0001", CHAINSIM_TOKEN_ACTIVE, decimals);
	send_token(f, "alice", "1.000", CHAINSIM_TOKEN_POSTING, posting);
	chainsim_produce(f->chain);
	chainsim_produce(f->chain);
	tx_info(f, 0, decimals, &o);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "symbol precision mismatch");
	tx_info(f, 0, posting, &o);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "you must use a custom_json signed with your active key");
	expect_balance(f, "alice", "100.000");
}

static void test_a_second_operation_gets_a_suffix_and_another_id_is_ignored(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;
	char second[41], other[41], suffixed[48];

	send_token(f, "alice", "2.500", CHAINSIM_TOKEN_SECOND_OP, second);
	send_token(f, "alice", "3.000", CHAINSIM_TOKEN_OTHER_ID, other);
	chainsim_produce(f->chain);
	chainsim_produce(f->chain);
	tx_info(f, 0, second, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	snprintf(suffixed, sizeof(suffixed), "%s-1", second);
	tx_info(f, 0, suffixed, &o);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_int_equal(o.transfer.quantity, 2500);
	tx_info(f, 0, other, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	expect_balance(f, "alice", "97.500");
}

static void test_faults_still_apply_to_executed_transfers(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;
	char id[41];
	struct simhttp_reply r = {0};

	sidechainsim_node_fault(f->x.sim, 0, SIDECHAINSIM_LIE, true);
	sidechainsim_node_fault(f->x.sim, 1, SIDECHAINSIM_LAG, true);
	send_token(f, "alice", "500.000", CHAINSIM_TOKEN_ACTIVE, id);
	chainsim_produce(f->chain);
	chainsim_produce(f->chain);
	/* The liar tells a refused transfer as executed; the lagging node knows nothing yet. */
	tx_info(f, 0, id, &o);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	tx_info(f, 1, id, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	sidechainsim_node_fault(f->x.sim, 0, SIDECHAINSIM_LIE, false);
	tx_info(f, 0, id, &o);
	assert_int_equal(o.state, SIDECHAIN_FAILED);
	assert_string_equal(o.error, "overdrawn balance");
	sidechainsim_node_fault(f->x.sim, 0, SIDECHAINSIM_DOWN, true);
	scsimfx_post(&f->x, 0, "/blockchain", "{}", &r);
	assert_int_not_equal(r.err, KERR_OK);
	simhttp_reply_free(&r);
}

static void test_a_padded_receiver_executes_as_the_contract_trims_it(void **state)
{
	struct fx *f = *state;
	struct simhttp_reply r = {0};
	struct sidechain_outcome o;
	const char *why = NULL;
	char id[41], body[256];
	unsigned op_index;

	/* tokens.js transfers to to.trim(): the tokens move, and the event names "coop"
	 * while the payload keeps " coop", which the kiosk's reader refuses. */
	assert_int_equal(chainsim_token_transfer(f->chain, "alice", " coop", "SCT", "1.000", "M",
	                                         CHAINSIM_TOKEN_ACTIVE, id, &op_index),
	                 KERR_OK);
	for (unsigned i = 0; i < 3; i++)
		chainsim_produce(f->chain);
	expect_balance(f, "coop", "1.000");
	snprintf(body, sizeof(body),
	         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getTransactionInfo\",\"params\":{"
	         "\"txid\":\"%s\"}}",
	         id);
	scsimfx_post(&f->x, 0, "/blockchain", body, &r);
	assert_non_null(strstr(r.body, "\\\"to\\\":\\\" coop\\\""));
	assert_int_not_equal(sidechain_parse_tx_info(r.body, r.len, 3, &o, &why), KERR_OK);
	simhttp_reply_free(&r);
}

/* A block as get_block serves it, with one transaction of one custom_json whose json is an
 * array of two transfers. */
#define BATCH_ID "00000000000000000000000000000000000000ab"
#define BATCH_BLOCK(n)                                                                             \
	"{\"transaction_ids\":[\"" BATCH_ID                                                        \
	"\"],\"transactions\":[{\"operations\":[[\"custom_json\","                                 \
	"{\"required_auths\":[\"alice\"],\"required_posting_auths\":[],\"id\":\"ssc-mainnet1\","   \
	"\"json\":\"[{\\\"contractName\\\":\\\"tokens\\\",\\\"contractAction\\\":"                 \
	"\\\"transfer\\\","                                                                        \
	"\\\"contractPayload\\\":{\\\"symbol\\\":\\\"SCT\\\",\\\"to\\\":\\\"coop\\\","             \
	"\\\"quantity\\\":"                                                                        \
	"\\\"1\\\"}},{\\\"contractName\\\":\\\"tokens\\\",\\\"contractAction\\\":"                 \
	"\\\"transfer\\\","                                                                        \
	"\\\"contractPayload\\\":{\\\"symbol\\\":\\\"SCT\\\",\\\"to\\\":\\\"bob\\\","              \
	"\\\"quantity\\\":"                                                                        \
	"\\\"2.5\\\"}}]\"}]]}]," n "}"

static void test_an_array_of_actions_gets_one_txid_each(void **state)
{
	struct fx *f = *state;
	struct sidechain_outcome o;

	sidechainsim_feed(f->x.sim, 900, BATCH_BLOCK("\"block_id\":\"x\""));
	sidechainsim_feed(f->x.sim, 901, "{\"transactions\":[],\"transaction_ids\":[]}");
	tx_info(f, 0, BATCH_ID, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	sidechainsim_feed(f->x.sim, 902, "{\"transactions\":[],\"transaction_ids\":[]}");
	tx_info(f, 0, BATCH_ID "-0", &o);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_int_equal(o.transfer.quantity, 1000);
	tx_info(f, 1, BATCH_ID "-1", &o);
	assert_int_equal(o.state, SIDECHAIN_EXECUTED);
	assert_string_equal(o.transfer.to, "bob");
	assert_int_equal(o.transfer.quantity, 2500);
	tx_info(f, 0, BATCH_ID, &o);
	assert_int_equal(o.state, SIDECHAIN_NOT_FOUND);
	expect_balance(f, "alice", "96.500");
	expect_balance(f, "coop", "1.000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_a_transfer_executes_two_blocks_later_and_moves_balances, setup_steem,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_transfer_executes_two_blocks_later_and_moves_balances, setup_hive, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_an_overdrawn_transfer_fails_with_the_contracts_words, setup_steem, teardown),
	    cmocka_unit_test_setup_teardown(test_too_many_decimals_and_a_posting_key_are_refused,
	                                    setup_hive, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_second_operation_gets_a_suffix_and_another_id_is_ignored, setup_steem,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_faults_still_apply_to_executed_transfers,
	                                    setup_steem, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_padded_receiver_executes_as_the_contract_trims_it, setup_steem, teardown),
	    cmocka_unit_test_setup_teardown(test_an_array_of_actions_gets_one_txid_each,
	                                    setup_steem, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
