/* Simulator input: lines on stdin stand for buttons, keypad keys and scans. */
#include <string.h>

#include "kiosk/input.h"

enum kerr input_sim_parse(const char *line, struct input_action *out, size_t *consumed)
{
	static const struct {
		const char *word;
		enum input_button b;
	} buttons[] = {
	    {"n", INPUT_BTN_NEXT},  {"next", INPUT_BTN_NEXT}, {"p", INPUT_BTN_PREV},
	    {"prev", INPUT_BTN_PREV}, {"ok", INPUT_BTN_OK},   {"staff", INPUT_BTN_STAFF},
	};
	size_t len = strcspn(line, "\r\n");

	memset(out, 0, sizeof(*out));
	*consumed = 0;
	if (len == 0)
		return KERR_PARSE;
	if (line[0] >= '0' && line[0] <= '9') {
		out->kind = INPUT_KEY;
		out->key = line[0];
		*consumed = 1;
		return KERR_OK;
	}
	if (strncmp(line, "scan:", 5) == 0) {
		size_t n = len - 5;

		if (n == 0 || n > INPUT_SCAN_MAX)
			return KERR_PARSE;
		out->kind = INPUT_SCAN;
		memcpy(out->text, line + 5, n);
		out->text[n] = '\0';
		*consumed = len;
		return KERR_OK;
	}
	if (len == 5 && strncmp(line, "enter", 5) == 0) {
		out->kind = INPUT_KEY;
		out->key = '\n';
		*consumed = len;
		return KERR_OK;
	}
	for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
		if (strlen(buttons[i].word) == len && strncmp(line, buttons[i].word, len) == 0) {
			out->kind = INPUT_BUTTON;
			out->button = buttons[i].b;
			*consumed = len;
			return KERR_OK;
		}
	return KERR_PARSE;
}
