#include "kiosk_priv.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpio/gpio_sim.h"

/* ---- input ---- */

/* next/prev on the idle screen: step through the orders still open. */
static void browse(struct kiosk *k, int step)
{
	struct order *all = calloc(BROWSE_MAX, sizeof(*all));
	unsigned n = 0, open = 0;

	if (!all || store_order_list(k->store, -1, all, BROWSE_MAX, &n) != KERR_OK)
		n = 0;
	for (unsigned i = 0; i < n; i++)
		if (!order_state_final(all[i].state) && all[i].state != ORDER_HANDING_OVER)
			all[open++] = all[i];
	if (open) {
		/* The first press picks the first (next) or the last (prev) order. */
		int cur = k->order.id[0] ? k->browse : (step > 0 ? -1 : 0);

		k->browse = ((cur + step) % (int)open + (int)open) % (int)open;
		k->order = all[k->browse];
		kiosk_model_for_order(k, &k->order);
		snprintf(k->typed, sizeof(k->typed), "%s", "");
		kiosk_draw(k);
	}
	free(all);
}

/* A scanned reason for waiving: printable ASCII only, bounded. */
static void scanned_reason(const char *text, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "scanned: ");

	for (; *text && n + 1 < cap; text++)
		out[n++] = *text >= 0x20 && *text < 0x7f ? *text : '?';
	out[n] = '\0';
}

void kiosk_on_action(struct kiosk *k, const struct input_action *a)
{
	log_debug("input: kind %d key %d button %d in mode %d", a->kind, a->key, a->button, k->mode);
	loop_timer_arm(k->loop, &k->idle, IDLE_AFTER_NS);
	/* Any key or button takes a staff secret off the screen, and does nothing else. */
	if (k->mode == M_ENROL) {
		kiosk_show_idle(k);
		return;
	}
	/* The staff button, or * on the keypad (a board may have no staff button). */
	if ((a->kind == INPUT_BUTTON && a->button == INPUT_BTN_STAFF) ||
	    (a->kind == INPUT_KEY && a->key == '*' && k->mode != M_STAFF_CODE && k->mode != M_STAFF_MENU &&
	     k->mode != M_STAFF_WAIVE)) {
		k->code[0] = '\0';
		k->model.code_digits = 0;
		k->model.error = NULL;
		kiosk_show(k, M_STAFF_CODE, SCREEN_STAFF_CODE);
		return;
	}
	if (a->kind == INPUT_SCAN) {
		char reason[STORE_DETAIL_MAX];

		if (k->mode == M_STAFF_WAIVE) {
			scanned_reason(a->text, reason, sizeof(reason));
			kiosk_staff_confirm(k, "waived", reason);
		} else if (strncmp(a->text, "order:", 6) == 0 && (k->mode == M_IDLE || k->mode == M_MESSAGE ||
		                                                  k->mode == M_DONE)) {
			/* An order's pickup QR: "order:<id>". */
			kiosk_serve(k, a->text + 6);
		}
		return;
	}
	if (a->kind == INPUT_BUTTON) {
		if (k->mode == M_IDLE && (a->button == INPUT_BTN_NEXT || a->button == INPUT_BTN_PREV))
			browse(k, a->button == INPUT_BTN_NEXT ? 1 : -1);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->typed[0])
			kiosk_serve(k, k->typed);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->order.id[0])
			kiosk_serve(k, k->order.id);
		else if (a->button == INPUT_BTN_OK && (k->mode == M_MESSAGE || k->mode == M_DONE))
			kiosk_show_idle(k);
		return;
	}
	switch (k->mode) {
	case M_STAFF_CODE:
		if (a->key >= '0' && a->key <= '9' && strlen(k->code) < 6) {
			size_t n = strlen(k->code);

			k->code[n] = a->key;
			k->code[n + 1] = '\0';
			k->model.code_digits = (unsigned)n + 1;
			k->model.error = NULL;
			kiosk_draw(k);
			if (n + 1 == 6)
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
	case M_STAFF_WAIVE:
		kiosk_staff_waive_key(k, a->key);
		return;
	case M_IDLE:
		if (a->key == '\n' && k->typed[0]) {
			kiosk_serve(k, k->typed);
			return;
		} else if (a->key == '\b' && k->typed[0]) {
			k->typed[strlen(k->typed) - 1] = '\0';
		} else if (a->key >= '0' && a->key <= '9' && strlen(k->typed) < sizeof(k->typed) - 1) {
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

void kiosk_sim_line(struct kiosk *k, const char *line)
{
	struct input_action a;
	size_t used;

	while (*line && input_sim_parse(line, &a, &used) == KERR_OK) {
		kiosk_on_action(k, &a);
		line += used;
		if (a.kind != INPUT_KEY || a.key == '\n')
			break;
	}
}

static void on_sim_release(struct loop_timer *t)
{
	struct kiosk *k = container_of(t, struct kiosk, sim_release);

	if (gpio_sim_set_input(k->gpio, k->sim_pressed, false) != KERR_OK)
		log_warn("sim: cannot release %s", k->sim_pressed);
}

/* Press now, release after a human 150 ms: the edges go through the real
 * GPIO path (debounce, the locker's read of the chip, the button map). */
static void sim_press(struct kiosk *k, const char *line)
{
	/* One finger: a button still held is let go first. */
	if (loop_timer_armed(&k->sim_release)) {
		loop_timer_disarm(k->loop, &k->sim_release);
		on_sim_release(&k->sim_release);
	}
	snprintf(k->sim_pressed, sizeof(k->sim_pressed), "%s", line);
	if (gpio_sim_set_input(k->gpio, k->sim_pressed, true) != KERR_OK) {
		log_warn("sim: no input line %s", line);
		return;
	}
	k->sim_release.handle = on_sim_release;
	loop_timer_arm(k->loop, &k->sim_release, 150 * NS_PER_MS);
}

void kiosk_on_stdin(struct loop_fd *w, short revents)
{
	struct kiosk *k = container_of(w, struct kiosk, stdin_watch);
	ssize_t n;
	char *nl;

	(void)revents;
	n = read(w->fd, k->stdin_buf + k->stdin_len, sizeof(k->stdin_buf) - 1 - k->stdin_len);
	if (n <= 0) {
		loop_del_fd(k->loop, w);
		return;
	}
	k->stdin_len += (size_t)n;
	k->stdin_buf[k->stdin_len] = '\0';
	while ((nl = strchr(k->stdin_buf, '\n'))) {
		*nl = '\0';
		/* "press LINE": a finger on a GPIO button of the simulated board. */
		if (k->sim && strncmp(k->stdin_buf, "press ", 6) == 0)
			sim_press(k, k->stdin_buf + 6);
		else
			kiosk_sim_line(k, k->stdin_buf);
		/* A line of digits ends with Enter, as on the keypad. */
		if (k->stdin_buf[0] >= '0' && k->stdin_buf[0] <= '9') {
			struct input_action enter = {.kind = INPUT_KEY, .key = '\n'};

			kiosk_on_action(k, &enter);
		}
		k->stdin_len -= (size_t)(nl + 1 - k->stdin_buf);
		memmove(k->stdin_buf, nl + 1, k->stdin_len + 1);
	}
	if (k->stdin_len >= sizeof(k->stdin_buf) - 1)
		k->stdin_len = 0; /* an endless line: drop it */
}

/* ---- USB keypad and scanner ---- */

static void evdev_action(const struct input_action *a, void *arg)
{
	kiosk_on_action(arg, a);
}

static void evdev_open(struct evdev_dev *d);

static void on_evdev(struct loop_fd *w, short revents)
{
	struct evdev_dev *d = container_of(w, struct evdev_dev, watch);
	enum kerr err = KERR_IO;

	if (!(revents & (POLLERR | POLLHUP | POLLNVAL)))
		err = input_evdev_read(w->fd, &d->dec, clock_mono_ns(d->k->clock) / NS_PER_MS, evdev_action,
		                       d->k);
	if (!err)
		return;
	log_warn("%s %s: gone (unplugged?); looking for it again every %d s", d->what, d->path,
	         (int)(EVDEV_RETRY_NS / NS_PER_S));
	loop_del_fd(d->k->loop, w);
	close(w->fd);
	w->fd = -1;
	d->last = KERR_NOTFOUND;
	loop_timer_arm(d->k->loop, &d->retry, EVDEV_RETRY_NS);
}

static void on_evdev_retry(struct loop_timer *t)
{
	evdev_open(container_of(t, struct evdev_dev, retry));
}

/* Opens the device; if it is missing, says so once and tries again later. */
static void evdev_open(struct evdev_dev *d)
{
	int fd = -1;
	enum kerr err = input_evdev_open(d->path, &fd);

	if (!err) {
		d->watch.fd = fd;
		d->watch.events = POLLIN;
		d->watch.handle = on_evdev;
		err = loop_add_fd(d->k->loop, &d->watch);
		if (err)
			close(fd);
	}
	if (err && err != d->last)
		log_warn("%s %s: %s; check the board file's path (ls /dev/input/by-id) and that the kiosk's "
		         "user is in group input; looking again every %d s",
		         d->what, d->path,
		         err == KERR_NOTFOUND ? "not plugged in"
		         : err == KERR_AUTH   ? "no permission"
		                              : "cannot be opened",
		         (int)(EVDEV_RETRY_NS / NS_PER_S));
	else if (!err)
		log_notice("%s %s: ready", d->what, d->path);
	d->last = err;
	if (err)
		loop_timer_arm(d->k->loop, &d->retry, EVDEV_RETRY_NS);
}

void kiosk_evdev_start(struct kiosk *k, struct evdev_dev *d, const char *what, const char *path,
                        enum input_role role)
{
	d->k = k;
	d->what = what;
	d->path = path;
	d->watch.fd = -1;
	d->retry.handle = on_evdev_retry;
	d->last = KERR_OK;
	input_decoder_init(&d->dec, role, k->board->input.scan_timeout_ms);
	if (path[0])
		evdev_open(d);
}

void kiosk_evdev_stop(struct kiosk *k, struct evdev_dev *d)
{
	if (!d->k)
		return;
	loop_timer_disarm(k->loop, &d->retry);
	if (d->watch.added) {
		loop_del_fd(k->loop, &d->watch);
		close(d->watch.fd);
	}
}

/* ---- GPIO buttons (their edges come through the locker's read of the chip) ---- */

void kiosk_on_other_line(struct locker_events *e, int line, bool active)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!active)
		return; /* act on the press */
	for (unsigned b = 0; b < ARRAY_SIZE(k->button_line); b++)
		if (k->button_line[b] == line) {
			struct input_action a = {.kind = INPUT_BUTTON, .button = (enum input_button)b};

			kiosk_on_action(k, &a);
		}
}

enum kerr kiosk_request_buttons(struct kiosk *k)
{
	const struct board_input *in = &k->board->input;
	const struct board_line *lines[] = {[INPUT_BTN_NEXT] = &in->btn_next, [INPUT_BTN_PREV] = &in->btn_prev,
	                                    [INPUT_BTN_OK] = &in->btn_ok, [INPUT_BTN_STAFF] = &in->btn_staff};
	enum kerr err = KERR_OK;

	for (unsigned b = 0; b < ARRAY_SIZE(k->button_line); b++) {
		k->button_line[b] = -1;
		if (!err && lines[b]->name[0])
			err = gpio_request_input(k->gpio, lines[b], &k->button_line[b]);
	}
	return err;
}
