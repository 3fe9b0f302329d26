/* Randomness comes in through this interface only (memo codes, nonces' extra
 * entropy, TOTP secrets, jitter), so tests are repeatable. */
#ifndef KIOSK_RNG_H
#define KIOSK_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

struct rng;

struct rng_ops {
	enum kerr (*fill)(struct rng *r, void *buf, size_t len);
};

struct rng {
	const struct rng_ops *ops;
};

/* Fills buf with len random bytes. KERR_IO if the source failed (buf zeroed). */
KIOSK_MUST_CHECK enum kerr rng_fill(struct rng *r, void *buf, size_t len);

/* Uniform in [0, bound) (bound > 0), without modulo bias; 0 on failure. */
uint32_t rng_below(struct rng *r, uint32_t bound);

/* A deterministic generator (splitmix64) for tests and simulations. */
struct rng_fake {
	struct rng base;
	uint64_t state;
};
void rng_fake_init(struct rng_fake *f, uint64_t seed);

/* The kernel's getrandom(2); a static object, never freed. */
struct rng *rng_system(void);

#endif
