/* Keypad and scanner decoding from recorded evdev key sequences, and the
 * simulator's stdin lines. */
#include "kiosk/input.h"

#include <linux/input.h>
#include <string.h>

#include "testutil.h"

struct key {
	uint16_t code;
	int32_t value;
	int64_t ms;
};

/* Presses (and releases) for text on a US keyboard, as a scanner sends them. */
static size_t type_text(const char *text, struct key *out, int64_t ms)
{
	static const char *const rows[] = {"1234567890-=", "qwertyuiop[]", "asdfghjkl;'",
	                                   "zxcvbnm,./"};
	static const uint16_t codes[][13] = {
	    {KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0, KEY_MINUS,
	     KEY_EQUAL},
	    {KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P, KEY_LEFTBRACE,
	     KEY_RIGHTBRACE},
	    {KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L, KEY_SEMICOLON,
	     KEY_APOSTROPHE},
	    {KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M, KEY_COMMA, KEY_DOT, KEY_SLASH},
	};
	static const char shifted[] = "!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?";
	static const char plain[] = "1234567890-=qwertyuiop[]asdfghjkl;'zxcvbnm,./";
	size_t n = 0;

	for (const char *p = text; *p; p++) {
		const char *at = strchr(shifted, *p);
		char c = at ? plain[at - shifted] : *p;
		bool shift = at != NULL;

		if (shift)
			out[n++] = (struct key){KEY_LEFTSHIFT, 1, ms};
		for (int r = 0; r < 4; r++) {
			const char *q = strchr(rows[r], c);

			if (q) {
				out[n++] = (struct key){codes[r][q - rows[r]], 1, ms};
				out[n++] = (struct key){codes[r][q - rows[r]], 0, ms};
			}
		}
		if (shift)
			out[n++] = (struct key){KEY_LEFTSHIFT, 0, ms};
		ms++;
	}
	return n;
}

static void test_scanner_reads_a_payment_uri_with_mixed_case_and_symbols(void **state)
{
	static const char text[] = "hive://sign/op/WyJ0cmFuc2Zlci?cb=aHR0cHM6Ly9_x.&nb=";
	struct key keys[512];
	struct input_decoder d;
	struct input_action a;
	size_t n = type_text(text, keys, 1000);
	int got = 0;

	(void)state;
	input_decoder_init(&d, INPUT_SCANNER, 300);
	for (size_t i = 0; i < n; i++)
		assert_false(
		    input_decoder_feed(&d, EV_KEY, keys[i].code, keys[i].value, keys[i].ms, &a));
	/* Repeat and sync events change nothing. */
	assert_false(input_decoder_feed(&d, EV_KEY, KEY_A, 2, 1100, &a));
	assert_false(input_decoder_feed(&d, EV_SYN, 0, 0, 1100, &a));
	got = input_decoder_feed(&d, EV_KEY, KEY_ENTER, 1, 1101, &a);
	assert_true(got);
	assert_int_equal(a.kind, INPUT_SCAN);
	assert_string_equal(a.text, text);
}

static void test_a_half_scan_times_out_and_is_dropped(void **state)
{
	struct key keys[64];
	struct input_decoder d;
	struct input_action a;
	size_t n = type_text("A10", keys, 1000);

	(void)state;
	input_decoder_init(&d, INPUT_SCANNER, 300);
	for (size_t i = 0; i < n; i++)
		assert_false(
		    input_decoder_feed(&d, EV_KEY, keys[i].code, keys[i].value, keys[i].ms, &a));
	/* Much later a new scan starts: the stale half is gone. */
	n = type_text("B7", keys, 5000);
	for (size_t i = 0; i < n; i++)
		assert_false(
		    input_decoder_feed(&d, EV_KEY, keys[i].code, keys[i].value, keys[i].ms, &a));
	assert_true(input_decoder_feed(&d, EV_KEY, KEY_ENTER, 1, 5003, &a));
	assert_string_equal(a.text, "B7");
	/* Enter alone is no scan. */
	assert_false(input_decoder_feed(&d, EV_KEY, KEY_ENTER, 1, 5004, &a));
}

static void test_oversize_scan_is_dropped_whole(void **state)
{
	struct input_decoder d;
	struct input_action a;

	(void)state;
	input_decoder_init(&d, INPUT_SCANNER, 0);
	for (int i = 0; i < INPUT_SCAN_MAX + 10; i++)
		assert_false(input_decoder_feed(&d, EV_KEY, KEY_A, 1, i, &a));
	assert_false(input_decoder_feed(&d, EV_KEY, KEY_ENTER, 1, 999, &a));
	assert_false(input_decoder_feed(&d, EV_KEY, KEY_B, 1, 1000, &a));
	assert_true(input_decoder_feed(&d, EV_KEY, KEY_ENTER, 1, 1001, &a));
	assert_string_equal(a.text, "b");
}

static void test_keypad_gives_digits_enter_and_backspace(void **state)
{
	static const uint16_t seq[] = {KEY_KP1,       KEY_KP0,     KEY_2, KEY_KP4,
	                               KEY_BACKSPACE, KEY_KPENTER, KEY_A};
	static const char want[] = {'1', '0', '2', '4', '\b', '\n'};
	struct input_decoder d;
	struct input_action a;
	size_t got = 0;

	(void)state;
	input_decoder_init(&d, INPUT_KEYPAD, 0);
	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		if (input_decoder_feed(&d, EV_KEY, seq[i], 1, (int64_t)i, &a)) {
			assert_int_equal(a.kind, INPUT_KEY);
			assert_int_equal(a.key, want[got++]);
		}
		assert_false(input_decoder_feed(&d, EV_KEY, seq[i], 0, (int64_t)i, &a));
	}
	assert_int_equal(got, ARRAY_SIZE(want));
}

static void test_simulator_lines(void **state)
{
	struct input_action a;
	size_t used;

	(void)state;
	assert_int_equal(input_sim_parse("1024\n", &a, &used), KERR_OK);
	assert_int_equal(a.kind, INPUT_KEY);
	assert_int_equal(a.key, '1');
	assert_int_equal(used, 1);
	assert_int_equal(input_sim_parse("ok\n", &a, &used), KERR_OK);
	assert_int_equal(a.button, INPUT_BTN_OK);
	assert_int_equal(input_sim_parse("staff", &a, &used), KERR_OK);
	assert_int_equal(a.button, INPUT_BTN_STAFF);
	assert_int_equal(input_sim_parse("scan:order:A1024", &a, &used), KERR_OK);
	assert_int_equal(a.kind, INPUT_SCAN);
	assert_string_equal(a.text, "order:A1024");
	assert_int_equal(input_sim_parse("enter", &a, &used), KERR_OK);
	assert_int_equal(a.key, '\n');
	assert_int_equal(input_sim_parse("launch", &a, &used), KERR_PARSE);
	assert_int_equal(input_sim_parse("", &a, &used), KERR_PARSE);
	assert_int_equal(input_sim_parse("scan:", &a, &used), KERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scanner_reads_a_payment_uri_with_mixed_case_and_symbols),
	    cmocka_unit_test(test_a_half_scan_times_out_and_is_dropped),
	    cmocka_unit_test(test_oversize_scan_is_dropped_whole),
	    cmocka_unit_test(test_keypad_gives_digits_enter_and_backspace),
	    cmocka_unit_test(test_simulator_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
