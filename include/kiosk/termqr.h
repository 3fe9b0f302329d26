/*
 * A QR code drawn in a terminal with half-block characters and explicit
 * black/white colours, so a phone can scan it whatever the terminal's
 * theme: used by kioskctl (staff enrolment) and the simulator.
 */
#ifndef KIOSK_TERMQR_H
#define KIOSK_TERMQR_H

#include <stdio.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

/* Writes text as a QR (byte mode, ECC level M) to f. KERR_TOO_BIG if it cannot fit. */
KIOSK_MUST_CHECK enum kerr termqr_print(FILE *f, const char *text);

#endif
