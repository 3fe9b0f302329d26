/*
 * Proof, not trust: before an order counts as paid, the transfer a node
 * reported is checked against the transaction itself. The kiosk serializes
 * it, recomputes its id (either Hive form), finds the operation and compares
 * every field, recovers the signers and checks them against the payer's
 * active (or owner) authority. A node that invents a transfer, changes an
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
};

enum proof_verdict {
	PROOF_OK,
	PROOF_CANNOT_SERIALIZE,     /* an operation we cannot check: fail closed */
	PROOF_ID_MISMATCH,          /* the transaction is not the one claimed */
	PROOF_OP_MISMATCH,          /* no such transfer in it (amount, memo, accounts differ) */
	PROOF_BAD_SIGNATURE,        /* a signature fails the kiosk's rule */
	PROOF_NOT_AUTHORIZED,       /* the signers are not the payer */
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
                                       struct authority_lookup *lookup,
                                       enum proof_verdict *verdict, enum tx_form *form);

#endif
