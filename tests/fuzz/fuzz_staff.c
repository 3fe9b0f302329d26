/*
 * The staff-secrets file: arbitrary bytes through staff_db_load() (from a
 * file of mode 0600, as the kiosk keeps it), then a code checked against
 * what was loaded. No crash, no leak; what loads holds valid members.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/log.h"
#include "kiosk/staff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level lvl, const char *line, void *arg)
{
	(void)lvl;
	(void)line;
	(void)arg;
}

static const char *scratch(void)
{
	static char path[64];

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/fuzz_staff.XXXXXX");
		fd = mkstemp(path); /* mode 0600 */
		if (fd < 0)
			abort();
		close(fd);
	}
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct staff_db db;
	const struct staff_member *who;
	const char *path = scratch();
	FILE *f;

	if (size > STAFF_FILE_MAX + 1)
		return 0;
	log_set_sink(quiet, NULL);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (staff_db_load(path, &db) != KERR_OK)
		return 0;
	if (db.count > STAFF_MAX)
		abort();
	for (unsigned i = 0; i < db.count; i++) {
		const struct staff_member *m = &db.m[i];
		size_t n = strnlen(m->name, sizeof(m->name));

		if (n == 0 || n > STAFF_NAME_MAX || m->secret_len < 10 ||
		    m->secret_len > TOTP_SECRET_MAX)
			abort();
		if (staff_db_find(&db, m->name) != m)
			abort();
	}
	(void)staff_db_check(&db, 1796424803, "123456", &who);
	(void)staff_db_check(&db, INT64_MAX / 2, "000000", &who);
	return 0;
}
