#include "kiosk/canvas.h"

#include <stdlib.h>
#include <string.h>

enum kerr canvas_new(enum canvas_format fmt, int w, int h, struct canvas **out)
{
	struct canvas *c;
	size_t bpp_bits = fmt == CANVAS_MONO1 ? 1 : fmt == CANVAS_RGB565 ? 16 : 32;

	*out = NULL;
	if (w < 1 || h < 1 || w > CANVAS_MAX_SIDE || h > CANVAS_MAX_SIDE)
		return KERR_RANGE;
	c = calloc(1, sizeof(*c));
	if (!c)
		return KERR_NOMEM;
	c->format = fmt;
	c->width = w;
	c->height = h;
	c->stride = ((size_t)w * bpp_bits + 7) / 8;
	c->pixels = calloc((size_t)h, c->stride);
	if (!c->pixels) {
		free(c);
		return KERR_NOMEM;
	}
	*out = c;
	return KERR_OK;
}

void canvas_free(struct canvas *c)
{
	if (!c)
		return;
	free(c->pixels);
	free(c);
}

/* ITU-R BT.601 luma in 0..255, integer only. */
static unsigned luma(uint32_t rgb)
{
	return (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
}

static uint16_t to565(uint32_t rgb)
{
	return (uint16_t)((((rgb >> 16) & 0xf8) << 8) | (((rgb >> 8) & 0xfc) << 3) |
	                  ((rgb & 0xff) >> 3));
}

static void put(struct canvas *c, int x, int y, uint32_t rgb)
{
	uint8_t *row = c->pixels + (size_t)y * c->stride;

	switch (c->format) {
	case CANVAS_MONO1:
		if (luma(rgb) < 128)
			row[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
		else
			row[x >> 3] &= (uint8_t) ~(0x80 >> (x & 7));
		break;
	case CANVAS_RGB565: {
		uint16_t v = to565(rgb);

		memcpy(row + (size_t)x * 2, &v, 2);
		break;
	}
	case CANVAS_XRGB8888: {
		uint32_t v = rgb & 0xffffff;

		memcpy(row + (size_t)x * 4, &v, 4);
		break;
	}
	}
}

void canvas_set_pixel(struct canvas *c, int x, int y, uint32_t rgb)
{
	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return;
	put(c, x, y, rgb);
}

uint32_t canvas_get_pixel(const struct canvas *c, int x, int y)
{
	const uint8_t *row;

	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return 0;
	row = c->pixels + (size_t)y * c->stride;
	switch (c->format) {
	case CANVAS_MONO1:
		return row[x >> 3] & (0x80 >> (x & 7)) ? 0x000000 : 0xffffff;
	case CANVAS_RGB565: {
		uint16_t v;
		uint32_t r, g, b;

		memcpy(&v, row + (size_t)x * 2, 2);
		r = (v >> 11) & 31;
		g = (v >> 5) & 63;
		b = v & 31;
		return ((r << 3 | r >> 2) << 16) | ((g << 2 | g >> 4) << 8) | (b << 3 | b >> 2);
	}
	case CANVAS_XRGB8888: {
		uint32_t v;

		memcpy(&v, row + (size_t)x * 4, 4);
		return v & 0xffffff;
	}
	}
	return 0;
}

struct rect canvas_clip(const struct canvas *c, struct rect r)
{
	int x1 = r.x + r.w, y1 = r.y + r.h;

	if (r.x < 0)
		r.x = 0;
	if (r.y < 0)
		r.y = 0;
	if (x1 > c->width)
		x1 = c->width;
	if (y1 > c->height)
		y1 = c->height;
	r.w = x1 - r.x;
	r.h = y1 - r.y;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

void canvas_fill_rect(struct canvas *c, struct rect r, uint32_t rgb)
{
	r = canvas_clip(c, r);
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			put(c, x, y, rgb);
}

void canvas_fill(struct canvas *c, uint32_t rgb)
{
	canvas_fill_rect(c, (struct rect){0, 0, c->width, c->height}, rgb);
}
