/*
 * Test decoder for ESC/POS bytes: turns a job back into the list of
 * commands and the 1-bit image its GS v 0 bands print, so tests compare
 * what the printer would do with what was meant. Unknown bytes are an error,
 * so an encoder emitting garbage fails the test.
 */
#ifndef KIOSK_ESCPOS_DECODE_H
#define KIOSK_ESCPOS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_DECODE_MAX_CMDS 256

enum escpos_op {
	OP_INIT,   /* ESC @ */
	OP_ALIGN,  /* ESC a n: arg = n */
	OP_BOLD,   /* ESC E n: arg = n */
	OP_FEED,   /* ESC d n: arg = n */
	OP_CUT,    /* GS V m [n]: arg = m, arg2 = n */
	OP_TEXT,   /* printable bytes and LF: off/len in the input */
	OP_STATUS, /* DLE EOT n: arg = n */
	OP_RASTER, /* GS v 0 m: arg = bytes per row, arg2 = rows, off/len = data */
	OP_QR,     /* GS ( k cn=0x31: arg = fn, off/len = the bytes after fn */
};

struct escpos_cmd {
	enum escpos_op op;
	unsigned arg, arg2;
	size_t off, len;
};

struct escpos_decoded {
	struct escpos_cmd cmds[ESCPOS_DECODE_MAX_CMDS];
	size_t ncmds;
	unsigned bands;
	int width, height; /* raster image: bands stacked; width in dots (bytes × 8) */
	size_t stride;
	uint8_t *image;  /* rows of stride bytes, MSB leftmost, 1 = black; malloc'd */
	char error[160]; /* why decoding stopped */
};

/* 0 on success, -1 with d->error set. Release with escpos_decode_fini(). */
int escpos_decode(const uint8_t *buf, size_t len, struct escpos_decoded *d);
void escpos_decode_fini(struct escpos_decoded *d);
bool escpos_decoded_black(const struct escpos_decoded *d, int x, int y);

#endif
