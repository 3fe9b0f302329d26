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
	enum input_button button; /* INPUT_BUTTON */
	char key;                 /* INPUT_KEY: '0'-'9', '\n' enter, '\b' backspace, '*', '#' */
	char text[INPUT_SCAN_MAX + 1]; /* INPUT_SCAN */
};

/* A keyboard-like device decoded from Linux input events (EV_KEY codes). */
enum input_role { INPUT_KEYPAD, INPUT_SCANNER };

struct input_decoder {
	enum input_role role;
	unsigned timeout_ms; /* scanner: a scan unfinished this long is dropped */
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
KIOSK_MUST_CHECK enum kerr input_sim_parse(const char *line, struct input_action *out,
                                           size_t *consumed);

/* Opens an evdev device and grabs it (EVIOCGRAB) so its keys reach only us.
 * KERR_NOTFOUND (not plugged in), KERR_AUTH (no permission) or KERR_IO;
 * the caller says so, once, and tries again later. */
KIOSK_MUST_CHECK enum kerr input_evdev_open(const char *path, int *fd);

/* Reads what is pending on fd through d; calls fn for each complete event.
 * KERR_IO when the device is gone (unplugged): close it and open it again later. */
KIOSK_MUST_CHECK enum kerr input_evdev_read(int fd, struct input_decoder *d, int64_t now_ms,
                                            void (*fn)(const struct input_action *e, void *arg),
                                            void *arg);

/*
 * An input device behind an ops table: a USB keypad or scanner (evdev), or
 * the simulator's lines on a file descriptor (stdin). The backend owns its
 * state and says which fd to poll; the program watches that fd with its
 * loop, calls input_read() when it is ready, and after a failed open or a
 * device gone calls input_open() again retry_ns later.
 */
struct input_dev;

/* Where a device's events go; arg is passed back as is. */
struct input_sink {
	void (*action)(const struct input_action *a, void *arg);
	/* sim: "press LINE", a finger on a GPIO button of the simulated board;
	 * NULL: such lines are read like any other (and mean nothing). */
	void (*press)(const char *line, void *arg);
	void *arg;
};

struct input_ops {
	const char *name; /* "evdev", "sim" */
	int64_t retry_ns; /* open again this long after it failed; 0 = never */
	/* Opens the device; on failure it says why in the log, once per change. */
	enum kerr (*open)(struct input_dev *d);
	/* Reads what poll(2) found ready. KERR_IO: the device is gone; close it. */
	enum kerr (*read)(struct input_dev *d, short revents, int64_t now_ms);
	/* Closes what open() opened; the device may be opened again. */
	void (*close)(struct input_dev *d);
	void (*free)(struct input_dev *d);
};

struct input_dev {
	const struct input_ops *ops;
	int fd; /* to poll for POLLIN; -1 while closed */
	struct input_sink sink;
};

KIOSK_MUST_CHECK enum kerr input_open(struct input_dev *d);
KIOSK_MUST_CHECK enum kerr input_read(struct input_dev *d, short revents, int64_t now_ms);
void input_close(struct input_dev *d);
/* Closes d if it is open, and frees it; NULL is fine. */
void input_free(struct input_dev *d);

/* Backends; nothing is opened until input_open(). what ("keypad",
 * "scanner") and path are borrowed, for the log and the open. */
KIOSK_MUST_CHECK enum kerr input_evdev_new(const char *what, const char *path, enum input_role role,
                                           unsigned scan_timeout_ms, const struct input_sink *sink,
                                           struct input_dev **out);
/* Lines read from fd (borrowed: never closed here), as input_sim_line() reads
 * them; a line of digits ends with Enter, as on the keypad. */
KIOSK_MUST_CHECK enum kerr input_sim_new(int fd, const struct input_sink *sink,
                                         struct input_dev **out);

/* Feeds one simulator line to fn: each digit as a key, or one other event. */
void input_sim_line(const char *line, void (*fn)(const struct input_action *a, void *arg),
                    void *arg);

#endif
