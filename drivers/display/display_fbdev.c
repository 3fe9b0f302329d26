#include "display_fbdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "display_panel.h"
#include "kiosk/log.h"

struct fbdev {
	struct display base;
	int fd;
	uint8_t *map;
	struct fbdev_layout l;
};

#define to_fbdev(d) container_of(d, struct fbdev, base)

static bool field_ok(const struct fbdev_field *f, unsigned bpp)
{
	return f->length >= 1 && f->length <= 8 && f->offset + f->length <= bpp;
}

enum kerr fbdev_layout_check(const struct fbdev_layout *l)
{
	size_t bytes = l->bpp / 8;

	if (l->bpp != 16 && l->bpp != 24 && l->bpp != 32) {
		log_err("fbdev: %u bits per pixel is not supported (16, 24 or 32 are); "
		        "set the framebuffer depth with fbset or the driver's overlay",
		        l->bpp);
		return KERR_NOTSUP;
	}
	if (!field_ok(&l->red, l->bpp) || !field_ok(&l->green, l->bpp) ||
	    !field_ok(&l->blue, l->bpp)) {
		log_err("fbdev: colour fields red %u/%u green %u/%u blue %u/%u do not fit %u bpp; "
		        "not a true-colour framebuffer",
		        l->red.offset, l->red.length, l->green.offset, l->green.length,
		        l->blue.offset, l->blue.length, l->bpp);
		return KERR_NOTSUP;
	}
	if (l->xres < 1 || l->yres < 1 || l->xres > CANVAS_MAX_SIDE || l->yres > CANVAS_MAX_SIDE) {
		log_err("fbdev: resolution %ux%u is outside 1..%d", l->xres, l->yres,
		        CANVAS_MAX_SIDE);
		return KERR_RANGE;
	}
	/* Every visible pixel must lie inside the mapping: overflow-safe in size_t
	 * because all factors are bounded by CANVAS_MAX_SIDE or checked here. */
	if (l->xoffset > CANVAS_MAX_SIDE || l->yoffset > 4 * CANVAS_MAX_SIDE ||
	    l->line_length < (size_t)(l->xoffset + l->xres) * bytes ||
	    l->line_length > SIZE_MAX / (4 * CANVAS_MAX_SIDE + CANVAS_MAX_SIDE) ||
	    l->line_length * (l->yoffset + l->yres) > l->smem_len) {
		log_err(
		    "fbdev: visible area %ux%u at +%u+%u with stride %zu does not fit %zu bytes",
		    l->xres, l->yres, l->xoffset, l->yoffset, l->line_length, l->smem_len);
		return KERR_RANGE;
	}
	return KERR_OK;
}

static uint32_t channel(uint32_t v8, const struct fbdev_field *f)
{
	return (v8 >> (8 - f->length)) << f->offset;
}

enum kerr fbdev_draw(const struct fbdev_layout *l, unsigned rot, uint8_t *dst,
                     const struct canvas *c, struct rect dirty)
{
	size_t bytes = l->bpp / 8;
	bool turned = rot == 90 || rot == 270;
	int pw = (int)l->xres, ph = (int)l->yres;
	int x, y, px, py;

	if (!panel_rotation_valid(rot))
		return KERR_RANGE;
	if (c->width != (turned ? ph : pw) || c->height != (turned ? pw : ph))
		return KERR_RANGE;
	if (!panel_clip(c, &dirty))
		return KERR_OK;
	for (y = dirty.y; y < dirty.y + dirty.h; y++) {
		for (x = dirty.x; x < dirty.x + dirty.w; x++) {
			uint32_t rgb = panel_canvas_rgb(c, x, y);
			uint32_t v = channel((rgb >> 16) & 0xFF, &l->red) |
			             channel((rgb >> 8) & 0xFF, &l->green) |
			             channel(rgb & 0xFF, &l->blue);
			uint8_t *p;
			size_t i;

			panel_map(rot, pw, ph, x, y, &px, &py);
			p = dst + (size_t)(py + (int)l->yoffset) * l->line_length +
			    (size_t)(px + (int)l->xoffset) * bytes;
			for (i = 0; i < bytes; i++)
				p[i] = (uint8_t)(v >> (8 * i));
		}
	}
	return KERR_OK;
}

static enum kerr fbdev_blit(struct display *d, const struct canvas *c, struct rect dirty)
{
	struct fbdev *fb = to_fbdev(d);

	return fbdev_draw(&fb->l, d->cfg->rotation, fb->map, c, dirty);
}

static enum kerr fbdev_set_power(struct display *d, bool on)
{
	struct fbdev *fb = to_fbdev(d);

	/* Drivers without blanking (many SPI fbtft ones) answer EINVAL: say so. */
	if (ioctl(fb->fd, FBIOBLANK, on ? FB_BLANK_UNBLANK : FB_BLANK_POWERDOWN) < 0) {
		if (errno == EINVAL || errno == ENOTTY)
			return KERR_NOTSUP;
		log_warn("fbdev %s: FBIOBLANK failed: %s", d->cfg->device, strerror(errno));
		return KERR_IO;
	}
	return KERR_OK;
}

static void fbdev_close(struct display *d)
{
	struct fbdev *fb;

	if (!d)
		return;
	fb = to_fbdev(d);
	munmap(fb->map, fb->l.smem_len);
	close(fb->fd);
	free(fb);
}

static const struct display_ops display_fbdev_ops = {
    .name = "fbdev",
    .blit = fbdev_blit,
    .set_power = fbdev_set_power,
    .close = fbdev_close,
};

enum kerr display_fbdev_open_fd(const struct board_display *cfg, int fd,
                                const struct fbdev_layout *l, struct display **out)
{
	struct fbdev *fb;
	enum kerr err;

	*out = NULL;
	err = panel_check_rotation(cfg);
	if (err)
		goto err_close_fd;
	err = fbdev_layout_check(l);
	if (err)
		goto err_close_fd;
	fb = calloc(1, sizeof(*fb));
	if (!fb) {
		err = KERR_NOMEM;
		goto err_close_fd;
	}
	fb->map = mmap(NULL, l->smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fb->map == MAP_FAILED) {
		log_err("fbdev %s: mmap of %zu bytes failed: %s", cfg->device, l->smem_len,
		        strerror(errno));
		err = KERR_IO;
		goto err_free_fb;
	}
	fb->fd = fd;
	fb->l = *l;
	panel_display_init(&fb->base, &display_fbdev_ops, cfg, (int)l->xres, (int)l->yres,
	                   l->bpp == 16 ? CANVAS_RGB565 : CANVAS_XRGB8888);
	*out = &fb->base;
	return KERR_OK;

err_free_fb:
	free(fb);
err_close_fd:
	close(fd);
	return err;
}

enum kerr display_fbdev_open(const struct board_display *cfg, struct display **out)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	struct fbdev_layout l;
	int fd;

	*out = NULL;
	fd = open(cfg->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		log_err("fbdev %s: cannot open: %s; check the board file's display device "
		        "(ls /sys/class/graphics) and that the kiosk user is in group video",
		        cfg->device, strerror(errno));
		return KERR_IO;
	}
	/* Under KMS there may be no fbdev emulation at all: a normal, named error. */
	if (ioctl(fd, FBIOGET_VSCREENINFO, &var) < 0 || ioctl(fd, FBIOGET_FSCREENINFO, &fix) < 0) {
		log_err("fbdev %s: not a framebuffer (%s); check the device name or enable "
		        "fbdev emulation for the panel's DRM driver",
		        cfg->device, strerror(errno));
		close(fd);
		return KERR_IO;
	}
	if (fix.visual != FB_VISUAL_TRUECOLOR && fix.visual != FB_VISUAL_DIRECTCOLOR) {
		log_err("fbdev %s: visual %u is not true colour; palette framebuffers are not "
		        "supported",
		        cfg->device, fix.visual);
		close(fd);
		return KERR_NOTSUP;
	}
	memset(&l, 0, sizeof(l));
	l.bpp = var.bits_per_pixel;
	l.red = (struct fbdev_field){var.red.offset, var.red.length};
	l.green = (struct fbdev_field){var.green.offset, var.green.length};
	l.blue = (struct fbdev_field){var.blue.offset, var.blue.length};
	l.xres = var.xres;
	l.yres = var.yres;
	l.xoffset = var.xoffset;
	l.yoffset = var.yoffset;
	l.line_length = fix.line_length;
	l.smem_len = fix.smem_len;
	if (var.red.msb_right || var.green.msb_right || var.blue.msb_right) {
		log_err("fbdev %s: bit-reversed colour fields are not supported", cfg->device);
		close(fd);
		return KERR_NOTSUP;
	}
	log_info("fbdev %s: %ux%u %u bpp, stride %zu, rotation %u", cfg->device, l.xres, l.yres,
	         l.bpp, l.line_length, cfg->rotation);
	return display_fbdev_open_fd(cfg, fd, &l, out);
}
