/* The receipt: the bytes a printer gets decode back to exactly the image
 * drawn, for both paper widths, with the text rows where they should be. */
#include "kiosk/receipt.h"

#include <stdlib.h>
#include <string.h>

#include "escpos_decode.h"
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
	static const unsigned widths[] = {384, 576};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printed_bytes_are_the_drawn_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
