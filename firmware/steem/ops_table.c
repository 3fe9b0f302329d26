/*
 * The operation table. Field order is FC_REFLECT order (steemd
 * libraries/protocol/include/steem/protocol/{steem,sps}_operations.hpp,
 * hived .../hive/protocol/{hive,dhf}_operations.hpp), which is the byte
 * order; where Hive renamed a field (sbd -> hbd) its name is the
 * alternative JSON key. Ids are the static_variant index: the same on both
 * chains except 16 (Steem report_over_production, Hive
 * witness_block_approve) and 47-49 (Hive only). steemd's SMT operations
 * are compiled out of mainnet builds (ENABLE_SMT_SUPPORT OFF) and are not
 * listed; neither are virtual operations, which no transaction holds.
 */
#include "kiosk/ops.h"

#include <string.h>

#include "ops_schema.h"

#define F(n, t)                                                                                    \
	{                                                                                          \
		n, NULL, t, 0, NULL                                                                \
	}
#define FS(n, m)                                                                                   \
	{                                                                                          \
		n, NULL, T_STR, m, NULL                                                            \
	}
#define FA(n)                                                                                      \
	{                                                                                          \
		n, NULL, T_ACCT, ACCT, NULL                                                        \
	}
#define FX(n, bytes)                                                                               \
	{                                                                                          \
		n, NULL, T_FIXED, bytes, NULL                                                      \
	}
#define F2(n, a, t)                                                                                \
	{                                                                                          \
		n, a, t, 0, NULL                                                                   \
	}
#define FSUB(n, t, s)                                                                              \
	{                                                                                          \
		n, NULL, t, 0, s                                                                   \
	}
#define END                                                                                        \
	{                                                                                          \
		NULL, NULL, T_END, 0, NULL                                                         \
	}

const struct field ops_future_extensions[] = {{"void_t", NULL, T_VOID, 0, NULL}, END};
#define EXT FSUB("extensions", T_VSET, ops_future_extensions)

static const struct field price[] = {F("base", T_ASSET), F("quote", T_ASSET), END};
static const struct field chain_props[] = {
    F("account_creation_fee", T_ASSET), F("maximum_block_size", T_U32),
    F2("sbd_interest_rate", "hbd_interest_rate", T_U16), END};
static const struct field pow_work[] = {F("worker", T_KEY), FX("input", 32), FX("signature", 65),
                                        FX("work", 32), END};
static const struct field pow2_input[] = {FA("worker_account"), FX("prev_block", 20),
                                          F("nonce", T_U64), END};
static const struct field u32_elem[] = {F(NULL, T_U32), END};
static const struct field equihash_proof[] = {F("n", T_U32), F("k", T_U32), FX("seed", 32),
                                              FSUB("inputs", T_VEC, u32_elem), END};
static const struct field pow2[] = {FSUB("input", T_STRUCT, pow2_input), F("pow_summary", T_U32),
                                    END};
static const struct field equihash_pow[] = {FSUB("input", T_STRUCT, pow2_input),
                                            FSUB("proof", T_STRUCT, equihash_proof),
                                            FX("prev_block", 20), F("pow_summary", T_U32), END};
static const struct field pow2_work[] = {FSUB("pow2", T_STRUCT, pow2),
                                         FSUB("equihash_pow", T_STRUCT, equihash_pow), END};
static const struct field key_elem[] = {F(NULL, T_KEY), END};
static const struct field auth_elem[] = {F(NULL, T_AUTH), END};
static const struct field beneficiary[] = {FA("account"), F("weight", T_U16), END};
static const struct field beneficiary_elem[] = {FSUB(NULL, T_STRUCT, beneficiary), END};
static const struct field beneficiaries[] = {FSUB("beneficiaries", T_VEC, beneficiary_elem), END};
static const struct field comment_ext[] = {
    FSUB("comment_payout_beneficiaries", T_STRUCT, beneficiaries), END};
static const struct field pair_id[] = {F("pair_id", T_U8), END};
static const struct field recurrent_ext[] = {
    {"void_t", NULL, T_VOID, 0, NULL}, FSUB("recurrent_transfer_pair_id", T_STRUCT, pair_id), END};
static const struct field end_date[] = {F("end_date", T_TIME), END};
static const struct field proposal_ext[] = {
    {"void_t", NULL, T_VOID, 0, NULL}, FSUB("update_proposal_end_date", T_STRUCT, end_date), END};
/* Block header extensions other than void_t (version votes) are refused. */
static const struct field block_header[] = {FX("previous", 20),
                                            F("timestamp", T_TIME),
                                            FA("witness"),
                                            FX("transaction_merkle_root", 20),
                                            EXT,
                                            FX("witness_signature", 65),
                                            END};
#define AUTH(n)     F(n, T_AUTH)
#define OPT_AUTH(n) FSUB(n, T_OPT, auth_elem)

static const struct op_def defs[] = {
    {"vote",
     0,
     0,
     false,
     {FA("voter"), FA("author"), FS("permlink", STR), F("weight", T_I16), END}},
    {"comment",
     1,
     1,
     false,
     {FA("parent_author"), FS("parent_permlink", STR), FA("author"), FS("permlink", STR),
      FS("title", STR), FS("body", STR), FS("json_metadata", STR), END}},
    {"transfer",
     2,
     2,
     true,
     {FA("from"), FA("to"), F("amount", T_ASSET), FS("memo", TX_MEMO_MAX), END}},
    {"transfer_to_vesting", 3, 3, false, {FA("from"), FA("to"), F("amount", T_ASSET), END}},
    {"withdraw_vesting", 4, 4, false, {FA("account"), F("vesting_shares", T_ASSET), END}},
    {"limit_order_create",
     5,
     5,
     false,
     {FA("owner"), F("orderid", T_U32), F("amount_to_sell", T_ASSET), F("min_to_receive", T_ASSET),
      F("fill_or_kill", T_BOOL), F("expiration", T_TIME), END}},
    {"limit_order_cancel", 6, 6, false, {FA("owner"), F("orderid", T_U32), END}},
    {"feed_publish", 7, 7, false, {FA("publisher"), FSUB("exchange_rate", T_STRUCT, price), END}},
    {"convert", 8, 8, false, {FA("owner"), F("requestid", T_U32), F("amount", T_ASSET), END}},
    {"account_create",
     9,
     9,
     false,
     {F("fee", T_ASSET), FA("creator"), FA("new_account_name"), AUTH("owner"), AUTH("active"),
      AUTH("posting"), F("memo_key", T_KEY), FS("json_metadata", STR), END}},
    {"account_update",
     10,
     10,
     false,
     {FA("account"), OPT_AUTH("owner"), OPT_AUTH("active"), OPT_AUTH("posting"),
      F("memo_key", T_KEY), FS("json_metadata", STR), END}},
    {"witness_update",
     11,
     11,
     false,
     {FA("owner"), FS("url", STR), F("block_signing_key", T_KEY),
      FSUB("props", T_STRUCT, chain_props), F("fee", T_ASSET), END}},
    {"account_witness_vote",
     12,
     12,
     false,
     {FA("account"), FA("witness"), F("approve", T_BOOL), END}},
    {"account_witness_proxy", 13, 13, false, {FA("account"), FA("proxy"), END}},
    {"pow",
     14,
     14,
     false,
     {FA("worker_account"), FX("block_id", 20), F("nonce", T_U64), FSUB("work", T_STRUCT, pow_work),
      FSUB("props", T_STRUCT, chain_props), END}},
    {"custom",
     15,
     15,
     false,
     {F("required_auths", T_ACCT_SET), F("id", T_U16), F("data", T_BYTES), END}},
    {"report_over_production",
     16,
     NO_OP,
     false,
     {FA("reporter"), FSUB("first_block", T_STRUCT, block_header),
      FSUB("second_block", T_STRUCT, block_header), END}},
    {"witness_block_approve", NO_OP, 16, false, {FA("witness"), FX("block_id", 20), END}},
    {"delete_comment", 17, 17, false, {FA("author"), FS("permlink", STR), END}},
    {"custom_json",
     18,
     18,
     false,
     {F("required_auths", T_ACCT_SET), F("required_posting_auths", T_ACCT_SET), FS("id", 32),
      FS("json", STR), END}},
    {"comment_options",
     19,
     19,
     false,
     {FA("author"), FS("permlink", STR), F("max_accepted_payout", T_ASSET),
      F2("percent_steem_dollars", "percent_hbd", T_U16), F("allow_votes", T_BOOL),
      F("allow_curation_rewards", T_BOOL), FSUB("extensions", T_VSET, comment_ext), END}},
    {"set_withdraw_vesting_route",
     20,
     20,
     false,
     {FA("from_account"), FA("to_account"), F("percent", T_U16), F("auto_vest", T_BOOL), END}},
    {"limit_order_create2",
     21,
     21,
     false,
     {FA("owner"), F("orderid", T_U32), F("amount_to_sell", T_ASSET),
      FSUB("exchange_rate", T_STRUCT, price), F("fill_or_kill", T_BOOL), F("expiration", T_TIME),
      END}},
    {"claim_account", 22, 22, false, {FA("creator"), F("fee", T_ASSET), EXT, END}},
    {"create_claimed_account",
     23,
     23,
     false,
     {FA("creator"), FA("new_account_name"), AUTH("owner"), AUTH("active"), AUTH("posting"),
      F("memo_key", T_KEY), FS("json_metadata", STR), EXT, END}},
    {"request_account_recovery",
     24,
     24,
     false,
     {FA("recovery_account"), FA("account_to_recover"), AUTH("new_owner_authority"), EXT, END}},
    {"recover_account",
     25,
     25,
     false,
     {FA("account_to_recover"), AUTH("new_owner_authority"), AUTH("recent_owner_authority"), EXT,
      END}},
    {"change_recovery_account",
     26,
     26,
     false,
     {FA("account_to_recover"), FA("new_recovery_account"), EXT, END}},
    {"escrow_transfer",
     27,
     27,
     false,
     {FA("from"), FA("to"), F2("sbd_amount", "hbd_amount", T_ASSET),
      F2("steem_amount", "hive_amount", T_ASSET), F("escrow_id", T_U32), FA("agent"),
      F("fee", T_ASSET), FS("json_meta", STR), F("ratification_deadline", T_TIME),
      F("escrow_expiration", T_TIME), END}},
    {"escrow_dispute",
     28,
     28,
     false,
     {FA("from"), FA("to"), FA("agent"), FA("who"), F("escrow_id", T_U32), END}},
    {"escrow_release",
     29,
     29,
     false,
     {FA("from"), FA("to"), FA("agent"), FA("who"), FA("receiver"), F("escrow_id", T_U32),
      F2("sbd_amount", "hbd_amount", T_ASSET), F2("steem_amount", "hive_amount", T_ASSET), END}},
    {"pow2",
     30,
     30,
     false,
     {FSUB("work", T_VARIANT, pow2_work), FSUB("new_owner_key", T_OPT, key_elem),
      FSUB("props", T_STRUCT, chain_props), END}},
    {"escrow_approve",
     31,
     31,
     false,
     {FA("from"), FA("to"), FA("agent"), FA("who"), F("escrow_id", T_U32), F("approve", T_BOOL),
      END}},
    {"transfer_to_savings",
     32,
     32,
     true,
     {FA("from"), FA("to"), F("amount", T_ASSET), FS("memo", TX_MEMO_MAX), END}},
    {"transfer_from_savings",
     33,
     33,
     true,
     {FA("from"), F("request_id", T_U32), FA("to"), F("amount", T_ASSET), FS("memo", TX_MEMO_MAX),
      END}},
    {"cancel_transfer_from_savings", 34, 34, false, {FA("from"), F("request_id", T_U32), END}},
    {"custom_binary",
     35,
     35,
     false,
     {F("required_owner_auths", T_ACCT_SET), F("required_active_auths", T_ACCT_SET),
      F("required_posting_auths", T_ACCT_SET), FSUB("required_auths", T_VEC, auth_elem),
      FS("id", 32), F("data", T_BYTES), END}},
    {"decline_voting_rights", 36, 36, false, {FA("account"), F("decline", T_BOOL), END}},
    {"reset_account",
     37,
     37,
     false,
     {FA("reset_account"), FA("account_to_reset"), AUTH("new_owner_authority"), END}},
    {"set_reset_account",
     38,
     38,
     false,
     {FA("account"), FA("current_reset_account"), FA("reset_account"), END}},
    {"claim_reward_balance",
     39,
     39,
     false,
     {FA("account"), F2("reward_steem", "reward_hive", T_ASSET),
      F2("reward_sbd", "reward_hbd", T_ASSET), F("reward_vests", T_ASSET), END}},
    {"delegate_vesting_shares",
     40,
     40,
     false,
     {FA("delegator"), FA("delegatee"), F("vesting_shares", T_ASSET), END}},
    {"account_create_with_delegation",
     41,
     41,
     false,
     {F("fee", T_ASSET), F("delegation", T_ASSET), FA("creator"), FA("new_account_name"),
      AUTH("owner"), AUTH("active"), AUTH("posting"), F("memo_key", T_KEY),
      FS("json_metadata", STR), EXT, END}},
    {"witness_set_properties", 42, 42, false, {FA("owner"), F("props", T_PROPS), EXT, END}},
    {"account_update2",
     43,
     43,
     false,
     {FA("account"), OPT_AUTH("owner"), OPT_AUTH("active"), OPT_AUTH("posting"),
      FSUB("memo_key", T_OPT, key_elem), FS("json_metadata", STR), FS("posting_json_metadata", STR),
      EXT, END}},
    {"create_proposal",
     44,
     44,
     false,
     {FA("creator"), FA("receiver"), F("start_date", T_TIME), F("end_date", T_TIME),
      F("daily_pay", T_ASSET), FS("subject", STR), FS("permlink", STR), EXT, END}},
    {"update_proposal_votes",
     45,
     45,
     false,
     {FA("voter"), F("proposal_ids", T_I64_SET), F("approve", T_BOOL), EXT, END}},
    {"remove_proposal",
     46,
     46,
     false,
     {FA("proposal_owner"), F("proposal_ids", T_I64_SET), EXT, END}},
    {"update_proposal",
     NO_OP,
     47,
     false,
     {F("proposal_id", T_I64), FA("creator"), F("daily_pay", T_ASSET), FS("subject", STR),
      FS("permlink", STR), FSUB("extensions", T_VSET, proposal_ext), END}},
    {"collateralized_convert",
     NO_OP,
     48,
     false,
     {FA("owner"), F("requestid", T_U32), F("amount", T_ASSET), END}},
    {"recurrent_transfer",
     NO_OP,
     49,
     false,
     {FA("from"), FA("to"), F("amount", T_ASSET), FS("memo", TX_MEMO_MAX), F("recurrence", T_U16),
      F("executions", T_U16), FSUB("extensions", T_VSET, recurrent_ext), END}},
};

static int chain_id_of(const struct op_def *d, const struct chain_profile *p)
{
	return p->chain == SITE_CHAIN_HIVE ? d->hive : d->steem;
}

const struct op_def *ops_find(const struct chain_profile *p, const char *name)
{
	size_t n = strlen(name);

	if (n > 10 && strcmp(name + n - 10, "_operation") == 0)
		n -= 10;
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (strlen(defs[i].name) == n && memcmp(defs[i].name, name, n) == 0)
			return chain_id_of(&defs[i], p) == NO_OP ? NULL : &defs[i];
	return NULL;
}

const char *ops_name(const struct op_def *d)
{
	return d->name;
}

uint32_t ops_id(const struct op_def *d, const struct chain_profile *p)
{
	return (uint32_t)chain_id_of(d, p);
}

bool ops_is_transfer(const struct op_def *d)
{
	return d->transfer;
}
