/*
 * SSD1306 128×64 / 128×32 OLED over I2C. The picture is kept in a
 * page-organised shadow buffer (byte x + page*128, bit y&7, LSB on top) and
 * only the pages and columns the dirty rectangle touches are sent.
 *
 * Colour: a MONO1 canvas bit of 1 means dark (ink on paper, canvas.h); on an
 * OLED dark means the pixel is off, so the bit is inverted on the way out.
 * Screens that want light text on a black OLED draw it as they would on
 * paper with the colours swapped; nothing else changes.
 */
#include "kiosk/display.h"

#include <stdlib.h>
#include <string.h>

#include "display_panel.h"
#include "kiosk/log.h"

#define SSD1306_COLS  128
#define SSD1306_PAGES 8

/* Control bytes leading every I2C write [docs/displays.md, SSD1306]. */
#define CTRL_CMD  0x00
#define CTRL_DATA 0x40

struct ssd1306 {
	struct display base;
	struct i2c_bus *bus;
	uint8_t shadow[SSD1306_COLS * SSD1306_PAGES];
	uint8_t tx[1 + SSD1306_COLS * SSD1306_PAGES]; /* control byte + one whole frame */
};

#define to_ssd1306(d) container_of(d, struct ssd1306, base)

static enum kerr send_cmds(struct ssd1306 *s, const uint8_t *cmds, size_t n)
{
	s->tx[0] = CTRL_CMD;
	memcpy(s->tx + 1, cmds, n);
	return s->bus->ops->write(s->bus, s->tx, n + 1);
}

/* Sends panel columns x0..x1 of pages p0..p1 (horizontal addressing mode). */
static enum kerr send_window(struct ssd1306 *s, int x0, int x1, int p0, int p1)
{
	uint8_t win[6] = {0x21, (uint8_t)x0, (uint8_t)x1, 0x22, (uint8_t)p0, (uint8_t)p1};
	size_t n = 1;
	enum kerr err;
	int p;

	err = send_cmds(s, win, sizeof(win));
	if (err)
		return err;
	s->tx[0] = CTRL_DATA;
	for (p = p0; p <= p1; p++) {
		memcpy(s->tx + n, s->shadow + p * SSD1306_COLS + x0, (size_t)(x1 - x0 + 1));
		n += (size_t)(x1 - x0 + 1);
	}
	return s->bus->ops->write(s->bus, s->tx, n);
}

static enum kerr ssd1306_blit(struct display *d, const struct canvas *c, struct rect dirty)
{
	struct ssd1306 *s = to_ssd1306(d);
	int pw = d->cfg->width, ph = d->cfg->height;
	struct rect pr;
	int x, y, px, py;

	if (c->width != d->width || c->height != d->height)
		return KERR_RANGE;
	if (!panel_clip(c, &dirty))
		return KERR_OK;
	for (y = dirty.y; y < dirty.y + dirty.h; y++) {
		for (x = dirty.x; x < dirty.x + dirty.w; x++) {
			bool lit;
			uint8_t *b;

			if (c->format == CANVAS_MONO1)
				lit = !(c->pixels[(size_t)y * c->stride + (size_t)(x >> 3)] &
				        (0x80u >> (x & 7)));
			else
				lit = !panel_rgb_dark(panel_canvas_rgb(c, x, y));
			panel_map(d->cfg->rotation, pw, ph, x, y, &px, &py);
			b = &s->shadow[px + (py / 8) * SSD1306_COLS];
			if (lit)
				*b |= (uint8_t)(1u << (py & 7));
			else
				*b &= (uint8_t) ~(1u << (py & 7));
		}
	}
	pr = panel_map_rect(d->cfg->rotation, pw, ph, dirty);
	return send_window(s, pr.x, pr.x + pr.w - 1, pr.y / 8, (pr.y + pr.h - 1) / 8);
}

static enum kerr ssd1306_set_power(struct display *d, bool on)
{
	uint8_t cmd = on ? 0xAF : 0xAE; /* DISPLAYON / DISPLAYOFF (sleep) */

	return send_cmds(to_ssd1306(d), &cmd, 1);
}

static void ssd1306_close(struct display *d)
{
	struct ssd1306 *s;

	if (!d)
		return;
	s = to_ssd1306(d);
	i2c_bus_close(s->bus);
	free(s);
}

static const struct display_ops display_ssd1306_ops = {
    .name = "ssd1306",
    .blit = ssd1306_blit,
    .set_power = ssd1306_set_power,
    .close = ssd1306_close,
};

enum kerr display_ssd1306_open_bus(const struct board_display *cfg, struct i2c_bus *bus,
                                   struct display **out)
{
	/* Adafruit_SSD1306 begin() for an internal charge pump [docs/displays.md, SSD1306];
	 * multiplex ratio and COM pins follow the panel height. */
	uint8_t init[] = {
	    0xAE,
	    0xD5,
	    0x80,
	    0xA8,
	    (uint8_t)(cfg->height - 1),
	    0xD3,
	    0x00,
	    0x40,
	    0x8D,
	    0x14,
	    0x20,
	    0x00,
	    0xA1,
	    0xC8,
	    0xDA,
	    cfg->height == 64 ? 0x12 : 0x02,
	    0x81,
	    0xCF,
	    0xD9,
	    0xF1,
	    0xDB,
	    0x40,
	    0xA4,
	    0xA6,
	    0x2E,
	};
	uint8_t on = 0xAF;
	struct ssd1306 *s;
	enum kerr err;

	*out = NULL;
	s = panel_alloc_checked(cfg,
	                        cfg->width >= 1 && cfg->width <= SSD1306_COLS &&
	                            (cfg->height == 32 || cfg->height == 64),
	                        "ssd1306", "unsupported (width 1..128, height 32 or 64)",
	                        sizeof(*s), &err);
	if (!s)
		goto err_close_bus;
	s->bus = bus;
	/* Clear the panel's RAM before switching it on: it powers up with noise. */
	err = send_cmds(s, init, sizeof(init));
	if (!err)
		err = send_window(s, 0, cfg->width - 1, 0, cfg->height / 8 - 1);
	if (!err)
		err = send_cmds(s, &on, 1);
	if (err) {
		log_err("display %s: ssd1306 init failed: %s", cfg->device, kerr_str(err));
		goto err_free_s;
	}
	panel_display_init(&s->base, &display_ssd1306_ops, cfg, cfg->width, cfg->height,
	                   CANVAS_MONO1);
	*out = &s->base;
	return KERR_OK;

err_free_s:
	free(s);
err_close_bus:
	i2c_bus_close(bus);
	return err;
}

enum kerr display_ssd1306_open(const struct board_display *cfg, struct display **out)
{
	struct i2c_bus *bus;
	enum kerr err;

	*out = NULL;
	err = i2c_bus_open(cfg, &bus);
	if (err)
		return err;
	return display_ssd1306_open_bus(cfg, bus, out);
}
