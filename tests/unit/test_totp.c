/* Staff codes (with the kiosk's own HMAC adapter): RFC 6238 vectors, drift, replay, lockout,
 * base32, otpauth. */
#include "kiosk/totp.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/staff.h"
#include "testutil.h"

/* RFC 6238 appendix B: every time, every algorithm, 8 digits. */
static void test_rfc6238_vectors(void **state)
{
	static const char *const seeds[] = {
	    "12345678901234567890",
	    "12345678901234567890123456789012",
	    "1234567890123456789012345678901234567890123456789012345678901234",
	};
	static const struct {
		int64_t t;
		uint32_t code[3];
	} v[] = {
	    {59, {94287082, 46119246, 90693936}},
	    {1111111109, {7081804, 68084774, 25091201}},
	    {1111111111, {14050471, 67062674, 99943326}},
	    {1234567890, {89005924, 91819424, 93441116}},
	    {2000000000, {69279037, 90698825, 38618901}},
	    {20000000000, {65353130, 77737706, 47863826}},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		for (unsigned a = 0; a < 3; a++) {
			uint32_t code;

			assert_int_equal(totp_code_at_step(staff_hmac(), (enum totp_alg)a,
			                                   (const uint8_t *)seeds[a],
			                                   strlen(seeds[a]), (uint64_t)v[i].t / 30,
			                                   8, &code),
			                 KERR_OK);
			assert_int_equal(code, v[i].code[a]);
		}
}

static const uint8_t secret[] = "12345678901234567890";

static void code_at(int64_t t, char out[7])
{
	uint32_t c;

	assert_int_equal(
	    totp_code_at_step(staff_hmac(), TOTP_SHA1, secret, 20, (uint64_t)t / 30, 6, &c),
	    KERR_OK);
	snprintf(out, 7, "%06u", c);
}

static void test_codes_one_step_either_side_are_accepted(void **state)
{
	const int64_t now = 1111111111;
	char prev[7], cur[7], next[7], far[7];
	uint64_t last = 0;

	(void)state;
	code_at(now - 30, prev);
	code_at(now, cur);
	code_at(now + 30, next);
	code_at(now + 90, far);
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, prev, &last), KERR_OK);
	assert_int_equal(last, (uint64_t)(now - 30) / 30);
	last = 0;
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, next, &last), KERR_OK);
	last = 0;
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, far, &last), KERR_AUTH);
	assert_int_equal(last, 0);
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, cur, &last), KERR_OK);
}

static void test_a_code_is_never_accepted_twice(void **state)
{
	const int64_t now = 1234567890;
	char cur[7], prev[7];
	uint64_t last = 0;

	(void)state;
	code_at(now, cur);
	code_at(now - 30, prev);
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, cur, &last), KERR_OK);
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, cur, &last), KERR_AUTH);
	/* Nor an older one once a newer step was used. */
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now, prev, &last), KERR_AUTH);
	/* Still refused within the drift window of the next step. */
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, now + 30, cur, &last), KERR_AUTH);
}

/* A site with 8-digit staff codes: 8 digits only, and the enrolment link says so. */
static void test_eight_digit_codes(void **state)
{
	const int64_t now = 1234567890;
	uint32_t c;
	char code[16], six[7], uri[256];
	uint64_t last = 0;

	(void)state;
	assert_int_equal(
	    totp_code_at_step(staff_hmac(), TOTP_SHA1, secret, 20, (uint64_t)now / 30, 8, &c),
	    KERR_OK);
	snprintf(code, sizeof(code), "%08u", c);
	/* RFC 6238's SHA-1 vector at 1234567890: 89005924. */
	assert_string_equal(code, "89005924");
	code_at(now, six);
	assert_int_equal(totp_verify_digits(staff_hmac(), secret, 20, now, six, 8, &last),
	                 KERR_PARSE);
	assert_int_equal(totp_verify_digits(staff_hmac(), secret, 20, now, code, 6, &last),
	                 KERR_PARSE);
	assert_int_equal(totp_verify_digits(staff_hmac(), secret, 20, now, code, 8, &last),
	                 KERR_OK);
	assert_int_equal(totp_verify_digits(staff_hmac(), secret, 20, now, code, 9, &last),
	                 KERR_PARSE);
	assert_int_equal(totp_otpauth_uri_digits("Co", "minji", secret, 20, 8, uri, sizeof(uri)),
	                 KERR_OK);
	assert_non_null(strstr(uri, "&digits=8&period=30"));
	assert_int_equal(totp_otpauth_uri_digits("Co", "minji", secret, 20, 9, uri, sizeof(uri)),
	                 KERR_INVAL);
}

static void test_malformed_codes_are_parse_errors(void **state)
{
	static const char *const bad[] = {"", "12345", "1234567", "12a456", " 123456", "-12345"};
	uint64_t last = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(totp_verify(staff_hmac(), secret, 20, 1111111111, bad[i], &last),
		                 KERR_PARSE);
	assert_int_equal(totp_verify(staff_hmac(), secret, 20, 1111111111, NULL, &last),
	                 KERR_PARSE);
}

static void test_five_wrong_codes_lock_for_five_minutes(void **state)
{
	struct totp_lockout l = {.attempts = 5, .lock_s = 300};
	int64_t left, t = 1000;

	(void)state;
	for (int i = 0; i < 4; i++) {
		totp_lockout_record(&l, t++, false);
		assert_false(totp_lockout_locked(&l, t, &left));
	}
	totp_lockout_record(&l, t, false);
	assert_true(totp_lockout_locked(&l, t, &left));
	assert_int_equal(left, 300);
	assert_true(totp_lockout_locked(&l, t + 299, &left));
	assert_int_equal(left, 1);
	assert_false(totp_lockout_locked(&l, t + 300, &left));
	/* After the lock a fresh count starts. */
	totp_lockout_record(&l, t + 301, false);
	assert_false(totp_lockout_locked(&l, t + 301, &left));
	/* A success clears the count. */
	for (int i = 0; i < 3; i++)
		totp_lockout_record(&l, t + 302, false);
	totp_lockout_record(&l, t + 303, true);
	for (int i = 0; i < 4; i++)
		totp_lockout_record(&l, t + 304, false);
	assert_false(totp_lockout_locked(&l, t + 304, &left));
}

static void test_base32_round_trip_and_rfc4648_vectors(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {{"f", "MY"},         {"fo", "MZXQ"},        {"foo", "MZXW6"},
	         {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
	uint8_t raw[64];
	char text[TOTP_BASE32_MAX];
	size_t n;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		assert_int_equal(totp_base32_encode((const uint8_t *)v[i].in, strlen(v[i].in), text,
		                                    sizeof(text)),
		                 KERR_OK);
		assert_string_equal(text, v[i].out);
		assert_int_equal(totp_base32_decode(v[i].out, raw, sizeof(raw), &n), KERR_OK);
		assert_int_equal(n, strlen(v[i].in));
		assert_memory_equal(raw, v[i].in, n);
	}
	assert_int_equal(totp_base32_decode("mzxw 6ytb oi==", raw, sizeof(raw), &n), KERR_OK);
	assert_int_equal(n, 6);
	assert_int_equal(totp_base32_decode("MZXW1", raw, sizeof(raw), &n), KERR_PARSE);
	assert_int_equal(totp_base32_decode("MZXW6YTBOI", raw, 3, &n), KERR_TOO_BIG);
	assert_int_equal(totp_base32_encode(secret, 20, text, 10), KERR_TOO_BIG);
}

static void test_otpauth_uri_encodes_names(void **state)
{
	char uri[256];

	(void)state;
	assert_int_equal(totp_otpauth_uri("Hanbat Co-op", "민지", secret, 20, uri, sizeof(uri)),
	                 KERR_OK);
	assert_string_equal(uri, "otpauth://totp/Hanbat%20Co-op:%EB%AF%BC%EC%A7%80"
	                         "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hanbat%20Co-op"
	                         "&algorithm=SHA1&digits=6&period=30");
	assert_int_equal(totp_otpauth_uri("c", "n", secret, 20, uri, 40), KERR_TOO_BIG);
	assert_string_equal(uri, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc6238_vectors),
	    cmocka_unit_test(test_codes_one_step_either_side_are_accepted),
	    cmocka_unit_test(test_a_code_is_never_accepted_twice),
	    cmocka_unit_test(test_eight_digit_codes),
	    cmocka_unit_test(test_malformed_codes_are_parse_errors),
	    cmocka_unit_test(test_five_wrong_codes_lock_for_five_minutes),
	    cmocka_unit_test(test_base32_round_trip_and_rfc4648_vectors),
	    cmocka_unit_test(test_otpauth_uri_encodes_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
