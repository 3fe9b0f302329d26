/*
 * kioskctl's sub-commands. Each lives in firmware/app/cmd_<name>.c and
 * defines cmd_<name>() and cmd_<name>_usage[]; the build lists them in
 * kioskctl_commands.h. A command returns the process exit status:
 * 0 ok, 1 failure, 2 bad usage or config.
 */
#ifndef KIOSK_KIOSKCTL_PRIV_H
#define KIOSK_KIOSKCTL_PRIV_H

#include <stdbool.h>
#include <stdio.h>

/* Declares cmd_<name> (argv[0] is the command name) and its usage line. */
#define KIOSKCTL_DECLARE(name)                                                                     \
	int cmd_##name(int argc, char **argv);                                                     \
	extern const char cmd_##name##_usage[]

/* The site file kioskctl uses when --site is not given (and $KIOSK_SITE is not set). */
#define CTL_DEFAULT_SITE "/etc/kiosk/site.conf"

/* $KIOSK_SITE when set, else CTL_DEFAULT_SITE. */
const char *ctl_default_site(void);

struct site;
struct store;

/*
 * Strict argument parsing, declared per command. A command describes its
 * verbs (if any), its positional arguments and its flags in tables, and
 * ctl_parse() refuses anything else: an unknown verb or flag (with the
 * closest known one: "did you mean"), a flag given to a verb it does not
 * go with, a flag without its value, a value not among the accepted ones,
 * too few or too many arguments. Every message names the argument and
 * what is accepted. --help and -h anywhere print the command's help.
 * --flag VALUE and --flag=VALUE are both accepted.
 *
 *	static const char *const chains[] = {"steem", "hive", NULL};
 *	static const struct ctl_verb verbs[] = {
 *	    {"list", 0, 0, ""},
 *	    {"show", 1, 1, "ID"},
 *	    {NULL},
 *	};
 *	static const struct ctl_flag flags[] = {
 *	    {"--site", "FILE", NULL, "the kiosk's site file", NULL},
 *	    {"--chain", "CHAIN", chains, "which chain", NULL},
 *	    {"--qr", NULL, NULL, "also draw a QR code", "show"},
 *	    {NULL},
 *	};
 *	static const struct ctl_spec spec = {"orders", cmd_orders_usage, verbs, 0, 0, NULL, flags};
 *
 *	struct ctl_args a;
 *	int rc;
 *
 *	if (!ctl_parse(&spec, argc, argv, &a, &rc))
 *		return rc;              // 0 after --help, 2 after a usage error
 *	ctl_get(&a, "--site"), ctl_has(&a, "--qr"), a.verb, a.arg[0]
 */
struct ctl_flag {
	const char *name;          /* "--site"; NULL ends the table */
	const char *value;         /* what its value is ("FILE"); NULL: a switch */
	const char *const *accept; /* NULL-ended list of the values accepted; NULL: any */
	const char *help;          /* one line for --help */
	const char *verbs;         /* the verbs it goes with, space-separated; NULL: all */
};

struct ctl_verb {
	const char *name;            /* NULL ends the table */
	unsigned min_args, max_args; /* positional arguments after the verb */
	const char *args;            /* their names, for messages ("ID", "FILE") */
};

struct ctl_spec {
	const char *cmd;              /* "orders" */
	const char *usage;            /* cmd_<name>_usage */
	const struct ctl_verb *verbs; /* NULL: the command takes no verb */
	unsigned min_args, max_args;  /* without verbs: positional arguments */
	const char *args;             /* without verbs: their names */
	const struct ctl_flag *flags; /* NULL-ended; NULL: none */
};

#define CTL_ARGS_MAX  8
#define CTL_FLAGS_MAX 32

struct ctl_args {
	const struct ctl_spec *spec;
	const char *verb; /* NULL without verbs */
	unsigned nargs;
	const char *arg[CTL_ARGS_MAX];  /* positional arguments after the verb */
	const char *val[CTL_FLAGS_MAX]; /* per flag: its value ("" for a switch), NULL if absent */
};

/*
 * Parses argv (argv[0] is the command name) against spec. True to go on;
 * false with *rc the exit status (0 after --help, 2 after a usage error
 * already explained on stderr).
 */
bool ctl_parse(const struct ctl_spec *spec, int argc, char **argv, struct ctl_args *a, int *rc);

/* The value of flag (its full name, "--site"), "" for a switch given, or NULL. */
const char *ctl_get(const struct ctl_args *a, const char *flag);
bool ctl_has(const struct ctl_args *a, const char *flag);

/* The accepted value's index in the flag's accept list, or def when the flag is absent. */
int ctl_choice(const struct ctl_args *a, const char *flag, int def);

/* "kioskctl CMD: FLAG VALUE is required (help); usage: ..." on stderr; returns 2. */
int ctl_missing(const struct ctl_args *a, const char *flag);

/* "kioskctl CMD: FLAG \"VALUE\": why" on stderr; returns 2. */
int ctl_bad_value(const struct ctl_args *a, const char *flag, const char *why);

/* The command's usage, arguments and flags with what each accepts. */
void ctl_help(const struct ctl_spec *spec, FILE *f);

/*
 * Loads the site file (path, or CTL_DEFAULT_SITE when NULL) for a
 * command; prints the reason and returns 2 on error (naming the default
 * file when that is the one missing), 0 when loaded.
 */
int ctl_load_site(const char *cmd, const char *site_path, struct site *site);

/*
 * Run as root on files owned by someone else (the kiosk user), takes on
 * that owner's uid and gid, so that nothing kioskctl writes (the journal,
 * its -wal and -shm files, the staff secrets) ends up owned by root, which
 * the kiosk could then no longer open. path is the file (or, when it does
 * not exist yet, its directory decides). Returns 0, or 1 after saying why.
 */
int ctl_become_owner(const char *cmd, const char *path);

/*
 * ctl_load_site, then opens its journal (as its owner, see
 * ctl_become_owner); prints the reason and returns the exit status
 * (2 bad site file, 1 journal) on error.
 */
int ctl_open_journal(const char *cmd, const char *site_path, struct site *site, struct store **out);

/* The value after option `name` in argv, or NULL. Unchecked: prefer ctl_parse(). */
const char *ctl_opt(int argc, char **argv, const char *name);

#endif
