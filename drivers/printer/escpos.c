#include "kiosk/escpos.h"

#include <stdint.h>
#include <string.h>

/* Command bytes [docs/printer.md §1-§5: escpos-php Printer.php, npm escpos]. */
#define ESC 0x1B
#define GS  0x1D
#define DLE 0x10
#define EOT 0x04

static void poison(struct escpos *e, enum kerr err)
{
	if (e->err)
		return;
	e->err = err;
	e->len = 0;
}

static void put(struct escpos *e, const uint8_t *b, size_t n)
{
	if (e->err)
		return;
	if (n > e->cap - e->len) {
		poison(e, KERR_TOO_BIG);
		return;
	}
	memcpy(e->buf + e->len, b, n);
	e->len += n;
}

static void put3(struct escpos *e, uint8_t a, uint8_t b, uint8_t c)
{
	uint8_t v[3] = {a, b, c};

	put(e, v, 3);
}

void escpos_init(struct escpos *e, uint8_t *buf, size_t cap, unsigned width_dots)
{
	e->buf = buf;
	e->cap = buf ? cap : 0;
	e->len = 0;
	e->width_dots = width_dots;
	e->err = KERR_OK;
	if (width_dots < 8 || width_dots > ESCPOS_WIDTH_80MM)
		poison(e, KERR_RANGE);
}

void escpos_initialize(struct escpos *e)
{
	uint8_t v[2] = {ESC, '@'};

	put(e, v, 2);
}

void escpos_align(struct escpos *e, enum escpos_align a)
{
	if (a != ESCPOS_LEFT && a != ESCPOS_CENTER && a != ESCPOS_RIGHT) {
		poison(e, KERR_RANGE);
		return;
	}
	put3(e, ESC, 'a', (uint8_t)a);
}

void escpos_bold(struct escpos *e, bool on)
{
	put3(e, ESC, 'E', on ? 1 : 0);
}

void escpos_feed(struct escpos *e, unsigned lines)
{
	if (lines > 255) {
		poison(e, KERR_RANGE);
		return;
	}
	put3(e, ESC, 'd', (uint8_t)lines);
}

void escpos_cut(struct escpos *e, bool partial, unsigned feed_dots)
{
	uint8_t v[4] = {GS, 'V', partial ? 0x42 : 0x41, (uint8_t)feed_dots};

	if (feed_dots > 255) {
		poison(e, KERR_RANGE);
		return;
	}
	put(e, v, 4);
}

void escpos_text(struct escpos *e, const char *ascii)
{
	size_t i, n = strlen(ascii);

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)ascii[i];

		if (ch != '\n' && (ch < 0x20 || ch > 0x7E)) {
			poison(e, KERR_INVAL);
			return;
		}
	}
	put(e, (const uint8_t *)ascii, n);
}

void escpos_status_query(struct escpos *e, enum escpos_status_kind n)
{
	if (n < ESCPOS_STATUS_PRINTER || n > ESCPOS_STATUS_PAPER) {
		poison(e, KERR_RANGE);
		return;
	}
	put3(e, DLE, EOT, (uint8_t)n);
}

/* 1 = black. MONO1 bit set = dark = black; other formats by 50 % luma. */
static bool black_at(const struct canvas *c, int x, int y)
{
	const uint8_t *row = c->pixels + (size_t)y * c->stride;
	uint32_t rgb, r, g, b;
	uint16_t v16;

	switch (c->format) {
	case CANVAS_MONO1:
		return row[x >> 3] & (0x80u >> (x & 7));
	case CANVAS_RGB565:
		memcpy(&v16, row + (size_t)x * 2, 2);
		rgb = (uint32_t)(v16 >> 11) << 19 | (uint32_t)((v16 >> 5) & 0x3F) << 10 |
		      (uint32_t)(v16 & 0x1F) << 3;
		break;
	case CANVAS_XRGB8888:
	default:
		memcpy(&rgb, row + (size_t)x * 4, 4);
		break;
	}
	r = (rgb >> 16) & 0xFF;
	g = (rgb >> 8) & 0xFF;
	b = rgb & 0xFF;
	return 299 * r + 587 * g + 114 * b < 128 * 1000;
}

enum kerr escpos_raster(struct escpos *e, const struct canvas *c)
{
	size_t xbytes = ((size_t)c->width + 7) / 8;
	size_t need, bands;
	int y0, y, x;

	if (e->err)
		return e->err;
	if (c->width < 1 || c->height < 1 || (unsigned)c->width > e->width_dots) {
		poison(e, KERR_RANGE);
		return e->err;
	}
	/* Check the whole image fits first: no band is ever left half-written. */
	bands = ((size_t)c->height + ESCPOS_BAND_ROWS - 1) / ESCPOS_BAND_ROWS;
	need = bands * 8 + xbytes * (size_t)c->height;
	if (need > e->cap - e->len) {
		poison(e, KERR_TOO_BIG);
		return e->err;
	}
	for (y0 = 0; y0 < c->height; y0 += ESCPOS_BAND_ROWS) {
		int rows = c->height - y0 < ESCPOS_BAND_ROWS ? c->height - y0 : ESCPOS_BAND_ROWS;
		uint8_t *p = e->buf + e->len;

		/* GS v 0 m xL xH yL yH: x in bytes, y in dots, m = 0 normal size. */
		p[0] = GS;
		p[1] = 'v';
		p[2] = '0';
		p[3] = 0;
		p[4] = (uint8_t)(xbytes & 0xFF);
		p[5] = (uint8_t)(xbytes >> 8);
		p[6] = (uint8_t)(rows & 0xFF);
		p[7] = (uint8_t)(rows >> 8);
		p += 8;
		for (y = y0; y < y0 + rows; y++) {
			if (c->format == CANVAS_MONO1) {
				memcpy(p, c->pixels + (size_t)y * c->stride, xbytes);
				/* Padding bits past the width would print as dots. */
				if (c->width & 7)
					p[xbytes - 1] &= (uint8_t)(0xFF00u >> (c->width & 7));
			} else {
				memset(p, 0, xbytes);
				for (x = 0; x < c->width; x++)
					if (black_at(c, x, y))
						p[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
			}
			p += xbytes;
		}
		e->len = (size_t)(p - e->buf);
	}
	return KERR_OK;
}

/* GS ( k pL pH cn fn args: cn 0x31 = QR; pL/pH count cn, fn and args. */
static void qr_fn(struct escpos *e, uint8_t fn, const uint8_t *args, size_t n)
{
	size_t p = n + 2;
	uint8_t h[7] = {GS, '(', 'k', (uint8_t)(p & 0xFF), (uint8_t)(p >> 8), 0x31, fn};

	put(e, h, sizeof(h));
	if (n)
		put(e, args, n);
}

enum kerr escpos_qr(struct escpos *e, const uint8_t *data, size_t len, unsigned module_dots,
                    enum escpos_qr_ecc ecc)
{
	uint8_t model[2] = {0x32, 0x00}, size = (uint8_t)module_dots, level = (uint8_t)ecc;
	uint8_t store = 0x30, print = 0x30;

	if (e->err)
		return e->err;
	if (len < 1 || len > ESCPOS_QR_DATA_MAX || module_dots < 1 || module_dots > 16 ||
	    ecc < ESCPOS_QR_L || ecc > ESCPOS_QR_H) {
		poison(e, KERR_RANGE);
		return e->err;
	}
	/* Check the whole symbol fits first: 5 commands of 7 header bytes. */
	if (5 * 7 + 2 + 1 + 1 + 1 + len + 1 > e->cap - e->len) {
		poison(e, KERR_TOO_BIG);
		return e->err;
	}
	qr_fn(e, 0x41, model, 2);  /* fn 165: model 2 */
	qr_fn(e, 0x43, &size, 1);  /* fn 167: module size */
	qr_fn(e, 0x45, &level, 1); /* fn 169: error correction */
	/* fn 180: store; pL + 256 pH = k + 3 (cn, fn, m). */
	{
		size_t p = len + 3;
		uint8_t h[8] = {GS,   '(',  'k',  (uint8_t)(p & 0xFF), (uint8_t)(p >> 8),
		                0x31, 0x50, store};

		put(e, h, sizeof(h));
		put(e, data, len);
	}
	qr_fn(e, 0x51, &print, 1); /* fn 181: print */
	return e->err;
}

enum kerr escpos_finish(const struct escpos *e, size_t *len)
{
	*len = e->err ? 0 : e->len;
	return e->err;
}

enum kerr escpos_status_decode(enum escpos_status_kind n, uint8_t byte, struct escpos_status *st)
{
	if (n < ESCPOS_STATUS_PRINTER || n > ESCPOS_STATUS_PAPER)
		return KERR_INVAL;
	/* Bits 1 and 4 are always 1, bits 0 and 7 always 0 [docs/printer.md §5]. */
	if ((byte & 0x93) != 0x12)
		return KERR_PROTO;
	switch (n) {
	case ESCPOS_STATUS_PRINTER:
		st->offline = byte & 0x08;
		break;
	case ESCPOS_STATUS_OFFLINE:
		st->cover_open = byte & 0x04;
		st->paper_end = st->paper_end || (byte & 0x20);
		st->error = st->error || (byte & 0x40);
		break;
	case ESCPOS_STATUS_ERROR:
		st->error = st->error || (byte & 0x6C);
		break;
	case ESCPOS_STATUS_PAPER:
		/* Printers set both bits of a pair; one is enough to worry. */
		st->paper_near_end = byte & 0x0C;
		st->paper_end = st->paper_end || (byte & 0x60);
		break;
	}
	st->known = true;
	return KERR_OK;
}

bool escpos_status_ready(const struct escpos_status *st)
{
	return st->known && !st->offline && !st->cover_open && !st->paper_end && !st->error;
}

const char *escpos_status_str(const struct escpos_status *st)
{
	if (!st->known)
		return "printer did not answer: check power, cable and the board file's printer "
		       "device";
	if (st->paper_end)
		return "paper end: load a new paper roll";
	if (st->cover_open)
		return "cover open: close the printer cover";
	if (st->error)
		return "printer error: check the cutter and let the head cool, then power-cycle it";
	if (st->offline)
		return "printer offline: press its online/FEED button or power-cycle it";
	if (st->paper_near_end)
		return "paper near end: replace the roll soon";
	return "ready";
}

/* Length of the command at buf[i], from its header; 0 if unknown. */
static size_t cmd_len(const uint8_t *b, size_t len, size_t i)
{
	size_t left = len - i;

	if (b[i] == ESC && left >= 2) {
		switch (b[i + 1]) {
		case '@':
			return 2;
		case 'a':
		case 'E':
		case 'd':
		case 't':
		case 'R':
			return 3;
		case 'p':
			return 5;
		default:
			return 0;
		}
	}
	if (b[i] == GS && left >= 3) {
		switch (b[i + 1]) {
		case '!':
			return 3;
		case 'V':
			return b[i + 2] == 0x41 || b[i + 2] == 0x42 ? 4 : 3;
		case 'v':
			if (left < 8)
				return 0;
			return 8 + ((size_t)b[i + 4] | (size_t)b[i + 5] << 8) *
			               ((size_t)b[i + 6] | (size_t)b[i + 7] << 8);
		case '(':
			if (left < 5)
				return 0;
			return 5 + ((size_t)b[i + 3] | (size_t)b[i + 4] << 8);
		default:
			return 0;
		}
	}
	if (b[i] == DLE && left >= 2)
		return 3; /* DLE EOT n, DLE ENQ n */
	if (b[i] == ESC || b[i] == GS || b[i] == DLE)
		return 0;
	return 1; /* text, LF, NUL */
}

size_t escpos_cmd_remaining(const uint8_t *buf, size_t len, size_t at)
{
	size_t i = 0;

	while (i < at && i < len) {
		size_t n = cmd_len(buf, len, i);

		if (!n)
			return SIZE_MAX;
		if (at - i < n)
			return n - (at - i);
		i += n;
	}
	return 0;
}
