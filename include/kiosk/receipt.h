/*
 * The paper receipt: co-op, order, items, amount, payer, transaction id,
 * time, compartment, and a QR code linking to the transaction on a block
 * explorer. Drawn as one 1-bit image (so Korean prints on any printer, with
 * no code page) and sent with GS v 0; optionally the QR as the printer's
 * own GS ( k.
 */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H

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
	int64_t paid_at_ms;       /* wall clock, shown in UTC+9 for ko, UTC for en */
	const char *explorer_url; /* prefix; the QR holds prefix + trx_id */
	const char *how_paid;     /* "chain", or staff method: "cash", ... */
	enum site_lang lang;
};

/* Draws the receipt on a new 1-bit canvas width_dots wide (384 or 576). */
KIOSK_MUST_CHECK enum kerr receipt_draw(struct font *f, const struct receipt_data *r,
                                        unsigned width_dots, struct canvas **out);

/*
 * The printer bytes for it: initialise, the image, optionally the native
 * QR, feed and cut. *len bytes into buf (cap, RECEIPT_MAX_BYTES is ample).
 */
KIOSK_MUST_CHECK enum kerr receipt_encode(struct font *f, const struct receipt_data *r,
                                          unsigned width_dots, bool native_qr, uint8_t *buf,
                                          size_t cap, size_t *len);

#endif
