/* Authority thresholds: keys, weights, account authorities and their depth. */
#include "kiosk/authority.h"

#include <string.h>

#include "testutil.h"

static void key(uint8_t out[33], uint8_t tag)
{
	memset(out, tag, 33);
	out[0] = 0x02;
}

static struct authority single(uint8_t tag)
{
	struct authority a = {.threshold = 1, .key_count = 1};

	key(a.keys[0].key, tag);
	a.keys[0].weight = 1;
	return a;
}

struct table {
	struct authority_lookup base;
	const char *names[4];
	const struct authority *auths[4];
};

static const struct authority *find(struct authority_lookup *l, const char *account)
{
	struct table *t = (struct table *)l;

	for (int i = 0; i < 4 && t->names[i]; i++)
		if (strcmp(t->names[i], account) == 0)
			return t->auths[i];
	return NULL;
}

static void test_single_key_authority(void **state)
{
	struct authority a = single(1);
	uint8_t s[2][33];

	(void)state;
	key(s[0], 1);
	key(s[1], 2);
	assert_true(authority_satisfied(&a, s, 1, NULL));
	assert_false(authority_satisfied(&a, s + 1, 1, NULL));
	assert_false(authority_satisfied(&a, s, 0, NULL));
}

static void test_multisig_needs_the_threshold(void **state)
{
	struct authority a = {.threshold = 3, .key_count = 3};
	uint8_t s[3][33];

	(void)state;
	for (int i = 0; i < 3; i++) {
		key(a.keys[i].key, (uint8_t)(10 + i));
		a.keys[i].weight = (uint16_t)(i + 1); /* 1, 2, 3 */
		key(s[i], (uint8_t)(10 + i));
	}
	assert_false(authority_satisfied(&a, s, 1, NULL));    /* 1 */
	assert_true(authority_satisfied(&a, s, 2, NULL));     /* 1 + 2 */
	assert_true(authority_satisfied(&a, s + 2, 1, NULL)); /* 3 */
	a.threshold = 0;
	assert_false(authority_satisfied(&a, s, 3, NULL));
}

static void test_account_authorities_count_two_levels_deep_and_fail_closed(void **state)
{
	struct authority payer = {.threshold = 1, .account_count = 1};
	struct authority level1 = {.threshold = 1, .account_count = 1};
	struct authority level2 = single(7);
	struct authority level3_owner = single(8);
	struct table t = {{find}, {"agent", "agent2", "agent3"}, {&level1, &level2, &level3_owner}};
	uint8_t s[2][33];

	(void)state;
	key(s[0], 7);
	key(s[1], 8);
	strcpy(payer.accounts[0].name, "agent2");
	payer.accounts[0].weight = 1;
	/* payer -> agent2 (key 7): one level. */
	assert_true(authority_satisfied(&payer, s, 1, &t.base));
	/* Unknown account: fail closed. */
	strcpy(payer.accounts[0].name, "nobody");
	assert_false(authority_satisfied(&payer, s, 1, &t.base));
	assert_false(authority_satisfied(&payer, s, 1, NULL));
	/* payer -> agent -> agent2: two levels, still counted. */
	strcpy(payer.accounts[0].name, "agent");
	strcpy(level1.accounts[0].name, "agent2");
	level1.accounts[0].weight = 1;
	assert_true(authority_satisfied(&payer, s, 1, &t.base));
	/* payer -> agent -> agent3 -> key 8 would be three levels: refused. */
	strcpy(level1.accounts[0].name, "agent2");
	level2.account_count = 1;
	strcpy(level2.accounts[0].name, "agent3");
	level2.accounts[0].weight = 1;
	assert_false(authority_satisfied(&payer, s + 1, 1, &t.base));
}

static void test_multisig_2_of_3(void **state)
{
	struct authority a = {.threshold = 2, .key_count = 3};
	uint8_t s[3][33];
	struct authority_result r;

	(void)state;
	for (int i = 0; i < 3; i++) {
		key(a.keys[i].key, (uint8_t)(20 + i));
		a.keys[i].weight = 1;
		key(s[i], (uint8_t)(20 + i));
	}
	assert_int_equal(authority_check(&a, s + 1, 1, NULL, &r), AUTHORITY_UNSATISFIED);
	assert_int_equal(r.weight, 1);
	assert_int_equal(authority_check(&a, s + 1, 2, NULL, &r), AUTHORITY_SATISFIED);
	assert_int_equal(r.weight, 2);
	/* the same key twice is one signer's weight once per entry, not twice */
	memcpy(s[2], s[1], 33);
	assert_int_equal(authority_check(&a, s + 1, 2, NULL, &r), AUTHORITY_UNSATISFIED);
}

static void test_verdict_names_the_account_to_fetch(void **state)
{
	struct authority payer = {.threshold = 2, .key_count = 1, .account_count = 2};
	struct authority bob = single(31), carol = single(32);
	struct table t = {{find}, {"bob", NULL}, {&bob, NULL}};
	uint8_t s[3][33];
	struct authority_result r;

	(void)state;
	key(payer.keys[0].key, 30);
	payer.keys[0].weight = 1;
	strcpy(payer.accounts[0].name, "bob");
	payer.accounts[0].weight = 1;
	strcpy(payer.accounts[1].name, "carol");
	payer.accounts[1].weight = 1;
	key(s[0], 32); /* carol's key only */
	key(s[1], 31); /* bob's key */
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_NEEDS_ACCOUNT);
	assert_string_equal(r.account, "carol");
	assert_int_equal(authority_check(&payer, s, 1, NULL, &r), AUTHORITY_NEEDS_ACCOUNT);
	assert_string_equal(r.account, "bob");
	/* carol fetched: her key counts through her account, not enough alone */
	t.names[1] = "carol";
	t.auths[1] = &carol;
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_UNSATISFIED);
	assert_int_equal(r.weight, 1);
	/* bob's and carol's keys: satisfied through both accounts, no payer key */
	assert_int_equal(authority_check(&payer, s, 2, &t.base, &r), AUTHORITY_SATISFIED);
	assert_int_equal(r.weight, 2);
	/* a missing account that is not needed does not hold the verdict up */
	t.names[1] = NULL;
	key(s[2], 30);
	assert_int_equal(authority_check(&payer, s + 1, 2, &t.base, &r), AUTHORITY_SATISFIED);
}

static void test_depth_limit_is_reported(void **state)
{
	struct authority payer = {.threshold = 1, .account_count = 1};
	struct authority a1 = {.threshold = 1, .account_count = 1};
	struct authority a2 = {.threshold = 1, .account_count = 1};
	struct authority a3 = single(40);
	struct table t = {{find}, {"a1", "a2", "a3"}, {&a1, &a2, &a3}};
	uint8_t s[1][33];
	struct authority_result r;

	(void)state;
	key(s[0], 40);
	strcpy(payer.accounts[0].name, "a1");
	strcpy(a1.accounts[0].name, "a2");
	strcpy(a2.accounts[0].name, "a3");
	payer.accounts[0].weight = a1.accounts[0].weight = a2.accounts[0].weight = 1;
	/* payer -> a1 -> a2 -> a3's key: a2 is at depth 2 and may not look further */
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_DEPTH_EXCEEDED);
	/* a cycle ends at the same limit */
	strcpy(a2.accounts[0].name, "a1");
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_DEPTH_EXCEEDED);
	/* one level less: satisfied */
	strcpy(a1.accounts[0].name, "a3");
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_SATISFIED);
}

static void test_approved_account_counts_again_at_the_depth_limit(void **state)
{
	/* payer: a1 (w1), a2 (w1), threshold 2; a1 -> x (approved at depth 2);
	 * a2 -> b2 -> x: at depth 2 b2 may not look, but x is approved already
	 * (sign_state's approved_by), so it counts, as on chain. */
	struct authority payer = {.threshold = 2, .account_count = 2};
	struct authority a1 = {.threshold = 1, .account_count = 1};
	struct authority a2 = {.threshold = 1, .account_count = 1};
	struct authority b2 = {.threshold = 1, .account_count = 1};
	struct authority x = single(50);
	struct table t = {{find}, {"a1", "a2", "b2", "x"}, {&a1, &a2, &b2, &x}};
	uint8_t s[1][33];
	struct authority_result r;

	(void)state;
	key(s[0], 50);
	strcpy(payer.accounts[0].name, "a1");
	strcpy(payer.accounts[1].name, "a2");
	strcpy(a1.accounts[0].name, "x");
	strcpy(a2.accounts[0].name, "b2");
	strcpy(b2.accounts[0].name, "x");
	payer.accounts[0].weight = payer.accounts[1].weight = 1;
	a1.accounts[0].weight = a2.accounts[0].weight = b2.accounts[0].weight = 1;
	assert_int_equal(authority_check(&payer, s, 1, &t.base, &r), AUTHORITY_SATISFIED);
}

static void test_weights_do_not_overflow(void **state)
{
	struct authority a = {.threshold = UINT32_MAX, .key_count = AUTHORITY_AUTHS_MAX};
	uint8_t s[AUTHORITY_AUTHS_MAX][33];
	struct authority_result r;

	(void)state;
	for (unsigned i = 0; i < AUTHORITY_AUTHS_MAX; i++) {
		key(a.keys[i].key, (uint8_t)(60 + i));
		key(s[i], (uint8_t)(60 + i));
		a.keys[i].weight = UINT16_MAX;
	}
	/* 40 x 65535 stays far below UINT32_MAX; the 40th entry ends the check (membership) */
	assert_int_equal(authority_check(&a, s, AUTHORITY_AUTHS_MAX, NULL, &r),
	                 AUTHORITY_UNSATISFIED);
	assert_int_equal(r.weight, (uint32_t)AUTHORITY_AUTHS_MAX * UINT16_MAX);
	a.threshold = 2u * UINT16_MAX;
	assert_int_equal(authority_check(&a, s, 1, NULL, &r), AUTHORITY_UNSATISFIED);
	assert_int_equal(authority_check(&a, s, 2, NULL, &r), AUTHORITY_SATISFIED);
	a.key_count = AUTHORITY_AUTHS_MAX + 1;
	assert_int_equal(authority_check(&a, s, 2, NULL, &r), AUTHORITY_MALFORMED);
	assert_non_null(authority_verdict_str(r.verdict));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_key_authority),
	    cmocka_unit_test(test_multisig_needs_the_threshold),
	    cmocka_unit_test(test_account_authorities_count_two_levels_deep_and_fail_closed),
	    cmocka_unit_test(test_multisig_2_of_3),
	    cmocka_unit_test(test_verdict_names_the_account_to_fetch),
	    cmocka_unit_test(test_depth_limit_is_reported),
	    cmocka_unit_test(test_approved_account_counts_again_at_the_depth_limit),
	    cmocka_unit_test(test_weights_do_not_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
