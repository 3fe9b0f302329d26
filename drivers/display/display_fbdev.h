/*
 * fbdev internals exposed for tests: the pixel path works on a description
 * of the framebuffer and any destination memory, so a temp file can stand
 * in for /dev/fbN. Only drivers/display, firmware/app and tests include this.
 */
#ifndef KIOSK_DISPLAY_FBDEV_H
#define KIOSK_DISPLAY_FBDEV_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/canvas.h"
#include "kiosk/compiler.h"
#include "kiosk/display.h"
#include "kiosk/kerr.h"

/* One colour channel inside a pixel value, as struct fb_bitfield. */
struct fbdev_field {
	unsigned offset, length;
};

/* What FBIOGET_VSCREENINFO/FSCREENINFO report, reduced to what drawing needs. */
struct fbdev_layout {
	unsigned bpp; /* 16, 24 or 32 */
	struct fbdev_field red, green, blue;
	unsigned xres, yres;       /* visible panel pixels */
	unsigned xoffset, yoffset; /* visible area inside the buffer */
	size_t line_length;        /* bytes per buffer row (stride) */
	size_t smem_len;           /* bytes of mapped memory */
};

/* KERR_OK if l can be drawn: supported depth, channels inside the pixel and at
 * most 8 bits, the visible area inside smem_len; KERR_NOTSUP or KERR_RANGE
 * otherwise (logged, naming what the kernel reported). */
KIOSK_MUST_CHECK enum kerr fbdev_layout_check(const struct fbdev_layout *l);

/*
 * Converts the canvas rectangle dirty (canvas coordinates; clipped) into the
 * framebuffer memory dst (smem_len bytes) described by l, the canvas turned
 * rot degrees clockwise onto the panel. The canvas must be xres×yres (yres×xres
 * for 90/270): KERR_RANGE otherwise. Pixel values are stored little-endian,
 * the framebuffer byte order of every board we support (Pi, x86).
 */
KIOSK_MUST_CHECK enum kerr fbdev_draw(const struct fbdev_layout *l, unsigned rot, uint8_t *dst,
                                      const struct canvas *c, struct rect dirty);

/*
 * display_fbdev_open() with the layout given instead of asked from the kernel:
 * maps l->smem_len bytes of fd (a regular file in tests). Takes fd over, also
 * on failure. *out = NULL on failure: KERR_NOTSUP/KERR_RANGE (layout),
 * KERR_IO (mmap), KERR_NOMEM.
 */
KIOSK_MUST_CHECK enum kerr display_fbdev_open_fd(const struct board_display *cfg, int fd,
                                                 const struct fbdev_layout *l,
                                                 struct display **out);

#endif
