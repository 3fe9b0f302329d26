#include "kiosk/rng.h"

#include <string.h>

enum kerr rng_fill(struct rng *r, void *buf, size_t len)
{
	enum kerr err = r->ops->fill(r, buf, len);

	if (err != KERR_OK)
		memset(buf, 0, len);
	return err;
}

uint32_t rng_below(struct rng *r, uint32_t bound)
{
	/* Rejection sampling: values past the last whole multiple of bound are
	 * redrawn, so every result is equally likely. */
	uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
	uint32_t v;

	do {
		if (rng_fill(r, &v, sizeof(v)) != KERR_OK)
			return 0;
	} while (v >= limit);
	return v % bound;
}

static enum kerr fake_fill(struct rng *r, void *buf, size_t len)
{
	struct rng_fake *f = (struct rng_fake *)r;
	unsigned char *p = buf;

	while (len > 0) {
		/* splitmix64 (Steele, Lea, Flood 2014): tiny, full-period, seedable. */
		uint64_t z = (f->state += UINT64_C(0x9e3779b97f4a7c15));
		size_t n = len < 8 ? len : 8;

		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		z ^= z >> 31;
		memcpy(p, &z, n);
		p += n;
		len -= n;
	}
	return KERR_OK;
}

static const struct rng_ops rng_fake_ops = {.fill = fake_fill};

void rng_fake_init(struct rng_fake *f, uint64_t seed)
{
	f->base.ops = &rng_fake_ops;
	f->state = seed;
}
