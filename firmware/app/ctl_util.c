/* Helpers the kioskctl commands share: strict arguments, the site file, the journal. */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/config.h"
#include "kiosk/editdist.h"
#include "kiosk/store.h"
#include "kioskctl_priv.h"

static unsigned flag_count(const struct ctl_spec *spec)
{
	unsigned n = 0;

	while (spec->flags && spec->flags[n].name)
		n++;
	return n;
}

static int flag_index(const struct ctl_spec *spec, const char *name)
{
	for (unsigned i = 0; i < flag_count(spec); i++)
		if (strcmp(spec->flags[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "a, b or c" into buf. */
static void list_words(const char *const *w, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	while (w[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, "%s%s",
		         i == 0       ? ""
		         : i + 1 == n ? " or "
		                      : ", ",
		         w[i]);
	}
}

static bool goes_with(const struct ctl_flag *f, const char *verb)
{
	size_t n;

	if (!f->verbs || !verb)
		return true;
	n = strlen(verb);
	for (const char *p = f->verbs; (p = strstr(p, verb)) != NULL; p += n)
		if ((p == f->verbs || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static int usage_error(const struct ctl_spec *spec)
{
	fprintf(stderr, "usage: %s\n(kioskctl help %s for every flag)\n", spec->usage, spec->cmd);
	return 2;
}

static int unknown_flag(const struct ctl_spec *spec, const char *arg)
{
	const char *names[CTL_FLAGS_MAX + 1];
	unsigned n = flag_count(spec);
	const char *hint;

	for (unsigned i = 0; i < n && i < CTL_FLAGS_MAX; i++)
		names[i] = spec->flags[i].name;
	names[n < CTL_FLAGS_MAX ? n : CTL_FLAGS_MAX] = NULL;
	hint = edit_closest(arg, names);
	if (hint)
		fprintf(stderr, "kioskctl %s: unknown flag '%s'; did you mean '%s'?\n", spec->cmd,
		        arg, hint);
	else
		fprintf(stderr, "kioskctl %s: unknown flag '%s'\n", spec->cmd, arg);
	return usage_error(spec);
}

static int bad_choice(const struct ctl_spec *spec, const struct ctl_flag *f, const char *v)
{
	char list[256];
	const char *hint = edit_closest(v, f->accept);

	char what[32];
	size_t k;

	/* "--chain eos": "unknown chain", from the value's name in the table. */
	for (k = 0; f->value[k] && k + 1 < sizeof(what); k++)
		what[k] = (char)(f->value[k] >= 'A' && f->value[k] <= 'Z' ? f->value[k] + 32
		                                                          : f->value[k]);
	what[k] = '\0';
	list_words(f->accept, list, sizeof(list));
	fprintf(stderr, "kioskctl %s: %s: unknown %s \"%s\"%s%s%s; use %s\n", spec->cmd, f->name,
	        what, v, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "", list);
	return 2;
}

static bool is_help(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

bool ctl_parse(const struct ctl_spec *spec, int argc, char **argv, struct ctl_args *a, int *rc)
{
	const struct ctl_verb *verb = NULL;
	unsigned min = spec->min_args, max = spec->max_args;
	const char *names = spec->args;
	int i = 1;

	memset(a, 0, sizeof(*a));
	a->spec = spec;
	*rc = 2;
	for (int k = 1; k < argc; k++)
		if (is_help(argv[k])) {
			ctl_help(spec, stdout);
			*rc = 0;
			return false;
		}
	if (spec->verbs) {
		const char *known[24];
		size_t n = 0;

		for (; spec->verbs[n].name && n + 1 < ARRAY_SIZE(known); n++)
			known[n] = spec->verbs[n].name;
		known[n] = NULL;
		if (argc < 2 || argv[1][0] == '-') {
			char list[256];

			list_words(known, list, sizeof(list));
			fprintf(stderr, "kioskctl %s: which action? %s\n", spec->cmd, list);
			usage_error(spec);
			return false;
		}
		for (size_t v = 0; v < n; v++)
			if (strcmp(argv[1], known[v]) == 0)
				verb = &spec->verbs[v];
		if (!verb) {
			char list[256];
			const char *hint = edit_closest(argv[1], known);

			list_words(known, list, sizeof(list));
			fprintf(stderr, "kioskctl %s: unknown action '%s'%s%s%s; use %s\n",
			        spec->cmd, argv[1], hint ? " (did you mean '" : "",
			        hint ? hint : "", hint ? "'?)" : "", list);
			usage_error(spec);
			return false;
		}
		a->verb = verb->name;
		min = verb->min_args;
		max = verb->max_args;
		names = verb->args;
		i = 2;
	}
	for (; i < argc; i++) {
		const char *s = argv[i], *eq, *v = NULL;
		char name[64];
		int fi;

		if (s[0] != '-' || strcmp(s, "-") == 0) {
			if (a->nargs >= max || a->nargs >= CTL_ARGS_MAX) {
				fprintf(stderr, "kioskctl %s%s%s: unexpected argument '%s'%s%s\n",
				        spec->cmd, a->verb ? " " : "", a->verb ? a->verb : "", s,
				        max ? "; it takes " : "; it takes no argument",
				        max ? names : "");
				usage_error(spec);
				return false;
			}
			a->arg[a->nargs++] = s;
			continue;
		}
		if (strcmp(s, "--") == 0) {
			fprintf(stderr, "kioskctl %s: unexpected '--'\n", spec->cmd);
			return false;
		}
		eq = strchr(s, '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - s) : (int)strlen(s), s);
		fi = flag_index(spec, name);
		if (fi < 0 || fi >= CTL_FLAGS_MAX) {
			unknown_flag(spec, name);
			return false;
		}
		if (!goes_with(&spec->flags[fi], a->verb)) {
			fprintf(stderr, "kioskctl %s %s: %s goes with %s only\n", spec->cmd,
			        a->verb, name, spec->flags[fi].verbs);
			usage_error(spec);
			return false;
		}
		if (a->val[fi]) {
			fprintf(stderr, "kioskctl %s: %s given twice; give it once\n", spec->cmd,
			        name);
			return false;
		}
		if (!spec->flags[fi].value) {
			if (eq) {
				fprintf(stderr, "kioskctl %s: %s takes no value\n", spec->cmd,
				        name);
				return false;
			}
			a->val[fi] = "";
			continue;
		}
		if (eq)
			v = eq + 1;
		else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
			v = argv[++i];
		if (!v) {
			fprintf(stderr, "kioskctl %s: %s needs a value (%s)\n", spec->cmd, name,
			        spec->flags[fi].value);
			usage_error(spec);
			return false;
		}
		if (spec->flags[fi].accept) {
			bool ok = false;

			for (size_t k = 0; spec->flags[fi].accept[k]; k++)
				ok = ok || strcmp(v, spec->flags[fi].accept[k]) == 0;
			if (!ok) {
				bad_choice(spec, &spec->flags[fi], v);
				return false;
			}
		}
		a->val[fi] = v;
	}
	if (a->nargs < min) {
		fprintf(stderr, "kioskctl %s%s%s: missing %s\n", spec->cmd, a->verb ? " " : "",
		        a->verb ? a->verb : "", names && names[0] ? names : "argument");
		usage_error(spec);
		return false;
	}
	*rc = 0;
	return true;
}

const char *ctl_get(const struct ctl_args *a, const char *flag)
{
	int i = flag_index(a->spec, flag);

	return i >= 0 && i < CTL_FLAGS_MAX ? a->val[i] : NULL;
}

bool ctl_has(const struct ctl_args *a, const char *flag)
{
	return ctl_get(a, flag) != NULL;
}

int ctl_choice(const struct ctl_args *a, const char *flag, int def)
{
	int i = flag_index(a->spec, flag);
	const char *v = ctl_get(a, flag);

	if (!v || i < 0 || !a->spec->flags[i].accept)
		return def;
	for (int k = 0; a->spec->flags[i].accept[k]; k++)
		if (strcmp(a->spec->flags[i].accept[k], v) == 0)
			return k;
	return def;
}

int ctl_missing(const struct ctl_args *a, const char *flag)
{
	int i = flag_index(a->spec, flag);
	const struct ctl_flag *f = i >= 0 ? &a->spec->flags[i] : NULL;

	fprintf(stderr, "kioskctl %s%s%s: %s %s is required%s%s%s\n", a->spec->cmd,
	        a->verb ? " " : "", a->verb ? a->verb : "", flag, f && f->value ? f->value : "",
	        f ? " (" : "", f ? f->help : "", f ? ")" : "");
	return usage_error(a->spec);
}

int ctl_bad_value(const struct ctl_args *a, const char *flag, const char *why)
{
	const char *v = ctl_get(a, flag);

	fprintf(stderr, "kioskctl %s: %s \"%s\": %s\n", a->spec->cmd, flag, v ? v : "", why);
	return 2;
}

void ctl_help(const struct ctl_spec *spec, FILE *f)
{
	unsigned n = flag_count(spec);

	fprintf(f, "usage: %s\n", spec->usage);
	if (spec->verbs) {
		fprintf(f, "actions:\n");
		for (size_t v = 0; spec->verbs[v].name; v++)
			fprintf(f, "  %s%s%s\n", spec->verbs[v].name,
			        spec->verbs[v].args && spec->verbs[v].args[0] ? " " : "",
			        spec->verbs[v].args ? spec->verbs[v].args : "");
	}
	if (n)
		fprintf(f, "flags:\n");
	for (unsigned i = 0; i < n; i++) {
		const struct ctl_flag *fl = &spec->flags[i];
		char head[80], list[256] = "";

		snprintf(head, sizeof(head), "%s%s%s", fl->name, fl->value ? " " : "",
		         fl->value ? fl->value : "");
		if (fl->accept)
			list_words(fl->accept, list, sizeof(list));
		fprintf(f, "  %-22s %s%s%s%s%s%s\n", head, fl->help ? fl->help : "",
		        fl->accept ? " (" : "", list, fl->accept ? ")" : "",
		        fl->verbs ? "; with " : "", fl->verbs ? fl->verbs : "");
	}
	fprintf(f, "  %-22s %s\n", "-h, --help", "this help");
}

const char *ctl_default_site(void)
{
	const char *env = getenv("KIOSK_SITE");

	return env && env[0] ? env : CTL_DEFAULT_SITE;
}

int ctl_load_site(const char *cmd, const char *site_path, struct site *site)
{
	struct config_error e;
	char msg[CONFIG_MSG_MAX + 300];

	if (!site_path) {
		site_path = ctl_default_site();
		if (access(site_path, F_OK) != 0) {
			fprintf(stderr,
			        "kioskctl %s: no --site given, and the default site file %s does "
			        "not exist (%s); "
			        "give --site FILE\n",
			        cmd, site_path, strerror(errno));
			return 2;
		}
	}
	if (config_load_site(site_path, site, &e)) {
		config_error_format(&e, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	return 0;
}

int ctl_become_owner(const char *cmd, const char *path)
{
	struct stat st;
	char dir[4096];
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (stat(path, &st) != 0) {
		snprintf(dir, sizeof(dir), "%s", path);
		if (stat(dirname(dir), &st) != 0)
			return 0; /* the open itself will say what is missing */
	}
	if (st.st_uid == 0)
		return 0;
	pw = getpwuid(st.st_uid);
	/* Group first, while still allowed; then the user, for good. */
	if ((pw ? initgroups(pw->pw_name, st.st_gid) : setgroups(0, NULL)) != 0 ||
	    setgid(st.st_gid) != 0 || setuid(st.st_uid) != 0) {
		fprintf(stderr,
		        "kioskctl %s: %s belongs to uid %u (%s) and kioskctl cannot take on that "
		        "user (%s); "
		        "run it as that user: sudo -u '#%u' kioskctl ...\n",
		        cmd, path, (unsigned)st.st_uid, pw ? pw->pw_name : "no name",
		        strerror(errno), (unsigned)st.st_uid);
		return 1;
	}
	return 0;
}

int ctl_open_journal(const char *cmd, const char *site_path, struct site *site, struct store **out)
{
	int rc;

	*out = NULL;
	rc = ctl_load_site(cmd, site_path, site);
	if (rc)
		return rc;
	if (ctl_become_owner(cmd, site->journal_path))
		return 1;
	if (store_open(site->journal_path, clock_system(), out)) {
		fprintf(stderr, "kioskctl %s: cannot open the journal %s\n", cmd,
		        site->journal_path);
		return 1;
	}
	return 0;
}

const char *ctl_opt(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}
