/*
 * kioskctl's sub-commands. Each lives in firmware/app/cmd_<name>.c and
 * defines cmd_<name>() and cmd_<name>_usage[]; the build lists them in
 * kioskctl_commands.h. A command returns the process exit status:
 * 0 ok, 1 failure, 2 bad usage or config.
 */
#ifndef KIOSK_KIOSKCTL_PRIV_H
#define KIOSK_KIOSKCTL_PRIV_H

/* Declares cmd_<name> (argv[0] is the command name) and its usage line. */
#define KIOSKCTL_DECLARE(name)                     \
	int cmd_##name(int argc, char **argv);     \
	extern const char cmd_##name##_usage[]

struct site;
struct store;

/*
 * Loads the site file and opens its journal for a command; prints the
 * reason and returns the exit status (2 bad site file, 1 journal) on error.
 */
int ctl_open_journal(const char *cmd, const char *site_path, struct site *site, struct store **out);

/* The value after option `name` in argv, or NULL. */
const char *ctl_opt(int argc, char **argv, const char *name);

#endif
