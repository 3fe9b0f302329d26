/* kiosk: the pickup kiosk daemon. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/log.h"
#include "kiosk/log_stderr.h"
#include "kiosk/loop.h"
#include "kiosk/notify.h"
#include "kiosk/kiosk.h"
#include "kiosk/rng.h"
#include "kiosk/timefmt.h"

struct daemon {
	struct loop *loop;
	struct loop_timer watchdog;
	struct loop_timer stop;
	int64_t watchdog_ns;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: kiosk --board FILE --site FILE [--log-level err|warn|notice|info|debug]\n"
	           "             [--check] [--run-for SECONDS]\n");
}

static void on_watchdog(struct loop_timer *t)
{
	struct daemon *d = container_of(t, struct daemon, watchdog);

	notify_send("WATCHDOG=1");
	loop_timer_arm(d->loop, &d->watchdog, d->watchdog_ns);
}

static void on_stop(struct loop_timer *t)
{
	struct daemon *d = container_of(t, struct daemon, stop);

	log_info("run time over; stopping");
	loop_quit(d->loop, 0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"board", required_argument, NULL, 'b'}, {"site", required_argument, NULL, 's'},
	    {"log-level", required_argument, NULL, 'l'}, {"check", no_argument, NULL, 'c'},
	    {"run-for", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *board_path = NULL, *site_path = NULL, *level = NULL;
	struct daemon d = {0};
	struct config_error cerr;
	struct kiosk *kiosk = NULL;
	struct board *board = calloc(1, sizeof(*board));
	struct site *site = calloc(1, sizeof(*site));
	bool check = false;
	long run_for = 0;
	int c, rc = 1;

	log_stderr_install();
	if (!board || !site)
		goto end;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board_path = optarg;
			break;
		case 's':
			site_path = optarg;
			break;
		case 'l':
			level = optarg;
			break;
		case 'c':
			check = true;
			break;
		case 'r':
			run_for = strtol(optarg, NULL, 10);
			if (run_for <= 0) {
				fprintf(stderr, "kiosk: --run-for takes a number of seconds\n");
				rc = 2;
				goto end;
			}
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto end;
		default:
			usage(stderr);
			rc = 2;
			goto end;
		}
	}
	if (!board_path || !site_path || optind != argc) {
		usage(stderr);
		rc = 2;
		goto end;
	}
	if (level && log_level_parse(level) < 0) {
		fprintf(stderr, "kiosk: unknown log level '%s'\n", level);
		rc = 2;
		goto end;
	}
	if (config_load_board(board_path, board, &cerr) || config_load_site(site_path, site, &cerr)) {
		char msg[CONFIG_MSG_MAX + 300];

		config_error_format(&cerr, msg, sizeof(msg));
		fprintf(stderr, "kiosk: %s\n", msg);
		rc = 2;
		goto end;
	}
	if (!level)
		level = log_level_names[site->log_level];
	log_set_level((enum log_level)log_level_parse(level));
	if (check) {
		printf("ok: %s and %s\n", board_path, site_path);
		rc = 0;
		goto end;
	}
	log_notice("kiosk %s starting: board %s, site %s", KIOSK_VERSION, board->name, site_path);
	/* Every time shown on screens and receipts is in the site's zone. */
	if (timefmt_use_zone(site->timezone))
		log_warn("time zone %s unknown; times are shown in UTC", site->timezone);
	if (loop_new(clock_system(), &d.loop) || loop_watch_signals(d.loop)) {
		log_err("cannot set up the event loop");
		goto end;
	}
	if (kiosk_open(board, site, d.loop, clock_system(), rng_system(), &kiosk)) {
		log_err("not starting (see the messages above)");
		goto end;
	}
	d.watchdog.handle = on_watchdog;
	d.stop.handle = on_stop;
	d.watchdog_ns = notify_watchdog_interval_ns();
	if (d.watchdog_ns)
		loop_timer_arm(d.loop, &d.watchdog, d.watchdog_ns);
	if (run_for)
		loop_timer_arm(d.loop, &d.stop, run_for * NS_PER_S);
	notify_send("READY=1\nSTATUS=serving");
	log_notice("ready");
	rc = loop_run(d.loop);
	notify_send("STOPPING=1");
	log_notice("stopped");
end:
	kiosk_close(kiosk);
	loop_free(d.loop);
	free(site);
	free(board);
	return rc;
}
