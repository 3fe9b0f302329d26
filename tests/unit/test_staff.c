/* The staff secrets file and the checks around staff codes. */
#include "kiosk/staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

struct fixture {
	char *dir;
	char path[256];
	struct rng_fake rng;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_or_fail();
	snprintf(f->path, sizeof(f->path), "%s/staff.secrets", f->dir);
	rng_fake_init(&f->rng, 42);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void code_for(const struct staff_member *m, int64_t t, char out[7])
{
	uint32_t c;

	assert_int_equal(totp_code_at_step(staff_hmac(), TOTP_SHA1, m->secret, m->secret_len,
	                                   (uint64_t)t / 30, 6, &c),
	                 KERR_OK);
	snprintf(out, 7, "%06u", c);
}

static void test_missing_file_is_an_empty_db_and_save_creates_it_private(void **state)
{
	struct fixture *f = *state;
	struct staff_db db, again;
	struct stat sb;
	char tmp[300];

	assert_int_equal(staff_db_load(f->path, &db), KERR_OK);
	assert_int_equal(db.count, 0);
	assert_int_equal(staff_db_add(&db, "minji", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_add(&db, "준호", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_save(&db), KERR_OK);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(tmp, sizeof(tmp), "%s.new", f->path);
	assert_int_not_equal(access(tmp, F_OK), 0);
	assert_int_equal(staff_db_load(f->path, &again), KERR_OK);
	assert_int_equal(again.count, 2);
	assert_string_equal(again.m[1].name, "준호");
	assert_int_equal(again.m[0].secret_len, 20);
	assert_memory_equal(again.m[0].secret, db.m[0].secret, 20);
	assert_memory_not_equal(again.m[0].secret, again.m[1].secret, 20);
}

static void test_names_are_checked(void **state)
{
	struct fixture *f = *state;
	struct staff_db db;

	assert_int_equal(staff_db_load(f->path, &db), KERR_OK);
	assert_int_equal(staff_db_add(&db, "", &f->rng.base), KERR_INVAL);
	assert_int_equal(staff_db_add(&db, "two words", &f->rng.base), KERR_INVAL);
	assert_int_equal(staff_db_add(&db, "tab\there", &f->rng.base), KERR_INVAL);
	assert_int_equal(staff_db_add(&db, "minji", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_add(&db, "minji", &f->rng.base), KERR_EXISTS);
	assert_int_equal(staff_db_remove(&db, "nobody"), KERR_NOTFOUND);
	assert_int_equal(staff_db_remove(&db, "minji"), KERR_OK);
	assert_null(staff_db_find(&db, "minji"));
}

static void test_a_file_others_can_read_is_refused(void **state)
{
	struct fixture *f = *state;
	struct staff_db db;

	assert_int_equal(staff_db_load(f->path, &db), KERR_OK);
	assert_int_equal(staff_db_add(&db, "minji", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_save(&db), KERR_OK);
	assert_int_equal(chmod(f->path, 0644), 0);
	assert_int_equal(staff_db_load(f->path, &db), KERR_AUTH);
	assert_int_equal(db.count, 0);
}

static void test_malformed_lines_are_refused_whole(void **state)
{
	static const char *const bad[] = {
	    "minji GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n",
	    "minji GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ 5 extra\n",
	    "minji GEZDGNBV1Y3TQOJQ 0\n",
	    "minji GEZA 0\n",
	    "minji GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ -1\n",
	    "a GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ 0\na GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ 0\n",
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct staff_db db;
		char *p = write_file_or_fail(f->dir, "bad.secrets", bad[i]);

		assert_int_equal(chmod(p, 0600), 0);
		assert_int_equal(staff_db_load(p, &db), KERR_PARSE);
		assert_int_equal(db.count, 0);
		free(p);
	}
}

static void test_code_identifies_the_member_and_is_not_accepted_again_after_restart(void **state)
{
	struct fixture *f = *state;
	const struct staff_member *who;
	struct staff_db db;
	const int64_t now = 1790000000;
	char code[7];

	assert_int_equal(staff_db_load(f->path, &db), KERR_OK);
	assert_int_equal(staff_db_add(&db, "minji", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_add(&db, "junho", &f->rng.base), KERR_OK);
	code_for(&db.m[1], now, code);
	assert_int_equal(staff_db_check(&db, now, code, &who), KERR_OK);
	assert_string_equal(who->name, "junho");
	assert_int_equal(staff_db_save(&db), KERR_OK);

	/* A restart must not forget which step was used. */
	assert_int_equal(staff_db_load(f->path, &db), KERR_OK);
	assert_int_equal(staff_db_check(&db, now + 5, code, &who), KERR_AUTH);
	assert_null(who);
	assert_int_equal(staff_db_check(&db, now, "12345", &who), KERR_PARSE);
}

/* A save that never reached the file must not reopen a used code. */
static void test_a_used_code_stays_used_when_the_file_was_not_updated(void **state)
{
	struct fixture *f = *state;
	const struct staff_member *who;
	struct staff_db *db = malloc(sizeof(*db)), *seen = malloc(sizeof(*seen));
	const int64_t now = 1790000000;
	char code[7];

	assert_int_equal(staff_db_load(f->path, db), KERR_OK);
	assert_int_equal(staff_db_add(db, "minji", &f->rng.base), KERR_OK);
	assert_int_equal(staff_db_save(db), KERR_OK);
	*seen = *db;
	code_for(&seen->m[0], now, code);
	assert_int_equal(staff_db_check(seen, now, code, &who), KERR_OK);
	/* The file still has the old step (its save failed); the kept copy wins. */
	assert_int_equal(staff_db_load(f->path, db), KERR_OK);
	staff_db_keep_steps(db, seen);
	assert_int_equal(staff_db_check(db, now, code, &who), KERR_AUTH);
	/* Re-enrolled under the same name: a new secret starts afresh. */
	assert_int_equal(staff_db_remove(db, "minji"), KERR_OK);
	assert_int_equal(staff_db_add(db, "minji", &f->rng.base), KERR_OK);
	db->m[0].last_step = 0;
	staff_db_keep_steps(db, seen);
	assert_int_equal(db->m[0].last_step, 0);
	free(db);
	free(seen);
}

static void test_the_lock_is_exclusive(void **state)
{
	struct fixture *f = *state;
	int a = -1, b = -1;

	assert_int_equal(staff_db_lock(f->path, 0, &a), KERR_OK);
	/* A second holder (kioskctl, while the kiosk has it) waits, then gives up. */
	assert_int_equal(staff_db_lock(f->path, 20, &b), KERR_BUSY);
	assert_int_equal(b, -1);
	staff_db_unlock(a);
	assert_int_equal(staff_db_lock(f->path, 0, &b), KERR_OK);
	staff_db_unlock(b);
	assert_int_equal(staff_db_lock("/nonexistent-folder/x/staff.secrets", 0, &a), KERR_IO);
}

static void test_implausible_clock_is_refused(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(staff_clock_check(1790000000, 1790000100, 0, 120, &why), KERR_CLOCK);
	assert_non_null(strstr(why, "journal"));
	assert_int_equal(staff_clock_check(1790000000, 0, 1790000500, 120, &why), KERR_CLOCK);
	assert_non_null(strstr(why, "chain"));
	assert_int_equal(staff_clock_check(1790000000, 1789999000, 1790000060, 120, &why), KERR_OK);
	assert_null(why);
	/* Behind the journal, but the chain (online) says the clock is right: the
	 * journal was stamped by a clock that ran ahead; codes work again. */
	assert_int_equal(staff_clock_check(1790000000, 1790000100, 1790000030, 120, &why), KERR_OK);
	/* Behind the journal and far from the chain: still refused. */
	assert_int_equal(staff_clock_check(1790000000, 1790000100, 1790009000, 120, &why),
	                 KERR_CLOCK);
	/* Nothing known yet (first boot, offline): nothing to compare with. */
	assert_int_equal(staff_clock_check(1790000000, 0, 0, 120, &why), KERR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_missing_file_is_an_empty_db_and_save_creates_it_private, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_names_are_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_file_others_can_read_is_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_lines_are_refused_whole, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_code_identifies_the_member_and_is_not_accepted_again_after_restart, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_implausible_clock_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_used_code_stays_used_when_the_file_was_not_updated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_lock_is_exclusive, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
