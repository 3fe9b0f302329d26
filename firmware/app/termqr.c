#include "kiosk/termqr.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <qrencode.h>

#define QUIET 4 /* modules of white around the code, as the standard asks */

static bool dark(const QRcode *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return false;
	return q->data[y * q->width + x] & 1;
}

enum kerr termqr_print(FILE *f, const char *text)
{
	QRcode *q =
	    QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, QR_ECLEVEL_M);

	if (!q)
		return errno == ERANGE ? KERR_TOO_BIG : KERR_NOMEM;
	/* Two module rows per text line: upper half = foreground, lower = background. */
	for (int y = -QUIET; y < q->width + QUIET; y += 2) {
		for (int x = -QUIET; x < q->width + QUIET; x++) {
			bool top = dark(q, x, y), bottom = dark(q, x, y + 1);

			fprintf(f, "\x1b[38;5;%dm\x1b[48;5;%dm\xe2\x96\x80", top ? 16 : 231,
			        bottom ? 16 : 231);
		}
		fputs("\x1b[0m\n", f);
	}
	QRcode_free(q);
	return ferror(f) ? KERR_IO : KERR_OK;
}
