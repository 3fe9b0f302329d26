/*
 * Wrong-code lockouts, as arithmetic: how many failures lock, for how long,
 * and how the lock grows when it comes back. Pure (the caller passes the
 * time and keeps the state, e.g. in the journal, so that a restart does not
 * reset it).
 *
 * A failure counts towards the next lock; max_failures of them (within
 * window_ms of the first, if window_ms is set) lock for
 * base_ms << level, at most max_ms, and the level goes up by one when
 * the rule escalates. A success clears the failures and the level, unless
 * the rule keeps them (then only the window and decay_ms clear them).
 * While locked, attempts are refused without being counted.
 */
#ifndef KIOSK_LOCKOUT_H
#define KIOSK_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

struct lockout_rule {
	unsigned max_failures; /* failures that lock (>= 1) */
	int64_t window_ms;     /* 0: failures count until a success */
	int64_t base_ms;       /* the first lock's length */
	int64_t max_ms;        /* no lock is longer; 0 = base_ms << 20 */
	bool escalate;         /* each lock twice the one before */
	bool keep_on_success;  /* a success clears nothing (staff codes: a
	                        * colleague's login must not reset a guesser's count) */
	int64_t decay_ms;      /* the level drops to 0 this long after a lock ended; 0 = never */
};

struct lockout {
	unsigned failures; /* since the last lock or success */
	unsigned level;    /* locks so far (escalating rules) */
	int64_t first_ms;  /* time of the first counted failure */
	int64_t until_ms;  /* locked before this time; 0 = never locked */
};

/* The per-order pickup rule: 5 wrong codes, 15 min, doubling, at most a day. */
extern const struct lockout_rule lockout_pickup_order;
/* The kiosk-wide pickup rule: 20 wrong codes within an hour, 15 min. */
extern const struct lockout_rule lockout_pickup_kiosk;

/* True while locked at now_ms; *left_ms (may be NULL) says for how long. */
bool lockout_locked(const struct lockout *l, int64_t now_ms, int64_t *left_ms);

/* The length of the lock at this level under r. */
int64_t lockout_length_ms(const struct lockout_rule *r, unsigned level);

/*
 * Records one attempt's result at now_ms. Returns true when this failure
 * locked (l->until_ms then says until when). Call only when not locked.
 */
bool lockout_record(const struct lockout_rule *r, struct lockout *l, int64_t now_ms, bool ok);

#endif
