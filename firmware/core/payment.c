#include "kiosk/payment.h"

#include <string.h>

/* ASCII only, not isspace(): the locale must not change which memos match. */
static bool memo_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char memo_fold(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* The key's bytes inside memo, before case folding: *key_len bytes from the result. */
static const char *memo_span(const char *memo, size_t len, size_t *key_len)
{
	const char *nul = memchr(memo, '\0', len);

	if (nul)
		len = (size_t)(nul - memo);
	while (len && memo_space(*memo)) {
		memo++;
		len--;
	}
	while (len && memo_space(memo[len - 1]))
		len--;
	*key_len = len;
	return memo;
}

enum kerr payment_memo_key(const char *memo, size_t len, char *out, size_t cap)
{
	size_t n;

	if (!cap)
		return KERR_TOO_BIG;
	out[0] = '\0';
	memo = memo_span(memo, len, &n);
	if (n >= cap)
		return KERR_TOO_BIG;
	for (size_t i = 0; i < n; i++)
		out[i] = memo_fold(memo[i]);
	out[n] = '\0';
	return KERR_OK;
}

bool payment_memo_equal(const char *a, const char *b)
{
	size_t la, lb;

	a = memo_span(a, strlen(a), &la);
	b = memo_span(b, strlen(b), &lb);
	if (la != lb || la == 0)
		return false;
	for (size_t i = 0; i < la; i++)
		if (memo_fold(a[i]) != memo_fold(b[i]))
			return false;
	return true;
}

bool payment_memo_encrypted(const char *memo, size_t len)
{
	size_t n;

	memo = memo_span(memo, len, &n);
	return n > 0 && memo[0] == '#';
}

bool payment_order_closed(enum order_state s)
{
	switch (s) {
	case ORDER_PAID:
	case ORDER_HANDING_OVER:
	case ORDER_HANDED_OVER:
	case ORDER_HANDOVER_FAILED:
	case ORDER_REFUND_DUE:
	case ORDER_CANCELLED:
		return true;
	case ORDER_READY:
	case ORDER_AWAITING_PAYMENT:
	case ORDER_PAID_CONFIRMING:
	case ORDER_UNDERPAID:
	case ORDER_EXPIRED:
		return false;
	case ORDER_STATE_COUNT:
		break;
	}
	/* Not a state: take no money for it. */
	return true;
}

bool payment_order_requestable(enum order_state s)
{
	return s == ORDER_READY || s == ORDER_AWAITING_PAYMENT || s == ORDER_UNDERPAID ||
	       s == ORDER_EXPIRED;
}

static void zero_like(const struct asset *like, struct asset *out)
{
	*out = *like;
	out->amount = 0;
}

enum kerr payment_amount_due(const struct asset *price, const struct asset *received,
                             struct asset *out)
{
	struct asset due;
	enum kerr err = asset_sub(price, received, &due);

	zero_like(price, out);
	if (err != KERR_OK)
		return err;
	if (due.amount > 0)
		*out = due;
	return KERR_OK;
}

enum kerr payment_request_amount(enum order_state s, const struct asset *price,
                                 const struct asset *received, struct asset *out)
{
	struct asset due;
	enum kerr err;

	*out = *price;
	/* Only an underpaid order has money in that the request must not ask for again. */
	if (s != ORDER_UNDERPAID)
		return KERR_OK;
	err = payment_amount_due(price, received, &due);
	if (err != KERR_OK)
		return err;
	/* Nothing left (a race with the last transfer): the price, never a zero request. */
	if (due.amount > 0)
		*out = due;
	return KERR_OK;
}

/* All of the transfer goes back to the payer. */
static void refund_all(enum payment_class cls, const struct asset *amount,
                       struct payment_decision *out)
{
	out->cls = cls;
	out->refund = *amount;
}

enum kerr payment_classify(const struct payment_order *o, const struct asset *amount, int64_t at_ms,
                           enum site_late late, struct payment_decision *out)
{
	struct asset due;
	int c;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	out->cls = PAYMENT_CLOSED;
	zero_like(amount, &out->applied);
	zero_like(amount, &out->refund);
	zero_like(&o->price, &out->still_due);
	if (amount->amount <= 0)
		return KERR_INVAL;

	if (!asset_same_kind(amount, &o->price)) {
		err = payment_amount_due(&o->price, &o->received, &due);
		if (err != KERR_OK)
			return err;
		refund_all(PAYMENT_WRONG_ASSET, amount, out);
		out->still_due = due;
		return KERR_OK;
	}
	if (o->closed) {
		refund_all(PAYMENT_CLOSED, amount, out);
		return KERR_OK;
	}
	err = payment_amount_due(&o->price, &o->received, &due);
	if (err != KERR_OK)
		return err;
	if (at_ms > o->expires_at_ms) {
		if (late == SITE_LATE_REFUND) {
			refund_all(PAYMENT_LATE_REFUND, amount, out);
			out->still_due = due;
			return KERR_OK;
		}
		out->late = true;
	}
	if (due.amount == 0) {
		/* An earlier transfer covered it: all of this one is owed back. */
		refund_all(PAYMENT_CLOSED, amount, out);
		return KERR_OK;
	}
	err = asset_cmp(amount, &due, &c);
	if (err != KERR_OK)
		return err;
	if (c < 0) {
		out->cls = PAYMENT_PARTIAL;
		out->applied = *amount;
		return asset_sub(&due, amount, &out->still_due);
	}
	out->applied = due;
	if (c == 0) {
		out->cls = PAYMENT_PAID;
		return KERR_OK;
	}
	out->cls = PAYMENT_OVERPAID;
	return asset_sub(amount, &due, &out->refund);
}

const char *payment_class_name(enum payment_class c)
{
	switch (c) {
	case PAYMENT_WRONG_ASSET:
		return "wrong-asset";
	case PAYMENT_CLOSED:
		return "closed";
	case PAYMENT_LATE_REFUND:
		return "late-refund";
	case PAYMENT_PARTIAL:
		return "partial";
	case PAYMENT_PAID:
		return "paid";
	case PAYMENT_OVERPAID:
		return "overpaid";
	}
	return "unknown";
}
