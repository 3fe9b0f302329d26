/*
 * Printing a job without blocking the event loop. A print port owns the
 * printer (printer.h) and runs one job at a time: it asks the printer's
 * status, writes the job's bytes as the port drains (POLLOUT, or a short
 * timer for a port with no fd), waits for the last byte to leave the port,
 * and asks the status again. The job counts as printed only if the printer
 * says it is ready after the last byte (or the board says status = none).
 *
 * A missing printer is looked for every PRINT_REOPEN_S; a job cut short
 * (timeout, I/O error, unplug) makes the next job start with a resync.
 * Steps and reasons: docs/printer.md §8.
 */
#ifndef KIOSK_PRINT_JOB_H
#define KIOSK_PRINT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"
#include "kiosk/printer.h"

#define PRINT_REOPEN_S         10   /* a missing printer: look again */
#define PRINT_TICK_MS          10   /* polling a port with no fd, or its output queue */
#define PRINT_UNKNOWN_RATE     4000 /* bytes/s assumed when the port has no baud (USB) */
#define PRINT_BUDGET_MARGIN_MS 5000

enum print_result {
	PRINT_PRINTED,
	PRINT_PAPER_OUT,
	PRINT_COVER_OPEN,
	PRINT_OFFLINE,   /* offline, or any printer error (cutter, head) */
	PRINT_NO_ANSWER, /* status unknown: no reply, or a reply that is no status byte */
	PRINT_TIMEOUT,   /* the printer stopped taking bytes within the job's budget */
	PRINT_IO,        /* the port failed; it is reopened */
	PRINT_UNPLUGGED, /* the device is gone; looked for every PRINT_REOPEN_S */
};

struct print_events {
	/* sent of total job bytes have gone to the port. Optional. */
	void (*progress)(struct print_events *e, size_t sent, size_t total);
	/* Once per job, always from the loop (never inside print_job_start()).
	 * sent < total, or sent > 0 with a failure: the paper may hold part of it. */
	void (*done)(struct print_events *e, enum print_result r, size_t sent, size_t total);
	/* What the printer answered, after each status round (before and after
	 * the job) it answered. Optional: paper near end is told here. */
	void (*status)(struct print_events *e, const struct escpos_status *s);
};

struct print_port;

/* Opens cfg's printer (printer_open(): a missing device is not fatal) on loop l.
 * KERR_NOTSUP for backend none; KERR_INVAL for settings; KERR_NOMEM. */
KIOSK_MUST_CHECK enum kerr print_port_open(const struct board_printer *cfg, struct loop *l,
                                           struct print_port **out);
/* Stops a running job without calling done, and closes the printer. */
void print_port_close(struct print_port *pp);

/*
 * Starts a job: copies data[len]; ev (caller-owned, valid until done) hears
 * the outcome. KERR_OK: done will be called once; KERR_BUSY while a job
 * runs; KERR_INVAL for an empty job; KERR_NOMEM.
 */
KIOSK_MUST_CHECK enum kerr print_job_start(struct print_port *pp, const uint8_t *data, size_t len,
                                           struct print_events *ev);
bool print_port_busy(const struct print_port *pp);
/* True when the next job starts with a resync (the last one was cut short). */
bool print_port_needs_resync(const struct print_port *pp);
/* The printer, for status screens and the sim's test controls. */
struct printer *print_port_printer(struct print_port *pp);

/* Time allowed for len bytes at bytes_per_s (0: PRINT_UNKNOWN_RATE):
 * ×1.5 + PRINT_BUDGET_MARGIN_MS, for buffering, feed and cut. */
int64_t print_job_budget_ms(size_t len, unsigned bytes_per_s);

/* "printed", "paper out", ...: for the journal and the log. */
const char *print_result_str(enum print_result r);

#endif
