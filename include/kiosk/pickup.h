/*
 * Pickup codes: what proves, at the kiosk, that whoever collects a paid
 * order is the member it was made for. Each order gets a random code of
 * 6..10 digits when it is created (imported, or requested ahead); the
 * journal keeps only SHA-256(salt || order id || ":" || code) with a random
 * salt per order. The member gets the digits, or the pickup QR
 * "kiosk:pickup:<order>:<code>" (the only QR that carries the secret).
 *
 * Wrong codes lock (lockout.h): per order 5 wrong codes lock it for 15
 * minutes, doubling each time (at most a day); per kiosk 20 wrong codes
 * within an hour lock pickup by code for everybody for 15 minutes. Both
 * live in the journal and each lock is journaled as an event.
 */
#ifndef KIOSK_PICKUP_H
#define KIOSK_PICKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/order.h"
#include "kiosk/rng.h"
#include "kiosk/store.h"

#define PICKUP_DIGITS_MIN     6
#define PICKUP_DIGITS_MAX     10
#define PICKUP_DIGITS_DEFAULT 6
#define PICKUP_QR_PREFIX      "kiosk:pickup:"
#define PICKUP_QR_MAX         (sizeof(PICKUP_QR_PREFIX) + ORDER_ID_MAX + 1 + PICKUP_DIGITS_MAX + 1)
#define PICKUP_KIOSK_SCOPE    "kiosk"

/* The stored hash of code for this order and salt. */
void pickup_hash(const uint8_t salt[STORE_PICKUP_SALT_LEN], const char *order_id, const char *code,
                 uint8_t out[STORE_PICKUP_HASH_LEN]);

/* Whether code is the one p was made from (compared in constant time). */
bool pickup_matches(const struct store_pickup *p, const char *code);

/* A fresh code of `digits` digits (6..10) and its record; nothing written. */
KIOSK_MUST_CHECK enum kerr pickup_make(struct rng *r, const char *order_id, unsigned digits,
                                       char code[PICKUP_DIGITS_MAX + 1], struct store_pickup *out);

/* Makes a code for the order and journals its hash, voiding any earlier
 * one (*replaced, may be NULL). The digits are in code, shown once. */
KIOSK_MUST_CHECK enum kerr pickup_issue(struct store *s, struct rng *r, const char *order_id,
                                        unsigned digits, char code[PICKUP_DIGITS_MAX + 1],
                                        bool *replaced);

/* "kiosk:pickup:<order>:<code>"; KERR_TOO_BIG if cap is short. */
KIOSK_MUST_CHECK enum kerr pickup_qr_text(const char *order_id, const char *code, char *out,
                                          size_t cap);

/* Splits a pickup QR's text; false for anything else. */
bool pickup_qr_parse(const char *text, char order_id[ORDER_ID_MAX + 1],
                     char code[PICKUP_DIGITS_MAX + 1]);

/* "order:<id>", the scope of an order's lockout. */
void pickup_scope(const char *order_id, char *out, size_t cap);

enum pickup_verdict {
	PICKUP_OK,           /* the right code: hand it over */
	PICKUP_WRONG,        /* counted; tries_left before the order locks */
	PICKUP_LOCKED,       /* this order is locked for left_ms (now, or by this try) */
	PICKUP_KIOSK_LOCKED, /* pickup by code is locked for everybody for left_ms */
	PICKUP_NO_CODE,      /* the order has no code: staff make one */
	PICKUP_ERROR,        /* the journal failed: nothing decided */
};

struct pickup_result {
	enum pickup_verdict verdict;
	int64_t left_ms;
	unsigned tries_left;
	enum kerr err;
};

/* One attempt at now_ms, with its lockouts, all in one journal transaction. */
void pickup_try(struct store *s, const char *order_id, const char *code, int64_t now_ms,
                struct pickup_result *out);

#endif
