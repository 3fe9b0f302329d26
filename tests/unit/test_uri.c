/* Payment URIs: every vector's operation survives our encoding and the
 * reference URIs decode to the reference decoder's answer. */
#include "kiosk/uri.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"

static const struct chain_profile *profile_of(const char *scheme)
{
	return chain_profile_get(strcmp(scheme, "hive") == 0 ? SITE_CHAIN_HIVE : SITE_CHAIN_STEEM);
}

static json_t *decode_or_fail(const char *uri)
{
	char *text;
	json_t *j;
	json_error_t jerr;

	if (uri_decode(uri, &text) != KERR_OK)
		fail_msg("cannot decode %s", uri);
	j = json_loads(text, JSON_ALLOW_NUL, &jerr);
	free(text);
	assert_non_null(j);
	return j;
}

static void payment_of(json_t *v, struct uri_payment *pay)
{
	json_t *body = json_array_get(json_object_get(v, "op"), 1);
	json_t *params = json_object_get(v, "params");

	memset(pay, 0, sizeof(*pay));
	pay->to = json_string_value(json_object_get(body, "to"));
	assert_int_equal(
	    asset_parse(json_string_value(json_object_get(body, "amount")), &pay->amount, NULL),
	    KERR_OK);
	pay->memo = json_string_value(json_object_get(body, "memo"));
	pay->callback = json_string_value(json_object_get(params, "callback"));
	pay->signer = json_string_value(json_object_get(params, "signer"));
	pay->no_broadcast = json_is_true(json_object_get(params, "no_broadcast"));
}

/* Query parameter `name` of an https link, percent-decoded (static buffer). */
static const char *query_param(const char *uri, const char *name)
{
	static char val[8192];
	const char *p = strchr(uri, '?');
	size_t n = strlen(name);

	while (p && *p) {
		const char *key = p + 1, *end = strchr(key, '&');

		end = end ? end : key + strlen(key);
		if ((size_t)(end - key) > n && strncmp(key, name, n) == 0 && key[n] == '=') {
			assert_int_equal(uri_percent_decode(key + n + 1,
			                                    (size_t)(end - key - n - 1), val,
			                                    sizeof(val)),
			                 KERR_OK);
			return val;
		}
		p = *end ? end : NULL;
	}
	return NULL;
}

static void test_every_vector_round_trips_in_every_style(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/payment-uris.json"), 0, &jerr), *v;
	size_t i;

	(void)state;
	assert_non_null(all);
	json_array_foreach(all, i, v)
	{
		const char *scheme = json_string_value(json_object_get(v, "scheme"));
		const struct chain_profile *p = profile_of(scheme);
		json_t *want = json_object_get(v, "decoded"), *got;
		struct uri_payment pay;
		char uri[URI_MAX];
		const char *why;

		payment_of(v, &pay);
		/* Ours, decoded, equals the reference decoder's reading of theirs. */
		assert_int_equal(uri_build(p, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why),
		                 KERR_OK);
		assert_int_equal(strncmp(uri, scheme, strlen(scheme)), 0);
		got = decode_or_fail(uri);
		if (!json_equal(got, want))
			fail_msg("%s: %s", json_string_value(json_object_get(v, "name")), uri);
		json_decref(got);
		assert_int_equal(uri_build(p, SITE_URI_HTTPS_OP, &pay, uri, sizeof(uri), &why),
		                 KERR_OK);
		got = decode_or_fail(uri);
		assert_true(json_equal(got, want));
		json_decref(got);
		/* Theirs decode the same way. */
		got = decode_or_fail(json_string_value(json_object_get(v, "uri")));
		assert_true(json_equal(got, want));
		json_decref(got);
		got = decode_or_fail(json_string_value(json_object_get(v, "https_sign_op")));
		assert_true(json_equal(got, want));
		json_decref(got);
		/* The named form carries the same to, amount and memo, byte for byte. */
		assert_int_equal(
		    uri_build(p, SITE_URI_HTTPS_TRANSFER, &pay, uri, sizeof(uri), &why), KERR_OK);
		{
			const char *theirs =
			    json_string_value(json_object_get(v, "https_sign_transfer"));
			const char *keys[] = {"to", "amount", "memo"};

			assert_int_equal(
			    strncmp(uri, theirs, strlen("https://steemlogin.com/sign/transfer?")),
			    0);
			for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
				char mine[8192];

				snprintf(mine, sizeof(mine), "%s", query_param(uri, keys[k]));
				assert_string_equal(mine, query_param(theirs, keys[k]));
			}
		}
	}
	json_decref(all);
}

static void test_spec_examples_and_other_forms_decode(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/payment-uris-other.json"), 0, &jerr), *v;
	size_t i, n = 0;

	(void)state;
	json_array_foreach(all, i, v)
	{
		json_t *want = json_object_get(v, "decoded"), *got;
		const char *uri = json_string_value(json_object_get(v, "uri"));

		if (!uri || !want)
			continue;
		got = decode_or_fail(uri);
		if (!json_equal(got, want))
			fail_msg("%s", json_string_value(json_object_get(v, "name")));
		json_decref(got);
		n++;
	}
	assert_true(n >= 4);
	json_decref(all);
}

static void test_korean_memos_hive_yes_steem_uri_no(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/payment-uris-other.json"), 0, &jerr), *v;
	size_t i, n = 0;

	(void)state;
	json_array_foreach(all, i, v)
	{
		struct uri_payment pay;
		char uri[URI_MAX], *text;
		const char *why = NULL;

		if (!json_object_get(v, "encode_error"))
			continue;
		payment_of(v, &pay);
		assert_int_equal(uri_build(chain_profile_get(SITE_CHAIN_STEEM), SITE_URI_CHAIN,
		                           &pay, uri, sizeof(uri), &why),
		                 KERR_INVAL);
		assert_non_null(strstr(why, "ASCII"));
		/* The https form of Steem carries UTF-8 fine. */
		assert_int_equal(uri_build(chain_profile_get(SITE_CHAIN_STEEM), SITE_URI_HTTPS_OP,
		                           &pay, uri, sizeof(uri), &why),
		                 KERR_OK);
		pay.amount.symbol[0] = '\0';
		strcpy(pay.amount.symbol, "HIVE");
		assert_int_equal(uri_build(chain_profile_get(SITE_CHAIN_HIVE), SITE_URI_CHAIN, &pay,
		                           uri, sizeof(uri), &why),
		                 KERR_OK);
		assert_int_equal(uri_decode(uri, &text), KERR_OK);
		assert_non_null(strstr(text, pay.memo));
		free(text);
		n++;
	}
	assert_int_equal(n, 5);
	json_decref(all);
}

static void test_bad_payments_are_refused(void **state)
{
	const struct chain_profile *hive = chain_profile_get(SITE_CHAIN_HIVE);
	struct uri_payment pay = {.to = "coop", .memo = "KP-1"};
	char uri[URI_MAX], small[20], *memo = malloc(2100);
	const char *why;

	(void)state;
	assert_int_equal(asset_parse("1.000 HIVE", &pay.amount, NULL), KERR_OK);
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why), KERR_OK);
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, small, sizeof(small), &why),
	                 KERR_TOO_BIG);
	assert_string_equal(small, "");
	assert_int_equal(asset_parse("1.000 STEEM", &pay.amount, NULL), KERR_OK);
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why), KERR_INVAL);
	pay.amount.amount = 0;
	strcpy(pay.amount.symbol, "HIVE");
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why), KERR_INVAL);
	pay.amount.amount = 1000;
	pay.to = "Coop";
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why), KERR_INVAL);
	pay.to = "coop";
	memset(memo, 'x', 2048);
	memo[2048] = '\0';
	pay.memo = memo;
	assert_int_equal(uri_build(hive, SITE_URI_CHAIN, &pay, uri, sizeof(uri), &why), KERR_INVAL);
	free(memo);
}

static void test_decoder_refuses_garbage(void **state)
{
	static const char *const bad[] = {
	    "hive://sign/op/",
	    "hive://sign/op/!!!!",
	    "hive://sign/xx/WyJ0In0",
	    "http://x/sign/op/WyJ0",
	    "hive://sign/op/e30",
	    "hive://sign/op/WyJ0cmFuc2Zlci",
	    "mailto:x",
	    "hive://sign/op/WyJ0In0?cb=%%%",
	};
	char *text;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (uri_decode(bad[i], &text) == KERR_OK)
			fail_msg("decoded %s: %s", bad[i], text);
}

static void test_base64url_and_percent_encoding(void **state)
{
	char out[64];
	unsigned char raw[64];
	size_t n;

	(void)state;
	assert_int_equal(uri_b64u_encode("\xfb\xff", 2, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "-_8.");
	assert_int_equal(uri_b64u_decode("-_8", 3, raw, sizeof(raw), &n), KERR_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(raw, "\xfb\xff", 2);
	assert_int_equal(uri_b64u_decode("-_8=", 4, raw, sizeof(raw), &n), KERR_OK);
	assert_int_equal(uri_b64u_decode("a", 1, raw, sizeof(raw), &n), KERR_PARSE);
	assert_int_equal(uri_percent_encode("1.000 HBD 김", out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "1.000%20HBD%20%EA%B9%80");
	assert_int_equal(uri_percent_decode("%EA%B9%80", 9, out, sizeof(out)), KERR_OK);
	assert_string_equal(out, "김");
	assert_int_equal(uri_percent_decode("%E", 2, out, sizeof(out)), KERR_PARSE);
	assert_int_equal(uri_percent_decode("%GG", 3, out, sizeof(out)), KERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_vector_round_trips_in_every_style),
	    cmocka_unit_test(test_spec_examples_and_other_forms_decode),
	    cmocka_unit_test(test_korean_memos_hive_yes_steem_uri_no),
	    cmocka_unit_test(test_bad_payments_are_refused),
	    cmocka_unit_test(test_decoder_refuses_garbage),
	    cmocka_unit_test(test_base64url_and_percent_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
