#include "kiosk/pickup.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/hash.h"
#include "kiosk/lockout.h"
#include "kiosk/log.h"

void pickup_hash(const uint8_t salt[STORE_PICKUP_SALT_LEN], const char *order_id, const char *code,
                 uint8_t out[STORE_PICKUP_HASH_LEN])
{
	uint8_t buf[STORE_PICKUP_SALT_LEN + ORDER_ID_MAX + 1 + PICKUP_DIGITS_MAX + 1];
	size_t il = strnlen(order_id, ORDER_ID_MAX), cl = strnlen(code, PICKUP_DIGITS_MAX + 1),
	       n = 0;

	memcpy(buf, salt, STORE_PICKUP_SALT_LEN);
	n = STORE_PICKUP_SALT_LEN;
	memcpy(buf + n, order_id, il);
	n += il;
	buf[n++] = ':';
	memcpy(buf + n, code, cl);
	n += cl;
	hash_sha256(buf, n, out);
	explicit_bzero(buf, sizeof(buf));
}

bool pickup_matches(const struct store_pickup *p, const char *code)
{
	uint8_t h[STORE_PICKUP_HASH_LEN], diff = 0;
	size_t len = strlen(code);

	if (len < PICKUP_DIGITS_MIN || len > PICKUP_DIGITS_MAX || len != p->digits)
		return false;
	pickup_hash(p->salt, p->order_id, code, h);
	for (size_t i = 0; i < sizeof(h); i++)
		diff |= (uint8_t)(h[i] ^ p->hash[i]);
	explicit_bzero(h, sizeof(h));
	return diff == 0;
}

enum kerr pickup_make(struct rng *r, const char *order_id, unsigned digits,
                      char code[PICKUP_DIGITS_MAX + 1], struct store_pickup *out)
{
	enum kerr err;

	memset(out, 0, sizeof(*out));
	code[0] = '\0';
	if (digits < PICKUP_DIGITS_MIN || digits > PICKUP_DIGITS_MAX ||
	    strlen(order_id) > ORDER_ID_MAX)
		return KERR_INVAL;
	for (unsigned i = 0; i < digits; i++) {
		uint8_t b;

		/* One byte per digit, below 250 (25 × 10): every digit equally likely. */
		do {
			err = rng_fill(r, &b, 1);
			if (err)
				return err;
		} while (b >= 250);
		code[i] = (char)('0' + b % 10);
	}
	code[digits] = '\0';
	err = rng_fill(r, out->salt, sizeof(out->salt));
	if (err) {
		explicit_bzero(code, PICKUP_DIGITS_MAX + 1);
		return err;
	}
	snprintf(out->order_id, sizeof(out->order_id), "%s", order_id);
	out->digits = digits;
	pickup_hash(out->salt, order_id, code, out->hash);
	return KERR_OK;
}

enum kerr pickup_issue(struct store *s, struct rng *r, const char *order_id, unsigned digits,
                       char code[PICKUP_DIGITS_MAX + 1], bool *replaced)
{
	struct store_pickup p;
	enum kerr err = pickup_make(r, order_id, digits, code, &p);

	if (!err)
		err = store_pickup_set(s, &p, replaced);
	if (err)
		explicit_bzero(code, PICKUP_DIGITS_MAX + 1);
	return err;
}

enum kerr pickup_qr_text(const char *order_id, const char *code, char *out, size_t cap)
{
	int n = snprintf(out, cap, PICKUP_QR_PREFIX "%s:%s", order_id, code);

	return n < 0 || (size_t)n >= cap ? KERR_TOO_BIG : KERR_OK;
}

bool pickup_qr_parse(const char *text, char order_id[ORDER_ID_MAX + 1],
                     char code[PICKUP_DIGITS_MAX + 1])
{
	const char *id = text + strlen(PICKUP_QR_PREFIX), *colon;
	size_t il, cl;

	order_id[0] = code[0] = '\0';
	if (strncmp(text, PICKUP_QR_PREFIX, strlen(PICKUP_QR_PREFIX)) != 0)
		return false;
	/* The code has no colon; an order id might. */
	colon = strrchr(id, ':');
	if (!colon)
		return false;
	il = (size_t)(colon - id);
	cl = strlen(colon + 1);
	if (il == 0 || il > ORDER_ID_MAX || cl < PICKUP_DIGITS_MIN || cl > PICKUP_DIGITS_MAX)
		return false;
	for (size_t i = 0; i < cl; i++)
		if (colon[1 + i] < '0' || colon[1 + i] > '9')
			return false;
	memcpy(order_id, id, il);
	order_id[il] = '\0';
	memcpy(code, colon + 1, cl + 1);
	return true;
}

void pickup_scope(const char *order_id, char *out, size_t cap)
{
	snprintf(out, cap, "order:%s", order_id);
}

static enum kerr lock_event(struct store *s, const char *order_id, const char *kind, int64_t now_ms,
                            const struct lockout *l)
{
	char d[STORE_DETAIL_MAX];

	snprintf(d, sizeof(d), "locked for %" PRId64 " min, until %" PRId64 " ms (lock %u)",
	         (l->until_ms - now_ms + 59999) / 60000, l->until_ms, l->level ? l->level : 1);
	return store_event(s, order_id, kind, d);
}

void pickup_try(struct store *s, const char *order_id, const char *code, int64_t now_ms,
                struct pickup_result *out)
{
	char scope[ORDER_ID_MAX + 8], d[STORE_DETAIL_MAX];
	struct lockout kiosk, order;
	struct store_pickup p;
	bool have, ok;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	pickup_scope(order_id, scope, sizeof(scope));
	err = store_begin(s);
	if (!err)
		err = store_lockout_get(s, PICKUP_KIOSK_SCOPE, &kiosk);
	if (!err)
		err = store_lockout_get(s, scope, &order);
	if (err)
		goto fail;
	/* Locked: refused without looking at the code, and not counted. */
	if (lockout_locked(&kiosk, now_ms, &out->left_ms)) {
		out->verdict = PICKUP_KIOSK_LOCKED;
		store_rollback(s);
		return;
	}
	if (lockout_locked(&order, now_ms, &out->left_ms)) {
		out->verdict = PICKUP_LOCKED;
		store_rollback(s);
		return;
	}
	err = store_pickup_get(s, order_id, &p);
	have = err == KERR_OK;
	if (err && err != KERR_NOTFOUND)
		goto fail;
	ok = have && pickup_matches(&p, code);
	if (ok) {
		out->verdict = PICKUP_OK;
		(void)lockout_record(&lockout_pickup_order, &order, now_ms, true);
		err = store_lockout_put(s, scope, &order);
		if (!err)
			err = store_event(s, order_id, "pickup_ok", "the right pickup code");
		if (err)
			goto fail;
		err = store_commit(s);
		if (err)
			goto fail_done;
		return;
	}
	/* Wrong (or no code at all): it counts for the order and for the kiosk. */
	out->verdict = have ? PICKUP_WRONG : PICKUP_NO_CODE;
	if (lockout_record(&lockout_pickup_order, &order, now_ms, false)) {
		out->verdict = PICKUP_LOCKED;
		out->left_ms = order.until_ms - now_ms;
		err = lock_event(s, order_id, "pickup_locked", now_ms, &order);
	} else {
		out->tries_left = lockout_pickup_order.max_failures - order.failures;
		snprintf(d, sizeof(d), "%s; %u more before it locks",
		         have ? "a wrong pickup code" : "no pickup code made", out->tries_left);
		err = store_event(s, order_id, "pickup_wrong", d);
	}
	if (!err)
		err = store_lockout_put(s, scope, &order);
	if (!err && lockout_record(&lockout_pickup_kiosk, &kiosk, now_ms, false)) {
		out->verdict = PICKUP_KIOSK_LOCKED;
		out->left_ms = kiosk.until_ms - now_ms;
		err = lock_event(s, NULL, "pickup_kiosk_locked", now_ms, &kiosk);
		if (!err)
			log_warn("pickup: %u wrong codes within an hour: pickup by code locked for "
			         "everybody",
			         lockout_pickup_kiosk.max_failures);
	}
	if (!err)
		err = store_lockout_put(s, PICKUP_KIOSK_SCOPE, &kiosk);
	if (err)
		goto fail;
	err = store_commit(s);
	if (err)
		goto fail_done;
	if (out->verdict == PICKUP_LOCKED)
		log_warn("pickup: order %s locked after %u wrong codes", order_id,
		         lockout_pickup_order.max_failures);
	return;
fail:
	store_rollback(s);
fail_done:
	memset(out, 0, sizeof(*out));
	out->verdict = PICKUP_ERROR;
	out->err = err;
}
