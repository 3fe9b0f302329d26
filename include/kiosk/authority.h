/*
 * Is a transaction's set of signing keys enough for an account's authority?
 * A transfer needs the payer's active (or owner) authority: the weights of
 * the keys that signed, plus those of satisfied account authorities (at
 * most two levels deep, as the chain checks), must reach the threshold.
 * The steem layer does no I/O: account authorities come from a lookup the
 * caller fills (get_accounts), and a verdict names the account it lacks.
 * Until fetched, such an account counts as unsatisfied: the kiosk fails
 * closed.
 */
#ifndef KIOSK_AUTHORITY_H
#define KIOSK_AUTHORITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

/* Entries per list: the chains' STEEM/HIVE_MAX_AUTHORITY_MEMBERSHIP. A node's
 * get_accounts reply with more is refused (rpc.c), not truncated. */
#define AUTHORITY_AUTHS_MAX          40
#define AUTHORITY_ACCOUNT_MAX        16
#define AUTHORITY_DEPTH_MAX          2   /* STEEM_MAX_SIG_CHECK_DEPTH, HIVE_MAX_SIG_CHECK_DEPTH */
#define AUTHORITY_MEMBERSHIP_MAX     40  /* entries examined per authority (since HF20) */
#define AUTHORITY_ACCOUNT_CHECKS_MAX 125 /* STEEM/HIVE_MAX_SIG_CHECK_ACCOUNTS */

struct authority_key {
	uint8_t key[33]; /* compressed secp256k1 point */
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

/*
 * Finds the active authority of another account (the chain checks the
 * active authority of every account named in account_auths, whichever
 * authority names it); NULL when the caller has not fetched it yet.
 */
struct authority_lookup {
	const struct authority *(*active)(struct authority_lookup *l, const char *account);
};

enum authority_verdict {
	AUTHORITY_SATISFIED,
	AUTHORITY_UNSATISFIED,    /* the signatures do not reach the threshold */
	AUTHORITY_NEEDS_ACCOUNT,  /* not yet: fetch result.account's active authority, ask again */
	AUTHORITY_DEPTH_EXCEEDED, /* only accounts past the chain's depth could satisfy it */
	AUTHORITY_MALFORMED,      /* a threshold of 0, or counts past the bounds */
};

struct authority_result {
	enum authority_verdict verdict;
	char account[AUTHORITY_ACCOUNT_MAX + 1]; /* NEEDS_ACCOUNT: the first account missing */
	uint32_t weight;                         /* the weight the top authority reached */
	uint32_t threshold;                      /* of the top authority */
};

/*
 * The chain's rule (steemd/hived sign_state::check_authority): the weights
 * of the payer's keys that signed, then of each account in account_auths
 * whose active authority is satisfied in turn, are added (uint32, no
 * overflow: at most 40 weights of 65535) until the threshold is reached.
 * An authority at depth 2 does not look at its account_auths; an account
 * once approved counts wherever it appears again; an authority stops after
 * 40 entries and the whole check after 125 account look-ups, as on chain.
 * Stricter than the chain, on purpose: an authority with threshold 0
 * (which any transaction satisfies) is never satisfied here, and Steem's
 * "temp" account is not pre-approved, so no authority is met without a
 * signature. signers: n compressed keys; lookup may be NULL. Returns
 * out->verdict.
 */
enum authority_verdict authority_check(const struct authority *auth, const uint8_t (*signers)[33],
                                       size_t n, struct authority_lookup *lookup,
                                       struct authority_result *out);

/* A short reason for a journal record: "needs account", "not enough weight"... */
const char *authority_verdict_str(enum authority_verdict v);

/*
 * A lookup filled by the caller: the active authorities of the accounts a
 * verdict asked for, fetched with get_accounts. AUTHORITY_TABLE_MAX bounds
 * the fetches one payment may cause.
 */
#define AUTHORITY_TABLE_MAX 8

struct authority_table {
	struct authority_lookup base; /* pass &t->base to authority_check() */
	size_t count;
	char names[AUTHORITY_TABLE_MAX][AUTHORITY_ACCOUNT_MAX + 1];
	struct authority active[AUTHORITY_TABLE_MAX];
};

void authority_table_init(struct authority_table *t);

/* KERR_TOO_BIG when full, KERR_INVAL for a bad name, KERR_EXISTS if there. */
KIOSK_MUST_CHECK enum kerr authority_table_add(struct authority_table *t, const char *name,
                                               const struct authority *active);

/* authority_check() == AUTHORITY_SATISFIED. */
bool authority_satisfied(const struct authority *auth, const uint8_t (*signers)[33], size_t n,
                         struct authority_lookup *lookup);

#endif
