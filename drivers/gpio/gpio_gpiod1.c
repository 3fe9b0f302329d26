/*
 * libgpiod v1 (1.6: Debian 12, Raspberry Pi OS bookworm). Lines are found by
 * name over every chip; outputs are requested at their inactive level; each
 * input's event fd joins one epoll fd, which is what the loop polls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <gpiod.h>

#include "kiosk/gpio.h"
#include "kiosk/log.h"

/* drivers/CMakeLists.txt builds this file only against libgpiod 1.x
 * (GPIOD_LINE_BULK_MAX_LINES exists only there). */

#define CONSUMER "kiosk"

struct gpiod1 {
	struct gpio base;
	const struct clock *clock;
	int epfd;
	unsigned n;
	struct gpiod_line *lines[GPIO_LINES_MAX];
	bool output[GPIO_LINES_MAX];
};

static struct gpiod1 *to_g1(const struct gpio *g)
{
	return container_of(g, struct gpiod1, base);
}

static int bias_flag(enum board_bias b)
{
	switch (b) {
	case BOARD_BIAS_DISABLE:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	case BOARD_BIAS_PULL_UP:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	case BOARD_BIAS_PULL_DOWN:
		return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	case BOARD_BIAS_AS_IS:
	default:
		return 0;
	}
}

static enum kerr find_line(struct gpiod1 *g, const struct board_line *bl, struct gpiod_line **out)
{
	*out = NULL;
	if (g->n >= GPIO_LINES_MAX)
		return KERR_TOO_BIG;
	/* gpiod_line_find() walks every chip: the same name works on a Pi 4 and a Pi 5. */
	*out = gpiod_line_find(bl->name);
	if (!*out) {
		log_err("gpio: no line named %s (board file line %u): check the name with gpioinfo",
		        bl->name, bl->config_line);
		return KERR_NOTFOUND;
	}
	return KERR_OK;
}

static enum kerr g1_request_output(struct gpio *gp, const struct board_line *bl, int *handle)
{
	struct gpiod1 *g = to_g1(gp);
	struct gpiod_line *l;
	int flags = bl->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
	enum kerr err = find_line(g, bl, &l);

	*handle = -1;
	if (err)
		return err;
	/* default_val 0 = inactive, set by the kernel in the request itself. */
	if (gpiod_line_request_output_flags(l, CONSUMER, flags, 0) != 0) {
		log_err(
		    "gpio: cannot request %s as output: %s (in use, or no permission: group gpio)",
		    bl->name, strerror(errno));
		gpiod_line_close_chip(l);
		return errno == EBUSY ? KERR_BUSY : KERR_IO;
	}
	*handle = (int)g->n;
	g->lines[g->n] = l;
	g->output[g->n++] = true;
	return KERR_OK;
}

static enum kerr g1_request_input(struct gpio *gp, const struct board_line *bl, int *handle)
{
	struct gpiod1 *g = to_g1(gp);
	struct gpiod_line *l;
	struct epoll_event ev = {.events = EPOLLIN};
	int flags = (bl->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0) | bias_flag(bl->bias);
	enum kerr err = find_line(g, bl, &l);

	*handle = -1;
	if (err)
		return err;
	if (gpiod_line_request_both_edges_events_flags(l, CONSUMER, flags) != 0) {
		log_err("gpio: cannot request %s as input: %s", bl->name, strerror(errno));
		gpiod_line_close_chip(l);
		return errno == EBUSY ? KERR_BUSY : KERR_IO;
	}
	ev.data.u32 = g->n;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, gpiod_line_event_get_fd(l), &ev) != 0) {
		gpiod_line_release(l);
		gpiod_line_close_chip(l);
		return KERR_IO;
	}
	*handle = (int)g->n;
	g->lines[g->n] = l;
	g->output[g->n++] = false;
	return KERR_OK;
}

static enum kerr g1_set(struct gpio *gp, int handle, bool active)
{
	struct gpiod1 *g = to_g1(gp);

	if (handle < 0 || (unsigned)handle >= g->n || !g->output[handle])
		return KERR_INVAL;
	if (gpiod_line_set_value(g->lines[handle], active) != 0) {
		log_err("gpio: cannot set %s: %s", gpiod_line_name(g->lines[handle]),
		        strerror(errno));
		return KERR_IO;
	}
	return KERR_OK;
}

static enum kerr g1_get(struct gpio *gp, int handle, bool *active)
{
	struct gpiod1 *g = to_g1(gp);
	int v;

	*active = false;
	if (handle < 0 || (unsigned)handle >= g->n)
		return KERR_INVAL;
	v = gpiod_line_get_value(g->lines[handle]);
	if (v < 0)
		return KERR_IO;
	*active = v == 1;
	return KERR_OK;
}

static int g1_event_fd(struct gpio *gp)
{
	return to_g1(gp)->epfd;
}

static enum kerr g1_read_events(struct gpio *gp, struct gpio_event *out, unsigned max, unsigned *n)
{
	struct gpiod1 *g = to_g1(gp);
	struct epoll_event ready[16];
	int k = epoll_wait(g->epfd, ready, 16, 0);

	*n = 0;
	if (k < 0)
		return errno == EINTR ? KERR_OK : KERR_IO;
	for (int i = 0; i < k && *n < max; i++) {
		unsigned h = ready[i].data.u32;
		struct gpiod_line_event ev;

		if (h >= g->n || gpiod_line_event_read(g->lines[h], &ev) != 0)
			continue;
		out[(*n)++] = (struct gpio_event){
		    .line = (int)h,
		    .active = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE,
		    /* CLOCK_MONOTONIC since Linux 5.7, as the loop uses. */
		    .ts_ns = (int64_t)ev.ts.tv_sec * 1000000000 + ev.ts.tv_nsec,
		};
	}
	return KERR_OK;
}

static void g1_close(struct gpio *gp)
{
	struct gpiod1 *g = to_g1(gp);

	/* Inactive first, then release: a released line may keep its level. */
	for (unsigned i = 0; i < g->n; i++)
		if (g->output[i])
			(void)gpiod_line_set_value(g->lines[i], 0);
	for (unsigned i = 0; i < g->n; i++) {
		gpiod_line_release(g->lines[i]);
		gpiod_line_close_chip(g->lines[i]);
	}
	close(g->epfd);
	free(g);
}

static const struct gpio_ops gpio_gpiod1_ops = {
    .name = "gpiod",
    .request_output = g1_request_output,
    .request_input = g1_request_input,
    .set = g1_set,
    .get = g1_get,
    .event_fd = g1_event_fd,
    .read_events = g1_read_events,
    .close = g1_close,
};

enum kerr gpio_gpiod_open(const struct board_gpio *cfg, const struct clock *clock,
                          struct gpio **out)
{
	struct gpiod1 *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g)
		return KERR_NOMEM;
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (g->epfd < 0) {
		free(g);
		return KERR_IO;
	}
	g->base.ops = &gpio_gpiod1_ops;
	g->base.cfg = cfg;
	g->clock = clock;
	*out = &g->base;
	return KERR_OK;
}
