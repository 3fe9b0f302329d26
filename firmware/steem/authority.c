/*
 * The chain's sign_state check (steemd libraries/protocol/sign_state.cpp,
 * hived sign_state.hpp) walked in the same order, so the same accounts are
 * approved and the same limits hit; plus what the caller must fetch.
 */
#include "kiosk/authority.h"

#include <stdio.h>
#include <string.h>

/* Accounts approved so far: at most one per look-up. */
#define APPROVED_MAX AUTHORITY_ACCOUNT_CHECKS_MAX

struct state {
	const uint8_t (*signers)[33];
	size_t n;
	struct authority_lookup *lookup;
	uint32_t account_checks;
	const char *approved[APPROVED_MAX];
	size_t napproved;
	const char *missing; /* first account the lookup did not have */
	bool depth_cut;      /* an account was skipped at the depth limit */
	bool malformed;
};

static bool signed_by(const struct state *st, const uint8_t key[33])
{
	for (size_t i = 0; i < st->n; i++)
		if (memcmp(key, st->signers[i], 33) == 0)
			return true;
	return false;
}

static bool approved(const struct state *st, const char *name)
{
	for (size_t i = 0; i < st->napproved; i++)
		if (strcmp(st->approved[i], name) == 0)
			return true;
	return false;
}

static bool well_formed(const struct authority *a)
{
	if (a->threshold == 0 || a->key_count > AUTHORITY_AUTHS_MAX ||
	    a->account_count > AUTHORITY_AUTHS_MAX)
		return false;
	for (unsigned i = 0; i < a->account_count; i++)
		if (memchr(a->accounts[i].name, '\0', sizeof(a->accounts[i].name)) == NULL)
			return false;
	return true;
}

/* True when auth is satisfied; *weight: what it reached. */
static bool check(struct state *st, const struct authority *auth, unsigned depth, uint32_t *weight)
{
	uint32_t total = 0, membership = 0;

	*weight = 0;
	if (!well_formed(auth)) {
		st->malformed = true;
		return false;
	}
	for (unsigned i = 0; i < auth->key_count; i++) {
		if (signed_by(st, auth->keys[i].key)) {
			total += auth->keys[i].weight;
			*weight = total;
			if (total >= auth->threshold)
				return true;
		}
		if (++membership >= AUTHORITY_MEMBERSHIP_MAX)
			return false;
	}
	for (unsigned i = 0; i < auth->account_count; i++) {
		const char *name = auth->accounts[i].name;

		if (!approved(st, name)) {
			const struct authority *sub;
			uint32_t sub_weight;

			if (depth >= AUTHORITY_DEPTH_MAX) {
				st->depth_cut = true;
				continue;
			}
			if (st->account_checks >= AUTHORITY_ACCOUNT_CHECKS_MAX)
				return false;
			st->account_checks++;
			sub = st->lookup ? st->lookup->active(st->lookup, name) : NULL;
			if (!sub) {
				if (!st->missing)
					st->missing = name;
				goto next;
			}
			if (!check(st, sub, depth + 1, &sub_weight))
				goto next;
			if (st->napproved < APPROVED_MAX)
				st->approved[st->napproved++] = name;
		}
		total += auth->accounts[i].weight;
		*weight = total;
		if (total >= auth->threshold)
			return true;
	next:
		if (++membership >= AUTHORITY_MEMBERSHIP_MAX)
			return false;
	}
	return false;
}

enum authority_verdict authority_check(const struct authority *auth, const uint8_t (*signers)[33],
                                       size_t n, struct authority_lookup *lookup,
                                       struct authority_result *out)
{
	struct state st = {.signers = signers, .n = n, .lookup = lookup, .account_checks = 1};

	memset(out, 0, sizeof(*out));
	out->threshold = auth->threshold;
	if (!well_formed(auth))
		out->verdict = AUTHORITY_MALFORMED;
	else if (check(&st, auth, 0, &out->weight))
		out->verdict = AUTHORITY_SATISFIED;
	else if (st.missing) {
		out->verdict = AUTHORITY_NEEDS_ACCOUNT;
		snprintf(out->account, sizeof(out->account), "%s", st.missing);
	} else if (st.depth_cut)
		out->verdict = AUTHORITY_DEPTH_EXCEEDED;
	else if (st.malformed)
		out->verdict = AUTHORITY_MALFORMED;
	else
		out->verdict = AUTHORITY_UNSATISFIED;
	return out->verdict;
}

const char *authority_verdict_str(enum authority_verdict v)
{
	switch (v) {
	case AUTHORITY_SATISFIED:
		return "authority satisfied";
	case AUTHORITY_UNSATISFIED:
		return "signatures do not reach the authority's threshold";
	case AUTHORITY_NEEDS_ACCOUNT:
		return "authority names an account not fetched yet";
	case AUTHORITY_DEPTH_EXCEEDED:
		return "authority is only met through accounts past the chain's depth of 2";
	case AUTHORITY_MALFORMED:
		return "authority is malformed (threshold 0 or too many entries)";
	}
	return "unknown authority verdict";
}

bool authority_satisfied(const struct authority *auth, const uint8_t (*signers)[33], size_t n,
                         struct authority_lookup *lookup)
{
	struct authority_result r;

	return authority_check(auth, signers, n, lookup, &r) == AUTHORITY_SATISFIED;
}

static const struct authority *table_find(struct authority_lookup *l, const char *account)
{
	struct authority_table *t = (struct authority_table *)l;

	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->names[i], account) == 0)
			return &t->active[i];
	return NULL;
}

void authority_table_init(struct authority_table *t)
{
	memset(t, 0, sizeof(*t));
	t->base.active = table_find;
}

enum kerr authority_table_add(struct authority_table *t, const char *name,
                              const struct authority *active)
{
	size_t n = strnlen(name, AUTHORITY_ACCOUNT_MAX + 1);

	if (n == 0 || n > AUTHORITY_ACCOUNT_MAX)
		return KERR_INVAL;
	if (table_find(&t->base, name))
		return KERR_EXISTS;
	if (t->count >= AUTHORITY_TABLE_MAX)
		return KERR_TOO_BIG;
	memcpy(t->names[t->count], name, n + 1);
	t->active[t->count++] = *active;
	return KERR_OK;
}
