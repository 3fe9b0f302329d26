/*
 * fbdev pixel path against a file-backed "framebuffer": every supported
 * format, padded strides, panning offsets and all four rotations, read back
 * pixel by pixel and compared with the canvas.
 */
#include "display/display_fbdev.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "displayfx.h"
#include "testutil.h"

#define PW 13 /* odd panel sides catch off-by-one in the rotations */
#define PH 7

/* Distinct colour per pixel; for RGB565 only the bits it keeps. */
static uint32_t pattern(int x, int y)
{
	uint32_t v = (uint32_t)(x * 73 + y * 151 + 17) * 2654435761u;

	return (v >> 8) & 0xFFFFFF;
}

static void fill_pattern(struct canvas *c)
{
	int x, y;

	for (y = 0; y < c->height; y++) {
		for (x = 0; x < c->width; x++) {
			uint32_t rgb = pattern(x, y);
			uint8_t *p = c->pixels + (size_t)y * c->stride;

			if (c->format == CANVAS_XRGB8888) {
				memcpy(p + 4 * x, &rgb, 4);
			} else if (c->format == CANVAS_RGB565) {
				uint16_t v =
				    (uint16_t)(((rgb >> 19) & 0x1F) << 11 |
				               ((rgb >> 10) & 0x3F) << 5 | ((rgb >> 3) & 0x1F));
				memcpy(p + 2 * x, &v, 2);
			} else if ((x + y) % 3 == 0) {
				p[x / 8] |= (uint8_t)(0x80 >> (x % 8));
			}
		}
	}
}

/* The canvas colour per channel and how many bits of it are significant
 * (RGB565 canvases carry 5/6/5 bits). */
static void canvas_channels(const struct canvas *c, int x, int y, unsigned ch[3], unsigned bits[3])
{
	const uint8_t *p = c->pixels + (size_t)y * c->stride;
	uint32_t v;
	uint16_t h;

	bits[0] = bits[1] = bits[2] = 8;
	if (c->format == CANVAS_XRGB8888) {
		memcpy(&v, p + 4 * x, 4);
	} else if (c->format == CANVAS_RGB565) {
		memcpy(&h, p + 2 * x, 2);
		ch[0] = h >> 11;
		ch[1] = (h >> 5) & 0x3F;
		ch[2] = h & 0x1F;
		bits[0] = bits[2] = 5;
		bits[1] = 6;
		return;
	} else {
		v = (p[x / 8] & (0x80 >> (x % 8))) ? 0 : 0xFFFFFF;
	}
	ch[0] = (v >> 16) & 0xFF;
	ch[1] = (v >> 8) & 0xFF;
	ch[2] = v & 0xFF;
}

/* Framebuffer channel fv (f.length bits) against canvas channel cv (cbits):
 * the bits both have must agree. */
static void assert_channel(unsigned fv, struct fbdev_field f, unsigned cv, unsigned cbits)
{
	unsigned n = f.length < cbits ? f.length : cbits;

	assert_int_equal(fv >> (f.length - n), cv >> (cbits - n));
}

static uint32_t fb_pixel(const uint8_t *mem, const struct fbdev_layout *l, int px, int py)
{
	const uint8_t *p =
	    mem + (py + l->yoffset) * l->line_length + (px + l->xoffset) * (l->bpp / 8);
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < l->bpp / 8; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static unsigned field(uint32_t v, struct fbdev_field f)
{
	return (v >> f.offset) & ((1u << f.length) - 1);
}

struct fb_file {
	char *dir;
	char path[4200];
	int fd;
	uint8_t *view; /* our own mapping, to read back */
};

static void fb_file_or_fail(struct fb_file *f, const struct fbdev_layout *l)
{
	f->dir = tmpdir_or_fail();
	snprintf(f->path, sizeof(f->path), "%s/fb", f->dir);
	f->fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(f->fd >= 0);
	assert_int_equal(ftruncate(f->fd, (off_t)l->smem_len), 0);
	f->view = mmap(NULL, l->smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	assert_true(f->view != MAP_FAILED);
	memset(f->view, 0xA5, l->smem_len); /* marks bytes the driver must not touch */
}

static void fb_file_done(struct fb_file *f, const struct fbdev_layout *l)
{
	munmap(f->view, l->smem_len);
	rm_rf(f->dir);
	free(f->dir);
}

static struct fbdev_layout layout(unsigned bpp, struct fbdev_field r, struct fbdev_field g,
                                  struct fbdev_field b, unsigned pad, unsigned xoff, unsigned yoff)
{
	struct fbdev_layout l = {
	    .bpp = bpp, .red = r, .green = g, .blue = b, .xres = PW, .yres = PH};

	l.xoffset = xoff;
	l.yoffset = yoff;
	l.line_length = (PW + xoff) * (bpp / 8) + pad;
	l.smem_len = l.line_length * (PH + yoff) + 64;
	return l;
}

/* The two usual layouts, RGB565 and XRGB8888, with padding and pan offsets as layout(). */
static struct fbdev_layout rgb565(unsigned pad, unsigned xoff, unsigned yoff)
{
	return layout(16, (struct fbdev_field){11, 5}, (struct fbdev_field){5, 6},
	              (struct fbdev_field){0, 5}, pad, xoff, yoff);
}

static struct fbdev_layout xrgb8888(unsigned pad, unsigned xoff, unsigned yoff)
{
	return layout(32, (struct fbdev_field){16, 8}, (struct fbdev_field){8, 8},
	              (struct fbdev_field){0, 8}, pad, xoff, yoff);
}

/* Blits dirty of a patterned canvas through the real backend and checks every
 * panel pixel: inside the mapped dirty area it equals the canvas, outside it
 * (and in stride padding) the file is untouched. */
static void check_blit(const struct fbdev_layout *l, unsigned rot, enum canvas_format fmt,
                       struct rect dirty)
{
	struct board_display cfg = {.backend = "fbdev", .device = "/dev/fb-test", .rotation = rot};
	bool turned = rot == 90 || rot == 270;
	struct display *d;
	struct canvas *c;
	struct fb_file f;
	int px, py, x, y;
	size_t i;

	fb_file_or_fail(&f, l);
	assert_int_equal(display_fbdev_open_fd(&cfg, dup(f.fd), l, &d), KERR_OK);
	assert_int_equal(d->width, turned ? PH : PW);
	assert_int_equal(d->height, turned ? PW : PH);
	assert_int_equal(d->format, l->bpp == 16 ? CANVAS_RGB565 : CANVAS_XRGB8888);
	c = displayfx_canvas_or_fail(fmt, d->width, d->height);
	fill_pattern(c);
	assert_int_equal(d->ops->blit(d, c, dirty), KERR_OK);

	for (py = 0; py < PH; py++) {
		for (px = 0; px < PW; px++) {
			uint32_t v = fb_pixel(f.view, l, px, py);
			bool inside;

			displayfx_panel_to_canvas(rot, PW, PH, px, py, &x, &y);
			assert_true(x >= 0 && x < c->width && y >= 0 && y < c->height);
			inside = x >= dirty.x && x < dirty.x + dirty.w && y >= dirty.y &&
			         y < dirty.y + dirty.h;
			if (inside) {
				unsigned ch[3], bits[3];

				canvas_channels(c, x, y, ch, bits);
				assert_channel(field(v, l->red), l->red, ch[0], bits[0]);
				assert_channel(field(v, l->green), l->green, ch[1], bits[1]);
				assert_channel(field(v, l->blue), l->blue, ch[2], bits[2]);
			} else {
				for (i = 0; i < l->bpp / 8; i++)
					assert_int_equal((v >> (8 * i)) & 0xFF, 0xA5);
			}
		}
	}
	/* Rows above the pan offset, stride padding and columns left of it stay. */
	for (i = 0; i < l->yoffset * l->line_length; i++)
		assert_int_equal(f.view[i], 0xA5);
	for (py = 0; py < PH; py++) {
		const uint8_t *row = f.view + (py + l->yoffset) * l->line_length;

		for (i = 0; i < l->xoffset * (l->bpp / 8); i++)
			assert_int_equal(row[i], 0xA5);
		for (i = (l->xoffset + PW) * (l->bpp / 8); i < l->line_length; i++)
			assert_int_equal(row[i], 0xA5);
	}
	d->ops->close(d);
	displayfx_canvas_free(c);
	close(f.fd);
	fb_file_done(&f, l);
}

static const unsigned rotations[] = {0, 90, 180, 270};

static void check_all_rotations(const struct fbdev_layout *l, enum canvas_format fmt)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rotations); i++) {
		bool turned = rotations[i] == 90 || rotations[i] == 270;
		struct rect full = {0, 0, turned ? PH : PW, turned ? PW : PH};

		check_blit(l, rotations[i], fmt, full);
		check_blit(l, rotations[i], fmt, (struct rect){2, 1, 3, 4});
	}
}

static void test_rgb565_framebuffer_matches_canvas_in_every_rotation(void **state)
{
	struct fbdev_layout l = rgb565(0, 0, 0);

	(void)state;
	check_all_rotations(&l, CANVAS_RGB565);
	check_all_rotations(&l, CANVAS_XRGB8888);
}

static void test_xrgb8888_framebuffer_matches_canvas_in_every_rotation(void **state)
{
	struct fbdev_layout l = xrgb8888(0, 0, 0);

	(void)state;
	check_all_rotations(&l, CANVAS_XRGB8888);
	check_all_rotations(&l, CANVAS_RGB565);
	check_all_rotations(&l, CANVAS_MONO1);
}

static void test_padded_stride_and_pan_offsets_are_honoured(void **state)
{
	struct fbdev_layout a = rgb565(38, 3, 2);
	struct fbdev_layout b = xrgb8888(20, 1, 5);

	(void)state;
	check_all_rotations(&a, CANVAS_RGB565);
	check_all_rotations(&b, CANVAS_XRGB8888);
}

static void test_pixels_follow_the_reported_bitfields_not_assumptions(void **state)
{
	/* BGR orders at 24 and 32 bpp, and a 16 bpp BGR565. */
	struct fbdev_layout bgr24 =
	    layout(24, (struct fbdev_field){0, 8}, (struct fbdev_field){8, 8},
	           (struct fbdev_field){16, 8}, 5, 2, 1);
	struct fbdev_layout xbgr =
	    layout(32, (struct fbdev_field){0, 8}, (struct fbdev_field){8, 8},
	           (struct fbdev_field){16, 8}, 0, 0, 0);
	struct fbdev_layout bgr565 =
	    layout(16, (struct fbdev_field){0, 5}, (struct fbdev_field){5, 6},
	           (struct fbdev_field){11, 5}, 2, 0, 0);

	(void)state;
	check_all_rotations(&bgr24, CANVAS_XRGB8888);
	check_all_rotations(&xbgr, CANVAS_XRGB8888);
	check_all_rotations(&bgr565, CANVAS_RGB565);
}

static void test_known_pixel_lands_where_the_rotation_puts_it(void **state)
{
	/* Independent of the helpers above: canvas top-left red, RGB565 panel. */
	struct fbdev_layout l = rgb565(0, 0, 0);
	static const struct {
		unsigned rot;
		int px, py;
	} want[] = {
	    {0, 0, 0},
	    {90, PW - 1, 0},
	    {180, PW - 1, PH - 1},
	    {270, 0, PH - 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		bool turned = want[i].rot == 90 || want[i].rot == 270;
		struct canvas *c =
		    displayfx_canvas_or_fail(CANVAS_XRGB8888, turned ? PH : PW, turned ? PW : PH);
		uint32_t red = 0xFF0000;
		uint8_t *mem = calloc(1, l.smem_len);

		assert_non_null(mem);
		memcpy(c->pixels, &red, 4);
		assert_int_equal(
		    fbdev_draw(&l, want[i].rot, mem, c, (struct rect){0, 0, c->width, c->height}),
		    KERR_OK);
		assert_int_equal(fb_pixel(mem, &l, want[i].px, want[i].py), 0xF800);
		free(mem);
		displayfx_canvas_free(c);
	}
}

static void test_dirty_rect_outside_canvas_is_clipped(void **state)
{
	struct fbdev_layout l = xrgb8888(0, 0, 0);

	(void)state;
	/* Partly outside: only the overlap is drawn (check_blit checks the
	 * unclipped rect, whose outside part does not exist on the panel). */
	check_blit(&l, 0, CANVAS_XRGB8888, (struct rect){-4, -2, 8, 5});
	check_blit(&l, 90, CANVAS_XRGB8888, (struct rect){3, 9, 100, 100});
}

static void test_canvas_of_wrong_size_is_refused(void **state)
{
	struct fbdev_layout l = xrgb8888(0, 0, 0);
	struct canvas *c = displayfx_canvas_or_fail(CANVAS_XRGB8888, PW, PH);
	uint8_t *mem = calloc(1, l.smem_len);

	(void)state;
	/* 90 degrees wants a PH×PW canvas. */
	assert_int_equal(fbdev_draw(&l, 90, mem, c, (struct rect){0, 0, PW, PH}), KERR_RANGE);
	assert_int_equal(fbdev_draw(&l, 45, mem, c, (struct rect){0, 0, PW, PH}), KERR_RANGE);
	free(mem);
	displayfx_canvas_free(c);
}

static void test_unsupported_layouts_are_refused(void **state)
{
	struct fbdev_layout ok = rgb565(0, 0, 0);
	struct fbdev_layout l;

	(void)state;
	assert_int_equal(fbdev_layout_check(&ok), KERR_OK);
	l = ok;
	l.bpp = 8;
	assert_int_equal(fbdev_layout_check(&l), KERR_NOTSUP);
	l = ok;
	l.red.offset = 12; /* 12 + 5 > 16 bits */
	assert_int_equal(fbdev_layout_check(&l), KERR_NOTSUP);
	l = ok;
	l.green.length = 0;
	assert_int_equal(fbdev_layout_check(&l), KERR_NOTSUP);
	l = ok;
	l.smem_len = l.line_length * PH - 1;
	assert_int_equal(fbdev_layout_check(&l), KERR_RANGE);
	l = ok;
	l.line_length = PW * 2 - 1;
	assert_int_equal(fbdev_layout_check(&l), KERR_RANGE);
	l = ok;
	l.yoffset = 1; /* panned past the end of memory */
	l.smem_len = l.line_length * PH;
	assert_int_equal(fbdev_layout_check(&l), KERR_RANGE);
}

static void test_open_without_a_framebuffer_is_a_clear_error(void **state)
{
	struct board_display cfg = {.backend = "fbdev", .device = "/nonexistent/fb9"};
	struct display *d = (struct display *)&cfg;
	char *dir = tmpdir_or_fail();
	char *file = write_file_or_fail(dir, "not-a-fb", "plain file");

	(void)state;
	assert_int_equal(display_fbdev_open(&cfg, &d), KERR_IO);
	assert_null(d);
	/* A file opens but answers no FBIOGET_VSCREENINFO: the KMS-without-fbdev case. */
	snprintf(cfg.device, sizeof(cfg.device), "%s", file);
	d = (struct display *)&cfg;
	assert_int_equal(display_fbdev_open(&cfg, &d), KERR_IO);
	assert_null(d);
	free(file);
	rm_rf(dir);
	free(dir);
}

static void test_open_fd_refuses_a_rotation_that_is_not_a_right_angle(void **state)
{
	struct fbdev_layout l = rgb565(0, 0, 0);
	struct board_display cfg = {.backend = "fbdev", .device = "/dev/fb-test", .rotation = 45};
	struct display *d;
	struct fb_file f;

	(void)state;
	fb_file_or_fail(&f, &l);
	assert_int_equal(display_fbdev_open_fd(&cfg, dup(f.fd), &l, &d), KERR_RANGE);
	assert_null(d);
	close(f.fd);
	fb_file_done(&f, &l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rgb565_framebuffer_matches_canvas_in_every_rotation),
	    cmocka_unit_test(test_xrgb8888_framebuffer_matches_canvas_in_every_rotation),
	    cmocka_unit_test(test_padded_stride_and_pan_offsets_are_honoured),
	    cmocka_unit_test(test_pixels_follow_the_reported_bitfields_not_assumptions),
	    cmocka_unit_test(test_known_pixel_lands_where_the_rotation_puts_it),
	    cmocka_unit_test(test_dirty_rect_outside_canvas_is_clipped),
	    cmocka_unit_test(test_canvas_of_wrong_size_is_refused),
	    cmocka_unit_test(test_unsupported_layouts_are_refused),
	    cmocka_unit_test(test_open_without_a_framebuffer_is_a_clear_error),
	    cmocka_unit_test(test_open_fd_refuses_a_rotation_that_is_not_a_right_angle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
