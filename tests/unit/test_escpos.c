/*
 * ESC/POS encoder: byte layouts checked against the tables of
 * docs/printer.md, raster images decoded back by tests/support/escpos_decode.c.
 */
#include "kiosk/escpos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escpos_decode.h"
#include "testutil.h"

static struct canvas *make_canvas(enum canvas_format fmt, int w, int h)
{
	struct canvas *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->format = fmt;
	c->width = w;
	c->height = h;
	c->stride =
	    fmt == CANVAS_MONO1 ? (size_t)(w + 7) / 8 : (size_t)w * (fmt == CANVAS_RGB565 ? 2 : 4);
	c->pixels = calloc(c->stride, (size_t)h);
	assert_non_null(c->pixels);
	return c;
}

static void drop_canvas(struct canvas *c)
{
	free(c->pixels);
	free(c);
}

static bool canvas_dark(const struct canvas *c, int x, int y)
{
	return c->pixels[(size_t)y * c->stride + (size_t)x / 8] & (0x80 >> (x % 8));
}

/* Random dots, and every padding bit set, so leaking padding shows as ink. */
static void fill_noise(struct canvas *c, unsigned seed)
{
	size_t i;

	srand(seed);
	for (i = 0; i < c->stride * (size_t)c->height; i++)
		c->pixels[i] = (uint8_t)rand();
}

static uint8_t *job_buf(size_t cap)
{
	uint8_t *b = malloc(cap);

	assert_non_null(b);
	return b;
}

static void decode_or_fail(const uint8_t *b, size_t len, struct escpos_decoded *d)
{
	if (escpos_decode(b, len, d))
		fail_msg("decode: %s", d->error);
}

static void assert_raster_round_trip(int w, int h, unsigned width_dots)
{
	size_t cap = 16 + (size_t)h * 80 + 64, len;
	uint8_t *buf = job_buf(cap);
	struct canvas *c = make_canvas(CANVAS_MONO1, w, h);
	struct escpos_decoded d;
	struct escpos e;
	size_t i;
	int x, y;

	fill_noise(c, (unsigned)(w * 31 + h));
	escpos_init(&e, buf, cap, width_dots);
	escpos_initialize(&e);
	assert_int_equal(escpos_raster(&e, c), KERR_OK);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);
	decode_or_fail(buf, len, &d);
	assert_int_equal(d.cmds[0].op, OP_INIT);
	assert_int_equal(d.bands, (unsigned)((h + 255) / 256));
	for (i = 1; i < d.ncmds; i++) {
		assert_int_equal(d.cmds[i].op, OP_RASTER);
		assert_int_equal(d.cmds[i].arg, (unsigned)(w + 7) / 8);
		assert_true(d.cmds[i].arg2 >= 1 && d.cmds[i].arg2 <= 256);
	}
	assert_int_equal(d.height, h);
	assert_true(d.width >= w && d.width < w + 8);
	assert_true((unsigned)d.width <= width_dots || (unsigned)w == width_dots);
	for (y = 0; y < h; y++) {
		for (x = 0; x < d.width; x++) {
			bool want = x < w && canvas_dark(c, x, y);

			if (escpos_decoded_black(&d, x, y) != want)
				fail_msg("%dx%d: dot (%d,%d) printed %d, canvas %d", w, h, x, y,
				         !want, want);
		}
	}
	escpos_decode_fini(&d);
	drop_canvas(c);
	free(buf);
}

static void test_raster_decodes_back_to_the_canvas(void **state)
{
	(void)state;
	assert_raster_round_trip(384, 100, ESCPOS_WIDTH_58MM);
	assert_raster_round_trip(576, 40, ESCPOS_WIDTH_80MM);
	assert_raster_round_trip(203, 37, ESCPOS_WIDTH_58MM); /* padding bits in the last byte */
	assert_raster_round_trip(1, 1, ESCPOS_WIDTH_58MM);
}

static void test_tall_images_are_split_in_bands_of_at_most_256_rows(void **state)
{
	static const struct {
		int h;
		unsigned bands, last;
	} cases[] = {
	    {256, 1, 256},
	    {257, 2, 1},
	    {700, 3, 188},
	    {1024, 4, 256},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t cap = (size_t)cases[i].h * 48 + 64, len;
		uint8_t *buf = job_buf(cap);
		struct canvas *c = make_canvas(CANVAS_MONO1, 384, cases[i].h);
		struct escpos_decoded d;
		struct escpos e;

		fill_noise(c, (unsigned)i);
		escpos_init(&e, buf, cap, ESCPOS_WIDTH_58MM);
		assert_int_equal(escpos_raster(&e, c), KERR_OK);
		assert_int_equal(escpos_finish(&e, &len), KERR_OK);
		decode_or_fail(buf, len, &d);
		assert_int_equal(d.bands, cases[i].bands);
		assert_int_equal(d.cmds[d.ncmds - 1].arg2, cases[i].last);
		assert_int_equal(d.height, cases[i].h);
		/* The seam between bands is where a row could be lost or doubled. */
		assert_memory_equal(d.image, c->pixels, 48 * (size_t)cases[i].h);
		escpos_decode_fini(&d);
		drop_canvas(c);
		free(buf);
	}
}

static void test_raster_wider_than_the_paper_is_refused(void **state)
{
	uint8_t buf[8192];
	struct canvas *c58 = make_canvas(CANVAS_MONO1, 385, 4);
	struct canvas *c80 = make_canvas(CANVAS_MONO1, 577, 4);
	struct escpos e;
	size_t len = 99;

	(void)state;
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_initialize(&e);
	assert_int_equal(escpos_raster(&e, c58), KERR_RANGE);
	assert_int_equal(escpos_finish(&e, &len), KERR_RANGE);
	assert_int_equal(len, 0);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_80MM);
	assert_int_equal(escpos_raster(&e, c80), KERR_RANGE);
	/* Poisoned: later commands add nothing. */
	escpos_cut(&e, false, 3);
	assert_int_equal(escpos_finish(&e, &len), KERR_RANGE);
	assert_int_equal(len, 0);
	/* Paper wider than 80 mm is not a thing we print on. */
	escpos_init(&e, buf, sizeof(buf), 640);
	assert_int_equal(escpos_finish(&e, &len), KERR_RANGE);
	drop_canvas(c58);
	drop_canvas(c80);
}

static void test_colour_canvas_is_thresholded_to_black_and_white(void **state)
{
	uint8_t buf[256];
	struct canvas *c = make_canvas(CANVAS_XRGB8888, 8, 1);
	static const uint32_t px[8] = {0x000000, 0xFFFFFF, 0x404040, 0xC0C0C0,
	                               0xFF0000, 0x00FF00, 0x0000FF, 0x7F7F7F};
	struct escpos_decoded d;
	struct escpos e;
	size_t len;

	(void)state;
	memcpy(c->pixels, px, sizeof(px));
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_raster(&e, c), KERR_OK);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);
	decode_or_fail(buf, len, &d);
	/* Luma 0, 255, 64, 192, 76, 150, 29, 127: black below 128. */
	assert_int_equal(d.image[0], 0xA0 | 0x08 | 0x02 | 0x01);
	escpos_decode_fini(&d);
	drop_canvas(c);
}

static void test_full_buffer_poisons_the_job_and_leaves_nothing(void **state)
{
	uint8_t buf[100];
	struct canvas *c = make_canvas(CANVAS_MONO1, 384, 4); /* needs 8 + 192 bytes */
	struct escpos e;
	size_t len = 1;

	(void)state;
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_initialize(&e);
	assert_int_equal(escpos_raster(&e, c), KERR_TOO_BIG);
	assert_int_equal(escpos_finish(&e, &len), KERR_TOO_BIG);
	assert_int_equal(len, 0);
	escpos_init(&e, buf, 2, ESCPOS_WIDTH_58MM);
	escpos_initialize(&e);
	escpos_feed(&e, 1);
	assert_int_equal(escpos_finish(&e, &len), KERR_TOO_BIG);
	assert_int_equal(len, 0);
	drop_canvas(c);
}

static void test_simple_commands_have_the_documented_bytes(void **state)
{
	/* docs/printer.md §1 */
	static const uint8_t want[] = {
	    0x1B, 0x40,                                          /* initialise */
	    0x1B, 0x61, 0x01,                                    /* center */
	    0x1B, 0x45, 0x01,                                    /* bold on */
	    'C',  'o',  '-',  'o',  'p', '\n', 0x1B, 0x45, 0x00, /* bold off */
	    0x1B, 0x64, 0x03,                                    /* feed 3 lines */
	    0x1D, 0x56, 0x42, 0x10,                              /* feed 16 dots, partial cut */
	    0x1D, 0x56, 0x41, 0x00,                              /* full cut */
	    0x10, 0x04, 0x04,                                    /* paper sensor status */
	};
	uint8_t buf[64];
	struct escpos e;
	size_t len;

	(void)state;
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_initialize(&e);
	escpos_align(&e, ESCPOS_CENTER);
	escpos_bold(&e, true);
	escpos_text(&e, "Co-op\n");
	escpos_bold(&e, false);
	escpos_feed(&e, 3);
	escpos_cut(&e, true, 16);
	escpos_cut(&e, false, 0);
	escpos_status_query(&e, ESCPOS_STATUS_PAPER);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_out_of_range_arguments_poison_the_job(void **state)
{
	uint8_t buf[64];
	struct escpos e;
	size_t len;

	(void)state;
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_feed(&e, 256);
	assert_int_equal(escpos_finish(&e, &len), KERR_RANGE);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_text(&e, "caf\xc3\xa9"); /* UTF-8 is printed as raster, never as text */
	assert_int_equal(escpos_finish(&e, &len), KERR_INVAL);
	assert_int_equal(len, 0);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_text(&e, "a\x1b@"); /* no smuggled commands */
	assert_int_equal(escpos_finish(&e, &len), KERR_INVAL);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	escpos_status_query(&e, 5);
	assert_int_equal(escpos_finish(&e, &len), KERR_RANGE);
}

static void test_native_qr_matches_the_gs_k_layout(void **state)
{
	uint8_t data[300], buf[512], want[512];
	struct escpos e;
	size_t len, n = 0, i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] =
		    (uint8_t)("steem://transfer?to=coop&amount=1.000%20STEEM&memo=order-42"[i %
		                                                                            60]);
	/* docs/printer.md §3, written out by hand from its table. */
	memcpy(want + n, (uint8_t[]){0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00}, 9);
	n += 9;
	memcpy(want + n, (uint8_t[]){0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06}, 8);
	n += 8;
	memcpy(want + n, (uint8_t[]){0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31}, 8);
	n += 8;
	/* pL + 256 pH = k + 3 = 303 = 0x12F */
	memcpy(want + n, (uint8_t[]){0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30}, 8);
	n += 8;
	memcpy(want + n, data, sizeof(data));
	n += sizeof(data);
	memcpy(want + n, (uint8_t[]){0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30}, 8);
	n += 8;

	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, data, sizeof(data), 6, ESCPOS_QR_M), KERR_OK);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);
	assert_int_equal(len, n);
	assert_memory_equal(buf, want, n);
}

static void test_native_qr_short_payload_and_limits(void **state)
{
	static const uint8_t want_store[] = {0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31,
	                                     0x50, 0x30, 'a',  'b',  'c'};
	uint8_t buf[4096], big[ESCPOS_QR_DATA_MAX + 1];
	struct escpos_decoded d;
	struct escpos e;
	size_t len;

	(void)state;
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, (const uint8_t *)"abc", 3, 4, ESCPOS_QR_H), KERR_OK);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);
	assert_memory_equal(buf + 9 + 8 + 8, want_store, sizeof(want_store));
	decode_or_fail(buf, len, &d);
	assert_int_equal(d.ncmds, 5);
	assert_int_equal(d.cmds[2].arg, 0x45);
	assert_int_equal(buf[d.cmds[2].off], ESCPOS_QR_H);
	escpos_decode_fini(&d);

	memset(big, 'x', sizeof(big));
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, big, sizeof(big), 4, ESCPOS_QR_L), KERR_RANGE);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, big, 0, 4, ESCPOS_QR_L), KERR_RANGE);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, big, 10, 17, ESCPOS_QR_L), KERR_RANGE);
	escpos_init(&e, buf, sizeof(buf), ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, big, 10, 0, ESCPOS_QR_L), KERR_RANGE);
	escpos_init(&e, buf, 40, ESCPOS_WIDTH_58MM);
	assert_int_equal(escpos_qr(&e, big, 10, 3, ESCPOS_QR_L), KERR_TOO_BIG);
	assert_int_equal(escpos_finish(&e, &len), KERR_TOO_BIG);
	assert_int_equal(len, 0);
}

static void test_idle_status_bytes_mean_ready(void **state)
{
	struct escpos_status st = {0};
	int n;

	(void)state;
	assert_false(escpos_status_ready(&st)); /* no answer yet: unknown */
	for (n = 1; n <= 4; n++)
		assert_int_equal(escpos_status_decode((enum escpos_status_kind)n, 0x12, &st),
		                 KERR_OK);
	assert_true(st.known);
	assert_true(escpos_status_ready(&st));
	assert_string_equal(escpos_status_str(&st), "ready");
}

static void test_out_of_paper_bytes_decode_to_paper_end(void **state)
{
	/* docs/printer.md §5 example: n=1 0x1A, n=2 0x32, n=4 0x7E. */
	struct escpos_status st = {0};

	(void)state;
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PRINTER, 0x1A, &st), KERR_OK);
	assert_true(st.offline);
	assert_false(st.paper_end);
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_OFFLINE, 0x32, &st), KERR_OK);
	assert_true(st.paper_end);
	assert_false(st.cover_open);
	assert_false(st.error);
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PAPER, 0x7E, &st), KERR_OK);
	assert_true(st.paper_end);
	assert_true(st.paper_near_end);
	assert_false(escpos_status_ready(&st));
	assert_non_null(strstr(escpos_status_str(&st), "paper end"));
}

static void test_cover_open_near_end_and_errors_decode(void **state)
{
	struct escpos_status st = {0};

	(void)state;
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_OFFLINE, 0x16, &st),
	                 KERR_OK); /* bit 2 */
	assert_true(st.cover_open);
	assert_non_null(strstr(escpos_status_str(&st), "cover open"));
	memset(&st, 0, sizeof(st));
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PAPER, 0x1E, &st),
	                 KERR_OK); /* bits 2+3 */
	assert_true(st.paper_near_end);
	assert_false(st.paper_end);
	assert_true(escpos_status_ready(&st)); /* near end still prints */
	memset(&st, 0, sizeof(st));
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_ERROR, 0x1A, &st),
	                 KERR_OK); /* autocutter */
	assert_true(st.error);
	assert_false(escpos_status_ready(&st));
	memset(&st, 0, sizeof(st));
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_OFFLINE, 0x52, &st),
	                 KERR_OK); /* bit 6 */
	assert_true(st.error);
}

static void test_bytes_that_are_no_status_reply_are_refused(void **state)
{
	struct escpos_status st = {0}, before;

	(void)state;
	before = st;
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PRINTER, 0x00, &st), KERR_PROTO);
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PRINTER, 0x93, &st), KERR_PROTO);
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PRINTER, 0x92, &st),
	                 KERR_PROTO); /* bit 7 */
	assert_int_equal(escpos_status_decode(ESCPOS_STATUS_PRINTER, 0x02, &st),
	                 KERR_PROTO); /* bit 4 clear */
	assert_int_equal(escpos_status_decode((enum escpos_status_kind)7, 0x12, &st), KERR_INVAL);
	assert_memory_equal(&st, &before, sizeof(st));
	assert_false(st.known);
	assert_non_null(strstr(escpos_status_str(&st), "did not answer"));
}

static void test_cmd_remaining_finds_what_a_cut_short_job_owes(void **state)
{
	/* ESC @ | GS v 0 of 2 bytes x 3 rows | "ab" | GS V 42 00 */
	static const uint8_t job[] = {0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 0x02, 0x00,
	                              0x03, 0x00, 1,    2,    3,    4,    5,    6,
	                              'a',  'b',  0x1D, 0x56, 0x42, 0x00};
	static const uint8_t odd[] = {0x1B, 0x40, 0x1B, 0x99, 0x00};

	(void)state;
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 0), 0);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 1), 1);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 2), 0);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 5), 11); /* 2 + 14 - 5 */
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 10), 6); /* the picture data */
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 15), 1);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 16), 0);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 17), 0);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), 19), 3);
	assert_int_equal(escpos_cmd_remaining(job, sizeof(job), sizeof(job)), 0);
	/* A command the encoder never emits: unknown, never a guess of 0. */
	assert_int_equal(escpos_cmd_remaining(odd, sizeof(odd), 3), SIZE_MAX);
	assert_int_equal(escpos_cmd_remaining(odd, sizeof(odd), 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_raster_decodes_back_to_the_canvas),
	    cmocka_unit_test(test_tall_images_are_split_in_bands_of_at_most_256_rows),
	    cmocka_unit_test(test_raster_wider_than_the_paper_is_refused),
	    cmocka_unit_test(test_colour_canvas_is_thresholded_to_black_and_white),
	    cmocka_unit_test(test_full_buffer_poisons_the_job_and_leaves_nothing),
	    cmocka_unit_test(test_simple_commands_have_the_documented_bytes),
	    cmocka_unit_test(test_out_of_range_arguments_poison_the_job),
	    cmocka_unit_test(test_native_qr_matches_the_gs_k_layout),
	    cmocka_unit_test(test_native_qr_short_payload_and_limits),
	    cmocka_unit_test(test_idle_status_bytes_mean_ready),
	    cmocka_unit_test(test_out_of_paper_bytes_decode_to_paper_end),
	    cmocka_unit_test(test_cover_open_near_end_and_errors_decode),
	    cmocka_unit_test(test_bytes_that_are_no_status_reply_are_refused),
	    cmocka_unit_test(test_cmd_remaining_finds_what_a_cut_short_job_owes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
