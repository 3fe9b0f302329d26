/*
 * An off-screen image the screens draw into and the display drivers blit.
 * Pixel formats are the ones panels take: 1-bit (OLED, receipts), RGB565
 * (SPI TFTs, vc4 fbdev) and XRGB8888. Colours are given as 0xRRGGBB and
 * converted on write.
 */
#ifndef KIOSK_CANVAS_H
#define KIOSK_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define CANVAS_MAX_SIDE 4096

enum canvas_format {
	CANVAS_MONO1,    /* 1 bit per pixel, MSB leftmost, 1 = dark (ink on paper) */
	CANVAS_RGB565,   /* native-endian uint16 */
	CANVAS_XRGB8888, /* native-endian uint32 0x00RRGGBB */
};

struct rect {
	int x, y;
	int w, h;
};

struct canvas {
	enum canvas_format format;
	int width, height;
	size_t stride;   /* bytes per row */
	uint8_t *pixels; /* owned by the canvas */
};

/* Allocates a w×h canvas cleared to 0. KERR_RANGE for sides outside 1..CANVAS_MAX_SIDE. */
KIOSK_MUST_CHECK enum kerr canvas_new(enum canvas_format fmt, int w, int h, struct canvas **out);
void canvas_free(struct canvas *c);

/* Colour 0xRRGGBB; MONO1 sets the bit (dark) for a colour whose luma is below 50 %. */
void canvas_fill(struct canvas *c, uint32_t rgb);
void canvas_fill_rect(struct canvas *c, struct rect r, uint32_t rgb);
void canvas_set_pixel(struct canvas *c, int x, int y, uint32_t rgb);
uint32_t canvas_get_pixel(const struct canvas *c, int x, int y);

/* Clips r to the canvas. */
struct rect canvas_clip(const struct canvas *c, struct rect r);
static inline bool rect_empty(struct rect r)
{
	return r.w <= 0 || r.h <= 0;
}

#endif
