/*
 * The keypad and the barcode scanner: arbitrary evdev events through the
 * decoder (8 bytes an event: type, code, value, and how many ms passed),
 * both roles, and simulator lines. No crash; every action is well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/input.h"
#include "kiosk/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level lvl, const char *line, void *arg)
{
	(void)lvl;
	(void)line;
	(void)arg;
}

static void check(const struct input_action *a)
{
	switch (a->kind) {
	case INPUT_BUTTON:
		if (a->button > INPUT_BTN_STAFF)
			abort();
		break;
	case INPUT_KEY:
		if (!strchr("0123456789\n\b*#", a->key) || !a->key)
			abort();
		break;
	case INPUT_SCAN:
		if (strnlen(a->text, sizeof(a->text)) > INPUT_SCAN_MAX)
			abort();
		break;
	default:
		abort();
	}
}

static void on_action(const struct input_action *a, void *arg)
{
	(void)arg;
	check(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct input_decoder d;
	static struct input_action a;
	int64_t ms = 1000;
	char *line;

	log_set_sink(quiet, NULL);
	if (size < 1)
		return 0;
	input_decoder_init(&d, data[0] & 1 ? INPUT_SCANNER : INPUT_KEYPAD, data[0] & 2 ? 0 : 100);
	for (size_t i = 1; i + 8 <= size; i += 8) {
		const uint8_t *e = data + i;
		uint16_t type = (uint16_t)(e[0] & 3), code = (uint16_t)(e[1] | (e[2] & 1) << 8);
		int32_t value = (int32_t)(e[3] | e[4] << 8 | e[5] << 16 | (uint32_t)e[6] << 24);

		/* Mostly EV_KEY (1) presses (1), releases (0) and repeats (2), as a keyboard sends.
		 */
		if (!(e[7] & 0x80)) {
			type = 1;
			value = e[3] % 3;
		}
		ms += e[7] & 0x7f;
		if (input_decoder_feed(&d, type, code, value, ms, &a))
			check(&a);
	}
	line = malloc(size);
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	input_sim_line(line, on_action, NULL);
	free(line);
	return 0;
}
