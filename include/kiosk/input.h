/*
 * What the member or staff does: buttons (GPIO), keys from a USB numeric
 * keypad, whole scans from a USB 2D barcode scanner (both keyboards to the
 * kernel: evdev), and, in the simulator, lines typed on stdin. Decoding is
 * pure and separate from the fd reading, so it is tested with recorded
 * key sequences.
 */
#ifndef KIOSK_INPUT_H
#define KIOSK_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define INPUT_SCAN_MAX 512

enum input_kind { INPUT_BUTTON, INPUT_KEY, INPUT_SCAN };
enum input_button { INPUT_BTN_NEXT, INPUT_BTN_PREV, INPUT_BTN_OK, INPUT_BTN_STAFF };

struct input_action {
	enum input_kind kind;
	enum input_button button;       /* INPUT_BUTTON */
	char key;                       /* INPUT_KEY: '0'-'9', '\n' enter, '\b' backspace, '*', '#' */
	char text[INPUT_SCAN_MAX + 1];  /* INPUT_SCAN */
};

/* A keyboard-like device decoded from Linux input events (EV_KEY codes). */
enum input_role { INPUT_KEYPAD, INPUT_SCANNER };

struct input_decoder {
	enum input_role role;
	unsigned timeout_ms;            /* scanner: a scan unfinished this long is dropped */
	bool shift;
	size_t len;
	char buf[INPUT_SCAN_MAX + 1];
	int64_t last_ms;
	bool overflow;
};

void input_decoder_init(struct input_decoder *d, enum input_role role, unsigned timeout_ms);

/*
 * Feeds one evdev event (type, code, value; at ms). Returns true and fills
 * *out when an event is complete: a key (keypad) or a whole scan ended by
 * Enter (scanner). Key repeats (value 2) and releases are ignored; a scan
 * longer than INPUT_SCAN_MAX is dropped whole, with a log line.
 */
bool input_decoder_feed(struct input_decoder *d, uint16_t type, uint16_t code, int32_t value,
                        int64_t ms, struct input_action *out);

/* Parses one simulator line ("3", "ok", "n", "p", "staff", "scan:TEXT",
 * "enter"); KERR_PARSE for anything else. Digits give INPUT_KEY events one
 * at a time: *consumed says how many bytes of line this event used. */
KIOSK_MUST_CHECK enum kerr input_sim_parse(const char *line, struct input_action *out, size_t *consumed);

/* Opens an evdev device and grabs it (EVIOCGRAB) so its keys reach only us.
 * KERR_NOTFOUND (not plugged in), KERR_AUTH (no permission) or KERR_IO;
 * the caller says so, once, and tries again later. */
KIOSK_MUST_CHECK enum kerr input_evdev_open(const char *path, int *fd);

/* Reads what is pending on fd through d; calls fn for each complete event.
 * KERR_IO when the device is gone (unplugged): close it and open it again later. */
KIOSK_MUST_CHECK enum kerr input_evdev_read(int fd, struct input_decoder *d, int64_t now_ms,
                                            void (*fn)(const struct input_action *e, void *arg),
                                            void *arg);

#endif
