/*
 * The rate a request is made at. A source that is missing or too old is
 * passed over for the next, and each one's reason is kept: when none is
 * usable, staff read why on the screen rather than the kiosk guessing.
 */
#include "kiosk/rate_pick.h"

#include <stdio.h>
#include <string.h>

/* "2 h 5 min", "40 min", "12 s". */
static void age_text(int64_t ms, char *buf, size_t cap)
{
	int64_t s = ms / 1000;

	if (s >= 3600)
		snprintf(buf, cap, "%lld h %lld min", (long long)(s / 3600),
		         (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, cap, "%lld min", (long long)(s / 60));
	else
		snprintf(buf, cap, "%lld s", (long long)s);
}

/* NULL when q is usable, else why not (written into buf). */
static const char *unusable(const struct rate_quote *q, int64_t now_ms, uint32_t max_age_s,
                            char *buf, size_t cap)
{
	char age[32], limit[32];

	if (!q->present)
		return "none";
	if (q->at_ms > now_ms + RATE_FUTURE_SLACK_MS)
		return "dated in the future (is the clock right?)";
	if (now_ms - q->at_ms > (int64_t)max_age_s * 1000) {
		age_text(now_ms - q->at_ms, age, sizeof(age));
		age_text((int64_t)max_age_s * 1000, limit, sizeof(limit));
		snprintf(buf, cap, "%s old, the limit is %s", age, limit);
		return buf;
	}
	return NULL;
}

static const char *try_feed(const struct rate_quotes *q, int64_t now_ms, uint32_t max_age_s,
                            struct rate_choice *c, char *buf, size_t cap)
{
	static const struct rate one_dollar = {.units = 1, .scale = 0};
	char part[96];
	const char *r;
	const struct rate *usd_per_unit = q->pegged ? &one_dollar : &q->feed.rate;
	int64_t at = q->usd.at_ms;

	if (!q->pegged && (r = unusable(&q->feed, now_ms, max_age_s, part, sizeof(part)))) {
		snprintf(buf, cap, "price feed: %s", r);
		return buf;
	}
	if ((r = unusable(&q->usd, now_ms, max_age_s, part, sizeof(part)))) {
		snprintf(buf, cap, "won per dollar: %s", r);
		return buf;
	}
	if (!q->pegged && q->feed.at_ms < at)
		at = q->feed.at_ms;
	if (rate_mul(usd_per_unit, &q->usd.rate, &c->rate) != KERR_OK)
		return "feed times won per dollar is out of range";
	c->at_ms = at;
	return NULL;
}

enum kerr rate_pick(const struct rate_quotes *q, const enum rate_source *order, size_t n,
                    int64_t now_ms, uint32_t max_age_s, struct rate_choice *out, char *why,
                    size_t cap)
{
	size_t used = 0;

	memset(out, 0, sizeof(*out));
	if (cap)
		why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct rate_quote *one = NULL;
		struct rate_choice c = {.source = order[i]};
		char buf[96];
		const char *r;

		switch (order[i]) {
		case RATE_STAFF:
			one = &q->staff;
			break;
		case RATE_TICKER:
			one = &q->ticker;
			break;
		case RATE_FEED:
		case RATE_SOURCE_COUNT:
			break;
		}
		if (order[i] == RATE_FEED) {
			r = try_feed(q, now_ms, max_age_s, &c, buf, sizeof(buf));
		} else if (one) {
			r = unusable(one, now_ms, max_age_s, buf, sizeof(buf));
			c.rate = one->rate;
			c.at_ms = one->at_ms;
		} else {
			r = "not a source";
		}
		if (!r) {
			*out = c;
			if (cap)
				why[0] = '\0';
			return KERR_OK;
		}
		if (cap > used) {
			int k = snprintf(why + used, cap - used, "%s%s: %s", used ? "; " : "",
			                 rate_source_name(order[i]), r);

			used = k < 0 ? cap : used + (size_t)k;
		}
	}
	if (n == 0 && cap)
		snprintf(why, cap, "no rate sources");
	return KERR_NOTFOUND;
}
