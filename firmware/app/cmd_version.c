#include <stdio.h>

#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(version);

const char cmd_version_usage[] = "kioskctl version";

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kioskctl %s\n", KIOSK_VERSION);
	return 0;
}
