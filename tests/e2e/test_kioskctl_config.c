/* kioskctl config devices: the systemd drop-in names exactly the board's devices. */
#include <stdio.h>
#include <string.h>

#include "runbin.h"
#include "testutil.h"

static void devices_of(const char *board, char *out, size_t cap)
{
	char args[600];

	snprintf(args, sizeof(args), "config devices --board %s/boards/%s", KIOSK_SOURCE_DIR,
	         board);
	assert_int_equal(runbin_or_fail("kioskctl", args, out, cap), 0);
}

static void test_a_pi_4_gets_its_framebuffer_uart_gpio_and_input(void **state)
{
	char out[4096];

	(void)state;
	devices_of("rpi4.conf", out, sizeof(out));
	/* The unit's own list is reset first, then only what the board names. */
	assert_non_null(strstr(out, "[Service]\nDeviceAllow=\n"));
	assert_non_null(strstr(out, "DeviceAllow=char-gpiochip rw\n"));
	assert_non_null(strstr(out, "DeviceAllow=/dev/fb0 rw\n"));
	assert_non_null(strstr(out, "DeviceAllow=/dev/serial0 rw\n"));
	assert_non_null(strstr(out, "DeviceAllow=char-input r\n"));
	assert_null(strstr(out, "/dev/usb/lp0"));
	assert_null(strstr(out, "spidev"));
}

static void test_a_zero_gets_its_spi_panel_and_usb_printer(void **state)
{
	char out[4096];

	(void)state;
	devices_of("rpizero2w.conf", out, sizeof(out));
	assert_non_null(strstr(out, "DeviceAllow=/dev/spidev0.0 rw\n"));
	assert_non_null(strstr(out, "DeviceAllow=/dev/usb/lp0 rw\n"));
	assert_null(strstr(out, "/dev/fb0"));
}

static void test_the_simulator_needs_no_device(void **state)
{
	char out[4096];

	(void)state;
	devices_of("sim.conf", out, sizeof(out));
	assert_non_null(strstr(out, "DeviceAllow=\n"));
	assert_null(strstr(out, "DeviceAllow=/"));
	assert_null(strstr(out, "DeviceAllow=char-"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_pi_4_gets_its_framebuffer_uart_gpio_and_input),
	    cmocka_unit_test(test_a_zero_gets_its_spi_panel_and_usb_printer),
	    cmocka_unit_test(test_the_simulator_needs_no_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
