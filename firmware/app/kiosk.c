#include "kiosk/kiosk.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display/display_sim.h"
#include "gpio/gpio_sim.h"
#include "kiosk/chain.h"
#include "kiosk/display.h"
#include "kiosk/font.h"
#include "kiosk/gpio.h"
#include "kiosk/handover.h"
#include "kiosk/input.h"
#include "kiosk/locker.h"
#include "kiosk/log.h"
#include "kiosk/matcher.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payreq.h"
#include "kiosk/policy.h"
#include "kiosk/printer.h"
#include "kiosk/receipt.h"
#include "kiosk/reconcile.h"
#include "kiosk/screen.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "kiosk/totp.h"
#include "kiosk/tx.h"
#include "kiosk/uri.h"
#include "kiosk/watcher.h"

#define IDLE_AFTER_NS (90 * NS_PER_S)      /* back to idle when nobody acts */
#define DONE_SCREEN_NS (15 * NS_PER_S)
#define TICK_NS NS_PER_S
#define SIM_TICK_NS (10 * NS_PER_MS)
#define SIM_DOOR_OPEN_MS 2000               /* sim: how long the member keeps the door open */
#define EVDEV_RETRY_NS (10 * NS_PER_S)     /* a USB keypad or scanner unplugged: look again */
#define STAFF_CLOCK_SKEW_S 300             /* wall clock vs chain head time, for TOTP */
#define ENROL_FRESH_MS (2 * 60 * 1000)     /* an older enrolment request is not shown */
#define STAFF_LOCK_WAIT_MS 200           /* kioskctl holds the secrets lock for milliseconds */

enum mode { M_IDLE, M_PAYMENT, M_DONE, M_STAFF_CODE, M_STAFF_MENU, M_STAFF_WAIVE, M_MESSAGE, M_ENROL };

struct kiosk;

/* A USB keypad or 2D scanner (evdev): opened at start, and again after an unplug. */
struct evdev_dev {
	struct kiosk *k;
	const char *what;                   /* "keypad", "scanner" */
	const char *path;                   /* from the board; empty = none */
	struct loop_fd watch;
	struct loop_timer retry;
	struct input_decoder dec;
	enum kerr last;                     /* the last open's result: log changes only */
};

struct kiosk {
	const struct board *board;
	const struct site *site;
	const struct chain_profile *chain;
	struct loop *loop;
	const struct clock *clock;
	struct rng *rng;
	struct store *store;
	struct display *display;
	struct canvas *canvas;
	struct font *font;
	struct gpio *gpio;
	struct locker *locker;
	struct printer *printer;
	struct handover handover;
	struct locker_events lev;
	struct watcher *watcher;
	struct watcher_events wev;
	struct policy policy;
	uint32_t head, lib;
	bool online;
	int64_t head_time_s, head_at_ns;     /* the chain's head time, and when we heard it */
	int64_t clock_floor_s;              /* the journal's last event before this boot */
	struct staff_db staff;              /* the last copy read: its replay guard */
	int64_t enrol_seen;                 /* newest staff_enrol request handled */
	char enrol_name[STAFF_NAME_MAX + 1];
	char enrol_uri[512];                /* holds a secret: wiped when the screen goes */
	struct totp_lockout lockout;
	bool sim;
	/* inputs */
	struct loop_fd stdin_watch;
	char stdin_buf[INPUT_SCAN_MAX + 2];
	size_t stdin_len;
	struct evdev_dev keypad, scanner;
	int button_line[4];                 /* gpio handle per enum input_button; -1 = none */
	/* what is on screen */
	enum mode mode;
	struct screen_model model;
	char typed[16];
	char code[8];
	char staff_name[33];                /* who proved a code, for the journal */
	struct order order;                 /* the order being served; id empty = none */
	char uri[URI_MAX];
	char amount[ASSET_STR_MAX];
	char items[256];
	char message[256];
	int64_t expires_ms;
	struct loop_timer idle, tick, sim_tick, sim_release;
	char sim_pressed[BOARD_NAME_MAX];   /* the sim button held down */
};

static int64_t now_ms(const struct kiosk *k)
{
	return clock_real_ms(k->clock);
}

/* ---- screen ---- */

static void draw(struct kiosk *k)
{
	struct screen_model *m = &k->model;
	enum kerr err;

	m->lang = k->site->lang;
	m->coop_name = k->site->coop_name;
	m->offline = !k->online;
	if (k->mode == M_PAYMENT)
		m->seconds_left = (int)((k->expires_ms - now_ms(k)) / 1000);
	err = screen_draw(k->canvas, k->font, m);
	if (err && err != KERR_TOO_BIG)
		return;
	if (k->display &&
	    display_blit(k->display, k->canvas, (struct rect){0, 0, k->canvas->width, k->canvas->height}))
		log_warn("display: a frame could not be shown");
}

static void show(struct kiosk *k, enum mode mode, enum screen_id id)
{
	if (k->watcher)
		watcher_set_urgent(k->watcher, mode == M_PAYMENT);
	k->mode = mode;
	k->model.id = id;
	draw(k);
	loop_timer_arm(k->loop, &k->idle, mode == M_DONE ? DONE_SCREEN_NS : IDLE_AFTER_NS);
}

static void show_idle(struct kiosk *k)
{
	unsigned n = 0;

	memset(&k->model, 0, sizeof(k->model));
	k->typed[0] = k->code[0] = k->staff_name[0] = '\0';
	explicit_bzero(k->enrol_uri, sizeof(k->enrol_uri));
	/* Nothing carries over to the next member (or to staff keys). */
	memset(&k->order, 0, sizeof(k->order));
	if (store_order_count(k->store, ORDER_READY, &n) != KERR_OK)
		n = 0;
	k->model.orders_ready = n;
	show(k, M_IDLE, SCREEN_IDLE);
	loop_timer_disarm(k->loop, &k->idle);
}

static void show_message(struct kiosk *k, enum screen_id id, const char *text)
{
	snprintf(k->message, sizeof(k->message), "%s", text ? text : "");
	k->model.error = k->message;
	show(k, M_MESSAGE, id);
}

static void on_idle(struct loop_timer *t)
{
	show_idle(container_of(t, struct kiosk, idle));
}

static void enrol_if_asked(struct kiosk *k);

static void on_tick(struct loop_timer *t)
{
	struct kiosk *k = container_of(t, struct kiosk, tick);

	/* Never over a member who is typing or paying. */
	if (k->mode == M_IDLE && !k->typed[0] && !k->order.id[0])
		enrol_if_asked(k);

	/* Redraw the countdown every few seconds (each frame costs a blit). */
	if (k->mode == M_PAYMENT) {
		if (now_ms(k) >= k->expires_ms)
			show_message(k, SCREEN_EXPIRED, NULL);
		else if ((now_ms(k) / 1000) % 5 == 0)
			draw(k);
	}
	loop_timer_arm(k->loop, &k->tick, TICK_NS);
}

/* ---- handover ---- */

static enum kerr hv_begin(void *ctx, const struct order *o, enum order_state from,
                          enum handover_kind kind, unsigned compartment, const char *cause,
                          int64_t *intent_id)
{
	struct kiosk *k = ctx;
	enum kerr err = store_begin(k->store);

	if (err)
		return err;
	err = store_handover_intent(k->store, o->id, kind == HANDOVER_LOCKER ? "locker" : "receipt",
	                            compartment, intent_id);
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
	enum store_outcome so = outcome == HANDOVER_OK       ? STORE_OUTCOME_OK
	                        : outcome == HANDOVER_FAILED ? STORE_OUTCOME_FAILED
	                                                     : STORE_OUTCOME_INTERRUPTED;
	enum kerr err = store_begin(k->store);

	if (err)
		return err;
	err = store_handover_outcome(k->store, intent_id, so, detail);
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
		show(k, M_DONE, SCREEN_PAID_RECEIPT);
	}
	return err;
}

static const struct handover_ops hv_ops = {hv_begin, hv_finish, hv_act};

static void on_opened(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!k->handover.busy || k->handover.order.compartment != n)
		return;
	if (handover_done(&k->handover, true, "door opened") == KERR_OK) {
		struct order o = k->handover.order;

		k->model.compartment = n;
		show(k, M_DONE, SCREEN_PAID_LOCKER);
		/* A receipt too, where there is a printer: the goods are out either way. */
		if (k->printer && print_receipt(k, &o) == KERR_OK &&
		    store_event(k->store, o.id, "receipt_printed", "with the locker pickup"))
			log_warn("journal: the receipt could not be recorded");
	}
}

static void on_failed(struct locker_events *e, unsigned n, const char *why)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	log_err("compartment %u: %s", n, why);
	if (k->handover.busy && k->handover.order.compartment == n &&
	    handover_done(&k->handover, false, why) == KERR_OK)
		show_message(k, SCREEN_ERROR, why);
}

static void on_alarm(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);
	char d[64];

	snprintf(d, sizeof(d), "compartment %u door left open", n);
	log_warn("%s", d);
	if (store_event(k->store, NULL, "door_alarm", d))
		log_err("journal: the door alarm could not be recorded");
}

static void on_forced(struct locker_events *e, unsigned n)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);
	char d[64];

	snprintf(d, sizeof(d), "compartment %u opened without a pulse", n);
	if (store_event(k->store, NULL, "door_forced", d))
		log_err("journal: the forced door could not be recorded");
}

static void hand_over(struct kiosk *k, const struct order *o, bool resume)
{
	enum kerr err = handover_start(&k->handover, o, resume, resume ? "resumed by staff" : "paid");

	if (err == KERR_BUSY)
		show_message(k, SCREEN_ERROR, "busy");
	else if (err)
		show_message(k, SCREEN_ERROR, kerr_str(err));
}

/* ---- payment requests ---- */

/* The screen model's order lines (id, items, amount) from o, which must outlive the screen. */
static void model_for_order(struct kiosk *k, const struct order *o)
{
	size_t n = 0;

	k->items[0] = '\0';
	for (unsigned i = 0; i < o->item_count && n < sizeof(k->items) - 1; i++)
		n += (size_t)snprintf(k->items + n, sizeof(k->items) - n, "%s%s ×%u", i ? ", " : "",
		                      o->items[i].name, o->items[i].quantity);
	if (asset_format(&o->price, k->amount, sizeof(k->amount)))
		k->amount[0] = '\0';
	k->model.order_id = o->id;
	k->model.items = k->items;
	k->model.amount = k->amount;
}

/* The payment screen's model for o: its request (made once, then reused) as a QR. */
static enum kerr request_model(struct kiosk *k, struct order *o)
{
	struct store_request r;
	struct uri_payment pay = {.to = k->site->account};
	enum kerr err = payreq_ensure(k->store, k->rng, now_ms(k), (int64_t)k->site->request_ttl_s * 1000, o, &r);

	if (err)
		return err;
	k->expires_ms = r.expires_ms;
	pay.amount = o->price;
	/* Part paid already: the QR asks for what is still due. */
	if (o->state == ORDER_UNDERPAID) {
		struct asset got, due;

		if (store_transfer_sum(k->store, o->id, &o->price, &got) == KERR_OK &&
		    asset_sub(&o->price, &got, &due) == KERR_OK && due.amount > 0)
			pay.amount = due;
	}
	pay.memo = r.memo;
	err = uri_build(k->chain, k->site->uri_style, &pay, k->uri, sizeof(k->uri), NULL);
	if (err)
		return err;
	memset(&k->model, 0, sizeof(k->model));
	model_for_order(k, o);
	/* What is still due, when part is paid. */
	if (asset_format(&pay.amount, k->amount, sizeof(k->amount)))
		k->amount[0] = '\0';
	k->model.memo = o->memo;
	k->model.pay_to = k->site->account;
	k->model.uri = k->uri;
	k->model.ecc = QR_ECC_M;
	k->model.wallet_hint = k->chain->chain == SITE_CHAIN_HIVE ? "Hive Keychain, Hivesigner" : "Steem Keychain, SteemLogin";
	return KERR_OK;
}

static enum kerr payment_request(struct kiosk *k, struct order *o)
{
	enum kerr err = request_model(k, o);

	if (!err)
		show(k, M_PAYMENT, SCREEN_PAYMENT);
	return err;
}

/* An order by its id, or by the digits the member typed (see store_order_find). */
static enum kerr find_order(struct kiosk *k, const char *key, struct order *o)
{
	return store_order_find(k->store, key, o);
}

static void confirm_if_due(struct kiosk *k, struct order *o);

static void serve(struct kiosk *k, const char *key)
{
	struct order o;

	if (find_order(k, key, &o) != KERR_OK) {
		show_message(k, SCREEN_ERROR, k->site->lang == SITE_LANG_KO ? "주문을 찾을 수 없습니다" : "Order not found");
		return;
	}
	k->order = o;
	switch (o.state) {
	case ORDER_PAID:
		hand_over(k, &k->order, false);
		return;
	case ORDER_PAID_CONFIRMING:
		/* Paid, not yet confirmed: wait here; confirm_if_due() hands over. */
		memset(&k->model, 0, sizeof(k->model));
		model_for_order(k, &k->order);
		k->expires_ms = now_ms(k) + IDLE_AFTER_NS / NS_PER_MS * 10;
		show(k, M_PAYMENT, SCREEN_CONFIRMING);
		confirm_if_due(k, &k->order);
		return;
	case ORDER_HANDED_OVER:
	case ORDER_CANCELLED:
	case ORDER_REFUND_DUE:
	case ORDER_HANDOVER_FAILED:
	case ORDER_HANDING_OVER:
		k->model.order_id = k->order.id;
		show_message(k, SCREEN_EXPIRED, NULL);
		return;
	default:
		if (payment_request(k, &k->order))
			show_message(k, SCREEN_ERROR, "payment request failed");
	}
}


/* ---- payments seen on chain ---- */

/* Moves the order on by one event; false if the table has no such move. */
static bool advance(struct kiosk *k, struct order *o, enum order_event ev, const char *cause)
{
	enum order_state to;

	if (order_fsm_next(o->state, ev, &to) != KERR_OK)
		return false;
	if (store_order_set_state(k->store, o->id, o->state, to, cause) != KERR_OK)
		return false;
	o->state = to;
	return true;
}


/* Staff confirmations still waiting for the chain: settle or flag them. */
static void reconcile(struct kiosk *k, const char *only_order, int64_t scanned_to_s)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned n = 0;

	if (!c || store_confirmation_list(k->store, "pending", c, 64, &n)) {
		free(c);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct reconcile_input in = {.confirmed_at_s = c[i].at_ms / 1000,
		                             .after_s = k->site->reconcile_after_s,
		                             .now_s = now_ms(k) / 1000,
		                             .scanned_to_s = scanned_to_s};
		struct reconcile_result r;
		struct order o;

		if (strcmp(c[i].method, "chain_pending") != 0 ||
		    (only_order && strcmp(c[i].order_id, only_order) != 0) ||
		    store_order_get(k->store, c[i].order_id, &o) ||
		    store_transfer_sum(k->store, o.id, &o.price, &in.proven))
			continue;
		in.price = o.price;
		if (reconcile_decide(&in, &r) || r.state == RECONCILE_PENDING)
			continue;
		if (store_confirmation_settle(k->store, c[i].id, reconcile_state_name(r.state), &r.due))
			continue;
		log_notice("order %s: staff confirmation %s", o.id, reconcile_state_name(r.state));
	}
	free(c);
}

static bool has_pending_confirmation(struct kiosk *k, const char *order_id)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned n = 0;
	bool found = false;

	if (c && store_confirmation_list(k->store, "pending", c, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n && !found; i++)
			found = strcmp(c[i].order_id, order_id) == 0 && strcmp(c[i].method, "chain_pending") == 0;
	free(c);
	return found;
}

/* The site's index of a node URL; SITE_NODES_MAX when it is not (or no longer) one of them. */
static unsigned node_index(const struct kiosk *k, const char *url)
{
	for (unsigned i = 0; i < k->site->node_count; i++)
		if (strcmp(k->site->nodes[i].url, url) == 0)
			return i;
	return SITE_NODES_MAX;
}

/* An order paid and waiting for confirmations: is the policy met now? */
static void confirm_if_due(struct kiosk *k, struct order *o)
{
	struct store_transfer t;
	struct policy_input in = {.head_block = k->head, .irreversible_block = k->lib};
	struct policy_result r;

	if (o->state != ORDER_PAID_CONFIRMING || store_transfer_of_order(k->store, o->id, &t))
		return;
	in.amount = o->price;
	in.tx_block = t.block;
	in.agreeing_nodes = t.nodes ? t.nodes : 1;
	if (policy_check(&k->policy, &in, &r) != KERR_OK)
		return;
	if (r.waiting_for_second_node && k->watcher) {
		/* Above strict_above: another node must serve and prove the same transaction. */
		struct watcher_transfer wt = {.trx_id = t.trx_id, .op_index = t.op_index, .block = t.block,
		                              .from = t.from, .amount = t.amount, .memo = t.memo,
		                              .memo_len = t.memo_len, .node = node_index(k, t.proved_by)};

		watcher_second_opinion(k->watcher, &wt);
	}
	if (!r.confirmed) {
		/* The member at the kiosk sees the confirmations come in. */
		if (k->mode == M_PAYMENT && strcmp(k->order.id, o->id) == 0) {
			k->order = *o;
			model_for_order(k, &k->order);
			k->model.conf_have = r.have;
			k->model.conf_need = r.need;
			k->expires_ms = now_ms(k) + IDLE_AFTER_NS / NS_PER_MS * 10;
			show(k, M_PAYMENT, SCREEN_CONFIRMING);
		}
		return;
	}
	if (!advance(k, o, ORDER_EV_CONFIRMED, "payment confirmed on chain"))
		return;
	log_notice("order %s: paid (block %u)", o->id, t.block);
	/* The member waiting at its payment screen gets the goods now. */
	if (k->mode == M_PAYMENT && strcmp(k->order.id, o->id) == 0) {
		k->order = *o;
		hand_over(k, &k->order, false);
	}
}

static void on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct order *list = calloc(64, sizeof(*list));
	unsigned n = 0;

	k->head = head;
	k->lib = lib;
	k->head_time_s = head_time_s;
	k->head_at_ns = clock_mono_ns(k->clock);
	reconcile(k, NULL, head_time_s);
	if (list && store_order_list(k->store, ORDER_PAID_CONFIRMING, list, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n; i++)
			confirm_if_due(k, &list[i]);
	free(list);
}

static void on_agreed(struct watcher_events *e, const char *trx_id, uint32_t op_index)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct order *list = calloc(64, sizeof(*list));
	unsigned n = 0;

	if (store_transfer_agreed(k->store, trx_id, op_index))
		log_err("journal: a second node's agreement on %s could not be recorded", trx_id);
	else if (list && store_order_list(k->store, ORDER_PAID_CONFIRMING, list, 64, &n) == KERR_OK)
		for (unsigned i = 0; i < n; i++)
			confirm_if_due(k, &list[i]);
	free(list);
}

static void on_pool(struct watcher_events *e, enum pool_state state, const char *detail)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);

	/* Degraded still verifies payments; only offline needs the staff banner. */
	k->online = state != POOL_OFFLINE;
	/* Journaled, so `kioskctl status` can say how the nodes are. */
	if (store_event(k->store, NULL, "pool", detail))
		log_warn("journal: the node pool's state could not be recorded");
	draw(k);
}

static void on_refused(struct watcher_events *e, const char *trx_id, const char *why)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	char d[160];

	snprintf(d, sizeof(d), "%.40s: %s", trx_id, why);
	if (store_event(k->store, NULL, "transfer_refused", d))
		log_err("journal: a refused transfer could not be recorded");
}

/* The payment code as the member may have typed it: trimmed, upper case. */
static void normalize(const char *memo, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	while (len && (*memo == ' ' || *memo == '\t')) {
		memo++;
		len--;
	}
	while (len && (memo[len - 1] == ' ' || memo[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len && n + 1 < cap; i++)
		out[n++] = memo[i] >= 'a' && memo[i] <= 'z' ? (char)(memo[i] - 32) : memo[i];
	out[n] = '\0';
}

static void on_transfer(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct store_transfer st = {0};
	struct store_request req;
	struct match_request mr = {0};
	struct match_transfer mt = {.from = t->from, .to = k->site->account, .amount = t->amount,
	                            .timestamp_ms = t->time_ms};
	struct match_outcome out;
	struct order o;
	char memo[ORDER_MEMO_MAX + 1], text[TX_MEMO_MAX + 1];
	size_t n = 0;
	bool have = false;

	memcpy(text, t->memo, t->memo_len);
	text[t->memo_len] = '\0';
	mt.memo = text;
	normalize(t->memo, t->memo_len, memo, sizeof(memo));
	if (store_request_find(k->store, memo, &req) == KERR_OK &&
	    store_order_get(k->store, req.order_id, &o) == KERR_OK) {
		mr.order_id = o.id;
		mr.memo = req.memo;
		mr.price = o.price;
		mr.expires_at_ms = req.expires_ms;
		mr.closed = o.state == ORDER_PAID || o.state == ORDER_HANDING_OVER || order_state_final(o.state) ||
		            o.state == ORDER_REFUND_DUE || o.state == ORDER_HANDOVER_FAILED;
		/* Handed over on a staff confirmation: this payment settles it. */
		if (mr.closed && has_pending_confirmation(k, o.id))
			mr.closed = false;
		if (store_transfer_sum(k->store, o.id, &o.price, &mr.received))
			return;
		n = 1;
		have = true;
	}
	if (matcher_apply(&mr, n, k->site->account, k->site->late_payment, &mt, false, &out))
		return;
	snprintf(st.trx_id, sizeof(st.trx_id), "%s", t->trx_id);
	st.op_index = t->op_index;
	st.block = t->block;
	st.timestamp_ms = t->time_ms;
	snprintf(st.from, sizeof(st.from), "%s", t->from);
	snprintf(st.to, sizeof(st.to), "%s", k->site->account);
	st.amount = t->amount;
	if (t->node < k->site->node_count)
		snprintf(st.proved_by, sizeof(st.proved_by), "%s", k->site->nodes[t->node].url);
	memcpy(st.memo, t->memo, t->memo_len < sizeof(st.memo) ? t->memo_len : sizeof(st.memo));
	st.memo_len = t->memo_len < sizeof(st.memo) ? t->memo_len : sizeof(st.memo);
	st.status = out.kind == MATCH_ENCRYPTED_MEMO || out.kind == MATCH_UNKNOWN_MEMO ? STORE_TRANSFER_FOR_STAFF
	            : out.refund.amount > 0 && out.credited.amount == 0      ? STORE_TRANSFER_REFUND_DUE
	                                                                     : STORE_TRANSFER_NEW;
	/* One transaction: the transfer, its match, a refund due, the order's move. */
	if (store_begin(k->store))
		return;
	if (store_transfer_insert(k->store, &st) != KERR_OK)
		goto rollback;
	if (have && out.credited.amount > 0 && store_transfer_match(k->store, st.rowid, o.id))
		goto rollback;
	if (out.refund.amount > 0 &&
	    store_refund_insert(k->store, st.rowid, t->from, &out.refund, match_kind_name(out.kind)))
		goto rollback;
	if (have && (out.kind == MATCH_PAID || out.kind == MATCH_OVERPAID))
		(void)advance(k, &o, ORDER_EV_PAID_FULL, "paid on chain");
	else if (have && out.kind == MATCH_PARTIAL)
		(void)advance(k, &o, ORDER_EV_PAID_PART, "part paid on chain");
	if (store_commit(k->store))
		return;
	log_notice("transfer %s from %s: %s", t->trx_id, t->from, match_kind_name(out.kind));
	if (have && out.kind == MATCH_PARTIAL && k->mode == M_PAYMENT && strcmp(k->order.id, o.id) == 0) {
		static char due[ASSET_STR_MAX];

		/* Still the payment flow: the QR now asks for what is due, with the
		 * same code, and a top-up hands over. */
		if (store_order_get(k->store, o.id, &k->order) != KERR_OK || request_model(k, &k->order) != KERR_OK)
			k->model.uri = NULL;
		if (asset_format(&out.still_due, due, sizeof(due)) == KERR_OK)
			k->model.still_due = due;
		show(k, M_PAYMENT, SCREEN_UNDERPAID);
	}
	if (have && out.kind == MATCH_WRONG_ASSET && k->mode == M_PAYMENT && strcmp(k->order.id, o.id) == 0) {
		k->model.order_id = k->order.id;
		show_message(k, SCREEN_WRONG_ASSET, NULL);
	}
	if (have) {
		confirm_if_due(k, &o);
		reconcile(k, o.id, t->time_ms / 1000);
	}
	return;
rollback:
	store_rollback(k->store);
	log_err("journal: transfer %s could not be recorded; it will be read again", t->trx_id);
}

/* ---- staff ---- */

static void staff_menu(struct kiosk *k, const char *note);

static void staff_code_done(struct kiosk *k)
{
	const struct staff_member *who = NULL;
	struct staff_db *db;
	int64_t now_s = now_ms(k) / 1000, left, chain_s = 0;
	int lock = -1;
	const char *why = NULL;
	enum kerr err;

	if (totp_lockout_locked(&k->lockout, now_s, &left)) {
		show_message(k, SCREEN_ERROR, "staff mode locked; try again in a few minutes");
		return;
	}
	/* The chain's head time, carried forward on the monotonic clock. */
	if (k->online && k->head_time_s > 0)
		chain_s = k->head_time_s + (clock_mono_ns(k->clock) - k->head_at_ns) / NS_PER_S;
	if (staff_clock_check(now_s, k->clock_floor_s, chain_s, STAFF_CLOCK_SKEW_S, &why) != KERR_OK) {
		show_message(k, SCREEN_ERROR, why);
		return;
	}
	/* Read afresh: kioskctl may have added or removed someone since. */
	db = malloc(sizeof(*db));
	err = db ? staff_db_lock(k->site->staff_secrets_path, STAFF_LOCK_WAIT_MS, &lock) : KERR_NOMEM;
	if (!err)
		err = staff_db_load(k->site->staff_secrets_path, db);
	if (err) {
		staff_db_unlock(lock);
		free(db);
		k->code[0] = '\0';
		show_message(k, SCREEN_ERROR,
		             "staff codes cannot be checked: the staff secrets file cannot be read; see the log");
		return;
	}
	staff_db_keep_steps(db, &k->staff);
	err = staff_db_check(db, now_s, k->code, &who);
	totp_lockout_record(&k->lockout, now_s, err == KERR_OK);
	if (store_staff_attempt(k->store, who ? who->name : "?", err == KERR_OK,
	                        err == KERR_OK ? "ok" : kerr_str(err)))
		log_err("journal: a staff code attempt could not be recorded");
	k->code[0] = '\0';
	if (!err) {
		if (staff_db_save(db))
			log_warn("staff: the used code could not be written to the secrets file; this run "
			         "still refuses it again");
		snprintf(k->staff_name, sizeof(k->staff_name), "%s", who->name);
		k->staff = *db;
	}
	staff_db_unlock(lock);
	explicit_bzero(db, sizeof(*db));
	free(db);
	if (err) {
		k->model.code_digits = 0;
		k->model.error = k->site->lang == SITE_LANG_KO ? "코드가 맞지 않습니다" : "Wrong code";
		show(k, M_STAFF_CODE, SCREEN_STAFF_CODE);
		return;
	}
	staff_menu(k, NULL);
}

/*
 * `kioskctl staff add NAME --on-kiosk` asks, through the journal, for the new
 * member's otpauth QR on this screen: shown once, while fresh, until any key
 * or the idle timeout; the secret is read from the secrets file here, never
 * carried in the journal.
 */
static void enrol_if_asked(struct kiosk *k)
{
	char detail[STORE_DETAIL_MAX], *issuer;
	const struct staff_member *m;
	struct staff_db *db;
	int64_t id, at, now = now_ms(k);
	int lock = -1;
	enum kerr err;

	if (store_last_event_of(k->store, "staff_enrol", &id, &at, detail, sizeof(detail)) || id <= k->enrol_seen)
		return;
	k->enrol_seen = id;
	issuer = strchr(detail, '\t');
	if (issuer)
		*issuer++ = '\0';
	if (at < now - ENROL_FRESH_MS || at > now + ENROL_FRESH_MS) {
		log_notice("staff enrolment QR for %s asked at a time too far from now; not shown", detail);
		return;
	}
	db = malloc(sizeof(*db));
	if (!db)
		return;
	err = staff_db_lock(k->site->staff_secrets_path, STAFF_LOCK_WAIT_MS, &lock);
	if (!err)
		err = staff_db_load(k->site->staff_secrets_path, db);
	staff_db_unlock(lock);
	m = err ? NULL : staff_db_find(db, detail);
	if (!m || totp_otpauth_uri(issuer && issuer[0] ? issuer : k->site->coop_name, m->name, m->secret,
	                           m->secret_len, k->enrol_uri, sizeof(k->enrol_uri))) {
		log_warn("staff enrolment QR for %s: %s", detail,
		         err ? "the secrets file cannot be read" : !m ? "no such staff member (removed?)"
		                                                      : "name or issuer too long");
	} else {
		snprintf(k->enrol_name, sizeof(k->enrol_name), "%s", m->name);
		memset(&k->model, 0, sizeof(k->model));
		k->model.staff_name = k->enrol_name;
		k->model.uri = k->enrol_uri;
		k->model.ecc = QR_ECC_M;
		if (store_event(k->store, NULL, "staff_enrol_shown", m->name))
			log_warn("journal: showing the enrolment QR could not be recorded");
		log_notice("staff enrolment QR for %s on screen", m->name);
		show(k, M_ENROL, SCREEN_STAFF_ENROL);
	}
	explicit_bzero(db, sizeof(*db));
	free(db);
}

/* Back to the staff menu, with a line saying what just happened. */
static void staff_menu(struct kiosk *k, const char *note)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned a = 0, b = 0;

	if (!c || store_confirmation_list(k->store, "underpaid", c, 64, &a))
		a = 0;
	if (!c || store_confirmation_list(k->store, "unpaid", c, 64, &b))
		b = 0;
	free(c);
	k->model.flagged = a + b;
	if (k->order.id[0])
		model_for_order(k, &k->order);
	else
		k->model.order_id = k->model.items = k->model.amount = NULL;
	snprintf(k->message, sizeof(k->message), "%s", note ? note : "");
	k->model.error = note ? k->message : NULL;
	show(k, M_STAFF_MENU, SCREEN_STAFF_MENU);
}

/* The order the staff keys act on, read again from the journal. */
static bool staff_order(struct kiosk *k)
{
	char id[ORDER_ID_MAX + 1];

	/* A copy: store_order_get clears its output before it reads the key. */
	snprintf(id, sizeof(id), "%s", k->order.id);
	if (!id[0] || store_order_get(k->store, id, &k->order)) {
		memset(&k->order, 0, sizeof(k->order));
		staff_menu(k, k->site->lang == SITE_LANG_KO ? "먼저 주문 번호를 입력하세요" : "Pick the order first");
		return false;
	}
	return true;
}

/*
 * Staff say how the order was paid. Cash, bank transfer and waived are
 * settled there and then; "paid on chain, not seen yet" waits for the
 * watcher's catch-up (reconcile()). One transaction: the confirmation, its
 * settlement and the order's move, so a power cut leaves all or nothing.
 */
static void staff_confirm(struct kiosk *k, const char *method, const char *reason)
{
	struct store_confirmation c = {0};
	struct asset none = {.precision = k->order.price.precision};
	enum order_state to;
	enum kerr err;

	if (!staff_order(k))
		return;
	if (order_fsm_next(k->order.state, ORDER_EV_STAFF_CONFIRM, &to)) {
		staff_menu(k, k->site->lang == SITE_LANG_KO ? "이 주문은 확인할 수 없습니다"
		                                            : "This order cannot be confirmed");
		return;
	}
	snprintf(none.symbol, sizeof(none.symbol), "%s", k->order.price.symbol);
	snprintf(c.order_id, sizeof(c.order_id), "%s", k->order.id);
	snprintf(c.staff, sizeof(c.staff), "%s", k->staff_name);
	snprintf(c.method, sizeof(c.method), "%s", method);
	snprintf(c.reason, sizeof(c.reason), "%s", reason ? reason : "");
	err = store_begin(k->store);
	if (!err)
		err = store_confirmation_insert(k->store, &c);
	if (!err && strcmp(method, "chain_pending") != 0)
		err = store_confirmation_settle(k->store, c.id, "settled", &none);
	if (!err)
		err = store_order_set_state(k->store, k->order.id, k->order.state, to, "confirmed by staff");
	if (err) {
		store_rollback(k->store);
	} else {
		err = store_commit(k->store);
	}
	if (err) {
		log_err("journal: the staff confirmation of %s could not be written (%s)", k->order.id,
		        kerr_str(err));
		show_message(k, SCREEN_ERROR, "journal write failed; nothing was confirmed");
		return;
	}
	log_notice("order %s: confirmed by %s (%s%s%s)", k->order.id, c.staff, method, reason ? ": " : "",
	           reason ? reason : "");
	k->order.state = to;
	hand_over(k, &k->order, false);
}

static void staff_cancel(struct kiosk *k)
{
	char cause[80];
	bool refund;

	if (!staff_order(k))
		return;
	snprintf(cause, sizeof(cause), "cancelled by staff %s", k->staff_name);
	if (!advance(k, &k->order, ORDER_EV_CANCEL, cause)) {
		staff_menu(k, k->site->lang == SITE_LANG_KO ? "이 주문은 취소할 수 없습니다"
		                                            : "This order cannot be cancelled");
		return;
	}
	/* Money already came in for it: the table sends it to refund due. */
	refund = k->order.state == ORDER_REFUND_DUE;
	log_notice("order %s: %s%s", k->order.id, cause, refund ? "; refund due" : "");
	staff_menu(k, refund ? (k->site->lang == SITE_LANG_KO ? "취소됨: 환불 필요" : "Cancelled: refund due")
	                     : (k->site->lang == SITE_LANG_KO ? "취소됨" : "Cancelled"));
}

/* Reasons for waiving, as a numeric keypad can pick them; journaled in English. */
static const char *const waive_reasons[] = {
    "damaged or missing goods", "co-op gift or volunteer share", "price error", "other",
};

static void staff_waive_key(struct kiosk *k, char key)
{
	if (key == '0') {
		staff_menu(k, NULL);
		return;
	}
	if (key >= '1' && key < '1' + (char)ARRAY_SIZE(waive_reasons))
		staff_confirm(k, "waived", waive_reasons[key - '1']);
}

/* Staff menu: the keys the screen lists (STR_STAFF_MENU_ITEMS). */
static void staff_menu_key(struct kiosk *k, char key)
{
	switch (key) {
	case '0':
		show_idle(k);
		return;
	case '1':
		staff_confirm(k, "chain_pending", NULL);
		return;
	case '2':
		if (staff_order(k))
			hand_over(k, &k->order, true);
		return;
	case '3':
		staff_cancel(k);
		return;
	case '4':
		staff_confirm(k, "cash", NULL);
		return;
	case '5':
		staff_confirm(k, "bank", NULL);
		return;
	case '6':
		if (!staff_order(k))
			return;
		k->model.error = NULL;
		show(k, M_STAFF_WAIVE, SCREEN_STAFF_WAIVE);
		return;
	default:
		return;
	}
}

/* ---- input ---- */

/* next/prev on the idle screen: step through the orders still open. */
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
		model_for_order(k, &k->order);
		snprintf(k->typed, sizeof(k->typed), "%s", "");
		draw(k);
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

static void on_action(struct kiosk *k, const struct input_action *a)
{
	log_debug("input: kind %d key %d button %d in mode %d", a->kind, a->key, a->button, k->mode);
	loop_timer_arm(k->loop, &k->idle, IDLE_AFTER_NS);
	/* Any key or button takes a staff secret off the screen, and does nothing else. */
	if (k->mode == M_ENROL) {
		show_idle(k);
		return;
	}
	/* The staff button, or * on the keypad (a board may have no staff button). */
	if ((a->kind == INPUT_BUTTON && a->button == INPUT_BTN_STAFF) ||
	    (a->kind == INPUT_KEY && a->key == '*' && k->mode != M_STAFF_CODE && k->mode != M_STAFF_MENU &&
	     k->mode != M_STAFF_WAIVE)) {
		k->code[0] = '\0';
		k->model.code_digits = 0;
		k->model.error = NULL;
		show(k, M_STAFF_CODE, SCREEN_STAFF_CODE);
		return;
	}
	if (a->kind == INPUT_SCAN) {
		char reason[STORE_DETAIL_MAX];

		if (k->mode == M_STAFF_WAIVE) {
			scanned_reason(a->text, reason, sizeof(reason));
			staff_confirm(k, "waived", reason);
		} else if (strncmp(a->text, "order:", 6) == 0 && (k->mode == M_IDLE || k->mode == M_MESSAGE ||
		                                                  k->mode == M_DONE)) {
			/* An order's pickup QR: "order:<id>". */
			serve(k, a->text + 6);
		}
		return;
	}
	if (a->kind == INPUT_BUTTON) {
		if (k->mode == M_IDLE && (a->button == INPUT_BTN_NEXT || a->button == INPUT_BTN_PREV))
			browse(k, a->button == INPUT_BTN_NEXT ? 1 : -1);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->typed[0])
			serve(k, k->typed);
		else if (k->mode == M_IDLE && a->button == INPUT_BTN_OK && k->order.id[0])
			serve(k, k->order.id);
		else if (a->button == INPUT_BTN_OK && (k->mode == M_MESSAGE || k->mode == M_DONE))
			show_idle(k);
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
			draw(k);
			if (n + 1 == 6)
				staff_code_done(k);
		} else if (a->key == '\b' && k->code[0]) {
			k->code[strlen(k->code) - 1] = '\0';
			k->model.code_digits = (unsigned)strlen(k->code);
			draw(k);
		}
		return;
	case M_STAFF_MENU:
		staff_menu_key(k, a->key);
		return;
	case M_STAFF_WAIVE:
		staff_waive_key(k, a->key);
		return;
	case M_IDLE:
		if (a->key == '\n' && k->typed[0]) {
			serve(k, k->typed);
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
			draw(k);
		return;
	default:
		if (a->key == '\n')
			show_idle(k);
	}
}

void kiosk_sim_line(struct kiosk *k, const char *line)
{
	struct input_action a;
	size_t used;

	while (*line && input_sim_parse(line, &a, &used) == KERR_OK) {
		on_action(k, &a);
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

static void on_stdin(struct loop_fd *w, short revents)
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

			on_action(k, &enter);
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
	on_action(arg, a);
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

static void evdev_start(struct kiosk *k, struct evdev_dev *d, const char *what, const char *path,
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

static void evdev_stop(struct kiosk *k, struct evdev_dev *d)
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

static void on_other_line(struct locker_events *e, int line, bool active)
{
	struct kiosk *k = container_of(e, struct kiosk, lev);

	if (!active)
		return; /* act on the press */
	for (unsigned b = 0; b < ARRAY_SIZE(k->button_line); b++)
		if (k->button_line[b] == line) {
			struct input_action a = {.kind = INPUT_BUTTON, .button = (enum input_button)b};

			on_action(k, &a);
		}
}

static enum kerr request_buttons(struct kiosk *k)
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

static void on_sim_tick(struct loop_timer *t)
{
	struct kiosk *k = container_of(t, struct kiosk, sim_tick);

	gpio_sim_tick(k->gpio);
	locker_poll(k->locker);
	loop_timer_arm(k->loop, &k->sim_tick, SIM_TICK_NS);
}

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

static enum kerr open_printer(struct kiosk *k)
{
	const struct board_printer *p = &k->board->printer;

	if (strcmp(p->backend, "sim") == 0)
		return printer_sim_open(p, &k->printer);
	if (strcmp(p->backend, "serial") == 0)
		return printer_serial_open(p, &k->printer);
	if (strcmp(p->backend, "usblp") == 0)
		return printer_usblp_open(p, &k->printer);
	return KERR_OK; /* none */
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
			err = store_handover_outcome(k->store, pend[i].id, STORE_OUTCOME_INTERRUPTED,
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
	k->idle.handle = on_idle;
	k->tick.handle = on_tick;
	k->sim_tick.handle = on_sim_tick;
	k->lev = (struct locker_events){on_opened, on_failed, on_alarm, on_forced, NULL, on_other_line};
	k->lockout = (struct totp_lockout){.attempts = site->staff_lockout_attempts,
	                                   .lock_s = site->staff_lockout_s};
	handover_init(&k->handover, &hv_ops, k);
	/* GPIO and the locker first: every relay inactive before anything else. */
	err = k->sim ? gpio_sim_open(&board->gpio, clock, &k->gpio)
	             : gpio_gpiod_open(&board->gpio, clock, &k->gpio);
	if (!err)
		err = locker_open(&board->lockers, k->gpio, loop, &k->lev, &k->locker);
	if (!err && k->sim)
		for (unsigned i = 0; !err && i < board->lockers.count; i++)
			/* The simulated member pulls the door once the lock releases, takes
			 * the goods and closes it again. */
			err = gpio_sim_wire(k->gpio, board->lockers.c[i].lock.name, board->lockers.c[i].door.name, 60,
			                    SIM_DOOR_OPEN_MS);
	if (!err)
		err = request_buttons(k);
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
		k->wev = (struct watcher_events){on_transfer, on_refused, on_head, on_agreed, on_pool};
		policy_from_site(site, &k->policy);
		err = watcher_open(site, k->store, loop, clock, rng, &k->wev, &k->watcher);
	}
	if (!err && board->input.sim_stdin) {
		k->stdin_watch.fd = STDIN_FILENO;
		k->stdin_watch.events = POLLIN;
		k->stdin_watch.handle = on_stdin;
		err = loop_add_fd(loop, &k->stdin_watch);
	}
	if (!err) {
		evdev_start(k, &k->keypad, "keypad", board->input.keypad, INPUT_KEYPAD);
		evdev_start(k, &k->scanner, "scanner", board->input.scanner, INPUT_SCANNER);
	}
	if (err) {
		log_err("kiosk: start-up failed (%s)", kerr_str(err));
		kiosk_close(k);
		return err;
	}
	if (k->sim)
		loop_timer_arm(loop, &k->sim_tick, SIM_TICK_NS);
	loop_timer_arm(loop, &k->tick, TICK_NS);
	/* Read before the boot event, which carries this boot's (maybe wrong) time. */
	if (store_last_event_ms(k->store, &k->clock_floor_s) == KERR_OK)
		k->clock_floor_s /= 1000;
	else
		k->clock_floor_s = 0;
	/* Enrolment requests from before this start are not shown. */
	if (store_last_event_of(k->store, "staff_enrol", &k->enrol_seen, &(int64_t){0}, NULL, 0) != KERR_OK)
		k->enrol_seen = 0;
	if (store_event(k->store, NULL, "boot", KIOSK_VERSION))
		log_warn("journal: the boot could not be recorded");
	show_idle(k);
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
		loop_timer_disarm(k->loop, &k->sim_tick);
		loop_timer_disarm(k->loop, &k->sim_release);
		if (k->stdin_watch.added)
			loop_del_fd(k->loop, &k->stdin_watch);
		evdev_stop(k, &k->keypad);
		evdev_stop(k, &k->scanner);
	}
	watcher_close(k->watcher);
	locker_close(k->locker);
	gpio_close(k->gpio);
	printer_close(k->printer);
	canvas_free(k->canvas);
	display_close(k->display);
	font_close(k->font);
	store_close(k->store);
	free(k);
}
