/*
 * kioskctl config check: the daemon's start-up validation, on demand.
 * kioskctl config devices: the systemd drop-in that lets the kiosk open
 * exactly the devices its board file names, and nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/config.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(config);

const char cmd_config_usage[] =
    "kioskctl config check [--board FILE] [--site FILE] | config devices [--board FILE]";

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

#define CTL_DEFAULT_BOARD "/etc/kiosk/board.conf"

static const struct ctl_verb verbs[] = {
    {"check", 0, 0, ""},
    {"devices", 0, 0, ""},
    {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--board", "FILE", NULL, "the board file (default $KIOSK_BOARD, else " CTL_DEFAULT_BOARD ")",
     NULL},
    {"--site", "FILE", NULL, "the site file (default $KIOSK_SITE, else " CTL_DEFAULT_SITE ")",
     "check"},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"config", cmd_config_usage, verbs, 0, 0, NULL, flags};

static void print_errors(const struct config_errors *all)
{
	char msg[CONFIG_MSG_MAX + 300];

	for (unsigned i = 0; i < all->count && i < CONFIG_ERRORS_MAX; i++) {
		config_error_format(&all->e[i], msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	if (all->count > CONFIG_ERRORS_MAX)
		fprintf(stderr, "... and %u more\n", all->count - CONFIG_ERRORS_MAX);
}

/* The given file, or the default one when it exists; NULL after saying which is missing. */
static const char *file_or_default(const char *given, const char *def, const char *flag)
{
	if (given)
		return given;
	if (access(def, F_OK) == 0)
		return def;
	fprintf(
	    stderr,
	    "kioskctl config: no %s given, and the default %s does not exist (%s); give %s FILE\n",
	    flag, def, strerror(errno), flag);
	return NULL;
}

int cmd_config(int argc, char **argv)
{
	const char *board_path, *site_path = NULL;
	struct config_errors *all;
	struct board *b;
	struct site *s;
	struct ctl_args a;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	board_path = file_or_default(ctl_get(&a, "--board"),
	                             getenv("KIOSK_BOARD") && getenv("KIOSK_BOARD")[0]
	                                 ? getenv("KIOSK_BOARD")
	                                 : CTL_DEFAULT_BOARD,
	                             "--board");
	if (strcmp(a.verb, "check") == 0)
		site_path = file_or_default(ctl_get(&a, "--site"), ctl_default_site(), "--site");
	if (!board_path || (strcmp(a.verb, "check") == 0 && !site_path))
		return 2;
	all = calloc(1, sizeof(*all));
	b = calloc(1, sizeof(*b));
	s = calloc(1, sizeof(*s));
	if (!all || !b || !s) {
		rc = 1;
	} else if (strcmp(a.verb, "devices") == 0) {
		if (config_check_board_file(board_path, b, all)) {
			print_errors(all);
			rc = 2;
		} else {
			print_devices(b);
		}
	} else {
		/* Both files, every problem of each, in one pass. */
		bool bad = config_check_board_file(board_path, b, all) != KERR_OK;

		bad = config_check_site_file(site_path, s, all) != KERR_OK || bad;
		if (bad) {
			print_errors(all);
			fprintf(stderr, "%u problem%s found; fix %s and check again\n", all->count,
			        all->count == 1 ? "" : "s", all->count == 1 ? "it" : "them all");
			rc = 2;
		} else {
			printf("ok: board %s (%u compartments, display %s, printer %s), site %s "
			       "(%s, %u nodes)\n",
			       b->name, b->lockers.count, b->display.backend, b->printer.backend,
			       s->account, s->chain == SITE_CHAIN_HIVE ? "hive" : "steem",
			       s->node_count);
		}
	}
	free(all);
	free(b);
	free(s);
	return rc;
}
