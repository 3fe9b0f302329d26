/* i2c-dev transport: one write() is one I2C transaction to the slave. */
#include "panel_bus.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kiosk/log.h"

#define I2C_DEFAULT_ADDR 0x3C

struct i2c_dev_bus {
	struct i2c_bus base;
	const struct board_display *cfg;
	int fd;
	unsigned addr;
};

#define to_i2c_dev_bus(b) container_of(b, struct i2c_dev_bus, base)

static enum kerr i2c_dev_write(struct i2c_bus *b, const uint8_t *data, size_t len)
{
	struct i2c_dev_bus *i = to_i2c_dev_bus(b);
	ssize_t n;

	if (len > I2C_BUS_WRITE_MAX)
		return KERR_TOO_BIG;
	do {
		n = write(i->fd, data, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		/* ENXIO/EREMOTEIO: nobody acknowledged the address. */
		log_err("i2c %s: write to 0x%02x failed: %s; check wiring and the address "
		        "(i2cdetect -y N)",
		        i->cfg->device, i->addr, n < 0 ? strerror(errno) : "short write");
		return KERR_IO;
	}
	return KERR_OK;
}

static void i2c_dev_close(struct i2c_bus *b)
{
	struct i2c_dev_bus *i = to_i2c_dev_bus(b);

	close(i->fd);
	free(i);
}

static const struct i2c_bus_ops i2c_dev_bus_ops = {
    .write = i2c_dev_write,
    .close = i2c_dev_close,
};

void i2c_bus_close(struct i2c_bus *b)
{
	if (b)
		b->ops->close(b);
}

enum kerr i2c_bus_open(const struct board_display *cfg, struct i2c_bus **out)
{
	struct i2c_dev_bus *i;
	enum kerr err;

	*out = NULL;
	if (cfg->i2c_addr > 0x77) {
		log_err("display %s: i2c address 0x%x is above 0x77", cfg->device, cfg->i2c_addr);
		return KERR_RANGE;
	}
	i = calloc(1, sizeof(*i));
	if (!i)
		return KERR_NOMEM;
	i->base.ops = &i2c_dev_bus_ops;
	i->cfg = cfg;
	i->addr = cfg->i2c_addr ? cfg->i2c_addr : I2C_DEFAULT_ADDR;
	i->fd = open(cfg->device, O_RDWR | O_CLOEXEC);
	if (i->fd < 0) {
		log_err(
		    "i2c %s: cannot open: %s; enable I2C (dtparam=i2c_arm=on) and check group i2c",
		    cfg->device, strerror(errno));
		err = KERR_IO;
		goto err_free_i;
	}
	if (ioctl(i->fd, I2C_SLAVE, (unsigned long)i->addr) < 0) {
		log_err("i2c %s: cannot select address 0x%02x: %s", cfg->device, i->addr,
		        strerror(errno));
		err = KERR_IO;
		goto err_close_fd;
	}
	*out = &i->base;
	return KERR_OK;

err_close_fd:
	close(i->fd);
err_free_i:
	free(i);
	return err;
}
