#include "kiosk/qr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

enum kerr qr_encode(const char *text, size_t len, enum qr_ecc ecc, struct qr **out)
{
	static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
	QRcode *code;
	struct qr *q;

	*out = NULL;
	if ((unsigned)ecc > QR_ECC_H || len == 0 || len > 4096)
		return len ? KERR_TOO_BIG : KERR_INVAL;
	/* Byte mode: the URI's UTF-8 exactly, no Kanji or alphanumeric guessing. */
	code = QRcode_encodeData((int)len, (const unsigned char *)text, 0, levels[ecc]);
	if (!code)
		return errno == ERANGE ? KERR_TOO_BIG : KERR_NOMEM;
	q = calloc(1, sizeof(*q));
	if (q)
		q->modules = malloc((size_t)code->width * (size_t)code->width);
	if (!q || !q->modules) {
		free(q);
		QRcode_free(code);
		return KERR_NOMEM;
	}
	q->width = code->width;
	for (int i = 0; i < code->width * code->width; i++)
		q->modules[i] = code->data[i] & 1;
	QRcode_free(code);
	*out = q;
	return KERR_OK;
}

void qr_free(struct qr *q)
{
	if (!q)
		return;
	free(q->modules);
	free(q);
}

int qr_module_px(const struct qr *q, int side)
{
	return side / (q->width + 2 * QR_QUIET);
}

enum kerr qr_draw(const struct qr *q, struct canvas *c, int x, int y, int side, uint32_t dark,
                  uint32_t light, struct rect *drawn)
{
	int m = qr_module_px(q, side), total, ox, oy;

	if (drawn)
		*drawn = (struct rect){x, y, 0, 0};
	if (m < QR_MIN_MODULE_PX)
		return KERR_TOO_BIG;
	total = m * (q->width + 2 * QR_QUIET);
	ox = x + (side - total) / 2;
	oy = y + (side - total) / 2;
	canvas_fill_rect(c, (struct rect){ox, oy, total, total}, light);
	for (int my = 0; my < q->width; my++)
		for (int mx = 0; mx < q->width; mx++)
			if (q->modules[my * q->width + mx])
				canvas_fill_rect(c,
				                 (struct rect){ox + (QR_QUIET + mx) * m,
				                               oy + (QR_QUIET + my) * m, m, m},
				                 dark);
	if (drawn)
		*drawn = (struct rect){ox, oy, total, total};
	return KERR_OK;
}
