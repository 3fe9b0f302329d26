/*
 * Text with GNU Unifont (8×16 and 16×16 glyphs: Latin and Hangul alike).
 * The .hex file is sorted by code point, so a glyph is found by binary
 * search with pread(): nothing is loaded at start-up and only a small cache
 * of recently drawn glyphs stays in memory. UTF-8 is decoded strictly: any
 * invalid sequence draws U+FFFD, never a crash. Text never leaves its box:
 * what does not fit ends in "…".
 */
#ifndef KIOSK_FONT_H
#define KIOSK_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define FONT_HEIGHT      16
#define FONT_CACHE       512 /* glyphs kept */
#define FONT_REPLACEMENT 0xFFFD

struct font;

struct glyph {
	uint32_t cp;
	uint8_t width;              /* 8 or 16 */
	uint16_t rows[FONT_HEIGHT]; /* MSB = leftmost pixel; 8-wide glyphs use the high byte */
};

/* Opens a Unifont .hex file. KERR_IO if it cannot be read. */
KIOSK_MUST_CHECK enum kerr font_open(const char *path, struct font **out);
void font_close(struct font *f);

/* The glyph of cp, or of U+FFFD when the font has none. The pointer is
 * valid until the next font_glyph() call (it points into the cache). */
const struct glyph *font_glyph(struct font *f, uint32_t cp);

/*
 * The next code point of s[*i..len): advances *i past it. Invalid UTF-8
 * (overlong, surrogate, above U+10FFFF, truncated, stray continuation)
 * yields FONT_REPLACEMENT and advances by one byte.
 */
uint32_t font_utf8_next(const char *s, size_t len, size_t *i);

/* Width in pixels of s at scale (1, 2, ...). */
int font_text_width(struct font *f, const char *s, int scale);

/*
 * Draws s with its top-left at (x, y), scaled, in colour rgb, within
 * max_w pixels: if it does not fit it is cut and ends in "…". Nothing is
 * drawn outside the canvas. Returns the width drawn.
 */
int font_draw(struct font *f, struct canvas *c, int x, int y, const char *s, uint32_t rgb,
              int scale, int max_w);

/*
 * Draws s word-wrapped into box; the last line that fits ends in "…" if
 * text remains. Returns the number of lines drawn.
 */
int font_draw_wrapped(struct font *f, struct canvas *c, struct rect box, const char *s,
                      uint32_t rgb, int scale);

/*
 * Line breaking: the bytes of s that make its first line within max_w
 * pixels at scale. With words, the line ends after the last whole word
 * that fits (a word wider than max_w is broken between characters);
 * without, between any two characters, so nothing of s is ever dropped
 * (for codes and amounts). A '\n' always ends a line. At least one
 * character is taken. *next (may be NULL) gets where the next line starts
 * (the break's spaces and newline skipped with words; only a newline
 * without).
 */
size_t font_fit(struct font *f, const char *s, int scale, int max_w, bool words, size_t *next);

/* Bytes the font holds in memory (cache and bookkeeping). */
size_t font_memory(const struct font *f);

#endif
