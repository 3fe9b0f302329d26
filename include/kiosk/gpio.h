/*
 * GPIO lines by name, as the board file gives them. One ops table, with a
 * libgpiod backend (v1 or v2, picked at configure time) and a sim backend.
 * Values are logical: active = true means "relay on", "door open",
 * "button pressed", whatever the wiring's polarity (active_low in the board).
 */
#ifndef KIOSK_GPIO_H
#define KIOSK_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/board.h"
#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define GPIO_LINES_MAX 64

struct gpio;

/* One debounced logical edge. */
struct gpio_event {
	int line;      /* handle from gpio_request_input() */
	bool active;   /* logical level after the edge */
	int64_t ts_ns; /* CLOCK_MONOTONIC (or the fake clock in sim) */
};

struct gpio_ops {
	const char *name; /* "gpiod", "sim" */
	/* Requests an output already at its inactive level (never request-then-set). */
	enum kerr (*request_output)(struct gpio *g, const struct board_line *line, int *handle);
	/* Requests an input with edge events on both edges. */
	enum kerr (*request_input)(struct gpio *g, const struct board_line *line, int *handle);
	enum kerr (*set)(struct gpio *g, int handle, bool active);
	enum kerr (*get)(struct gpio *g, int handle, bool *active);
	/* The fd to poll for input edges; -1 if the backend has none. */
	int (*event_fd)(struct gpio *g);
	/* Reads up to max pending edges into ev; *n = count (0 when none). */
	enum kerr (*read_events)(struct gpio *g, struct gpio_event *ev, unsigned max, unsigned *n);
	/* Sets every output inactive, then releases everything. */
	void (*close)(struct gpio *g);
};

struct gpio {
	const struct gpio_ops *ops;
	const struct board_gpio *cfg; /* borrowed from the board, read-only */
	/* Software debounce in gpio_read_events(), shared by every backend. */
	bool deb_known[GPIO_LINES_MAX];
	bool deb_level[GPIO_LINES_MAX];
	int64_t deb_until_ns[GPIO_LINES_MAX];
	/* An edge was dropped inside the window: the level is read again when it
	 * ends (gpio_debounce_settle), so a bounce never hides the last edge. */
	bool deb_recheck[GPIO_LINES_MAX];
	/* Set by a backend that lost edges (its event buffer overflowed). */
	bool lost;
};

KIOSK_MUST_CHECK enum kerr gpio_request_output(struct gpio *g, const struct board_line *line,
                                               int *handle);
KIOSK_MUST_CHECK enum kerr gpio_request_input(struct gpio *g, const struct board_line *line,
                                              int *handle);
KIOSK_MUST_CHECK enum kerr gpio_set(struct gpio *g, int handle, bool active);
KIOSK_MUST_CHECK enum kerr gpio_get(struct gpio *g, int handle, bool *active);
int gpio_event_fd(struct gpio *g);
/*
 * Reads pending edges, debounced: an edge to the level already reported, or
 * one within cfg->debounce_ms of the last reported edge of that line, is
 * dropped (contacts bounce for a few ms).
 */
KIOSK_MUST_CHECK enum kerr gpio_read_events(struct gpio *g, struct gpio_event *ev, unsigned max,
                                            unsigned *n);
void gpio_close(struct gpio *g);

/* When the earliest debounce window with a dropped edge ends (the clock of
 * the event timestamps); INT64_MAX when none. */
int64_t gpio_debounce_due(const struct gpio *g);
/*
 * At now_ns, reads again every line whose window has ended after an edge was
 * dropped in it; a level that differs from the one last reported becomes an
 * edge in ev (ts_ns = now_ns), so the final level of a bounce is always seen.
 */
KIOSK_MUST_CHECK enum kerr gpio_debounce_settle(struct gpio *g, int64_t now_ns,
                                                struct gpio_event *ev, unsigned max, unsigned *n);
/* True once after the backend lost edges (event buffer overflow): the caller
 * reads every line it watches again with gpio_reread(). */
bool gpio_events_lost(struct gpio *g);
/* Reads a line's level and makes it the debounce's reported level. */
KIOSK_MUST_CHECK enum kerr gpio_reread(struct gpio *g, int handle, bool *active);

/* Backends. clock is borrowed (event timestamps, sim timeline). */
KIOSK_MUST_CHECK enum kerr gpio_sim_open(const struct board_gpio *cfg, const struct clock *clock,
                                         struct gpio **out);
KIOSK_MUST_CHECK enum kerr gpio_gpiod_open(const struct board_gpio *cfg, const struct clock *clock,
                                           struct gpio **out);

#endif
