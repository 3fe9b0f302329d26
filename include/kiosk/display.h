/*
 * Displays: one ops table, backends fbdev, st7789/ili9341 (spidev), ssd1306
 * (i2c) and sim (PNG snapshots + terminal view). Screens draw into a canvas
 * of display_width() × display_height() in display_format(); the driver
 * converts, rotates and sends only the dirty rectangle where it can.
 */
#ifndef KIOSK_DISPLAY_H
#define KIOSK_DISPLAY_H

#include <stdbool.h>

#include "kiosk/board.h"
#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/gpio.h"
#include "kiosk/kerr.h"

struct display;

struct display_ops {
	const char *name;
	enum kerr (*blit)(struct display *d, const struct canvas *c, struct rect dirty);
	enum kerr (*set_power)(struct display *d, bool on); /* optional: NULL */
	void (*close)(struct display *d);
};

struct display {
	const struct display_ops *ops;
	const struct board_display *cfg; /* borrowed from the board file */
	int width, height;               /* what screens draw, after rotation */
	enum canvas_format format;       /* the canvas format it takes best */
};

static inline int display_width(const struct display *d)
{
	return d->width;
}

static inline int display_height(const struct display *d)
{
	return d->height;
}

static inline enum canvas_format display_format(const struct display *d)
{
	return d->format;
}

/* Sends the dirty part of c (same size as the display) to the panel. */
KIOSK_MUST_CHECK enum kerr display_blit(struct display *d, const struct canvas *c,
                                        struct rect dirty);
/* KERR_NOTSUP if the backend cannot blank. */
KIOSK_MUST_CHECK enum kerr display_set_power(struct display *d, bool on);
void display_close(struct display *d);

/* Backends; firmware/app picks one by the board's display backend. gpio is
 * borrowed (DC/reset/backlight lines) and may be NULL where none is needed. */
KIOSK_MUST_CHECK enum kerr display_sim_open(const struct board_display *cfg, struct display **out);
KIOSK_MUST_CHECK enum kerr display_fbdev_open(const struct board_display *cfg,
                                              struct display **out);
KIOSK_MUST_CHECK enum kerr display_st7789_open(const struct board_display *cfg, struct gpio *gpio,
                                               struct display **out);
KIOSK_MUST_CHECK enum kerr display_ssd1306_open(const struct board_display *cfg,
                                                struct display **out);

#endif
