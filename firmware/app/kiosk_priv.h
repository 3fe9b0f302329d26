/*
 * The kiosk program's one shared struct, split by concern over kiosk_*.c
 * (kiosk.c starts it up); private to firmware/app.
 */
#ifndef KIOSK_APP_KIOSK_PRIV_H
#define KIOSK_APP_KIOSK_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/chain.h"
#include "kiosk/display.h"
#include "kiosk/font.h"
#include "kiosk/gpio.h"
#include "kiosk/handover.h"
#include "kiosk/input.h"
#include "kiosk/kiosk.h"
#include "kiosk/locker.h"
#include "kiosk/log.h"
#include "kiosk/matcher.h"
#include "kiosk/order_fsm.h"
#include "kiosk/pay_method.h"
#include "kiosk/payment.h"
#include "kiosk/payreq.h"
#include "kiosk/pickup.h"
#include "kiosk/policy.h"
#include "kiosk/print_job.h"
#include "kiosk/printer.h"
#include "kiosk/receipt.h"
#include "kiosk/reconcile.h"
#include "kiosk/screen.h"
#include "kiosk/staff.h"
#include "kiosk/staff_actions.h"
#include "kiosk/strings.h"
#include "kiosk/store.h"
#include "kiosk/totp.h"
#include "kiosk/tx.h"
#include "kiosk/uri.h"
#include "kiosk/watch_journal.h"
#include "kiosk/watcher.h"

#define IDLE_AFTER_NS      (90 * NS_PER_S) /* back to idle when nobody acts */
#define DONE_SCREEN_NS     (15 * NS_PER_S)
#define TICK_NS            NS_PER_S
#define STAFF_CLOCK_SKEW_S 300             /* wall clock vs chain head time, for TOTP */
#define ENROL_FRESH_MS     (2 * 60 * 1000) /* an older enrolment request is dropped */
#define STAFF_LOCK_SCOPE   "staff"         /* the staff codes' lockout in the journal */
#define STAFF_LOCK_WAIT_MS 200             /* kioskctl holds the secrets lock for milliseconds */
#define EXPIRY_SWEEP_MS    (60 * 1000)     /* expired payment requests swept at least this often */

enum mode {
	M_IDLE,
	M_PAYMENT,
	M_DONE,
	M_STAFF_CODE,
	M_STAFF_MENU,
	M_STAFF_WAIVE,
	M_MESSAGE,
	M_ENROL,
	M_PICKUP
};

struct kiosk;

/* An input device in the loop: its fd watch, and when to open it again. */
struct kiosk_input {
	struct kiosk *k;
	struct input_dev *dev; /* NULL = none */
	struct loop_fd watch;
	struct loop_timer retry;
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
	/* The receipt printer, run as paced jobs from the loop (print_job.h);
	 * NULL for backend none. A missing device is a degraded kiosk: lockers
	 * and payments work, the port looks for the printer again. */
	struct print_port *pport;
	struct print_events pev;
	bool print_for_handover;            /* the running job is a receipt handover */
	bool print_handover_queued;         /* a receipt handover waits for the running job */
	char print_order[ORDER_ID_MAX + 1]; /* the running job's order; "" = none */
	bool printer_seen_missing;          /* journaled once per absence */
	bool paper_low_told;                /* paper near end journaled once per roll */
	int print_last;                     /* enum print_result of the last job; -1 = none yet */
	char printer_note[128];             /* for the staff menu */
	struct handover handover;
	struct locker_events lev;
	struct watcher *watcher;
	struct watcher_events wev;
	struct policy policy;
	uint32_t head, lib;
	bool online;
	int64_t head_time_s, head_at_ns; /* the chain's head time, and when we heard it */
	int64_t clock_floor_s;           /* the journal's last event before this boot */
	struct staff_db staff;           /* the last copy read: its replay guard */
	int64_t enrol_seen;              /* newest staff_enrol request handled */
	char enrol_name[STAFF_NAME_MAX + 1];
	char enrol_uri[512];    /* holds a secret: wiped when the screen goes */
	int64_t enrol_shown_ns; /* monotonic: when the enrolment QR went up */
	bool sim;
	/* inputs */
	struct kiosk_input stdin_in, keypad, scanner;
	int button_line[4]; /* gpio handle per enum input_button; -1 = none */
	/* what is on screen */
	enum mode mode;
	struct screen_model model;
	char typed[16];
	char code[TOTP_DIGITS_MAX + 1];   /* a staff code being typed */
	char pick[PICKUP_DIGITS_MAX + 1]; /* a pickup code being typed */
	/* The order this screen session has proven the member's: its payment
	 * was asked for here, or its pickup code given. Only it may be handed
	 * over without a code; cleared with the idle screen. */
	char proven[ORDER_ID_MAX + 1];
	char staff_name[33]; /* who proved a code, for the journal */
	/* A board without a keypad enters digits with a wheel: next/previous
	 * turn it, OK enters the key it is on (board_digit_wheel). */
	unsigned wheel_at;  /* index into the wheel's keys */
	struct order order; /* the order being served; id empty = none */
	char uri[URI_MAX];
	char amount[ASSET_STR_MAX];
	char items[256];
	char won_rate[128]; /* model.won_rate of a won-priced order's request */
	char message[256];
	int64_t expires_ms;
	int64_t expiry_next_ms; /* the next periodic sweep of expired requests */
	struct loop_timer idle, tick;
	/* Input that came while the done screen showed, acted on when it ends:
	 * room for an order number and a 10-digit pickup code with their Enters. */
	struct input_action held[32];
	unsigned nheld;
	struct sim_board *sim_board; /* the sim GPIO backend's wiring; NULL on hardware */
	struct kiosk_tokens *tokens; /* kiosk_token.c; NULL when the site takes no tokens */
	/* The asset the member chose on a won price's payment screen; "" = the first. */
	char offer_symbol[ASSET_SYMBOL_MAX + 1];
	struct kiosk_rates *rates; /* kiosk_rates.c; NULL when no rate is fetched */
};

static inline int64_t now_ms(const struct kiosk *k)
{
	return clock_real_ms(k->clock);
}

/* kiosk_offers.c: a won price paid in another asset its request offered. */
/* *price becomes paid's locked amount when req offered paid's asset; else unchanged. */
void kiosk_offer_price(struct kiosk *k, const struct store_request *req, const struct asset *paid,
                       struct asset *price);
/* Paid in kept: parts paid in other assets are owed back (in the caller's transaction). */
enum kerr kiosk_offer_refund_others(struct kiosk *k, const char *order_id,
                                    const struct asset *kept);

/* next/previous on a won price's payment screen: the QR and amount in the next offered asset. */
void kiosk_offer_cycle(struct kiosk *k, int step);
/* staff_ctx's token_precision: cached, else -1 and asked of the sidechain. */
int kiosk_token_precision(void *ctx, const char *symbol);

/* The staff actions' context at this kiosk now: its journal, site, RNG and
 * the staff member who proved a code (the same actions kioskctl runs). */
static inline struct staff_ctx kiosk_staff_ctx(const struct kiosk *k)
{
	return (struct staff_ctx){.store = k->store,
	                          .site = k->site,
	                          .rng = k->rng,
	                          .now_ms = now_ms(k),
	                          .actor = k->staff_name,
	                          .token_precision = kiosk_token_precision,
	                          .token_ctx = (void *)k};
}

/* kiosk_screen.c: what is on screen, and the timers that change it. */
void kiosk_draw(struct kiosk *k);
void kiosk_show(struct kiosk *k, enum mode mode, enum screen_id id);
/* The key the digit wheel is on in this mode; 0 where there is no wheel
 * (a keypad board, or a screen that takes no digits). */
char kiosk_wheel_key(const struct kiosk *k);
void kiosk_show_idle(struct kiosk *k);
void kiosk_show_message(struct kiosk *k, enum screen_id id, const char *text);
void kiosk_on_idle(struct loop_timer *t);
void kiosk_on_tick(struct loop_timer *t);

/* kiosk_handover.c: handing the goods over (locker or receipt). */
extern const struct handover_ops kiosk_handover_ops;
void kiosk_on_opened(struct locker_events *e, unsigned n);
void kiosk_on_failed(struct locker_events *e, unsigned n, const char *why);
void kiosk_on_alarm(struct locker_events *e, unsigned n);
void kiosk_on_forced(struct locker_events *e, unsigned n);
void kiosk_hand_over(struct kiosk *k, const struct order *o, bool resume);
/* A receipt for an order already handed over (the staff menu's reprint):
 * journaled printing, then printed or print_failed. KERR_BUSY while a job
 * runs, KERR_NOTSUP without a printer. */
enum kerr kiosk_reprint(struct kiosk *k, const struct order *o);
void kiosk_print_events_init(struct kiosk *k);
/* What staff should know about the printer (missing, paper near end, the
 * last job failed), or NULL when all is well or there is none. */
const char *kiosk_printer_note(struct kiosk *k);

/* kiosk_payment.c: payment requests, and finding the order to serve. */
void kiosk_model_for_order(struct kiosk *k, const struct order *o);
enum kerr kiosk_request_model(struct kiosk *k, struct order *o);
void kiosk_serve(struct kiosk *k, const char *key);
/* A paid order's pickup code: a key typed on its screen, or a pickup QR scanned. */
void kiosk_pickup_key(struct kiosk *k, char key);
void kiosk_pickup_scan(struct kiosk *k, const char *text);

/* kiosk_chain.c: payments seen on chain. */
bool kiosk_advance(struct kiosk *k, struct order *o, enum order_event ev, const char *cause);
void kiosk_confirm_if_due(struct kiosk *k, struct order *o);
void kiosk_on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s);
void kiosk_on_agreed(struct watcher_events *e, const char *trx_id, uint32_t op_index);
void kiosk_on_pool(struct watcher_events *e, enum pool_state state, const char *detail);
void kiosk_on_reverted(struct watcher_events *e, const char *trx_id, uint32_t op_index,
                       uint32_t block);
void kiosk_on_refused(struct watcher_events *e, const char *trx_id, const char *why);
enum kerr kiosk_on_transfer(struct watcher_events *e, const struct watcher_transfer *t);

/* kiosk_token.c: token payments, confirmed by the sidechain before they count. */
enum kerr kiosk_tokens_open(struct kiosk *k);
void kiosk_tokens_close(struct kiosk *k);
/* kiosk_rates.c: the ticker and the price feed fetched and journaled when sources list them. */
enum kerr kiosk_rates_open(struct kiosk *k);
void kiosk_rates_close(struct kiosk *k);
enum kerr kiosk_on_token(struct watcher_events *e, const struct watcher_transfer *t);
/* A transfer from the co-op with a refund memo: closes that refund (kiosk_refund.c). */
enum kerr kiosk_on_refund_sent(struct kiosk *k, const struct watcher_transfer *t);
enum kerr kiosk_on_unverified(struct watcher_events *e, const struct watcher_unverified *u);

/* kiosk_expiry.c: payment requests that ran out, on screen or not. */
/* Fires ORDER_EV_EXPIRE for every order awaiting payment or part paid whose
 * request expired (wall clock and chain both past it); part paid, what came
 * in becomes refund due. At start, on each chain head, and from the tick. */
void kiosk_expiry_sweep(struct kiosk *k);
/* From the 1 s tick: a sweep once EXPIRY_SWEEP_MS has passed since the last. */
void kiosk_expiry_tick(struct kiosk *k);
/* Journals (event late_payment) a transfer to order_id that came after its
 * request expired: refunded or counted per late_payment. KERR_OK, nothing
 * written, for one in time. Inside the caller's transaction. */
enum kerr kiosk_expiry_note_late(struct kiosk *k, const char *order_id, const char *memo,
                                 const struct watcher_transfer *t, const struct match_outcome *out);

/* kiosk_staff.c: staff code, menu, confirmations, enrolment. */
void kiosk_staff_code_done(struct kiosk *k);
/* Staff menu key 7: the newest fresh enrolment request's QR, if any. */
bool kiosk_enrol_if_asked(struct kiosk *k);
/* The staff codes' lockout rule from the site file (staff_lockout_attempts, _s). */
struct lockout_rule kiosk_staff_lockout_rule(const struct site *site);
void kiosk_staff_confirm(struct kiosk *k, enum pay_method how, const char *reason);
void kiosk_staff_waive_key(struct kiosk *k, char key);
void kiosk_staff_menu_key(struct kiosk *k, char key);

/* kiosk_input.c: keys, buttons and scans, whatever they come from. */
void kiosk_on_action(struct kiosk *k, const struct input_action *a);
/* Acts on the input held while the done screen showed (kiosk_on_action). */
void kiosk_replay_held(struct kiosk *k);
/* Opens stdin (sim), the keypad and the scanner from the board, and
 * watches them; a USB device missing is looked for again later. */
enum kerr kiosk_inputs_start(struct kiosk *k);
void kiosk_inputs_stop(struct kiosk *k);
void kiosk_on_other_line(struct locker_events *e, int line, bool active);
enum kerr kiosk_request_buttons(struct kiosk *k);

#endif
