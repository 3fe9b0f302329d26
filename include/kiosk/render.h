/*
 * Drawing a screen off-line: sample data for every screen, so a co-op can
 * preview its panel (kioskctl render) and the tests can hold every screen
 * at every panel size to a reference image.
 */
#ifndef KIOSK_RENDER_H
#define KIOSK_RENDER_H

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/font.h"
#include "kiosk/kerr.h"
#include "kiosk/screen.h"

#define RENDER_URI_MAX 1024

/* The sample payment: 7.250 HIVE to "coop" with memo "KP-7QK3M2XD 감자". */
#define RENDER_SAMPLE_MEMO "KP-7QK3M2XD 감자"

/*
 * Fills m with sample data for screen id in lang; uri (RENDER_URI_MAX
 * bytes) receives the sample payment URI the model points at.
 */
KIOSK_MUST_CHECK enum kerr render_sample(enum screen_id id, enum site_lang lang,
                                         struct screen_model *m, char *uri);

/* The canvas format a panel of w×h takes: 1-bit for the small OLEDs. */
enum canvas_format render_format(int w, int h);

/*
 * Draws m on a new w×h canvas (caller frees). KERR_TOO_BIG from
 * screen_draw is passed on with the canvas drawn (the pay-by-hand text).
 */
KIOSK_MUST_CHECK enum kerr render_screen(struct font *f, const struct screen_model *m, int w, int h,
                                         struct canvas **out);

#endif
