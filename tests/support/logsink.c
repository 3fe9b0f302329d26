/*
 * Every program built on the test support library logs to stderr, as kiosk
 * and kioskctl do: a failing test shows what the firmware said. It is a
 * constructor because the tests have their own main(); CMake links this
 * object into each of them itself, as an archive member nothing refers to
 * would be left out.
 */
#include "kiosk/log_stderr.h"

void testsupport_log_to_stderr(void) __attribute__((constructor));

void testsupport_log_to_stderr(void)
{
	log_stderr_install();
}
