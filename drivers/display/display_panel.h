/*
 * Panel drivers over an explicit transport (tests put a recorder there) and
 * what the fbdev, st7789 and ssd1306 backends share: the small pixel helpers
 * here, the open-time checks and set-up in display_panel.c.
 * Only drivers/display, firmware/app and tests include this.
 */
#ifndef KIOSK_DISPLAY_PANEL_H
#define KIOSK_DISPLAY_PANEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/canvas.h"
#include "kiosk/display.h"
#include "panel_bus.h"

/* MIPI DCS commands [linux include/video/mipi_display.h]. */
enum {
	DCS_SWRESET = 0x01,
	DCS_SLPIN = 0x10,
	DCS_SLPOUT = 0x11,
	DCS_DISPOFF = 0x28,
	DCS_DISPON = 0x29,
	DCS_CASET = 0x2A,
	DCS_RASET = 0x2B,
	DCS_RAMWR = 0x2C,
	DCS_MADCTL = 0x36,
	DCS_COLMOD = 0x3A,
};

/* MADCTL bits [ST7789V datasheet 9.1.28; ILI9341 8.2.29]. */
enum {
	MADCTL_MY = 0x80, /* row address order */
	MADCTL_MX = 0x40, /* column address order */
	MADCTL_MV = 0x20, /* row/column exchange */
	MADCTL_BGR = 0x08,
};

/*
 * st7789 (and ili9341: cfg->backend "ili9341" sets the BGR bit) over bus,
 * which the display takes over (closed by display_close, also on failure).
 * Sends the init sequence. *out = NULL on failure: KERR_RANGE (size or
 * rotation), KERR_NOMEM, bus errors.
 */
KIOSK_MUST_CHECK enum kerr display_st7789_open_bus(const struct board_display *cfg,
                                                   struct panel_bus *bus, struct display **out);

/*
 * ssd1306 over bus, taken over as above. Sends the init sequence and clears
 * the panel. *out = NULL on failure: KERR_RANGE (width above 128, height not
 * 32 or 64, rotation), KERR_NOMEM, bus errors.
 */
KIOSK_MUST_CHECK enum kerr display_ssd1306_open_bus(const struct board_display *cfg,
                                                    struct i2c_bus *bus, struct display **out);

static inline bool panel_rotation_valid(unsigned rot)
{
	return rot == 0 || rot == 90 || rot == 180 || rot == 270;
}

/* KERR_RANGE, logged with the device, unless cfg->rotation is 0, 90, 180 or 270. */
KIOSK_MUST_CHECK enum kerr panel_check_rotation(const struct board_display *cfg);

/*
 * A zeroed backend struct of size bytes for a panel whose size the backend
 * judged (size_ok) and whose rotation is checked here. NULL with *err set on
 * failure: KERR_RANGE (logged as "display <device>: <what> size WxH <rule>"
 * or as panel_check_rotation), KERR_NOMEM.
 */
void *panel_alloc_checked(const struct board_display *cfg, bool size_ok, const char *what,
                          const char *rule, size_t size, enum kerr *err);

/*
 * Fills in d for a panel of pw×ph pixels: ops, cfg, format, and the size
 * screens draw, which swaps width and height when cfg->rotation is 90 or 270.
 */
void panel_display_init(struct display *d, const struct display_ops *ops,
                        const struct board_display *cfg, int pw, int ph, enum canvas_format format);

/*
 * Where canvas pixel (x, y) lands on a panel of pw×ph pixels when the
 * canvas is turned rot degrees clockwise onto it (for 90/270 the canvas is
 * ph wide and pw high).
 */
static inline void panel_map(unsigned rot, int pw, int ph, int x, int y, int *px, int *py)
{
	switch (rot) {
	case 90:
		*px = pw - 1 - y;
		*py = x;
		break;
	case 180:
		*px = pw - 1 - x;
		*py = ph - 1 - y;
		break;
	case 270:
		*px = y;
		*py = ph - 1 - x;
		break;
	default:
		*px = x;
		*py = y;
		break;
	}
}

/* The panel rectangle covered by canvas rectangle r (r non-empty, inside the canvas). */
static inline struct rect panel_map_rect(unsigned rot, int pw, int ph, struct rect r)
{
	int ax, ay, bx, by;
	struct rect o;

	panel_map(rot, pw, ph, r.x, r.y, &ax, &ay);
	panel_map(rot, pw, ph, r.x + r.w - 1, r.y + r.h - 1, &bx, &by);
	o.x = ax < bx ? ax : bx;
	o.y = ay < by ? ay : by;
	o.w = (ax < bx ? bx - ax : ax - bx) + 1;
	o.h = (ay < by ? by - ay : ay - by) + 1;
	return o;
}

/* Canvas pixel as 0xRRGGBB, read straight from the canvas memory (drivers do
 * not link the ui layer). MONO1: bit set = dark = black. */
static inline uint32_t panel_canvas_rgb(const struct canvas *c, int x, int y)
{
	const uint8_t *row = c->pixels + (size_t)y * c->stride;
	uint16_t v16;
	uint32_t v32, r, g, b;

	switch (c->format) {
	case CANVAS_MONO1:
		return (row[x >> 3] & (0x80u >> (x & 7))) ? 0x000000u : 0xFFFFFFu;
	case CANVAS_RGB565:
		memcpy(&v16, row + (size_t)x * 2, 2);
		/* Replicate the high bits so 0x1F expands to 0xFF, not 0xF8. */
		r = (v16 >> 11) & 0x1F;
		g = (v16 >> 5) & 0x3F;
		b = v16 & 0x1F;
		return ((r << 3 | r >> 2) << 16) | ((g << 2 | g >> 4) << 8) | (b << 3 | b >> 2);
	case CANVAS_XRGB8888:
		memcpy(&v32, row + (size_t)x * 4, 4);
		return v32 & 0xFFFFFFu;
	}
	return 0;
}

static inline uint16_t panel_rgb565(uint32_t rgb)
{
	return (uint16_t)(((rgb >> 8) & 0xF800) | ((rgb >> 5) & 0x07E0) | ((rgb >> 3) & 0x001F));
}

/* Dark as canvas.h defines it for MONO1: luma below 50 %. */
static inline bool panel_rgb_dark(uint32_t rgb)
{
	uint32_t r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;

	/* BT.601 weights in integers, scaled by 1000. */
	return 299 * r + 587 * g + 114 * b < 128 * 1000;
}

/* Clips dirty to the canvas; false if nothing is left. */
static inline bool panel_clip(const struct canvas *c, struct rect *r)
{
	int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
	long x1 = (long)r->x + r->w, y1 = (long)r->y + r->h;

	if (x1 > c->width)
		x1 = c->width;
	if (y1 > c->height)
		y1 = c->height;
	if (x1 <= x0 || y1 <= y0)
		return false;
	r->x = x0;
	r->y = y0;
	r->w = (int)(x1 - x0);
	r->h = (int)(y1 - y0);
	return true;
}

#endif
