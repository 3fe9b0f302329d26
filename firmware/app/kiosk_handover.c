#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store_rates.h"
#include "kiosk/store_report.h"

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

/* ---- receipts: one paced job at a time, run by the loop (print_job.h) ---- */

static void journal_event(struct kiosk *k, const char *order_id, const char *what,
                          const char *detail)
{
	if (store_event(k->store, order_id && order_id[0] ? order_id : NULL, what, detail))
		log_warn("journal: %s could not be recorded", what);
}

/* The member's screen when a receipt could not be printed: the reason, and
 * where to go. The order is not handed over. */
static void show_see_staff(struct kiosk *k, enum print_result r)
{
	char text[160];

	if (k->site->lang == SITE_LANG_KO)
		snprintf(text, sizeof(text),
		         "영수증을 인쇄하지 못했습니다 (%s). 직원에게 문의하세요.",
		         print_result_str(r));
	else
		snprintf(text, sizeof(text),
		         "The receipt could not be printed (%s). Please see a staff member.",
		         print_result_str(r));
	log_notice("screen: %s", text);
	kiosk_show_message(k, SCREEN_ERROR, text);
}

/*
 * Starts a receipt job for o. The job is one journaled unit: `printing`
 * now, then `printed` (the printer said ready after the last byte) or
 * `print_failed` with the reason, from on_print_done(). why says which
 * receipt it is.
 */
static enum kerr print_receipt(struct kiosk *k, const struct order *o, bool for_handover,
                               const char *why)
{
	struct receipt_data r = {
	    .coop_name = k->site->coop_name,
	    .explorer_url = k->site->explorer_url[0] ? k->site->explorer_url : NULL,
	    .lang = k->site->lang,
	};
	struct store_transfer t;
	struct store_confirmation conf;
	struct asset conf_amount;
	struct store_rate_lock lock;
	bool chain, staff;
	uint8_t *buf;
	size_t len;
	enum kerr err;

	if (!k->pport)
		return KERR_NOTSUP;
	if (print_port_busy(k->pport))
		return KERR_BUSY;
	chain = store_transfer_of_order(k->store, o->id, &t) == KERR_OK;
	staff =
	    !chain && store_confirmation_of_order(k->store, o->id, &conf, &conf_amount) == KERR_OK;
	receipt_set_payment(&r, o, chain ? &t : NULL, staff ? &conf : NULL, now_ms(k));
	if (receipt_set_won(&r, k->store, o, &lock))
		log_warn("order %s: its won rate could not be read for the receipt", o->id);
	buf = malloc(RECEIPT_MAX_BYTES);
	if (!buf)
		return KERR_NOMEM;
	err = receipt_encode(k->font, &r, k->board->printer.width_dots, k->board->printer.native_qr,
	                     buf, RECEIPT_MAX_BYTES, &len);
	if (err) {
		free(buf);
		return err;
	}
	journal_event(k, o->id, "printing", why);
	/* The result comes from the loop, never from inside print_job_start(). */
	err = print_job_start(k->pport, buf, len, &k->pev);
	free(buf);
	if (err) {
		journal_event(k, o->id, "print_failed", kerr_str(err));
		return err;
	}
	k->print_for_handover = for_handover;
	snprintf(k->print_order, sizeof(k->print_order), "%s", o->id);
	log_info("order %s: receipt of %zu bytes started (%s)", o->id, len, why);
	return KERR_OK;
}

static void on_print_done(struct print_events *e, enum print_result r, size_t sent, size_t total)
{
	struct kiosk *k = container_of(e, struct kiosk, pev);
	char order[sizeof(k->print_order)], d[128];
	bool for_handover = k->print_for_handover;

	memcpy(order, k->print_order, sizeof(order));
	if (r == PRINT_PRINTED && (k->printer_seen_missing || k->print_last > (int)PRINT_PRINTED))
		journal_event(k, NULL, "printer", "printing again");
	k->print_last = (int)r;
	k->print_order[0] = '\0';
	k->print_for_handover = false;
	if (r == PRINT_PRINTED) {
		snprintf(d, sizeof(d), "%zu bytes", total);
		journal_event(k, order, "printed", d);
		k->printer_seen_missing = false;
	} else {
		snprintf(d, sizeof(d), "%s after %zu of %zu bytes", print_result_str(r), sent,
		         total);
		journal_event(k, order, "print_failed", d);
		if (r == PRINT_UNPLUGGED && !k->printer_seen_missing) {
			k->printer_seen_missing = true;
			journal_event(k, NULL, "printer", "not connected: receipts wait for it");
		}
	}
	if (for_handover) {
		/* A receipt handover is done only when the printer says it printed. */
		if (!k->handover.busy || strcmp(k->handover.order.id, order) != 0)
			return;
		if (r == PRINT_PRINTED) {
			if (handover_done(&k->handover, true, "receipt printed") == KERR_OK) {
				k->model.compartment = 0;
				kiosk_show(k, M_DONE, SCREEN_PAID_RECEIPT);
			}
		} else if (handover_done(&k->handover, false, print_result_str(r)) == KERR_OK) {
			show_see_staff(k, r);
		}
		return;
	}
	/* An extra receipt (with a locker pickup, or reprinted): the goods are out
	 * either way; the journal says whether the member got the paper. */
	if (r == PRINT_PRINTED)
		journal_event(k, order, "receipt_printed", "with the pickup or reprinted");
	else
		log_warn("order %s: receipt not printed (%s): staff can reprint it", order,
		         print_result_str(r));
	if (k->print_handover_queued) {
		enum kerr err;

		k->print_handover_queued = false;
		if (k->handover.busy && k->handover.kind == HANDOVER_RECEIPT) {
			err = print_receipt(k, &k->handover.order, true, "receipt handover");
			if (err && handover_done(&k->handover, false, kerr_str(err)) == KERR_OK)
				kiosk_show_message(k, SCREEN_ERROR, kerr_str(err));
		}
	}
}

/* Paper near end: for staff (the journal; kioskctl status), once per roll. */
static void on_print_status(struct print_events *e, const struct escpos_status *s)
{
	struct kiosk *k = container_of(e, struct kiosk, pev);

	if (s->paper_near_end && !s->paper_end) {
		if (!k->paper_low_told)
			journal_event(k, NULL, "printer", "paper near end");
		k->paper_low_told = true;
	} else if (!s->paper_end && k->paper_low_told) {
		k->paper_low_told = false;
		journal_event(k, NULL, "printer", "paper loaded");
	}
}

void kiosk_print_events_init(struct kiosk *k)
{
	k->pev = (struct print_events){.done = on_print_done, .status = on_print_status};
	k->print_last = -1;
}

const char *kiosk_printer_note(struct kiosk *k)
{
	bool ko = k->site->lang == SITE_LANG_KO;

	if (!k->pport)
		return NULL;
	if (!printer_present(print_port_printer(k->pport)))
		snprintf(k->printer_note, sizeof(k->printer_note), "%s",
		         ko ? "프린터: 연결 안 됨" : "Printer: not connected");
	else if (k->print_last > (int)PRINT_PRINTED)
		snprintf(k->printer_note, sizeof(k->printer_note), "%s: %s",
		         ko ? "프린터: 마지막 영수증 실패" : "Printer: last receipt failed",
		         print_result_str((enum print_result)k->print_last));
	else if (k->paper_low_told)
		snprintf(k->printer_note, sizeof(k->printer_note), "%s",
		         ko ? "프린터: 용지 부족" : "Printer: paper near end");
	else
		return NULL;
	return k->printer_note;
}

enum kerr kiosk_reprint(struct kiosk *k, const struct order *o)
{
	return print_receipt(k, o, false, "reprinted by staff");
}

static enum kerr hv_act(void *ctx, const struct order *o, enum handover_kind kind,
                        unsigned compartment)
{
	struct kiosk *k = ctx;

	if (kind == HANDOVER_LOCKER)
		return k->locker ? locker_request_open(k->locker, compartment) : KERR_NOTSUP;
	if (k->pport && print_port_busy(k->pport)) {
		/* An extra receipt is still printing: this one follows it. */
		k->print_handover_queued = true;
		return KERR_OK;
	}
	/* The printer's status before the job decides too: no paper, cover open
	 * or offline fail the handover (journaled) and the member sees staff. */
	return print_receipt(k, o, true, "receipt handover");
}

const struct handover_ops kiosk_handover_ops = {
    .begin = hv_begin, .finish = hv_finish, .act = hv_act};

void kiosk_on_opened(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!k->handover.busy || k->handover.order.compartment != n)
		return;
	if (handover_done(&k->handover, true, "door opened") == KERR_OK) {
		struct order o = k->handover.order;

		k->model.compartment = n;
		kiosk_show(k, M_DONE, SCREEN_PAID_LOCKER);
		/* A receipt too, where there is a printer: the goods are out either way,
		 * and the locker never waited for it. receipt_printed only once printed. */
		if (k->pport) {
			enum kerr err = print_receipt(k, &o, false, "with the locker pickup");

			if (err)
				log_warn("order %s: no receipt with the pickup (%s)", o.id,
				         kerr_str(err));
		}
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
	enum kerr err =
	    handover_start(&k->handover, o, resume, resume ? "resumed by staff" : "paid");

	if (err == KERR_BUSY)
		kiosk_show_message(k, SCREEN_ERROR, str_get(STR_BUSY, k->site->lang));
	else if (err)
		kiosk_show_message(k, SCREEN_ERROR, kerr_str(err));
}
