#include <stdio.h>

#include "kioskctl_priv.h"

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kioskctl %s\n", KIOSK_VERSION);
	return 0;
}
