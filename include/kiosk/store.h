/*
 * The journal: every persistent fact of the kiosk in one SQLite file (WAL,
 * synchronous=FULL: a write that returned survives a power cut). Each
 * public write is one transaction (or part of the caller's, between
 * store_begin and store_commit): it happens whole or not at all. The event
 * log is append-only, enforced by the database itself.
 *
 * Opening checks before it writes anything: a file from a newer firmware is
 * refused (KERR_VERSION) and a damaged one reported (KERR_CORRUPT); neither
 * is touched. An older schema is migrated forward, one step per transaction.
 *
 * The API is typed: payment methods, settlements, handover kinds and
 * outcomes are enums. The journal keeps storing their stable names (the
 * *_name functions of their headers) in its TEXT columns, so old journals
 * read the same; a name read back that this firmware does not know is
 * KERR_CORRUPT, never guessed.
 */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/handover.h"
#include "kiosk/kerr.h"
#include "kiosk/lockout.h"
#include "kiosk/order.h"
#include "kiosk/pay_method.h"
#include "kiosk/reconcile.h"

#define STORE_SCHEMA_VERSION 11
#define STORE_TRX_ID_MAX     40 /* hex */
#define STORE_DETAIL_MAX     256

struct store;

/*
 * Opens (creating if absent) and migrates. clk stamps every row. For
 * kioskctl and tools: runs the integrity check only on a journal no owner
 * (below) has ever opened, and never sets or clears the owner's mark.
 */
KIOSK_MUST_CHECK enum kerr store_open(const char *path, const struct clock *clk,
                                      struct store **out);

/*
 * The kiosk daemon's open (one owner at a time): as store_open, and the
 * journal is marked "open" (durably, before any other write) until
 * store_close marks it "closed". When an owner finds it not "closed" (a
 * power cut, crash or kill stopped the last owner; or no owner ever opened
 * it), SQLite's quick_check runs first, before anything is written: a
 * second at a million orders, so only then. kioskctl opening the journal
 * while the daemon runs (or after it died) sees "open" and leaves it so.
 */
KIOSK_MUST_CHECK enum kerr store_open_owner(const char *path, const struct clock *clk,
                                            struct store **out);

/* Whether this open ran the integrity check (observable for tests and logs). */
bool store_open_checked(const struct store *s);

/* Tests: create a journal only up to schema `version` (an "old" file). */
KIOSK_MUST_CHECK enum kerr store_open_at_version(const char *path, const struct clock *clk,
                                                 int version, struct store **out);

void store_close(struct store *s);

/* The schema version of the open journal. */
int store_version(const struct store *s);

/* Tests: the n-th write statement from now fails with err (n >= 1; 0 = never). */
void store_fail_after(struct store *s, unsigned n, enum kerr err);

/* Groups several writes into one transaction; they nest (counted). */
KIOSK_MUST_CHECK enum kerr store_begin(struct store *s);
KIOSK_MUST_CHECK enum kerr store_commit(struct store *s);
void store_rollback(struct store *s);

/* Orders. Insert: KERR_EXISTS for a known id. */
KIOSK_MUST_CHECK enum kerr store_order_insert(struct store *s, const struct order *o);
KIOSK_MUST_CHECK enum kerr store_order_get(struct store *s, const char *id, struct order *out);
/* Up to max orders (by id), all or only those in `state` (state < 0: all). */
KIOSK_MUST_CHECK enum kerr store_order_list(struct store *s, int state, struct order *out,
                                            unsigned max, unsigned *n);
/* Cheap at any size (counts kept by triggers). */
KIOSK_MUST_CHECK enum kerr store_order_count(struct store *s, int state, unsigned *n);

/*
 * The order a member means by what they typed or scanned. First the order
 * whose id is exactly key (any state). Otherwise, for a key of at least
 * STORE_SUFFIX_MIN bytes, the one order still open (not handed over or
 * cancelled) whose id ends with key, compared byte for byte. KERR_NOTFOUND
 * for an empty or shorter key, no match, or more than one match: an
 * ambiguous suffix picks nothing. The suffix search reads the ids of the
 * open orders only (by index), never the closed ones.
 */
#define STORE_SUFFIX_MIN 3
KIOSK_MUST_CHECK enum kerr store_order_find(struct store *s, const char *key, struct order *out);

/*
 * Browsing, keyset style (no cap, no offset): the first order by id after
 * `from` (step > 0) or the last before it (step < 0) among the orders
 * browsing shows: not final and not being handed over. from "" (or NULL)
 * starts at either end. KERR_NOTFOUND past the end. Each call is a few
 * index lookups, whatever the journal's size.
 */
KIOSK_MUST_CHECK enum kerr store_order_browse(struct store *s, const char *from, int step,
                                              struct order *out);

/*
 * Moves an order from `from` to `to` and appends an event with cause, in one
 * transaction. KERR_STATE (nothing written) when it is no longer in `from`.
 */
KIOSK_MUST_CHECK enum kerr store_order_set_state(struct store *s, const char *id,
                                                 enum order_state from, enum order_state to,
                                                 const char *cause);

/* Payment requests: the memo is unique across all orders, for ever. */
struct store_request {
	char order_id[ORDER_ID_MAX + 1];
	char memo[ORDER_MEMO_MAX + 1];
	struct asset amount;
	int64_t created_ms, expires_ms;
};
KIOSK_MUST_CHECK enum kerr store_request_insert(struct store *s, const struct store_request *r);
KIOSK_MUST_CHECK enum kerr store_request_find(struct store *s, const char *memo,
                                              struct store_request *out);
/* The newest request of an order; KERR_NOTFOUND if none. */
KIOSK_MUST_CHECK enum kerr store_request_of_order(struct store *s, const char *order_id,
                                                  struct store_request *out);

/* Transfers seen on chain; (trx_id, op_index) is unique. */
enum store_transfer_status {
	STORE_TRANSFER_NEW,        /* seen, not yet decided */
	STORE_TRANSFER_MATCHED,    /* counted towards order_id */
	STORE_TRANSFER_FOR_STAFF,  /* unknown or encrypted memo */
	STORE_TRANSFER_REFUND_DUE, /* wrong asset, closed order, overpaid part */
	STORE_TRANSFER_OUTGOING,   /* from the co-op: a refund paid back (store_report.h) */
};
struct store_transfer {
	int64_t rowid;
	char trx_id[STORE_TRX_ID_MAX + 1];
	uint32_t op_index;
	uint32_t block;
	int64_t timestamp_ms;
	char from[ORDER_ACCOUNT_MAX + 1], to[ORDER_ACCOUNT_MAX + 1];
	struct asset amount;
	char memo[2048];
	size_t memo_len;
	char order_id[ORDER_ID_MAX + 1]; /* "" unless matched */
	enum store_transfer_status status;
	unsigned nodes;      /* different nodes that proved it (0 is read as 1) */
	char proved_by[256]; /* the first node's URL ("" before schema 3) */
};
/* The highest block of any recorded transfer (0 if none). */
KIOSK_MUST_CHECK enum kerr store_transfer_newest_block(struct store *s, uint32_t *block);
/* KERR_EXISTS when this (trx_id, op_index) was recorded before: counts once. */
KIOSK_MUST_CHECK enum kerr store_transfer_insert(struct store *s, struct store_transfer *t);
KIOSK_MUST_CHECK enum kerr store_transfer_seen(struct store *s, const char *trx_id,
                                               uint32_t op_index, bool *seen);
/* A second node proved it too: nodes = 2. KERR_NOTFOUND if it was never recorded. */
KIOSK_MUST_CHECK enum kerr store_transfer_agreed(struct store *s, const char *trx_id,
                                                 uint32_t op_index);
/* Counts the transfer towards an order; KERR_STATE if it already counts for one. */
KIOSK_MUST_CHECK enum kerr store_transfer_match(struct store *s, int64_t rowid,
                                                const char *order_id);
/* The first transfer matched to an order (receipts); KERR_NOTFOUND if none. */
KIOSK_MUST_CHECK enum kerr store_transfer_of_order(struct store *s, const char *order_id,
                                                   struct store_transfer *out);
/*
 * Every transfer counted towards an order (status matched), oldest first,
 * up to max: each must meet the confirmation policy (a top-up as much as
 * the first part).
 */
KIOSK_MUST_CHECK enum kerr store_transfers_of_order(struct store *s, const char *order_id,
                                                    struct store_transfer *out, unsigned max,
                                                    unsigned *n);
/* Transfers in the order they were recorded, after rowid after_rowid, up to max. */
KIOSK_MUST_CHECK enum kerr store_transfer_list(struct store *s, int64_t after_rowid,
                                               struct store_transfer *out, unsigned max,
                                               unsigned *n);
/* Sum of the transfers matched to an order, in `kind`'s asset. */
KIOSK_MUST_CHECK enum kerr store_transfer_sum(struct store *s, const char *order_id,
                                              const struct asset *kind, struct asset *sum);

/* Refunds owed to payers. */
KIOSK_MUST_CHECK enum kerr store_refund_insert(struct store *s, int64_t transfer_rowid,
                                               const char *payer, const struct asset *amount,
                                               const char *reason);
KIOSK_MUST_CHECK enum kerr store_refund_count(struct store *s, unsigned *n);

/*
 * Handovers: the intent row before the act, the outcome after (KERR_STATE
 * when it has one already). KERR_INVAL for a kind or outcome out of range.
 */
struct store_handover {
	int64_t id;
	char order_id[ORDER_ID_MAX + 1];
	enum handover_kind kind;
	unsigned compartment;
	int64_t intent_ms;
};
KIOSK_MUST_CHECK enum kerr store_handover_intent(struct store *s, const char *order_id,
                                                 enum handover_kind kind, unsigned compartment,
                                                 int64_t *id);
KIOSK_MUST_CHECK enum kerr store_handover_outcome(struct store *s, int64_t id,
                                                  enum handover_outcome outcome,
                                                  const char *detail);
/*
 * Intents without an outcome (after a crash: interrupted handovers).
 * KERR_CORRUPT for a kind this firmware does not know.
 */
KIOSK_MUST_CHECK enum kerr store_handover_pending(struct store *s, struct store_handover *out,
                                                  unsigned max, unsigned *n);

/*
 * Staff confirmations of payment. Inserted pending (settlement is set to
 * RECONCILE_PENDING); KERR_INVAL for a method out of range.
 */
struct store_confirmation {
	int64_t id;
	char order_id[ORDER_ID_MAX + 1];
	char staff[33];
	enum pay_method method;
	char reason[STORE_DETAIL_MAX];
	int64_t at_ms;
	enum reconcile_state settlement;
	struct asset due;
};
KIOSK_MUST_CHECK enum kerr store_confirmation_insert(struct store *s, struct store_confirmation *c);
/*
 * Up to max confirmations (by id), all (settlement < 0) or only those with
 * that settlement (an enum reconcile_state). KERR_CORRUPT for a method or
 * settlement this firmware does not know.
 */
KIOSK_MUST_CHECK enum kerr store_confirmation_list(struct store *s, int settlement,
                                                   struct store_confirmation *out, unsigned max,
                                                   unsigned *n);
/* KERR_NOTFOUND for an unknown id, KERR_INVAL for a settlement out of range. */
KIOSK_MUST_CHECK enum kerr store_confirmation_settle(struct store *s, int64_t id,
                                                     enum reconcile_state settlement,
                                                     const struct asset *due);

/* Staff code attempts (for the lockout and the record). */
KIOSK_MUST_CHECK enum kerr store_staff_attempt(struct store *s, const char *staff, bool ok,
                                               const char *detail);

/* The watcher's place in the chain, per chain and account. */
struct store_cursor {
	int64_t history_index; /* last account-history index read; -1 = none */
	uint32_t block;        /* last block read; 0 = none */
	int64_t block_time_ms; /* that block's time */
};
KIOSK_MUST_CHECK enum kerr store_cursor_get(struct store *s, const char *chain, const char *account,
                                            struct store_cursor *out);
KIOSK_MUST_CHECK enum kerr store_cursor_set(struct store *s, const char *chain, const char *account,
                                            const struct store_cursor *c);

/*
 * A transfer to the co-op that could not be proven, though no node lied
 * (an operation the kiosk does not serialize, an authority it cannot
 * resolve, a signature outside its rule): never paid, shown to staff
 * (store_unverified.c). Once per trx_id and op_index.
 */
struct store_unverified {
	char trx_id[41];
	uint32_t op_index;
	uint32_t block;
	int64_t timestamp_ms;
	char from[17];
	struct asset amount;
	char memo[2048]; /* not NUL-ended */
	size_t memo_len;
	char reason[128];
	int64_t first_seen_ms; /* set by the store */
};
/* Records it; *is_new false when it was recorded before (nothing changes then). */
KIOSK_MUST_CHECK enum kerr store_unverified_insert(struct store *s,
                                                   const struct store_unverified *u, bool *is_new);
/* How many there are, and the newest (first seen last); *n = 0: none, *newest untouched. */
KIOSK_MUST_CHECK enum kerr store_unverified_newest(struct store *s, unsigned long *n,
                                                   struct store_unverified *newest);
/* Each first seen in [from_ms, to_ms), oldest first. */
KIOSK_MUST_CHECK enum kerr
store_unverified_each(struct store *s, int64_t from_ms, int64_t to_ms,
                      void (*fn)(const struct store_unverified *u, void *arg), void *arg);
/* The reason recorded for it (a token transfer's changes as the sidechain answers);
 * KERR_NOTFOUND when none is recorded. */
KIOSK_MUST_CHECK enum kerr store_unverified_reason(struct store *s, const char *trx_id,
                                                   uint32_t op_index, char *reason, size_t cap);
KIOSK_MUST_CHECK enum kerr store_unverified_set_reason(struct store *s, const char *trx_id,
                                                       uint32_t op_index, const char *reason);
/*
 * A transfer refused as a node's lie: noted once per trx_id and reason (a
 * lie every node serves is met on every poll); *first true the first time.
 */
KIOSK_MUST_CHECK enum kerr store_refused_note(struct store *s, const char *trx_id,
                                              const char *reason, bool *first);

/* One line of a report: payments, handovers and refunds due in a time range. */
struct store_report_row {
	const char *kind; /* "payment", "handover", "refund_due" */
	int64_t at_ms;
	const char *order_id; /* may be "" */
	const char *who;      /* payer, or compartment/kind */
	struct asset amount;  /* zero amount for handovers */
	const char *detail;   /* trx id, outcome, reason */
};
KIOSK_MUST_CHECK enum kerr store_report(struct store *s, int64_t from_ms, int64_t to_ms,
                                        void (*fn)(const struct store_report_row *r, void *arg),
                                        void *arg);

/* The append-only event log. */
KIOSK_MUST_CHECK enum kerr store_event(struct store *s, const char *order_id, const char *kind,
                                       const char *detail);
/* SQLite's full integrity check: KERR_OK, or KERR_CORRUPT (logged with the first problem). */
KIOSK_MUST_CHECK enum kerr store_integrity_check(struct store *s);

/* Time of the newest event (0 if none): the clock-plausibility floor. */
KIOSK_MUST_CHECK enum kerr store_last_event_ms(struct store *s, int64_t *ms);

/*
 * The newest event of this kind: its id (id may be NULL), time and detail;
 * KERR_NOTFOUND if none. Indexed by kind: cheap enough to ask every second.
 */
KIOSK_MUST_CHECK enum kerr store_last_event_of(struct store *s, const char *kind, int64_t *id,
                                               int64_t *at_ms, char *detail, size_t cap);

/* Calls fn for each event from after_id on, oldest first, up to max. */
struct store_event_row {
	int64_t id, at_ms;
	const char *order_id, *kind, *detail;
};
KIOSK_MUST_CHECK enum kerr store_events(struct store *s, int64_t after_id, unsigned max,
                                        void (*fn)(const struct store_event_row *e, void *arg),
                                        void *arg);

/*
 * The block-signing key of each witness, as the kiosk learned it (from a
 * quorum of nodes, or confirmed by staff): blocks are believed only when
 * signed by it (docs/watcher.md). key is the public key's text (STM...);
 * how says where it came from ("quorum", "staff"). KERR_NOTFOUND if none.
 */
KIOSK_MUST_CHECK enum kerr store_witness_key_get(struct store *s, const char *chain,
                                                 const char *witness, char *key, size_t cap);
KIOSK_MUST_CHECK enum kerr store_witness_key_set(struct store *s, const char *chain,
                                                 const char *witness, const char *key,
                                                 const char *how);

/*
 * A recorded transfer's block left the chain (a fork): the transfer, its
 * match and any refund owed on it are removed, so that the same transaction
 * counts again if a later block holds it. order_id gets the order it was
 * counted towards ("" if none). KERR_NOTFOUND if it was never recorded.
 */
KIOSK_MUST_CHECK enum kerr store_transfer_revert(struct store *s, const char *trx_id,
                                                 uint32_t op_index, char *order_id, size_t cap);

/*
 * Pickup codes (store_pickup.c): the proof that whoever collects a paid
 * order is the member it was made for. Only a salted hash is kept; the code
 * itself is shown once, where it is made.
 */
#define STORE_PICKUP_SALT_LEN 16
#define STORE_PICKUP_HASH_LEN 32
struct store_pickup {
	char order_id[ORDER_ID_MAX + 1];
	uint8_t salt[STORE_PICKUP_SALT_LEN];
	uint8_t hash[STORE_PICKUP_HASH_LEN];
	unsigned digits;
	int64_t made_ms;
};
/* Sets an order's code, voiding any earlier one (*replaced says so; may be
 * NULL); journals "pickup_code". KERR_NOTFOUND for an unknown order. */
KIOSK_MUST_CHECK enum kerr store_pickup_set(struct store *s, const struct store_pickup *p,
                                            bool *replaced);
/* KERR_NOTFOUND when the order has no code. */
KIOSK_MUST_CHECK enum kerr store_pickup_get(struct store *s, const char *order_id,
                                            struct store_pickup *out);

/*
 * Wrong-code lockouts by scope: "order:<id>" and "kiosk" (pickup codes),
 * "staff" (staff codes). Get gives all zeros for a scope never written.
 */
KIOSK_MUST_CHECK enum kerr store_lockout_get(struct store *s, const char *scope,
                                             struct lockout *out);
KIOSK_MUST_CHECK enum kerr store_lockout_put(struct store *s, const char *scope,
                                             const struct lockout *l);
/* Calls fn for each scope locked at now_ms, soonest end first. */
KIOSK_MUST_CHECK enum kerr
store_lockout_active(struct store *s, int64_t now_ms,
                     void (*fn)(const char *scope, const struct lockout *l, void *arg), void *arg);
/* Staff lift a lockout (failures and level cleared); journals "lockout_cleared"
 * with who did it. KERR_NOTFOUND when the scope was not locked. */
KIOSK_MUST_CHECK enum kerr store_lockout_clear(struct store *s, const char *scope,
                                               const char *actor, int64_t now_ms);

#endif
