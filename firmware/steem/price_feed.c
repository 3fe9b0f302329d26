/*
 * The median history price: steemd libraries/chain/database.cpp keeps
 * feed_history_object::current_median_history (a price: base in the
 * dollar asset, quote in the liquid one), condenser_api serves it with
 * assets in their legacy text form. hived is the same with HBD and HIVE.
 */
#include "kiosk/price_feed.h"

#include <string.h>

#include <jansson.h>

static enum kerr refuse(struct price_feed *out, const char **why, const char *reason, enum kerr err)
{
	memset(out, 0, sizeof(*out));
	if (why)
		*why = reason;
	return err;
}

enum kerr price_feed_ratio(int64_t num, int64_t den, struct rate *out, bool *exact)
{
	uint64_t q, rem, d;
	unsigned scale = 0;

	memset(out, 0, sizeof(*out));
	*exact = false;
	if (num <= 0 || den <= 0)
		return KERR_INVAL;
	d = (uint64_t)den;
	q = (uint64_t)num / d;
	rem = (uint64_t)num % d;
	if (q > RATE_UNITS_MAX)
		return KERR_RANGE;
	/* Long division, one decimal at a time, until exact or 8 places. */
	while (rem != 0 && scale < RATE_DECIMALS_MAX) {
		uint64_t t;

		/* rem < den, but den may be near INT64_MAX: rem * 10 must fit. */
		if (rem > UINT64_MAX / 10)
			return KERR_RANGE;
		t = rem * 10;
		if (q > (RATE_UNITS_MAX - t / d) / 10)
			return KERR_RANGE;
		q = q * 10 + t / d;
		rem = t % d;
		scale++;
	}
	if (q == 0)
		return KERR_RANGE;
	out->units = q;
	out->scale = (uint8_t)scale;
	*exact = rem == 0;
	return KERR_OK;
}

/* s as an asset of the chain's `which` asset, or a refusal's reason. */
static const char *read_asset(const struct chain_profile *p, json_t *v, enum chain_asset which,
                              struct asset *a)
{
	const char *s = json_string_value(v);

	if (!s)
		return "the price's base and quote must be asset strings (\"0.250 SBD\")";
	if (asset_parse_n(s, json_string_length(v), a, NULL) != KERR_OK)
		return "the price's base or quote is not an asset with its precision";
	if (strcmp(a->symbol, p->assets[which].symbol) != 0 ||
	    a->precision != p->assets[which].precision)
		return which == CHAIN_DOLLAR
		           ? "the price's base is not the chain's dollar asset (SBD or HBD)"
		           : "the price's quote is not the chain's liquid asset (STEEM or HIVE)";
	return NULL;
}

enum kerr price_feed_parse(const struct chain_profile *p, const char *body, size_t len, uint64_t id,
                           struct price_feed *out, const char **why)
{
	json_error_t jerr;
	json_t *root, *res, *jid;
	const char *reason;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (len > PRICE_FEED_REPLY_MAX)
		return refuse(out, why, "the price feed reply is longer than 4 KiB", KERR_TOO_BIG);
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return refuse(out, why,
		              "the price feed reply is not a JSON object (or repeats a key)",
		              KERR_PARSE);
	}
	jid = json_object_get(root, "id");
	if (!json_is_integer(jid) || (uint64_t)json_integer_value(jid) != id) {
		json_decref(root);
		return refuse(out, why, "the price feed reply is not for our request (another id)",
		              KERR_PROTO);
	}
	if (json_object_get(root, "error")) {
		json_decref(root);
		return refuse(out, why, "the node answered the price feed with an error",
		              KERR_PROTO);
	}
	res = json_object_get(root, "result");
	if (!json_is_object(res)) {
		json_decref(root);
		return refuse(out, why, "the price feed reply has no result object", KERR_PARSE);
	}
	reason = read_asset(p, json_object_get(res, "base"), CHAIN_DOLLAR, &out->base);
	if (!reason)
		reason = read_asset(p, json_object_get(res, "quote"), CHAIN_LIQUID, &out->quote);
	json_decref(root);
	if (reason)
		return refuse(out, why, reason,
		              strstr(reason, "must be") ? KERR_PARSE : KERR_INVAL);
	if (out->base.amount <= 0 || out->quote.amount <= 0)
		return refuse(out, why, "the price feed has a zero base or quote", KERR_RANGE);
	/* Both have the same precision (3): the ratio of the amounts is the price. */
	if (out->base.precision != out->quote.precision)
		return refuse(out, why, "the price's assets differ in precision", KERR_INVAL);
	err = price_feed_ratio(out->base.amount, out->quote.amount, &out->usd, &out->exact);
	if (err)
		return refuse(out, why, "the price feed is beyond what a rate holds", KERR_RANGE);
	return KERR_OK;
}
