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
	assert_false(authority_satisfied(&a, s, 1, NULL));     /* 1 */
	assert_true(authority_satisfied(&a, s, 2, NULL));      /* 1 + 2 */
	assert_true(authority_satisfied(&a, s + 2, 1, NULL));  /* 3 */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_key_authority),
	    cmocka_unit_test(test_multisig_needs_the_threshold),
	    cmocka_unit_test(test_account_authorities_count_two_levels_deep_and_fail_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
