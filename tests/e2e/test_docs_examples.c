/*
 * The examples in README.md and the docs folder run as written. A fenced block
 * right after a line `<!-- example -->` is an example: each of its lines
 * starting with `kioskctl` (after an optional `sudo -u kiosk `) is run and
 * must exit 0. A block right after `<!-- example-file: NAME -->` is
 * written to NAME first. Each document runs in a fresh folder with its own
 * site file and journal: `/etc/kiosk/site.conf` stands for that site file
 * and `/etc/kiosk/board.conf` for boards/rpi4.conf (also the defaults,
 * through $KIOSK_SITE and $KIOSK_BOARD). Example files of every document are available to all.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runbin.h"
#include "testutil.h"

#define FILES_MAX 16

struct doc_file {
	char name[64];
	char *text;
};

static struct doc_file files[FILES_MAX];
static unsigned nfiles;

/* The fenced block starting after line *p, up to its closing fence; *p moves past it. */
static char *block_after(char **p)
{
	char *start = strstr(*p, "```"), *body, *end;

	if (!start)
		return NULL;
	body = strchr(start, '\n');
	if (!body)
		return NULL;
	body++;
	end = strstr(body, "```");
	if (!end)
		return NULL;
	*p = end + 3;
	/* Back to the start of the closing fence's line (it may be indented). */
	while (end > body && end[-1] != '\n')
		end--;
	return strndup(body, (size_t)(end - body));
}

/* The next mark that begins a line (after indentation): not one quoted in the prose. */
static char *find_mark(char *p, const char *text, const char *mark)
{
	while ((p = strstr(p, mark)) != NULL) {
		const char *q = p;

		while (q > text && q[-1] == ' ')
			q--;
		if (q == text || q[-1] == '\n')
			return p;
		p += strlen(mark);
	}
	return NULL;
}

static void collect_files(const char *text)
{
	const char *mark = "<!-- example-file: ";
	char *p = (char *)text;

	while ((p = find_mark(p, text, mark)) != NULL) {
		char *name_end = strstr(p, " -->");

		assert_non_null(name_end);
		assert_true(nfiles < FILES_MAX);
		snprintf(files[nfiles].name, sizeof(files[0].name), "%.*s",
		         (int)(name_end - p - strlen(mark)), p + strlen(mark));
		p = name_end;
		files[nfiles].text = block_after(&p);
		assert_non_null(files[nfiles].text);
		nfiles++;
	}
}

/* Replaces every from in s (a heap string) with to. */
static char *replace(char *s, const char *from, const char *to)
{
	char *at;

	while ((at = strstr(s, from)) != NULL) {
		size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
		char *r = malloc(n);

		assert_non_null(r);
		snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
		free(s);
		s = r;
	}
	return s;
}

static unsigned run_examples(const char *doc, const char *text)
{
	char *dir = tmpdir_or_fail(), site[600], conf[1024], cwd[4096];
	char *p = (char *)text;
	unsigned ran = 0;

	snprintf(conf, sizeof(conf),
	         "[chain]\nname = hive\naccount = coop\n[nodes]\nnode1 = https://127.0.0.1:8443\n"
	         "[kiosk]\ncoop_name = Example co-op\njournal = %s/journal.db\n"
	         "[staff]\nsecrets_path = %s/staff.secrets\n",
	         dir, dir);
	free(write_file_or_fail(dir, "site.conf", conf));
	snprintf(site, sizeof(site), "%s/site.conf", dir);
	for (unsigned i = 0; i < nfiles; i++)
		free(write_file_or_fail(dir, files[i].name, files[i].text));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(setenv("KIOSK_SITE", site, 1), 0);
	assert_int_equal(setenv("KIOSK_BOARD", KIOSK_SOURCE_DIR "/boards/rpi4.conf", 1), 0);
	while ((p = find_mark(p, text, "<!-- example -->")) != NULL) {
		unsigned line = 1;
		char *block, *save = NULL, *l;

		for (const char *q = text; q < p; q++)
			line += *q == '\n';
		block = block_after(&p);
		assert_non_null(block);
		for (l = strtok_r(block, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *cmd, out[16384];
			int rc;

			while (*l == ' ')
				l++;
			if (strncmp(l, "sudo -u kiosk ", 14) == 0)
				l += 14;
			if (strncmp(l, "kioskctl ", 9) != 0 && strcmp(l, "kioskctl") != 0)
				continue;
			cmd = strdup(l + 8);
			assert_non_null(cmd);
			cmd = replace(cmd, "/etc/kiosk/site.conf", site);
			cmd = replace(cmd, "/etc/kiosk/board.conf",
			              KIOSK_SOURCE_DIR "/boards/rpi4.conf");
			rc = runbin_or_fail("kioskctl", cmd, out, sizeof(out));
			if (rc != 0)
				fail_msg("%s, the example after line %u: `%s` exited %d:\n%s", doc,
				         line, l, rc, out);
			ran++;
			free(cmd);
		}
		free(block);
	}
	unsetenv("KIOSK_SITE");
	unsetenv("KIOSK_BOARD");
	assert_int_equal(chdir(cwd), 0);
	rm_rf(dir);
	free(dir);
	return ran;
}

static void test_every_marked_example_runs_as_written(void **state)
{
	char *names[64], path[1024];
	char *texts[64];
	unsigned n = 0, ran = 0, readme_ran;
	DIR *d = opendir(KIOSK_SOURCE_DIR "/docs");
	struct dirent *e;

	(void)state;
	assert_non_null(d);
	names[n++] = strdup("README.md");
	while ((e = readdir(d)) != NULL && n < 64) {
		size_t len = strlen(e->d_name);

		if (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0) {
			snprintf(path, sizeof(path), "docs/%s", e->d_name);
			names[n++] = strdup(path);
		}
	}
	closedir(d);
	for (unsigned i = 0; i < n; i++) {
		size_t len;

		snprintf(path, sizeof(path), KIOSK_SOURCE_DIR "/%s", names[i]);
		texts[i] = read_file_or_fail(path, &len);
		collect_files(texts[i]);
	}
	readme_ran = run_examples(names[0], texts[0]);
	ran = readme_ran;
	for (unsigned i = 1; i < n; i++)
		ran += run_examples(names[i], texts[i]);
	/* The README's own, and those of orders, staff, configuration and install at least. */
	assert_true(readme_ran >= 4);
	assert_true(ran >= 20);
	for (unsigned i = 0; i < n; i++) {
		free(names[i]);
		free(texts[i]);
	}
	for (unsigned i = 0; i < nfiles; i++)
		free(files[i].text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_marked_example_runs_as_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
