/*
 * Receipt printer ports: the bytes of an ESC/POS job go out through one ops
 * table with backends serial (termios tty), usblp (/dev/usb/lp0) and sim (a
 * file). Writes never block: a job that the printer does not take within its
 * timeout fails with KERR_TIMEOUT instead of hanging the kiosk.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/escpos.h"
#include "kiosk/kerr.h"

struct printer;

struct printer_ops {
	const char *name; /* "serial", "usblp", "sim" */
	/* Takes what the device accepts now: *done bytes (0 when it is full). KERR_OFFLINE
	 * when the device refuses for good (paper out on usblp), KERR_IO otherwise. */
	enum kerr (*write_some)(struct printer *p, const uint8_t *data, size_t len, size_t *done);
	/* Asks the printer about itself, waiting at most timeout_ms for the answer. */
	enum kerr (*status)(struct printer *p, unsigned timeout_ms, struct escpos_status *st);
	/* The fd to poll for POLLOUT while a job waits; -1 if always writable. */
	int (*fd)(struct printer *p);
	void (*close)(struct printer *p);
};

struct printer {
	const struct printer_ops *ops;
	const struct board_printer *cfg; /* borrowed from the board file */
};

/*
 * Sends data[len] whole, polling the device, for at most timeout_ms.
 * KERR_OK when the device took every byte (it may still be printing);
 * KERR_TIMEOUT if it stopped taking data (busy, paper out on a serial
 * printer, flow control held); KERR_OFFLINE if it refused (paper out on
 * usblp); KERR_IO. Each failure is logged with the device and what to check.
 * A failed job may have been partly printed: the caller journals it as such.
 */
KIOSK_MUST_CHECK enum kerr printer_write(struct printer *p, const uint8_t *data, size_t len,
                                         unsigned timeout_ms);

/*
 * Fills *st from the printer within timeout_ms. KERR_OK when it answered
 * (st->known; read the flags); KERR_TIMEOUT when it did not (st->known =
 * false: status unknown); KERR_PROTO for a reply that is no status byte; KERR_IO.
 */
KIOSK_MUST_CHECK enum kerr printer_status(struct printer *p, unsigned timeout_ms,
                                          struct escpos_status *st);

/* printer_status() and its verdict: KERR_OK only if the printer answered and can
 * print now; otherwise KERR_OFFLINE (paper end, cover open, offline, error:
 * logged with escpos_status_str()) or the error of printer_status(). */
KIOSK_MUST_CHECK enum kerr printer_ready(struct printer *p, unsigned timeout_ms,
                                         struct escpos_status *st);

void printer_close(struct printer *p);

/* The USB printer-class status byte (LPGETSTATUS) as a status: paper out
 * 0x20, selected 0x10, no error 0x08 (active low). Cover open is not reported. */
void printer_lp_status_decode(int lp_status, struct escpos_status *st);

/*
 * Backends; firmware/app picks one by the board's printer backend. On failure
 * *out = NULL and the cause is logged with the device: KERR_IO (open, ioctl,
 * termios), KERR_INVAL (a baud rate termios does not have).
 * serial: cfg->device raw 8N1 at cfg->baud (19200 when 0), RTS/CTS if cfg->rtscts.
 * usblp: cfg->device (/dev/usb/lp0) non-blocking, aborting on paper out.
 * sim: appends every job to the file cfg->device; test controls in printer_sim.h.
 */
KIOSK_MUST_CHECK enum kerr printer_serial_open(const struct board_printer *cfg,
                                               struct printer **out);
KIOSK_MUST_CHECK enum kerr printer_usblp_open(const struct board_printer *cfg,
                                              struct printer **out);
KIOSK_MUST_CHECK enum kerr printer_sim_open(const struct board_printer *cfg, struct printer **out);

#endif
