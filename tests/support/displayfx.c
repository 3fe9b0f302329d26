#include "displayfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct board_display displayfx_board(const char *backend, int w, int h, unsigned rot)
{
	struct board_display cfg = {.device = "rec", .width = w, .height = h, .rotation = rot};

	snprintf(cfg.backend, sizeof(cfg.backend), "%s", backend);
	return cfg;
}

struct canvas *displayfx_canvas_or_fail(enum canvas_format fmt, int w, int h)
{
	struct canvas *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->format = fmt;
	c->width = w;
	c->height = h;
	c->stride =
	    fmt == CANVAS_MONO1 ? (size_t)(w + 7) / 8 : (size_t)w * (fmt == CANVAS_RGB565 ? 2 : 4);
	c->pixels = calloc(c->stride, (size_t)h);
	assert_non_null(c->pixels);
	return c;
}

void displayfx_canvas_free(struct canvas *c)
{
	free(c->pixels);
	free(c);
}

bool displayfx_dark(const struct canvas *c, int x, int y)
{
	return c->pixels[(size_t)y * c->stride + (size_t)x / 8] & (0x80 >> (x % 8));
}

void displayfx_keep_outside(struct canvas *c, const struct canvas *old, struct rect keep)
{
	size_t bytes = c->format == CANVAS_RGB565 ? 2 : 4;
	int x, y;

	assert_true(c->format == old->format && c->width == old->width && c->height == old->height);
	for (y = 0; y < c->height; y++) {
		for (x = 0; x < c->width; x++) {
			size_t row = (size_t)y * c->stride;
			uint8_t bit = (uint8_t)(0x80 >> (x % 8));
			uint8_t *p;

			if (x >= keep.x && x < keep.x + keep.w && y >= keep.y &&
			    y < keep.y + keep.h)
				continue;
			if (c->format != CANVAS_MONO1) {
				memcpy(c->pixels + row + (size_t)x * bytes,
				       old->pixels + row + (size_t)x * bytes, bytes);
				continue;
			}
			p = &c->pixels[row + (size_t)x / 8];
			*p = (uint8_t)((*p & ~bit) | (old->pixels[row + (size_t)x / 8] & bit));
		}
	}
}

void displayfx_panel_to_canvas(unsigned rot, int pw, int ph, int px, int py, int *x, int *y)
{
	switch (rot) {
	case 0:
		*x = px, *y = py;
		break;
	case 90: /* canvas top-left lands top-right */
		*x = py, *y = pw - 1 - px;
		break;
	case 180:
		*x = pw - 1 - px, *y = ph - 1 - py;
		break;
	default: /* 270: canvas top-left lands bottom-left */
		*x = ph - 1 - py, *y = px;
		break;
	}
}
