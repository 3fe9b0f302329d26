/*
 * Is a transaction's set of signing keys enough for an account's authority?
 * A transfer needs the payer's active (or owner) authority: the weights of
 * the keys that signed, plus those of satisfied account authorities (at
 * most two levels deep, as the chain checks), must reach the threshold.
 * Account authorities the caller could not fetch count as unsatisfied: the
 * kiosk fails closed.
 */
#ifndef KIOSK_AUTHORITY_H
#define KIOSK_AUTHORITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define AUTHORITY_AUTHS_MAX 16
#define AUTHORITY_ACCOUNT_MAX 16
#define AUTHORITY_DEPTH_MAX 2       /* STEEM_MAX_SIG_CHECK_DEPTH */

struct authority_key {
	uint8_t key[33];                /* compressed secp256k1 point */
	uint16_t weight;
};

struct authority_account {
	char name[AUTHORITY_ACCOUNT_MAX + 1];
	uint16_t weight;
};

struct authority {
	uint32_t threshold;
	unsigned key_count, account_count;
	struct authority_key keys[AUTHORITY_AUTHS_MAX];
	struct authority_account accounts[AUTHORITY_AUTHS_MAX];
};

/* Finds the active authority of another account; NULL when unknown. */
struct authority_lookup {
	const struct authority *(*active)(struct authority_lookup *l, const char *account);
};

/*
 * True when the signers (n compressed keys) satisfy auth. lookup may be
 * NULL (no account authorities resolved). A threshold of 0 is never
 * satisfied: such an authority is malformed, not open to everyone.
 */
bool authority_satisfied(const struct authority *auth, const uint8_t (*signers)[33], size_t n,
                         struct authority_lookup *lookup);

#endif
