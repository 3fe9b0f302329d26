/* Operations: every transaction of 1,000 real 2016 blocks, a 2017 Steem block
 * and a condenser-form block gets its node-reported id back; published
 * vectors of other implementations for the other operation types; the
 * shapes that must be refused. */
#include "kiosk/ops.h"

#include <stdio.h>
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
	json_array_foreach(txs, i, t)
	{
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
	const json_t *blocks =
	    json_object_get(json_object_get(json_object_get(f, "response"), "result"), "blocks");
	const json_t *b;
	size_t i, txs = 0, ops = 0;

	(void)state;
	assert_int_equal(json_array_size(blocks), 1000);
	json_array_foreach(blocks, i, b) txs += check_block(b, hive(), &ops);
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
	assert_int_equal(
	    check_block(
	        json_object_get(json_object_get(json_object_get(s, "response"), "result"), "block"),
	        steem(), &ops),
	    7);
	/* condenser form, four pow operations of March 2016 */
	assert_int_equal(
	    check_block(json_object_get(json_object_get(h, "response"), "result"), hive(), &ops),
	    4);
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
     "\"memo_key\":\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",\"new_account_name\":"
     "\"fsafaasf\","
     "\"owner\":{\"account_auths\":[],\"key_auths\":[["
     "\"STM5jYVokmZHdEpwo5oCG3ES2Ca4VYzy6tM8pWWkGdgVnwo2mFLFq\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1]],\"weight_threshold\":1},"
     "\"active\":{\"account_auths\":[],\"key_auths\":[["
     "\"STM6pbVDAjRFiw6fkiKYCrkz7PFeL7XNAfefrsREwg8MKpJ9VYV9x\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1]],\"weight_threshold\":1},"
     "\"posting\":{\"account_auths\":[],\"key_auths\":[["
     "\"STM8CemMDjdUWSV5wKotEimhK6c4dY7p2PdzC2qM1HpAP8aLtZfE7\",1],"
     "[\"STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp\",1],"
     "[\"STM6pbVDAjRFiw6fkiKYCrkz7PFeL7XNAfefrsREwg8MKpJ9VYV9x\",1]],\"weight_threshold\":1}}]",
     "0109102700000000000003535445454d0000057865726f63086673616661617366010000000002026f6231b8ed"
     "1c5e964b42967759757f8bb879d68e7b09d9ea6eedec21de6fa4c401000314aa202c9158990b3ec51a1aa49b2ab5d"
     "3"
     "00c97b391df3beb34bb74f3c62699e010001000000000202fe8cc11cc8251de6977636b55c1ab8a9d12b0b26154ac"
     "7"
     "8e56e7c4257d8bcf6901000314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62699e01000"
     "1"
     "000000000302fe8cc11cc8251de6977636b55c1ab8a9d12b0b26154ac78e56e7c4257d8bcf6901000314aa202c915"
     "8"
     "990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62699e010003b453f46013fdbccb90b09ba169c388c34d8"
     "4"
     "454a3b9fbec68d5a7819a734fca001000314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c6"
     "2"
     "699e0000"},
    {"account_update (account_auths given unsorted)",
     "[\"account_update\",{\"account\":\"streemian\",\"posting\":{\"weight_threshold\":1,"
     "\"account_auths\":[[\"xeroc\",1],[\"fabian\",1]],\"key_auths\":[["
     "\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1],"
     "[\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1]]},\"owner\":{\"weight_"
     "threshold\":1,"
     "\"account_auths\":[],\"key_auths\":[["
     "\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1],"
     "[\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1]]},\"active\":{\"weight_"
     "threshold\":2,"
     "\"account_auths\":[],\"key_auths\":[["
     "\"STM6KChDK2sns9MwugxkoRvPEnyjuTxHN5upGsZ1EtanCffqBVVX3\",1],"
     "[\"STM7sw22HqsXbz7D2CmJfmMwt9rimtk518dRzsR1f8Cgw52dQR1pR\",1]]},"
     "\"memo_key\":\"STM728uLvStTeAkYJsQefks3FX8yfmpFHp8wXw3RY3kwey2JGDooR\",\"json_metadata\":"
     "\"\"}]",
     "010a0973747265656d69616e0101000000000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b610"
     "0"
     "5e17fa78a601000389d28937022880a7f0c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c20100010200000"
     "0"
     "000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b61005e17fa78a601000389d28937022880a7f"
     "0"
     "c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c201000101000000020666616269616e0100057865726f630"
     "1"
     "000202bbcf38855c9ae9d55704ee50ff56552af1242266c10544a75b61005e17fa78a601000389d28937022880a7f"
     "0"
     "c7deaa6f46b4d87ce08bd5149335cb39b5a8e9b04981c201000318c1ae46b3e98b26684c87737a04ecb1a390efdc7"
     "6"
     "71ced448a92b745372deff0000"},
    {"limit_order_create",
     "[\"limit_order_create\",{\"owner\":\"\",\"orderid\":0,\"amount_to_sell\":\"0.000 STEEM\","
     "\"min_to_receive\":\"0.000 "
     "STEEM\",\"fill_or_kill\":false,\"expiration\":\"2016-12-31T23:59:59\"}]",
     "01050000000000000000000000000003535445454d0000000000000000000003535445454d0000007f46685800"},
    {"limit_order_cancel", "[\"limit_order_cancel\",{\"owner\":\"\",\"orderid\":2141244}]",
     "0106003cac200000"},
    {"set_withdraw_vesting_route",
     "[\"set_withdraw_vesting_route\",{\"from_account\":\"xeroc\",\"to_account\":\"xeroc\","
     "\"percent\":1000,\"auto_vest\":false}]",
     "0114057865726f63057865726f63e8030000"},
    {"convert",
     "[\"convert\",{\"owner\":\"xeroc\",\"requestid\":2342343235,\"amount\":\"100.000 SBD\"}]",
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
     "010b057865726f6308666f6f6f6f6261720314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3"
     "c"
     "62699e102700000000000003535445454d000047f41000e803102700000000000003535445454d000000"},
    {"account_witness_vote",
     "[\"account_witness_vote\",{\"account\":\"xeroc\",\"witness\":\"chainsquad\",\"approve\":true}"
     "]",
     "010c057865726f630a636861696e73717561640100"},
    {"account_witness_proxy",
     "[\"account_witness_proxy\",{\"account\":\"alice\",\"proxy\":\"bob\"}]",
     "010d05616c69636503626f6200"},
    {"custom",
     "[\"custom\",{\"required_auths\":[\"bytemaster\"],\"id\":777,\"data\":"
     "\"3061363237393734363536643631373337343635373230373733373436353635366436393734303261336431333"
     "839376438323131343436366164383761373462373361353332393264383333316431626431643330383264613662"
     "666263666631396564303937303239646230313337393737313163383863636363613336393234303766396666396"
     "239636537323231616161326437393766313639326265323231356430613566366432613863616236383332303530"
     "303738626335373239323031653365613234656139663738373365366462646336356136626439383939303533623"
     "961636461383736646336396631316131336466396361386232366236\"}]",
     "010f010a627974656d617374657209038402306136323739373436353664363137333734363537323037373337343"
     "6"
     "353635366436393734303261336431333839376438323131343436366164383761373462373361353332393264383"
     "3"
     "333164316264316433303832646136626662636666313965643039373032396462303133373937373131633838636"
     "3"
     "636361333639323430376639666639623963653732323161616132643739376631363932626532323135643061356"
     "6"
     "366432613863616236383332303530303738626335373239323031653365613234656139663738373365366462646"
     "3"
     "3635613662643938393930353362396163646138373664633639663131613133646639636138623236623600"},
    {"comment_options (beneficiaries)",
     "[\"comment_options\",{\"author\":\"xeroc\",\"permlink\":\"piston\",\"max_accepted_payout\":"
     "\"1000000.000 SBD\",\"percent_steem_dollars\":10000,\"allow_votes\":true,"
     "\"allow_curation_rewards\":true,\"extensions\":[[0,{\"beneficiaries\":[{\"weight\":2000,"
     "\"account\":\"good-karma\"},{\"weight\":5000,\"account\":\"null\"}]}]]}]",
     "0113057865726f6306706973746f6e00ca9a3b000000000353424400000000102701010100020a676f6f642d6b617"
     "2"
     "6d61d007046e756c6c881300"},
    {"change_recovery_account",
     "[\"change_recovery_account\",{\"account_to_recover\":\"barrie\",\"extensions\":[],"
     "\"new_recovery_account\":\"boombastic\"}]",
     "011a066261727269650a626f6f6d62617374696300"
     "00"},
    {"request_account_recovery",
     "[\"request_account_recovery\",{\"recovery_account\":\"steem\",\"account_to_recover\":"
     "\"alice\","
     "\"new_owner_authority\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":"
     "[[\"STM6LYxj96zdypHYqgDdD6Nyh2NxerN3P1Mp3ddNm7gci63nfrSuZ\",1]]},\"extensions\":[]}]",
     "011805737465656d05616c696365010000000001"
     "02bedf9f3cf1655dc635d2b7fd43e1d0ab6eafbc443f6fd013de0cb2e8a11fbc89010000"
     "00"},
    {"recover_account",
     "[\"recover_account\",{\"account_to_recover\":\"alice\",\"new_owner_authority\":{\"weight_"
     "threshold\":1,"
     "\"account_auths\":[],\"key_auths\":[["
     "\"STM7j3nhkhHTpXqLEvdx2yEGhQeeorTcxSV6WDL2DZGxwUxYGrHvh\",1]]},"
     "\"recent_owner_authority\":{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":"
     "[[\"STM78Xth94gNxp8nmByFV2vNAhg9bsSdviJ6fQXUTFikySLK3uTxC\",1]]},\"extensions\":[]}]",
     "011905616c6963650100000000010375a6dfff7649647cc074d86386862087a154088d952da64af9dac429559a8d0"
     "c"
     "0100010000000001032747c05d4aa44704a196493e1fa0c26137abfca64991a9b9faeb9204ee9897ef010000"
     "00"},
    {"escrow_approve",
     "[\"escrow_approve\",{\"from\":\"alice\",\"to\":\"bob\",\"agent\":\"charlie\",\"who\":"
     "\"charlie\","
     "\"escrow_id\":59102208,\"approve\":true}]",
     "011f05616c69636503626f6207636861726c696507636861726c696500d485030100"},
    {"decline_voting_rights", "[\"decline_voting_rights\",{\"account\":\"judy\",\"decline\":true}]",
     "0124046a756479"
     "0100"},
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

		snprintf(
		    json, sizeof(json),
		    "{\"ref_block_num\":34294,\"ref_block_prefix\":3707022213,"
		    "\"expiration\":\"2016-04-06T08:29:27\",\"operations\":[%s],\"extensions\":[]}",
		    beem[i].op);
		err = tx_parse_json(json, strlen(json), steem(), &tx, &why);
		if (err)
			fail_msg("%s: %s (%s)", beem[i].name, kerr_str(err), why ? why : "");
		assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
		hex_encode(buf, len, hex);
		if (strncmp(hex, head, strlen(head)) != 0 ||
		    strcmp(hex + strlen(head), beem[i].hex) != 0)
			fail_msg("%s:\n got %s\nwant %s%s", beem[i].name, hex, head, beem[i].hex);
		tx_free(tx);
	}
}

/*
 * Operations no published vector covers, built by hand from the FC_REFLECT
 * field order and the encoding rules (little-endian integers, varint
 * lengths, legacy asset = amount, precision, 7 symbol bytes; Hive HF26
 * asset = amount, asset number 3200000035 HIVE / ...03 HBD / ...70 VESTS).
 * The key bytes are those of beem's witness_update vector. `hex` is the
 * operation alone: id, then fields.
 */
#define K6Z "STM6zLNtyFVToBsBZDsgMhgjpwysYVbsQD6YhP3kRkQhANUB4w7Qp"
/* its 33 bytes, from beem's witness_update vector */
#define K6Z_BYTES "0314aa202c9158990b3ec51a1aa49b2ab5d300c97b391df3beb34bb74f3c62699e"

static const struct {
	enum site_chain chain;
	enum tx_form form;
	const char *name, *op, *hex;
} hand[] = {
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "recurrent_transfer (49) with a pair id",
     "{\"type\":\"recurrent_transfer_operation\",\"value\":{\"from\":\"alice\",\"to\":\"coop\","
     "\"amount\":\"1.000 HIVE\",\"memo\":\"m\",\"recurrence\":24,\"executions\":3,\"extensions\":"
     "[{\"type\":\"recurrent_transfer_pair_id\",\"value\":{\"pair_id\":2}}]}}",
     "31"
     "05616c696365"
     "04636f6f70"
     "e803000000000000"
     "03"
     "535445454d0000"
     "016d"
     "1800"
     "0300"
     "01"
     "01"
     "02"},
    {SITE_CHAIN_HIVE, TX_FORM_HF26, "recurrent_transfer, HF26 form",
     "[\"recurrent_transfer\",{\"from\":\"alice\",\"to\":\"coop\",\"amount\":\"1.000 HIVE\","
     "\"memo\":\"m\",\"recurrence\":24,\"executions\":3,\"extensions\":[]}]",
     "31"
     "05616c696365"
     "04636f6f70"
     "e803000000000000"
     "2320bcbe"
     "016d"
     "1800"
     "0300"
     "00"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "claim_reward_balance (39), Hive names",
     "[\"claim_reward_balance\",{\"account\":\"alice\",\"reward_hive\":\"0.017 HIVE\","
     "\"reward_hbd\":\"0.011 HBD\",\"reward_vests\":\"185.025103 VESTS\"}]",
     "27"
     "05616c696365"
     "1100000000000000"
     "03"
     "535445454d0000"
     "0b00000000000000"
     "03"
     "53424400000000"
     "4f42070b00000000"
     "06"
     "5645535453"
     "0000"},
    {SITE_CHAIN_HIVE, TX_FORM_HF26, "claim_reward_balance, NAI JSON, HF26 form",
     "{\"type\":\"claim_reward_balance_operation\",\"value\":{\"account\":\"alice\","
     "\"reward_hive\":{\"amount\":\"17\",\"precision\":3,\"nai\":\"@@000000021\"},"
     "\"reward_hbd\":{\"amount\":\"11\",\"precision\":3,\"nai\":\"@@000000013\"},"
     "\"reward_vests\":{\"amount\":\"185025103\",\"precision\":6,\"nai\":\"@@000000037\"}}}",
     "27"
     "05616c696365"
     "1100000000000000"
     "2320bcbe"
     "0b00000000000000"
     "0320bcbe"
     "4f42070b00000000"
     "4620bcbe"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "claim_reward_balance, Steem names",
     "[\"claim_reward_balance\",{\"account\":\"alice\",\"reward_steem\":\"0.017 STEEM\","
     "\"reward_sbd\":\"0.011 SBD\",\"reward_vests\":\"185.025103 VESTS\"}]",
     "27"
     "05616c696365"
     "1100000000000000"
     "03"
     "535445454d0000"
     "0b00000000000000"
     "03"
     "53424400000000"
     "4f42070b00000000"
     "06"
     "5645535453"
     "0000"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "witness_set_properties (42), props given unsorted",
     "[\"witness_set_properties\",{\"owner\":\"w\",\"props\":[[\"key\",\"KEYHEX\"],"
     "[\"account_creation_fee\",\"b80b00000000000003535445454d0000\"]],\"extensions\":[]}]",
     "2a"
     "0177"
     "02"
     "14"
     "6163636f756e745f6372656174696f6e5f666565"
     "10"
     "b80b00000000000003535445454d0000"
     "03"
     "6b6579"
     "21"
     "KEYHEX"
     "00"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "account_update2 (43), optionals absent and null",
     "[\"account_update2\",{\"account\":\"alice\",\"posting\":null,\"json_metadata\":\"\","
     "\"posting_json_metadata\":\"{}\",\"extensions\":[]}]",
     "2b"
     "05616c696365"
     "00"
     "00"
     "00"
     "00"
     "00"
     "027b7d"
     "00"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "account_update2 with memo key",
     "[\"account_update2\",{\"account\":\"alice\",\"memo_key\":\"" K6Z "\",\"json_metadata\":\"\","
     "\"posting_json_metadata\":\"\",\"extensions\":[]}]",
     "2b"
     "05616c696365"
     "00"
     "00"
     "00"
     "01"
     "KEYHEX"
     "00"
     "00"
     "00"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "create_proposal (44)",
     "[\"create_proposal\",{\"creator\":\"alice\",\"receiver\":\"bob\",\"start_date\":"
     "\"2025-01-01T00:00:00\",\"end_date\":\"2025-06-01T00:00:00\",\"daily_pay\":\"1.000 SBD\","
     "\"subject\":\"s\",\"permlink\":\"p\",\"extensions\":[]}]",
     "2c"
     "05616c696365"
     "03626f62"
     "80857467"
     "00983b68"
     "e803000000000000"
     "03"
     "53424400000000"
     "0173"
     "0170"
     "00"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "update_proposal_votes (45), ids given unsorted",
     "[\"update_proposal_votes\",{\"voter\":\"alice\",\"proposal_ids\":[3,1],\"approve\":true,"
     "\"extensions\":[]}]",
     "2d"
     "05616c696365"
     "02"
     "0100000000000000"
     "0300000000000000"
     "01"
     "00"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "remove_proposal (46), ids as strings",
     "[\"remove_proposal\",{\"proposal_owner\":\"alice\",\"proposal_ids\":[\"7\"],\"extensions\":[]"
     "}]",
     "2e"
     "05616c696365"
     "01"
     "0700000000000000"
     "00"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "update_proposal (47) with an end date",
     "[\"update_proposal\",{\"proposal_id\":5,\"creator\":\"alice\",\"daily_pay\":"
     "{\"amount\":\"1000\",\"precision\":3,\"nai\":\"@@000000013\"},\"subject\":\"s\",\"permlink\":"
     "\"p\","
     "\"extensions\":[[1,{\"end_date\":\"2030-01-01T00:00:00\"}]]}]",
     "2f"
     "0500000000000000"
     "05616c696365"
     "e803000000000000"
     "03"
     "53424400000000"
     "0173"
     "0170"
     "01"
     "01"
     "80d8db70"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "collateralized_convert (48)",
     "[\"collateralized_convert\",{\"owner\":\"alice\",\"requestid\":1,\"amount\":\"1.000 HIVE\"}]",
     "30"
     "05616c696365"
     "01000000"
     "e803000000000000"
     "03"
     "535445454d0000"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "witness_block_approve (Hive 16)",
     "[\"witness_block_approve\",{\"witness\":\"w\",\"block_id\":"
     "\"000f424b4e3f3a6069ef7ff86e39ca43628208ad\"}]",
     "10"
     "0177"
     "000f424b4e3f3a6069ef7ff86e39ca43628208ad"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "pow2 (30): pow2 work, 64-bit nonce as a string, owner key",
     "[\"pow2\",{\"work\":[0,{\"input\":{\"worker_account\":\"a\",\"prev_block\":"
     "\"000f424b4e3f3a6069ef7ff86e39ca43628208ad\",\"nonce\":\"18446744073709551615\"},"
     "\"pow_summary\":7}],\"new_owner_key\":\"" K6Z "\",\"props\":{\"account_creation_fee\":"
     "\"10.000 STEEM\",\"maximum_block_size\":1111111,\"sbd_interest_rate\":1000}}]",
     "1e"
     "00"
     "0161"
     "000f424b4e3f3a6069ef7ff86e39ca43628208ad"
     "ffffffffffffffff"
     "07000000"
     "01"
     "KEYHEX"
     "1027000000000000"
     "03"
     "535445454d0000"
     "47f41000"
     "e803"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "pow2: equihash work by name",
     "[\"pow2\",{\"work\":{\"type\":\"equihash_pow\",\"value\":{\"input\":{\"worker_account\":"
     "\"a\","
     "\"prev_block\":\"000f424b4e3f3a6069ef7ff86e39ca43628208ad\",\"nonce\":1},\"proof\":{\"n\":2,"
     "\"k\":3,\"seed\":\"0000000000000000000000000000000000000000000000000000000000000001\","
     "\"inputs\":[4,5]},\"prev_block\":\"000f424b4e3f3a6069ef7ff86e39ca43628208ad\",\"pow_"
     "summary\":6}},"
     "\"props\":{\"account_creation_fee\":\"0.001 STEEM\",\"maximum_block_size\":65536,"
     "\"sbd_interest_rate\":0}}]",
     "1e"
     "01"
     "0161"
     "000f424b4e3f3a6069ef7ff86e39ca43628208ad"
     "0100000000000000"
     "02000000"
     "03000000"
     "0000000000000000000000000000000000000000000000000000000000000001"
     "02"
     "04000000"
     "05000000"
     "000f424b4e3f3a6069ef7ff86e39ca43628208ad"
     "06000000"
     "00"
     "0100000000000000"
     "03"
     "535445454d0000"
     "00000100"
     "0000"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "custom_binary (35): sets sorted, an authority list",
     "[\"custom_binary\",{\"required_owner_auths\":[],\"required_active_auths\":[],"
     "\"required_posting_auths\":[\"bob\",\"al\"],\"required_auths\":[{\"weight_threshold\":1,"
     "\"account_auths\":[],\"key_auths\":[[\"" K6Z "\",1]]}],\"id\":\"x\",\"data\":\"beef\"}]",
     "23"
     "00"
     "00"
     "02"
     "02616c"
     "03626f62"
     "01"
     "01000000"
     "00"
     "01"
     "KEYHEX"
     "0100"
     "0178"
     "02beef"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "limit_order_create: the largest time_point_sec",
     "[\"limit_order_create\",{\"owner\":\"a\",\"orderid\":1,\"amount_to_sell\":\"1.000 STEEM\","
     "\"min_to_receive\":\"1.000 "
     "SBD\",\"fill_or_kill\":true,\"expiration\":\"2106-02-07T06:28:15\"}]",
     "05"
     "0161"
     "01000000"
     "e803000000000000"
     "03"
     "535445454d0000"
     "e803000000000000"
     "03"
     "53424400000000"
     "01"
     "ffffffff"},
    {SITE_CHAIN_HIVE, TX_FORM_LEGACY, "escrow_transfer (27), Hive names",
     "[\"escrow_transfer\",{\"from\":\"a\",\"to\":\"b\",\"hbd_amount\":\"1.000 "
     "HBD\",\"hive_amount\":"
     "\"0.000 HIVE\",\"escrow_id\":9,\"agent\":\"c\",\"fee\":\"0.001 HBD\",\"json_meta\":\"\","
     "\"ratification_deadline\":\"2025-01-01T00:00:00\",\"escrow_expiration\":\"2025-06-01T00:00:"
     "00\"}]",
     "1b"
     "0161"
     "0162"
     "e803000000000000"
     "03"
     "53424400000000"
     "0000000000000000"
     "03"
     "535445454d0000"
     "09000000"
     "0163"
     "0100000000000000"
     "03"
     "53424400000000"
     "00"
     "80857467"
     "00983b68"},
    {SITE_CHAIN_STEEM, TX_FORM_LEGACY, "claim_account (22) and create_claimed_account (23)",
     "[\"claim_account\",{\"creator\":\"a\",\"fee\":\"0.000 STEEM\",\"extensions\":[]}],"
     "[\"create_claimed_account\",{\"creator\":\"a\",\"new_account_name\":\"b\",\"owner\":"
     "{\"weight_threshold\":1,\"account_auths\":[[\"a\",1]],\"key_auths\":[]},\"active\":"
     "{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]},\"posting\":"
     "{\"weight_threshold\":1,\"account_auths\":[],\"key_auths\":[]},\"memo_key\":\"" K6Z "\","
     "\"json_metadata\":\"\",\"extensions\":[]}]",
     "16"
     "0161"
     "0000000000000000"
     "03"
     "535445454d0000"
     "00"
     "17"
     "0161"
     "0162"
     "01000000"
     "01"
     "0161"
     "0100"
     "00"
     "01000000"
     "00"
     "00"
     "01000000"
     "00"
     "00"
     "KEYHEX"
     "00"
     "00"},
};

/* Copies in to out with each KEYHEX replaced by the key's hex. */
static void expand(const char *in, char *out)
{
	while (*in) {
		if (strncmp(in, "KEYHEX", 6) == 0) {
			out += sprintf(out, "%s", K6Z_BYTES);
			in += 6;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
}

static void test_hand_built_vectors_for_newer_operations(void **state)
{
	static char json[16384], ops[8192], want[16384], hex[2 * 8192 + 1];
	static uint8_t buf[8192];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hand); i++) {
		const struct chain_profile *p = chain_profile_get(hand[i].chain);
		struct tx *tx;
		const char *why = NULL, *k;
		size_t len, nops = 1;
		enum kerr err;

		/* the list may hold two operations */
		for (k = hand[i].op; (k = strstr(k, "}],[\"")) != NULL; k++)
			nops++;
		expand(hand[i].op, ops);
		snprintf(json, sizeof(json),
		         "{\"ref_block_num\":1,\"ref_block_prefix\":2,\"expiration\":\"2025-01-"
		         "01T00:00:00\","
		         "\"operations\":[%s],\"extensions\":[]}",
		         ops);
		err = tx_parse_json(json, strlen(json), p, &tx, &why);
		if (err)
			fail_msg("%s: %s (%s)", hand[i].name, kerr_str(err), why ? why : "");
		assert_int_equal(tx_op_count(tx), nops);
		assert_int_equal(tx_serialize(tx, hand[i].form, buf, sizeof(buf), &len), KERR_OK);
		hex_encode(buf, len, hex);
		/* header 0100 02000000 80857467, op count, the ops, no extensions */
		expand(hand[i].hex, ops);
		snprintf(want, sizeof(want), "01000200000080857467%02zx%s00", nops, ops);
		if (strcmp(hex, want) != 0)
			fail_msg("%s:\n got %s\nwant %s", hand[i].name, hex, want);
		tx_free(tx);
	}
}

/* dsteem's per-type vectors (dsteem-serializer-tests.json), found inside operations. */
static const char *dsteem_hex(const json_t *v, const char *type, size_t index)
{
	const json_t *t;
	size_t i;

	json_array_foreach(json_object_get(v, "vectors"), i, t) if (
	    strcmp(json_string_value(json_object_get(t, "name")), type) ==
	    0) return json_string_value(json_array_get(json_array_get(json_object_get(t, "values"),
	                                                              index),
	                                               0));
	fail_msg("no %s vector", type);
	return NULL;
}

static void op_hex(const char *op, char *hex)
{
	char json[1024];
	uint8_t buf[1024];
	struct tx *tx;
	size_t len;

	snprintf(json, sizeof(json),
	         "{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":"
	         "\"2017-07-15T16:51:19\",\"operations\":[%s]}",
	         op);
	assert_int_equal(tx_parse_json(json, strlen(json), steem(), &tx, NULL), KERR_OK);
	assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
	/* drop the 10-byte header, the op count and the extensions byte */
	hex_encode(buf + 11, len - 12, hex);
	tx_free(tx);
}

static void test_dsteem_type_vectors(void **state)
{
	json_t *v = load("chain/dsteem-serializer-tests.json");
	char got[2048], want[2048];

	(void)state;
	/* Price {base 1.000 STEEM, quote 0.523 SBD} in feed_publish */
	op_hex("[\"feed_publish\",{\"publisher\":\"a\",\"exchange_rate\":{\"base\":\"1.000 STEEM\","
	       "\"quote\":\"0.523 SBD\"}}]",
	       got);
	snprintf(want, sizeof(want), "070161%s", dsteem_hex(v, "Price", 0));
	assert_string_equal(got, want);
	/* PublicKey, Asset 10.000 STEEM, Boolean true in witness_update / vote */
	op_hex(
	    "[\"witness_update\",{\"owner\":\"a\",\"url\":\"\",\"block_signing_key\":"
	    "\"STM5832HKCJzs6K3rRCsZ1PidTKgjF38ZJb718Y3pCW92HEMsCGPf\",\"props\":{\"account_"
	    "creation_fee\":"
	    "\"10.000 STEEM\",\"maximum_block_size\":0,\"sbd_interest_rate\":0},\"fee\":\"10.000 "
	    "STEEM\"}]",
	    got);
	snprintf(want, sizeof(want), "0b016100%s%s0000000000001027000000000000%s",
	         dsteem_hex(v, "PublicKey", 0), dsteem_hex(v, "Asset", 0), "03535445454d0000");
	assert_string_equal(got, want);
	/* Asset 123456.789000 VESTS in withdraw_vesting */
	op_hex(
	    "[\"withdraw_vesting\",{\"account\":\"a\",\"vesting_shares\":\"123456.789000 VESTS\"}]",
	    got);
	snprintf(want, sizeof(want), "040161%s", dsteem_hex(v, "Asset", 1));
	assert_string_equal(got, want);
	/* Date 2017-07-15T16:51:19 and Boolean in limit_order_create */
	op_hex("[\"limit_order_create\",{\"owner\":\"a\",\"orderid\":0,\"amount_to_sell\":\"0.000 "
	       "STEEM\","
	       "\"min_to_receive\":\"0.000 "
	       "SBD\",\"fill_or_kill\":true,\"expiration\":\"2017-07-15T16:51:19\"}]",
	       got);
	snprintf(want, sizeof(want),
	         "050161000000000000000000000000035354454"
	         "54d000000000000000000000353424400000000%s%s",
	         dsteem_hex(v, "Boolean", 1), dsteem_hex(v, "Date", 0));
	assert_string_equal(got, want);
	json_decref(v);
}

static void test_what_cannot_be_serialized_is_refused_with_a_reason(void **state)
{
	static const struct {
		enum site_chain chain;
		const char *ops, *ext;
		enum kerr want;
	} bad[] = {
	    {SITE_CHAIN_STEEM, "[\"no_such_operation\",{}]", "[]", KERR_NOTSUP},
	    {SITE_CHAIN_STEEM,
	     "[\"producer_reward\",{\"producer\":\"a\",\"vesting_shares\":\"1.000000 VESTS\"}]",
	     "[]", KERR_NOTSUP},
	    {SITE_CHAIN_STEEM, "[\"smt_create\",{}]", "[]", KERR_NOTSUP},
	    {SITE_CHAIN_STEEM, "[\"recurrent_transfer\",{}]", "[]", KERR_NOTSUP},
	    {SITE_CHAIN_STEEM, "[\"witness_block_approve\",{}]", "[]", KERR_NOTSUP},
	    {SITE_CHAIN_HIVE, "[\"report_over_production\",{}]", "[]", KERR_NOTSUP},
	    {SITE_CHAIN_HIVE,
	     "[\"comment_options\",{\"author\":\"a\",\"permlink\":\"p\",\"max_accepted_payout\":"
	     "\"1.000 "
	     "HBD\",\"percent_hbd\":0,\"allow_votes\":true,\"allow_curation_rewards\":true,"
	     "\"extensions\":[[1,{}]]}]",
	     "[]", KERR_NOTSUP},
	    {SITE_CHAIN_HIVE,
	     "[\"comment_options\",{\"author\":\"a\",\"permlink\":\"p\",\"max_accepted_payout\":"
	     "\"1.000 "
	     "HBD\",\"percent_hbd\":0,\"allow_votes\":true,\"allow_curation_rewards\":true,"
	     "\"extensions\":[{\"type\":\"allowed_vote_assets\",\"value\":{}}]}]",
	     "[]", KERR_NOTSUP},
	    {SITE_CHAIN_HIVE,
	     "[\"custom_json\",{\"required_auths\":[],\"required_posting_auths\":[\"a\",\"a\"],"
	     "\"id\":\"x\",\"json\":\"{}\"}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_HIVE,
	     "[\"account_witness_vote\",{\"account\":\"a\",\"witness\":\"b\",\"approve\":1}]", "[]",
	     KERR_PARSE},
	    {SITE_CHAIN_HIVE, "[\"account_witness_vote\",{\"account\":\"a\",\"witness\":\"b\"}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_HIVE,
	     "[\"pow\",{\"worker_account\":\"a\",\"block_id\":\"00\",\"nonce\":1,\"work\":{},"
	     "\"props\":{}}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_STEEM,
	     "[\"pow2\",{\"work\":[0,{\"input\":{\"worker_account\":\"a\",\"prev_block\":"
	     "\"000f424b4e3f3a6069ef7ff86e39ca43628208ad\",\"nonce\":\"18446744073709551616\"},"
	     "\"pow_summary\":7}],\"props\":{\"account_creation_fee\":\"0.001 "
	     "STEEM\",\"maximum_block_size\":1,\"sbd_interest_rate\":0}}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_STEEM,
	     "[\"account_update\",{\"account\":\"a\",\"memo_key\":"
	     "\"STM5832HKCJzs6K3rRCsZ1PidTKgjF38ZJb718Y3pCW92HEMsCGPg\",\"json_metadata\":\"\"}]",
	     "[]", KERR_PARSE},
	    /* Token symbols fit struct asset (up to 10 bytes) but never the binary form. */
	    {SITE_CHAIN_STEEM,
	     "[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.000 SCT\",\"memo\":\"\"}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_HIVE,
	     "[\"transfer\",{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.000 SWAPHIVEX\","
	     "\"memo\":\"\"}]",
	     "[]", KERR_PARSE},
	    {SITE_CHAIN_STEEM,
	     "[\"vote\",{\"voter\":\"a\",\"author\":\"b\",\"permlink\":\"c\",\"weight\":1}]",
	     "[\"x\"]", KERR_NOTSUP},
	    {SITE_CHAIN_STEEM,
	     "[\"vote\",{\"voter\":\"a\",\"author\":\"b\",\"permlink\":\"c\",\"weight\":1}]",
	     "[[1,{}]]", KERR_NOTSUP},
	};
	char json[2048];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tx *tx = (struct tx *)1;
		const char *why = NULL;
		enum kerr err;

		snprintf(json, sizeof(json),
		         "{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":"
		         "\"2025-01-01T00:00:00\",\"operations\":[%s],\"extensions\":%s}",
		         bad[i].ops, bad[i].ext);
		err = tx_parse_json(json, strlen(json), chain_profile_get(bad[i].chain), &tx, &why);
		if (err != bad[i].want)
			fail_msg("case %zu: got %s want %s (%s)", i, kerr_str(err),
			         kerr_str(bad[i].want), why ? why : "");
		assert_null(tx);
		assert_non_null(why);
	}
}

static void test_void_transaction_extension_is_written(void **state)
{
	static const char j[] = "{\"ref_block_num\":0,\"ref_block_prefix\":0,\"expiration\":"
	                        "\"1970-01-01T00:00:00\",\"operations\":[],\"extensions\":[{"
	                        "\"type\":\"void_t\",\"value\":{}}]}";
	uint8_t buf[64];
	char hex[129];
	struct tx *tx;
	size_t len;

	(void)state;
	assert_int_equal(tx_parse_json(j, strlen(j), hive(), &tx, NULL), KERR_OK);
	assert_int_equal(tx_serialize(tx, TX_FORM_LEGACY, buf, sizeof(buf), &len), KERR_OK);
	hex_encode(buf, len, hex);
	assert_string_equal(hex, "00000000000000000000"
	                         "00"
	                         "0100");
	tx_free(tx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_transaction_of_1000_real_blocks_gets_its_id),
	    cmocka_unit_test(test_steem_2017_block_and_condenser_pow_block),
	    cmocka_unit_test(test_beem_vectors_for_other_operation_types),
	    cmocka_unit_test(test_hand_built_vectors_for_newer_operations),
	    cmocka_unit_test(test_dsteem_type_vectors),
	    cmocka_unit_test(test_what_cannot_be_serialized_is_refused_with_a_reason),
	    cmocka_unit_test(test_void_transaction_extension_is_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
