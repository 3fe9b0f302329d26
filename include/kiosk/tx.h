/*
 * Transactions: parsed from a node's JSON (condenser or appbase form),
 * serialized to the chain's bytes, and from those the id and the signing
 * digest, so the kiosk proves a transfer itself instead of taking a node's
 * word. Hive has two binary forms since HF26 (assets as symbol bytes, or
 * as a NAI number): both are computed, and a Hive transaction verifies when
 * its signatures recover over either. An operation this code cannot
 * serialize is refused (KERR_NOTSUP), never guessed.
 */
#ifndef KIOSK_TX_H
#define KIOSK_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/sig.h"

#define TX_OPS_MAX   32
#define TX_SIGS_MAX  16
#define TX_MAX_BYTES 65536 /* STEEM_MAX_TRANSACTION_SIZE */
#define TX_MEMO_MAX  2047  /* memo must be < 2048 bytes */
#define TX_ID_LEN    20
#define TX_JSON_MAX  (256 * 1024) /* refuse larger JSON text outright */

enum tx_form { TX_FORM_LEGACY, TX_FORM_HF26 };

struct tx;

/* A transfer-like operation's fields (borrowed from the tx). */
struct tx_transfer {
	const char *op; /* "transfer", "transfer_to_savings", ... */
	const char *from, *to;
	struct asset amount;
	const char *memo; /* may hold NUL bytes: use memo_len */
	size_t memo_len;
};

/*
 * Parses a transaction from JSON text (read with JSON_ALLOW_NUL: memos may
 * hold NUL). Operations in either form, assets as "1.000 HIVE", NAI objects
 * or 2018 NAI arrays; symbols must be the profile's. KERR_PARSE (with *why)
 * for a malformed shape, a bad field, an expiration past 2038-01-19T03:14:07
 * or an oversize memo; KERR_NOTSUP for an operation it cannot serialize.
 */
KIOSK_MUST_CHECK enum kerr tx_parse_json(const char *text, size_t len,
                                         const struct chain_profile *profile, struct tx **out,
                                         const char **why);

/*
 * Parses untrusted JSON text of at most max bytes (else KERR_TOO_BIG with
 * *why = too_big), duplicate keys refused, into *json_out (a json_t *,
 * the caller's to json_decref); KERR_PARSE with *why for bad JSON. why may
 * be NULL. Shared by the transaction and block parsers.
 */
KIOSK_MUST_CHECK enum kerr tx_json_load(const char *text, size_t len, size_t max,
                                        const char *too_big, void **json_out, const char **why);

/* As tx_parse_json, from a jansson value (void * keeps jansson out of this header). */
KIOSK_MUST_CHECK enum kerr tx_from_json(const void *json_value, const struct chain_profile *profile,
                                        struct tx **out, const char **why);

void tx_free(struct tx *tx);

/* The transaction without signatures in the given form. KERR_NOTSUP for
 * TX_FORM_HF26 on a chain without it, KERR_TOO_BIG past cap or 64 KiB. */
KIOSK_MUST_CHECK enum kerr tx_serialize(const struct tx *tx, enum tx_form form, uint8_t *buf,
                                        size_t cap, size_t *len);

/* trx_id = sha256(bytes)[0:20]; digest = sha256(chain id ‖ bytes). */
KIOSK_MUST_CHECK enum kerr tx_id(const struct tx *tx, enum tx_form form, uint8_t out[TX_ID_LEN]);
KIOSK_MUST_CHECK enum kerr tx_digest(const struct tx *tx, enum tx_form form,
                                     uint8_t out[SIG_DIGEST_LEN]);

/*
 * The time of the block that holds the transaction, which picks the chain
 * id (Hive changed it at HF24). Unset, the chain's current id is used: right
 * for anything a member pays today.
 */
void tx_set_block_time(struct tx *tx, int64_t unix_time);

/* The forms this transaction's chain has: 1 (legacy) or 2 (legacy, hf26). */
unsigned tx_form_count(const struct tx *tx);

size_t tx_op_count(const struct tx *tx);
int64_t tx_expiration(const struct tx *tx);

size_t tx_signature_count(const struct tx *tx);

/* Operation i as a transfer; KERR_INVAL if it is not one with from/to/amount/memo. */
KIOSK_MUST_CHECK enum kerr tx_transfer_at(const struct tx *tx, size_t i, struct tx_transfer *out);

/* A custom_json operation's fields (borrowed from the tx). At most
 * TX_CUSTOM_AUTHS_MAX required_auths are listed; n_required_auths counts all. */
#define TX_CUSTOM_AUTHS_MAX 4
struct tx_custom_json {
	const char *id;
	const char *required_auths[TX_CUSTOM_AUTHS_MAX];
	size_t n_required_auths, n_required_posting_auths;
	const char *json; /* may hold NUL bytes: use json_len */
	size_t json_len;
};

/* Operation i as a custom_json; KERR_INVAL if it is not one. */
KIOSK_MUST_CHECK enum kerr tx_custom_json_at(const struct tx *tx, size_t i,
                                             struct tx_custom_json *out);

struct tx_verify_form {
	enum kerr err; /* KERR_OK when every signature passed the rule */
	uint8_t keys[TX_SIGS_MAX][SIG_PUBKEY_LEN];
	size_t bad; /* on failure: the signature refused */
	enum sig_fault fault;
};

struct tx_verify_result {
	size_t count;                  /* signatures */
	unsigned nforms;               /* 1, or 2 on Hive */
	struct tx_verify_form form[2]; /* indexed by enum tx_form */
};

/*
 * Recovers every signature over the digest of each form. Recovery always
 * yields some key, so which form was signed is decided by the caller: the
 * form whose keys satisfy the payer's authority (authority.h). KERR_OK when
 * at least one form passed the kiosk's signature rule; KERR_CRYPTO when none
 * did; KERR_INVAL for a transaction without signatures.
 */
KIOSK_MUST_CHECK enum kerr tx_verify(const struct tx *tx, struct tx_verify_result *out);

#endif
