/*
 * Proof, not trust: before an order counts as paid, the transfer a node
 * reported is checked against the transaction itself. The kiosk serializes
 * it, recomputes its id (either Hive form), finds the operation and compares
 * every field, recovers the signers and checks them against the payer's
 * active (or owner) authority. A sidechain token transfer (a custom_json)
 * is proven the same way, its fields read by token.h. A node that invents a transfer, changes an
 * amount or a memo, or serves a transaction whose id does not match fails
 * here, whatever else it says.
 */
#ifndef KIOSK_PROOF_H
#define KIOSK_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/authority.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/tx.h"

/* What a node said happened (account history or a block). */
struct proof_claim {
	char trx_id[41];
	uint32_t op_index;
	const char *from, *to;
	struct asset amount;
	const char *memo;
	size_t memo_len;
	/*
	 * Not NULL: the claim is a sidechain token transfer (token.h), a
	 * custom_json with this id whose one required_auth is from (the active
	 * authority checked is from's; posting auths refused) and whose json is
	 * tokens/transfer to `to` of amount.symbol, its quantity read at
	 * amount.precision equal to amount.amount, and memo.
	 */
	const char *token_id;
};

enum proof_verdict {
	PROOF_OK,
	PROOF_CANNOT_SERIALIZE, /* an operation we cannot check: fail closed */
	PROOF_ID_MISMATCH,      /* the transaction is not the one claimed */
	PROOF_OP_MISMATCH,      /* no such transfer in it (amount, memo, accounts differ) */
	PROOF_BAD_SIGNATURE,    /* a signature fails the kiosk's rule */
	PROOF_NOT_AUTHORIZED,   /* the signers are not the payer */
	PROOF_NEEDS_ACCOUNT,    /* proof_check_full only: fetch result.account, check again */
};

const char *proof_verdict_str(enum proof_verdict v);

/*
 * Checks tx against the claim and the payer's authorities (owner may be
 * NULL; lookup resolves account authorities, may be NULL). KERR_OK with
 * *verdict set in every case the check could be made; *form is the binary
 * form the id matched. Any verdict but PROOF_OK means: not paid.
 */
KIOSK_MUST_CHECK enum kerr proof_check(const struct tx *tx, const struct proof_claim *claim,
                                       const struct authority *active,
                                       const struct authority *owner,
                                       struct authority_lookup *lookup, enum proof_verdict *verdict,
                                       enum tx_form *form);

/* Everything proof_check_full() found out. */
struct proof_result {
	enum proof_verdict verdict;
	enum tx_form form;              /* the form the id matched */
	struct authority_result active; /* PROOF_OK / NOT_AUTHORIZED / NEEDS_ACCOUNT */
	struct authority_result owner;  /* verdict AUTHORITY_MALFORMED when no owner given */
	char account[AUTHORITY_ACCOUNT_MAX + 1]; /* PROOF_NEEDS_ACCOUNT: whose active to fetch */
};

/*
 * As proof_check, and says why: PROOF_NEEDS_ACCOUNT (not a refusal) when
 * neither authority is satisfied yet but one names an account the lookup
 * lacks. The caller fetches that account's active authority
 * (get_accounts, rpc_account_auth), adds it to an authority_table and
 * calls again; a full table, or any other verdict but PROOF_OK, means the
 * payment is not proven. proof_check() reports PROOF_NEEDS_ACCOUNT as
 * PROOF_NOT_AUTHORIZED, fail closed.
 */
KIOSK_MUST_CHECK enum kerr proof_check_full(const struct tx *tx, const struct proof_claim *claim,
                                            const struct authority *active,
                                            const struct authority *owner,
                                            struct authority_lookup *lookup,
                                            struct proof_result *out);

/*
 * A one-line reason for the journal's 'unverified' record, e.g.
 * "not proven: signatures do not reach the authority's threshold (weight 1
 * of 2)" or "not proven: authority names an account not fetched yet
 * (carol)". Always NUL-terminated; truncated to cap.
 */
void proof_reason(const struct proof_result *r, char *buf, size_t cap);

#endif
