/*
 * ESC/POS receipt bytes, built into a caller's buffer: no I/O, no
 * allocation. A builder collects commands; the first error (buffer full, a
 * value out of range, an image wider than the paper) poisons it, empties it
 * so nothing half-built is ever sent, and is returned by escpos_finish().
 * Byte layouts: docs/printer.md.
 */
#ifndef KIOSK_ESCPOS_H
#define KIOSK_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define ESCPOS_WIDTH_58MM  384 /* dots at 203 dpi */
#define ESCPOS_WIDTH_80MM  576
#define ESCPOS_BAND_ROWS   256  /* rows per GS v 0 band (Adafruit's cap) */
#define ESCPOS_QR_DATA_MAX 2953 /* QR version 40-L, byte mode */

struct escpos {
	uint8_t *buf; /* borrowed from the caller */
	size_t cap, len;
	unsigned width_dots; /* printable width: images wider are refused */
	enum kerr err;       /* first error; KERR_OK while building */
};

enum escpos_align {
	ESCPOS_LEFT = 0,
	ESCPOS_CENTER = 1,
	ESCPOS_RIGHT = 2,
};

enum escpos_qr_ecc {
	ESCPOS_QR_L = 0x30,
	ESCPOS_QR_M = 0x31,
	ESCPOS_QR_Q = 0x32,
	ESCPOS_QR_H = 0x33,
};

/* DLE EOT n: which status byte to ask for. */
enum escpos_status_kind {
	ESCPOS_STATUS_PRINTER = 1,
	ESCPOS_STATUS_OFFLINE = 2,
	ESCPOS_STATUS_ERROR = 3,
	ESCPOS_STATUS_PAPER = 4,
};

/* What the printer said about itself. known = false: it did not answer
 * (no return channel, powered off, unplugged): assume nothing. */
struct escpos_status {
	bool known;
	bool offline;
	bool cover_open;
	bool paper_end; /* stopped, or sensor says none left */
	bool paper_near_end;
	bool error; /* cutter, head, or any error cause */
};

/* Starts a builder over buf[cap] for paper width_dots wide (1..576 dots). An invalid
 * width poisons it with KERR_RANGE. */
void escpos_init(struct escpos *e, uint8_t *buf, size_t cap, unsigned width_dots);

/* Appenders: each adds one command, or poisons the builder (KERR_TOO_BIG when
 * buf is full, KERR_RANGE for an argument out of range). Do nothing once poisoned. */
void escpos_initialize(struct escpos *e);                 /* ESC @ */
void escpos_align(struct escpos *e, enum escpos_align a); /* ESC a n */
void escpos_bold(struct escpos *e, bool on);              /* ESC E n */
void escpos_feed(struct escpos *e, unsigned lines);       /* ESC d n, n <= 255 */
/* Feeds feed_dots (<= 255) then cuts: GS V 0x41/0x42 n (function B). */
void escpos_cut(struct escpos *e, bool partial, unsigned feed_dots);
/* Printable ASCII and '\n' only (KERR_INVAL otherwise): text beyond ASCII is
 * printed as a raster from our own font, never in the printer's code page. */
void escpos_text(struct escpos *e, const char *ascii);
/* DLE EOT n; the reply is one byte, see escpos_status_decode(). */
void escpos_status_query(struct escpos *e, enum escpos_status_kind n);

/*
 * The whole canvas as GS v 0 raster in bands of at most ESCPOS_BAND_ROWS rows;
 * MSB = leftmost dot, 1 = black. MONO1 canvases are sent as they are (dark =
 * black); other formats are thresholded at 50 % luma. A canvas wider than the
 * paper is refused with KERR_RANGE (too-wide images hang some printers).
 * Returns the builder's state after the call (KERR_OK if all is well).
 */
KIOSK_MUST_CHECK enum kerr escpos_raster(struct escpos *e, const struct canvas *c);

/*
 * A native QR symbol, GS ( k: model 2, module size module_dots (1..16), ecc,
 * store data[len] (1..ESCPOS_QR_DATA_MAX bytes), print. Not every printer has
 * it: the raster QR is the default. Returns the builder's state.
 */
KIOSK_MUST_CHECK enum kerr escpos_qr(struct escpos *e, const uint8_t *data, size_t len,
                                     unsigned module_dots, enum escpos_qr_ecc ecc);

/* KERR_OK and *len = bytes built, or the first error and *len = 0. */
KIOSK_MUST_CHECK enum kerr escpos_finish(const struct escpos *e, size_t *len);

/*
 * Folds one DLE EOT n reply byte into st (sets st->known). KERR_PROTO if the
 * byte's fixed bits are wrong (bits 1 and 4 set, 0 and 7 clear): it is not a
 * status reply; KERR_INVAL for n outside 1..4. st is unchanged on error.
 */
KIOSK_MUST_CHECK enum kerr escpos_status_decode(enum escpos_status_kind n, uint8_t byte,
                                                struct escpos_status *st);

/*
 * Bytes still owed to the command in progress when a job's first `at` bytes
 * of buf[len] have been sent: 0 at a command boundary, else what the printer
 * still waits for (the rest of a GS v 0 band is picture data). SIZE_MAX when
 * the job holds a command this encoder never emits. Resync, docs/printer.md §8.
 */
size_t escpos_cmd_remaining(const uint8_t *buf, size_t len, size_t at);

/* True if the printer can take a job now: known, online, paper, cover shut, no error. */
bool escpos_status_ready(const struct escpos_status *st);

/* One line naming what is wrong and what to do ("paper end: load a paper roll"). */
const char *escpos_status_str(const struct escpos_status *st);

#endif
