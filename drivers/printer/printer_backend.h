/*
 * Inside drivers/printer only: each backend's constructor without the open,
 * so printer_open() can keep a printer whose device is missing and open it
 * later with ops->reopen().
 */
#ifndef KIOSK_PRINTER_BACKEND_H
#define KIOSK_PRINTER_BACKEND_H

#include "kiosk/printer.h"

/* A printer with present = false; KERR_NOMEM, KERR_INVAL (settings). */
KIOSK_MUST_CHECK enum kerr printer_serial_new(const struct board_printer *cfg,
                                              struct printer **out);
KIOSK_MUST_CHECK enum kerr printer_usblp_new(const struct board_printer *cfg, struct printer **out);
KIOSK_MUST_CHECK enum kerr printer_sim_new(const struct board_printer *cfg, struct printer **out);

#endif
