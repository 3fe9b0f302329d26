#include "printer_backend.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "kiosk/log.h"

/* Real time, not the injected clock: the wait is a real poll(2) on a device. */
static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum kerr printer_write(struct printer *p, const uint8_t *data, size_t len, unsigned timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	size_t sent = 0;

	if (!p->present) {
		log_err("printer %s: not connected", p->cfg->device);
		return KERR_IO;
	}
	while (sent < len) {
		struct pollfd pfd = {.fd = p->ops->fd(p), .events = POLLOUT};
		int64_t left;
		size_t done = 0;
		enum kerr err;
		int r;

		err = p->ops->write_some(p, data + sent, len - sent, &done);
		if (err)
			return err;
		sent += done;
		if (sent == len)
			break;
		left = deadline - mono_ms();
		if (left <= 0 || pfd.fd < 0) {
			log_err("printer %s: took %zu of %zu bytes in %u ms, then stopped; check "
			        "paper, "
			        "cover and cable",
			        p->cfg->device, sent, len, timeout_ms);
			return KERR_TIMEOUT;
		}
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno != EINTR) {
			log_err("printer %s: poll failed: %s", p->cfg->device, strerror(errno));
			return KERR_IO;
		}
		if (r > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) &&
		    !(pfd.revents & POLLOUT)) {
			log_err("printer %s: device gone (unplugged?) after %zu of %zu bytes",
			        p->cfg->device, sent, len);
			return KERR_IO;
		}
	}
	return KERR_OK;
}

enum kerr printer_status(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	enum kerr err;

	memset(st, 0, sizeof(*st));
	err = p->ops->status(p, timeout_ms, st);
	if (err) {
		memset(st, 0, sizeof(*st));
		if (err == KERR_TIMEOUT)
			log_warn(
			    "printer %s: no status answer within %u ms; status unknown (no return "
			    "channel, powered off or unplugged)",
			    p->cfg->device, timeout_ms);
	}
	return err;
}

enum kerr printer_ready(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	enum kerr err = printer_status(p, timeout_ms, st);

	if (err)
		return err;
	if (!escpos_status_ready(st)) {
		log_err("printer %s: %s", p->cfg->device, escpos_status_str(st));
		return KERR_OFFLINE;
	}
	if (st->paper_near_end)
		log_warn("printer %s: %s", p->cfg->device, escpos_status_str(st));
	return KERR_OK;
}

void printer_close(struct printer *p)
{
	if (p)
		p->ops->close(p);
}

enum kerr printer_open(const struct board_printer *cfg, struct printer **out)
{
	enum kerr err;

	*out = NULL;
	if (strcmp(cfg->backend, "sim") == 0)
		err = printer_sim_new(cfg, out);
	else if (strcmp(cfg->backend, "serial") == 0)
		err = printer_serial_new(cfg, out);
	else if (strcmp(cfg->backend, "usblp") == 0)
		err = printer_usblp_new(cfg, out);
	else
		return KERR_NOTSUP;
	if (err)
		return err;
	/* Missing at boot is not fatal: a USB printer may be plugged in later. */
	if (printer_reopen(*out))
		log_warn("printer %s: missing; looking for it again while the kiosk runs",
		         cfg->device);
	return KERR_OK;
}

enum kerr printer_reopen(struct printer *p)
{
	enum kerr err = p->ops->reopen(p);

	if (!err)
		log_notice("printer %s: connected (%s)", p->cfg->device, p->ops->name);
	return err;
}

void printer_drop(struct printer *p)
{
	if (p->present)
		log_warn("printer %s: closed after an error; opened again later", p->cfg->device);
	p->ops->drop(p);
}
