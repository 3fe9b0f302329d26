#include "kiosk_priv.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display/display_sim.h"
#include "printer/printer_sim.h"
#include "sim_board.h"

/* ---- start-up ---- */

static enum kerr open_display(struct kiosk *k)
{
	const struct board_display *d = &k->board->display;

	if (strcmp(d->backend, "sim") == 0)
		return display_sim_open(d, &k->display);
	if (strcmp(d->backend, "fbdev") == 0)
		return display_fbdev_open(d, &k->display);
	if (strcmp(d->backend, "st7789") == 0 || strcmp(d->backend, "ili9341") == 0)
		return display_st7789_open(d, k->gpio, &k->display);
	if (strcmp(d->backend, "ssd1306") == 0)
		return display_ssd1306_open(d, &k->display);
	return KERR_NOTSUP;
}

/* The receipt printer as a print port in the loop. A device missing now is
 * a degraded kiosk, not a dead one: lockers and payments work, the port
 * looks for the printer every PRINT_REOPEN_S and at each job. */
static enum kerr open_printer(struct kiosk *k)
{
	const struct board_printer *p = &k->board->printer;
	struct printer *pr;
	enum kerr err;

	if (strcmp(p->backend, "none") == 0 || !p->backend[0])
		return KERR_OK;
	kiosk_print_events_init(k);
	err = print_port_open(p, k->loop, &k->pport);
	if (err == KERR_NOTSUP)
		return KERR_OK;
	if (err)
		return err;
	pr = print_port_printer(k->pport);
	if (strcmp(p->backend, "sim") == 0 && p->sim_baud)
		printer_sim_pace(pr, k->clock, p->sim_baud);
	if (k->sim_board)
		sim_board_set_printer(k->sim_board, pr);
	if (!printer_present(pr)) {
		k->printer_seen_missing = true;
		log_warn("printer %s: not connected: running degraded (lockers and payments work, "
		         "receipts wait); looking for it every %d s",
		         p->device, PRINT_REOPEN_S);
	}
	return KERR_OK;
}

/* Orders found handing over: the relay may or may not have moved. Wait. */
static enum kerr recover(struct kiosk *k)
{
	struct store_handover pend[32];
	unsigned n = 0;
	enum kerr err = store_handover_pending(k->store, pend, 32, &n);

	for (unsigned i = 0; !err && i < n; i++) {
		struct order o;

		if (store_order_get(k->store, pend[i].order_id, &o))
			continue;
		if (o.state != ORDER_HANDING_OVER) {
			err = store_handover_outcome(k->store, pend[i].id, HANDOVER_INTERRUPTED,
			                             "found after a restart");
			continue;
		}
		err = handover_recover(&k->handover, &o, pend[i].id);
	}
	if (n)
		log_notice("%u interrupted handover(s) wait for staff to resume them", n);
	return err;
}

enum kerr kiosk_open(const struct board *board, const struct site *site, struct loop *loop,
                     const struct clock *clock, struct rng *rng, struct kiosk **out)
{
	struct kiosk *k = calloc(1, sizeof(*k));
	enum kerr err;

	*out = NULL;
	if (!k)
		return KERR_NOMEM;
	k->board = board;
	k->site = site;
	k->chain = chain_profile_get(site->chain);
	k->loop = loop;
	k->clock = clock;
	k->rng = rng;
	k->sim = strcmp(board->gpio.backend, "sim") == 0;
	k->idle.handle = kiosk_on_idle;
	k->tick.handle = kiosk_on_tick;
	k->lev = (struct locker_events){.opened = kiosk_on_opened,
	                                .failed = kiosk_on_failed,
	                                .alarm = kiosk_on_alarm,
	                                .forced = kiosk_on_forced,
	                                .other_line = kiosk_on_other_line};
	handover_init(&k->handover, &kiosk_handover_ops, k);
	/* GPIO and the locker first: every relay inactive before anything else. */
	err = k->sim ? gpio_sim_open(&board->gpio, clock, &k->gpio)
	             : gpio_gpiod_open(&board->gpio, clock, &k->gpio);
	if (!err)
		err = locker_open(&board->lockers, k->gpio, loop, &k->lev, &k->locker);
	if (!err && k->sim)
		err = sim_board_open(&board->lockers, k->gpio, k->locker, loop, &k->sim_board);
	if (!err)
		err = kiosk_request_buttons(k);
	if (!err)
		err = store_open_owner(site->journal_path, clock, &k->store);
	if (!err)
		err = recover(k);
	if (!err)
		err = staff_db_load(site->staff_secrets_path, &k->staff);
	if (!err)
		err = font_open(KIOSK_UNIFONT_PATH, &k->font);
	if (!err)
		err = open_display(k);
	if (!err)
		err = canvas_new(display_format(k->display), display_width(k->display),
		                 display_height(k->display), &k->canvas);
	if (!err)
		err = open_printer(k);
	if (!err && site->node_count) {
		k->wev = (struct watcher_events){.transfer = kiosk_on_transfer,
		                                 .unverified = kiosk_on_unverified,
		                                 .refused = kiosk_on_refused,
		                                 .head = kiosk_on_head,
		                                 .agreed = kiosk_on_agreed,
		                                 .pool = kiosk_on_pool,
		                                 .reverted = kiosk_on_reverted};
		policy_from_site(site, &k->policy);
		err = kiosk_tokens_open(k);
	}
	if (!err && site->node_count) {
		err = watcher_open(site, watch_journal_ops(), k->store, loop, clock, rng, &k->wev,
		                   &k->watcher);
	}
	if (!err)
		err = kiosk_rates_open(k);
	if (!err)
		err = kiosk_inputs_start(k);
	if (err) {
		log_err("kiosk: start-up failed (%s)", kerr_str(err));
		kiosk_close(k);
		return err;
	}
	if (k->sim_board)
		sim_board_start(k->sim_board);
	loop_timer_arm(loop, &k->tick, TICK_NS);
	/* Read before the boot event, which carries this boot's (maybe wrong) time. */
	if (store_last_event_ms(k->store, &k->clock_floor_s) == KERR_OK)
		k->clock_floor_s /= 1000;
	else
		k->clock_floor_s = 0;
	/* Enrolment requests from before this start are not shown. */
	if (store_last_event_of(k->store, "staff_enrol", &k->enrol_seen, &(int64_t){0}, NULL, 0) !=
	    KERR_OK)
		k->enrol_seen = 0;
	if (store_event(k->store, NULL, "boot", KIOSK_VERSION))
		log_warn("journal: the boot could not be recorded");
	/* Requests that ran out while the kiosk was off (as far as the chain was read). */
	kiosk_expiry_sweep(k);
	if (k->pport && k->printer_seen_missing &&
	    store_event(k->store, NULL, "printer",
	                "not connected at start: degraded, receipts wait"))
		log_warn("journal: the missing printer could not be recorded");
	kiosk_show_idle(k);
	*out = k;
	return KERR_OK;
}

void kiosk_close(struct kiosk *k)
{
	if (!k)
		return;
	if (k->loop) {
		loop_timer_disarm(k->loop, &k->idle);
		loop_timer_disarm(k->loop, &k->tick);
		kiosk_inputs_stop(k);
	}
	sim_board_close(k->sim_board);
	watcher_close(k->watcher);
	kiosk_tokens_close(k);
	kiosk_rates_close(k);
	locker_close(k->locker);
	gpio_close(k->gpio);
	print_port_close(k->pport);
	canvas_free(k->canvas);
	display_close(k->display);
	font_close(k->font);
	store_close(k->store);
	free(k);
}
