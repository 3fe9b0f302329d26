/*
 * libgpiod v2 (2.x: Raspberry Pi OS trixie). Lines are found by name over
 * every /dev/gpiochip*; each line is its own request (outputs carry their
 * inactive value in the request), and the input requests' fds join one
 * epoll fd for the loop. Built instead of gpio_gpiod1.c when the installed
 * libgpiod is 2.x.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <gpiod.h>

#include "kiosk/gpio.h"
#include "kiosk/log.h"

#ifdef GPIOD_LINE_BULK_MAX_LINES
#error "gpio_gpiod2.c needs the libgpiod v2 API; the build should pick gpio_gpiod1.c"
#endif

#define CONSUMER "kiosk"

struct req {
	struct gpiod_line_request *r;
	unsigned offset;
	bool output;
	unsigned long seqno; /* the line's last edge; a gap means the kernel dropped some */
};

struct gpiod2 {
	struct gpio base;
	const struct clock *clock;
	int epfd;
	unsigned n;
	struct req reqs[GPIO_LINES_MAX];
	struct gpiod_edge_event_buffer *buf;
};

static struct gpiod2 *to_g2(const struct gpio *g)
{
	return container_of(g, struct gpiod2, base);
}

/* Opens the chip that has a line called name; *offset is its offset there. */
static struct gpiod_chip *chip_with(const char *name, unsigned *offset)
{
	struct dirent *de;
	DIR *d = opendir("/dev");

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		char path[300];
		struct gpiod_chip *chip;
		int off;

		if (strncmp(de->d_name, "gpiochip", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		if (!gpiod_is_gpiochip_device(path))
			continue;
		chip = gpiod_chip_open(path);
		if (!chip)
			continue;
		off = gpiod_chip_get_line_offset_from_name(chip, name);
		if (off >= 0) {
			*offset = (unsigned)off;
			closedir(d);
			return chip;
		}
		gpiod_chip_close(chip);
	}
	closedir(d);
	return NULL;
}

static enum kerr request(struct gpiod2 *g, const struct board_line *bl, bool output, int *handle)
{
	struct gpiod_line_settings *s = NULL;
	struct gpiod_line_config *lc = NULL;
	struct gpiod_request_config *rc = NULL;
	struct gpiod_line_request *r = NULL;
	struct gpiod_chip *chip;
	unsigned offset;
	enum kerr err = KERR_IO;

	*handle = -1;
	if (g->n >= GPIO_LINES_MAX)
		return KERR_TOO_BIG;
	chip = chip_with(bl->name, &offset);
	if (!chip) {
		log_err("gpio: no line named %s (board file line %u): check the name with gpioinfo",
		        bl->name, bl->config_line);
		return KERR_NOTFOUND;
	}
	s = gpiod_line_settings_new();
	lc = gpiod_line_config_new();
	rc = gpiod_request_config_new();
	if (!s || !lc || !rc)
		goto out;
	gpiod_line_settings_set_active_low(s, bl->active_low);
	if (output) {
		gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
		/* Applied by the kernel at request time: never request-then-set. */
		gpiod_line_settings_set_output_value(s, GPIOD_LINE_VALUE_INACTIVE);
	} else {
		gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
		gpiod_line_settings_set_edge_detection(s, GPIOD_LINE_EDGE_BOTH);
		gpiod_line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
		switch (bl->bias) {
		case BOARD_BIAS_PULL_UP:
			gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_PULL_UP);
			break;
		case BOARD_BIAS_PULL_DOWN:
			gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_PULL_DOWN);
			break;
		case BOARD_BIAS_DISABLE:
			gpiod_line_settings_set_bias(s, GPIOD_LINE_BIAS_DISABLED);
			break;
		case BOARD_BIAS_AS_IS:
		default:
			break;
		}
	}
	if (gpiod_line_config_add_line_settings(lc, &offset, 1, s) != 0)
		goto out;
	gpiod_request_config_set_consumer(rc, CONSUMER);
	r = gpiod_chip_request_lines(chip, rc, lc);
	if (!r) {
		log_err("gpio: cannot request %s: %s (in use, or no permission: group gpio)",
		        bl->name, strerror(errno));
		err = errno == EBUSY ? KERR_BUSY : KERR_IO;
		goto out;
	}
	if (!output) {
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = g->n};

		if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, gpiod_line_request_get_fd(r), &ev) != 0) {
			gpiod_line_request_release(r);
			goto out;
		}
	}
	g->reqs[g->n] = (struct req){r, offset, output};
	*handle = (int)g->n++;
	err = KERR_OK;
out:
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(s);
	gpiod_chip_close(chip); /* the request stays valid without the chip */
	return err;
}

static enum kerr g2_request_output(struct gpio *gp, const struct board_line *bl, int *handle)
{
	return request(to_g2(gp), bl, true, handle);
}

static enum kerr g2_request_input(struct gpio *gp, const struct board_line *bl, int *handle)
{
	return request(to_g2(gp), bl, false, handle);
}

static enum kerr g2_set(struct gpio *gp, int handle, bool active)
{
	struct gpiod2 *g = to_g2(gp);

	if (handle < 0 || (unsigned)handle >= g->n || !g->reqs[handle].output)
		return KERR_INVAL;
	if (gpiod_line_request_set_value(g->reqs[handle].r, g->reqs[handle].offset,
	                                 active ? GPIOD_LINE_VALUE_ACTIVE
	                                        : GPIOD_LINE_VALUE_INACTIVE) != 0)
		return KERR_IO;
	return KERR_OK;
}

static enum kerr g2_get(struct gpio *gp, int handle, bool *active)
{
	struct gpiod2 *g = to_g2(gp);
	enum gpiod_line_value v;

	*active = false;
	if (handle < 0 || (unsigned)handle >= g->n)
		return KERR_INVAL;
	v = gpiod_line_request_get_value(g->reqs[handle].r, g->reqs[handle].offset);
	if (v == GPIOD_LINE_VALUE_ERROR)
		return KERR_IO;
	*active = v == GPIOD_LINE_VALUE_ACTIVE;
	return KERR_OK;
}

static int g2_event_fd(struct gpio *gp)
{
	return to_g2(gp)->epfd;
}

static enum kerr g2_read_events(struct gpio *gp, struct gpio_event *out, unsigned max, unsigned *n)
{
	struct gpiod2 *g = to_g2(gp);
	struct epoll_event ready[16];
	int k = epoll_wait(g->epfd, ready, 16, 0);

	*n = 0;
	if (k < 0)
		return errno == EINTR ? KERR_OK : KERR_IO;
	for (int i = 0; i < k; i++) {
		unsigned h = ready[i].data.u32;
		int got;

		if (h >= g->n)
			continue;
		/* Readable, so this does not block. */
		got = gpiod_line_request_read_edge_events(g->reqs[h].r, g->buf, 16);
		for (int e = 0; e < got; e++) {
			struct gpiod_edge_event *ev =
			    gpiod_edge_event_buffer_get_event(g->buf, (unsigned long)e);
			unsigned long seq = gpiod_edge_event_get_line_seqno(ev);

			/* The kernel's buffer overflowed, or ours: the caller reads the lines
			 * again. */
			if ((g->reqs[h].seqno && seq != g->reqs[h].seqno + 1) || *n >= max)
				gp->lost = true;
			g->reqs[h].seqno = seq;
			if (*n >= max)
				continue;
			out[(*n)++] = (struct gpio_event){
			    .line = (int)h,
			    .active =
			        gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE,
			    .ts_ns = (int64_t)gpiod_edge_event_get_timestamp_ns(ev),
			};
		}
	}
	return KERR_OK;
}

static void g2_close(struct gpio *gp)
{
	struct gpiod2 *g = to_g2(gp);

	/* Inactive first, then release: a released line may keep its level. */
	for (unsigned i = 0; i < g->n; i++)
		if (g->reqs[i].output)
			(void)gpiod_line_request_set_value(g->reqs[i].r, g->reqs[i].offset,
			                                   GPIOD_LINE_VALUE_INACTIVE);
	for (unsigned i = 0; i < g->n; i++)
		gpiod_line_request_release(g->reqs[i].r);
	gpiod_edge_event_buffer_free(g->buf);
	close(g->epfd);
	free(g);
}

static const struct gpio_ops gpio_gpiod2_ops = {
    .name = "gpiod",
    .request_output = g2_request_output,
    .request_input = g2_request_input,
    .set = g2_set,
    .get = g2_get,
    .event_fd = g2_event_fd,
    .read_events = g2_read_events,
    .close = g2_close,
};

enum kerr gpio_gpiod_open(const struct board_gpio *cfg, const struct clock *clock,
                          struct gpio **out)
{
	struct gpiod2 *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g)
		return KERR_NOMEM;
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	g->buf = gpiod_edge_event_buffer_new(16);
	if (g->epfd < 0 || !g->buf) {
		if (g->epfd >= 0)
			close(g->epfd);
		gpiod_edge_event_buffer_free(g->buf);
		free(g);
		return KERR_IO;
	}
	g->base.ops = &gpio_gpiod2_ops;
	g->base.cfg = cfg;
	g->clock = clock;
	*out = &g->base;
	return KERR_OK;
}
