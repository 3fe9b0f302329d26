#include "printer_sim.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/log.h"
#include "printer_backend.h"

#define SIM_QUERIES 8
#define NO_FAULT    UINT64_MAX

struct sim_printer {
	struct printer base;
	int fd; /* the output file; -1 while unplugged */
	struct escpos_status st;
	bool unplugged;
	enum printer_sim_replies replies;
	/* Pacing: 0 rate = unpaced. */
	const struct clock *clock;
	unsigned rate; /* bytes per second */
	int64_t last_ns;
	size_t queue; /* bytes taken but not yet consumed */
	uint64_t accepted, consumed;
	uint64_t fault_at[PRINTER_SIM_FAULTS];
	/* Queries in flight: answered once consumed reaches their end. */
	struct {
		uint64_t pos;
		uint8_t n;
	} q[SIM_QUERIES];
	unsigned nq, queries;
	uint8_t reply[SIM_QUERIES];
	unsigned nreply;
};

#define to_sim(p) container_of(p, struct sim_printer, base)

static bool stopped(const struct sim_printer *s)
{
	return s->unplugged || s->st.paper_end || s->st.cover_open || s->st.offline || s->st.error;
}

/* The byte a real printer answers to DLE EOT n [docs/printer.md §5]. */
static uint8_t status_byte(const struct sim_printer *s, uint8_t n)
{
	uint8_t b = 0x12;

	if (s->replies == PRINTER_SIM_REPLY_GARBAGE)
		return 0xFF;
	switch (n) {
	case 1:
		/* Paper end and an open cover take the printer offline too. */
		if (s->st.offline || s->st.paper_end || s->st.cover_open || s->st.error)
			b |= 0x08;
		break;
	case 2:
		b |= (s->st.cover_open ? 0x04 : 0) | (s->st.paper_end ? 0x20 : 0) |
		     (s->st.error ? 0x40 : 0);
		break;
	case 3:
		b |= s->st.error ? 0x20 : 0;
		break;
	default:
		b |= (s->st.paper_near_end || s->st.paper_end ? 0x0C : 0) |
		     (s->st.paper_end ? 0x60 : 0);
		break;
	}
	return b;
}

static void fault(struct sim_printer *s, enum printer_sim_fault f)
{
	s->fault_at[f] = NO_FAULT;
	switch (f) {
	case PRINTER_SIM_PAPER_NEAR_END_AT:
		s->st.paper_near_end = true;
		break;
	case PRINTER_SIM_PAPER_OUT_AT:
		s->st.paper_end = s->st.paper_near_end = true;
		break;
	case PRINTER_SIM_COVER_OPEN_AT:
		s->st.cover_open = true;
		break;
	default:
		/* Unplugged: what was in the buffer is lost with the printer. */
		s->unplugged = true;
		s->queue = 0;
		s->nq = s->nreply = 0;
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		s->base.present = false;
		break;
	}
}

static uint64_t next_fault(const struct sim_printer *s)
{
	uint64_t m = NO_FAULT;

	for (int f = 0; f < PRINTER_SIM_FAULTS; f++)
		if (s->fault_at[f] < m)
			m = s->fault_at[f];
	return m;
}

static void consume(struct sim_printer *s, uint64_t avail)
{
	for (;;) {
		uint64_t nf = next_fault(s), step;

		for (int f = 0; f < PRINTER_SIM_FAULTS; f++)
			if (s->fault_at[f] <= s->consumed)
				fault(s, (enum printer_sim_fault)f);
		if (!avail || !s->queue || stopped(s))
			break;
		nf = next_fault(s);
		step = avail < s->queue ? avail : s->queue;
		if (nf - s->consumed < step)
			step = nf - s->consumed;
		s->consumed += step;
		s->queue -= (size_t)step;
		avail -= step;
	}
	/* Real-time commands are obeyed when they arrive, even while stopped. */
	while (s->nq && s->q[0].pos <= s->consumed) {
		if (s->replies != PRINTER_SIM_REPLY_NONE && s->st.known && s->nreply < SIM_QUERIES)
			s->reply[s->nreply++] = status_byte(s, s->q[0].n);
		memmove(&s->q[0], &s->q[1], --s->nq * sizeof(s->q[0]));
	}
}

/* Moves the model to the clock's now. */
static void update(struct sim_printer *s)
{
	int64_t now;
	uint64_t avail;

	if (!s->rate) {
		consume(s, UINT64_MAX);
		return;
	}
	now = clock_mono_ns(s->clock);
	if (!s->queue || stopped(s)) {
		s->last_ns = now;
		consume(s, 0);
		return;
	}
	avail = (uint64_t)(now - s->last_ns) * s->rate / NS_PER_S;
	s->last_ns += (int64_t)(avail * NS_PER_S / s->rate);
	consume(s, avail);
}

static void record(struct sim_printer *s, const uint8_t *data, size_t len)
{
	/* The file is the paper: a short write there is the test host's problem. */
	if (write(s->fd, data, len) != (ssize_t)len)
		log_err("printer %s (sim): write failed: %s", s->base.cfg->device, strerror(errno));
	s->queue += len;
	s->accepted += len;
}

static enum kerr sim_write_some(struct printer *p, const uint8_t *data, size_t len, size_t *done)
{
	struct sim_printer *s = to_sim(p);
	uint64_t nf;
	size_t n = len;

	*done = 0;
	update(s);
	if (s->fd < 0) {
		log_err("printer %s (sim): unplugged", p->cfg->device);
		return KERR_IO;
	}
	if (s->rate) {
		n = s->queue < PRINTER_SIM_BUFFER ? PRINTER_SIM_BUFFER - s->queue : 0;
		n = n < len ? n : len;
	} else {
		if (!s->st.known || !escpos_status_ready(&s->st)) {
			log_err("printer %s (sim): %s", p->cfg->device, escpos_status_str(&s->st));
			return KERR_OFFLINE;
		}
		/* Unpaced, a job stops at its fault's byte, as a paced one would. */
		nf = next_fault(s);
		if (nf - s->consumed < n)
			n = (size_t)(nf - s->consumed);
	}
	if (n)
		record(s, data, n);
	*done = n;
	update(s);
	return KERR_OK;
}

static enum kerr sim_status(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	struct sim_printer *s = to_sim(p);

	(void)timeout_ms;
	update(s);
	if (s->fd < 0)
		return KERR_IO;
	if (!s->st.known)
		return KERR_TIMEOUT;
	*st = s->st;
	return KERR_OK;
}

static enum kerr sim_status_now(struct printer *p, struct escpos_status *st)
{
	return sim_status(p, 0, st);
}

static enum kerr sim_status_query(struct printer *p, enum escpos_status_kind n)
{
	struct sim_printer *s = to_sim(p);
	uint8_t b[3] = {0x10, 0x04, (uint8_t)n};

	update(s);
	if (s->fd < 0)
		return KERR_IO;
	if (s->nq == SIM_QUERIES)
		return KERR_BUSY;
	record(s, b, sizeof(b));
	/* A real-time command: it takes no room in the print buffer and is
	 * obeyed even by a stopped printer, once the line delivers it. */
	s->queue -= sizeof(b);
	s->q[s->nq].pos = s->consumed + s->queue;
	s->q[s->nq++].n = (uint8_t)n;
	s->queries++;
	update(s);
	return KERR_OK;
}

static enum kerr sim_status_read(struct printer *p, uint8_t *byte)
{
	struct sim_printer *s = to_sim(p);

	update(s);
	if (s->fd < 0)
		return KERR_IO;
	if (!s->nreply)
		return KERR_BUSY;
	*byte = s->reply[0];
	memmove(s->reply, s->reply + 1, --s->nreply);
	return KERR_OK;
}

static size_t sim_pending(struct printer *p)
{
	update(to_sim(p));
	return to_sim(p)->queue;
}

static int sim_fd(struct printer *p)
{
	(void)p;
	return -1; /* a file is always writable */
}

static void sim_drop(struct printer *p)
{
	struct sim_printer *s = to_sim(p);

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->queue = 0;
	s->nq = s->nreply = 0;
	p->present = false;
}

static enum kerr sim_reopen(struct printer *p)
{
	struct sim_printer *s = to_sim(p);

	sim_drop(p);
	if (s->unplugged)
		return KERR_IO;
	s->fd = open(p->cfg->device, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (s->fd < 0) {
		log_err("printer %s (sim): cannot open the output file: %s", p->cfg->device,
		        strerror(errno));
		return KERR_IO;
	}
	s->last_ns = s->rate ? clock_mono_ns(s->clock) : 0;
	p->present = true;
	return KERR_OK;
}

static void sim_close(struct printer *p)
{
	sim_drop(p);
	free(to_sim(p));
}

static unsigned sim_bytes_per_s(struct printer *p)
{
	return to_sim(p)->rate;
}

/* Both ways to ask: DLE EOT over the "line", and the panel at once (status_now). */
static const struct printer_ops printer_sim_ops = {
    .name = "sim",
    .write_some = sim_write_some,
    .status = sim_status,
    .fd = sim_fd,
    .close = sim_close,
    .status_query = sim_status_query,
    .status_read = sim_status_read,
    .status_now = sim_status_now,
    .pending = sim_pending,
    .reopen = sim_reopen,
    .drop = sim_drop,
    .bytes_per_s = sim_bytes_per_s,
};

static struct sim_printer *sim_of(struct printer *p)
{
	assert(p->ops == &printer_sim_ops);
	return to_sim(p);
}

void printer_sim_set_status(struct printer *p, const struct escpos_status *st)
{
	sim_of(p)->st = *st;
}

void printer_sim_pace(struct printer *p, const struct clock *clock, unsigned baud)
{
	struct sim_printer *s = sim_of(p);

	update(s);
	s->clock = clock;
	s->rate = baud / 10;
	s->last_ns = clock_mono_ns(clock);
}

void printer_sim_set_fault(struct printer *p, enum printer_sim_fault f, uint64_t after)
{
	struct sim_printer *s = sim_of(p);

	assert(f < PRINTER_SIM_FAULTS);
	update(s);
	s->fault_at[f] = s->consumed + after;
	update(s);
}

void printer_sim_clear_faults(struct printer *p)
{
	struct sim_printer *s = sim_of(p);

	update(s);
	for (int f = 0; f < PRINTER_SIM_FAULTS; f++)
		s->fault_at[f] = NO_FAULT;
	s->st = (struct escpos_status){.known = true};
	if (s->rate)
		s->last_ns = clock_mono_ns(s->clock);
}

void printer_sim_plug(struct printer *p)
{
	sim_of(p)->unplugged = false;
}

void printer_sim_set_replies(struct printer *p, enum printer_sim_replies r)
{
	sim_of(p)->replies = r;
}

uint64_t printer_sim_consumed(struct printer *p)
{
	update(sim_of(p));
	return to_sim(p)->consumed;
}

unsigned printer_sim_queries(struct printer *p)
{
	return sim_of(p)->queries;
}

enum kerr printer_sim_new(const struct board_printer *cfg, struct printer **out)
{
	struct sim_printer *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->fd = -1;
	s->st.known = true;
	for (int f = 0; f < PRINTER_SIM_FAULTS; f++)
		s->fault_at[f] = NO_FAULT;
	s->base.ops = &printer_sim_ops;
	s->base.cfg = cfg;
	*out = &s->base;
	return KERR_OK;
}

enum kerr printer_sim_open(const struct board_printer *cfg, struct printer **out)
{
	enum kerr err = printer_sim_new(cfg, out);

	if (!err)
		err = sim_reopen(*out);
	if (err && *out) {
		sim_close(*out);
		*out = NULL;
	}
	return err;
}
