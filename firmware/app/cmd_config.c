/*
 * kioskctl config check: the daemon's start-up validation, on demand.
 * kioskctl config devices: the systemd drop-in that lets the kiosk open
 * exactly the devices its board file names, and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(config);

const char cmd_config_usage[] = "kioskctl config check --board FILE --site FILE | devices --board FILE";

static bool real(const char *backend)
{
	return strcmp(backend, "sim") != 0 && strcmp(backend, "none") != 0 && backend[0];
}

/* DeviceAllow= lines for the board; the empty one first drops the unit's defaults. */
static void print_devices(const struct board *b)
{
	printf("# %s: the devices board \"%s\" uses. Install as\n"
	       "# /etc/systemd/system/kiosk.service.d/devices.conf, then systemctl daemon-reload.\n"
	       "[Service]\nDeviceAllow=\n",
	       b->path, b->name);
	if (strcmp(b->gpio.backend, "gpiod") == 0)
		printf("DeviceAllow=char-gpiochip rw\n");
	if (real(b->display.backend) && b->display.device[0])
		printf("DeviceAllow=%s rw\n", b->display.device);
	if (real(b->printer.backend) && b->printer.device[0])
		printf("DeviceAllow=%s rw\n", b->printer.device);
	/* by-id names are symlinks that come and go with the device: allow the class. */
	if (b->input.keypad[0] || b->input.scanner[0])
		printf("DeviceAllow=char-input r\n");
}

int cmd_config(int argc, char **argv)
{
	const char *board_path = NULL, *site_path = NULL;
	struct board *b;
	struct site *s;
	struct config_error e;
	int rc = 0;

	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--board") == 0)
			board_path = argv[i + 1];
		else if (strcmp(argv[i], "--site") == 0)
			site_path = argv[i + 1];
	}
	if (argc >= 2 && strcmp(argv[1], "devices") == 0 && board_path) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return 1;
		if (config_load_board(board_path, b, &e)) {
			char msg[CONFIG_MSG_MAX + 300];

			config_error_format(&e, msg, sizeof(msg));
			fprintf(stderr, "%s\n", msg);
			rc = 2;
		} else {
			print_devices(b);
		}
		free(b);
		return rc;
	}
	if (argc < 2 || strcmp(argv[1], "check") != 0 || !board_path || !site_path) {
		fprintf(stderr, "usage: %s\n", cmd_config_usage);
		return 2;
	}
	b = calloc(1, sizeof(*b));
	s = calloc(1, sizeof(*s));
	if (!b || !s) {
		rc = 1;
	} else if (config_load_board(board_path, b, &e) || config_load_site(site_path, s, &e)) {
		char msg[CONFIG_MSG_MAX + 300];

		config_error_format(&e, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		rc = 2;
	} else {
		printf("ok: board %s (%u compartments, display %s, printer %s), site %s (%s, %u nodes)\n",
		       b->name, b->lockers.count, b->display.backend, b->printer.backend, s->account,
		       s->chain == SITE_CHAIN_HIVE ? "hive" : "steem", s->node_count);
	}
	free(b);
	free(s);
	return rc;
}
