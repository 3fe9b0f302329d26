#include "kiosk/handover.h"

#include <string.h>

#include "kiosk/compiler.h"
#include "kiosk/log.h"
#include "kiosk/order_fsm.h"

/* These names are stored in the journal: never rename one, only add. */
static const char *const kind_names[] = {
    [HANDOVER_LOCKER] = "locker",
    [HANDOVER_RECEIPT] = "receipt",
};
static const char *const outcome_names[] = {
    [HANDOVER_OK] = "ok",
    [HANDOVER_FAILED] = "failed",
    [HANDOVER_INTERRUPTED] = "interrupted",
};

const char *handover_kind_name(enum handover_kind k)
{
	return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}

const char *handover_outcome_name(enum handover_outcome o)
{
	return (unsigned)o < ARRAY_SIZE(outcome_names) ? outcome_names[o] : "?";
}

/* The index of name in names (n of them), or -1. */
static int name_index(const char *const *names, unsigned n, const char *name)
{
	for (unsigned i = 0; name && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

enum kerr handover_kind_parse(const char *name, enum handover_kind *out)
{
	int i = name_index(kind_names, ARRAY_SIZE(kind_names), name);

	*out = i < 0 ? HANDOVER_LOCKER : (enum handover_kind)i;
	return i < 0 ? KERR_PARSE : KERR_OK;
}

enum kerr handover_outcome_parse(const char *name, enum handover_outcome *out)
{
	int i = name_index(outcome_names, ARRAY_SIZE(outcome_names), name);

	*out = i < 0 ? HANDOVER_OK : (enum handover_outcome)i;
	return i < 0 ? KERR_PARSE : KERR_OK;
}

void handover_init(struct handover *h, const struct handover_ops *ops, void *ctx)
{
	memset(h, 0, sizeof(*h));
	h->ops = ops;
	h->ctx = ctx;
}

enum kerr handover_start(struct handover *h, const struct order *o, bool resume, const char *cause)
{
	enum order_event ev = resume ? ORDER_EV_RESUME : ORDER_EV_HANDOVER_START;
	enum handover_kind kind =
	    o->pickup == ORDER_PICKUP_LOCKER ? HANDOVER_LOCKER : HANDOVER_RECEIPT;
	enum order_state to;
	enum kerr err;

	if (h->busy)
		return KERR_BUSY;
	err = order_fsm_next(o->state, ev, &to);
	if (err || to != ORDER_HANDING_OVER) {
		log_warn("order %s: no handover from state %s (%s)", o->id,
		         order_state_name(o->state), resume ? "resume" : "start");
		return KERR_STATE;
	}
	if (kind == HANDOVER_LOCKER && o->compartment == 0)
		return KERR_INVAL;
	/* Intent first: after a crash from here on, the journal knows. */
	err = h->ops->begin(h->ctx, o, o->state, kind, o->compartment, cause, &h->intent_id);
	if (err)
		return err;
	h->busy = true;
	h->order = *o;
	h->order.state = ORDER_HANDING_OVER;
	h->kind = kind;
	err = h->ops->act(h->ctx, &h->order, kind, o->compartment);
	if (err) {
		enum kerr ferr = handover_done(h, false, kerr_str(err));

		return ferr ? ferr : err;
	}
	return KERR_OK;
}

enum kerr handover_done(struct handover *h, bool ok, const char *detail)
{
	enum order_state to;
	enum kerr err;

	if (!h->busy)
		return KERR_STATE;
	err = order_fsm_next(ORDER_HANDING_OVER,
	                     ok ? ORDER_EV_HANDOVER_DONE : ORDER_EV_HANDOVER_FAIL, &to);
	if (err)
		return err;
	err = h->ops->finish(h->ctx, h->intent_id, &h->order, ok ? HANDOVER_OK : HANDOVER_FAILED,
	                     to, detail ? detail : "");
	if (err) {
		/* The outcome could not be written: stay busy so nothing else starts;
		 * a restart will find the order handing_over and mark it interrupted. */
		log_err("order %s: handover outcome not journaled (%s); restart to recover",
		        h->order.id, kerr_str(err));
		return err;
	}
	h->busy = false;
	return KERR_OK;
}

enum kerr handover_recover(struct handover *h, const struct order *o, int64_t intent_id)
{
	enum order_state to;
	enum kerr err = order_fsm_next(o->state, ORDER_EV_INTERRUPTED, &to);

	if (err)
		return err;
	log_warn("order %s: handover was interrupted (restart); waiting for the member or staff "
	         "to resume it",
	         o->id);
	return h->ops->finish(h->ctx, intent_id, o, HANDOVER_INTERRUPTED, to,
	                      "interrupted by a restart");
}
