#include "gpio_sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kiosk/log.h"

#define QUEUE_MAX 256
#define WIRES_MAX 64

struct sim_line {
	char name[BOARD_NAME_MAX];
	bool active_low, output, level, requested;
};

struct wire {
	int out, in;
	unsigned delay_ms, close_ms;
	int64_t due_ns;       /* 0 = nothing pending */
	int64_t close_due_ns; /* 0 = nothing pending */
};

struct sim_gpio {
	struct gpio base;
	const struct clock *clock;
	int efd;
	unsigned nlines;
	struct sim_line lines[GPIO_LINES_MAX];
	struct gpio_event queue[QUEUE_MAX];
	unsigned qlen;
	struct gpio_sim_change timeline[GPIO_SIM_TIMELINE_MAX];
	size_t tlen;
	struct wire wires[WIRES_MAX];
	unsigned nwires;
	unsigned fail_after;
	enum kerr fail_err;
	int trace_fd;                   /* -1 = none */
	void (*on_schedule)(void *arg); /* a wired change was scheduled */
	void *schedule_arg;
};

static struct sim_gpio *to_sim(const struct gpio *g)
{
	return container_of(g, struct sim_gpio, base);
}

static int find(const struct sim_gpio *s, const char *name)
{
	for (unsigned i = 0; i < s->nlines; i++)
		if (strcmp(s->lines[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void record(struct sim_gpio *s, int h, bool request)
{
	struct gpio_sim_change c;

	c.ts_ns = clock_mono_ns(s->clock);
	/* Same size, both NUL-ended (memcpy: the compiler cannot prove they do not overlap). */
	memcpy(c.name, s->lines[h].name, sizeof(c.name));
	c.logical = s->lines[h].level;
	c.physical = s->lines[h].level != s->lines[h].active_low;
	c.request = request;
	if (s->tlen < GPIO_SIM_TIMELINE_MAX)
		s->timeline[s->tlen++] = c;
	/* One write per change: a process killed at any moment leaves whole lines. */
	if (s->trace_fd >= 0) {
		char line[BOARD_NAME_MAX + 48];
		int n = snprintf(line, sizeof(line), "%lld %s %d %s\n", (long long)c.ts_ns, c.name,
		                 c.logical, request ? "request" : "set");

		if (n > 0 && write(s->trace_fd, line, (size_t)n) != n)
			log_warn("gpio sim: the trace could not be written");
	}
}

static enum kerr add_line(struct sim_gpio *s, const struct board_line *line, bool output,
                          int *handle)
{
	int h = find(s, line->name);

	*handle = -1;
	if (!board_line_used(line))
		return KERR_INVAL;
	if (h >= 0 && s->lines[h].requested)
		return KERR_BUSY; /* already requested: one owner per line */
	if (h < 0) {
		if (s->nlines >= GPIO_LINES_MAX)
			return KERR_TOO_BIG;
		h = (int)s->nlines++;
		snprintf(s->lines[h].name, sizeof(s->lines[h].name), "%s", line->name);
		s->lines[h].level = false;
	}
	s->lines[h].active_low = line->active_low;
	s->lines[h].output = output;
	s->lines[h].requested = true;
	if (output) {
		s->lines[h].level = false; /* requested inactive */
		record(s, h, true);
	}
	*handle = h;
	return KERR_OK;
}

static enum kerr sim_request_output(struct gpio *g, const struct board_line *line, int *handle)
{
	return add_line(to_sim(g), line, true, handle);
}

static enum kerr sim_request_input(struct gpio *g, const struct board_line *line, int *handle)
{
	return add_line(to_sim(g), line, false, handle);
}

static void push_event(struct sim_gpio *s, int h)
{
	uint64_t one = 1;

	if (s->qlen >= QUEUE_MAX) {
		/* Like the kernel's buffer: overflow drops edges, and says so. */
		s->base.lost = true;
		if (write(s->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			return;
		return;
	}
	s->queue[s->qlen++] = (struct gpio_event){h, s->lines[h].level, clock_mono_ns(s->clock)};
	if (write(s->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return;
}

static enum kerr sim_set(struct gpio *g, int handle, bool active)
{
	struct sim_gpio *s = to_sim(g);

	if (handle < 0 || (unsigned)handle >= s->nlines || !s->lines[handle].output)
		return KERR_INVAL;
	if (s->fail_after && --s->fail_after == 0)
		return s->fail_err;
	if (s->lines[handle].level == active)
		return KERR_OK;
	s->lines[handle].level = active;
	record(s, handle, false);
	for (unsigned i = 0; i < s->nwires; i++)
		if (s->wires[i].out == handle && active) {
			s->wires[i].due_ns =
			    clock_mono_ns(s->clock) + (int64_t)s->wires[i].delay_ms * 1000000;
			if (s->on_schedule)
				s->on_schedule(s->schedule_arg);
		}
	return KERR_OK;
}

static enum kerr sim_get(struct gpio *g, int handle, bool *active)
{
	struct sim_gpio *s = to_sim(g);

	*active = false;
	if (handle < 0 || (unsigned)handle >= s->nlines)
		return KERR_INVAL;
	*active = s->lines[handle].level;
	return KERR_OK;
}

static int sim_event_fd(struct gpio *g)
{
	return to_sim(g)->efd;
}

static enum kerr sim_read_events(struct gpio *g, struct gpio_event *ev, unsigned max, unsigned *n)
{
	struct sim_gpio *s = to_sim(g);
	uint64_t v;
	unsigned k = s->qlen < max ? s->qlen : max;

	if (read(s->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return KERR_IO;
	memcpy(ev, s->queue, k * sizeof(*ev));
	memmove(s->queue, s->queue + k, (s->qlen - k) * sizeof(*ev));
	s->qlen -= k;
	*n = k;
	return KERR_OK;
}

static void sim_close(struct gpio *g)
{
	struct sim_gpio *s = to_sim(g);

	for (unsigned i = 0; i < s->nlines; i++)
		if (s->lines[i].output && s->lines[i].level) {
			s->lines[i].level = false;
			record(s, (int)i, false);
		}
	close(s->efd);
	if (s->trace_fd >= 0)
		close(s->trace_fd);
	free(s);
}

static const struct gpio_ops gpio_sim_ops = {
    .name = "sim",
    .request_output = sim_request_output,
    .request_input = sim_request_input,
    .set = sim_set,
    .get = sim_get,
    .event_fd = sim_event_fd,
    .read_events = sim_read_events,
    .close = sim_close,
};

enum kerr gpio_sim_open(const struct board_gpio *cfg, const struct clock *clock, struct gpio **out)
{
	struct sim_gpio *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return KERR_NOMEM;
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd < 0) {
		free(s);
		return KERR_IO;
	}
	s->trace_fd = -1;
	if (cfg->sim_trace[0]) {
		s->trace_fd = open(cfg->sim_trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (s->trace_fd < 0) {
			log_err("gpio sim: cannot open the trace %s: %s", cfg->sim_trace,
			        strerror(errno));
			close(s->efd);
			free(s);
			return KERR_IO;
		}
	}
	s->base.ops = &gpio_sim_ops;
	s->base.cfg = cfg;
	s->clock = clock;
	*out = &s->base;
	return KERR_OK;
}

const struct gpio_sim_change *gpio_sim_timeline(const struct gpio *g, size_t *n)
{
	*n = to_sim(g)->tlen;
	return to_sim(g)->timeline;
}

enum kerr gpio_sim_set_input(struct gpio *g, const char *name, bool active)
{
	struct sim_gpio *s = to_sim(g);
	int h = find(s, name);

	if (h < 0) {
		if (s->nlines >= GPIO_LINES_MAX)
			return KERR_TOO_BIG;
		h = (int)s->nlines++;
		snprintf(s->lines[h].name, sizeof(s->lines[h].name), "%s", name);
	}
	if (s->lines[h].output)
		return KERR_INVAL;
	if (s->lines[h].level == active)
		return KERR_OK;
	s->lines[h].level = active;
	if (s->lines[h].requested)
		push_event(s, h);
	return KERR_OK;
}

enum kerr gpio_sim_wire(struct gpio *g, const char *out, const char *in, unsigned delay_ms,
                        unsigned close_ms)
{
	struct sim_gpio *s = to_sim(g);
	int o = find(s, out), i = find(s, in);

	if (o < 0 || i < 0)
		return KERR_NOTFOUND;
	if (s->nwires >= WIRES_MAX)
		return KERR_TOO_BIG;
	s->wires[s->nwires++] = (struct wire){o, i, delay_ms, close_ms, 0, 0};
	return KERR_OK;
}

void gpio_sim_tick(struct gpio *g)
{
	struct sim_gpio *s = to_sim(g);
	int64_t now = clock_mono_ns(s->clock);

	for (unsigned i = 0; i < s->nwires; i++) {
		struct wire *w = &s->wires[i];

		if (w->due_ns && w->due_ns <= now) {
			w->due_ns = 0;
			if (gpio_sim_set_input(g, s->lines[w->in].name, true) == KERR_OK &&
			    w->close_ms)
				w->close_due_ns = now + (int64_t)w->close_ms * 1000000;
		}
		if (w->close_due_ns && w->close_due_ns <= now) {
			w->close_due_ns = 0;
			if (gpio_sim_set_input(g, s->lines[w->in].name, false) != KERR_OK)
				continue;
		}
	}
}

int64_t gpio_sim_next_due(const struct gpio *g)
{
	const struct sim_gpio *s = to_sim(g);
	int64_t next = INT64_MAX;

	for (unsigned i = 0; i < s->nwires; i++) {
		if (s->wires[i].due_ns && s->wires[i].due_ns < next)
			next = s->wires[i].due_ns;
		if (s->wires[i].close_due_ns && s->wires[i].close_due_ns < next)
			next = s->wires[i].close_due_ns;
	}
	return next;
}

void gpio_sim_on_schedule(struct gpio *g, void (*fn)(void *arg), void *arg)
{
	to_sim(g)->on_schedule = fn;
	to_sim(g)->schedule_arg = arg;
}

void gpio_sim_fail_after(struct gpio *g, unsigned n, enum kerr err)
{
	to_sim(g)->fail_after = n;
	to_sim(g)->fail_err = err;
}

bool gpio_sim_level(const struct gpio *g, const char *name)
{
	const struct sim_gpio *s = to_sim(g);
	int h = find(s, name);

	return h >= 0 && s->lines[h].level;
}
