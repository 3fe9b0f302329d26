/*
 * QR codes a phone can scan from a small screen or a receipt: libqrencode
 * in byte mode (the UTF-8 URI as it is), the error-correction level from
 * the caller, drawn with whole pixels per module and the 4-module quiet
 * zone the standard asks for. A payload that cannot be drawn at two or
 * more pixels per module in the space given is refused (KERR_TOO_BIG), so
 * the screen shows an error instead of a code no phone can read.
 */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define QR_QUIET         4 /* modules of light margin on each side */
#define QR_MIN_MODULE_PX 2

enum qr_ecc { QR_ECC_L, QR_ECC_M, QR_ECC_Q, QR_ECC_H };

struct qr {
	int width;        /* modules per side, without the quiet zone */
	uint8_t *modules; /* width*width, 1 = dark */
};

/* Encodes text (len bytes). KERR_TOO_BIG when it exceeds a QR's capacity. */
KIOSK_MUST_CHECK enum kerr qr_encode(const char *text, size_t len, enum qr_ecc ecc,
                                     struct qr **out);
void qr_free(struct qr *q);

/* The largest whole module size in pixels that fits side px with the quiet zone. */
int qr_module_px(const struct qr *q, int side);

/*
 * Draws q centred in the square of side px at (x, y), quiet zone included,
 * dark modules in `dark`, the rest in `light`. KERR_TOO_BIG below
 * QR_MIN_MODULE_PX. *drawn (may be NULL) gets the rectangle used.
 */
KIOSK_MUST_CHECK enum kerr qr_draw(const struct qr *q, struct canvas *c, int x, int y, int side,
                                   uint32_t dark, uint32_t light, struct rect *drawn);

#endif
