/*
 * systemd's notify protocol without libsystemd: datagrams to the socket in
 * $NOTIFY_SOCKET (a path, or '@' for an abstract socket). Everything here
 * is a no-op when the kiosk is not run by systemd.
 */
#ifndef KIOSK_NOTIFY_H
#define KIOSK_NOTIFY_H

#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

/* Sends one message ("READY=1", "STATUS=…", "WATCHDOG=1", "STOPPING=1").
 * KERR_OK also when there is no NOTIFY_SOCKET; KERR_IO if sending failed. */
enum kerr notify_send(const char *msg);

/*
 * How often to send WATCHDOG=1: half of $WATCHDOG_USEC in ns, or 0 when
 * systemd asked for no watchdog (or $WATCHDOG_PID names another process).
 */
int64_t notify_watchdog_interval_ns(void);

#endif
