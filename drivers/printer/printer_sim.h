/*
 * Test controls of the sim printer (firmware/app and tests only). The sim
 * appends every byte it is sent (jobs and DLE EOT queries) to the file named
 * by the board's printer device, where tests decode them.
 *
 * Unpaced (the default, for the demo) it takes every byte at once. Paced, it
 * models a serial printer: bytes leave a PRINTER_SIM_BUFFER-byte buffer at
 * baud / 10 per second of the given clock, a fault happens at an exact byte,
 * a stopped printer (paper out, cover open) stops taking bytes, and DLE EOT
 * is answered when the query reaches the printer, behind the data before it.
 */
#ifndef KIOSK_PRINTER_SIM_H
#define KIOSK_PRINTER_SIM_H

#include <stdint.h>

#include "kiosk/clock.h"
#include "kiosk/escpos.h"
#include "kiosk/printer.h"

#define PRINTER_SIM_BUFFER 4096 /* tty queue plus the printer's receive buffer */

enum printer_sim_fault {
	PRINTER_SIM_PAPER_NEAR_END_AT,
	PRINTER_SIM_PAPER_OUT_AT,
	PRINTER_SIM_COVER_OPEN_AT,
	PRINTER_SIM_UNPLUG_AT, /* device gone: writes fail, reopen fails until printer_sim_plug() */
	PRINTER_SIM_FAULTS
};

enum printer_sim_replies {
	PRINTER_SIM_REPLY_STATUS,  /* the status byte a real printer sends (default) */
	PRINTER_SIM_REPLY_NONE,    /* no return line */
	PRINTER_SIM_REPLY_GARBAGE, /* 0xFF: a wrong baud rate or line noise */
};

/* What the sim's status answers from now on (default: known and ready). While
 * paper_end, cover_open, offline or error is set, writes fail with KERR_OFFLINE
 * when unpaced (and the paced sim stops taking bytes); with known = false
 * status times out. p must be a sim printer. */
void printer_sim_set_status(struct printer *p, const struct escpos_status *st);

/* Paces the sim by clock (borrowed) at baud (8N1: baud / 10 bytes per second). */
void printer_sim_pace(struct printer *p, const struct clock *clock, unsigned baud);
/* Makes fault f happen once the printer has consumed `after` more bytes (0: now). */
void printer_sim_set_fault(struct printer *p, enum printer_sim_fault f, uint64_t after);
/* Paper loaded, cover shut, no fault pending. */
void printer_sim_clear_faults(struct printer *p);
/* Plugged back in: printer_reopen() finds it again; it starts fresh (buffer empty). */
void printer_sim_plug(struct printer *p);
void printer_sim_set_replies(struct printer *p, enum printer_sim_replies r);
/* Bytes the printer has consumed (printed or obeyed) since it was opened. */
uint64_t printer_sim_consumed(struct printer *p);
/* DLE EOT queries the printer has received. */
unsigned printer_sim_queries(struct printer *p);

#endif
