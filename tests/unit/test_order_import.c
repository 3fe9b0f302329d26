/* Orders in: valid files give exact orders; every bad row is named. */
#include "kiosk/order_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* 2026-11-24T00:00:00Z */
#define NOW_MS 1795478400000LL

static const struct order_import_rules rules = {
    .symbols = {"HIVE", "HBD", NULL},
    .compartments = 8,
    .now_ms = NOW_MS,
};

static const char good_csv[] =
    "\xEF\xBB\xBFid,member,item,quantity,unit_price,pickup,compartment,expires\r\n"
    "A1024,alice,\"감자, 1kg\",2,1.500 HIVE,locker,3,2026-11-30T18:00:00Z\r\n"
    "A1024,alice,\"달걀 \"\"특란\"\" 10구\",1,4.250 HIVE,locker,3,2026-11-30T18:00:00Z\r\n"
    "\r\n"
    "B7,bob.coop,사과,3,0.333 HBD,receipt,,\r\n";

static const char good_json[] =
    "[{\"id\":\"A1024\",\"member\":\"alice\",\"pickup\":\"locker\",\"compartment\":3,"
    "\"expires\":\"2026-11-30T18:00:00Z\",\"items\":["
    "{\"name\":\"감자, 1kg\",\"quantity\":2,\"unit_price\":\"1.500 HIVE\"},"
    "{\"name\":\"달걀 \\\"특란\\\" 10구\",\"quantity\":1,\"unit_price\":\"4.250 HIVE\"}]},"
    "{\"id\":\"B7\",\"member\":\"bob.coop\",\"pickup\":\"receipt\","
    "\"items\":[{\"name\":\"사과\",\"quantity\":3,\"unit_price\":\"0.333 HBD\"}]}]";

static void check_good(const struct order_import *imp)
{
	const struct order *a = &imp->orders[0], *b = &imp->orders[1];

	assert_int_equal(imp->count, 2);
	assert_string_equal(a->id, "A1024");
	assert_string_equal(a->member, "alice");
	assert_int_equal(a->item_count, 2);
	assert_string_equal(a->items[0].name, "감자, 1kg");
	assert_string_equal(a->items[1].name, "달걀 \"특란\" 10구");
	/* 2 x 1.500 + 4.250 = 7.250 HIVE, exactly. */
	assert_int_equal(a->price.amount, 7250);
	assert_string_equal(a->price.symbol, "HIVE");
	assert_int_equal(a->pickup, ORDER_PICKUP_LOCKER);
	assert_int_equal(a->compartment, 3);
	assert_int_equal(a->expires_at_ms, 1796061600000LL);
	assert_int_equal(a->state, ORDER_READY);
	assert_string_equal(b->member, "bob.coop");
	assert_int_equal(b->price.amount, 999);
	assert_string_equal(b->price.symbol, "HBD");
	assert_int_equal(b->pickup, ORDER_PICKUP_RECEIPT);
	assert_int_equal(b->compartment, 0);
	assert_int_equal(b->expires_at_ms, 0);
}

static void test_csv_and_json_give_the_same_orders(void **state)
{
	struct order_import imp;

	(void)state;
	assert_int_equal(order_import_parse(good_csv, strlen(good_csv), &rules, &imp), KERR_OK);
	check_good(&imp);
	order_import_fini(&imp);
	assert_int_equal(order_import_parse(good_json, strlen(good_json), &rules, &imp), KERR_OK);
	check_good(&imp);
	order_import_fini(&imp);
}

static bool has_error(const struct order_import *imp, unsigned row, const char *col,
                      const char *word)
{
	for (unsigned i = 0; i < imp->error_count && i < ORDER_IMPORT_MAX_ERRORS; i++)
		if (imp->errors[i].row == row && strcmp(imp->errors[i].column, col) == 0 &&
		    strstr(imp->errors[i].msg, word))
			return true;
	return false;
}

static void test_every_bad_row_is_listed_and_nothing_is_kept(void **state)
{
	static const char csv[] =
	    "id,member,item,quantity,unit_price,pickup,compartment,expires\n"
	    "A1,alice,감자,2,1.500 HIVE,locker,3,\n"                     /* fine */
	    "A2,Alice,감자,2,1.500 HIVE,locker,3,\n"                     /* upper-case account */
	    "A3,alice,감자,0,1.500 HIVE,locker,3,\n"                     /* quantity */
	    "A4,alice,감자,1,1.5 HIVE,locker,3,\n"                       /* decimals */
	    "A5,alice,감자,1,1.500 STEEM,locker,3,\n"                    /* wrong chain */
	    "A6,alice,감자,1,1.500 HIVE,locker,9,\n"                     /* no such compartment */
	    "A7,alice,감자,1,1.500 HIVE,drone,,\n"                       /* pickup */
	    "A8,alice,감자,1,1.500 HIVE,receipt,,2020-01-01T00:00:00Z\n" /* past */
	    "A9,alice,감자,1,1.500 HIVE,receipt,,2026-02-30T00:00:00Z\n" /* no such day */
	    "A 10,alice,감자,1,1.500 HIVE,receipt,,\n"                   /* id */
	    "A1,bob,감자,1,1.500 HIVE,locker,3,\n"                       /* disagrees with row 2 */
	    "A11,alice,감자,1,1.500 HIVE,receipt\n"                      /* field count */
	    "A12,alice,\"감자,1,1.500 HIVE,receipt,,\n";                 /* open quote */
	struct order_import imp;

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	assert_int_equal(imp.count, 0);
	assert_true(has_error(&imp, 3, "member", "account"));
	assert_true(has_error(&imp, 4, "quantity", "1-10000"));
	assert_true(has_error(&imp, 5, "unit_price", "3 decimals"));
	assert_true(has_error(&imp, 6, "unit_price", "STEEM"));
	assert_true(has_error(&imp, 7, "compartment", "1-8"));
	assert_true(has_error(&imp, 8, "pickup", "locker or receipt"));
	assert_true(has_error(&imp, 9, "expires", "past"));
	assert_true(has_error(&imp, 10, "expires", "UTC"));
	assert_true(has_error(&imp, 11, "id", "letters"));
	assert_true(has_error(&imp, 12, "id", "disagree"));
	assert_true(has_error(&imp, 13, "", "fields"));
	assert_true(has_error(&imp, 14, "", "malformed"));
	assert_int_equal(imp.error_count, 12);
	order_import_fini(&imp);
}

static void test_every_problem_of_a_row_is_listed(void **state)
{
	static const char csv[] = "id,member,item,quantity,unit_price,pickup,compartment,expires\n"
	                          "A 1,Alice,감자,0,1.5 HIVE,drone,,\n"  /* five problems */
	                          "B2,bob,사과,-1,0.5 HBD,receipt,4,\n"; /* three */
	struct order_import imp;

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	assert_true(has_error(&imp, 2, "id", "letters"));
	assert_true(has_error(&imp, 2, "member", "account"));
	assert_true(has_error(&imp, 2, "pickup", "locker or receipt"));
	assert_true(has_error(&imp, 2, "quantity", "1-10000"));
	assert_true(has_error(&imp, 2, "unit_price", "3 decimals"));
	assert_true(has_error(&imp, 3, "compartment", "no compartment"));
	assert_true(has_error(&imp, 3, "quantity", "1-10000"));
	assert_true(has_error(&imp, 3, "unit_price", "3 decimals"));
	assert_int_equal(imp.error_count, 8);
	order_import_fini(&imp);
}

static void test_a_file_not_in_utf8_is_refused_with_line_and_offset(void **state)
{
	/* EUC-KR for 감자 (0xB0 0xA8 0xC0 0xDA) on row 3; a lone continuation byte on row 4. */
	static const char csv[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                          "A1,alice,감자,1,1.500 HIVE,receipt,\n"
	                          "A2,alice,\xB0\xA8\xC0\xDA,1,1.500 HIVE,receipt,\n"
	                          "A3,alice,x\x80,1,1.500 HIVE,receipt,\n";
	static const char json[] = "[{\"id\":\"A1\",\n\"member\":\"\xC0\"}]";
	struct order_import imp;
	size_t off3 = strlen("id,member,item,quantity,unit_price,pickup,compartment\n"
	                     "A1,alice,감자,1,1.500 HIVE,receipt,\n"
	                     "A2,alice,");
	char want[64];

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	assert_int_equal(imp.count, 0);
	assert_int_equal(imp.error_count, 2);
	snprintf(want, sizeof(want), "byte 0xB0 at offset %zu is not UTF-8", off3);
	assert_true(has_error(&imp, 3, "", want));
	assert_true(has_error(&imp, 4, "", "byte 0x80"));
	order_import_fini(&imp);
	assert_int_equal(order_import_parse(json, strlen(json), &rules, &imp), KERR_PARSE);
	assert_true(imp.json);
	assert_true(has_error(&imp, 0, "", "line 2: byte 0xC0"));
	order_import_fini(&imp);
}

static void test_an_empty_or_header_only_file_is_one_clear_error(void **state)
{
	static const char *const empty[] = {"", "\n\n", "\xEF\xBB\xBF", "  \r\n\t"};
	static const char header[] = "id,member,item,quantity,unit_price,pickup,compartment\n";
	struct order_import imp;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
		assert_int_equal(order_import_parse(empty[i], strlen(empty[i]), &rules, &imp),
		                 KERR_PARSE);
		assert_int_equal(imp.error_count, 1);
		assert_true(has_error(&imp, 0, "", "the file is empty"));
		order_import_fini(&imp);
	}
	assert_int_equal(order_import_parse(header, strlen(header), &rules, &imp), KERR_PARSE);
	assert_int_equal(imp.error_count, 1);
	assert_true(has_error(&imp, 0, "", "only a header row"));
	order_import_fini(&imp);
	assert_int_equal(order_import_parse("[]", 2, &rules, &imp), KERR_PARSE);
	assert_int_equal(imp.error_count, 1);
	assert_true(has_error(&imp, 0, "", "no orders"));
	order_import_fini(&imp);
}

static void test_header_problems_are_reported(void **state)
{
	static const char csv[] =
	    "id,member,item,qty,unit_price,pickup\nA1,alice,x,1,1.000 HIVE,receipt\n";
	struct order_import imp;

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	assert_true(has_error(&imp, 1, "qty", "unknown column"));
	assert_true(has_error(&imp, 1, "quantity", "missing"));
	order_import_fini(&imp);
}

static void test_json_shapes_are_checked(void **state)
{
	static const char *const bad[] = {
	    "{\"id\":\"A1\"}",
	    "[{\"id\":\"A1\",\"member\":\"alice\",\"pickup\":\"receipt\",\"items\":[]}]",
	    "[{\"id\":\"A1\",\"member\":\"alice\",\"pickup\":\"receipt\",\"items\":[{\"name\":"
	    "\"x\","
	    "\"quantity\":\"2\",\"unit_price\":\"1.000 HIVE\"}]}]",
	    "[{\"id\":\"A1\",\"member\":\"alice\",\"pickup\":\"receipt\",\"items\":[{\"name\":"
	    "\"x\","
	    "\"quantity\":1,\"unit_price\":\"1.000 HIVE\\u0000\"}]}]",
	    "[{\"id\":\"A1\",\"id\":\"A2\",\"member\":\"alice\",\"pickup\":\"receipt\","
	    "\"items\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":\"1.000 HIVE\"}]}]",
	    "[{\"id\":\"A1\",\"member\":\"alice\",\"pickup\":\"receipt\",\"items\":[{\"name\":"
	    "\"x\","
	    "\"quantity\":1,\"unit_price\":\"1.000 HIVE\"}]},{\"id\":\"A1\",\"member\":\"alice\","
	    "\"pickup\":\"receipt\",\"items\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":\"1."
	    "000 HIVE\"}]}]",
	    "[{\"id\":\"A1\",\"member\":\"alice\",\"pickup\":\"receipt\",\"items\":[{\"name\":"
	    "\"x\","
	    "\"quantity\":1,\"unit_price\":\"1.000 HIVE\"},{\"name\":\"y\",\"quantity\":1,"
	    "\"unit_price\":\"1.000 HBD\"}]}]",
	    "[1,2",
	    "",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct order_import imp;

		if (order_import_parse(bad[i], strlen(bad[i]), &rules, &imp) != KERR_PARSE)
			fail_msg("accepted case %zu", i);
		assert_int_equal(imp.count, 0);
		assert_true(imp.error_count > 0);
		order_import_fini(&imp);
	}
}

static void test_totals_that_overflow_are_refused(void **state)
{
	static const char csv[] = "id,member,item,quantity,unit_price,pickup\n"
	                          "A1,alice,x,10000,9223372036854775.807 HIVE,receipt\n";
	struct order_import imp;

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	assert_true(has_error(&imp, 2, "quantity", "overflows"));
	order_import_fini(&imp);
}

static void test_account_names(void **state)
{
	static const char *const ok[] = {"abc",   "alice",   "bob.coop",
	                                 "a-b-c", "user123", "abcdefghijklmnop"};
	static const char *const bad[] = {"ab",     "Alice", "1abc",
	                                  "abc-",   "a--bc", "ab.cde",
	                                  "abc.",   ".abc",  "abcdefghijklmnopq",
	                                  "al ice", "abc_d"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		assert_true(order_account_name_valid(ok[i]));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (order_account_name_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

/* Prices in a token the site accepts: exact, at the decimals written; others refused. */
static void test_prices_in_an_accepted_token(void **state)
{
	static const struct order_import_rules tok = {
	    .symbols = {"HIVE", "HBD", NULL},
	    .compartments = 8,
	    .now_ms = NOW_MS,
	    .tokens = {"SCT", "SWAP.HIVE", NULL},
	};
	static const char csv[] = "id,member,item,quantity,unit_price,pickup,compartment,expires\n"
	                          "T1,alice,a,2,10.000 SCT,locker,1,\n"
	                          "T1,alice,b,1,0.500 SCT,locker,1,\n"
	                          "T2,bob,c,1,1.5 SWAP.HIVE,receipt,,\n";
	static const struct {
		const char *price, *says;
	} bad[] = {
	    {"10.000 PAL", "unknown symbol"}, {"1.123456789 SCT", "at most 8 decimals"},
	    {"-1.000 SCT", "negative"},       {"1.000  SCT", "more than one space"},
	    {"10.000 sct", "upper case"},
	};
	struct order_import imp;
	char text[256];

	(void)state;
	assert_int_equal(order_import_parse(csv, strlen(csv), &tok, &imp), KERR_OK);
	assert_int_equal(imp.count, 2);
	/* 2 x 10.000 + 0.500 = 20.500 SCT, at 3 decimals. */
	assert_string_equal(imp.orders[0].price.symbol, "SCT");
	assert_int_equal(imp.orders[0].price.precision, 3);
	assert_int_equal(imp.orders[0].price.amount, 20500);
	assert_string_equal(imp.orders[1].price.symbol, "SWAP.HIVE");
	assert_int_equal(imp.orders[1].price.precision, 1);
	assert_int_equal(imp.orders[1].price.amount, 15);
	order_import_fini(&imp);
	/* Without the site's tokens, a token price is refused. */
	assert_int_equal(order_import_parse(csv, strlen(csv), &rules, &imp), KERR_PARSE);
	order_import_fini(&imp);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
		         "id,member,item,quantity,unit_price,pickup,compartment,expires\n"
		         "T1,alice,a,1,%s,locker,1,\n",
		         bad[i].price);
		assert_int_equal(order_import_parse(text, strlen(text), &tok, &imp), KERR_PARSE);
		if (!strstr(imp.errors[0].msg, bad[i].says))
			fail_msg("%s: \"%s\"", bad[i].price, imp.errors[0].msg);
		order_import_fini(&imp);
	}
}

/* Prices in whole won, when the rules take KRW; every bad won price named. */
static void test_prices_in_won(void **state)
{
	static const struct order_import_rules won_rules = {
	    .symbols = {"STEEM", "SBD", "KRW", NULL}, .compartments = 8, .now_ms = NOW_MS};
	static const char good[] = "id,member,item,quantity,unit_price,pickup,compartment\n"
	                           "W1,alice,쌀 4kg,1,9000 KRW,locker,1\n"
	                           "W1,alice,두부,2,1500 KRW,locker,1\n";
	static const char *const bad[][2] = {
	    {"12,000 KRW", "without separators"},
	    {"12000.5 KRW", "without separators"},
	    {"012000 KRW", "leading zero"},
	    {"KRW", "must start with a digit"},
	    {"-5 KRW", "expected whole won"},
	    {"1000000000001 KRW", "10^12"},
	    {"0 KRW", "above zero"},
	};
	struct order_import imp;
	char text[256];

	(void)state;
	assert_int_equal(order_import_parse(good, strlen(good), &won_rules, &imp), KERR_OK);
	assert_int_equal(imp.count, 1);
	assert_int_equal(imp.orders[0].price.amount, 12000);
	assert_int_equal(imp.orders[0].price.precision, 0);
	assert_string_equal(imp.orders[0].price.symbol, "KRW");
	order_import_fini(&imp);
	/* Not taken where the rules do not list KRW. */
	assert_int_equal(order_import_parse(good, strlen(good), &rules, &imp), KERR_PARSE);
	assert_non_null(strstr(imp.errors[0].msg, "KRW is not an asset of this chain"));
	order_import_fini(&imp);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
		         "id,member,item,quantity,unit_price,pickup,compartment\n"
		         "W1,alice,쌀,1,\"%s\",locker,1\n",
		         bad[i][0]);
		assert_int_equal(order_import_parse(text, strlen(text), &won_rules, &imp),
		                 KERR_PARSE);
		if (!strstr(imp.errors[0].msg, bad[i][1]))
			fail_msg("%s: %s", bad[i][0], imp.errors[0].msg);
		order_import_fini(&imp);
	}
	/* Won and an asset do not mix in one order. */
	snprintf(text, sizeof(text),
	         "id,member,item,quantity,unit_price,pickup,compartment\n"
	         "W1,alice,쌀,1,9000 KRW,locker,1\nW1,alice,콩,1,1.000 STEEM,locker,1\n");
	assert_int_equal(order_import_parse(text, strlen(text), &won_rules, &imp), KERR_PARSE);
	assert_non_null(strstr(imp.errors[0].msg, "must be priced in KRW"));
	order_import_fini(&imp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prices_in_an_accepted_token),
	    cmocka_unit_test(test_csv_and_json_give_the_same_orders),
	    cmocka_unit_test(test_every_bad_row_is_listed_and_nothing_is_kept),
	    cmocka_unit_test(test_every_problem_of_a_row_is_listed),
	    cmocka_unit_test(test_a_file_not_in_utf8_is_refused_with_line_and_offset),
	    cmocka_unit_test(test_an_empty_or_header_only_file_is_one_clear_error),
	    cmocka_unit_test(test_header_problems_are_reported),
	    cmocka_unit_test(test_json_shapes_are_checked),
	    cmocka_unit_test(test_totals_that_overflow_are_refused),
	    cmocka_unit_test(test_account_names),
	    cmocka_unit_test(test_prices_in_won),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
