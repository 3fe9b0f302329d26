/*
 * USB printer-class printer through the kernel's usblp (/dev/usb/lp0).
 * A plain write blocks forever while the paper is out; LPABORT makes it fail
 * with ENOSPC instead, O_NONBLOCK turns "busy" into EAGAIN [linux
 * drivers/usb/class/usblp.c usblp_wwait(), usblp_ioctl()].
 */
#include "printer_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kiosk/log.h"

struct usblp_printer {
	struct printer base;
	int fd;
};

#define to_usblp(p) container_of(p, struct usblp_printer, base)

void printer_lp_status_decode(int lp_status, struct escpos_status *st)
{
	memset(st, 0, sizeof(*st));
	st->known = true;
	st->paper_end = lp_status & LP_POUTPA;
	st->offline = !(lp_status & LP_PSELECD);
	st->error = !(lp_status & LP_PERRORP); /* active low: set = no error */
}

static enum kerr usblp_write_some(struct printer *p, const uint8_t *data, size_t len, size_t *done)
{
	ssize_t n;

	*done = 0;
	if (to_usblp(p)->fd < 0)
		return KERR_IO;
	n = write(to_usblp(p)->fd, data, len);
	if (n >= 0) {
		*done = (size_t)n;
		return KERR_OK;
	}
	switch (errno) {
	case EAGAIN:
	case EINTR:
		return KERR_OK;
	case ENOSPC:
		log_err("printer %s: paper out; load a new roll", p->cfg->device);
		return KERR_OFFLINE;
	default:
		log_err("printer %s: write failed: %s; check power and the USB cable",
		        p->cfg->device, strerror(errno));
		return KERR_IO;
	}
}

static enum kerr usblp_status(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	int s = 0;

	/* A USB control request the kernel bounds itself; no wait of ours. */
	(void)timeout_ms;
	if (to_usblp(p)->fd < 0)
		return KERR_IO;
	if (ioctl(to_usblp(p)->fd, LPGETSTATUS, &s) < 0) {
		log_err("printer %s: LPGETSTATUS failed: %s", p->cfg->device, strerror(errno));
		return errno == ETIMEDOUT ? KERR_TIMEOUT : KERR_IO;
	}
	printer_lp_status_decode(s, st);
	return KERR_OK;
}

static enum kerr usblp_status_now(struct printer *p, struct escpos_status *st)
{
	return usblp_status(p, 0, st);
}

static int usblp_fd(struct printer *p)
{
	return to_usblp(p)->fd;
}

static void usblp_drop(struct printer *p)
{
	struct usblp_printer *u = to_usblp(p);

	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	p->present = false;
}

static void usblp_close(struct printer *p)
{
	usblp_drop(p);
	free(to_usblp(p));
}

static size_t usblp_pending(struct printer *p)
{
	(void)p;
	return 0; /* usblp keeps no queue we can see: a write returns once it is sent */
}

static unsigned usblp_bytes_per_s(struct printer *p)
{
	(void)p;
	return 0;
}

static enum kerr usblp_reopen(struct printer *p)
{
	const struct board_printer *cfg = p->cfg;
	int fd;

	usblp_drop(p);
	fd = open(cfg->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_err("printer %s: cannot open: %s; is the printer plugged in and the kiosk user "
		        "in group lp?",
		        cfg->device, strerror(errno));
		return KERR_IO;
	}
	if (ioctl(fd, LPABORT, 1) < 0) {
		log_err("printer %s: LPABORT failed (%s): not a usblp device", cfg->device,
		        strerror(errno));
		close(fd);
		return KERR_IO;
	}
	to_usblp(p)->fd = fd;
	p->present = true;
	return KERR_OK;
}

/* No DLE EOT over usblp: its read path is optional and many printers have
 * none; LPGETSTATUS (status_now) answers instead. */
static const struct printer_ops printer_usblp_ops = {
    .name = "usblp",
    .write_some = usblp_write_some,
    .status = usblp_status,
    .fd = usblp_fd,
    .close = usblp_close,
    .status_now = usblp_status_now,
    .pending = usblp_pending,
    .reopen = usblp_reopen,
    .drop = usblp_drop,
    .bytes_per_s = usblp_bytes_per_s,
};

enum kerr printer_usblp_new(const struct board_printer *cfg, struct printer **out)
{
	struct usblp_printer *u;

	*out = NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return KERR_NOMEM;
	u->fd = -1;
	u->base.ops = &printer_usblp_ops;
	u->base.cfg = cfg;
	*out = &u->base;
	return KERR_OK;
}

enum kerr printer_usblp_open(const struct board_printer *cfg, struct printer **out)
{
	enum kerr err = printer_usblp_new(cfg, out);

	if (!err)
		err = usblp_reopen(*out);
	if (err && *out) {
		usblp_close(*out);
		*out = NULL;
	}
	return err;
}
