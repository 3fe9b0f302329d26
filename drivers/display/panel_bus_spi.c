/* spidev + a DC GPIO line: the MIPI-DBI type C transport of SPI TFTs. */
#include "panel_bus.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/log.h"

/* spidev refuses transfers above its bufsiz module parameter, 4096 by default
 * [linux drivers/spi/spidev.c]. */
#define SPI_CHUNK      4096
#define SPI_DEFAULT_HZ 32000000u

struct spi_bus {
	struct panel_bus base;
	const struct board_display *cfg;
	struct gpio *gpio;
	int fd;
	int dc;    /* gpio handle; active = data, inactive = command */
	int reset; /* gpio handle or -1; active = held in reset */
	uint32_t hz;
};

#define to_spi_bus(b) container_of(b, struct spi_bus, base)

/* Calls the gpio backend's ops directly: the transport needs none of what
 * the generic wrappers add, and so builds without them. */
static enum kerr line_set(struct gpio *g, int handle, bool active)
{
	return g->ops->set(g, handle, active);
}

static enum kerr line_output(struct gpio *g, const struct board_line *line, int *handle)
{
	return g->ops->request_output(g, line, handle);
}

static enum kerr spi_send(struct spi_bus *s, const uint8_t *data, size_t len)
{
	while (len) {
		size_t n = len < SPI_CHUNK ? len : SPI_CHUNK;
		struct spi_ioc_transfer t;

		memset(&t, 0, sizeof(t));
		t.tx_buf = (uint64_t)(uintptr_t)data;
		t.len = (uint32_t)n;
		t.speed_hz = s->hz;
		t.bits_per_word = 8;
		if (ioctl(s->fd, SPI_IOC_MESSAGE(1), &t) < 0) {
			log_err("spi %s: transfer of %zu bytes failed: %s", s->cfg->device, n,
			        strerror(errno));
			return KERR_IO;
		}
		data += n;
		len -= n;
	}
	return KERR_OK;
}

static enum kerr spi_cmd(struct panel_bus *b, uint8_t cmd, const uint8_t *data, size_t len)
{
	struct spi_bus *s = to_spi_bus(b);
	enum kerr err;

	err = line_set(s->gpio, s->dc, false);
	if (err)
		return err;
	err = spi_send(s, &cmd, 1);
	if (err || !len)
		return err;
	err = line_set(s->gpio, s->dc, true);
	if (err)
		return err;
	return spi_send(s, data, len);
}

static enum kerr spi_pixels(struct panel_bus *b, const uint8_t *data, size_t len)
{
	struct spi_bus *s = to_spi_bus(b);
	enum kerr err;

	err = line_set(s->gpio, s->dc, true);
	if (err)
		return err;
	return spi_send(s, data, len);
}

static void spi_delay(struct panel_bus *b, unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	(void)b;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static enum kerr spi_reset(struct panel_bus *b)
{
	struct spi_bus *s = to_spi_bus(b);
	enum kerr err;

	if (s->reset < 0)
		return KERR_OK;
	err = line_set(s->gpio, s->reset, true);
	if (err)
		return err;
	spi_delay(b, 20); /* RESX low ≥ 10 µs; 20 ms covers slow RC resets */
	err = line_set(s->gpio, s->reset, false);
	if (err)
		return err;
	spi_delay(b, 150); /* 120 ms before SLPOUT after a reset */
	return KERR_OK;
}

static void spi_close(struct panel_bus *b)
{
	struct spi_bus *s = to_spi_bus(b);

	/* The gpio lines stay requested until gpio_close(); that sets them inactive. */
	close(s->fd);
	free(s);
}

static const struct panel_bus_ops panel_bus_spi_ops = {
    .cmd = spi_cmd,
    .pixels = spi_pixels,
    .reset = spi_reset,
    .delay = spi_delay,
    .close = spi_close,
};

void panel_bus_close(struct panel_bus *b)
{
	if (b)
		b->ops->close(b);
}

enum kerr panel_bus_spi_open(const struct board_display *cfg, struct gpio *gpio,
                             struct panel_bus **out)
{
	uint8_t mode = SPI_MODE_0, bits = 8;
	struct spi_bus *s;
	enum kerr err;
	int backlight;

	*out = NULL;
	if (!gpio || !board_line_used(&cfg->dc)) {
		log_err("display %s: an SPI panel needs a dc line in the board file", cfg->device);
		return KERR_INVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->base.ops = &panel_bus_spi_ops;
	s->cfg = cfg;
	s->gpio = gpio;
	s->reset = -1;
	s->hz = cfg->spi_hz ? cfg->spi_hz : SPI_DEFAULT_HZ;
	s->fd = open(cfg->device, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		log_err("spi %s: cannot open: %s; enable SPI (dtparam=spi=on) and check group spi",
		        cfg->device, strerror(errno));
		err = KERR_IO;
		goto err_free_s;
	}
	if (ioctl(s->fd, SPI_IOC_WR_MODE, &mode) < 0 ||
	    ioctl(s->fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
	    ioctl(s->fd, SPI_IOC_WR_MAX_SPEED_HZ, &s->hz) < 0) {
		log_err("spi %s: setting mode 0, 8 bits, %u Hz failed: %s", cfg->device,
		        (unsigned)s->hz, strerror(errno));
		err = KERR_IO;
		goto err_close_fd;
	}
	err = line_output(gpio, &cfg->dc, &s->dc);
	if (err)
		goto err_close_fd;
	if (board_line_used(&cfg->reset)) {
		err = line_output(gpio, &cfg->reset, &s->reset);
		if (err)
			goto err_close_fd;
	}
	if (board_line_used(&cfg->backlight)) {
		err = line_output(gpio, &cfg->backlight, &backlight);
		if (!err)
			err = line_set(gpio, backlight, true);
		if (err)
			goto err_close_fd;
	}
	*out = &s->base;
	return KERR_OK;

err_close_fd:
	close(s->fd);
err_free_s:
	free(s);
	return err;
}
