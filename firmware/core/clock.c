#include "kiosk/clock.h"

#include "kiosk/compiler.h"

static int64_t fake_mono_ns(const struct clock *c)
{
	return container_of(c, const struct clock_fake, base)->mono_ns;
}

static int64_t fake_real_ms(const struct clock *c)
{
	return container_of(c, const struct clock_fake, base)->real_ms;
}

static const struct clock_ops clock_fake_ops = {
    .mono_ns = fake_mono_ns,
    .real_ms = fake_real_ms,
};

void clock_fake_init(struct clock_fake *f, int64_t real_ms)
{
	f->base.ops = &clock_fake_ops;
	f->mono_ns = NS_PER_S;
	f->real_ms = real_ms;
}

void clock_fake_advance(struct clock_fake *f, int64_t ns)
{
	f->mono_ns += ns;
	f->real_ms += ns / NS_PER_MS;
}
