/*
 * Chain operations as schemas: every non-virtual operation of steemd and
 * hived, each a list of fields in FC_REFLECT order with their types, so
 * that any transaction's bytes (and so its id and signing digest) can be
 * recomputed from a node's JSON, not only the ones that pay the kiosk.
 * The operation body is read straight from the JSON and written in the
 * requested binary form; anything the schema does not describe is refused
 * with a reason, never guessed. Used by tx.c; pure, no I/O.
 */
#ifndef KIOSK_OPS_H
#define KIOSK_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/tx.h"

/* Entries a set, map or authority may hold here (the chains allow 40 key
 * and account entries in an authority: HIVE_MAX_AUTHORITY_MEMBERSHIP). */
#define OPS_SET_MAX 64

/* A byte buffer with a hard cap; over is sticky. */
struct ops_buf {
	uint8_t *b;
	size_t cap, len;
	bool over;
};

void ops_put(struct ops_buf *w, const void *p, size_t n);
void ops_put_le(struct ops_buf *w, uint64_t v, unsigned n);
void ops_put_varint(struct ops_buf *w, uint64_t v);

struct op_def;

/*
 * The operation named `name` ("transfer" or "transfer_operation") on the
 * profile's chain; NULL when the chain has no such non-virtual operation.
 */
const struct op_def *ops_find(const struct chain_profile *p, const char *name);

/* Its condenser name ("transfer") and its id on the profile's chain. */
const char *ops_name(const struct op_def *d);
uint32_t ops_id(const struct op_def *d, const struct chain_profile *p);

/* True for the operations with from, to, amount and memo (transfer, savings). */
bool ops_is_transfer(const struct op_def *d);

/*
 * Writes the operation (varint id, then its fields) from its JSON body (a
 * jansson object, void * keeps jansson out). KERR_PARSE for a field missing
 * or malformed, KERR_NOTSUP for a value the schema cannot write (an unknown
 * extension type, a set too large to order here), KERR_TOO_BIG when w
 * fills; *why says which.
 */
KIOSK_MUST_CHECK enum kerr ops_write(const struct op_def *d, const void *body,
                                     const struct chain_profile *p, enum tx_form form,
                                     struct ops_buf *w, const char **why);

/* Transaction-level extensions (future_extensions: only void_t exists). */
KIOSK_MUST_CHECK enum kerr ops_write_extensions(const void *json_array, struct ops_buf *w,
                                                const char **why);

/* An asset from "1.000 HIVE", {amount, precision, nai} or ["1000", 3, "@@..."]. */
KIOSK_MUST_CHECK enum kerr ops_parse_asset(const void *json, const struct chain_profile *p,
                                           struct asset *out, const char **why);

#endif
