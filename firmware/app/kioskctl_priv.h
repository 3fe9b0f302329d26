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

#endif
