/*
 * Handing goods over, crash-safe. The rule: the intent (this order, this
 * compartment or receipt) is journaled, together with the order's move to
 * handing_over, BEFORE the relay moves or the printer prints; the outcome
 * is journaled after. A restart that finds an order still handing_over does
 * not act again on its own: it records the handover as interrupted and the
 * order waits for the member or staff to resume it explicitly.
 *
 * The module sequences; the caller supplies the journal and the hardware
 * as ops, so the same code runs on the board and in tests.
 */
#ifndef KIOSK_HANDOVER_H
#define KIOSK_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"

enum handover_kind { HANDOVER_LOCKER, HANDOVER_RECEIPT };
enum handover_outcome { HANDOVER_OK, HANDOVER_FAILED, HANDOVER_INTERRUPTED };

/*
 * Stable names, as the journal stores them (never rename one): "locker",
 * "receipt"; "ok", "failed", "interrupted". "?" if invalid.
 */
const char *handover_kind_name(enum handover_kind k);
const char *handover_outcome_name(enum handover_outcome o);

/* Their inverses; KERR_PARSE for an unknown name. */
KIOSK_MUST_CHECK enum kerr handover_kind_parse(const char *name, enum handover_kind *out);
KIOSK_MUST_CHECK enum kerr handover_outcome_parse(const char *name, enum handover_outcome *out);

struct handover_ops {
	/*
	 * In one journal transaction: record the intent and move the order
	 * from `from` to handing_over with cause. KERR_STATE when the order is
	 * no longer in `from` (someone else moved it): nothing is recorded.
	 */
	enum kerr (*begin)(void *ctx, const struct order *o, enum order_state from,
	                   enum handover_kind kind, unsigned compartment, const char *cause,
	                   int64_t *intent_id);
	/* In one transaction: record the outcome and move the order to `to`. */
	enum kerr (*finish)(void *ctx, int64_t intent_id, const struct order *o,
	                    enum handover_outcome outcome, enum order_state to, const char *detail);
	/* Starts the physical act; its result comes later via handover_done(). */
	enum kerr (*act)(void *ctx, const struct order *o, enum handover_kind kind,
	                 unsigned compartment);
};

struct handover {
	const struct handover_ops *ops;
	void *ctx;
	bool busy; /* one handover at a time */
	int64_t intent_id;
	struct order order; /* the order being handed over */
	enum handover_kind kind;
};

void handover_init(struct handover *h, const struct handover_ops *ops, void *ctx);

/*
 * Hands a paid order over (or resumes a failed one when resume is true:
 * only on an explicit request by the member or staff). KERR_STATE when the
 * order's state does not allow it, KERR_BUSY while another runs. On an
 * error from act, the outcome is journaled as failed at once.
 */
KIOSK_MUST_CHECK enum kerr handover_start(struct handover *h, const struct order *o, bool resume,
                                          const char *cause);

/* The act finished: ok (door opened / receipt printed) or not, with detail. */
KIOSK_MUST_CHECK enum kerr handover_done(struct handover *h, bool ok, const char *detail);

/*
 * At start-up, for each order found in handing_over: journal the handover
 * as interrupted and move the order to handover_failed. Never acts.
 */
KIOSK_MUST_CHECK enum kerr handover_recover(struct handover *h, const struct order *o,
                                            int64_t intent_id);

#endif
