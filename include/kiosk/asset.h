/*
 * Exact money: an int64 count of the asset's smallest unit, its precision and
 * its symbol. No floating point anywhere. Symbols are the chain's text form
 * ("STEEM", "SBD", "HIVE", "HBD", "VESTS"); the chain profile says which
 * symbols a chain has and their NAIs.
 */
#ifndef KIOSK_ASSET_H
#define KIOSK_ASSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

/* bytes: a sidechain token's symbol ("SWAP.HIVE"; tokens.js create, "max length of 10"). The
 * chains' legacy binary form has 7 bytes, and the serializer (ops.c) writes only the chain's own
 * assets, from the chain profile: a token symbol never reaches it. */
#define ASSET_SYMBOL_MAX        10
#define ASSET_LEGACY_SYMBOL_MAX 7
#define ASSET_PRECISION_MAX     12
#define ASSET_STR_MAX           40 /* "-9223372036854775.807 STEEM" + NUL, with room */

struct asset {
	int64_t amount; /* in units of 10^-precision */
	uint8_t precision;
	char symbol[ASSET_SYMBOL_MAX + 1];
};

/*
 * Parses "12.345 STEEM": digits, '.', exactly `precision` decimals where the
 * symbol's precision is known (3 for STEEM/SBD/HIVE/HBD, 6 for VESTS), one
 * space, an upper-case symbol. Negative amounts, thousands separators, extra
 * spaces, lower case and overflow are refused. On error *out is zeroed and,
 * if why is not NULL, *why points to a static reason.
 */
KIOSK_MUST_CHECK enum kerr asset_parse(const char *s, struct asset *out, const char **why);

/* As asset_parse, for len bytes that need not end in NUL (e.g. a JSON
 * string); an embedded NUL byte is refused. */
KIOSK_MUST_CHECK enum kerr asset_parse_n(const char *s, size_t len, struct asset *out,
                                         const char **why);

/* Formats as "12.345 STEEM" into buf (ASSET_STR_MAX is always enough). */
KIOSK_MUST_CHECK enum kerr asset_format(const struct asset *a, char *buf, size_t len);

/* True when symbol and precision are equal. */
bool asset_same_kind(const struct asset *a, const struct asset *b);

/* -1, 0, 1; KERR_INVAL when the kinds differ. */
KIOSK_MUST_CHECK enum kerr asset_cmp(const struct asset *a, const struct asset *b, int *out);

/* *out = a + b, or a - b; KERR_INVAL for different kinds, KERR_OVERFLOW. */
KIOSK_MUST_CHECK enum kerr asset_add(const struct asset *a, const struct asset *b,
                                     struct asset *out);
KIOSK_MUST_CHECK enum kerr asset_sub(const struct asset *a, const struct asset *b,
                                     struct asset *out);

/*
 * A sidechain token's amount: amount units of 10^-precision of symbol (1..10
 * upper-case letters with at most one '.' between them; not one of the chain
 * assets' symbols, which would be the same kind of money as the chain's).
 * KERR_INVAL (*out zeroed) for anything else, a negative amount or a precision
 * over 8 (the sidechain's limit). Token amounts format, compare and add as
 * any other asset; asset_parse refuses them (it knows only chain assets).
 */
KIOSK_MUST_CHECK enum kerr asset_token(const char *symbol, uint8_t precision, int64_t amount,
                                       struct asset *out);

/* Precision of a known symbol, or -1. */
int asset_symbol_precision(const char *symbol);

#endif
