/*
 * Calendar dates in UTC, as the chains print them ("2026-12-04T21:45:00") and
 * as order files give deadlines. Pure: no time zone, no clock.
 */
#ifndef KIOSK_CIVIL_H
#define KIOSK_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31). */
int64_t civil_days(int64_t y, unsigned m, unsigned d);

/*
 * "YYYY-MM-DDTHH:MM:SS", optionally with a trailing 'Z' (UTC either way: nodes
 * print no zone), to seconds since the epoch. False when malformed or not a
 * real date (Feb 30, a 29 February outside leap years, hour 24).
 */
bool civil_parse_utc(const char *s, size_t len, int64_t *out_s);

#endif
