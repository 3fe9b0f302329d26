/*
 * The board file (boards/<name>.conf), parsed and validated: which backend
 * each driver uses, device paths, GPIO lines by name, and the locker bank.
 * Const after start-up; drivers borrow the parts they need.
 */
#ifndef KIOSK_BOARD_H
#define KIOSK_BOARD_H

#include <stdbool.h>

#define BOARD_NAME_MAX    32
#define BOARD_PATH_MAX    128
#define BOARD_BACKEND_MAX 16
#define BOARD_LOCKERS_MAX 32

enum board_bias {
	BOARD_BIAS_AS_IS = 0,
	BOARD_BIAS_DISABLE,
	BOARD_BIAS_PULL_UP,
	BOARD_BIAS_PULL_DOWN,
};

/* A GPIO line found by its kernel name ("GPIO17"); empty name = not wired. */
struct board_line {
	char name[BOARD_NAME_MAX];
	bool active_low;
	enum board_bias bias;
	unsigned config_line; /* line in the board file, for messages */
};

static inline bool board_line_used(const struct board_line *l)
{
	return l->name[0] != '\0';
}

struct board_display {
	char backend[BOARD_BACKEND_MAX]; /* sim, fbdev, st7789, ili9341, ssd1306 */
	char device[BOARD_PATH_MAX]; /* /dev/fb0, /dev/spidev0.0, /dev/i2c-1; sim: output folder */
	int width, height;           /* panel pixels before rotation */
	unsigned rotation;           /* 0, 90, 180, 270 */
	unsigned spi_hz;
	unsigned i2c_addr;
	struct board_line dc, reset, backlight;
	bool terminal; /* sim: also draw in the terminal */
};

struct board_gpio {
	char backend[BOARD_BACKEND_MAX]; /* sim, gpiod */
	unsigned debounce_ms;
	char sim_trace[BOARD_PATH_MAX]; /* sim: append every output change here */
};

struct board_locker {
	unsigned number;        /* compartment number shown to members, 1.. */
	struct board_line lock; /* relay driving the solenoid */
	struct board_line door; /* reed switch; active = door open */
};

struct board_lockers {
	unsigned count;
	unsigned pulse_ms;        /* lock pulse; capped by the locker module */
	unsigned door_timeout_ms; /* pulse to door-open before a retry */
	unsigned door_alarm_s;    /* door left open longer raises an alarm */
	struct board_locker c[BOARD_LOCKERS_MAX];
};

struct board_printer {
	char backend[BOARD_BACKEND_MAX]; /* none, sim, serial, usblp */
	char device[BOARD_PATH_MAX];     /* /dev/serial0, /dev/usb/lp0; sim: output file */
	unsigned baud;
	bool rtscts;
	unsigned width_dots; /* 384 (58 mm), 512 (80 mm at 180 dpi) or 576 (80 mm) */
	bool native_qr;      /* GS ( k instead of a raster QR */
	unsigned status_timeout_ms;
	char status[BOARD_BACKEND_MAX]; /* auto (DLE EOT / LPGETSTATUS), none: trust the write */
	unsigned sim_baud;              /* sim: pace the printer like a serial line; 0 = unpaced */
};

struct board_input {
	struct board_line btn_next, btn_prev, btn_ok, btn_staff;
	char keypad[BOARD_PATH_MAX]; /* /dev/input/by-id/...; empty = none */
	char scanner[BOARD_PATH_MAX];
	bool sim_stdin; /* sim: read keys and scans from stdin */
	unsigned scan_timeout_ms;
};

struct board {
	char name[BOARD_NAME_MAX];
	char path[BOARD_PATH_MAX]; /* the file it came from, for messages */
	struct board_display display;
	struct board_gpio gpio;
	struct board_lockers lockers;
	struct board_printer printer;
	struct board_input input;
};

#endif
