/*
 * The schema types shared by the operation table (ops_table.c) and the
 * writer that walks it (ops.c). Private to the steem layer.
 */
#ifndef KIOSK_STEEM_OPS_SCHEMA_H
#define KIOSK_STEEM_OPS_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/tx.h"

#define ACCT  16           /* account_name_type: fixed_string<16> */
#define STR   TX_MAX_BYTES /* a string only the transaction size bounds */
#define NO_OP (-1)

enum ftype {
	T_END, /* ends a field list */
	T_STR,
	T_ACCT,
	T_BOOL,
	T_U8,
	T_U16,
	T_I16,
	T_U32,
	T_U64,
	T_I64,
	T_ASSET,
	T_TIME,
	T_KEY,
	T_AUTH,
	T_BYTES,
	T_FIXED, /* hex of exactly max bytes: ids, digests, signatures */
	T_ACCT_SET,
	T_I64_SET,
	T_PROPS,   /* flat_map<string, vector<char>> */
	T_STRUCT,  /* sub: field list */
	T_OPT,     /* sub[0]: the value when present */
	T_VEC,     /* sub[0]: the element */
	T_VARIANT, /* sub: the alternatives, index = position */
	T_VSET,    /* flat_set of a static_variant: sub as T_VARIANT */
	T_VOID,    /* void_t: no bytes */
};

struct field {
	const char *name, *alt; /* JSON key; alt: the other chain's name */
	enum ftype type;
	uint32_t max;
	const struct field *sub;
};

struct op_def {
	const char *name;
	int16_t steem, hive; /* static_variant index; NO_OP: not on that chain */
	bool transfer;
	struct field f[11];
};

/* flat_set<future_extensions>: only void_t exists. */
extern const struct field ops_future_extensions[];

#endif
