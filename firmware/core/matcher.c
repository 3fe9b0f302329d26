#include "kiosk/matcher.h"

#include <string.h>

static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	*len = n;
	return s;
}

static char fold(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool matcher_memo_equal(const char *a, const char *b)
{
	size_t la, lb;

	a = trim(a, &la);
	b = trim(b, &lb);
	if (la != lb || la == 0)
		return false;
	for (size_t i = 0; i < la; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

const char *match_kind_name(enum match_kind k)
{
	switch (k) {
	case MATCH_NOT_FOR_US: return "not-for-us";
	case MATCH_DUPLICATE: return "duplicate";
	case MATCH_ENCRYPTED_MEMO: return "encrypted-memo";
	case MATCH_UNKNOWN_MEMO: return "unknown-memo";
	case MATCH_WRONG_ASSET: return "wrong-asset";
	case MATCH_CLOSED: return "closed";
	case MATCH_LATE_REFUND: return "late-refund";
	case MATCH_PARTIAL: return "partial";
	case MATCH_PAID: return "paid";
	case MATCH_OVERPAID: return "overpaid";
	}
	return "unknown";
}

static void zero_like(const struct asset *like, struct asset *out)
{
	*out = *like;
	out->amount = 0;
}

enum kerr matcher_apply(const struct match_request *reqs, size_t n, const char *coop_account,
			enum site_late late, const struct match_transfer *t, bool already_seen,
			struct match_outcome *out)
{
	const struct match_request *r = NULL;
	struct asset due;
	const char *memo;
	size_t mlen;
	int c;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	out->kind = MATCH_UNKNOWN_MEMO;
	out->request = -1;
	if (t->amount.amount <= 0)
		return KERR_INVAL;
	zero_like(&t->amount, &out->credited);
	zero_like(&t->amount, &out->refund);
	zero_like(&t->amount, &out->still_due);

	if (strcmp(t->to, coop_account) != 0) {
		out->kind = MATCH_NOT_FOR_US;
		return KERR_OK;
	}
	if (already_seen) {
		out->kind = MATCH_DUPLICATE;
		return KERR_OK;
	}
	memo = trim(t->memo, &mlen);
	if (mlen > 0 && memo[0] == '#') {
		out->kind = MATCH_ENCRYPTED_MEMO;
		return KERR_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (matcher_memo_equal(reqs[i].memo, t->memo)) {
			/* Memos are unique per request; the first match is the only one. */
			r = &reqs[i];
			out->request = (int)i;
			break;
		}
	}
	if (!r) {
		out->kind = MATCH_UNKNOWN_MEMO;
		return KERR_OK;
	}
	if (!asset_same_kind(&t->amount, &r->price)) {
		out->kind = MATCH_WRONG_ASSET;
		out->refund = t->amount;
		return KERR_OK;
	}
	zero_like(&r->price, &out->still_due);
	if (r->closed) {
		out->kind = MATCH_CLOSED;
		out->refund = t->amount;
		return KERR_OK;
	}
	if (t->timestamp_ms > r->expires_at_ms) {
		if (late == SITE_LATE_REFUND) {
			out->kind = MATCH_LATE_REFUND;
			out->refund = t->amount;
			err = asset_sub(&r->price, &r->received, &out->still_due);
			return err;
		}
		out->late = true;
	}

	err = asset_sub(&r->price, &r->received, &due);
	if (err != KERR_OK)
		return err;
	if (due.amount <= 0) {
		/* Paid already (an earlier transfer covered it): all of this one is owed back. */
		out->kind = MATCH_CLOSED;
		out->refund = t->amount;
		return KERR_OK;
	}
	err = asset_cmp(&t->amount, &due, &c);
	if (err != KERR_OK)
		return err;
	if (c < 0) {
		out->kind = MATCH_PARTIAL;
		out->credited = t->amount;
		return asset_sub(&due, &t->amount, &out->still_due);
	}
	out->credited = due;
	if (c == 0) {
		out->kind = MATCH_PAID;
		return KERR_OK;
	}
	out->kind = MATCH_OVERPAID;
	err = asset_sub(&t->amount, &due, &out->refund);
	return err;
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
