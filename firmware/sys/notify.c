#include "kiosk/notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/log.h"

enum kerr notify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t plen, mlen = strlen(msg);
	socklen_t salen;
	ssize_t n;
	int fd;

	if (!path || !*path)
		return KERR_OK;
	plen = strlen(path);
	if (plen >= sizeof(sa.sun_path) || (path[0] != '/' && path[0] != '@')) {
		log_warn("NOTIFY_SOCKET '%s' is not a socket path; not notifying systemd", path);
		return KERR_INVAL;
	}
	memcpy(sa.sun_path, path, plen);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract namespace */
	salen =
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '/' ? 1 : 0));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return KERR_IO;
	n = sendto(fd, msg, mlen, MSG_NOSIGNAL, (const struct sockaddr *)&sa, salen);
	close(fd);
	if (n != (ssize_t)mlen) {
		log_warn("cannot notify systemd (%s): %s", msg, strerror(errno));
		return KERR_IO;
	}
	return KERR_OK;
}

int64_t notify_watchdog_interval_ns(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	char *end;
	unsigned long long u;

	if (!usec || !*usec)
		return 0;
	if (pid && *pid && strtol(pid, NULL, 10) != (long)getpid())
		return 0;
	errno = 0;
	u = strtoull(usec, &end, 10);
	if (errno || *end || u == 0 || u > (unsigned long long)INT64_MAX / 1000)
		return 0;
	/* Ping at half the interval, as sd_watchdog_enabled(3) advises. */
	return (int64_t)u * 1000 / 2;
}
