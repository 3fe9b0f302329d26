/* kioskctl receipt: the bytes decode to a 1-bit image whose QR links to the
 * transaction, for both paper widths; the native-QR option adds GS ( k. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display/display_sim.h"
#include "escpos_decode.h"
#include "runbin.h"
#include "testutil.h"

#define TX_URL "https://hivehub.dev/tx/83b17966229b26c02a3397b7238a12b69db68bbc"

static void decode_file(const char *path, struct escpos_decoded *d)
{
	size_t len;
	char *buf = read_file_or_fail(path, &len);

	if (escpos_decode((const uint8_t *)buf, len, d) != 0)
		fail_msg("%s: %s", path, d->error);
	free(buf);
}

static void zbar_equals(const char *png, const char *want)
{
	char cmd[600], got[512] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s 2>/dev/null", png);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(got, sizeof(got), p))
		got[0] = '\0';
	pclose(p);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, want);
}

static void test_printed_image_carries_the_transaction_qr(void **state)
{
	static const unsigned widths[] = {384, 576};
	char *dir = tmpdir_or_fail();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		char args[1200], out[1024], bin[300], png[300], img[300];
		struct escpos_decoded d;
		struct canvas *c;

		snprintf(bin, sizeof(bin), "%s/r%u.bin", dir, widths[i]);
		snprintf(png, sizeof(png), "%s/r%u.png", dir, widths[i]);
		snprintf(args, sizeof(args), "receipt --sample --width %u --out %s --png %s",
		         widths[i], bin, png);
		assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
		decode_file(bin, &d);
		assert_int_equal(d.cmds[0].op, OP_INIT);
		assert_int_equal(d.width, (int)widths[i]);
		assert_true(d.height > 300);
		assert_int_equal(d.cmds[d.ncmds - 1].op, OP_CUT);
		/* What the printer would print, read back as an image. */
		assert_int_equal(canvas_new(CANVAS_MONO1, d.width, d.height, &c), KERR_OK);
		for (int y = 0; y < d.height; y++)
			for (int x = 0; x < d.width; x++)
				canvas_set_pixel(c, x, y,
				                 escpos_decoded_black(&d, x, y) ? 0 : 0xffffff);
		snprintf(img, sizeof(img), "%s/printed%u.png", dir, widths[i]);
		assert_int_equal(display_sim_write_png(c, img), KERR_OK);
		zbar_equals(img, TX_URL);
		zbar_equals(png, TX_URL);
		canvas_free(c);
		escpos_decode_fini(&d);
	}
	rm_rf(dir);
	free(dir);
}

static void test_native_qr_and_bad_arguments(void **state)
{
	char *dir = tmpdir_or_fail(), args[600], out[1024], bin[300];
	struct escpos_decoded d;
	bool qr = false;

	(void)state;
	snprintf(bin, sizeof(bin), "%s/n.bin", dir);
	snprintf(args, sizeof(args), "receipt --sample --native-qr --out %s", bin);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, sizeof(out)), 0);
	decode_file(bin, &d);
	for (size_t i = 0; i < d.ncmds; i++)
		qr |= d.cmds[i].op == OP_QR;
	assert_true(qr);
	escpos_decode_fini(&d);
	assert_int_equal(
	    runbin_or_fail("kioskctl", "receipt --sample --width 500 --out x", out, sizeof(out)),
	    2);
	assert_int_equal(runbin_or_fail("kioskctl", "receipt --out x", out, sizeof(out)), 2);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printed_image_carries_the_transaction_qr),
	    cmocka_unit_test(test_native_qr_and_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
