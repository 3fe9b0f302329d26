/* ESC/POS printer on a tty (Pi UART, USB-serial adapter): raw 8N1, non-blocking. */
#include "printer_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/log.h"

#define SERIAL_DEFAULT_BAUD 19200 /* CSN-A2 type TTL printers [docs/printer.md §7] */

struct serial_printer {
	struct printer base;
	int fd; /* -1 while missing */
	speed_t speed;
};

#define to_serial(p) container_of(p, struct serial_printer, base)

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum kerr serial_write_some(struct printer *p, const uint8_t *data, size_t len, size_t *done)
{
	ssize_t n;

	*done = 0;
	if (to_serial(p)->fd < 0)
		return KERR_IO;
	n = write(to_serial(p)->fd, data, len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return KERR_OK;
		log_err("printer %s: write failed: %s", p->cfg->device, strerror(errno));
		return KERR_IO;
	}
	*done = (size_t)n;
	return KERR_OK;
}

/* Sends DLE EOT n and waits until deadline for the one reply byte. */
static enum kerr query(struct serial_printer *s, enum escpos_status_kind n, int64_t deadline,
                       uint8_t *reply)
{
	uint8_t q[3] = {0x10, 0x04, (uint8_t)n};
	size_t sent = 0;

	while (sent < sizeof(q)) {
		struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
		ssize_t w = write(s->fd, q + sent, sizeof(q) - sent);
		int64_t left;

		if (w > 0) {
			sent += (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return KERR_IO;
		left = deadline - mono_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			return KERR_TIMEOUT;
	}
	for (;;) {
		struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
		int64_t left = deadline - mono_ms();
		ssize_t r;
		int pr;

		if (left <= 0)
			return KERR_TIMEOUT;
		pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno != EINTR)
			return KERR_IO;
		if (pr <= 0)
			continue;
		r = read(s->fd, reply, 1);
		if (r == 1)
			return KERR_OK;
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return KERR_IO;
	}
}

static enum kerr serial_status(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	static const enum escpos_status_kind kinds[] = {
	    ESCPOS_STATUS_PRINTER,
	    ESCPOS_STATUS_OFFLINE,
	    ESCPOS_STATUS_PAPER,
	};
	struct serial_printer *s = to_serial(p);
	int64_t deadline = mono_ms() + timeout_ms;
	struct escpos_status got = {0};
	enum kerr err;
	uint8_t reply;
	size_t i;

	if (s->fd < 0)
		return KERR_IO;
	/* Stale bytes (a late answer to an earlier query) would be read as this one's. */
	tcflush(s->fd, TCIFLUSH);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		err = query(s, kinds[i], deadline, &reply);
		if (!err)
			err = escpos_status_decode(kinds[i], reply, &got);
		if (err == KERR_PROTO)
			log_err("printer %s: reply 0x%02x to DLE EOT %d is no status byte; check "
			        "the baud rate",
			        p->cfg->device, reply, (int)kinds[i]);
		if (err)
			return err;
	}
	if (got.error) {
		/* The error cause, for the log; the verdict is already "error". */
		err = query(s, ESCPOS_STATUS_ERROR, deadline, &reply);
		if (!err)
			err = escpos_status_decode(ESCPOS_STATUS_ERROR, reply, &got);
		if (err)
			return err;
	}
	*st = got;
	return KERR_OK;
}

static enum kerr serial_status_query(struct printer *p, enum escpos_status_kind n)
{
	struct serial_printer *s = to_serial(p);
	uint8_t q[3] = {0x10, 0x04, (uint8_t)n};
	ssize_t w;

	if (s->fd < 0)
		return KERR_IO;
	/* A late answer to an earlier query would be read as this one's. */
	tcflush(s->fd, TCIFLUSH);
	w = write(s->fd, q, sizeof(q));
	/* The caller asks only once the output queue has drained: 3 bytes fit. */
	if (w != (ssize_t)sizeof(q)) {
		log_err("printer %s: status query not sent: %s", p->cfg->device,
		        w < 0 ? strerror(errno) : "port full");
		return KERR_IO;
	}
	return KERR_OK;
}

static enum kerr serial_status_read(struct printer *p, uint8_t *byte)
{
	struct serial_printer *s = to_serial(p);
	ssize_t r;

	if (s->fd < 0)
		return KERR_IO;
	r = read(s->fd, byte, 1);
	if (r == 1)
		return KERR_OK;
	if (r == 0 || errno == EAGAIN || errno == EINTR)
		return KERR_BUSY;
	log_err("printer %s: read failed: %s", p->cfg->device, strerror(errno));
	return KERR_IO;
}

static size_t serial_pending(struct printer *p)
{
	int n = 0;

	if (to_serial(p)->fd < 0 || ioctl(to_serial(p)->fd, TIOCOUTQ, &n) < 0 || n < 0)
		return 0;
	return (size_t)n;
}

static int serial_fd(struct printer *p)
{
	return to_serial(p)->fd;
}

static void serial_drop(struct printer *p)
{
	struct serial_printer *s = to_serial(p);

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	p->present = false;
}

static void serial_close(struct printer *p)
{
	serial_drop(p);
	free(to_serial(p));
}

static unsigned serial_bytes_per_s(struct printer *p)
{
	/* 8N1: a start bit, 8 data bits, a stop bit. */
	return (p->cfg->baud ? p->cfg->baud : SERIAL_DEFAULT_BAUD) / 10;
}

static enum kerr serial_reopen(struct printer *p);

static const struct printer_ops printer_serial_ops = {
    .name = "serial",
    .write_some = serial_write_some,
    .status = serial_status,
    .fd = serial_fd,
    .close = serial_close,
    .status_query = serial_status_query,
    .status_read = serial_status_read,
    .pending = serial_pending,
    .reopen = serial_reopen,
    .drop = serial_drop,
    .bytes_per_s = serial_bytes_per_s,
};

static bool baud_speed(unsigned baud, speed_t *out)
{
	static const struct {
		unsigned baud;
		speed_t speed;
	} map[] = {
	    {1200, B1200},   {2400, B2400},   {4800, B4800},     {9600, B9600},     {19200, B19200},
	    {38400, B38400}, {57600, B57600}, {115200, B115200}, {230400, B230400},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (map[i].baud == baud) {
			*out = map[i].speed;
			return true;
		}
	}
	return false;
}

static enum kerr serial_reopen(struct printer *p)
{
	struct serial_printer *s = to_serial(p);
	const struct board_printer *cfg = p->cfg;
	struct termios tio;
	int fd;

	serial_drop(p);
	fd = open(cfg->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_err("printer %s: cannot open: %s; check the device (enable_uart=1, serial "
		        "console off) "
		        "and group dialout",
		        cfg->device, strerror(errno));
		return KERR_IO;
	}
	if (tcgetattr(fd, &tio) < 0) {
		log_err("printer %s: not a serial port: %s", cfg->device, strerror(errno));
		goto err_close_fd;
	}
	/* Raw bytes both ways: no CR/LF mapping, no echo, no XON/XOFF eating 0x11/0x13
	 * out of raster data. */
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CSIZE);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	if (cfg->rtscts)
		tio.c_cflag |= CRTSCTS;
	else
		tio.c_cflag &= ~(tcflag_t)CRTSCTS;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, s->speed) < 0 || cfsetospeed(&tio, s->speed) < 0 ||
	    tcsetattr(fd, TCSANOW, &tio) < 0) {
		log_err("printer %s: setting %u baud 8N1 failed: %s", cfg->device,
		        serial_bytes_per_s(p) * 10, strerror(errno));
		goto err_close_fd;
	}
	tcflush(fd, TCIOFLUSH);
	s->fd = fd;
	p->present = true;
	return KERR_OK;

err_close_fd:
	close(fd);
	return KERR_IO;
}

enum kerr printer_serial_new(const struct board_printer *cfg, struct printer **out)
{
	unsigned baud = cfg->baud ? cfg->baud : SERIAL_DEFAULT_BAUD;
	struct serial_printer *s;
	speed_t speed;

	*out = NULL;
	if (!baud_speed(baud, &speed)) {
		log_err("printer %s: baud %u is not one of 1200..230400 (9600, 19200, 38400, "
		        "115200, ...); "
		        "the printer's self-test page shows its rate",
		        cfg->device, baud);
		return KERR_INVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->fd = -1;
	s->speed = speed;
	s->base.ops = &printer_serial_ops;
	s->base.cfg = cfg;
	*out = &s->base;
	return KERR_OK;
}

enum kerr printer_serial_open(const struct board_printer *cfg, struct printer **out)
{
	enum kerr err = printer_serial_new(cfg, out);

	if (!err)
		err = serial_reopen(*out);
	if (err && *out) {
		serial_close(*out);
		*out = NULL;
	}
	return err;
}
