#include "kiosk/rng.h"

#include <errno.h>
#include <sys/random.h>

static enum kerr system_fill(struct rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;

	(void)r;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return KERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	return KERR_OK;
}

static const struct rng_ops rng_system_ops = {.fill = system_fill};
static struct rng system_rng = {.ops = &rng_system_ops};

struct rng *rng_system(void)
{
	return &system_rng;
}
