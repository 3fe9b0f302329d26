/*
 * The simulated display: every blit becomes a PNG snapshot in the board's
 * display folder (frame-NNNN.png and latest.png), and, when the board asks,
 * a terminal view drawn with half-block characters in true black and white
 * so a phone can scan the QR code from the terminal.
 */
#ifndef KIOSK_DISPLAY_SIM_H
#define KIOSK_DISPLAY_SIM_H

#include <stdio.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/display.h"
#include "kiosk/kerr.h"

/* Writes c as an 8-bit RGB PNG (atomically: temporary file, then rename). */
KIOSK_MUST_CHECK enum kerr display_sim_write_png(const struct canvas *c, const char *path);

/* Reads a PNG into a new XRGB8888 canvas (tests compare frames with it). */
KIOSK_MUST_CHECK enum kerr display_sim_read_png(const char *path, struct canvas **out);

/* Draws c in a terminal: two pixel rows per line, `step` pixels per cell. */
void display_sim_terminal(const struct canvas *c, FILE *f, int step);

/* Frames written so far, and the path of the last one. */
unsigned display_sim_frames(const struct display *d);
const char *display_sim_last_png(const struct display *d);

#endif
