#include "kiosk/proof.h"
#include "kiosk/hex.h"
#include "kiosk/token.h"

#include <stdio.h>
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
	case PROOF_NEEDS_ACCOUNT:
		return "the payer's authority names an account not fetched yet";
	}
	return "?";
}

/* The operation at claim->op_index is the claimed transfer, field for field. */
static bool claim_matches(const struct tx *tx, const struct proof_claim *claim)
{
	struct tx_transfer t;
	struct tx_custom_json cj;
	struct token_transfer tt;

	if (!claim->token_id)
		return tx_transfer_at(tx, claim->op_index, &t) == KERR_OK &&
		       strcmp(t.op, "transfer") == 0 && strcmp(t.from, claim->from) == 0 &&
		       strcmp(t.to, claim->to) == 0 && asset_same_kind(&t.amount, &claim->amount) &&
		       t.amount.amount == claim->amount.amount && t.memo_len == claim->memo_len &&
		       memcmp(t.memo, claim->memo, t.memo_len) == 0;
	if (tx_custom_json_at(tx, claim->op_index, &cj) != KERR_OK ||
	    cj.n_required_auths > TX_CUSTOM_AUTHS_MAX ||
	    token_transfer_parse_id(claim->token_id, cj.id, cj.required_auths, cj.n_required_auths,
	                            cj.n_required_posting_auths, cj.json, cj.json_len,
	                            claim->amount.precision, &tt, NULL) != KERR_OK)
		return false;
	return strcmp(tt.from, claim->from) == 0 && strcmp(tt.to, claim->to) == 0 &&
	       strcmp(tt.symbol, claim->amount.symbol) == 0 &&
	       tt.quantity == claim->amount.amount && strlen(tt.memo) == claim->memo_len &&
	       memcmp(tt.memo, claim->memo, claim->memo_len) == 0;
}

enum kerr proof_check_full(const struct tx *tx, const struct proof_claim *claim,
                           const struct authority *active, const struct authority *owner,
                           struct authority_lookup *lookup, struct proof_result *out)
{
	struct tx_verify_result r;
	const uint8_t(*keys)[33];
	int matched = -1;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	out->verdict = PROOF_CANNOT_SERIALIZE;
	out->form = TX_FORM_LEGACY;
	out->active.verdict = out->owner.verdict = AUTHORITY_MALFORMED;
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
		out->verdict = PROOF_ID_MISMATCH;
		return KERR_OK;
	}
	out->form = (enum tx_form)matched;
	if (!claim_matches(tx, claim)) {
		out->verdict = PROOF_OP_MISMATCH;
		return KERR_OK;
	}
	err = tx_verify(tx, &r);
	if (err == KERR_INVAL || r.form[matched].err != KERR_OK) {
		out->verdict = PROOF_BAD_SIGNATURE;
		return KERR_OK;
	}
	keys = (const uint8_t(*)[33])r.form[matched].keys;
	authority_check(active, keys, r.count, lookup, &out->active);
	if (owner)
		authority_check(owner, keys, r.count, lookup, &out->owner);
	if (out->active.verdict == AUTHORITY_SATISFIED ||
	    out->owner.verdict == AUTHORITY_SATISFIED) {
		out->verdict = PROOF_OK;
	} else if (out->active.verdict == AUTHORITY_NEEDS_ACCOUNT) {
		out->verdict = PROOF_NEEDS_ACCOUNT;
		memcpy(out->account, out->active.account, sizeof(out->account));
	} else if (out->owner.verdict == AUTHORITY_NEEDS_ACCOUNT) {
		out->verdict = PROOF_NEEDS_ACCOUNT;
		memcpy(out->account, out->owner.account, sizeof(out->account));
	} else {
		out->verdict = PROOF_NOT_AUTHORIZED;
	}
	return KERR_OK;
}

enum kerr proof_check(const struct tx *tx, const struct proof_claim *claim,
                      const struct authority *active, const struct authority *owner,
                      struct authority_lookup *lookup, enum proof_verdict *verdict,
                      enum tx_form *form)
{
	struct proof_result r;
	enum kerr err = proof_check_full(tx, claim, active, owner, lookup, &r);

	*verdict = r.verdict == PROOF_NEEDS_ACCOUNT ? PROOF_NOT_AUTHORIZED : r.verdict;
	*form = r.form;
	return err;
}

void proof_reason(const struct proof_result *r, char *buf, size_t cap)
{
	const struct authority_result *a = &r->active;

	if (!cap)
		return;
	switch (r->verdict) {
	case PROOF_NEEDS_ACCOUNT:
		snprintf(buf, cap, "not proven: %s (%s)", proof_verdict_str(r->verdict),
		         r->account);
		return;
	case PROOF_NOT_AUTHORIZED:
		snprintf(buf, cap, "not proven: %s (weight %lu of %lu)",
		         authority_verdict_str(a->verdict), (unsigned long)a->weight,
		         (unsigned long)a->threshold);
		return;
	case PROOF_OK:
		snprintf(buf, cap, "%s", proof_verdict_str(r->verdict));
		return;
	default:
		snprintf(buf, cap, "not proven: %s", proof_verdict_str(r->verdict));
		return;
	}
}
