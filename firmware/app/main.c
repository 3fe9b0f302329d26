/* kiosk: the pickup kiosk daemon. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	fprintf(f,
	        "usage: kiosk --board FILE --site FILE [--log-level err|warn|notice|info|debug]\n"
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

/* Both files, every problem of each on its own line. */
static bool load_config(const char *board_path, const char *site_path, struct board *board,
                        struct site *site)
{
	struct config_errors *all = calloc(1, sizeof(*all));
	char msg[CONFIG_MSG_MAX + 300];
	bool bad;

	if (!all)
		return true;
	bad = config_check_board_file(board_path, board, all) != KERR_OK;
	bad = config_check_site_file(site_path, site, all) != KERR_OK || bad;
	for (unsigned i = 0; bad && i < all->count && i < CONFIG_ERRORS_MAX; i++) {
		config_error_format(&all->e[i], msg, sizeof(msg));
		fprintf(stderr, "kiosk: %s\n", msg);
	}
	free(all);
	return bad;
}

static const char *user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/* What stopped us using f (errno err): another owner, or our own file's mode or mount. */
static void report_unusable(const char *what, const char *f, const struct stat *st, int err)
{
	char me[64], owner[64];

	user_name(geteuid(), me, sizeof(me));
	if (st->st_uid != geteuid()) {
		fprintf(stderr,
		        "kiosk: cannot read and write the %s: %s is owned by %s (mode %04o) and "
		        "the kiosk runs as "
		        "%s; fix: sudo chown %s: %s (and run kioskctl as that user: see "
		        "docs/staff.md)\n",
		        what, f, user_name(st->st_uid, owner, sizeof(owner)),
		        (unsigned)(st->st_mode & 07777), me, me, f);
		return;
	}
	fprintf(stderr,
	        "kiosk: cannot read and write the %s: %s is the kiosk user's (%s) own, mode %04o, "
	        "but access fails: %s; fix: chmod u+rw %s, or make its file system writable\n",
	        what, f, me, (unsigned)(st->st_mode & 07777), strerror(err), f);
}

/*
 * The journal (with its -wal and -shm files, and the folder they are made
 * in) and the staff secrets must be readable and writable by the user the
 * kiosk runs as; a file left owned by root (a kioskctl run as root, a
 * restore) would otherwise fail later, mid-sale. Says which file, its
 * owner and the fix; false to refuse to start. SQLite deletes -wal and
 * -shm when another process (kioskctl, a backup) closes the journal last,
 * so a file gone between stat() and access() is not a problem: it is made
 * again at open.
 */
static bool file_usable(const char *what, const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char f[4200], dir[4200];
	struct stat st;

	for (size_t i = 0; i < (strcmp(what, "journal") == 0 ? 3u : 1u); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		if (stat(f, &st) != 0) {
			if (i > 0 || errno != ENOENT)
				continue;
			/* Created at first start: its folder must let us. */
			snprintf(dir, sizeof(dir), "%s", path);
			snprintf(f, sizeof(f), "%s", dirname(dir));
			if (stat(f, &st) != 0 || access(f, W_OK | X_OK) == 0)
				continue;
		} else if (access(f, R_OK | W_OK) == 0 || errno == ENOENT) {
			continue;
		}
		report_unusable(what, f, &st, errno);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"board", required_argument, NULL, 'b'},
	    {"site", required_argument, NULL, 's'},
	    {"log-level", required_argument, NULL, 'l'},
	    {"check", no_argument, NULL, 'c'},
	    {"run-for", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *board_path = NULL, *site_path = NULL, *level = NULL;
	struct daemon d = {0};
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
	if (load_config(board_path, site_path, board, site)) {
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
	if (!file_usable("journal", site->journal_path) ||
	    !file_usable("staff secrets file", site->staff_secrets_path)) {
		rc = 1;
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
