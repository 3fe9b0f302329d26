#include "escpos_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct escpos_decoded *d, size_t at, const char *what)
{
	snprintf(d->error, sizeof(d->error), "offset %zu: %s", at, what);
	return -1;
}

static int add(struct escpos_decoded *d, enum escpos_op op, unsigned arg, unsigned arg2, size_t off,
               size_t len)
{
	if (d->ncmds == ESCPOS_DECODE_MAX_CMDS)
		return fail(d, off, "too many commands");
	d->cmds[d->ncmds++] = (struct escpos_cmd){op, arg, arg2, off, len};
	return 0;
}

static int add_band(struct escpos_decoded *d, const uint8_t *data, size_t xbytes, size_t rows,
                    size_t at)
{
	uint8_t *img;

	if (d->bands && xbytes != d->stride)
		return fail(d, at, "raster bands of different widths");
	img = realloc(d->image, (d->height + rows) * xbytes);
	if (!img)
		return fail(d, at, "out of memory");
	memcpy(img + (size_t)d->height * xbytes, data, rows * xbytes);
	d->image = img;
	d->stride = xbytes;
	d->width = (int)(xbytes * 8);
	d->height += (int)rows;
	d->bands++;
	return 0;
}

int escpos_decode(const uint8_t *b, size_t len, struct escpos_decoded *d)
{
	size_t i = 0;

	memset(d, 0, sizeof(*d));
	while (i < len) {
		size_t left = len - i;

		if (b[i] == 0x1B) {
			if (left < 2)
				return fail(d, i, "truncated ESC");
			if (b[i + 1] == '@') {
				if (add(d, OP_INIT, 0, 0, i, 2))
					return -1;
				i += 2;
				continue;
			}
			if (left < 3)
				return fail(d, i, "truncated ESC command");
			switch (b[i + 1]) {
			case 'a':
				if (b[i + 2] > 2)
					return fail(d, i, "ESC a with bad alignment");
				if (add(d, OP_ALIGN, b[i + 2], 0, i, 3))
					return -1;
				break;
			case 'E':
				if (add(d, OP_BOLD, b[i + 2], 0, i, 3))
					return -1;
				break;
			case 'd':
				if (add(d, OP_FEED, b[i + 2], 0, i, 3))
					return -1;
				break;
			default:
				return fail(d, i, "unknown ESC command");
			}
			i += 3;
		} else if (b[i] == 0x1D) {
			if (left < 3)
				return fail(d, i, "truncated GS");
			if (b[i + 1] == 'V') {
				if (b[i + 2] == 0 || b[i + 2] == 1) {
					if (add(d, OP_CUT, b[i + 2], 0, i, 3))
						return -1;
					i += 3;
				} else if ((b[i + 2] == 0x41 || b[i + 2] == 0x42) && left >= 4) {
					if (add(d, OP_CUT, b[i + 2], b[i + 3], i, 4))
						return -1;
					i += 4;
				} else {
					return fail(d, i, "bad GS V");
				}
			} else if (b[i + 1] == 'v' && b[i + 2] == '0') {
				size_t xb, rows;

				if (left < 8)
					return fail(d, i, "truncated GS v 0 header");
				if (b[i + 3] != 0)
					return fail(d, i, "GS v 0 with scaling");
				xb = b[i + 4] | (size_t)b[i + 5] << 8;
				rows = b[i + 6] | (size_t)b[i + 7] << 8;
				if (!xb || !rows)
					return fail(d, i, "empty raster band");
				if (left - 8 < xb * rows)
					return fail(d, i,
					            "raster data shorter than its header says");
				if (add(d, OP_RASTER, (unsigned)xb, (unsigned)rows, i + 8,
				        xb * rows) ||
				    add_band(d, b + i + 8, xb, rows, i))
					return -1;
				i += 8 + xb * rows;
			} else if (b[i + 1] == '(' && b[i + 2] == 'k') {
				size_t p;

				if (left < 7)
					return fail(d, i, "truncated GS ( k");
				p = b[i + 3] | (size_t)b[i + 4] << 8;
				if (p < 2 || left - 5 < p)
					return fail(d, i, "GS ( k length beyond the data");
				if (b[i + 5] != 0x31)
					return fail(d, i, "GS ( k for a symbol other than QR");
				if (add(d, OP_QR, b[i + 6], 0, i + 7, p - 2))
					return -1;
				i += 5 + p;
			} else {
				return fail(d, i, "unknown GS command");
			}
		} else if (b[i] == 0x10) {
			if (left < 3 || b[i + 1] != 0x04 || b[i + 2] < 1 || b[i + 2] > 4)
				return fail(d, i, "bad DLE EOT");
			if (add(d, OP_STATUS, b[i + 2], 0, i, 3))
				return -1;
			i += 3;
		} else if (b[i] == '\n' || (b[i] >= 0x20 && b[i] <= 0x7E)) {
			size_t j = i;

			while (j < len && (b[j] == '\n' || (b[j] >= 0x20 && b[j] <= 0x7E)))
				j++;
			if (add(d, OP_TEXT, 0, 0, i, j - i))
				return -1;
			i = j;
		} else {
			return fail(d, i, "byte that starts no known command");
		}
	}
	return 0;
}

void escpos_decode_fini(struct escpos_decoded *d)
{
	if (!d)
		return;
	free(d->image);
	d->image = NULL;
}

bool escpos_decoded_black(const struct escpos_decoded *d, int x, int y)
{
	if (x < 0 || y < 0 || x >= d->width || y >= d->height)
		return false;
	return d->image[(size_t)y * d->stride + (size_t)x / 8] & (0x80 >> (x % 8));
}
