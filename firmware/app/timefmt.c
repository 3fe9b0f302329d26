#include "kiosk/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ZONEINFO "/usr/share/zoneinfo/"

bool timefmt_zone_valid(const char *name)
{
	char path[sizeof(ZONEINFO) + TIMEFMT_ZONE_MAX];
	struct stat st;

	if (!name || !name[0] || strlen(name) >= TIMEFMT_ZONE_MAX)
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	if (name[0] == '/' || strstr(name, ".."))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '+' || *p == '/'))
			return false;
	snprintf(path, sizeof(path), ZONEINFO "%s", name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

enum kerr timefmt_use_zone(const char *name)
{
	if (!name || !name[0])
		name = "UTC";
	if (!timefmt_zone_valid(name))
		return KERR_INVAL;
	if (setenv("TZ", name, 1))
		return KERR_IO;
	tzset();
	return KERR_OK;
}

static void local(int64_t ms, struct tm *tm)
{
	/* Floor division: a time before 1970 still rounds towards the past. */
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));

	if (!localtime_r(&t, tm))
		memset(tm, 0, sizeof(*tm));
}

static void fmt(int64_t ms, bool seconds, char *buf, size_t cap)
{
	struct tm tm;
	size_t n;

	local(ms, &tm);
	if (!cap)
		return;
	n = seconds ? strftime(buf, cap, "%Y-%m-%d %H:%M:%S %Z", &tm)
	            : strftime(buf, cap, "%Y-%m-%d %H:%M %Z", &tm);
	if (n == 0)
		buf[0] = '\0';
}

void timefmt_minutes(int64_t ms, char *buf, size_t cap)
{
	fmt(ms, false, buf, cap);
}

void timefmt_seconds(int64_t ms, char *buf, size_t cap)
{
	fmt(ms, true, buf, cap);
}

void timefmt_iso(int64_t ms, char *buf, size_t cap)
{
	struct tm tm;
	long off;
	char z[40];

	local(ms, &tm);
	if (!cap)
		return;
	off = tm.tm_gmtoff;
	if (off == 0)
		snprintf(z, sizeof(z), "Z");
	else
		snprintf(z, sizeof(z), "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
		         labs(off) % 3600 / 60);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, z);
}

static bool midnight(int y, int m, int d, int64_t *ms)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
	time_t t = mktime(&tm);

	if (t == (time_t)-1)
		return false;
	*ms = (int64_t)t * 1000;
	return true;
}

bool timefmt_day(const char *day, int64_t *from_ms, int64_t *to_ms)
{
	int y, m, d;
	char tail;
	struct tm chk;

	if (!day || strlen(day) != 10 || day[4] != '-' || day[7] != '-' ||
	    sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	if (!midnight(y, m, d, from_ms) || !midnight(y, m, d + 1, to_ms))
		return false;
	/* 2026-02-30 would roll over to March: refused. */
	local(*from_ms, &chk);
	return chk.tm_mday == d && chk.tm_mon == m - 1;
}
