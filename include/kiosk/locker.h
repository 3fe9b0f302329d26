/*
 * The locker bank: open compartment N = one lock pulse of the board's
 * length (capped at 3 s in code, ended by a loop timer, never left on),
 * then wait for the door sensor; no open within the timeout → one retry →
 * failure. One pulse at a time across the bank: further opens queue. A door
 * left open too long raises an alarm; a door that opens without a pulse is
 * reported as forced. Outcomes come back through callbacks: the caller
 * journals them (the locker touches no journal).
 */
#ifndef KIOSK_LOCKER_H
#define KIOSK_LOCKER_H

#include <stdbool.h>

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/gpio.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"

#define LOCKER_PULSE_CAP_MS 3000
#define LOCKER_QUEUE_MAX    16

struct locker;

struct locker_events {
	void (*opened)(struct locker_events *e, unsigned compartment);
	void (*failed)(struct locker_events *e, unsigned compartment, const char *why);
	void (*alarm)(struct locker_events *e, unsigned compartment);  /* door open too long */
	void (*forced)(struct locker_events *e, unsigned compartment); /* opened without a pulse */
	void (*closed)(struct locker_events *e, unsigned compartment);
	/* An edge on a line that is no door (a button): the gpio event fd is
	 * one per chip, so whoever reads it hands the other lines on. */
	void (*other_line)(struct locker_events *e, int line, bool active);
};

/*
 * Requests every lock line inactive first, then the door lines, and watches
 * the doors in the loop. gpio, loop, cfg and ev are borrowed.
 */
KIOSK_MUST_CHECK enum kerr locker_open(const struct board_lockers *cfg, struct gpio *gpio,
                                       struct loop *loop, struct locker_events *ev,
                                       struct locker **out);
/* De-energizes everything and stops watching. */
void locker_close(struct locker *l);

/* Queues an open of compartment n; KERR_NOTFOUND for no such compartment,
 * KERR_BUSY when the queue is full or n is already queued. */
KIOSK_MUST_CHECK enum kerr locker_request_open(struct locker *l, unsigned n);

/* Reads and handles pending door edges (the loop calls this; tests may too). */
void locker_poll(struct locker *l);

/* True while a pulse or a door wait is in progress. */
bool locker_busy(const struct locker *l);

#endif
