/* Operations: every transaction of 1,000 real 2016 blocks, a 2017 Steem block
 * and a condenser-form block gets its node-reported id back; published
 * vectors of other implementations for the other operation types; the
 * shapes that must be refused. */
#include "kiosk/ops.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/hex.h"
#include "kiosk/tx.h"
#include "testutil.h"

static const struct chain_profile *steem(void)
{
	return chain_profile_get(SITE_CHAIN_STEEM);
}

static const struct chain_profile *hive(void)
{
	return chain_profile_get(SITE_CHAIN_HIVE);
}

static json_t *load(const char *rel)
{
	json_error_t jerr;
	json_t *j = json_load_file(fixture_path(rel), JSON_ALLOW_NUL, &jerr);

	if (!j)
		fail_msg("%s: %s", rel, jerr.text);
	return j;
}

/* Each transaction's legacy-form id must equal the id the block lists. */
static size_t check_block(const json_t *block, const struct chain_profile *p, size_t *ops_seen)
{
	const json_t *txs = json_object_get(block, "transactions");
	const json_t *ids = json_object_get(block, "transaction_ids");
	const json_t *t;
	size_t i;

	assert_true(json_is_array(txs));
	assert_int_equal(json_array_size(txs), json_array_size(ids));
	json_array_foreach(txs, i, t) {
		struct tx *tx;
		const char *why = NULL;
		uint8_t id[TX_ID_LEN];
		char hex[2 * TX_ID_LEN + 1];
		enum kerr err = tx_from_json(t, p, &tx, &why);

		if (err)
			fail_msg("block tx %zu: %s (%s)", i, kerr_str(err), why ? why : "");
		assert_int_equal(tx_id(tx, TX_FORM_LEGACY, id), KERR_OK);
		hex_encode(id, sizeof(id), hex);
		assert_string_equal(hex, json_string_value(json_array_get(ids, i)));
		*ops_seen += tx_op_count(tx);
		tx_free(tx);
	}
	return json_array_size(txs);
}

static void test_every_transaction_of_1000_real_blocks_gets_its_id(void **state)
{
	json_t *f = load("chain/blocks/hive-block_api.get_block_range-1000000-1000.json");
	const json_t *blocks = json_object_get(json_object_get(json_object_get(f, "response"), "result"),
	                                       "blocks");
	const json_t *b;
	size_t i, txs = 0, ops = 0;

	(void)state;
	assert_int_equal(json_array_size(blocks), 1000);
	json_array_foreach(blocks, i, b)
		txs += check_block(b, hive(), &ops);
	/* 49 pow, 13 feed_publish, ... : every one of them serialized */
	assert_int_equal(txs, 82);
	assert_int_equal(ops, 82);
	json_decref(f);
}

static void test_steem_2017_block_and_condenser_pow_block(void **state)
{
	json_t *s = load("chain/rpc/steem-block_api.get_block-12345678-2018.json");
	json_t *h = load("chain/rpc/hive-condenser_api.get_block-1092.json");
	size_t ops = 0;

	(void)state;
	/* [name, {...}] operations with ["amount", precision, "@@nai"] assets */
	assert_int_equal(check_block(json_object_get(json_object_get(json_object_get(s, "response"),
	                                                             "result"), "block"),
	                             steem(), &ops), 7);
	/* condenser form, four pow operations of March 2016 */
	assert_int_equal(check_block(json_object_get(json_object_get(h, "response"), "result"), hive(),
	                             &ops), 4);
	json_decref(s);
	json_decref(h);
}

/* holgern/beem tests/beembase/test_transactions.py (17679d6b): the signed
 * wire bytes of each case less the signature count and signature, all with
 * ref_block_num 34294, ref_block_prefix 3707022213, 2016-04-06T08:29:27.
 * Only the cases with text assets: beem writes NAI-array assets in a form
 * no chain uses. */
static const struct {
	const char *name, *op, *hex;
} beem[] = {
    {"account_create",
     "[\"account_create\",{\"creator\":\"xeroc\",\"fee\":\"10.000 STEEM\",\"json_metadata\":\"\","
     "\"memo_key\":\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",\"new_account_name\":\"fsafaasf\","
     "\"owner\":{\"account_auths\":[],\"key_auths\":[[\"STM5jYVokmZHdEpwo5oCG3ES2Ca4VYzy6tM8pWWkGdgVnwo2mFLFq\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1]],\"weight_threshold\":1},"
     "\"active\":{\"account_auths\":[],\"key_auths\":[[\"STM6pbVDAjRFiw6fkiKYCrkz7PFeL7XNAfefrsREwg8MKpJ9VYV9x\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1]],\"weight_threshold\":1},"
     "\"posting\":{\"account_auths\":[],\"key_auths\":[[\"STM8CemMDjdUWSV5wKotEimhK6c4dY7p2PdzC2qM1HpAP8aLtZfE7\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1],"
     "[\"STM6pbVDAjRFiw6fkiKYCrkz7PFeL7XNAfefrsREwg8MKpJ9VYV9x\",1]],\"weight_threshold\":1}}]",
     "0109102700000000000003535445454d0000057865726f63086673616661617366010000000002026f6231b8ed"
     "1c5e964b42967759757f8bb879d68e7b09d9ea6eedec21de6fa4c401000314aa202c9158990b3ec51a1aa49b2ab5d3"
     "00c97b391df3beb34bb74f3c62699e010001000000000202fe8cc11cc8251de6977636b55c1ab8a9d12b0b26154ac7"
     "8e56e7c4257d8bcf6901000314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62699e010001"
     "000000000302fe8cc11cc8251de6977636b55c1ab8a9d12b0b26154ac78e56e7c4257d8bcf6901000314aa202c9158"
     "990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62699e010003b453f46013fdbccb90b09ba169c388c34d84"
     "454a3b9fbec68d5a7819a734fca001000314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62"
     "699e0000"},
    {"account_update (account_auths given unsorted)",
     "[\"account_update\",{\"account\":\"streemian\",\"posting\":{\"weight_threshold\":1,"
     "\"account_auths\":[[\"xeroc\",1],[\"fabian\",1]],\"key_auths\":[[\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1],"
     "[\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1]]},\"owner\":{\"weight_threshold\":1,"
     "\"account_auths\":[],\"key_auths\":[[\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1],"
     "[\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1]]},\"active\":{\"weight_threshold\":2,"
     "\"account_auths\":[],\"key_auths\":[[\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1],"
     "[\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1]]},"
     "\"memo_key\":\"STM728uLvStTeAkYJsQefks3FX8yfmpFHp8wXw3RY3kwey2JGDooR\",\"json_metadata\":\"\"}]",
     "010a0973747265656d69616e0101000000000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b6100"
     "5e17fa78a601000389d28937022880a7f0c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c201000102000000"
     "000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b61005e17fa78a601000389d28937022880a7f0"
     "c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c201000101000000020666616269616e0100057865726f6301"
     "000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b61005e17fa78a601000389d28937022880a7f0"
     "c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c201000318c1ae46b3e98b26684c87737a04ecb1a390efdc76"
     "71ced448a92b745372deff0000"},
    {"limit_order_create",
     "[\"limit_order_create\",{\"owner\":\"\",\"orderid\":0,\"amount_to_sell\":\"0.000 STEEM\","
     "\"min_to_receive\":\"0.000 STEEM\",\"fill_or_kill\":false,\"expiration\":\"2016-12-31T23:59:59\"}]",
     "01050000000000000000000000000003535445454d0000000000000000000003535445454d0000007f46685800"},
    {"limit_order_cancel", "[\"limit_order_cancel\",{\"owner\":\"\",\"orderid\":2141244}]",
     "0106003cac200000"},
    {"set_withdraw_vesting_route",
     "[\"set_withdraw_vesting_route\",{\"from_account\":\"xeroc\",\"to_account\":\"xeroc\","
     "\"percent\":1000,\"auto_vest\":false}]",
     "0114057865726f63057865726f63e8030000"},
    {"convert", "[\"convert\",{\"owner\":\"xeroc\",\"requestid\":2342343235,\"amount\":\"100.000 SBD\"}]",
     "0108057865726f6343529d8ba086010000000000035342440000000000"},
    {"feed_publish",
     "[\"feed_publish\",{\"publisher\":\"xeroc\",\"exchange_rate\":{\"base\":\"1.000 SBD\","
     "\"quote\":\"4.123 STEEM\"}}]",
     "0107057865726f63e80300000000000003534244000000001b1000000000000003535445454d000000"},
    {"delete_comment", "[\"delete_comment\",{\"author\":\"turbot\",\"permlink\":\"testpost\"}]",
     "011106747572626f740874657374706f737400"},
    {"witness_update",
     "[\"witness_update\",{\"owner\":\"xeroc\",\"url\":\"foooobar\","
     "\"block_signing_key\":\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\","
     "\"props\":{\"account_creation_fee\":\"10.000 STEEM\",\"maximum_block_size\":1111111,"
     "\"sbd_interest_rate\":1000},\"fee\":\"10.000 STEEM\"}]",
     "010b057865726f6308666f6f6f6f6261720314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c"
     "62699e102700000000000003535445454d000047f41000e803102700000000000003535445454d000000"},
    {"account_witness_vote",
     "[\"account_witness_vote\",{\"account\":\"xeroc\",\"witness\":\"chainsquad\",\"approve\":true}]",
     "010c057865726f630a636861696e73717561640100"},
    {"account_witness_proxy", "[\"account_witness_proxy\",{\"account\":\"alice\",\"proxy\":\"bob\"}]",
     "010d05616c69636503626f6200"},
    {"custom",
     "[\"custom\",{\"required_auths\":[\"bytemaster\"],\"id\":777,\"data\":\"3061363237393734363536643631373337343635373230373733373436353635366436393734303261336431333839376438323131343436366164383761373462373361353332393264383333316431626431643330383264613662666263666631396564303937303239646230313337393737313163383863636363613336393234303766396666396239636537323231616161326437393766313639326265323231356430613566366432613863616236383332303530303738626335373239323031653365613234656139663738373365366462646336356136626439383939303533623961636461383736646336396631316131336466396361386232366236\"}]",
     "010f010a627974656d6173746572090384023061363237393734363536643631373337343635373230373733373436"
     "3536353664363937343032613364313338393764383231313434363661643837613734623733613533323932643833"
     "3331643162643164333038326461366266626366663139656430393730323964623031333739373731316338386363"
     "6363613336393234303766396666396239636537323231616161326437393766313639326265323231356430613566"
     "3664326138636162363833323035303037386263353732393230316533656132346561396637383733653664626463"
     "3635613662643938393930353362396163646138373664633639663131613133646639636138623236623600"},
    {"comment_options (beneficiaries)",
     "[\"comment_options\",{\"author\":\"xeroc\",\"permlink\":\"piston\",\"max_accepted_payout\":"
     "\"1000000.000 SBD\",\"percent_steem_dollars\":10000,\"allow_votes\":true,"
     "\"allow_curation_rewards\":true,\"extensions\":[[0,{\"beneficiaries\":[{\"weight\":2000,"
     "\"account\":\"good-karma\"},{\"weight\":5000,\"account\":\"null\"}]}]]}]",
     "0113057865726f6306706973746f6e00ca9a3b000000000353424400000000102701010100020a676f6f642d6b6172"
     "6d61d007046e756c6c881300"},
    {"change_recovery_account",
     "[\"change_recovery_account\",{\"account_to_recover\":\"barrie\",\"extensions\":[],"
     "\"new_recovery_account\":\"boombastic\"}]",
     "011a066261727269650a626f6f6d62617374696300" "00"},
    {"request_account_recovery",
     "[\"request_account_recovery\",{\"recovery_account\":\"steem\",\"account_to_recover\":\"alice\","
     "\"new_owner_authority\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":"
     "[[\"STM6LYxj96zdypHYqgDdD6Nyh2NxerN3P1Mp3ddNm7gci63nfrSuZ\",1]]},\"extensions\":[]}]",
     "011805737465656d05616c696365010000000001" "02bedf9f3cf1655dc635d2b7fd43e1d0ab6eafbc443f6fd013de0cb2e8a11fbc89010000" "00"},
    {"recover_account",
     "[\"recover_account\",{\"account_to_recover\":\"alice\",\"new_owner_authority\":{\"weight_threshold\":1,"
     "\"account_auths\":[],\"key_auths\":[[\"STM7j3nhkhHTpXqLEvdx2yEGhQeeorTcxSV6WDL2DZGxwUxYGrHvh\",1]]},"
     "\"recent_owner_authority\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":"
     "[[\"STM78Xth94gNxp8nmByFV2vNAhg9bsSdviJ6fQXUTFikySLK3uTxC\",1]]},\"extensions\":[]}]",
     "011905616c6963650100000000010375a6dfff7649647cc074d86386862087a154088d952da64af9dac429559a8d0c"
     "0100010000000001032747c05d4aa44704a196493e1fa0c26137abfca64991a9b9faeb9204ee9897ef010000" "00"},
    {"escrow_approve",
     "[\"escrow_approve\",{\"from\":\"alice\",\"to\":\"bob\",\"agent\":\"charlie\",\"who\":\"charlie\","
     "\"escrow_id\":59102208,\"approve\":true}]",
     "011f05616c69636503626f6207636861726c696507636861726c696500d485030100"},
    {"decline_voting_rights", "[\"decline_voting_rights\",{\"account\":\"judy\",\"decline\":true}]",
     "0124046a756479" "0100"},
};

static void test_beem_vectors_for_other_operation_types(void **state)
{
	static const char head[] = "f68585abf4dce7c80457";
	char json[4096], hex[2 * 4096 + 1];
	uint8_t buf[4096];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(beem); i++) {
		struct tx *tx;
		const char *why = NULL;
		size_t len;
		enum kerr err;

		snprintf(json, sizeof(json),
		         "{\"ref_block_num\":34294,\"ref_block_prefix\":3707022213,"
		         "\"expiration\":\"2016-04-06T08:29:27\",\"operations\":[%s],\"extensions\":[]}",
		         beem[i].op);
		err = tx_parse_json(json, strlen(json), steem(), &tx, &why);
		if (err)
			fail_msg("%s: %s (%s)", beem[i].name, kerr_str(err), why ? why : "");
		assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
		hex_encode(buf, len, hex);
		if (strncmp(hex, head, strlen(head)) != 0 || strcmp(hex + strlen(head), beem[i].hex) != 0)
			fail_msg("%s:\n got %s\nwant %s%s", beem[i].name, hex, head, beem[i].hex);
		tx_free(tx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_transaction_of_1000_real_blocks_gets_its_id),
	    cmocka_unit_test(test_steem_2017_block_and_condenser_pow_block),
	    cmocka_unit_test(test_beem_vectors_for_other_operation_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
