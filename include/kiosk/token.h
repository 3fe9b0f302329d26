/*
 * Sidechain token transfers (Steem-Engine, Hive-Engine) as the kiosk sees
 * them: a custom_json operation whose id names the sidechain and whose json
 * is {"contractName":"tokens","contractAction":"transfer","contractPayload":
 * {"symbol","to","quantity","memo"}}, signed with the sender's active key
 * (required_auths). Quantities are exact integers in 10^-precision, where the
 * precision (0..8) is the token's, read from the sidechain (sidechain.h).
 *
 * What the kiosk accepts is narrower than what the sidechain executes: one
 * action per operation, no padding around names, a plain decimal quantity.
 * A transfer refused here may still have moved tokens; staff settle it.
 */
#ifndef KIOSK_TOKEN_H
#define KIOSK_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/site.h"

#define TOKEN_SYMBOL_MAX    10   /* tokens.js create: "max length of 10" */
#define TOKEN_PRECISION_MAX 8    /* tokens.js create: "invalid precision" above 8 */
#define TOKEN_ACCOUNT_MAX   16   /* steemd/hived config.hpp: STEEM_/HIVE_MAX_ACCOUNT_NAME_LENGTH */
#define TOKEN_MEMO_MAX      2047 /* bytes; as a chain transfer's memo (uri.h) */
#define TOKEN_QUANTITY_MAX  32   /* bytes of a quantity's text, without the NUL */
/* steemd/hived config.hpp: STEEM_/HIVE_CUSTOM_OP_DATA_MAX_LENGTH bounds a custom_json's json. */
#define TOKEN_JSON_MAX 8192
/* The whole operation body as JSON text: the json, escaped, and the rest. */
#define TOKEN_OP_MAX (2 * TOKEN_JSON_MAX + 256)

struct token_transfer {
	char from[TOKEN_ACCOUNT_MAX + 1]; /* the one required_auth; "" when built for a URI */
	char to[TOKEN_ACCOUNT_MAX + 1];
	char symbol[TOKEN_SYMBOL_MAX + 1];
	int64_t quantity; /* in 10^-precision; > 0 */
	uint8_t precision;
	char memo[TOKEN_MEMO_MAX + 1];
};

/* The custom_json id of the chain's sidechain: "ssc-mainnet1" on Steem,
 * "ssc-mainnet-hive" on Hive (the node's Streamer matches "ssc-" and its
 * configured chainId). Never NULL for a valid enum site_chain. */
const char *token_sidechain_id(enum site_chain chain);

/* True for 1..10 upper-case letters with at most one '.' between them
 * ("SCT", "SWAP.HIVE"), as the sidechain's tokens contract names them. */
bool token_symbol_valid(const char *symbol);

/* True for a chain account name (3..16 bytes, dot-separated labels of 3 or
 * more: a letter first, a letter or digit last, a-z 0-9 '-' between). */
bool token_account_valid(const char *name);

/*
 * Parses a quantity: digits, optionally '.' and 1..precision decimals, above
 * zero, no sign, exponent, spaces or leading zeros ("10", "10.5", "0.001").
 * The sidechain accepts fewer decimals than the precision, so "10" is 10.000
 * at precision 3. KERR_PARSE (with *why) for anything else, KERR_RANGE past
 * INT64_MAX units, KERR_INVAL for a precision over 8; *out is 0 on failure.
 */
KIOSK_MUST_CHECK enum kerr token_quantity_parse(const char *s, size_t len, uint8_t precision,
                                                int64_t *out, const char **why);

/* Formats units as "10.000" (exactly precision decimals) into buf; KERR_TOO_BIG
 * when it does not fit, KERR_INVAL for a negative quantity or precision over 8. */
KIOSK_MUST_CHECK enum kerr token_quantity_format(int64_t quantity, uint8_t precision, char *buf,
                                                 size_t len);

/*
 * Parses a custom_json's fields into *out: id must be the chain's sidechain id,
 * exactly one required_auth (a valid account) and no posting auths, json at
 * most TOKEN_JSON_MAX bytes holding one object with contractName "tokens",
 * contractAction "transfer" and a contractPayload object of symbol (valid,
 * string), to (a valid account), quantity (a string, token_quantity_parse at
 * `precision`) and memo (a string up to TOKEN_MEMO_MAX bytes, or absent: "").
 * Other payload members are ignored, as the sidechain ignores them; duplicate
 * keys are refused. KERR_PARSE, KERR_INVAL, KERR_TOO_BIG or KERR_RANGE with
 * *why (static text); *out is zeroed on failure.
 */
KIOSK_MUST_CHECK enum kerr token_transfer_parse(enum site_chain chain, const char *id,
                                                const char *const *required_auths,
                                                size_t n_required_auths,
                                                size_t n_required_posting_auths, const char *json,
                                                size_t json_len, uint8_t precision,
                                                struct token_transfer *out, const char **why);

/* As token_transfer_parse, with the custom_json id the site expects (a sidechain testnet's,
 * or token_sidechain_id()'s) instead of the chain's. */
KIOSK_MUST_CHECK enum kerr
token_transfer_parse_id(const char *want_id, const char *id, const char *const *required_auths,
                        size_t n_required_auths, size_t n_required_posting_auths, const char *json,
                        size_t json_len, uint8_t precision, struct token_transfer *out,
                        const char **why);

/*
 * As token_transfer_parse, for a custom_json operation's body as a node sends
 * it: {"required_auths":[…],"required_posting_auths":[…],"id":"…","json":"…"}
 * (at most TOKEN_OP_MAX bytes; other members ignored).
 */
KIOSK_MUST_CHECK enum kerr token_transfer_parse_op(enum site_chain chain, const char *op_json,
                                                   size_t len, uint8_t precision,
                                                   struct token_transfer *out, const char **why);

/*
 * The custom_json's json text for t (from is not part of it):
 * {"contractName":"tokens","contractAction":"transfer","contractPayload":
 * {"symbol":…,"to":…,"quantity":"10.000","memo":…}}, compact, into out.
 * KERR_INVAL (with *why) for a field token_transfer_parse would refuse,
 * KERR_TOO_BIG when it does not fit cap, KERR_NOMEM.
 */
KIOSK_MUST_CHECK enum kerr token_transfer_json(const struct token_transfer *t, char *out,
                                               size_t cap, const char **why);

#endif
