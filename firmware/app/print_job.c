#include "kiosk/print_job.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/log.h"

/* Resync before the next job after one was cut short [docs/printer.md §8]:
 * NULs finish the command in progress (white dots inside a picture, nothing
 * outside one), DLE ENQ 2 clears an error and the buffers, ESC @ resets. */
static const uint8_t resync_tail[] = {0x10, 0x05, 0x02, 0x1B, 0x40};
/* A whole GS v 0 band at 576 dots: the most a cut-short picture can owe. */
#define MAX_BAND (8 + (ESCPOS_WIDTH_80MM / 8) * ESCPOS_BAND_ROWS)

enum state {
	S_IDLE,
	S_RESYNC,       /* sending the resync bytes */
	S_RESYNC_DRAIN, /* waiting for them to leave the port */
	S_STATUS_BEFORE,
	S_SEND,
	S_DRAIN, /* the last job byte is queued; waiting for it to leave the port */
	S_STATUS_AFTER,
	S_DONE, /* done is due from the loop */
};

struct print_port {
	struct printer *p;
	struct loop *loop;
	const struct board_printer *cfg;
	struct loop_fd w;
	struct loop_timer tick;   /* polling: no fd, output queue, status reply */
	struct loop_timer limit;  /* the job's budget, or the status timeout */
	struct loop_timer reopen; /* missing printer */
	struct loop_timer finish; /* calls done from the loop */
	enum state st;
	struct print_events *ev;
	uint8_t *job, *pre;
	size_t len, sent, pre_len, pre_sent;
	bool need_resync;
	size_t resync_gap;
	/* The status round: DLE EOT 1, 2 and 4, one reply each. */
	unsigned ki;
	struct escpos_status got;
	bool garbage;
	bool trust_logged;
	enum print_result result;
};

static const enum escpos_status_kind kinds[] = {
    ESCPOS_STATUS_PRINTER,
    ESCPOS_STATUS_OFFLINE,
    ESCPOS_STATUS_PAPER,
};

static void step(struct print_port *pp);

const char *print_result_str(enum print_result r)
{
	switch (r) {
	case PRINT_PRINTED:
		return "printed";
	case PRINT_PAPER_OUT:
		return "paper out";
	case PRINT_COVER_OPEN:
		return "cover open";
	case PRINT_OFFLINE:
		return "printer offline or in error";
	case PRINT_NO_ANSWER:
		return "printer did not answer its status";
	case PRINT_TIMEOUT:
		return "printer stopped taking data (timeout)";
	case PRINT_IO:
		return "printer I/O error";
	case PRINT_UNPLUGGED:
		return "printer not connected";
	}
	return "?";
}

int64_t print_job_budget_ms(size_t len, unsigned bytes_per_s)
{
	int64_t rate = bytes_per_s ? bytes_per_s : PRINT_UNKNOWN_RATE;
	int64_t ms = ((int64_t)len * 1000 + rate - 1) / rate;

	/* ×1.5: the printer pauses to print and feed, and a UART is never quite
	 * flat out; + 5 s for the cut and the last lines. */
	return ms * 3 / 2 + PRINT_BUDGET_MARGIN_MS;
}

static bool trust_write(const struct print_port *pp)
{
	return strcmp(pp->cfg->status, "none") == 0 ||
	       (!pp->p->ops->status_query && !pp->p->ops->status_now);
}

static void unwatch(struct print_port *pp)
{
	if (pp->w.added)
		loop_del_fd(pp->loop, &pp->w);
	loop_timer_disarm(pp->loop, &pp->tick);
}

/* Wakes step() when the port can take bytes (events POLLOUT) or has a reply
 * (POLLIN); a port without fd, or waiting on its queue, is polled instead. */
static void wait_for(struct print_port *pp, short events)
{
	int fd = pp->p->ops->fd(pp->p);

	unwatch(pp);
	if (fd >= 0 && events) {
		pp->w.fd = fd;
		pp->w.events = events;
		if (loop_add_fd(pp->loop, &pp->w) == KERR_OK)
			return;
	}
	loop_timer_arm(pp->loop, &pp->tick, PRINT_TICK_MS * NS_PER_MS);
}

static void arm_reopen(struct print_port *pp)
{
	if (!printer_present(pp->p) && !loop_timer_armed(&pp->reopen))
		loop_timer_arm(pp->loop, &pp->reopen, PRINT_REOPEN_S * NS_PER_S);
}

static void finish(struct print_port *pp, enum print_result r)
{
	unwatch(pp);
	loop_timer_disarm(pp->loop, &pp->limit);
	pp->result = r;
	pp->st = S_DONE;
	if (r == PRINT_PRINTED)
		log_info("printer %s: job of %zu bytes printed", pp->cfg->device, pp->len);
	else
		log_err("printer %s: job failed after %zu of %zu bytes: %s", pp->cfg->device,
		        pp->sent, pp->len, print_result_str(r));
	arm_reopen(pp);
	loop_timer_arm(pp->loop, &pp->finish, 0);
}

static void on_finish(struct loop_timer *t)
{
	struct print_port *pp = container_of(t, struct print_port, finish);
	struct print_events *ev = pp->ev;
	size_t sent = pp->sent, total = pp->len;

	free(pp->job);
	free(pp->pre);
	pp->job = pp->pre = NULL;
	pp->ev = NULL;
	pp->st = S_IDLE;
	/* Last: done may start the next job. */
	ev->done(ev, pp->result, sent, total);
}

/* A job cut short: what the printer may still be waiting for. */
static void mark_cut_short(struct print_port *pp)
{
	size_t rem, queued = pp->p->ops->pending(pp->p);

	if (pp->st == S_RESYNC || pp->st == S_RESYNC_DRAIN) {
		/* The resync itself was cut short: it is sent whole next time. */
		pp->need_resync = true;
		return;
	}
	if (pp->st != S_SEND && pp->st != S_DRAIN)
		return;
	rem = escpos_cmd_remaining(pp->job, pp->len, pp->sent);
	if (rem > MAX_BAND)
		rem = MAX_BAND;
	/* Bytes still queued in the port may or may not reach the printer. */
	pp->resync_gap = rem + queued;
	pp->need_resync = true;
}

/* The reason a stopped printer gives at once, if its port can say. */
static enum print_result reason(struct print_port *pp, enum print_result fallback)
{
	struct escpos_status s = {0};

	if (!pp->p->ops->status_now || pp->p->ops->status_now(pp->p, &s) || !s.known)
		return fallback;
	if (s.paper_end)
		return PRINT_PAPER_OUT;
	if (s.cover_open)
		return PRINT_COVER_OPEN;
	if (s.offline || s.error)
		return PRINT_OFFLINE;
	return fallback;
}

static void fail_io(struct print_port *pp)
{
	mark_cut_short(pp);
	unwatch(pp);
	printer_drop(pp->p);
	/* Still there after a reopen: an I/O error. Gone: unplugged. */
	finish(pp, printer_reopen(pp->p) == KERR_OK ? PRINT_IO : PRINT_UNPLUGGED);
}

static void fail_offline(struct print_port *pp)
{
	mark_cut_short(pp);
	finish(pp, reason(pp, PRINT_OFFLINE));
}

static void on_limit(struct loop_timer *t)
{
	struct print_port *pp = container_of(t, struct print_port, limit);

	if (pp->st == S_STATUS_BEFORE || pp->st == S_STATUS_AFTER) {
		log_err("printer %s: no status answer within %u ms%s", pp->cfg->device,
		        pp->cfg->status_timeout_ms,
		        pp->garbage
		            ? " (only bytes that are no status reply: check the baud rate)"
		            : "; a printer without a wire back needs status = none in [printer]");
		finish(pp, PRINT_NO_ANSWER);
		return;
	}
	mark_cut_short(pp);
	finish(pp, reason(pp, PRINT_TIMEOUT));
}

static void status_begin(struct print_port *pp, enum state st)
{
	pp->st = st;
	pp->ki = 0;
	pp->got = (struct escpos_status){0};
	pp->garbage = false;
	loop_timer_arm(pp->loop, &pp->limit, (int64_t)pp->cfg->status_timeout_ms * NS_PER_MS);
}

static void send_begin(struct print_port *pp, enum state st, size_t len)
{
	pp->st = st;
	loop_timer_arm(pp->loop, &pp->limit,
	               print_job_budget_ms(len, pp->p->ops->bytes_per_s(pp->p)) * NS_PER_MS);
}

/* Status verdict: the next state, or the job's end. */
static void status_done(struct print_port *pp)
{
	const struct escpos_status *s = &pp->got;
	bool after = pp->st == S_STATUS_AFTER;

	loop_timer_disarm(pp->loop, &pp->limit);
	if (s->known && pp->ev && pp->ev->status)
		pp->ev->status(pp->ev, s);
	if (s->paper_near_end && !s->paper_end)
		log_warn("printer %s: %s", pp->cfg->device, escpos_status_str(s));
	if (!escpos_status_ready(s)) {
		log_err("printer %s: %s (%s the job)", pp->cfg->device, escpos_status_str(s),
		        after ? "after" : "before");
		finish(pp, !s->known       ? PRINT_NO_ANSWER
		           : s->paper_end  ? PRINT_PAPER_OUT
		           : s->cover_open ? PRINT_COVER_OPEN
		                           : PRINT_OFFLINE);
		return;
	}
	if (after) {
		finish(pp, PRINT_PRINTED);
		return;
	}
	send_begin(pp, S_SEND, pp->len);
	step(pp);
}

/* One step of a status round; returns when it must wait. */
static void status_step(struct print_port *pp)
{
	struct printer *p = pp->p;
	enum kerr err;
	uint8_t b;

	if (trust_write(pp)) {
		if (!pp->trust_logged)
			log_notice(
			    "printer %s: status = none: a job written whole counts as printed",
			    pp->cfg->device);
		pp->trust_logged = true;
		pp->got = (struct escpos_status){.known = true};
		status_done(pp);
		return;
	}
	if (!p->ops->status_query) {
		err = p->ops->status_now(p, &pp->got);
		if (err == KERR_IO) {
			fail_io(pp);
			return;
		}
		if (err)
			pp->got.known = false;
		status_done(pp);
		return;
	}
	for (;;) {
		/* Ask for the next byte once the last one is in. */
		if (pp->ki % 2 == 0) {
			if (pp->ki / 2 == ARRAY_SIZE(kinds)) {
				status_done(pp);
				return;
			}
			if (p->ops->status_query(p, kinds[pp->ki / 2])) {
				fail_io(pp);
				return;
			}
			pp->ki++;
		}
		err = p->ops->status_read(p, &b);
		if (err == KERR_BUSY) {
			wait_for(pp, POLLIN);
			return;
		}
		if (err) {
			fail_io(pp);
			return;
		}
		/* Untrusted: a byte with the wrong fixed bits is no answer at all. */
		if (escpos_status_decode(kinds[pp->ki / 2], b, &pp->got) == KERR_PROTO) {
			if (!pp->garbage)
				log_warn("printer %s: 0x%02x is no answer to DLE EOT %d",
				         pp->cfg->device, b, (int)kinds[pp->ki / 2]);
			pp->garbage = true;
			/* Ask again: noise may pass; the status timeout ends it. */
			pp->ki--;
			wait_for(pp, 0);
			return;
		}
		pp->ki++;
	}
}

/* Writes what the port takes now; true when all of buf is sent. */
static bool pump(struct print_port *pp, const uint8_t *buf, size_t len, size_t *sent)
{
	while (*sent < len) {
		size_t done = 0;
		enum kerr err = pp->p->ops->write_some(pp->p, buf + *sent, len - *sent, &done);

		if (err == KERR_OFFLINE) {
			fail_offline(pp);
			return false;
		}
		if (err) {
			fail_io(pp);
			return false;
		}
		if (!done) {
			wait_for(pp, POLLOUT);
			return false;
		}
		*sent += done;
		if (buf == pp->job && pp->ev->progress)
			pp->ev->progress(pp->ev, *sent, len);
	}
	return true;
}

static void step(struct print_port *pp)
{
	switch (pp->st) {
	case S_RESYNC:
		if (!pump(pp, pp->pre, pp->pre_len, &pp->pre_sent))
			return;
		pp->st = S_RESYNC_DRAIN;
		KIOSK_FALLTHROUGH;
	case S_RESYNC_DRAIN:
		if (pp->p->ops->pending(pp->p)) {
			wait_for(pp, 0);
			return;
		}
		loop_timer_disarm(pp->loop, &pp->limit);
		pp->need_resync = false;
		pp->resync_gap = 0;
		log_notice("printer %s: resynchronised after a job cut short", pp->cfg->device);
		status_begin(pp, S_STATUS_BEFORE);
		status_step(pp);
		return;
	case S_STATUS_BEFORE:
	case S_STATUS_AFTER:
		status_step(pp);
		return;
	case S_SEND:
		if (!pump(pp, pp->job, pp->len, &pp->sent))
			return;
		pp->st = S_DRAIN;
		KIOSK_FALLTHROUGH;
	case S_DRAIN:
		/* "After the last byte" means after it left the port, not the buffer. */
		if (pp->p->ops->pending(pp->p)) {
			wait_for(pp, 0);
			return;
		}
		unwatch(pp);
		status_begin(pp, S_STATUS_AFTER);
		status_step(pp);
		return;
	case S_IDLE:
	case S_DONE:
		return;
	}
}

static void on_fd(struct loop_fd *w, short revents)
{
	struct print_port *pp = container_of(w, struct print_port, w);

	if ((revents & (POLLERR | POLLHUP | POLLNVAL)) && !(revents & (POLLOUT | POLLIN))) {
		log_err("printer %s: device gone (unplugged?)", pp->cfg->device);
		fail_io(pp);
		return;
	}
	unwatch(pp);
	step(pp);
}

static void on_tick(struct loop_timer *t)
{
	step(container_of(t, struct print_port, tick));
}

static void on_reopen(struct loop_timer *t)
{
	struct print_port *pp = container_of(t, struct print_port, reopen);

	if (printer_present(pp->p) || pp->st != S_IDLE)
		return;
	if (printer_reopen(pp->p) != KERR_OK)
		arm_reopen(pp);
}

static enum kerr resync_prepare(struct print_port *pp)
{
	pp->pre_len = pp->resync_gap + sizeof(resync_tail);
	pp->pre = calloc(1, pp->pre_len);
	if (!pp->pre)
		return KERR_NOMEM;
	memcpy(pp->pre + pp->resync_gap, resync_tail, sizeof(resync_tail));
	pp->pre_sent = 0;
	return KERR_OK;
}

enum kerr print_job_start(struct print_port *pp, const uint8_t *data, size_t len,
                          struct print_events *ev)
{
	if (pp->st != S_IDLE)
		return KERR_BUSY;
	if (!len || !ev || !ev->done)
		return KERR_INVAL;
	pp->job = malloc(len);
	if (!pp->job)
		return KERR_NOMEM;
	memcpy(pp->job, data, len);
	pp->len = len;
	pp->sent = 0;
	pp->ev = ev;
	pp->result = PRINT_PRINTED;
	if (!printer_present(pp->p)) {
		loop_timer_disarm(pp->loop, &pp->reopen);
		if (printer_reopen(pp->p) != KERR_OK) {
			pp->st = S_STATUS_BEFORE; /* not started: no resync owed */
			finish(pp, PRINT_UNPLUGGED);
			return KERR_OK;
		}
	}
	if (pp->need_resync) {
		if (resync_prepare(pp)) {
			free(pp->job);
			pp->job = NULL;
			pp->ev = NULL;
			return KERR_NOMEM;
		}
		send_begin(pp, S_RESYNC, pp->pre_len);
		step(pp);
		return KERR_OK;
	}
	status_begin(pp, S_STATUS_BEFORE);
	status_step(pp);
	return KERR_OK;
}

bool print_port_busy(const struct print_port *pp)
{
	return pp->st != S_IDLE;
}

bool print_port_needs_resync(const struct print_port *pp)
{
	return pp->need_resync;
}

struct printer *print_port_printer(struct print_port *pp)
{
	return pp->p;
}

enum kerr print_port_open(const struct board_printer *cfg, struct loop *l, struct print_port **out)
{
	struct print_port *pp;
	enum kerr err;

	*out = NULL;
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return KERR_NOMEM;
	err = printer_open(cfg, &pp->p);
	if (err) {
		free(pp);
		return err;
	}
	pp->loop = l;
	pp->cfg = cfg;
	pp->w.fd = -1;
	pp->w.handle = on_fd;
	pp->tick.handle = on_tick;
	pp->limit.handle = on_limit;
	pp->reopen.handle = on_reopen;
	pp->finish.handle = on_finish;
	arm_reopen(pp);
	*out = pp;
	return KERR_OK;
}

void print_port_close(struct print_port *pp)
{
	if (!pp)
		return;
	unwatch(pp);
	loop_timer_disarm(pp->loop, &pp->limit);
	loop_timer_disarm(pp->loop, &pp->reopen);
	loop_timer_disarm(pp->loop, &pp->finish);
	free(pp->job);
	free(pp->pre);
	printer_close(pp->p);
	free(pp);
}
