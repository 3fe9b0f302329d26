#include "kiosk_priv.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_board.h"

/* ---- input ---- */

/* next/prev on the idle screen: step through the orders waiting for payment (never a paid one). */
static void browse(struct kiosk *k, int step)
{
	struct order o;
	/* The first press picks the first (next) or the last (prev) order; past
	 * either end it wraps around. */
	enum kerr err = store_order_browse(k->store, k->order.id, step, &o);

	if (err == KERR_NOTFOUND && k->order.id[0])
		err = store_order_browse(k->store, "", step, &o);
	if (err == KERR_OK) {
		k->order = o;
		kiosk_model_for_order(k, &k->order);
		/* The number and the amount only: no member, no items. */
		k->model.items = NULL;
		snprintf(k->typed, sizeof(k->typed), "%s", "");
		kiosk_draw(k);
	}
}

/* A scanned reason for waiving: printable ASCII only, bounded. */
static void scanned_reason(const char *text, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "scanned: ");

	for (; *text && n + 1 < cap; text++)
		out[n++] = *text >= 0x20 && *text < 0x7f ? *text : '?';
	out[n] = '\0';
}

/* The digit wheel's keys, in turning order: OK on Enter submits what was entered. */
static const char wheel_keys[] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '\n', '\b'};

static bool takes_digits(enum mode m)
{
	return m == M_STAFF_CODE || m == M_STAFF_MENU || m == M_STAFF_WAIVE || m == M_PICKUP;
}

char kiosk_wheel_key(const struct kiosk *k)
{
	if (!board_digit_wheel(&k->board->input) || !takes_digits(k->mode))
		return 0;
	return wheel_keys[k->wheel_at % ARRAY_SIZE(wheel_keys)];
}

/* Next/previous turn the wheel; OK enters its key. True when a was the wheel's. */
static bool wheel_button(struct kiosk *k, const struct input_action *a)
{
	struct input_action key = {.kind = INPUT_KEY};
	const unsigned n = ARRAY_SIZE(wheel_keys);

	if (a->kind != INPUT_BUTTON || !kiosk_wheel_key(k) || a->button == INPUT_BTN_STAFF)
		return false;
	if (a->button == INPUT_BTN_NEXT || a->button == INPUT_BTN_PREV) {
		k->wheel_at = (k->wheel_at % n + (a->button == INPUT_BTN_NEXT ? 1 : n - 1)) % n;
		kiosk_draw(k);
		return true;
	}
	key.key = wheel_keys[k->wheel_at % n];
	kiosk_on_action(k, &key);
	return true;
}

/* A staff card: a QR that says only "kiosk:staff" (the code is the secret,
 * the card opens the code screen on a board without a staff button or keypad). */
static bool is_staff_card(const char *text)
{
	return strcmp(text, STAFF_CARD_QR) == 0;
}

void kiosk_on_action(struct kiosk *k, const struct input_action *a)
{
	log_debug("input: kind %d key %d button %d in mode %d", a->kind, a->key, a->button,
	          k->mode);
	/* The done screen ('take your receipt', 'compartment N is open') stays its
	 * full DONE_SCREEN_NS: keys and scans meanwhile (the Enter after a staff
	 * key, say) are held and acted on when it ends; OK, next and prev are
	 * ignored. Only the staff button (or *) ends it early, on purpose. */
	if (k->mode == M_DONE) {
		bool staff = (a->kind == INPUT_BUTTON && a->button == INPUT_BTN_STAFF) ||
		             (a->kind == INPUT_KEY && a->key == '*');

		if (!staff) {
			if (a->kind != INPUT_BUTTON && k->nheld < ARRAY_SIZE(k->held))
				k->held[k->nheld++] = *a;
			log_debug("input: held while the done screen shows");
			return;
		}
		kiosk_show_idle(k);
		kiosk_replay_held(k);
	}
	loop_timer_arm(k->loop, &k->idle, IDLE_AFTER_NS);
	/* Any key or button takes a staff secret off the screen, and does nothing else;
	 * but not the Enter that ends the "7" line that asked for it (the keypad's
	 * digit lines end with one): an Enter within half a second is ignored. */
	if (k->mode == M_ENROL && a->kind == INPUT_KEY && a->key == '\n' &&
	    clock_mono_ns(k->clock) - k->enrol_shown_ns < NS_PER_S / 2)
		return;
	if (k->mode == M_ENROL) {
		kiosk_show_idle(k);
		return;
	}
	/* The staff button, * on the keypad or the staff card (a board may have
	 * no staff button). */
	if ((a->kind == INPUT_BUTTON && a->button == INPUT_BTN_STAFF) ||
	    (a->kind == INPUT_KEY && a->key == '*' && k->mode != M_STAFF_CODE &&
	     k->mode != M_STAFF_MENU && k->mode != M_STAFF_WAIVE) ||
	    (a->kind == INPUT_SCAN && is_staff_card(a->text) && k->mode != M_STAFF_MENU &&
	     k->mode != M_STAFF_WAIVE)) {
		k->code[0] = '\0';
		k->model.code_digits = 0;
		k->model.code_len = k->site->staff_code_digits;
		k->model.error = NULL;
		kiosk_show(k, M_STAFF_CODE, SCREEN_STAFF_CODE);
		return;
	}
	if (a->kind == INPUT_SCAN) {
		char reason[STORE_DETAIL_MAX];

		if (k->mode == M_STAFF_WAIVE) {
			scanned_reason(a->text, reason, sizeof(reason));
			kiosk_staff_confirm(k, PAY_WAIVED, reason);
		} else if (strncmp(a->text, PICKUP_QR_PREFIX, strlen(PICKUP_QR_PREFIX)) == 0 &&
		           (k->mode == M_IDLE || k->mode == M_MESSAGE || k->mode == M_DONE ||
		            k->mode == M_PICKUP || k->mode == M_PAYMENT)) {
			/* A member's pickup QR ("kiosk:pickup:<id>:<code>"): at any time. */
			kiosk_pickup_scan(k, a->text);
		} else if (strncmp(a->text, "order:", 6) == 0 &&
		           (k->mode == M_IDLE || k->mode == M_MESSAGE || k->mode == M_DONE ||
		            k->mode == M_PICKUP)) {
			/* An order's QR: "order:<id>" (a paid one still asks for its code). */
			kiosk_serve(k, a->text + 6);
		}
		return;
	}
	if (wheel_button(k, a))
		return;
	if (a->kind == INPUT_BUTTON) {
		if (k->mode == M_IDLE &&
		    (a->button == INPUT_BTN_NEXT || a->button == INPUT_BTN_PREV))
			browse(k, a->button == INPUT_BTN_NEXT ? 1 : -1);
		else if (k->mode == M_PAYMENT &&
		         (a->button == INPUT_BTN_NEXT || a->button == INPUT_BTN_PREV))
			kiosk_offer_cycle(k, a->button == INPUT_BTN_NEXT ? 1 : -1);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->typed[0])
			kiosk_serve(k, k->typed);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->order.id[0])
			kiosk_serve(k, k->order.id);
		else if (k->mode == M_PICKUP && a->button == INPUT_BTN_OK)
			kiosk_pickup_key(k, '\n');
		else if (a->button == INPUT_BTN_OK && (k->mode == M_MESSAGE || k->mode == M_DONE))
			kiosk_show_idle(k);
		return;
	}
	switch (k->mode) {
	case M_STAFF_CODE:
		if (a->key >= '0' && a->key <= '9' &&
		    strlen(k->code) < k->site->staff_code_digits &&
		    strlen(k->code) < sizeof(k->code) - 1) {
			size_t n = strlen(k->code);

			k->code[n] = a->key;
			k->code[n + 1] = '\0';
			k->model.code_digits = (unsigned)n + 1;
			k->model.error = NULL;
			kiosk_draw(k);
			if (n + 1 == k->site->staff_code_digits)
				kiosk_staff_code_done(k);
		} else if (a->key == '\b' && k->code[0]) {
			k->code[strlen(k->code) - 1] = '\0';
			k->model.code_digits = (unsigned)strlen(k->code);
			kiosk_draw(k);
		}
		return;
	case M_STAFF_MENU:
		kiosk_staff_menu_key(k, a->key);
		return;
	case M_PICKUP:
		kiosk_pickup_key(k, a->key);
		return;
	case M_STAFF_WAIVE:
		kiosk_staff_waive_key(k, a->key);
		return;
	case M_IDLE:
		if (a->key == '\n' && k->typed[0]) {
			kiosk_serve(k, k->typed);
			return;
		} else if (a->key == '\b' && k->typed[0]) {
			k->typed[strlen(k->typed) - 1] = '\0';
		} else if (a->key >= '0' && a->key <= '9' &&
		           strlen(k->typed) < sizeof(k->typed) - 1) {
			size_t n = strlen(k->typed);

			k->typed[n] = a->key;
			k->typed[n + 1] = '\0';
		} else {
			return;
		}
		/* Show what was typed, so the member sees the keypad works. */
		memset(&k->order, 0, sizeof(k->order));
		k->model.order_id = k->typed[0] ? k->typed : NULL;
		k->model.amount = NULL;
		if (k->mode == M_IDLE)
			kiosk_draw(k);
		return;
	default:
		if (a->key == '\n')
			kiosk_show_idle(k);
	}
}

void kiosk_replay_held(struct kiosk *k)
{
	struct input_action held[ARRAY_SIZE(k->held)];
	unsigned n = k->nheld;

	memcpy(held, k->held, n * sizeof(held[0]));
	k->nheld = 0;
	/* One of them may show a done screen again: the rest are held anew. */
	for (unsigned i = 0; i < n; i++)
		kiosk_on_action(k, &held[i]);
}

static void sink_action(const struct input_action *a, void *arg)
{
	kiosk_on_action(arg, a);
}

static void sink_press(const char *line, void *arg)
{
	struct kiosk *k = arg;

	sim_board_press(k->sim_board, line);
}

void kiosk_sim_line(struct kiosk *k, const char *line)
{
	input_sim_line(line, sink_action, k);
}

/* ---- input devices in the loop (USB keypad and scanner, stdin) ---- */

static enum kerr attach(struct kiosk_input *in);

static void on_input(struct loop_fd *w, short revents)
{
	struct kiosk_input *in = container_of(w, struct kiosk_input, watch);

	if (input_read(in->dev, revents, clock_mono_ns(in->k->clock) / NS_PER_MS) == KERR_OK)
		return;
	loop_del_fd(in->k->loop, w);
	input_close(in->dev);
	if (in->dev->ops->retry_ns)
		loop_timer_arm(in->k->loop, &in->retry, in->dev->ops->retry_ns);
}

static void on_input_retry(struct loop_timer *t)
{
	(void)attach(container_of(t, struct kiosk_input, retry));
}

/* Opens the device and watches it; if that fails, tries again later when
 * the backend says to (a USB keypad or scanner not plugged in yet). */
static enum kerr attach(struct kiosk_input *in)
{
	enum kerr err = input_open(in->dev);

	if (!err) {
		in->watch.fd = in->dev->fd;
		in->watch.events = POLLIN;
		in->watch.handle = on_input;
		err = loop_add_fd(in->k->loop, &in->watch);
		if (err)
			input_close(in->dev);
	}
	if (err && in->dev->ops->retry_ns)
		loop_timer_arm(in->k->loop, &in->retry, in->dev->ops->retry_ns);
	return err;
}

/* Takes dev (freed by kiosk_inputs_stop, also when this fails). */
static enum kerr input_start(struct kiosk *k, struct kiosk_input *in, struct input_dev *dev)
{
	in->k = k;
	in->dev = dev;
	in->watch.fd = -1;
	in->retry.handle = on_input_retry;
	return attach(in);
}

static void input_stop(struct kiosk *k, struct kiosk_input *in)
{
	if (!in->dev)
		return;
	loop_timer_disarm(k->loop, &in->retry);
	if (in->watch.added)
		loop_del_fd(k->loop, &in->watch);
	input_free(in->dev);
	in->dev = NULL;
}

enum kerr kiosk_inputs_start(struct kiosk *k)
{
	const struct board_input *b = &k->board->input;
	struct input_sink sink = {sink_action, k->sim_board ? sink_press : NULL, k};
	struct input_dev *dev;
	enum kerr err = KERR_OK;

	if (b->sim_stdin) {
		err = input_sim_new(STDIN_FILENO, &sink, &dev);
		if (!err)
			err = input_start(k, &k->stdin_in, dev);
	}
	/* A keypad or scanner missing now is looked for again later. */
	sink.press = NULL;
	if (!err && b->keypad[0]) {
		err = input_evdev_new("keypad", b->keypad, INPUT_KEYPAD, b->scan_timeout_ms, &sink,
		                      &dev);
		if (!err)
			(void)input_start(k, &k->keypad, dev);
	}
	if (!err && b->scanner[0]) {
		err = input_evdev_new("scanner", b->scanner, INPUT_SCANNER, b->scan_timeout_ms,
		                      &sink, &dev);
		if (!err)
			(void)input_start(k, &k->scanner, dev);
	}
	return err;
}

void kiosk_inputs_stop(struct kiosk *k)
{
	input_stop(k, &k->stdin_in);
	input_stop(k, &k->keypad);
	input_stop(k, &k->scanner);
}

/* ---- GPIO buttons (their edges come through the locker's read of the chip) ---- */

void kiosk_on_other_line(struct locker_events *e, int line, bool active)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!active)
		return; /* act on the press */
	for (unsigned b = 0; b < ARRAY_SIZE(k->button_line); b++)
		if (k->button_line[b] == line) {
			struct input_action a = {.kind = INPUT_BUTTON,
			                         .button = (enum input_button)b};

			kiosk_on_action(k, &a);
		}
}

enum kerr kiosk_request_buttons(struct kiosk *k)
{
	const struct board_input *in = &k->board->input;
	const struct board_line *lines[] = {[INPUT_BTN_NEXT] = &in->btn_next,
	                                    [INPUT_BTN_PREV] = &in->btn_prev,
	                                    [INPUT_BTN_OK] = &in->btn_ok,
	                                    [INPUT_BTN_STAFF] = &in->btn_staff};
	enum kerr err = KERR_OK;

	for (unsigned b = 0; b < ARRAY_SIZE(k->button_line); b++) {
		k->button_line[b] = -1;
		if (!err && lines[b]->name[0])
			err = gpio_request_input(k->gpio, lines[b], &k->button_line[b]);
	}
	return err;
}
