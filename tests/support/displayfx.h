/*
 * Canvases for the display and printer tests, built here rather than with
 * the ui layer's canvas.c so that drivers are checked against an
 * independent reading of canvas.h, and the inverse of a panel rotation.
 */
#ifndef KIOSK_TEST_DISPLAYFX_H
#define KIOSK_TEST_DISPLAYFX_H

#include <stdbool.h>

#include "kiosk/board.h"
#include "kiosk/canvas.h"

/* A board's display section for a recorder: backend at w×h turned by rot, device "rec". */
struct board_display displayfx_board(const char *backend, int w, int h, unsigned rot);

/* A zeroed canvas of w×h in fmt with the tightest stride; free with displayfx_canvas_free(). */
struct canvas *displayfx_canvas_or_fail(enum canvas_format fmt, int w, int h);
void displayfx_canvas_free(struct canvas *c);

/* Whether MONO1 pixel (x, y) is set, i.e. dark. */
bool displayfx_dark(const struct canvas *c, int x, int y);

/*
 * Copies old's pixels outside keep into c (same format and size): what a
 * panel holds when it showed old and was then sent only keep of c.
 */
void displayfx_keep_outside(struct canvas *c, const struct canvas *old, struct rect keep);

/*
 * Which canvas pixel (x, y) belongs at pixel (px, py) of a pw×ph panel when
 * the canvas is turned rot degrees clockwise onto it; written apart from the
 * drivers' own mapping so a test does not check a driver against itself.
 */
void displayfx_panel_to_canvas(unsigned rot, int pw, int ph, int px, int py, int *x, int *y);

#endif
