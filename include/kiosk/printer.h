/*
 * Receipt printer ports: the bytes of an ESC/POS job go out through one ops
 * table with backends serial (termios tty), usblp (/dev/usb/lp0) and sim (a
 * file). Writes never block: a job that the printer does not take within its
 * timeout fails with KERR_TIMEOUT instead of hanging the kiosk.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stdbool.h>
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
	/* The fd to poll for POLLOUT while a job waits (POLLIN for a status reply);
	 * -1 if always writable or while the device is missing. */
	int (*fd)(struct printer *p);
	void (*close)(struct printer *p);
	/* Non-blocking status for the event loop (print_job.h). Sends DLE EOT n;
	 * NULL when the port has no way back over the data line (usblp). */
	enum kerr (*status_query)(struct printer *p, enum escpos_status_kind n);
	/* One reply byte if one has come: KERR_OK, KERR_BUSY when none yet, KERR_IO. */
	enum kerr (*status_read)(struct printer *p, uint8_t *byte);
	/* Status without a round trip on the data line (usblp LPGETSTATUS), answered
	 * at once; NULL when only DLE EOT can tell (serial). */
	enum kerr (*status_now)(struct printer *p, struct escpos_status *st);
	/* Bytes taken by write_some but still queued in the port (TIOCOUTQ); 0 if unknown. */
	size_t (*pending)(struct printer *p);
	/* Drops the device (closes its fd) and opens it again; KERR_IO while it is
	 * missing. The printer object stays the same either way. */
	enum kerr (*reopen)(struct printer *p);
	/* Closes the device, keeping the object: missing until reopen() succeeds. */
	void (*drop)(struct printer *p);
	/* Line rate in bytes per second (serial: baud / 10); 0 when not known (USB). */
	unsigned (*bytes_per_s)(struct printer *p);
};

struct printer {
	const struct printer_ops *ops;
	const struct board_printer *cfg; /* borrowed from the board file */
	bool present;                    /* device open; false: missing (unplugged) */
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

/*
 * The printer of cfg->backend ("sim", "serial", "usblp"), for the kiosk: a
 * device that is missing or fails to open is not fatal here: *out is a
 * printer with present = false, and printer_reopen() looks for it again.
 * KERR_NOTSUP for backend "none" or an unknown one; KERR_INVAL for settings
 * no device could fix (a baud rate termios does not have); KERR_NOMEM.
 */
KIOSK_MUST_CHECK enum kerr printer_open(const struct board_printer *cfg, struct printer **out);
/* Opens the device again (after an unplug or an I/O error); KERR_IO while it is missing. */
KIOSK_MUST_CHECK enum kerr printer_reopen(struct printer *p);
/* Closes the device after an error; the object stays, missing until printer_reopen(). */
void printer_drop(struct printer *p);
static inline bool printer_present(const struct printer *p)
{
	return p->present;
}

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
