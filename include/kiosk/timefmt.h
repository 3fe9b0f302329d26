/*
 * Human-facing times in the site's one time zone (site `timezone`, an IANA
 * name such as Asia/Seoul; UTC when unset). Every time a person reads —
 * screens, receipts, reports, kioskctl output — goes through here, printed
 * with its zone (`2026-12-04 21:45 KST`), so no two places disagree.
 *
 * The zone is the process's (TZ): timefmt_use_zone() sets it once at start
 * (the daemon and kioskctl are single-threaded); conversions use
 * localtime_r/mktime.
 */
#ifndef KIOSK_TIMEFMT_H
#define KIOSK_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define TIMEFMT_ZONE_MAX 64
#define TIMEFMT_MAX      48 /* room for any of the forms below */

/*
 * Whether name is a zone this system knows: "UTC", or a file under
 * /usr/share/zoneinfo (letters, digits, '_', '-', '+', '/'; no "..").
 */
bool timefmt_zone_valid(const char *name);

/* Makes name ("" = UTC) the zone of every time printed from now on. */
KIOSK_MUST_CHECK enum kerr timefmt_use_zone(const char *name);

/* "2026-12-04 21:45 KST" (minutes): screens and receipts. */
void timefmt_minutes(int64_t ms, char *buf, size_t cap);
/* "2026-12-04 21:45:07 KST": reports and kioskctl. */
void timefmt_seconds(int64_t ms, char *buf, size_t cap);
/* "2026-12-04T21:45:07+09:00": CSV, for machines (ISO 8601 with offset). */
void timefmt_iso(int64_t ms, char *buf, size_t cap);

/*
 * The local day "YYYY-MM-DD" as [from_ms, to_ms): local midnight to the
 * next local midnight (23 or 25 h around a DST change). False if malformed.
 */
bool timefmt_day(const char *day, int64_t *from_ms, int64_t *to_ms);

#endif
