/*
 * The simulated GPIO backend's test controls. Lines are known by their
 * board names; every output change is recorded with the clock's time and
 * both levels (logical, and physical after active-low), and inputs change
 * when a test says so or when a wired output drives them.
 */
#ifndef KIOSK_GPIO_SIM_H
#define KIOSK_GPIO_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/gpio.h"

#define GPIO_SIM_TIMELINE_MAX 4096

struct gpio_sim_change {
	int64_t ts_ns;
	char name[BOARD_NAME_MAX];
	bool logical;  /* active */
	bool physical; /* the pin's level */
	bool request;  /* the level set at request time */
};

/* The recorded output changes, oldest first. */
const struct gpio_sim_change *gpio_sim_timeline(const struct gpio *g, size_t *n);

/* Sets an input's logical level, queueing an edge event if it changed. */
KIOSK_MUST_CHECK enum kerr gpio_sim_set_input(struct gpio *g, const char *name, bool active);

/* Wires an output to an input: when the output goes active, the input goes
 * active delay_ms later (a door springing open), and inactive again
 * close_ms after that (the member closes it; 0 = it stays open). */
KIOSK_MUST_CHECK enum kerr gpio_sim_wire(struct gpio *g, const char *out, const char *in,
                                         unsigned delay_ms, unsigned close_ms);

/* Delivers wired input changes that are due at the clock's time. */
void gpio_sim_tick(struct gpio *g);

/* When the next wired input change is due (the clock's monotonic ns);
 * INT64_MAX when none is pending: nothing needs a gpio_sim_tick() until
 * an output drives a wire again. */
int64_t gpio_sim_next_due(const struct gpio *g);

/* fn(arg) is called whenever an output drives a wire (a change is now
 * pending), so the caller can arm a timer for gpio_sim_next_due(). */
void gpio_sim_on_schedule(struct gpio *g, void (*fn)(void *arg), void *arg);

/* The n-th set() from now fails with err (0 = never). */
void gpio_sim_fail_after(struct gpio *g, unsigned n, enum kerr err);

/* The current logical level of any line by name; false if unknown. */
bool gpio_sim_level(const struct gpio *g, const char *name);

#endif
