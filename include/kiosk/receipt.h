/*
 * The paper receipt: co-op, order, items, amount, payer, transaction id,
 * time, compartment, and a QR code linking to the transaction on a block
 * explorer. Drawn as one 1-bit image (so Korean prints on any printer, with
 * no code page) and sent with GS v 0; optionally the QR as the printer's
 * own GS ( k.
 */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/font.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/site.h"

#define RECEIPT_MAX_BYTES (256 * 1024)

struct receipt_data {
	const char *coop_name;
	const struct order *order;
	const char *payer;
	const char *trx_id;       /* hex; "" for a staff-confirmed order */
	int64_t paid_at_ms;       /* wall clock; 0 = not shown. In the site's zone (timefmt.h) */
	int64_t printed_at_ms;    /* when printed (wall clock, site's zone); 0 = not shown */
	const char *explorer_url; /* prefix; the QR holds prefix + trx_id */
	const char *how_paid; /* "chain", "cash", "bank", "waived", "staff" (printed translated) */
	enum site_lang lang;
	/* A won-priced order (receipt_set_won): the rate its request locked, and
	 * what came in on chain in the asset paid; NULL and zero otherwise. */
	const struct store_rate_lock *won_lock;
	struct asset paid;
};

struct store_transfer;
struct store_confirmation;

/*
 * Who paid, how and when, for order o: the chain transfer t when there is
 * one (paid when its block was made: maybe days ago, from home), else the
 * staff confirmation c (its method, and when staff confirmed), else paid
 * now. Printed now. r keeps pointers into o and t.
 */
void receipt_set_payment(struct receipt_data *r, const struct order *o,
                         const struct store_transfer *t, const struct store_confirmation *c,
                         int64_t now_ms);

struct store;
struct store_rate_lock;

/*
 * For a won-priced order o: its request's rate lock into *lock (the
 * caller's, which r then points to) and the sum paid on chain into
 * r->paid, so the receipt shows the won price, the rate with its source
 * and time, and the asset actually paid. Nothing for another order.
 */
KIOSK_MUST_CHECK enum kerr receipt_set_won(struct receipt_data *r, struct store *s,
                                           const struct order *o, struct store_rate_lock *lock);

/* The native QR's module size in dots (GS ( k fn 167), smaller only where it would not fit. */
#define RECEIPT_NATIVE_QR_MODULE 6

/* Paper widths a receipt is drawn for: 384 (58 mm, 203 dpi), 512 (80 mm at
 * 180 dpi: older Epson TM-T88 models), 576 (80 mm, 203 dpi). */
bool receipt_width_ok(unsigned width_dots);

/*
 * Draws the receipt on a new 1-bit canvas width_dots wide (receipt_width_ok,
 * else KERR_RANGE), the QR as raster. Item lines show qty × unit price:
 * KERR_OVERFLOW if that overflows.
 */
KIOSK_MUST_CHECK enum kerr receipt_draw(struct font *f, const struct receipt_data *r,
                                        unsigned width_dots, struct canvas **out);

/*
 * What the printer prints for receipt_encode(native_qr): with native_qr the
 * QR is drawn where and as large as the printer's own symbol (module
 * RECEIPT_NATIVE_QR_MODULE dots, centred, no quiet zone of its own).
 */
KIOSK_MUST_CHECK enum kerr receipt_preview(struct font *f, const struct receipt_data *r,
                                           unsigned width_dots, bool native_qr,
                                           struct canvas **out);

/*
 * The printer bytes for it: initialise, the image, feed and cut; with
 * native_qr the image above the QR, the printer's GS ( k symbol, the image
 * below it. *len bytes into buf (cap, RECEIPT_MAX_BYTES is ample).
 */
KIOSK_MUST_CHECK enum kerr receipt_encode(struct font *f, const struct receipt_data *r,
                                          unsigned width_dots, bool native_qr, uint8_t *buf,
                                          size_t cap, size_t *len);

#endif
