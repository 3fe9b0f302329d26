/* kioskctl: the staff and support tool beside the kiosk daemon. */
#include <stdio.h>
#include <string.h>

#include "kiosk/compiler.h"
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
	fprintf(f, "usage: kioskctl COMMAND [ARGS]\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	log_stderr_install();
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kioskctl: unknown command '%s'; run 'kioskctl help' for the list\n", argv[1]);
	return 2;
}
