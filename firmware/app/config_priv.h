/*
 * Inside the board and site file parser, shared by config.c (the key
 * tables and parsing) and config_check.c (validation of the whole file).
 */
#ifndef KIOSK_CONFIG_PRIV_H
#define KIOSK_CONFIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/compiler.h"
#include "kiosk/config.h"

enum ktype {
	K_STR,     /* text into a char array */
	K_PATH,    /* an absolute path (or relative for sim) */
	K_UINT,    /* unsigned in [min, max] */
	K_BOOL,    /* yes/no, true/false, 1/0, on/off */
	K_ENUM,    /* one of names[], stored as int */
	K_BACKEND, /* one of names[], stored as text */
	K_LINE,    /* GPIO line name into a struct board_line */
	K_LOW,     /* active_low of the struct board_line at off */
	K_BIAS,    /* bias of the struct board_line at off */
	K_URL,     /* https:// URL */
	K_ACCOUNT, /* chain account name */
	K_ASSET,   /* "50.000 STEEM" (checked against the chain later) */
	K_CONFIRM, /* head | blocks:N | irreversible */
	K_TZ,      /* IANA time zone known to /usr/share/zoneinfo */
	K_SINCE,   /* UTC date or date-time, into int64_t seconds since the epoch */
	K_SOURCES, /* rate sources, in order: "staff, ticker, feed" */
	K_PERCENT, /* "0.5%" into unsigned basis points, at most max */
};

struct key {
	const char *section;
	const char *name;
	enum ktype type;
	size_t off;
	size_t size;
	unsigned min, max;
	const char *const *names;
	bool required;
};

struct seen {
	char section[32];
	char key[32];
	unsigned line;
};

struct ctx {
	const char *file;
	const char *text, *end, *pos; /* the reader walks the text line by line */
	unsigned line;
	bool board;
	void *out;
	struct config_error *err;  /* the first problem */
	struct config_errors *all; /* NULL: stop at the first; else every problem, going on */
	unsigned nerr;             /* problems found in this file */
	bool failed;               /* stop: set at the first problem unless collecting */
	unsigned nseen;
	struct seen seen[256];
	char sections[64][32];
	unsigned section_lines[64];
	unsigned nsections;
	char last_section[32];
	int locker; /* index into lockers.c for [locker.N], or -1 */
	bool node_set[SITE_NODES_MAX];
	unsigned node_line[SITE_NODES_MAX];
	bool sc_node_set[SITE_NODES_MAX]; /* [tokens]: the sidechain's nodes */
	unsigned sc_node_line[SITE_NODES_MAX];
};

extern const struct key config_board_keys[];
extern const size_t config_board_nkeys;
extern const struct key config_locker_keys[];
extern const size_t config_locker_nkeys;
extern const struct key config_site_keys[];
extern const size_t config_site_nkeys;

/*
 * Records a problem at line (0: the file as a whole). Returns what inih's
 * handler should return: 0 (stop) unless collecting every problem.
 */
KIOSK_PRINTF(3, 4)
int config_fail(struct ctx *c, unsigned line, const char *fmt, ...);

/* The line where [section] name was set, 0 if it was not. */
unsigned config_seen_line(const struct ctx *c, const char *section, const char *name);

/* The message for a GPIO line name that is not one of the Pi's, or NULL when it is. */
const char *config_gpio_line_problem(const char *v, char *buf, size_t len);

/* Whole-file checks after parsing; false when any failed (all reported when collecting). */
bool config_check_required(struct ctx *c, const struct key *keys, size_t n,
                           const char *section_name);
bool config_check_board(struct ctx *c, struct board *b);
bool config_check_site(struct ctx *c, struct site *s);

/* A whole number as the key tables take it (decimal, or 0x hex); no sign. */
bool config_parse_uint(const char *v, unsigned long *out);

/*
 * node<N>, pin<N>, operator<N> of a node list ([nodes] or [tokens]) into
 * nodes, marking set[N-1] and lines[N-1] for a node; -1 when name is none of
 * them, else what inih's handler should return (config_fail).
 */
int config_node_key(struct ctx *c, const char *section, struct site_node *nodes, bool *set,
                    unsigned *lines, const char *name, const char *value);

/* A node list numbered from 1 without gaps, pins only for given nodes; *count
 * set to the nodes given. False when a problem was recorded. */
bool config_count_nodes(struct ctx *c, const char *section, const struct site_node *nodes,
                        const bool *set, const unsigned *lines, unsigned *count);

/* [tokens] accept and the sidechain's node<N>, pin<N>, operator<N>; -1 for another key. */
int config_tokens_key(struct ctx *c, const char *name, const char *value);

/* [tokens] as a whole: defaults (the chain's sidechain id, quorum 2), two or
 * more nodes and enough operators when tokens are accepted. */
bool config_check_tokens(struct ctx *c, struct site *s);

#endif
