/*
 * Blocks as a node serves them (condenser_api.get_block, block_api.get_block,
 * either chain), checked from their own bytes so that nodes agreeing on a
 * made-up block are not believed: the signed header is serialized as the
 * chain does, its id and signing digest computed, the witness's key
 * recovered from witness_signature, and the transaction merkle root
 * recomputed from the transactions' bytes. Pure: no network, no clock.
 *
 * What this cannot know alone: whether the recovered key is the key the
 * named witness had registered at that time, and whether the witness was
 * scheduled. The caller compares block_verdict.signing_key with the key it
 * tracks (block_signed_by). docs/chain.md, "Blocks", has the rules and their
 * sources.
 */
#ifndef KIOSK_BLOCK_H
#define KIOSK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/key.h"
#include "kiosk/sig.h"
#include "kiosk/tx.h"

#define BLOCK_ID_LEN      20                /* ripemd160-sized: block_id_type */
#define BLOCK_MERKLE_LEN  20                /* checksum_type */
#define BLOCK_WITNESS_MAX 16                /* account names */
#define BLOCK_EXT_MAX     8                 /* header extensions the kiosk reads */
#define BLOCK_TX_MAX      10000             /* more than any block has held */
#define BLOCK_JSON_MAX    (4 * 1024 * 1024) /* a 64 KiB block is far less in JSON */
#define BLOCK_REASON_MAX  192
/* Hive and Steem HF20 (2018-09-25T15:00:00Z): witness signatures of blocks
 * up to this time had to pass the fc rule, later ones low-s (BIP 62). */
#define BLOCK_HF20_TIME 1537887600

struct block;

/*
 * Parses a block: the object condenser_api.get_block returns, or
 * block_api.get_block's {"block": {...}}. previous, timestamp, witness,
 * transaction_merkle_root, extensions, witness_signature and transactions
 * are required; block_id, signing_key and transaction_ids (the node's
 * claims, checked by block_verify) are optional. A transaction tx.c cannot
 * read does not fail the parse: it makes the merkle root uncheckable.
 * KERR_PARSE (with *why) for a malformed shape, KERR_TOO_BIG past the
 * bounds above, KERR_NOTSUP for a header extension this code cannot
 * serialize (the id cannot be computed: never guessed).
 */
KIOSK_MUST_CHECK enum kerr block_parse_json(const char *text, size_t len,
                                            const struct chain_profile *profile, struct block **out,
                                            const char **why);

/* As block_parse_json, from a jansson value (void * keeps jansson out of this
 * header). The block keeps a reference to it: do not change it meanwhile. */
KIOSK_MUST_CHECK enum kerr block_from_json(const void *json_value,
                                           const struct chain_profile *profile, struct block **out,
                                           const char **why);

void block_free(struct block *b);

enum block_merkle {
	BLOCK_MERKLE_OK,           /* recomputed root equals the header's */
	BLOCK_MERKLE_CANNOT_CHECK, /* some transaction's bytes are beyond tx.c: not a lie */
	BLOCK_MERKLE_MISMATCH,     /* the transactions are not the ones the witness signed */
};

const char *block_merkle_str(enum block_merkle m);

struct block_verdict {
	enum kerr result;         /* what block_verify returned */
	uint32_t num;             /* from previous: num(previous) + 1 */
	uint8_t id[BLOCK_ID_LEN]; /* computed from the signed header */
	uint8_t previous[BLOCK_ID_LEN];
	char id_hex[2 * BLOCK_ID_LEN + 1], previous_hex[2 * BLOCK_ID_LEN + 1];
	int64_t time_s;
	char witness[BLOCK_WITNESS_MAX + 1];
	uint8_t digest[SIG_DIGEST_LEN]; /* what the witness signed: sha256(header) */
	bool signature_ok;              /* passed the block rule and recovered a key */
	enum sig_fault sig_fault;       /* the kiosk rule's fault, if any */
	bool fc_rule_failed;            /* a pre-HF20 block whose signature is not fc-canonical */
	uint8_t signing_key[SIG_PUBKEY_LEN];
	char signing_key_text[KEY_TEXT_MAX];
	bool node_id_served, node_key_served; /* the node's claims that were compared */
	enum block_merkle merkle;
	uint8_t merkle_root[BLOCK_MERKLE_LEN]; /* the header's (what was signed) */
	size_t tx_count;
	size_t unchecked;              /* transactions whose bytes could not be computed */
	char reason[BLOCK_REASON_MAX]; /* why the verdict is not KERR_OK; "" when it is */
};

/*
 * Checks the block from its bytes and fills *out. KERR_OK: the witness
 * signature recovered under the block rule, the node's block_id and
 * signing_key (when served) equal the computed ones, every served
 * transaction id is its transaction's, and the merkle root matches.
 * KERR_NOTSUP: all of that except the merkle root, which cannot be
 * checked (out->reason says which transaction and why). KERR_CRYPTO: the
 * signature is refused. KERR_PROTO: the node's claims or the merkle root
 * contradict the bytes. KERR_NOMEM. out is filled as far as it got.
 */
KIOSK_MUST_CHECK enum kerr block_verify(const struct block *b, struct block_verdict *out);

/* KERR_OK when v's signature recovered exactly key; KERR_CRYPTO otherwise. */
KIOSK_MUST_CHECK enum kerr block_signed_by(const struct block_verdict *v,
                                           const uint8_t key[SIG_PUBKEY_LEN]);

/*
 * KERR_OK when child's previous is parent's id (so child is parent's
 * successor: an id carries its block number); KERR_PROTO otherwise.
 */
KIOSK_MUST_CHECK enum kerr block_links(const struct block_verdict *parent,
                                       const struct block_verdict *child);

size_t block_tx_count(const struct block *b);

/*
 * Transaction i, read again from the block's JSON, its block time set (the
 * chain id of its signatures); the caller frees it with tx_free. Errors as
 * tx_from_json; KERR_INVAL when i is past the end.
 */
KIOSK_MUST_CHECK enum kerr block_tx_get(const struct block *b, size_t i, struct tx **out,
                                        const char **why);

/*
 * Where the transaction with this id is in the block, only when that is
 * proven: v must be block_verify's verdict for b with KERR_OK. ids are
 * computed from each transaction's bytes, never taken from the node.
 * KERR_OK with *index; KERR_NOTFOUND; KERR_NOTSUP when v's merkle root
 * could not be checked; KERR_PROTO when the block is not proven; KERR_INVAL
 * when v is not b's verdict.
 */
KIOSK_MUST_CHECK enum kerr block_tx_find(const struct block *b, const struct block_verdict *v,
                                         const uint8_t trx_id[TX_ID_LEN], size_t *index);

#endif
