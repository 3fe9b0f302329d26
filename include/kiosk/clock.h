/*
 * Time comes in through this interface only, so tests drive a fake clock.
 * core/ and steem/ never read a clock themselves: they take values from here.
 */
#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H

#include <stdint.h>

#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S  INT64_C(1000000000)

struct clock;

struct clock_ops {
	/* Monotonic time in ns (CLOCK_MONOTONIC on the real clock): for timers. */
	int64_t (*mono_ns)(const struct clock *c);
	/* Wall-clock time in ms since 1970 UTC: for the journal and TOTP. */
	int64_t (*real_ms)(const struct clock *c);
};

struct clock {
	const struct clock_ops *ops;
};

static inline int64_t clock_mono_ns(const struct clock *c)
{
	return c->ops->mono_ns(c);
}

static inline int64_t clock_real_ms(const struct clock *c)
{
	return c->ops->real_ms(c);
}

/* A clock that moves only when told: tests and simulations. */
struct clock_fake {
	struct clock base;
	int64_t mono_ns;
	int64_t real_ms;
};

/* Starts at mono 1 s (never 0, so "unset" deadlines stay distinguishable) and real_ms. */
void clock_fake_init(struct clock_fake *f, int64_t real_ms);
/* Moves both clocks forward by ns (ns >= 0). */
void clock_fake_advance(struct clock_fake *f, int64_t ns);

/* The system clock (CLOCK_MONOTONIC, CLOCK_REALTIME); a static object, never freed. */
const struct clock *clock_system(void);

#endif
