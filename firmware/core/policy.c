#include "kiosk/policy.h"

#include <string.h>

void policy_from_site(const struct site *site, struct policy *out)
{
	memset(out, 0, sizeof(*out));
	out->mode = site->confirm;
	out->blocks = site->confirm_blocks ? site->confirm_blocks : 1;
	out->strict_set = site->strict_set;
	out->strict_above = site->strict_above;
	out->one_node = site->node_count == 1;
	out->head_max_set = site->head_max_set;
	out->head_max = site->head_max;
}

/* confirm = head above its cap: a head block can still leave the chain. */
static bool above_head_max(const struct policy *p, const struct asset *amount)
{
	int c;

	if (!p->head_max_set)
		return false;
	if (asset_cmp(amount, &p->head_max, &c) != KERR_OK)
		return true;
	return c > 0;
}

/* Above the threshold, or of a kind the threshold cannot be compared with:
 * an amount the kiosk cannot rank is treated as large (fail closed). */
static bool is_strict(const struct policy *p, const struct asset *amount)
{
	int c;

	if (p->one_node)
		return true;
	if (!p->strict_set)
		return false;
	if (asset_cmp(amount, &p->strict_above, &c) != KERR_OK)
		return true;
	return c > 0;
}

enum kerr policy_check(const struct policy *p, const struct policy_input *in,
                       struct policy_result *out)
{
	enum site_confirm mode = p->mode;
	unsigned confirmations;

	memset(out, 0, sizeof(*out));
	if (in->tx_block == 0 || in->tx_block > in->head_block ||
	    in->irreversible_block > in->head_block)
		return KERR_INVAL;
	confirmations = in->head_block - in->tx_block + 1;
	out->strict = is_strict(p, &in->amount);
	if (out->strict || (mode == SITE_CONFIRM_HEAD && above_head_max(p, &in->amount)))
		mode = SITE_CONFIRM_IRREVERSIBLE;

	switch (mode) {
	case SITE_CONFIRM_HEAD:
		out->need = 1;
		out->have = 1;
		out->confirmed = true;
		break;
	case SITE_CONFIRM_BLOCKS:
		out->need = p->blocks ? p->blocks : 1;
		out->have = confirmations < out->need ? confirmations : out->need;
		out->confirmed = confirmations >= out->need;
		break;
	case SITE_CONFIRM_IRREVERSIBLE:
		if (in->tx_block <= in->irreversible_block) {
			out->need = confirmations;
			out->have = confirmations;
			out->confirmed = true;
		} else {
			/* Estimate: the gap LIB trails head by now, as seen from this block. */
			out->need = in->head_block - in->irreversible_block + 1;
			out->have = confirmations < out->need ? confirmations : out->need - 1;
			out->confirmed = false;
		}
		break;
	}
	if (out->strict && in->agreeing_nodes < 2) {
		out->waiting_for_second_node = true;
		out->confirmed = false;
	}
	return KERR_OK;
}

void policy_combine(const struct policy_result *r, unsigned n, struct policy_result *out)
{
	const struct policy_result *weakest = NULL;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	out->confirmed = true;
	for (unsigned i = 0; i < n; i++) {
		out->strict = out->strict || r[i].strict;
		out->waiting_for_second_node =
		    out->waiting_for_second_node || r[i].waiting_for_second_node;
		if (r[i].confirmed)
			continue;
		out->confirmed = false;
		/* have/need compared without division: a/b < c/d as a*d < c*b. */
		if (!weakest || (uint64_t)r[i].have * (weakest->need ? weakest->need : 1) <
		                    (uint64_t)weakest->have * (r[i].need ? r[i].need : 1))
			weakest = &r[i];
	}
	if (!weakest)
		weakest = &r[n - 1];
	out->have = weakest->have;
	out->need = weakest->need;
}
