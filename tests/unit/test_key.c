/* Keys: every vector in keys.json and known-keys.json, every must-refuse case. */
#include "kiosk/key.h"

#include <string.h>

#include <jansson.h>

#include "kiosk/base58.h"
#include "kiosk/chain.h"
#include "kiosk/sig.h"
#include "testutil.h"

static const char *const roles[] = {"owner", "active", "posting", "memo"};

static void test_every_vector_key_round_trips(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/keys.json"), 0, &jerr), *acct;
	size_t i, checked = 0;

	(void)state;
	assert_non_null(all);
	json_array_foreach(all, i, acct)
	{
		for (size_t r = 0; r < ARRAY_SIZE(roles); r++) {
			json_t *k = json_object_get(acct, roles[r]);
			const char *wif = json_string_value(json_object_get(k, "wif"));
			const char *stm = json_string_value(json_object_get(k, "public_key"));
			const char *tst = json_string_value(json_object_get(k, "public_key_tst"));
			uint8_t priv[32], want_priv[32], pub[33], want_pub[33], parsed[33];
			char text[KEY_TEXT_MAX], wif_back[KEY_WIF_MAX];
			const char *why;

			assert_int_equal(
			    hex_bytes(json_string_value(json_object_get(k, "private_key_hex")),
			              want_priv, sizeof(want_priv)),
			    32);
			assert_int_equal(
			    hex_bytes(json_string_value(json_object_get(k, "public_key_hex")),
			              want_pub, sizeof(want_pub)),
			    33);
			key_from_login(json_string_value(json_object_get(acct, "account")),
			               roles[r],
			               json_string_value(json_object_get(acct, "password")), priv);
			assert_memory_equal(priv, want_priv, 32);
			assert_int_equal(key_wif_parse(wif, priv, &why), KERR_OK);
			assert_memory_equal(priv, want_priv, 32);
			assert_int_equal(key_wif_format(priv, wif_back, sizeof(wif_back)), KERR_OK);
			assert_string_equal(wif_back, wif);
			assert_int_equal(sig_public_key(priv, pub), KERR_OK);
			assert_memory_equal(pub, want_pub, 33);
			assert_int_equal(key_public_format(pub, "STM", text, sizeof(text)),
			                 KERR_OK);
			assert_string_equal(text, stm);
			assert_int_equal(key_public_format(pub, "TST", text, sizeof(text)),
			                 KERR_OK);
			assert_string_equal(text, tst);
			assert_int_equal(key_public_parse(stm, "STM", parsed, &why), KERR_OK);
			assert_memory_equal(parsed, want_pub, 33);
			assert_int_equal(key_public_parse(tst, "TST", parsed, &why), KERR_OK);
			/* Another chain's prefix is not this one's. */
			assert_int_equal(key_public_parse(tst, "STM", parsed, &why), KERR_PARSE);
			checked++;
		}
	}
	assert_true(checked >= 36);
	json_decref(all);
}

static void test_every_invalid_key_is_refused(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(fixture_path("vectors/keys-invalid.json"), 0, &jerr), *c;
	size_t i;

	(void)state;
	assert_non_null(all);
	json_array_foreach(all, i, c)
	{
		const char *type = json_string_value(json_object_get(c, "type"));
		const char *value = json_string_value(json_object_get(c, "value"));
		const char *valid = json_string_value(json_object_get(c, "valid_form"));
		uint8_t out[33];
		const char *why = NULL;
		enum kerr err;

		bool pub = strcmp(type, "public_key") == 0;

		err = pub ? key_public_parse(value, "STM", out, &why)
		          : key_wif_parse(value, out, &why);
		if (err == KERR_OK)
			fail_msg("accepted %s %s (%s)", type, value,
			         json_string_value(json_object_get(c, "kind")));
		assert_non_null(why);
		for (size_t b = 0; b < (pub ? 33u : 32u); b++)
			assert_int_equal(out[b], 0);
		/* The fixed form next to it is accepted: the refusal was for the flaw. */
		if (valid)
			assert_int_equal(pub ? key_public_parse(valid, "STM", out, NULL)
			                     : key_wif_parse(valid, out, NULL),
			                 KERR_OK);
	}
	json_decref(all);
}

static void test_known_keys_from_the_chain(void **state)
{
	json_error_t jerr;
	json_t *kk = json_load_file(fixture_path("chain/known-keys.json"), 0, &jerr), *pair;
	size_t i, n = 0;

	(void)state;
	assert_non_null(kk);
	json_array_foreach(json_object_get(kk, "key_pairs"), i, pair)
	{
		const char *wif = json_string_value(json_object_get(pair, "wif"));
		const char *pubtext = json_string_value(json_object_get(pair, "public_key"));
		uint8_t priv[32], pub[33];
		char text[KEY_TEXT_MAX], prefix[4] = "";

		if (!wif || !pubtext)
			continue;
		memcpy(prefix, pubtext, 3);
		assert_int_equal(key_wif_parse(wif, priv, NULL), KERR_OK);
		assert_int_equal(sig_public_key(priv, pub), KERR_OK);
		assert_int_equal(key_public_format(pub, prefix, text, sizeof(text)), KERR_OK);
		assert_string_equal(text, pubtext);
		n++;
	}
	assert_true(n > 0);
	json_decref(kk);
}

static void test_base58_edges(void **state)
{
	static const uint8_t zeros[] = {0, 0, 1};
	uint8_t back[8];
	char text[16];
	size_t n;

	(void)state;
	assert_int_equal(base58_encode(zeros, sizeof(zeros), text, sizeof(text)), KERR_OK);
	assert_string_equal(text, "112");
	assert_int_equal(base58_decode(text, strlen(text), back, sizeof(back), &n), KERR_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(back, zeros, 3);
	assert_int_equal(base58_decode("10O", 3, back, sizeof(back), &n), KERR_PARSE);
	assert_int_equal(base58_decode("1Il", 3, back, sizeof(back), &n), KERR_PARSE);
	assert_int_equal(base58_decode("zzzzzzzzzzzz", 12, back, 4, &n), KERR_TOO_BIG);
	assert_int_equal(base58_encode(zeros, sizeof(zeros), text, 3), KERR_TOO_BIG);
	assert_int_equal(base58_decode("", 0, back, sizeof(back), &n), KERR_OK);
	assert_int_equal(n, 0);
}

static void test_chain_profiles(void **state)
{
	const struct chain_profile *s = chain_profile_get(SITE_CHAIN_STEEM);
	const struct chain_profile *h = chain_profile_get(SITE_CHAIN_HIVE);
	uint8_t id[CHAIN_ID_LEN], zero[CHAIN_ID_LEN] = {0},
	                          hive[CHAIN_ID_LEN] = {0xbe, 0xea, 0xb0, 0xde};
	struct asset a = {.amount = 1, .precision = 3, .symbol = "HBD"};

	(void)state;
	assert_string_equal(s->key_prefix, "STM");
	assert_string_equal(h->key_prefix, "STM");
	chain_id_at(s, 1700000000, id);
	assert_memory_equal(id, zero, 32);
	chain_id_at(h, 1602703884, id);
	assert_memory_equal(id, zero, 32);
	chain_id_at(h, 1602703885, id);
	assert_memory_equal(id, hive, 32);
	assert_string_equal(chain_asset_by_nai(h, "@@000000021")->symbol, "HIVE");
	assert_string_equal(chain_asset_by_nai(s, "@@000000013")->symbol, "SBD");
	assert_string_equal(chain_asset_by_symbol(h, "HBD")->legacy_symbol, "SBD");
	assert_int_equal(chain_asset_by_symbol(h, "HIVE")->hf26_asset_num, 3200000035u);
	assert_null(chain_asset_by_symbol(s, "HIVE"));
	assert_true(chain_asset_valid(h, &a));
	assert_false(chain_asset_valid(s, &a));
	a.precision = 6;
	assert_false(chain_asset_valid(h, &a));
	assert_ptr_equal(chain_profile_by_name("hive"), h);
	assert_null(chain_profile_by_name("eos"));
	assert_int_equal(s->block_interval_s, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_vector_key_round_trips),
	    cmocka_unit_test(test_every_invalid_key_is_refused),
	    cmocka_unit_test(test_known_keys_from_the_chain),
	    cmocka_unit_test(test_base58_edges),
	    cmocka_unit_test(test_chain_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
