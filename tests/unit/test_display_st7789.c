/*
 * st7789/ili9341 through a recording bus that plays the controller: it
 * follows MADCTL, CASET, RASET and RAMWR into its own GRAM, which must then
 * equal the canvas turned by the rotation.
 */
#include "display/display_panel.h"

#include <stdlib.h>
#include <string.h>

#include "displayfx.h"
#include "testutil.h"

#define PW       48 /* not square, so swapped axes show; a frame is 6144 bytes */
#define PH       64
#define MAX_CMDS 64

struct rec_cmd {
	uint8_t cmd;
	uint8_t data[8];
	size_t len;
};

struct rec_bus {
	struct panel_bus base;
	struct rec_cmd cmds[MAX_CMDS];
	size_t ncmds;
	unsigned delay_after_swreset, delay_after_slpout;
	uint8_t last;
	uint8_t madctl;
	int xs, xe, ys, ye; /* window in logical (MADCTL-applied) addresses */
	int cx, cy;         /* write cursor */
	bool in_ramwr;
	int half; /* pending high byte, or -1 */
	size_t pixel_bytes, max_chunk, pixel_calls;
	int fail_after; /* calls left before KERR_IO; -1 = never */
	int resets;
	bool closed;
	uint16_t gram[PH][PW]; /* physical rows × columns */
};

#define to_rec(b) container_of(b, struct rec_bus, base)

static enum kerr countdown(struct rec_bus *r)
{
	if (r->fail_after == 0)
		return KERR_IO;
	if (r->fail_after > 0)
		r->fail_after--;
	return KERR_OK;
}

static int be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/* The controller model: logical column/row to GRAM, MV exchanging the
 * counters, then MX/MY mirroring the physical column/row. */
static void store_pixel(struct rec_bus *r, uint16_t v)
{
	int a, b;

	assert_true(r->cy <= r->ye);
	if (r->madctl & MADCTL_MV) {
		a = r->cy;
		b = r->cx;
	} else {
		a = r->cx;
		b = r->cy;
	}
	if (r->madctl & MADCTL_MX)
		a = PW - 1 - a;
	if (r->madctl & MADCTL_MY)
		b = PH - 1 - b;
	assert_true(a >= 0 && a < PW && b >= 0 && b < PH);
	r->gram[b][a] = v;
	if (++r->cx > r->xe) {
		r->cx = r->xs;
		r->cy++;
	}
}

static void feed_pixels(struct rec_bus *r, const uint8_t *data, size_t len)
{
	size_t i;

	assert_true(r->in_ramwr);
	r->pixel_bytes += len;
	for (i = 0; i < len; i++) {
		if (r->half < 0) {
			r->half = data[i];
		} else {
			store_pixel(r, (uint16_t)(r->half << 8 | data[i]));
			r->half = -1;
		}
	}
}

static enum kerr rec_cmd(struct panel_bus *b, uint8_t cmd, const uint8_t *data, size_t len)
{
	struct rec_bus *r = to_rec(b);
	bool turned;

	if (countdown(r))
		return KERR_IO;
	assert_true(r->ncmds < MAX_CMDS);
	assert_true(len <= sizeof(r->cmds[0].data));
	r->cmds[r->ncmds].cmd = cmd;
	r->cmds[r->ncmds].len = len;
	if (len)
		memcpy(r->cmds[r->ncmds].data, data, len);
	r->ncmds++;
	r->last = cmd;
	r->in_ramwr = false;
	turned = r->madctl & MADCTL_MV;
	switch (cmd) {
	case DCS_MADCTL:
		assert_int_equal(len, 1);
		r->madctl = data[0];
		break;
	case DCS_CASET:
		assert_int_equal(len, 4);
		r->xs = be16(data);
		r->xe = be16(data + 2);
		assert_true(r->xs <= r->xe && r->xe < (turned ? PH : PW));
		break;
	case DCS_RASET:
		assert_int_equal(len, 4);
		r->ys = be16(data);
		r->ye = be16(data + 2);
		assert_true(r->ys <= r->ye && r->ye < (turned ? PW : PH));
		break;
	case DCS_RAMWR:
		r->in_ramwr = true;
		r->cx = r->xs;
		r->cy = r->ys;
		r->half = -1;
		r->pixel_bytes = 0;
		break;
	default:
		break;
	}
	return KERR_OK;
}

static enum kerr rec_pixels(struct panel_bus *b, const uint8_t *data, size_t len)
{
	struct rec_bus *r = to_rec(b);

	if (countdown(r))
		return KERR_IO;
	if (len > r->max_chunk)
		r->max_chunk = len;
	r->pixel_calls++;
	feed_pixels(r, data, len);
	return KERR_OK;
}

static enum kerr rec_reset(struct panel_bus *b)
{
	to_rec(b)->resets++;
	return KERR_OK;
}

static void rec_delay(struct panel_bus *b, unsigned ms)
{
	struct rec_bus *r = to_rec(b);

	if (r->last == DCS_SWRESET)
		r->delay_after_swreset += ms;
	if (r->last == DCS_SLPOUT)
		r->delay_after_slpout += ms;
}

static void rec_close(struct panel_bus *b)
{
	to_rec(b)->closed = true;
}

static const struct panel_bus_ops rec_ops = {
    .cmd = rec_cmd,
    .pixels = rec_pixels,
    .reset = rec_reset,
    .delay = rec_delay,
    .close = rec_close,
};

static struct rec_bus *rec_new(void)
{
	struct rec_bus *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->base.ops = &rec_ops;
	r->fail_after = -1;
	r->half = -1;
	return r;
}

static uint16_t px565(const struct canvas *c, int x, int y)
{
	uint16_t v;

	memcpy(&v, c->pixels + (size_t)y * c->stride + 2 * (size_t)x, 2);
	return v;
}

static void set565(struct canvas *c, int x, int y, uint16_t v)
{
	memcpy(c->pixels + (size_t)y * c->stride + 2 * (size_t)x, &v, 2);
}

static void fill_pattern(struct canvas *c, unsigned seed)
{
	int x, y;

	for (y = 0; y < c->height; y++)
		for (x = 0; x < c->width; x++)
			set565(
			    c, x, y,
			    (uint16_t)((unsigned)(x * 31 + y * 977 + 5) * 2654435761u >> 7 ^ seed));
}

static void assert_gram_is_canvas(const struct rec_bus *r, const struct canvas *c, unsigned rot)
{
	int px, py, x, y;

	for (py = 0; py < PH; py++) {
		for (px = 0; px < PW; px++) {
			displayfx_panel_to_canvas(rot, PW, PH, px, py, &x, &y);
			if (r->gram[py][px] != px565(c, x, y))
				fail_msg("rotation %u: panel (%d,%d) = %04x, canvas (%d,%d) = %04x",
				         rot, px, py, r->gram[py][px], x, y, px565(c, x, y));
		}
	}
}

static struct display *open_or_fail(struct board_display *cfg, struct rec_bus *r)
{
	struct display *d;

	assert_int_equal(display_st7789_open_bus(cfg, &r->base, &d), KERR_OK);
	assert_non_null(d);
	return d;
}

static void test_init_sends_reset_sleep_out_colmod_madctl_display_on(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 0);
	static const uint8_t order[] = {DCS_SWRESET, DCS_SLPOUT, DCS_COLMOD, DCS_MADCTL,
	                                DCS_DISPON};
	struct rec_bus *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);
	size_t i;

	(void)state;
	assert_int_equal(r->resets, 1);
	assert_int_equal(r->ncmds, ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		assert_int_equal(r->cmds[i].cmd, order[i]);
	assert_int_equal(r->cmds[2].len, 1);
	assert_int_equal(r->cmds[2].data[0], 0x55); /* 16 bits per pixel */
	assert_int_equal(r->cmds[3].data[0], 0x00);
	/* ST7789V datasheet: 120 ms after SWRESET and after SLPOUT. */
	assert_true(r->delay_after_swreset >= 120);
	assert_true(r->delay_after_slpout >= 120);
	assert_int_equal(d->width, PW);
	assert_int_equal(d->height, PH);
	assert_int_equal(d->format, CANVAS_RGB565);
	d->ops->close(d);
	assert_true(r->closed);
	free(r);
}

/*
 * Runs check on a fresh PW×PH panel turned each of the four ways, with a
 * blank RGB565 canvas of the turned size; i (0..3) tells the runs apart.
 */
static void each_rotation(void (*check)(struct rec_bus *r, struct display *d, struct canvas *c,
                                        unsigned rot, unsigned i))
{
	static const unsigned rots[] = {0, 90, 180, 270};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rots); i++) {
		struct board_display cfg = displayfx_board("st7789", PW, PH, rots[i]);
		struct rec_bus *r = rec_new();
		struct display *d = open_or_fail(&cfg, r);
		struct canvas *c = displayfx_canvas_or_fail(CANVAS_RGB565, d->width, d->height);

		check(r, d, c, rots[i], (unsigned)i);
		d->ops->close(d);
		free(r);
		displayfx_canvas_free(c);
	}
}

static void check_full_frame(struct rec_bus *r, struct display *d, struct canvas *c, unsigned rot,
                             unsigned i)
{
	assert_int_equal(d->width, rot % 180 ? PH : PW);
	assert_int_equal(d->height, rot % 180 ? PW : PH);
	fill_pattern(c, i);
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, c->width, c->height}), KERR_OK);
	assert_int_equal(r->pixel_bytes, (size_t)PW * PH * 2);
	assert_gram_is_canvas(r, c, rot);
}

static void test_full_frame_lands_in_gram_in_every_rotation(void **state)
{
	(void)state;
	each_rotation(check_full_frame);
}

static void check_dirty_rect(struct rec_bus *r, struct display *d, struct canvas *c, unsigned rot,
                             unsigned i)
{
	struct canvas *old = displayfx_canvas_or_fail(CANVAS_RGB565, d->width, d->height);
	struct rect dirty = {3, 5, 7, 4};

	(void)i;
	fill_pattern(c, 1);
	memcpy(old->pixels, c->pixels, c->stride * (size_t)c->height);
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, c->width, c->height}), KERR_OK);
	/* Change everything, send only the dirty part. */
	fill_pattern(c, 0x5A5A);
	r->ncmds = 0;
	assert_int_equal(d->ops->blit(d, c, dirty), KERR_OK);
	assert_int_equal(r->ncmds, 3);
	assert_int_equal(r->cmds[0].cmd, DCS_CASET);
	assert_memory_equal(r->cmds[0].data, ((uint8_t[]){0, 3, 0, 9}), 4);
	assert_int_equal(r->cmds[1].cmd, DCS_RASET);
	assert_memory_equal(r->cmds[1].data, ((uint8_t[]){0, 5, 0, 8}), 4);
	assert_int_equal(r->cmds[2].cmd, DCS_RAMWR);
	assert_int_equal(r->pixel_bytes, (size_t)7 * 4 * 2);
	/* The panel now shows the new canvas inside dirty, the old one outside. */
	displayfx_keep_outside(c, old, dirty);
	assert_gram_is_canvas(r, c, rot);
	displayfx_canvas_free(old);
}

static void test_dirty_rect_update_sends_only_that_window(void **state)
{
	(void)state;
	each_rotation(check_dirty_rect);
}

static void test_xrgb_and_mono_canvases_are_converted_to_rgb565(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 0);
	struct rec_bus *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);
	struct canvas *x8 = displayfx_canvas_or_fail(CANVAS_XRGB8888, PW, PH);
	struct canvas *m1 = displayfx_canvas_or_fail(CANVAS_MONO1, PW, PH);
	uint32_t c0 = 0xFF0000, c1 = 0x00FF00, c2 = 0x0000FF, c3 = 0x123456;

	(void)state;
	memcpy(x8->pixels, &c0, 4);
	memcpy(x8->pixels + 4, &c1, 4);
	memcpy(x8->pixels + 8, &c2, 4);
	memcpy(x8->pixels + 12, &c3, 4);
	assert_int_equal(d->ops->blit(d, x8, (struct rect){0, 0, 4, 1}), KERR_OK);
	assert_int_equal(r->gram[0][0], 0xF800);
	assert_int_equal(r->gram[0][1], 0x07E0);
	assert_int_equal(r->gram[0][2], 0x001F);
	/* 0x12 >> 3 = 2, 0x34 >> 2 = 13, 0x56 >> 3 = 10 */
	assert_int_equal(r->gram[0][3], 2 << 11 | 13 << 5 | 10);
	m1->pixels[0] = 0x80; /* (0,0) dark */
	assert_int_equal(d->ops->blit(d, m1, (struct rect){0, 0, 2, 1}), KERR_OK);
	assert_int_equal(r->gram[0][0], 0x0000);
	assert_int_equal(r->gram[0][1], 0xFFFF);
	d->ops->close(d);
	displayfx_canvas_free(x8);
	displayfx_canvas_free(m1);
	free(r);
}

static void test_big_frames_are_sent_in_bounded_chunks(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 0);
	struct rec_bus *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);
	struct canvas *c = displayfx_canvas_or_fail(CANVAS_RGB565, PW, PH);

	(void)state;
	fill_pattern(c, 7);
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, PW, PH}), KERR_OK);
	/* 6144 bytes of pixels, more than spidev's default 4096-byte transfer. */
	assert_true(r->max_chunk <= 4096);
	assert_true(r->pixel_calls >= 2);
	assert_int_equal(r->pixel_bytes, (size_t)PW * PH * 2);
	assert_gram_is_canvas(r, c, 0);
	d->ops->close(d);
	displayfx_canvas_free(c);
	free(r);
}

static void test_ili9341_sets_bgr_order(void **state)
{
	struct board_display cfg = displayfx_board("ili9341", PW, PH, 180);
	struct rec_bus *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);

	(void)state;
	assert_int_equal(r->cmds[3].cmd, DCS_MADCTL);
	assert_int_equal(r->cmds[3].data[0], MADCTL_MX | MADCTL_MY | MADCTL_BGR);
	d->ops->close(d);
	free(r);
}

static void test_power_off_sends_display_off_then_sleep_in(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 0);
	struct rec_bus *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);

	(void)state;
	r->ncmds = 0;
	assert_int_equal(d->ops->set_power(d, false), KERR_OK);
	assert_int_equal(r->ncmds, 2);
	assert_int_equal(r->cmds[0].cmd, DCS_DISPOFF);
	assert_int_equal(r->cmds[1].cmd, DCS_SLPIN);
	r->ncmds = 0;
	assert_int_equal(d->ops->set_power(d, true), KERR_OK);
	assert_int_equal(r->cmds[0].cmd, DCS_SLPOUT);
	assert_int_equal(r->cmds[1].cmd, DCS_DISPON);
	d->ops->close(d);
	free(r);
}

static void test_bad_geometry_is_refused_and_bus_closed(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 45);
	struct rec_bus *r = rec_new();
	struct display *d;

	(void)state;
	assert_int_equal(display_st7789_open_bus(&cfg, &r->base, &d), KERR_RANGE);
	assert_null(d);
	assert_true(r->closed);
	assert_int_equal(r->ncmds, 0);
	r->closed = false;
	cfg.rotation = 0;
	cfg.width = 0;
	assert_int_equal(display_st7789_open_bus(&cfg, &r->base, &d), KERR_RANGE);
	assert_true(r->closed);
	free(r);
}

static void test_bus_failure_is_returned_from_init_and_blit(void **state)
{
	struct board_display cfg = displayfx_board("st7789", PW, PH, 0);
	struct rec_bus *r = rec_new();
	struct display *d;
	struct canvas *c = displayfx_canvas_or_fail(CANVAS_RGB565, PW, PH);

	(void)state;
	r->fail_after = 2;
	assert_int_equal(display_st7789_open_bus(&cfg, &r->base, &d), KERR_IO);
	assert_null(d);
	assert_true(r->closed);
	memset(r, 0, sizeof(*r));
	r->base.ops = &rec_ops;
	r->fail_after = -1;
	d = open_or_fail(&cfg, r);
	r->fail_after = 3; /* CASET, RASET, RAMWR go through, the pixels fail */
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, PW, PH}), KERR_IO);
	d->ops->close(d);
	displayfx_canvas_free(c);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_sends_reset_sleep_out_colmod_madctl_display_on),
	    cmocka_unit_test(test_full_frame_lands_in_gram_in_every_rotation),
	    cmocka_unit_test(test_dirty_rect_update_sends_only_that_window),
	    cmocka_unit_test(test_xrgb_and_mono_canvases_are_converted_to_rgb565),
	    cmocka_unit_test(test_big_frames_are_sent_in_bounded_chunks),
	    cmocka_unit_test(test_ili9341_sets_bgr_order),
	    cmocka_unit_test(test_power_off_sends_display_off_then_sleep_in),
	    cmocka_unit_test(test_bad_geometry_is_refused_and_bus_closed),
	    cmocka_unit_test(test_bus_failure_is_returned_from_init_and_blit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
