/* kioskctl: the staff and support tool beside the kiosk daemon. */
#include <stdio.h>
#include <string.h>

#include "kiosk/compiler.h"
#include "kiosk/editdist.h"
#include "kiosk/log_stderr.h"
#include "kioskctl_priv.h"

#define KIOSKCTL_CMD(name) KIOSKCTL_DECLARE(name);
#include "kioskctl_commands.h"
#undef KIOSKCTL_CMD

struct kioskctl_cmd {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

static const struct kioskctl_cmd commands[] = {
#define KIOSKCTL_CMD(name) {#name, cmd_##name##_usage, cmd_##name},
#include "kioskctl_commands.h"
#undef KIOSKCTL_CMD
};

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: kioskctl COMMAND [ARGS]   (kioskctl help COMMAND, kioskctl COMMAND --help)\n"
	       "       kioskctl --version\n"
	       "Without --site, commands use $KIOSK_SITE, else " CTL_DEFAULT_SITE ".\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
}

static const struct kioskctl_cmd *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown(const char *name)
{
	static const char *const flags[] = {"--help", "--version", "-h", NULL};
	const char *names[ARRAY_SIZE(commands) + 2];
	const char *hint;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[ARRAY_SIZE(commands)] = "help";
	names[ARRAY_SIZE(commands) + 1] = NULL;
	hint = edit_closest(name, name[0] == '-' ? flags : names);
	fprintf(stderr, "kioskctl: unknown %s '%s'%s%s%s; run 'kioskctl help' for the list\n",
	        name[0] == '-' ? "flag" : "command", name, hint ? " (did you mean '" : "",
	        hint ? hint : "", hint ? "'?)" : "");
	return 2;
}

int main(int argc, char **argv)
{
	const struct kioskctl_cmd *c;

	log_stderr_install();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    (strcmp(argv[1], "help") == 0 && argc == 2)) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 && argc == 2) {
		printf("kioskctl %s\n", KIOSK_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		char help_flag[] = "--help";
		char *hargv[] = {argv[2], help_flag, NULL};

		if (argc > 3) {
			fprintf(stderr,
			        "kioskctl help: one command at a time (kioskctl help COMMAND)\n");
			return 2;
		}
		c = find(argv[2]);
		return c ? c->run(2, hargv) : unknown(argv[2]);
	}
	c = find(argv[1]);
	return c ? c->run(argc - 1, argv + 1) : unknown(argv[1]);
}
