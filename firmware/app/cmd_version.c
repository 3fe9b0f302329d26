/* kioskctl version: the version of this build (also kioskctl --version). */
#include <stdio.h>

#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(version);

const char cmd_version_usage[] = "kioskctl version";

static const struct ctl_spec spec = {"version", cmd_version_usage, NULL, 0, 0, NULL, NULL};

int cmd_version(int argc, char **argv)
{
	struct ctl_args a;
	int rc;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	printf("kioskctl %s\n", KIOSK_VERSION);
	return 0;
}
