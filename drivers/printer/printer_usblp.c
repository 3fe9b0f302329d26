/*
 * USB printer-class printer through the kernel's usblp (/dev/usb/lp0).
 * A plain write blocks forever while the paper is out; LPABORT makes it fail
 * with ENOSPC instead, O_NONBLOCK turns "busy" into EAGAIN [linux
 * drivers/usb/class/usblp.c usblp_wwait(), usblp_ioctl()].
 */
#include "kiosk/printer.h"

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
	ssize_t n = write(to_usblp(p)->fd, data, len);

	*done = 0;
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
	if (ioctl(to_usblp(p)->fd, LPGETSTATUS, &s) < 0) {
		log_err("printer %s: LPGETSTATUS failed: %s", p->cfg->device, strerror(errno));
		return errno == ETIMEDOUT ? KERR_TIMEOUT : KERR_IO;
	}
	printer_lp_status_decode(s, st);
	return KERR_OK;
}

static int usblp_fd(struct printer *p)
{
	return to_usblp(p)->fd;
}

static void usblp_close(struct printer *p)
{
	struct usblp_printer *u = to_usblp(p);

	close(u->fd);
	free(u);
}

static const struct printer_ops printer_usblp_ops = {
    .name = "usblp",
    .write_some = usblp_write_some,
    .status = usblp_status,
    .fd = usblp_fd,
    .close = usblp_close,
};

enum kerr printer_usblp_open(const struct board_printer *cfg, struct printer **out)
{
	struct usblp_printer *u;
	enum kerr err;

	*out = NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return KERR_NOMEM;
	u->fd = open(cfg->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (u->fd < 0) {
		log_err("printer %s: cannot open: %s; is the printer plugged in and the kiosk user "
		        "in group lp?",
		        cfg->device, strerror(errno));
		err = KERR_IO;
		goto err_free_u;
	}
	if (ioctl(u->fd, LPABORT, 1) < 0) {
		log_err("printer %s: LPABORT failed (%s): not a usblp device", cfg->device,
		        strerror(errno));
		err = KERR_IO;
		goto err_close_fd;
	}
	u->base.ops = &printer_usblp_ops;
	u->base.cfg = cfg;
	*out = &u->base;
	return KERR_OK;

err_close_fd:
	close(u->fd);
err_free_u:
	free(u);
	return err;
}
