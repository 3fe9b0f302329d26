/*
 * Pickup codes: made from the RNG, kept only as a salted hash, checked with
 * their lockouts in the journal (which a reopen does not lift); the pickup
 * QR's text; and the order search's rules that the kiosk relies on.
 */
#include "kiosk/pickup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/hash.h"
#include "testutil.h"

#define MIN (60 * 1000LL)

struct fx {
	char *dir;
	char path[512];
	struct clock_fake clk;
	struct rng_fake rng;
	struct store *s;
};

static void add_order(struct store *s, const char *id, enum order_state st)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o.compartment = 1;
	o.state = st;
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_or_fail();
	snprintf(f->path, sizeof(f->path), "%s/journal.db", f->dir);
	clock_fake_init(&f->clk, 1795478400000LL);
	rng_fake_init(&f->rng, 42);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
	add_order(f->s, "A1024", ORDER_PAID);
	add_order(f->s, "B2048", ORDER_PAID);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void test_the_hash_is_salted_and_bound_to_the_order(void **state)
{
	struct fx *f = *state;
	struct store_pickup p, q;
	char code[PICKUP_DIGITS_MAX + 1], code2[PICKUP_DIGITS_MAX + 1];
	uint8_t want[HASH_SHA256_LEN], buf[64];
	size_t n;

	assert_int_equal(pickup_make(&f->rng.base, "A1024", 6, code, &p), KERR_OK);
	assert_int_equal(strlen(code), 6);
	for (int i = 0; i < 6; i++)
		assert_true(code[i] >= '0' && code[i] <= '9');
	/* SHA-256(salt || order || ":" || code), nothing else. */
	memcpy(buf, p.salt, sizeof(p.salt));
	n = sizeof(p.salt);
	n += (size_t)sprintf((char *)buf + n, "A1024:%s", code);
	hash_sha256(buf, n, want);
	assert_memory_equal(p.hash, want, sizeof(want));
	assert_true(pickup_matches(&p, code));
	/* Another order, another salt, a digit off, a different length: no. */
	q = p;
	snprintf(q.order_id, sizeof(q.order_id), "B2048");
	assert_false(pickup_matches(&q, code));
	q = p;
	q.salt[0] ^= 1;
	assert_false(pickup_matches(&q, code));
	snprintf(code2, sizeof(code2), "%s", code);
	code2[5] = code2[5] == '9' ? '0' : (char)(code2[5] + 1);
	assert_false(pickup_matches(&p, code2));
	code2[5] = '\0';
	assert_false(pickup_matches(&p, code2));
	assert_false(pickup_matches(&p, ""));
	/* The same order twice: a different salt and hash. */
	assert_int_equal(pickup_make(&f->rng.base, "A1024", 6, code2, &q), KERR_OK);
	assert_memory_not_equal(p.salt, q.salt, sizeof(p.salt));
	/* 6..10 digits only. */
	assert_int_equal(pickup_make(&f->rng.base, "A1024", 10, code2, &q), KERR_OK);
	assert_int_equal(strlen(code2), 10);
	assert_int_equal(pickup_make(&f->rng.base, "A1024", 5, code2, &q), KERR_INVAL);
	assert_int_equal(pickup_make(&f->rng.base, "A1024", 11, code2, &q), KERR_INVAL);
}

static void test_every_digit_is_equally_likely(void **state)
{
	struct fx *f = *state;
	unsigned seen[10] = {0};
	struct store_pickup p;
	char code[PICKUP_DIGITS_MAX + 1];

	for (int i = 0; i < 2000; i++) {
		assert_int_equal(pickup_make(&f->rng.base, "A1024", 10, code, &p), KERR_OK);
		for (int d = 0; d < 10; d++)
			seen[code[d] - '0']++;
	}
	/* 20000 digits: about 2000 each. */
	for (int d = 0; d < 10; d++)
		assert_in_range(seen[d], 1800, 2200);
}

static void test_the_qr_text_round_trips_and_nothing_else_parses(void **state)
{
	char text[PICKUP_QR_MAX], id[ORDER_ID_MAX + 1], code[PICKUP_DIGITS_MAX + 1];

	(void)state;
	assert_int_equal(pickup_qr_text("A1024", "012345", text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "kiosk:pickup:A1024:012345");
	assert_true(pickup_qr_parse(text, id, code));
	assert_string_equal(id, "A1024");
	assert_string_equal(code, "012345");
	assert_true(pickup_qr_parse("kiosk:pickup:X:1:0123456789", id, code));
	assert_string_equal(id, "X:1");
	assert_false(pickup_qr_parse("order:A1024", id, code));
	assert_false(pickup_qr_parse("kiosk:pickup:A1024", id, code));
	assert_false(pickup_qr_parse("kiosk:pickup::012345", id, code));
	assert_false(pickup_qr_parse("kiosk:pickup:A1024:12345", id, code));
	assert_false(pickup_qr_parse("kiosk:pickup:A1024:01234567890", id, code));
	assert_false(pickup_qr_parse("kiosk:pickup:A1024:01234a", id, code));
	assert_int_equal(pickup_qr_text("A1024", "012345", text, 10), KERR_TOO_BIG);
}

static void test_only_the_hash_is_kept_and_a_new_code_voids_the_old(void **state)
{
	struct fx *f = *state;
	char c1[PICKUP_DIGITS_MAX + 1], c2[PICKUP_DIGITS_MAX + 1];
	struct store_pickup p;
	struct pickup_result r;
	bool replaced = true;

	assert_int_equal(pickup_issue(f->s, &f->rng.base, "A1024", 6, c1, &replaced), KERR_OK);
	assert_false(replaced);
	assert_int_equal(store_pickup_get(f->s, "A1024", &p), KERR_OK);
	assert_int_equal(p.digits, 6);
	assert_true(pickup_matches(&p, c1));
	assert_int_equal(pickup_issue(f->s, &f->rng.base, "A1024", 8, c2, &replaced), KERR_OK);
	assert_true(replaced);
	assert_int_equal(strlen(c2), 8);
	pickup_try(f->s, "A1024", c1, clock_real_ms(&f->clk.base), &r);
	assert_int_equal(r.verdict, PICKUP_WRONG);
	assert_int_equal(r.tries_left, 4);
	pickup_try(f->s, "A1024", c2, clock_real_ms(&f->clk.base), &r);
	assert_int_equal(r.verdict, PICKUP_OK);
	/* No code for an unknown order; an order without one says so. */
	{
		char c3[PICKUP_DIGITS_MAX + 1];

		assert_int_equal(pickup_issue(f->s, &f->rng.base, "Z9", 6, c3, NULL),
		                 KERR_NOTFOUND);
		assert_string_equal(c3, "");
	}
	pickup_try(f->s, "B2048", "123456", clock_real_ms(&f->clk.base), &r);
	assert_int_equal(r.verdict, PICKUP_NO_CODE);
	/* The journal file holds neither code. */
	store_close(f->s);
	{
		size_t n;
		char *j = read_file_or_fail(f->path, &n);

		assert_null(memmem(j, n, c1, strlen(c1)));
		assert_null(memmem(j, n, c2, strlen(c2)));
		free(j);
	}
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
}

static void test_wrong_codes_lock_the_order_and_a_reopen_keeps_the_lock(void **state)
{
	struct fx *f = *state;
	char code[PICKUP_DIGITS_MAX + 1], wrong[] = "000000";
	struct pickup_result r;
	struct lockout l;
	int64_t t0 = clock_real_ms(&f->clk.base);

	assert_int_equal(pickup_issue(f->s, &f->rng.base, "A1024", 6, code, NULL), KERR_OK);
	if (strcmp(code, wrong) == 0)
		wrong[0] = '1';
	for (int i = 0; i < 4; i++) {
		pickup_try(f->s, "A1024", wrong, t0, &r);
		assert_int_equal(r.verdict, PICKUP_WRONG);
		assert_int_equal(r.tries_left, 4 - i);
	}
	pickup_try(f->s, "A1024", wrong, t0, &r);
	assert_int_equal(r.verdict, PICKUP_LOCKED);
	assert_int_equal(r.left_ms, 15 * MIN);
	/* The sixth, and then the right code: refused while locked, not counted. */
	pickup_try(f->s, "A1024", wrong, t0 + 1, &r);
	assert_int_equal(r.verdict, PICKUP_LOCKED);
	store_close(f->s);
	assert_int_equal(store_open(f->path, &f->clk.base, &f->s), KERR_OK);
	pickup_try(f->s, "A1024", code, t0 + 14 * MIN, &r);
	assert_int_equal(r.verdict, PICKUP_LOCKED);
	assert_int_equal(r.left_ms, 1 * MIN);
	assert_int_equal(store_lockout_get(f->s, "order:A1024", &l), KERR_OK);
	assert_int_equal(l.level, 1);
	/* Five wrong after it ends lock for twice as long. */
	for (int i = 0; i < 5; i++)
		pickup_try(f->s, "A1024", wrong, t0 + 15 * MIN, &r);
	assert_int_equal(r.verdict, PICKUP_LOCKED);
	assert_int_equal(r.left_ms, 30 * MIN);
	/* Staff lift it: the right code works at once. */
	assert_int_equal(store_lockout_clear(f->s, "order:A1024", "minji", t0 + 16 * MIN), KERR_OK);
	assert_int_equal(store_lockout_clear(f->s, "order:A1024", "minji", t0 + 16 * MIN),
	                 KERR_NOTFOUND);
	pickup_try(f->s, "A1024", code, t0 + 16 * MIN, &r);
	assert_int_equal(r.verdict, PICKUP_OK);
}

struct count {
	unsigned locked, kiosk, cleared;
};

static void count_events(const struct store_event_row *e, void *arg)
{
	struct count *c = arg;

	c->locked += strcmp(e->kind, "pickup_locked") == 0;
	c->kiosk += strcmp(e->kind, "pickup_kiosk_locked") == 0;
	c->cleared += strcmp(e->kind, "lockout_cleared") == 0;
}

static void test_twenty_wrong_codes_in_an_hour_lock_pickup_for_everybody(void **state)
{
	struct fx *f = *state;
	char ids[8][8], code[PICKUP_DIGITS_MAX + 1], wrong[] = "999999";
	struct pickup_result r;
	struct count c = {0};
	int64_t t0 = clock_real_ms(&f->clk.base);

	/* Four wrong codes on each of five orders: none of them locks, the kiosk does. */
	for (int i = 0; i < 5; i++) {
		snprintf(ids[i], sizeof(ids[i]), "C%d", i);
		add_order(f->s, ids[i], ORDER_PAID);
		assert_int_equal(pickup_issue(f->s, &f->rng.base, ids[i], 6, code, NULL), KERR_OK);
		if (strcmp(code, wrong) == 0)
			wrong[0] = '8';
	}
	for (int n = 0; n < 20; n++) {
		pickup_try(f->s, ids[n % 5], wrong, t0 + n * MIN, &r);
		assert_int_equal(r.verdict, n < 19 ? PICKUP_WRONG : PICKUP_KIOSK_LOCKED);
	}
	assert_int_equal(r.left_ms, 15 * MIN);
	/* Everybody's code is refused meanwhile, the right one too; then it works. */
	assert_int_equal(pickup_issue(f->s, &f->rng.base, "A1024", 6, code, NULL), KERR_OK);
	pickup_try(f->s, "A1024", code, t0 + 25 * MIN, &r);
	assert_int_equal(r.verdict, PICKUP_KIOSK_LOCKED);
	pickup_try(f->s, "A1024", code, t0 + 34 * MIN, &r);
	assert_int_equal(r.verdict, PICKUP_OK);
	assert_int_equal(store_events(f->s, 0, 1000, count_events, &c), KERR_OK);
	assert_int_equal(c.locked, 0);
	assert_int_equal(c.kiosk, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_the_hash_is_salted_and_bound_to_the_order),
	    T(test_every_digit_is_equally_likely),
	    T(test_the_qr_text_round_trips_and_nothing_else_parses),
	    T(test_only_the_hash_is_kept_and_a_new_code_voids_the_old),
	    T(test_wrong_codes_lock_the_order_and_a_reopen_keeps_the_lock),
	    T(test_twenty_wrong_codes_in_an_hour_lock_pickup_for_everybody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
