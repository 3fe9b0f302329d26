#include "kiosk/reconcile.h"

#include <string.h>

enum kerr reconcile_decide(const struct reconcile_input *in, struct reconcile_result *out)
{
	int64_t deadline;
	enum kerr err;
	int cmp;

	memset(out, 0, sizeof(*out));
	out->state = RECONCILE_PENDING;
	err = asset_cmp(&in->proven, &in->price, &cmp);
	if (err)
		return err;
	out->due = in->price;
	out->due.amount = 0;
	out->excess = out->due;
	if (cmp >= 0) {
		out->state = RECONCILE_SETTLED;
		return asset_sub(&in->proven, &in->price, &out->excess);
	}
	err = asset_sub(&in->price, &in->proven, &out->due);
	if (err)
		return err;
	if (__builtin_add_overflow(in->confirmed_at_s, in->after_s, &deadline))
		return KERR_OVERFLOW;
	if (in->now_s >= deadline && in->scanned_to_s >= deadline)
		out->state = in->proven.amount > 0 ? RECONCILE_UNDERPAID : RECONCILE_UNPAID;
	return KERR_OK;
}

const char *reconcile_state_name(enum reconcile_state s)
{
	switch (s) {
	case RECONCILE_PENDING:
		return "pending";
	case RECONCILE_SETTLED:
		return "settled";
	case RECONCILE_UNDERPAID:
		return "underpaid";
	case RECONCILE_UNPAID:
		return "unpaid";
	}
	return "?";
}

enum kerr reconcile_state_parse(const char *name, enum reconcile_state *out)
{
	static const enum reconcile_state all[] = {RECONCILE_PENDING, RECONCILE_SETTLED,
	                                           RECONCILE_UNDERPAID, RECONCILE_UNPAID};

	*out = RECONCILE_PENDING;
	for (unsigned i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(name, reconcile_state_name(all[i])) == 0) {
			*out = all[i];
			return KERR_OK;
		}
	}
	return KERR_PARSE;
}
