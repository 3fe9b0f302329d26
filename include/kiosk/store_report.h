/*
 * The journal's money, for reports and refunds (firmware/store/store_report.c):
 * every movement by section, each its own query, so a report can print
 * them one section at a time (and a new kind of movement is a new
 * section), and the refunds owed to payers with their payment.
 *
 * Amounts are exact (asset.h); the time ranges are [from_ms, to_ms).
 */
#ifndef KIOSK_STORE_REPORT_H
#define KIOSK_STORE_REPORT_H

#include "kiosk/store.h"

#define STORE_REFUND_MEMO_PREFIX "RF-"

/* One movement of money (or, for handovers, of goods). */
struct store_movement {
	int64_t id; /* the row in its own table */
	int64_t at_ms;
	const char *order_id; /* "" when none */
	const char *who;      /* payer, staff member, or payee of a refund */
	const char *method;   /* chain, cash, bank, waived, chain_pending; "" */
	struct asset amount;  /* zero (no symbol) for handovers */
	const char *ref;      /* trx id, refund memo; "" */
	const char *detail;   /* reason, outcome */
};
typedef void store_movement_fn(const struct store_movement *m, void *arg);

/* Transfers to the co-op counted towards an order (the whole transfer). */
KIOSK_MUST_CHECK enum kerr store_report_chain_payments(struct store *s, int64_t from_ms,
                                                       int64_t to_ms, store_movement_fn *fn,
                                                       void *arg);
/* Transfers to the co-op that pay nothing: all owed back (wrong asset, closed order). */
KIOSK_MUST_CHECK enum kerr store_report_returned(struct store *s, int64_t from_ms, int64_t to_ms,
                                                 store_movement_fn *fn, void *arg);
/* Transfers whose memo is no order's code (or encrypted): staff must find the payer's order. */
KIOSK_MUST_CHECK enum kerr store_report_unknown_memo(struct store *s, int64_t from_ms,
                                                     int64_t to_ms, store_movement_fn *fn,
                                                     void *arg);
/* Staff confirmations: method, amount it stood for, staff member (who), reason (detail). */
KIOSK_MUST_CHECK enum kerr store_report_confirmations(struct store *s, int64_t from_ms,
                                                      int64_t to_ms, store_movement_fn *fn,
                                                      void *arg);
/* Refunds that fell due in the range: payer, order, memo (ref), reason. */
KIOSK_MUST_CHECK enum kerr store_report_refunds_due(struct store *s, int64_t from_ms, int64_t to_ms,
                                                    store_movement_fn *fn, void *arg);
/* Refunds paid in the range: by whom (detail), with which transaction (ref). */
KIOSK_MUST_CHECK enum kerr store_report_refunds_paid(struct store *s, int64_t from_ms,
                                                     int64_t to_ms, store_movement_fn *fn,
                                                     void *arg);
/* Transfers from the co-op that closed no refund (a refund memo that matched none). */
KIOSK_MUST_CHECK enum kerr store_report_outgoing_unmatched(struct store *s, int64_t from_ms,
                                                           int64_t to_ms, store_movement_fn *fn,
                                                           void *arg);
/* Handovers started in the range: kind and compartment (who), outcome (detail). */
KIOSK_MUST_CHECK enum kerr store_report_handovers(struct store *s, int64_t from_ms, int64_t to_ms,
                                                  store_movement_fn *fn, void *arg);

/* The amount a confirmation stands for (what was still due then). */
KIOSK_MUST_CHECK enum kerr store_confirmation_set_amount(struct store *s, int64_t id,
                                                         const struct asset *amount);
/* The newest confirmation of an order; KERR_NOTFOUND if none. */
KIOSK_MUST_CHECK enum kerr store_confirmation_of_order(struct store *s, const char *order_id,
                                                       struct store_confirmation *out,
                                                       struct asset *amount);

/* A refund owed to a payer. */
struct store_refund {
	int64_t id;
	int64_t transfer_id;             /* the transfer that brought the money in */
	char order_id[ORDER_ID_MAX + 1]; /* "" when the memo named no order */
	char payer[ORDER_ACCOUNT_MAX + 1];
	struct asset amount;
	char reason[64];
	char memo[ORDER_MEMO_MAX + 1]; /* RF-<id>: the memo the refund transfer bears */
	int64_t at_ms;
	int64_t paid_ms;  /* 0 while owed */
	char paid_by[40]; /* staff member, or "chain" */
	char paid_trx[STORE_TRX_ID_MAX + 1];
};
/* Up to max refunds by id: all, or only those still owed. */
KIOSK_MUST_CHECK enum kerr store_refund_list(struct store *s, bool owed_only,
                                             struct store_refund *out, unsigned max, unsigned *n);
KIOSK_MUST_CHECK enum kerr store_refund_get(struct store *s, int64_t id, struct store_refund *out);
/* By its memo (as payment_memo_key reads it: trimmed, upper case). */
KIOSK_MUST_CHECK enum kerr store_refund_by_memo(struct store *s, const char *memo,
                                                struct store_refund *out);
/* Refunds of an order still owed. */
KIOSK_MUST_CHECK enum kerr store_refund_owed_for_order(struct store *s, const char *order_id,
                                                       unsigned *n);
/* Refunds still owed, in all. */
KIOSK_MUST_CHECK enum kerr store_refund_owed_count(struct store *s, unsigned *n);
/*
 * Records the refund as paid, by `by` (staff member or "chain"), with trx
 * ("" when unknown), and journals a refund_paid event: one transaction.
 * KERR_STATE if it was paid before (nothing written), KERR_NOTFOUND if none.
 */
KIOSK_MUST_CHECK enum kerr store_refund_paid(struct store *s, int64_t id, const char *by,
                                             const char *trx);

#endif
