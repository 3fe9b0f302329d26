/*
 * Screens: pure functions from a view model to pixels. The same model
 * draws at every panel size (128×64 … 800×480); layouts adapt: side by side
 * on landscape panels, stacked on square ones, text only where a QR could
 * not be scanned.
 */
#ifndef KIOSK_SCREEN_H
#define KIOSK_SCREEN_H

#include <stdbool.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/font.h"
#include "kiosk/kerr.h"
#include "kiosk/qr.h"
#include "kiosk/site.h"

enum screen_id {
	SCREEN_IDLE,
	SCREEN_PAYMENT,
	SCREEN_CONFIRMING,
	SCREEN_PAID_LOCKER,
	SCREEN_PAID_RECEIPT,
	SCREEN_UNDERPAID,
	SCREEN_WRONG_ASSET,
	SCREEN_EXPIRED,
	SCREEN_PICKUP_CODE,
	SCREEN_STAFF_CODE,
	SCREEN_STAFF_MENU,
	SCREEN_STAFF_WAIVE,
	SCREEN_STAFF_ENROL,
	SCREEN_ERROR,
	SCREEN_COUNT
};

struct screen_model {
	enum screen_id id;
	enum site_lang lang;
	const char *coop_name;
	const char *order_id;
	const char *items;       /* one line summary, e.g. "감자 1kg ×2, 달걀" */
	const char *amount;      /* "7.250 HIVE" */
	const char *memo;        /* the payment code */
	const char *pay_to;      /* the co-op's account, for paying by hand */
	const char *uri;         /* what the QR holds */
	const char *wallet_hint; /* "Hive Keychain, Hivesigner" */
	enum qr_ecc ecc;
	int seconds_left;
	unsigned conf_have, conf_need;
	unsigned compartment;
	const char *still_due; /* "2.250 HIVE" */
	bool offline;
	unsigned orders_ready;
	unsigned flagged;       /* staff: orders to follow up */
	unsigned code_digits;   /* staff or pickup: digits typed so far */
	unsigned code_len;      /* staff or pickup: digits the code has (0: 6) */
	const char *staff_name; /* staff enrolment: whose secret the QR holds */
	const char *error;
	/* Wrong asset: what came in ("7.250 HBD"); amount is what is due. */
	const char *received;
	bool refund_recorded; /* wrong asset: the journal holds a refund for it */
	/* A board without a keypad: the key the digit wheel is on ('0'-'9',
	 * '\n' enter, '\b' erase), shown at the foot; 0 = no wheel. */
	char wheel;
	/* A price in won: the won price and the rate locked with its source and
	 * time ("12000 KRW at 312 KRW/STEEM, staff 2026-12-05 17:12 KST"). */
	const char *won_rate;
};

/* What a text run on screen is, for the check that must-show text is complete. */
enum screen_field {
	SCREEN_FIELD_TEXT,   /* labels, hints, titles */
	SCREEN_FIELD_AMOUNT, /* m->amount */
	SCREEN_FIELD_MEMO,
	SCREEN_FIELD_PAY_TO,
	SCREEN_FIELD_ORDER_ID,
	SCREEN_FIELD_STILL_DUE,
	SCREEN_FIELD_RECEIVED,
	SCREEN_FIELD_WHEEL, /* the key the digit wheel is on */
	SCREEN_FIELD_COUNT
};

#define SCREEN_RUNS_MAX     64
#define SCREEN_RUN_TEXT_MAX 128

/* One piece of text as drawn: clipped = cut short, ended in "…", or not drawn for want of room. */
struct screen_run {
	enum screen_field field;
	bool clipped;
	bool decorative; /* may be cut (a title, a wallet hint): nothing depends on it */
	int x, y, w, scale;
	char text[SCREEN_RUN_TEXT_MAX];
};

/* What screen_draw_report() drew. A value drawn over several lines is several runs of one field, in
 * order. */
struct screen_report {
	unsigned n;
	bool overflow;        /* more than SCREEN_RUNS_MAX runs */
	unsigned page, pages; /* a small panel pages through what does not fit at once */
	bool qr;              /* a scannable QR is on screen */
	struct screen_run run[SCREEN_RUNS_MAX];
};

/* Short stable name ("payment"), for files and kioskctl; NULL if invalid. */
const char *screen_name(enum screen_id id);
/* Inverse; KERR_NOTFOUND. */
KIOSK_MUST_CHECK enum kerr screen_parse(const char *name, enum screen_id *out);

/*
 * Draws m on c (cleared first). Returns KERR_OK; for a payment screen whose
 * QR cannot be shown scannably it draws the pay-by-hand text instead and
 * returns KERR_TOO_BIG so the caller knows (and can log it once).
 */
KIOSK_MUST_CHECK enum kerr screen_draw(struct canvas *c, struct font *f,
                                       const struct screen_model *m);

/*
 * screen_draw(), and into *rep (may be NULL) every text run drawn. Where a
 * panel cannot show the payment's amount, memo and account at once it
 * pages through them: page = (seconds_left / SCREEN_PAGE_S) % pages.
 */
#define SCREEN_PAGE_S 10
KIOSK_MUST_CHECK enum kerr screen_draw_report(struct canvas *c, struct font *f,
                                              const struct screen_model *m,
                                              struct screen_report *rep);

#endif
