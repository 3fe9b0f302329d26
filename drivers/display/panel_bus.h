/*
 * Transports for panels without a kernel driver, split from the panel
 * protocol (LVGL's send_cmd_cb/send_color_cb) so tests can put a recorder
 * in place of the wire. Only drivers/display and tests include this.
 */
#ifndef KIOSK_PANEL_BUS_H
#define KIOSK_PANEL_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/gpio.h"
#include "kiosk/kerr.h"

/* A MIPI-DBI type C bus: command bytes with the DC line low, data with it high. */
struct panel_bus;

struct panel_bus_ops {
	/* Sends cmd (DC low) then len parameter bytes (DC high); data may be NULL when len is 0. */
	enum kerr (*cmd)(struct panel_bus *b, uint8_t cmd, const uint8_t *data, size_t len);
	/* Sends more data bytes (DC high), continuing the last command (RAMWR). */
	enum kerr (*pixels)(struct panel_bus *b, const uint8_t *data, size_t len);
	/* Pulses the reset line if wired; optional (NULL). */
	enum kerr (*reset)(struct panel_bus *b);
	/* Waits ms after a command that needs it (SWRESET, SLPOUT). Only at
	 * open/power change, never per frame; recorders just note it. */
	void (*delay)(struct panel_bus *b, unsigned ms);
	void (*close)(struct panel_bus *b);
};

struct panel_bus {
	const struct panel_bus_ops *ops;
};

/*
 * spidev transport: cfg->device (/dev/spidevB.C) in SPI mode 0 at cfg->spi_hz
 * (32 MHz when 0), the DC line cfg->dc and the optional reset line cfg->reset
 * through gpio (borrowed; must outlive the bus). Transfers are split to the
 * spidev default buffer size. *out = NULL on failure: KERR_IO (open/ioctl, logged
 * with the device), KERR_INVAL (no DC line in the board file), gpio errors.
 * Caller closes with panel_bus_close().
 */
KIOSK_MUST_CHECK enum kerr panel_bus_spi_open(const struct board_display *cfg, struct gpio *gpio,
                                              struct panel_bus **out);
void panel_bus_close(struct panel_bus *b);

/* An I2C byte pipe to one device address (SSD1306: control byte + payload). */
struct i2c_bus;

struct i2c_bus_ops {
	/* One I2C write transaction of len bytes (len <= I2C_BUS_WRITE_MAX). */
	enum kerr (*write)(struct i2c_bus *b, const uint8_t *data, size_t len);
	void (*close)(struct i2c_bus *b);
};

struct i2c_bus {
	const struct i2c_bus_ops *ops;
};

/* i2c-dev refuses writes longer than 8192 bytes. */
#define I2C_BUS_WRITE_MAX 8192

/*
 * i2c-dev transport: cfg->device (/dev/i2c-N), slave address cfg->i2c_addr
 * (0x3C when 0). *out = NULL on failure: KERR_IO (logged with device and address),
 * KERR_RANGE (address above 0x77). Caller closes with i2c_bus_close().
 */
KIOSK_MUST_CHECK enum kerr i2c_bus_open(const struct board_display *cfg, struct i2c_bus **out);
void i2c_bus_close(struct i2c_bus *b);

#endif
