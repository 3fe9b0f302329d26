/*
 * ST7789 / ILI9341 TFTs spoken to in MIPI DCS over a panel_bus. Rotation is
 * done by the controller (MADCTL), so the canvas is sent in its own
 * coordinates; only the dirty rectangle is sent (CASET/RASET window).
 */
#include "kiosk/display.h"

#include <stdlib.h>
#include <string.h>

#include "display_panel.h"
#include "kiosk/log.h"

/* Pixel bytes staged per bus call; spidev's default bufsiz. */
#define ST7789_CHUNK 4096

struct st7789 {
	struct display base;
	struct panel_bus *bus;
	uint8_t chunk[ST7789_CHUNK];
};

#define to_st7789(d) container_of(d, struct st7789, base)

/*
 * MADCTL per rotation: the controller turns the picture, so CASET/RASET
 * address the canvas directly. 90 = MV|MX, 180 = MX|MY, 270 = MV|MY, as
 * TFT_eSPI's ST7789_Rotation.h; which way 90 turns depends on how the glass
 * is mounted (docs/hardware-tested.md).
 */
static uint8_t madctl_for(unsigned rot)
{
	switch (rot) {
	case 90:
		return MADCTL_MV | MADCTL_MX;
	case 180:
		return MADCTL_MX | MADCTL_MY;
	case 270:
		return MADCTL_MV | MADCTL_MY;
	default:
		return 0;
	}
}

static enum kerr set_window(struct panel_bus *bus, struct rect r)
{
	uint8_t a[4];
	enum kerr err;

	a[0] = (uint8_t)(r.x >> 8);
	a[1] = (uint8_t)r.x;
	a[2] = (uint8_t)((r.x + r.w - 1) >> 8);
	a[3] = (uint8_t)(r.x + r.w - 1);
	err = bus->ops->cmd(bus, DCS_CASET, a, 4);
	if (err)
		return err;
	a[0] = (uint8_t)(r.y >> 8);
	a[1] = (uint8_t)r.y;
	a[2] = (uint8_t)((r.y + r.h - 1) >> 8);
	a[3] = (uint8_t)(r.y + r.h - 1);
	return bus->ops->cmd(bus, DCS_RASET, a, 4);
}

static enum kerr st7789_blit(struct display *d, const struct canvas *c, struct rect dirty)
{
	struct st7789 *st = to_st7789(d);
	struct panel_bus *bus = st->bus;
	size_t n = 0;
	enum kerr err;
	int x, y;

	if (c->width != d->width || c->height != d->height)
		return KERR_RANGE;
	if (!panel_clip(c, &dirty))
		return KERR_OK;
	err = set_window(bus, dirty);
	if (err)
		return err;
	err = bus->ops->cmd(bus, DCS_RAMWR, NULL, 0);
	if (err)
		return err;
	for (y = dirty.y; y < dirty.y + dirty.h; y++) {
		for (x = dirty.x; x < dirty.x + dirty.w; x++) {
			uint16_t v = panel_rgb565(panel_canvas_rgb(c, x, y));

			/* COLMOD 0x55 takes RGB565 high byte first. */
			st->chunk[n++] = (uint8_t)(v >> 8);
			st->chunk[n++] = (uint8_t)v;
			if (n == sizeof(st->chunk)) {
				err = bus->ops->pixels(bus, st->chunk, n);
				if (err)
					return err;
				n = 0;
			}
		}
	}
	if (n)
		return bus->ops->pixels(bus, st->chunk, n);
	return KERR_OK;
}

static enum kerr st7789_set_power(struct display *d, bool on)
{
	struct panel_bus *bus = to_st7789(d)->bus;
	enum kerr err;

	if (on) {
		err = bus->ops->cmd(bus, DCS_SLPOUT, NULL, 0);
		if (err)
			return err;
		/* SLPOUT needs 5 ms before the next command, 120 ms before SLPIN. */
		bus->ops->delay(bus, 120);
		return bus->ops->cmd(bus, DCS_DISPON, NULL, 0);
	}
	err = bus->ops->cmd(bus, DCS_DISPOFF, NULL, 0);
	if (err)
		return err;
	return bus->ops->cmd(bus, DCS_SLPIN, NULL, 0);
}

static void st7789_close(struct display *d)
{
	struct st7789 *st;

	if (!d)
		return;
	st = to_st7789(d);
	panel_bus_close(st->bus);
	free(st);
}

static const struct display_ops display_st7789_ops = {
    .name = "st7789",
    .blit = st7789_blit,
    .set_power = st7789_set_power,
    .close = st7789_close,
};

static enum kerr init_panel(const struct board_display *cfg, struct panel_bus *bus)
{
	uint8_t colmod = 0x55, madctl = madctl_for(cfg->rotation);
	enum kerr err;

	if (strcmp(cfg->backend, "ili9341") == 0)
		madctl |= MADCTL_BGR;
	if (bus->ops->reset) {
		err = bus->ops->reset(bus);
		if (err)
			return err;
	}
	err = bus->ops->cmd(bus, DCS_SWRESET, NULL, 0);
	if (err)
		return err;
	bus->ops->delay(bus, 150); /* 120 ms after SWRESET before SLPOUT */
	err = bus->ops->cmd(bus, DCS_SLPOUT, NULL, 0);
	if (err)
		return err;
	bus->ops->delay(bus, 120);
	err = bus->ops->cmd(bus, DCS_COLMOD, &colmod, 1);
	if (err)
		return err;
	err = bus->ops->cmd(bus, DCS_MADCTL, &madctl, 1);
	if (err)
		return err;
	return bus->ops->cmd(bus, DCS_DISPON, NULL, 0);
}

enum kerr display_st7789_open_bus(const struct board_display *cfg, struct panel_bus *bus,
                                  struct display **out)
{
	struct st7789 *st;
	enum kerr err;

	*out = NULL;
	/* CASET/RASET carry 16-bit addresses; ST7789 GRAM is 240×320. */
	st = panel_alloc_checked(
	    cfg, cfg->width >= 1 && cfg->height >= 1 && cfg->width <= 320 && cfg->height <= 480,
	    "panel", "is outside what st7789/ili9341 address", sizeof(*st), &err);
	if (!st)
		goto err_close_bus;
	err = init_panel(cfg, bus);
	if (err) {
		log_err("display %s: panel init failed: %s", cfg->device, kerr_str(err));
		goto err_free_st;
	}
	st->bus = bus;
	panel_display_init(&st->base, &display_st7789_ops, cfg, cfg->width, cfg->height,
	                   CANVAS_RGB565);
	*out = &st->base;
	return KERR_OK;

err_free_st:
	free(st);
err_close_bus:
	panel_bus_close(bus);
	return err;
}

enum kerr display_st7789_open(const struct board_display *cfg, struct gpio *gpio,
                              struct display **out)
{
	struct panel_bus *bus;
	enum kerr err;

	*out = NULL;
	err = panel_bus_spi_open(cfg, gpio, &bus);
	if (err)
		return err;
	return display_st7789_open_bus(cfg, bus, out);
}
