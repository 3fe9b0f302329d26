/*
 * Staff members and their TOTP secrets. The secrets file is the kiosk's own
 * (mode 0600): one line per member, "name base32-secret last-step". It is
 * rewritten atomically (temporary file, fsync, rename, fsync of the folder)
 * so a power cut leaves either the old or the new file, never half of one.
 * A staff member types only the 6-digit code: the kiosk finds whose it is.
 */
#ifndef KIOSK_STAFF_H
#define KIOSK_STAFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/rng.h"
#include "kiosk/totp.h"

#define STAFF_MAX      32
#define STAFF_NAME_MAX 32          /* bytes of UTF-8 */
#define STAFF_FILE_MAX (64 * 1024) /* refuse anything larger */

struct staff_member {
	char name[STAFF_NAME_MAX + 1];
	uint8_t secret[TOTP_SECRET_MAX];
	size_t secret_len;
	uint64_t last_step; /* last accepted TOTP step: replay guard */
};

struct staff_db {
	char path[256];
	unsigned count;
	struct staff_member m[STAFF_MAX];
};

/* The HMAC that staff codes use (mbedtls). */
const struct totp_hmac *staff_hmac(void);

/*
 * Loads the secrets file. A missing file gives an empty db (KERR_OK) so the
 * first `kioskctl staff add` can create it. KERR_AUTH when the file is
 * readable by group or others (fix: chmod 600), KERR_PARSE for a malformed
 * line (logged with its number), KERR_TOO_BIG beyond the bounds.
 */
KIOSK_MUST_CHECK enum kerr staff_db_load(const char *path, struct staff_db *db);

/*
 * kioskctl and the running kiosk both rewrite the secrets file: each holds
 * this lock from load to save, so neither writes back a stale copy over a
 * member the other just added or removed, or a code it just used. It is an
 * flock on the file's folder (the file itself is replaced on every save).
 * Waits up to wait_ms; KERR_BUSY when still held, KERR_IO when the folder
 * cannot be opened.
 */
KIOSK_MUST_CHECK enum kerr staff_db_lock(const char *path, int wait_ms, int *fd);
void staff_db_unlock(int fd);

/* Writes the db back atomically with mode 0600. */
KIOSK_MUST_CHECK enum kerr staff_db_save(const struct staff_db *db);

/*
 * Adds a member with a fresh 160-bit secret from rng. KERR_EXISTS for a
 * name already there, KERR_INVAL for an empty name or one with spaces or
 * control characters, KERR_TOO_BIG when full.
 */
KIOSK_MUST_CHECK enum kerr staff_db_add(struct staff_db *db, const char *name, struct rng *rng);

/* Removes a member; KERR_NOTFOUND if absent. */
KIOSK_MUST_CHECK enum kerr staff_db_remove(struct staff_db *db, const char *name);

/*
 * Carries the replay guard over from an earlier copy: a member of db with
 * the same name and secret as one in seen keeps the later last_step, so a
 * code used once stays used even if its save did not reach the file.
 */
void staff_db_keep_steps(struct staff_db *db, const struct staff_db *seen);

/* The member with this name, or NULL. */
const struct staff_member *staff_db_find(const struct staff_db *db, const char *name);

/*
 * Checks a typed code at unix time now_s against every member; on success
 * *who is the member (its last_step advanced: the caller saves the db).
 * KERR_AUTH when no member's code matches, KERR_PARSE for a malformed code.
 */
/* The same for a site whose staff codes have `digits` digits (6..8). */
KIOSK_MUST_CHECK enum kerr staff_db_check_digits(struct staff_db *db, int64_t now_s,
                                                 const char *code, unsigned digits,
                                                 const struct staff_member **who);
KIOSK_MUST_CHECK enum kerr staff_db_check(struct staff_db *db, int64_t now_s, const char *code,
                                          const struct staff_member **who);

/*
 * Whether the wall clock can be trusted for TOTP: within max_skew_s of the
 * chain's head time when that is known (online: that alone is enough), else
 * not before the journal's last event (a Pi without RTC booting offline
 * starts in the past).
 * Zero for an unknown reference. KERR_CLOCK with *why set otherwise.
 */
KIOSK_MUST_CHECK enum kerr staff_clock_check(int64_t now_s, int64_t last_event_s,
                                             int64_t chain_head_s, int64_t max_skew_s,
                                             const char **why);

#endif
