/* The receipt: the bytes a printer gets decode back to exactly the image
 * drawn, for both paper widths, with the text rows where they should be. */
#include "kiosk/receipt.h"
#include "kiosk/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos_decode.h"
#include "kiosk/qr.h"
#include "kiosk/store_rates.h"
#include "testutil.h"

static struct order sample(void)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	o.item_count = 1;
	strcpy(o.items[0].name, "감자 1kg");
	o.items[0].quantity = 2;
	o.items[0].unit_price = (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
	o.price = (struct asset){.amount = 3000, .precision = 3, .symbol = "HIVE"};
	o.pickup = ORDER_PICKUP_LOCKER;
	o.compartment = 3;
	return o;
}

static void test_printed_bytes_are_the_drawn_image(void **state)
{
	static const unsigned widths[] = {384, 512, 576};
	struct order o = sample();
	struct receipt_data r = {.coop_name = "한밭 생활협동조합",
	                         .order = &o,
	                         .payer = "alice",
	                         .trx_id = "83b17966229b26c02a3397b7238a12b69db68bbc",
	                         .paid_at_ms = 1795500000000LL,
	                         .explorer_url = "https://hivehub.dev/tx/",
	                         .how_paid = "chain",
	                         .lang = SITE_LANG_KO};
	struct font *f;
	uint8_t *buf = malloc(RECEIPT_MAX_BYTES);

	(void)state;
	assert_int_equal(font_open(KIOSK_UNIFONT_PATH, &f), KERR_OK);
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
		struct escpos_decoded d;
		struct canvas *c;
		size_t len;
		int ink_top = 0, ink_bottom = 0;

		assert_int_equal(
		    receipt_encode(f, &r, widths[w], false, buf, RECEIPT_MAX_BYTES, &len), KERR_OK);
		assert_int_equal(receipt_draw(f, &r, widths[w], &c), KERR_OK);
		assert_int_equal(escpos_decode(buf, len, &d), 0);
		assert_int_equal(d.width, c->width);
		assert_int_equal(d.height, c->height);
		for (int y = 0; y < c->height; y++)
			for (int x = 0; x < c->width; x++) {
				bool black = canvas_get_pixel(c, x, y) == 0;

				assert_int_equal(escpos_decoded_black(&d, x, y), black);
				if (black && y < 40)
					ink_top++;
				if (black && y > c->height - 30)
					ink_bottom++;
			}
		/* The co-op's name at the top, the thanks at the bottom. */
		assert_true(ink_top > 200);
		assert_true(ink_bottom > 20);
		canvas_free(c);
		escpos_decode_fini(&d);
	}
	assert_int_equal(receipt_draw(f, &r, 500, &(struct canvas *){NULL}), KERR_RANGE);
	font_close(f);
	free(buf);
}

static const struct receipt_data *sample_data(struct order *o)
{
	static struct receipt_data r;

	*o = sample();
	r = (struct receipt_data){.coop_name = "한밭 생활협동조합",
	                          .order = o,
	                          .payer = "alice",
	                          .trx_id = "83b17966229b26c02a3397b7238a12b69db68bbc",
	                          .paid_at_ms = 1795500000000LL,
	                          .printed_at_ms = 1795500095000LL,
	                          .explorer_url = "https://hivehub.dev/tx/",
	                          .how_paid = "chain",
	                          .lang = SITE_LANG_KO};
	return &r;
}

/* With --native-qr the preview is what prints: the rows above and below the
 * printer's symbol are the raster sent, and the symbol in the preview has
 * the module size escpos asks for, centred as ESC a 1 prints it. */
static void test_native_qr_preview_is_what_prints(void **state)
{
	static const unsigned widths[] = {384, 512, 576};
	struct order o;
	const struct receipt_data *r = sample_data(&o);
	struct font *f;
	uint8_t *buf = malloc(RECEIPT_MAX_BYTES);

	(void)state;
	assert_int_equal(font_open(KIOSK_UNIFONT_PATH, &f), KERR_OK);
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
		struct escpos_decoded d;
		struct canvas *c;
		struct qr *q;
		char url[128];
		size_t len;
		unsigned module = 0, rasters = 0, qr_at = 0;
		int top = -1, qr_h, x0, x1 = -1, y1 = -1, x_min = 1 << 20;

		assert_int_equal(
		    receipt_encode(f, r, widths[w], true, buf, RECEIPT_MAX_BYTES, &len), KERR_OK);
		assert_int_equal(receipt_preview(f, r, widths[w], true, &c), KERR_OK);
		assert_int_equal(escpos_decode(buf, len, &d), 0);
		for (size_t i = 0; i < d.ncmds; i++) {
			if (d.cmds[i].op == OP_RASTER && !qr_at)
				rasters += d.cmds[i].arg2;
			if (d.cmds[i].op == OP_QR && d.cmds[i].arg == 0x43)
				module = buf[d.cmds[i].off];
			if (d.cmds[i].op == OP_QR && d.cmds[i].arg == 0x50) {
				qr_at = (unsigned)i;
				snprintf(url, sizeof(url), "%.*s", (int)d.cmds[i].len - 1,
				         (const char *)buf + d.cmds[i].off + 1);
			}
		}
		assert_int_equal(module, RECEIPT_NATIVE_QR_MODULE);
		assert_string_equal(
		    url, "https://hivehub.dev/tx/83b17966229b26c02a3397b7238a12b69db68bbc");
		assert_int_equal(qr_encode(url, strlen(url), QR_ECC_M, &q), KERR_OK);
		qr_h = q->width * (int)module;
		/* The preview: the raster rows, with the symbol's rows in between. */
		assert_int_equal(d.width, c->width);
		assert_int_equal(d.height + qr_h, c->height);
		top = (int)rasters;
		for (int y = 0; y < c->height; y++)
			for (int x = 0; x < c->width; x++) {
				bool black = canvas_get_pixel(c, x, y) == 0;

				if (y < top)
					assert_int_equal(escpos_decoded_black(&d, x, y), black);
				else if (y >= top + qr_h)
					assert_int_equal(escpos_decoded_black(&d, x, y - qr_h),
					                 black);
				else if (black) {
					x_min = x < x_min ? x : x_min;
					x1 = x > x1 ? x : x1;
					y1 = y > y1 ? y : y1;
				}
			}
		/* The finder patterns fix the symbol's corners: centred, module dots a module. */
		x0 = ((int)widths[w] - qr_h) / 2;
		assert_int_equal(x_min, x0);
		assert_int_equal(x1, x0 + qr_h - 1);
		assert_int_equal(y1, top + qr_h - 1);
		qr_free(q);
		canvas_free(c);
		escpos_decode_fini(&d);
	}
	font_close(f);
	free(buf);
}

/* Item lines are line totals, exactly; an overflow is refused, not printed wrong. */
static void test_line_totals_and_overflow(void **state)
{
	struct order o;
	struct receipt_data r = *sample_data(&o);
	struct font *f;
	struct canvas *a, *b;
	bool differ = false;

	(void)state;
	assert_int_equal(font_open(KIOSK_UNIFONT_PATH, &f), KERR_OK);
	/* 2 × 1.500 shows 3.000: the same as one item of 3.000. */
	o.items[0].quantity = 2;
	o.items[0].unit_price.amount = 1500;
	strcpy(o.items[0].name, "x");
	assert_int_equal(receipt_draw(f, &r, 384, &a), KERR_OK);
	o.items[0].quantity = 1;
	o.items[0].unit_price.amount = 3000;
	assert_int_equal(receipt_draw(f, &r, 384, &b), KERR_OK);
	/* Only the "×2"/"×1" differs: the rest of the item line (the total) is equal. */
	for (int y = 0; y < a->height && y < b->height; y++)
		for (int x = 200; x < a->width; x++)
			differ |= canvas_get_pixel(a, x, y) != canvas_get_pixel(b, x, y);
	assert_false(differ);
	canvas_free(a);
	canvas_free(b);
	o.items[0].quantity = 4;
	o.items[0].unit_price.amount = INT64_MAX / 3;
	assert_int_equal(receipt_draw(f, &r, 384, &a), KERR_OVERFLOW);
	assert_null(a);
	assert_false(receipt_width_ok(500));
	assert_true(receipt_width_ok(512));
	font_close(f);
}

/* A chain payment was made when its block was (from home, days before the
 * pickup); a staff confirmation just now. Both print the print time. */
static void test_paid_time_is_the_payments_printed_time_is_now(void **state)
{
	struct order o;
	struct store_transfer t;
	struct receipt_data r = {0};
	const int64_t now = 1795600000000LL, block = 1795300000000LL;

	(void)state;
	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	strcpy(o.member, "alice");
	memset(&t, 0, sizeof(t));
	strcpy(t.from, "bob");
	strcpy(t.trx_id, "83b17966229b26c02a3397b7238a12b69db68bbc");
	t.timestamp_ms = block;

	receipt_set_payment(&r, &o, &t, NULL, now);
	assert_int_equal(r.paid_at_ms, block);
	assert_int_equal(r.printed_at_ms, now);
	assert_string_equal(r.payer, "bob");
	assert_string_equal(r.how_paid, "chain");
	assert_string_equal(r.trx_id, t.trx_id);
	assert_ptr_equal(r.order, &o);

	memset(&r, 0, sizeof(r));
	receipt_set_payment(&r, &o, NULL, NULL, now);
	assert_int_equal(r.paid_at_ms, now);
	assert_int_equal(r.printed_at_ms, now);
	assert_string_equal(r.payer, "alice");
	assert_string_equal(r.how_paid, "staff");
	assert_string_equal(r.trx_id, "");

	/* Staff took cash an hour before the receipt is printed (a reprint). */
	{
		struct store_confirmation c = {.method = PAY_CASH, .at_ms = now - 3600000};

		memset(&r, 0, sizeof(r));
		receipt_set_payment(&r, &o, NULL, &c, now);
		assert_int_equal(r.paid_at_ms, now - 3600000);
		assert_int_equal(r.printed_at_ms, now);
		assert_string_equal(r.payer, "alice");
		assert_string_equal(r.how_paid, "cash");
	}
}

/* A won-priced order: the total in won, then the asset paid, the rate with its source and
 * its time: three lines more, and only when the order is won-priced. */
static void test_a_won_price_prints_the_rate_and_the_asset_paid(void **state)
{
	struct order o;
	struct receipt_data r = *sample_data(&o);
	struct store_rate_lock lock = {.krw = 12000,
	                               .rate = {.units = 312, .scale = 0},
	                               .source = "staff",
	                               .rate_ms = 1795499000000LL};
	struct font *f;
	struct canvas *plain, *won, *paid_unknown;

	(void)state;
	assert_int_equal(font_open(KIOSK_UNIFONT_PATH, &f), KERR_OK);
	assert_int_equal(receipt_draw(f, &r, 384, &plain), KERR_OK);
	/* A lock given for an order not priced in won changes nothing. */
	r.won_lock = &lock;
	assert_int_equal(receipt_draw(f, &r, 384, &won), KERR_OK);
	assert_int_equal(won->height, plain->height);
	canvas_free(won);
	o.won = (struct asset){.amount = 12000, .precision = 0, .symbol = "KRW"};
	o.price = (struct asset){.amount = 38462, .precision = 3, .symbol = "STEEM"};
	r.paid = (struct asset){.amount = 38347, .precision = 3, .symbol = "STEEM"};
	assert_int_equal(receipt_draw(f, &r, 384, &won), KERR_OK);
	memset(&r.paid, 0, sizeof(r.paid));
	assert_int_equal(receipt_draw(f, &r, 384, &paid_unknown), KERR_OK);
	/* Three lines (paid, rate, rate time), then two without the amount paid. */
	assert_true(won->height > paid_unknown->height);
	assert_true(paid_unknown->height > plain->height);
	assert_int_equal(won->height - plain->height, 3 * (won->height - paid_unknown->height));
	canvas_free(plain);
	canvas_free(won);
	canvas_free(paid_unknown);
	font_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printed_bytes_are_the_drawn_image),
	    cmocka_unit_test(test_native_qr_preview_is_what_prints),
	    cmocka_unit_test(test_line_totals_and_overflow),
	    cmocka_unit_test(test_paid_time_is_the_payments_printed_time_is_now),
	    cmocka_unit_test(test_a_won_price_prints_the_rate_and_the_asset_paid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
