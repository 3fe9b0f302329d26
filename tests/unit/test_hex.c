/* The one hex decoder and encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/hex.h"

static void digits(void **state)
{
	(void)state;
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('9'), 9);
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_digit('\0'), -1);
	assert_int_equal(hex_digit(' '), -1);
}

static void round_trip(void **state)
{
	const uint8_t in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	uint8_t out[sizeof(in)];
	char hex[2 * sizeof(in) + 1];
	size_t bad = 7;

	(void)state;
	hex_encode(in, sizeof(in), hex);
	assert_string_equal(hex, "00017f80abff");
	assert_int_equal(hex_decode("00017F80ABff", 12, out, sizeof(out), &bad), KERR_OK);
	assert_memory_equal(out, in, sizeof(in));
	assert_int_equal(bad, 7); /* untouched on success */
}

static void refusals_say_where(void **state)
{
	uint8_t out[4];
	size_t bad = 0;

	(void)state;
	assert_int_equal(hex_decode("0011223", 7, out, 4, &bad), KERR_PARSE);
	assert_true(bad == SIZE_MAX);
	assert_int_equal(hex_decode("0011223344", 10, out, 4, &bad), KERR_PARSE);
	assert_true(bad == SIZE_MAX);
	assert_int_equal(hex_decode("00112x33", 8, out, 4, &bad), KERR_PARSE);
	assert_int_equal(bad, 5);
	assert_int_equal(hex_decode("g0112233", 8, out, 4, &bad), KERR_PARSE);
	assert_int_equal(bad, 0);
	assert_int_equal(hex_decode("", 0, out, 0, NULL), KERR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(digits),
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(refusals_say_where),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
