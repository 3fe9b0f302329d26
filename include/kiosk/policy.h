/*
 * Confirmation policy: when does a proven transfer count as paid? From the
 * site file: "head" (in a block), "blocks:N" (N blocks including its own) or
 * "irreversible" (at or below the last irreversible block). Above the
 * strict_above amount the stricter rule applies and two different nodes
 * must have reported the transfer. Pure: the caller gives the chain state.
 */
#ifndef KIOSK_POLICY_H
#define KIOSK_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/site.h"

struct policy {
	enum site_confirm mode;
	unsigned blocks; /* SITE_CONFIRM_BLOCKS: N >= 1 */
	bool strict_set;
	struct asset strict_above;
	/* One node configured: nothing to check it against, so every payment is
	 * treated as above strict_above (a second node never comes: staff confirm). */
	bool one_node;
	/* SITE_CONFIRM_HEAD: only up to this amount; above it (or in another asset), irreversible.
	 */
	bool head_max_set;
	struct asset head_max;
};

/* What the kiosk knows about one transfer and the chain right now. */
struct policy_input {
	struct asset amount;         /* the amount credited to the order */
	uint32_t tx_block;           /* block holding the transfer */
	uint32_t head_block;         /* head of the node(s) used for decisions */
	uint32_t irreversible_block; /* last irreversible block */
	unsigned agreeing_nodes;     /* distinct nodes that served the transfer */
};

struct policy_result {
	bool confirmed;
	bool strict;   /* the stricter rule applied */
	unsigned have; /* confirmations so far, for the screen */
	unsigned need; /* confirmations needed (estimate when irreversible) */
	bool waiting_for_second_node;
};

/*
 * An order paid in several transfers is confirmed only when every one of
 * them is (the order is as weak as its weakest transfer): combines the
 * results r[0..n) into *out. confirmed only if each is; waiting for a
 * second node if any is; have/need from the least advanced unconfirmed
 * one (by have * its need vs. the others, so the screen never shows more
 * progress than the weakest part has). n == 0: not confirmed.
 */
void policy_combine(const struct policy_result *r, unsigned n, struct policy_result *out);

/* Fills a policy from the site file. */
void policy_from_site(const struct site *site, struct policy *out);

/*
 * Decides whether the transfer is confirmed. KERR_INVAL for an impossible
 * input (transfer block above head, LIB above head): never confirmed then.
 */
KIOSK_MUST_CHECK enum kerr policy_check(const struct policy *p, const struct policy_input *in,
                                        struct policy_result *out);

#endif
