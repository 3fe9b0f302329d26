#include "kiosk/matcher.h"

#include <string.h>

#include "kiosk/payment.h"
#include "kiosk/rate.h"

bool matcher_memo_equal(const char *a, const char *b)
{
	return payment_memo_equal(a, b);
}

const char *match_kind_name(enum match_kind k)
{
	switch (k) {
	case MATCH_NOT_FOR_US:
		return "not-for-us";
	case MATCH_DUPLICATE:
		return "duplicate";
	case MATCH_ENCRYPTED_MEMO:
		return "encrypted-memo";
	case MATCH_UNKNOWN_MEMO:
		return "unknown-memo";
	case MATCH_WRONG_ASSET:
		return "wrong-asset";
	case MATCH_CLOSED:
		return "closed";
	case MATCH_LATE_REFUND:
		return "late-refund";
	case MATCH_PARTIAL:
		return "partial";
	case MATCH_PAID:
		return "paid";
	case MATCH_OVERPAID:
		return "overpaid";
	}
	return "unknown";
}

static enum match_kind kind_of(enum payment_class c)
{
	switch (c) {
	case PAYMENT_WRONG_ASSET:
		return MATCH_WRONG_ASSET;
	case PAYMENT_CLOSED:
		return MATCH_CLOSED;
	case PAYMENT_LATE_REFUND:
		return MATCH_LATE_REFUND;
	case PAYMENT_PARTIAL:
		return MATCH_PARTIAL;
	case PAYMENT_PAID:
		return MATCH_PAID;
	case PAYMENT_OVERPAID:
		return MATCH_OVERPAID;
	}
	return MATCH_CLOSED;
}

/*
 * A partial payment of a won-priced request that comes within the site's
 * tolerance of the locked amount is paid: the rest is forgiven, not due.
 */
static enum kerr within_tolerance(const struct match_request *r, struct payment_decision *d)
{
	struct asset total;
	int64_t remaining;
	bool paid;
	enum kerr err = asset_add(&r->received, &d->applied, &total);

	if (err != KERR_OK)
		return err;
	err = rate_check_paid(r->price.amount, total.amount, r->tolerance_bp, &paid, &remaining);
	if (err != KERR_OK)
		return err;
	if (paid) {
		d->cls = PAYMENT_PAID;
		d->still_due.amount = 0;
	}
	return KERR_OK;
}

enum kerr matcher_apply(const struct match_request *reqs, size_t n, const char *coop_account,
                        enum site_late late, const struct match_transfer *t, bool already_seen,
                        struct match_outcome *out)
{
	const struct match_request *r = NULL;
	struct payment_order po;
	struct payment_decision d;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	out->kind = MATCH_UNKNOWN_MEMO;
	out->request = -1;
	if (t->amount.amount <= 0)
		return KERR_INVAL;
	out->credited = out->refund = out->still_due = t->amount;
	out->credited.amount = out->refund.amount = out->still_due.amount = 0;

	if (strcmp(t->to, coop_account) != 0) {
		out->kind = MATCH_NOT_FOR_US;
		return KERR_OK;
	}
	if (already_seen) {
		out->kind = MATCH_DUPLICATE;
		return KERR_OK;
	}
	if (payment_memo_encrypted(t->memo, strlen(t->memo))) {
		out->kind = MATCH_ENCRYPTED_MEMO;
		return KERR_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (payment_memo_equal(reqs[i].memo, t->memo)) {
			/* Memos are unique per request; the first match is the only one. */
			r = &reqs[i];
			break;
		}
	}
	if (!r)
		return KERR_OK;
	po = (struct payment_order){.price = r->price,
	                            .received = r->received,
	                            .expires_at_ms = r->expires_at_ms,
	                            .closed = r->closed};
	err = payment_classify(&po, &t->amount, t->timestamp_ms, late, &d);
	if (err != KERR_OK)
		return err;
	if (d.cls == PAYMENT_PARTIAL && r->tolerance_bp) {
		err = within_tolerance(r, &d);
		if (err != KERR_OK)
			return err;
	}
	out->kind = kind_of(d.cls);
	out->request = (int)(r - reqs);
	out->late = d.late;
	out->credited = d.applied;
	out->refund = d.refund;
	out->still_due = d.still_due;
	return KERR_OK;
}

enum kerr matcher_paycode_new(struct rng *rng, char *out, size_t len)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t raw[5];
	uint64_t bits = 0;
	enum kerr err;

	if (len < PAYCODE_LEN + 1)
		return KERR_TOO_BIG;
	out[0] = '\0';
	err = rng_fill(rng, raw, sizeof(raw));
	if (err != KERR_OK)
		return err;
	for (size_t i = 0; i < sizeof(raw); i++)
		bits = bits << 8 | raw[i];
	memcpy(out, "KP-", 3);
	for (int i = 0; i < 8; i++)
		out[3 + i] = alphabet[(bits >> (35 - 5 * i)) & 31];
	out[PAYCODE_LEN] = '\0';
	return KERR_OK;
}
