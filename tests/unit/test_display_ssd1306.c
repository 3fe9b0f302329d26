/*
 * ssd1306 through a recording I2C bus that plays the controller: it parses
 * control bytes, commands with their arguments, the column/page window and
 * horizontal-mode data into its own GDDRAM, which must equal the canvas
 * (inverted: canvas dark = OLED off) turned by the rotation.
 */
#include "display/display_panel.h"

#include <stdlib.h>
#include <string.h>

#include "displayfx.h"
#include "testutil.h"

#define MAX_CMD_BYTES 256

struct rec_i2c {
	struct i2c_bus base;
	uint8_t cmds[MAX_CMD_BYTES]; /* every command byte, in order */
	size_t ncmd;
	int pending; /* argument bytes still owed to the last command */
	uint8_t last;
	uint8_t argv[2];
	int argc;
	int c0, c1, p0, p1, col, page; /* window and cursor */
	size_t data_bytes;
	size_t writes;
	bool on;
	bool closed;
	uint8_t ram[8][128];
};

#define to_rec(b) container_of(b, struct rec_i2c, base)

/* Argument bytes per SSD1306 command (datasheet section 9 command table). */
static int args_of(uint8_t cmd)
{
	switch (cmd) {
	case 0x20:
	case 0x81:
	case 0x8D:
	case 0xA8:
	case 0xD3:
	case 0xD5:
	case 0xD9:
	case 0xDA:
	case 0xDB:
		return 1;
	case 0x21:
	case 0x22:
		return 2;
	default:
		return 0;
	}
}

static void command_byte(struct rec_i2c *r, uint8_t b)
{
	assert_true(r->ncmd < MAX_CMD_BYTES);
	r->cmds[r->ncmd++] = b;
	if (r->pending) {
		r->argv[r->argc++] = b;
		if (--r->pending)
			return;
		if (r->last == 0x21) {
			r->c0 = r->col = r->argv[0];
			r->c1 = r->argv[1];
			assert_true(r->c0 <= r->c1 && r->c1 < 128);
		} else if (r->last == 0x22) {
			r->p0 = r->page = r->argv[0];
			r->p1 = r->argv[1];
			assert_true(r->p0 <= r->p1 && r->p1 < 8);
		} else if (r->last == 0x20) {
			assert_int_equal(r->argv[0], 0x00); /* horizontal addressing */
		}
		return;
	}
	r->last = b;
	r->argc = 0;
	r->pending = args_of(b);
	if (b == 0xAF)
		r->on = true;
	if (b == 0xAE)
		r->on = false;
}

static void data_byte(struct rec_i2c *r, uint8_t b)
{
	r->ram[r->page][r->col] = b;
	r->data_bytes++;
	if (++r->col > r->c1) {
		r->col = r->c0;
		if (++r->page > r->p1)
			r->page = r->p0;
	}
}

static enum kerr rec_write(struct i2c_bus *b, const uint8_t *data, size_t len)
{
	struct rec_i2c *r = to_rec(b);
	size_t i;

	assert_true(len >= 2 && len <= I2C_BUS_WRITE_MAX);
	r->writes++;
	assert_true(data[0] == 0x00 || data[0] == 0x40);
	for (i = 1; i < len; i++) {
		if (data[0] == 0x00)
			command_byte(r, data[i]);
		else
			data_byte(r, data[i]);
	}
	return KERR_OK;
}

static void rec_close(struct i2c_bus *b)
{
	to_rec(b)->closed = true;
}

static const struct i2c_bus_ops rec_ops = {.write = rec_write, .close = rec_close};

static struct rec_i2c *rec_new(void)
{
	struct rec_i2c *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->base.ops = &rec_ops;
	memset(r->ram, 0x55, sizeof(r->ram)); /* power-up noise */
	return r;
}

static void fill_pattern(struct canvas *c, unsigned seed)
{
	int x, y;

	memset(c->pixels, 0, c->stride * (size_t)c->height);
	for (y = 0; y < c->height; y++)
		for (x = 0; x < c->width; x++)
			if (((unsigned)(x * 7 + y * 13) * 2654435761u >> 13 ^ seed) & 1)
				c->pixels[(size_t)y * c->stride + (size_t)x / 8] |=
				    (uint8_t)(0x80 >> (x % 8));
}

static bool lit(const struct rec_i2c *r, int px, int py)
{
	return r->ram[py / 8][px] & (1 << (py % 8));
}

static void assert_ram_is_canvas(const struct rec_i2c *r, const struct canvas *c, unsigned rot,
                                 int pw, int ph)
{
	int px, py, x, y;

	for (py = 0; py < ph; py++) {
		for (px = 0; px < pw; px++) {
			displayfx_panel_to_canvas(rot, pw, ph, px, py, &x, &y);
			/* A dark canvas pixel is an unlit OLED pixel. */
			if (lit(r, px, py) == displayfx_dark(c, x, y))
				fail_msg(
				    "rotation %u: panel (%d,%d) lit=%d, canvas (%d,%d) dark=%d",
				    rot, px, py, lit(r, px, py), x, y, displayfx_dark(c, x, y));
		}
	}
}

static struct display *open_or_fail(struct board_display *cfg, struct rec_i2c *r)
{
	struct display *d;

	assert_int_equal(display_ssd1306_open_bus(cfg, &r->base, &d), KERR_OK);
	assert_non_null(d);
	return d;
}

static void test_init_follows_the_documented_sequence_and_clears_ram(void **state)
{
	/* docs/displays.md (SSD1306), 128×64 with charge pump, then the clear window and AF. */
	static const uint8_t want[] = {
	    0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20,
	    0x00, 0xA1, 0xC8, 0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40,
	    0xA4, 0xA6, 0x2E, 0x21, 0,    127,  0x22, 0,    7,    0xAF,
	};
	struct board_display cfg = displayfx_board("ssd1306", 128, 64, 0);
	struct rec_i2c *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);
	uint8_t zero[8][128];

	(void)state;
	assert_int_equal(r->ncmd, sizeof(want));
	assert_memory_equal(r->cmds, want, sizeof(want));
	memset(zero, 0, sizeof(zero));
	assert_memory_equal(r->ram, zero, sizeof(zero));
	assert_int_equal(r->data_bytes, 1024);
	assert_true(r->on);
	assert_int_equal(d->format, CANVAS_MONO1);
	assert_int_equal(d->width, 128);
	assert_int_equal(d->height, 64);
	d->ops->close(d);
	assert_true(r->closed);
	free(r);
}

static void test_128x32_panel_sets_multiplex_and_com_pins(void **state)
{
	struct board_display cfg = displayfx_board("ssd1306", 128, 32, 0);
	struct rec_i2c *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);

	(void)state;
	assert_int_equal(r->cmds[3], 0xA8);
	assert_int_equal(r->cmds[4], 31);
	assert_int_equal(r->cmds[14], 0xDA);
	assert_int_equal(r->cmds[15], 0x02);
	assert_int_equal(r->data_bytes, 512);
	d->ops->close(d);
	free(r);
}

/*
 * Runs check on a fresh 128×64 panel turned each of the four ways, with a
 * blank canvas of the turned size; i (0..3) tells the runs apart.
 */
static void each_rotation(void (*check)(struct rec_i2c *r, struct display *d, struct canvas *c,
                                        unsigned rot, unsigned i))
{
	static const unsigned rots[] = {0, 90, 180, 270};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rots); i++) {
		struct board_display cfg = displayfx_board("ssd1306", 128, 64, rots[i]);
		struct rec_i2c *r = rec_new();
		struct display *d = open_or_fail(&cfg, r);
		struct canvas *c = displayfx_canvas_or_fail(CANVAS_MONO1, d->width, d->height);

		check(r, d, c, rots[i], (unsigned)i);
		d->ops->close(d);
		free(r);
		displayfx_canvas_free(c);
	}
}

static void check_full_frame(struct rec_i2c *r, struct display *d, struct canvas *c, unsigned rot,
                             unsigned i)
{
	assert_int_equal(d->width, rot % 180 ? 64 : 128);
	fill_pattern(c, i);
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, c->width, c->height}), KERR_OK);
	assert_ram_is_canvas(r, c, rot, 128, 64);
}

static void test_full_frame_decodes_to_the_inverted_canvas_in_every_rotation(void **state)
{
	(void)state;
	each_rotation(check_full_frame);
}

static void check_dirty_rect(struct rec_i2c *r, struct display *d, struct canvas *c, unsigned rot,
                             unsigned i)
{
	struct canvas *old = displayfx_canvas_or_fail(CANVAS_MONO1, d->width, d->height);
	struct rect dirty = {10, 9, 5, 12};

	(void)i;
	fill_pattern(c, 0);
	memcpy(old->pixels, c->pixels, c->stride * (size_t)c->height);
	assert_int_equal(d->ops->blit(d, c, (struct rect){0, 0, c->width, c->height}), KERR_OK);
	fill_pattern(c, 1);
	r->data_bytes = 0;
	assert_int_equal(d->ops->blit(d, c, dirty), KERR_OK);
	/* Fewer bytes than a frame: only the touched pages × columns. */
	assert_true(r->data_bytes < 1024);
	assert_int_equal(r->data_bytes, (size_t)(r->c1 - r->c0 + 1) * (size_t)(r->p1 - r->p0 + 1));
	displayfx_keep_outside(c, old, dirty);
	assert_ram_is_canvas(r, c, rot, 128, 64);
	displayfx_canvas_free(old);
}

static void test_dirty_rect_sends_only_its_pages_and_columns(void **state)
{
	(void)state;
	each_rotation(check_dirty_rect);
}

static void test_rgb_canvas_dark_pixels_are_off(void **state)
{
	struct board_display cfg = displayfx_board("ssd1306", 128, 32, 0);
	struct rec_i2c *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);
	struct canvas c = {
	    .format = CANVAS_XRGB8888, .width = 128, .height = 32, .stride = 128 * 4};
	uint32_t white = 0xFFFFFF, grey = 0x202020;

	(void)state;
	c.pixels = calloc(c.stride, 32);
	assert_non_null(c.pixels);
	memcpy(c.pixels, &white, 4);
	memcpy(c.pixels + 4, &grey, 4);
	assert_int_equal(d->ops->blit(d, &c, (struct rect){0, 0, 3, 1}), KERR_OK);
	assert_true(lit(r, 0, 0));
	assert_false(lit(r, 1, 0));
	assert_false(lit(r, 2, 0));
	d->ops->close(d);
	free(c.pixels);
	free(r);
}

static void test_power_switches_display_on_and_off(void **state)
{
	struct board_display cfg = displayfx_board("ssd1306", 128, 64, 0);
	struct rec_i2c *r = rec_new();
	struct display *d = open_or_fail(&cfg, r);

	(void)state;
	assert_int_equal(d->ops->set_power(d, false), KERR_OK);
	assert_false(r->on);
	assert_int_equal(d->ops->set_power(d, true), KERR_OK);
	assert_true(r->on);
	d->ops->close(d);
	free(r);
}

static void test_unsupported_geometry_is_refused_and_bus_closed(void **state)
{
	struct board_display cfg = displayfx_board("ssd1306", 128, 48, 0);
	struct rec_i2c *r = rec_new();
	struct display *d;

	(void)state;
	assert_int_equal(display_ssd1306_open_bus(&cfg, &r->base, &d), KERR_RANGE);
	assert_null(d);
	assert_true(r->closed);
	assert_int_equal(r->writes, 0);
	r->closed = false;
	cfg.height = 64;
	cfg.width = 256;
	assert_int_equal(display_ssd1306_open_bus(&cfg, &r->base, &d), KERR_RANGE);
	assert_true(r->closed);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_follows_the_documented_sequence_and_clears_ram),
	    cmocka_unit_test(test_128x32_panel_sets_multiplex_and_com_pins),
	    cmocka_unit_test(test_full_frame_decodes_to_the_inverted_canvas_in_every_rotation),
	    cmocka_unit_test(test_dirty_rect_sends_only_its_pages_and_columns),
	    cmocka_unit_test(test_rgb_canvas_dark_pixels_are_off),
	    cmocka_unit_test(test_power_switches_display_on_and_off),
	    cmocka_unit_test(test_unsupported_geometry_is_refused_and_bus_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
