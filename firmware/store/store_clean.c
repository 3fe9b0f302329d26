/*
 * The clean-stop mark: the integrity check runs after an unclean stop only.
 *
 * The owner (the kiosk daemon, store_open_owner) writes "open" into
 * store_state when it opens the journal and "closed" in store_close; each is
 * its own transaction in WAL with synchronous=FULL, so whatever stops the
 * daemon (power cut, crash, SIGKILL, a start-up that never reached
 * store_close) leaves "open" behind, and the next owner runs the check
 * before writing anything. A power cut during either write leaves the mark
 * as it was before that write: at worst one check too many, never one too
 * few, since "closed" is written last of all.
 *
 * Other openers (kioskctl, tests) never write the mark: kioskctl opening
 * the journal while the daemon runs must neither clear the daemon's "open"
 * nor run a second-long check on every command. They check only a journal
 * that has no mark at all (new, from before schema 5, or made elsewhere),
 * as every open did before.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/log.h"
#include "store_priv.h"

#define MARK_KEY    "owner"
#define MARK_SCHEMA 5 /* the first schema with store_state */

/* 1 and the mark in out, 0 without a mark, -1 when it cannot be read. */
static int read_mark(struct store *s, int v, char *out, size_t cap)
{
	sqlite3_stmt *st;
	int rc, found;

	if (v < MARK_SCHEMA)
		return 0;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM store_state WHERE key = '" MARK_KEY "'",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, cap, "%s", t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return found;
}

static double mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

enum kerr store_check_if_unclean(struct store *s, int v)
{
	char mark[16] = "";
	int found = read_mark(s, v, mark, sizeof(mark));
	const char *why;
	double t0;
	enum kerr err;

	if (found < 0)
		why = "its clean-stop mark cannot be read";
	else if (found == 0)
		why = "it has no clean-stop mark yet";
	else if (s->owner && strcmp(mark, "closed") != 0)
		why = "the kiosk did not stop cleanly";
	else
		return KERR_OK;
	/* A journal without a mark is every new one and every one kioskctl alone
	 * uses: not news (and kioskctl's output is read by scripts). A missed
	 * clean stop is. */
	if (found != 0)
		log_notice("journal %s: %s: checking it", s->path, why);
	s->checked = true;
	t0 = mono_ms();
	err = store_quick_check(s);
	if (!err && found != 0)
		log_notice("journal %s: check ok (%.0f ms)", s->path, mono_ms() - t0);
	return err;
}

enum kerr store_mark(struct store *s, bool open)
{
	sqlite3_stmt *st;
	enum kerr err = store_begin(s);
	int rc;

	if (err)
		return err;
	err = store_prepare(
	    s, "INSERT OR REPLACE INTO store_state (key, value) VALUES ('" MARK_KEY "', ?)", &st);
	if (!err) {
		store_bind_text(st, 1, open ? "open" : "closed");
		/* Not step_write: injected test failures are for the caller's writes. */
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			err = store_sql_err(s, rc, "clean-stop mark");
		sqlite3_finalize(st);
	}
	return store_finish(s, err);
}

bool store_open_checked(const struct store *s)
{
	return s->checked;
}
