/*
 * The board and site files: arbitrary text through config.c's parsers and
 * validation. The first byte picks the file (bit 0: site, else board) and
 * the way in (bit 1: every problem, as `kioskctl config check` reads a file
 * from disk; else the first, from memory). No crash, no leak, every message
 * formatted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/config.h"
#include "kiosk/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level lvl, const char *line, void *arg)
{
	(void)lvl;
	(void)line;
	(void)arg;
}

/* A file rewritten for each input (the check path reads from disk). */
static const char *scratch(void)
{
	static char path[64];

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/fuzz_config.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct board board;
	static struct site site;
	static struct config_errors all;
	struct config_error err;
	char msg[CONFIG_MSG_MAX + 300];
	bool is_site, every;

	if (size < 1 || size > CONFIG_FILE_MAX + 2)
		return 0;
	log_set_sink(quiet, NULL);
	is_site = data[0] & 1;
	every = data[0] & 2;
	data++;
	size--;
	if (every) {
		const char *path = scratch();
		FILE *f = fopen(path, "wb");

		if (!f)
			abort();
		if (size && fwrite(data, 1, size, f) != size)
			abort();
		fclose(f);
		memset(&all, 0, sizeof(all));
		if (is_site)
			(void)config_check_site_file(path, &site, &all);
		else
			(void)config_check_board_file(path, &board, &all);
		for (unsigned i = 0; i < all.count && i < CONFIG_ERRORS_MAX; i++)
			config_error_format(&all.e[i], msg, sizeof(msg));
		return 0;
	}
	if ((is_site ? config_parse_site((const char *)data, size, "fuzz.conf", &site, &err)
	             : config_parse_board((const char *)data, size, "fuzz.conf", &board, &err)) !=
	    KERR_OK)
		config_error_format(&err, msg, sizeof(msg));
	return 0;
}
