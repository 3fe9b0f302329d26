/* kiosk: the pickup kiosk daemon. */
#include <stdio.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/log.h"
#include "kiosk/loop.h"

int main(int argc, char **argv)
{
	struct loop *loop = NULL;
	int rc = 1;

	(void)argc;
	(void)argv;
	if (loop_new(clock_system(), &loop) != KERR_OK || loop_watch_signals(loop) != KERR_OK) {
		log_err("cannot set up the event loop");
		goto end;
	}
	log_notice("kiosk %s starting", KIOSK_VERSION);
	rc = loop_run(loop);
end:
	loop_free(loop);
	return rc;
}
