/* The generic GPIO calls, and the debounce every backend shares. */
#include "kiosk/gpio.h"

#include <stdint.h>
#include <string.h>

enum kerr gpio_request_output(struct gpio *g, const struct board_line *line, int *handle)
{
	enum kerr err = g->ops->request_output(g, line, handle);

	if (!err && (*handle < 0 || *handle >= GPIO_LINES_MAX))
		return KERR_RANGE;
	return err;
}

enum kerr gpio_request_input(struct gpio *g, const struct board_line *line, int *handle)
{
	enum kerr err = g->ops->request_input(g, line, handle);
	bool level;

	if (err)
		return err;
	if (*handle < 0 || *handle >= GPIO_LINES_MAX)
		return KERR_RANGE;
	/* Start from the real level, so the first edge is judged against it. */
	if (g->ops->get(g, *handle, &level) == KERR_OK) {
		g->deb_known[*handle] = true;
		g->deb_level[*handle] = level;
	}
	return KERR_OK;
}

enum kerr gpio_set(struct gpio *g, int handle, bool active)
{
	return g->ops->set(g, handle, active);
}

enum kerr gpio_get(struct gpio *g, int handle, bool *active)
{
	return g->ops->get(g, handle, active);
}

int gpio_event_fd(struct gpio *g)
{
	return g->ops->event_fd ? g->ops->event_fd(g) : -1;
}

enum kerr gpio_read_events(struct gpio *g, struct gpio_event *ev, unsigned max, unsigned *n)
{
	int64_t window = (int64_t)(g->cfg ? g->cfg->debounce_ms : 0) * 1000000;
	unsigned raw = 0, kept = 0;
	enum kerr err;

	*n = 0;
	if (!g->ops->read_events)
		return KERR_OK;
	err = g->ops->read_events(g, ev, max, &raw);
	if (err)
		return err;
	if (raw > max) /* a backend that does not keep to max */
		raw = max;
	for (unsigned i = 0; i < raw; i++) {
		int h = ev[i].line;

		if (h < 0 || h >= GPIO_LINES_MAX)
			continue;
		if (g->deb_known[h] && g->deb_level[h] == ev[i].active)
			continue;
		if (g->deb_known[h] && ev[i].ts_ns < g->deb_until_ns[h]) {
			/* A bounce, or a real change too soon: look again at the window's end. */
			g->deb_recheck[h] = true;
			continue;
		}
		g->deb_known[h] = true;
		g->deb_level[h] = ev[i].active;
		g->deb_until_ns[h] = ev[i].ts_ns + window;
		ev[kept++] = ev[i];
	}
	*n = kept;
	return KERR_OK;
}

int64_t gpio_debounce_due(const struct gpio *g)
{
	int64_t due = INT64_MAX;

	for (int h = 0; h < GPIO_LINES_MAX; h++)
		if (g->deb_recheck[h] && g->deb_until_ns[h] < due)
			due = g->deb_until_ns[h];
	return due;
}

enum kerr gpio_debounce_settle(struct gpio *g, int64_t now_ns, struct gpio_event *ev, unsigned max,
                               unsigned *n)
{
	int64_t window = (int64_t)(g->cfg ? g->cfg->debounce_ms : 0) * 1000000;

	*n = 0;
	for (int h = 0; h < GPIO_LINES_MAX && *n < max; h++) {
		bool level;

		if (!g->deb_recheck[h] || g->deb_until_ns[h] > now_ns)
			continue;
		g->deb_recheck[h] = false;
		if (g->ops->get(g, h, &level) != KERR_OK || level == g->deb_level[h])
			continue;
		g->deb_level[h] = level;
		g->deb_until_ns[h] = now_ns + window;
		ev[(*n)++] = (struct gpio_event){.line = h, .active = level, .ts_ns = now_ns};
	}
	return KERR_OK;
}

bool gpio_events_lost(struct gpio *g)
{
	bool lost = g->lost;

	g->lost = false;
	return lost;
}

enum kerr gpio_reread(struct gpio *g, int handle, bool *active)
{
	enum kerr err;

	if (handle < 0 || handle >= GPIO_LINES_MAX)
		return KERR_RANGE;
	err = g->ops->get(g, handle, active);
	if (err)
		return err;
	g->deb_known[handle] = true;
	g->deb_level[handle] = *active;
	g->deb_recheck[handle] = false;
	return KERR_OK;
}

void gpio_close(struct gpio *g)
{
	if (g)
		g->ops->close(g);
}
