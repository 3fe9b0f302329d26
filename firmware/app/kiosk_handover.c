#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- handover ---- */

static enum kerr hv_begin(void *ctx, const struct order *o, enum order_state from,
                          enum handover_kind kind, unsigned compartment, const char *cause,
                          int64_t *intent_id)
{
	struct kiosk *k = ctx;
	enum kerr err = store_begin(k->store);

	if (err)
		return err;
	err = store_handover_intent(k->store, o->id, kind, compartment, intent_id);
	if (!err)
		err = store_order_set_state(k->store, o->id, from, ORDER_HANDING_OVER, cause);
	if (err) {
		store_rollback(k->store);
		return err;
	}
	return store_commit(k->store);
}

static enum kerr hv_finish(void *ctx, int64_t intent_id, const struct order *o,
                           enum handover_outcome outcome, enum order_state to, const char *detail)
{
	struct kiosk *k = ctx;
	enum kerr err = store_begin(k->store);

	if (err)
		return err;
	err = store_handover_outcome(k->store, intent_id, outcome, detail);
	if (!err)
		err = store_order_set_state(k->store, o->id, o->state, to, detail);
	if (err) {
		store_rollback(k->store);
		return err;
	}
	return store_commit(k->store);
}

static enum kerr print_receipt(struct kiosk *k, const struct order *o)
{
	struct receipt_data r = {
	    .coop_name = k->site->coop_name,
	    .order = o,
	    .payer = o->member,
	    .trx_id = "",
	    .paid_at_ms = now_ms(k),
	    .explorer_url = k->site->explorer_url[0] ? k->site->explorer_url : NULL,
	    .how_paid = "staff",
	    .lang = k->site->lang,
	};
	struct store_transfer t;
	uint8_t *buf;
	size_t len;
	enum kerr err;

	if (!k->printer)
		return KERR_NOTSUP;
	if (store_transfer_of_order(k->store, o->id, &t) == KERR_OK) {
		r.payer = t.from;
		r.trx_id = t.trx_id;
		r.how_paid = "chain";
	}
	buf = malloc(RECEIPT_MAX_BYTES);
	if (!buf)
		return KERR_NOMEM;
	err = receipt_encode(k->font, &r, k->board->printer.width_dots, k->board->printer.native_qr, buf,
	                     RECEIPT_MAX_BYTES, &len);
	if (!err)
		err = printer_write(k->printer, buf, len, 10000);
	free(buf);
	return err;
}

static enum kerr hv_act(void *ctx, const struct order *o, enum handover_kind kind, unsigned compartment)
{
	struct kiosk *k = ctx;
	enum kerr err;

	if (kind == HANDOVER_LOCKER)
		return k->locker ? locker_request_open(k->locker, compartment) : KERR_NOTSUP;
	/* Printing is synchronous and bounded by its timeout. */
	err = print_receipt(k, o);
	if (!err && handover_done(&k->handover, true, "receipt printed") == KERR_OK) {
		k->model.compartment = 0;
		kiosk_show(k, M_DONE, SCREEN_PAID_RECEIPT);
	}
	return err;
}

const struct handover_ops kiosk_handover_ops = {.begin = hv_begin, .finish = hv_finish, .act = hv_act};

void kiosk_on_opened(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!k->handover.busy || k->handover.order.compartment != n)
		return;
	if (handover_done(&k->handover, true, "door opened") == KERR_OK) {
		struct order o = k->handover.order;

		k->model.compartment = n;
		kiosk_show(k, M_DONE, SCREEN_PAID_LOCKER);
		/* A receipt too, where there is a printer: the goods are out either way. */
		if (k->printer && print_receipt(k, &o) == KERR_OK &&
		    store_event(k->store, o.id, "receipt_printed", "with the locker pickup"))
			log_warn("journal: the receipt could not be recorded");
	}
}

void kiosk_on_failed(struct locker_events *e, unsigned n, const char *why)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	log_err("compartment %u: %s", n, why);
	if (k->handover.busy && k->handover.order.compartment == n &&
	    handover_done(&k->handover, false, why) == KERR_OK)
		kiosk_show_message(k, SCREEN_ERROR, why);
}

void kiosk_on_alarm(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);
	char d[64];

	snprintf(d, sizeof(d), "compartment %u door left open", n);
	log_warn("%s", d);
	if (store_event(k->store, NULL, "door_alarm", d))
		log_err("journal: the door alarm could not be recorded");
}

void kiosk_on_forced(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);
	char d[64];

	snprintf(d, sizeof(d), "compartment %u opened without a pulse", n);
	if (store_event(k->store, NULL, "door_forced", d))
		log_err("journal: the forced door could not be recorded");
}

void kiosk_hand_over(struct kiosk *k, const struct order *o, bool resume)
{
	enum kerr err = handover_start(&k->handover, o, resume, resume ? "resumed by staff" : "paid");

	if (err == KERR_BUSY)
		kiosk_show_message(k, SCREEN_ERROR, "busy");
	else if (err)
		kiosk_show_message(k, SCREEN_ERROR, kerr_str(err));
}
