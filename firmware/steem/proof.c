#include "kiosk/proof.h"
#include "kiosk/hex.h"

#include <string.h>

const char *proof_verdict_str(enum proof_verdict v)
{
	switch (v) {
	case PROOF_OK:
		return "proven";
	case PROOF_CANNOT_SERIALIZE:
		return "cannot serialize the transaction";
	case PROOF_ID_MISMATCH:
		return "the transaction's id does not match the claim";
	case PROOF_OP_MISMATCH:
		return "the transaction holds no such transfer";
	case PROOF_BAD_SIGNATURE:
		return "a signature fails the kiosk's rule";
	case PROOF_NOT_AUTHORIZED:
		return "not signed by the payer's active or owner authority";
	}
	return "?";
}

enum kerr proof_check(const struct tx *tx, const struct proof_claim *claim,
                      const struct authority *active, const struct authority *owner,
                      struct authority_lookup *lookup, enum proof_verdict *verdict,
                      enum tx_form *form)
{
	struct tx_verify_result r;
	struct tx_transfer t;
	int matched = -1;
	enum kerr err;

	*verdict = PROOF_CANNOT_SERIALIZE;
	*form = TX_FORM_LEGACY;
	for (unsigned f = 0; f < tx_form_count(tx); f++) {
		uint8_t id[TX_ID_LEN];
		char hex[41];

		err = tx_id(tx, (enum tx_form)f, id);
		if (err == KERR_NOTSUP || err == KERR_TOO_BIG || err == KERR_INVAL)
			return KERR_OK;
		if (err)
			return err;
		hex_encode(id, sizeof(id), hex);
		if (strcmp(hex, claim->trx_id) == 0) {
			matched = (int)f;
			break;
		}
	}
	if (matched < 0) {
		*verdict = PROOF_ID_MISMATCH;
		return KERR_OK;
	}
	*form = (enum tx_form)matched;
	if (tx_transfer_at(tx, claim->op_index, &t) != KERR_OK || strcmp(t.op, "transfer") != 0 ||
	    strcmp(t.from, claim->from) != 0 || strcmp(t.to, claim->to) != 0 ||
	    !asset_same_kind(&t.amount, &claim->amount) || t.amount.amount != claim->amount.amount ||
	    t.memo_len != claim->memo_len || memcmp(t.memo, claim->memo, t.memo_len) != 0) {
		*verdict = PROOF_OP_MISMATCH;
		return KERR_OK;
	}
	err = tx_verify(tx, &r);
	if (err == KERR_INVAL || r.form[matched].err != KERR_OK) {
		*verdict = PROOF_BAD_SIGNATURE;
		return KERR_OK;
	}
	if (authority_satisfied(active, (const uint8_t(*)[33])r.form[matched].keys, r.count, lookup) ||
	    (owner && authority_satisfied(owner, (const uint8_t(*)[33])r.form[matched].keys, r.count,
	                                  lookup)))
		*verdict = PROOF_OK;
	else
		*verdict = PROOF_NOT_AUTHORIZED;
	return KERR_OK;
}
