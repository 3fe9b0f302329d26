/*
 * Test controls of the sim printer (firmware/app and tests only). The sim
 * appends every job's bytes to the file named by the board's printer device,
 * where tests decode them.
 */
#ifndef KIOSK_PRINTER_SIM_H
#define KIOSK_PRINTER_SIM_H

#include "kiosk/escpos.h"
#include "kiosk/printer.h"

/* What the sim's status answers from now on (default: known and ready). While
 * paper_end, cover_open, offline or error is set, writes fail with KERR_OFFLINE,
 * and with known = false status times out. p must be a sim printer. */
void printer_sim_set_status(struct printer *p, const struct escpos_status *st);

#endif
