/* kioskctl's sub-commands; each lives in its own firmware/app/cmd_<name>.c.
 * A command returns the process exit status: 0 ok, 1 failure, 2 bad usage or config. */
#ifndef KIOSK_KIOSKCTL_PRIV_H
#define KIOSK_KIOSKCTL_PRIV_H

struct kioskctl_cmd {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
};

int cmd_version(int argc, char **argv);
int cmd_sig(int argc, char **argv);

#endif
