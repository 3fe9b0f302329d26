#include "kiosk/clock.h"

#include <time.h>

static int64_t read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t system_mono_ns(const struct clock *c)
{
	(void)c;
	return read_clock(CLOCK_MONOTONIC);
}

static int64_t system_real_ms(const struct clock *c)
{
	(void)c;
	return read_clock(CLOCK_REALTIME) / NS_PER_MS;
}

static const struct clock_ops clock_system_ops = {
    .mono_ns = system_mono_ns,
    .real_ms = system_real_ms,
};

static const struct clock system_clock = {.ops = &clock_system_ops};

const struct clock *clock_system(void)
{
	return &system_clock;
}
