#include "kiosk/authority.h"

#include <string.h>

static bool signed_by(const uint8_t key[33], const uint8_t (*signers)[33], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(key, signers[i], 33) == 0)
			return true;
	return false;
}

static bool satisfied(const struct authority *auth, const uint8_t (*signers)[33], size_t n,
                      struct authority_lookup *lookup, unsigned depth)
{
	uint64_t total = 0;

	if (auth->threshold == 0 || auth->key_count > AUTHORITY_AUTHS_MAX ||
	    auth->account_count > AUTHORITY_AUTHS_MAX)
		return false;
	for (unsigned i = 0; i < auth->key_count; i++)
		if (signed_by(auth->keys[i].key, signers, n))
			total += auth->keys[i].weight;
	if (total >= auth->threshold)
		return true;
	if (!lookup || depth >= AUTHORITY_DEPTH_MAX)
		return false;
	for (unsigned i = 0; i < auth->account_count; i++) {
		const struct authority *sub = lookup->active(lookup, auth->accounts[i].name);

		if (sub && sub != auth && satisfied(sub, signers, n, lookup, depth + 1)) {
			total += auth->accounts[i].weight;
			if (total >= auth->threshold)
				return true;
		}
	}
	return false;
}

bool authority_satisfied(const struct authority *auth, const uint8_t (*signers)[33], size_t n,
                         struct authority_lookup *lookup)
{
	return satisfied(auth, signers, n, lookup, 0);
}
