#include "kiosk_priv.h"

#include <stdio.h>
#include <string.h>

/* ---- screen ---- */

void kiosk_draw(struct kiosk *k)
{
	struct screen_model *m = &k->model;
	enum kerr err;

	m->lang = k->site->lang;
	m->coop_name = k->site->coop_name;
	m->offline = !k->online;
	if (k->mode == M_PAYMENT)
		m->seconds_left = (int)((k->expires_ms - now_ms(k)) / 1000);
	else if (k->mode == M_MESSAGE)
		m->seconds_left = (int)(now_ms(k) / 1000); /* turns the pages of a small panel */
	err = screen_draw(k->canvas, k->font, m);
	if (err && err != KERR_TOO_BIG)
		return;
	if (k->display && display_blit(k->display, k->canvas,
	                               (struct rect){0, 0, k->canvas->width, k->canvas->height}))
		log_warn("display: a frame could not be shown");
}

void kiosk_show(struct kiosk *k, enum mode mode, enum screen_id id)
{
	if (k->watcher)
		watcher_set_urgent(k->watcher, mode == M_PAYMENT);
	if (mode == M_DONE && k->mode != M_DONE)
		k->nheld = 0; /* nothing from before this done screen is held for after it */
	k->mode = mode;
	k->model.id = id;
	kiosk_draw(k);
	loop_timer_arm(k->loop, &k->idle, mode == M_DONE ? DONE_SCREEN_NS : IDLE_AFTER_NS);
}

void kiosk_show_idle(struct kiosk *k)
{
	unsigned n = 0;

	memset(&k->model, 0, sizeof(k->model));
	k->typed[0] = k->code[0] = k->staff_name[0] = '\0';
	explicit_bzero(k->pick, sizeof(k->pick));
	k->proven[0] = '\0';
	explicit_bzero(k->enrol_uri, sizeof(k->enrol_uri));
	/* Nothing carries over to the next member (or to staff keys). */
	memset(&k->order, 0, sizeof(k->order));
	if (store_order_count(k->store, ORDER_READY, &n) != KERR_OK)
		n = 0;
	k->model.orders_ready = n;
	kiosk_show(k, M_IDLE, SCREEN_IDLE);
	loop_timer_disarm(k->loop, &k->idle);
}

void kiosk_show_message(struct kiosk *k, enum screen_id id, const char *text)
{
	snprintf(k->message, sizeof(k->message), "%s", text ? text : "");
	k->model.error = k->message;
	kiosk_show(k, M_MESSAGE, id);
}

void kiosk_on_idle(struct loop_timer *t)
{
	struct kiosk *k = container_of(t, struct kiosk, idle);
	bool done = k->mode == M_DONE;

	kiosk_show_idle(k);
	if (done)
		kiosk_replay_held(k);
}

void kiosk_on_tick(struct loop_timer *t)
{
	struct kiosk *k = container_of(t, struct kiosk, tick);

	/* Requests that ran out whether or not they are on screen. */
	kiosk_expiry_tick(k);

	/* Redraw the countdown every few seconds (each frame costs a blit). */
	if (k->mode == M_PAYMENT) {
		if (now_ms(k) >= k->expires_ms)
			kiosk_show_message(k, SCREEN_EXPIRED, NULL);
		else if ((now_ms(k) / 1000) % 5 == 0)
			kiosk_draw(k);
	} else if (k->mode == M_MESSAGE &&
	           (k->model.id == SCREEN_WRONG_ASSET || k->model.id == SCREEN_EXPIRED) &&
	           k->canvas->height < 100 && (now_ms(k) / 1000) % SCREEN_PAGE_S == 0) {
		kiosk_draw(k); /* the next page of what a 128x64 panel cannot show at once */
	}
	loop_timer_arm(k->loop, &k->tick, TICK_NS);
}
