/*
 * Every screen at every panel size against its reference image, and every
 * payment screen's QR read back by zbarimg to exactly the URI. Set
 * KIOSK_UPDATE_REF=1 to rewrite the references after a deliberate change
 * (and look at them before committing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display/display_sim.h"
#include "kiosk/render.h"
#include "testutil.h"

static const struct {
	int w, h;
} sizes[] = {{128, 64}, {240, 240}, {320, 240}, {480, 320}, {800, 480}};

static struct font *font;

static int setup(void **state)
{
	(void)state;
	return font_open(KIOSK_UNIFONT_PATH, &font) == KERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	font_close(font);
	return 0;
}

static void ref_path(char *buf, size_t n, enum screen_id id, int w, int h, enum site_lang lang,
                     bool offline)
{
	snprintf(buf, n, KIOSK_SOURCE_DIR "/tests/fixtures/screens/%s-%dx%d-%s%s.png",
	         screen_name(id), w, h, lang == SITE_LANG_KO ? "ko" : "en",
	         offline ? "-offline" : "");
}

/* Renders and compares with the reference; returns the canvas (caller frees). */
static struct canvas *check_screen(enum screen_id id, int w, int h, enum site_lang lang,
                                   bool offline, char *uri, enum kerr *drawn)
{
	struct screen_model m;
	struct canvas *c = NULL, *ref = NULL;
	char path[512];

	assert_int_equal(render_sample(id, lang, &m, uri), KERR_OK);
	m.offline = offline;
	*drawn = render_screen(font, &m, w, h, &c);
	assert_non_null(c);
	ref_path(path, sizeof(path), id, w, h, lang, offline);
	if (getenv("KIOSK_UPDATE_REF")) {
		assert_int_equal(display_sim_write_png(c, path), KERR_OK);
		return c;
	}
	if (display_sim_read_png(path, &ref) != KERR_OK)
		fail_msg(
		    "no reference %s: render it with KIOSK_UPDATE_REF=1, look at it, commit it",
		    path);
	assert_int_equal(ref->width, w);
	assert_int_equal(ref->height, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (canvas_get_pixel(c, x, y) != canvas_get_pixel(ref, x, y)) {
				char err[600];

				snprintf(err, sizeof(err), KIOSK_BINARY_DIR "/%s-%dx%d_err.png",
				         screen_name(id), w, h);
				if (display_sim_write_png(c, err) != KERR_OK)
					err[0] = 0;
				fail_msg("%s differs from its reference at (%d,%d); see %s", path,
				         x, y, err);
			}
	canvas_free(ref);
	return c;
}

static void zbar_or_fail(const struct canvas *c, const char *want)
{
	char path[256], cmd[512], got[2048] = "";
	size_t n;
	FILE *p;

	snprintf(path, sizeof(path), "%s/zbar-%d.png", KIOSK_BINARY_DIR, (int)getpid());
	assert_int_equal(display_sim_write_png(c, path), KERR_OK);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q -Sbinary %s 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(got, 1, sizeof(got) - 1, p);
	got[n] = '\0';
	pclose(p);
	remove(path);
	/* zbarimg ends its output with a newline. */
	if (n && got[n - 1] == '\n')
		got[n - 1] = '\0';
	assert_string_equal(got, want);
}

static void test_every_screen_at_every_size_matches_its_reference(void **state)
{
	(void)state;
	for (int id = 0; id < SCREEN_COUNT; id++)
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			char uri[RENDER_URI_MAX];
			enum kerr drawn;
			struct canvas *c = check_screen((enum screen_id)id, sizes[s].w, sizes[s].h,
			                                SITE_LANG_EN, false, uri, &drawn);

			/* Only the QR screens may give up on a panel too small to scan. */
			if ((id != SCREEN_PAYMENT && id != SCREEN_STAFF_ENROL) || sizes[s].w > 128)
				assert_int_equal(drawn, KERR_OK);
			else if (id == SCREEN_STAFF_ENROL)
				assert_int_equal(drawn, KERR_TOO_BIG);
			/* Every QR a screen shows reads back to exactly what it holds. */
			if ((id == SCREEN_STAFF_ENROL || id == SCREEN_UNDERPAID) &&
			    sizes[s].w > 128 && !getenv("KIOSK_UPDATE_REF"))
				zbar_or_fail(c, uri);
			canvas_free(c);
		}
}

static void test_payment_qr_decodes_to_exactly_the_uri_in_both_languages(void **state)
{
	(void)state;
	for (int lang = 0; lang < 2; lang++)
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			char uri[RENDER_URI_MAX];
			enum kerr drawn;
			struct canvas *c =
			    check_screen(SCREEN_PAYMENT, sizes[s].w, sizes[s].h,
			                 (enum site_lang)lang, lang == 0 && s == 2, uri, &drawn);

			if (sizes[s].w == 128) {
				/* No scannable QR fits 128x64: the pay-by-hand text instead. */
				assert_int_equal(drawn, KERR_TOO_BIG);
			} else {
				assert_int_equal(drawn, KERR_OK);
				if (!getenv("KIOSK_UPDATE_REF"))
					zbar_or_fail(c, uri);
			}
			canvas_free(c);
		}
}

static void test_qr_module_size_is_the_largest_that_fits(void **state)
{
	struct qr *q;
	struct canvas *c;
	struct rect r;
	int modules;

	(void)state;
	assert_int_equal(qr_encode("hive://sign/op/x", 16, QR_ECC_M, &q), KERR_OK);
	modules = q->width + 2 * QR_QUIET;
	assert_int_equal(canvas_new(CANVAS_XRGB8888, 300, 300, &c), KERR_OK);
	for (int side = modules * 2; side < 300; side += 7) {
		int m = qr_module_px(q, side);

		assert_true(m * modules <= side);
		assert_true((m + 1) * modules > side);
		assert_int_equal(qr_draw(q, c, 0, 0, side, 0, 0xffffff, &r), KERR_OK);
		assert_int_equal(r.w, m * modules);
	}
	assert_int_equal(qr_draw(q, c, 0, 0, modules * 2 - 1, 0, 0xffffff, &r), KERR_TOO_BIG);
	canvas_free(c);
	qr_free(q);
}

static void test_payload_too_long_for_any_qr_is_refused(void **state)
{
	char *big = malloc(5000);
	struct qr *q;

	(void)state;
	memset(big, 'x', 4000);
	assert_int_equal(qr_encode(big, 4000, QR_ECC_H, &q), KERR_TOO_BIG);
	assert_null(q);
	free(big);
}

static void test_glyph_widths_and_invalid_utf8(void **state)
{
	static const char bad[] = "a\xc0\xafz\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82";
	size_t i = 0, n = sizeof(bad) - 1;
	unsigned replaced = 0, count = 0;

	(void)state;
	assert_int_equal(font_glyph(font, 'A')->width, 8);
	assert_int_equal(font_glyph(font, 0xAC00)->width, 16);
	assert_int_equal(font_text_width(font, "가A", 1), 24);
	assert_int_equal(font_text_width(font, "가A", 3), 72);
	while (i < n) {
		uint32_t cp = font_utf8_next(bad, n, &i);

		replaced += cp == FONT_REPLACEMENT;
		count++;
	}
	/* a, overlong C0 AF (2), z, surrogate ED A0 80 (3), > U+10FFFF (4), truncated (2). */
	assert_int_equal(replaced, 11);
	assert_int_equal(count, 13);
	assert_int_equal(font_glyph(font, 0x10000)->cp, FONT_REPLACEMENT);
}

static void test_text_never_leaves_its_box(void **state)
{
	struct canvas *c;
	int drawn;

	(void)state;
	assert_int_equal(canvas_new(CANVAS_XRGB8888, 200, 40, &c), KERR_OK);
	canvas_fill(c, 0xffffff);
	drawn = font_draw(font, c, 10, 10, "한밭 생활협동조합 주문 A1024 — a very long line",
	                  0x000000, 1, 100);
	assert_true(drawn <= 100);
	for (int y = 0; y < 40; y++)
		for (int x = 0; x < 200; x++)
			if (x < 10 || x >= 110 || y < 10 || y >= 26)
				assert_int_equal(canvas_get_pixel(c, x, y), 0xffffff);
	/* The ellipsis is there: the last glyph cell drawn is "…"'s dots row. */
	assert_true(drawn > 80);
	/* Glyphs that evict the ellipsis from the cache still end in an ellipsis. */
	canvas_fill(c, 0xffffff);
	drawn = font_draw(font, c, 10, 10, "\xf5\x83\x87\x83\xb6\xe8\xb6\xb5\x83\x83\x83\x83\xe3",
	                  0, 1, 40);
	assert_true(drawn <= 40);
	for (int y = 0; y < 40; y++)
		for (int x = 0; x < 200; x++)
			if (x < 10 || x >= 50 || y < 10 || y >= 26)
				assert_int_equal(canvas_get_pixel(c, x, y), 0xffffff);
	/* Off-canvas positions draw nothing and do not crash. */
	font_draw(font, c, 190, 30, "overflow", 0, 2, 400);
	font_draw(font, c, -50, -50, "negative", 0, 1, 400);
	canvas_free(c);
}

/* The runs of field fld on one drawing, joined; false if any was clipped. */
static bool field_text(const struct screen_report *r, enum screen_field fld, char *out, size_t cap,
                       bool *seen)
{
	bool whole = true;

	out[0] = '\0';
	for (unsigned i = 0; i < r->n; i++)
		if (r->run[i].field == fld) {
			*seen = true;
			whole = whole && !r->run[i].clipped;
			strncat(out, r->run[i].text, cap - strlen(out) - 1);
		}
	return whole;
}

/*
 * What a member needs to pay (amount, memo, the co-op's account), and on
 * the other payment screens what is due and what came in, reads back
 * complete from what the screen says it drew: on every panel, in both
 * languages, online and offline, over all pages where a small panel pages
 * through them. No text on these screens is cut unless it is decorative.
 * The QR, where one is shown, decodes to the URI.
 */
static void check_must_show(const struct screen_model *base, int w, int h, bool zbar)
{
	struct screen_report *rep = malloc(sizeof(*rep));
	const struct {
		enum screen_field fld;
		const char *want;
	} must[] = {
	    {SCREEN_FIELD_AMOUNT, base->id == SCREEN_UNDERPAID ? NULL : base->amount},
	    {SCREEN_FIELD_MEMO, base->id == SCREEN_WRONG_ASSET ? NULL : base->memo},
	    {SCREEN_FIELD_PAY_TO, base->id == SCREEN_WRONG_ASSET ? NULL : base->pay_to},
	    {SCREEN_FIELD_STILL_DUE, base->id == SCREEN_UNDERPAID ? base->still_due : NULL},
	    {SCREEN_FIELD_RECEIVED, base->id == SCREEN_WRONG_ASSET ? base->received : NULL},
	    {SCREEN_FIELD_ORDER_ID, base->id == SCREEN_WRONG_ASSET ? base->order_id : NULL},
	};
	bool found[ARRAY_SIZE(must)] = {false};
	unsigned pages = 1;

	assert_non_null(rep);
	for (unsigned p = 0; p < pages; p++) {
		struct screen_model m = *base;
		struct canvas *c;
		enum kerr err;

		m.seconds_left = (int)p * SCREEN_PAGE_S;
		assert_int_equal(canvas_new(render_format(w, h), w, h, &c), KERR_OK);
		err = screen_draw_report(c, font, &m, rep);
		assert_true(err == KERR_OK || err == KERR_TOO_BIG);
		assert_false(rep->overflow);
		if (rep->pages > pages)
			pages = rep->pages;
		for (size_t k = 0; k < ARRAY_SIZE(must); k++) {
			char got[512];
			bool seen = false;

			if (!must[k].want)
				continue;
			if (!field_text(rep, must[k].fld, got, sizeof(got), &seen))
				fail_msg("%s %dx%d %s: field %d cut: '%s'", screen_name(m.id), w, h,
				         m.lang == SITE_LANG_KO ? "ko" : "en", must[k].fld, got);
			if (seen) {
				if (strcmp(got, must[k].want) != 0)
					fail_msg("%s %dx%d: field %d reads '%s', not '%s'",
					         screen_name(m.id), w, h, must[k].fld, got,
					         must[k].want);
				found[k] = true;
			}
		}
		for (unsigned i = 0; i < rep->n; i++)
			if (rep->run[i].clipped && !rep->run[i].decorative)
				fail_msg("%s %dx%d %s%s: '%s' is cut", screen_name(m.id), w, h,
				         m.lang == SITE_LANG_KO ? "ko" : "en",
				         m.offline ? " offline" : "", rep->run[i].text);
		if (zbar && rep->qr)
			zbar_or_fail(c, m.uri);
		canvas_free(c);
	}
	for (size_t k = 0; k < ARRAY_SIZE(must); k++)
		if (must[k].want && !found[k])
			fail_msg("%s %dx%d %s: field %d never shown", screen_name(base->id), w, h,
			         base->lang == SITE_LANG_KO ? "ko" : "en", must[k].fld);
	free(rep);
}

static void test_amount_memo_and_account_are_never_cut(void **state)
{
	static const enum screen_id ids[] = {SCREEN_PAYMENT, SCREEN_UNDERPAID, SCREEN_WRONG_ASSET};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		for (int lang = 0; lang < 2; lang++)
			for (int off = 0; off < 2; off++)
				for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
					char uri[RENDER_URI_MAX];
					struct screen_model m;

					assert_int_equal(
					    render_sample(ids[i], (enum site_lang)lang, &m, uri),
					    KERR_OK);
					m.offline = off;
					check_must_show(&m, sizes[s].w, sizes[s].h,
					                !off && ids[i] != SCREEN_WRONG_ASSET);
					/* The longest a Hive account name gets, a long amount and
					 * memo. */
					m.pay_to = "hanbat-coop.pays";
					m.amount = "123456.789 HIVE";
					m.still_due = "123456.789 HIVE";
					m.received = "123456.789 HBD";
					m.memo = "KP-DF04F9QX7M 감자 달걀";
					check_must_show(&m, sizes[s].w, sizes[s].h, false);
				}
}

/* A board without a keypad: every screen that takes digits shows the key
 * the wheel is on, whole, at every size and in both languages, offline too
 * (the wheel takes the foot; staff cannot act without it). */
static void test_the_digit_wheel_key_is_always_shown(void **state)
{
	static const enum screen_id ids[] = {SCREEN_STAFF_CODE, SCREEN_STAFF_MENU,
	                                     SCREEN_STAFF_WAIVE, SCREEN_PICKUP_CODE};
	static const struct {
		char key;
		const char *en, *ko;
	} keys[] = {
	    {'7', "[7]", "[7]"}, {'\n', "[Enter]", "[확인]"}, {'\b', "[Erase]", "[지우기]"}};
	struct screen_report *rep = malloc(sizeof(*rep));

	(void)state;
	assert_non_null(rep);
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
		for (size_t i = 0; i < ARRAY_SIZE(ids) * 2 * 2; i++)
			for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
				struct screen_model m = {.id = ids[i / 4],
				                         .lang =
				                             i % 2 ? SITE_LANG_EN : SITE_LANG_KO,
				                         .offline = (i / 2) % 2,
				                         .coop_name = "Hanbat Co-op",
				                         .order_id = "A1024",
				                         .amount = "7.250 HIVE",
				                         .code_len = 6,
				                         .code_digits = 2,
				                         .wheel = keys[k].key};
				const char *want = m.lang == SITE_LANG_EN ? keys[k].en : keys[k].ko;
				struct canvas *c;
				char got[128];
				bool seen = false;

				assert_int_equal(canvas_new(render_format(sizes[s].w, sizes[s].h),
				                            sizes[s].w, sizes[s].h, &c),
				                 KERR_OK);
				assert_int_equal(screen_draw_report(c, font, &m, rep), KERR_OK);
				if (!field_text(rep, SCREEN_FIELD_WHEEL, got, sizeof(got), &seen) ||
				    !seen || strcmp(got, want) != 0)
					fail_msg("%s %dx%d: the wheel shows '%s' (%s), not '%s'",
					         screen_name(m.id), sizes[s].w, sizes[s].h, got,
					         seen ? "cut" : "not drawn", want);
				canvas_free(c);
			}
	free(rep);
}

/* A won-priced order: the won price and its rate take room only where there is some; the
 * amount, memo and account are still never cut, and from 480x320 up the rate is shown. */
static void test_the_won_rate_never_pushes_out_what_must_show(void **state)
{
	static const char won[] = "12000 KRW at 312 KRW/HIVE, staff 2026-12-05 17:12 KST";

	(void)state;
	for (int lang = 0; lang < 2; lang++)
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			char uri[RENDER_URI_MAX], all[2048] = "";
			struct screen_model m;
			struct screen_report *rep = malloc(sizeof(*rep));
			struct canvas *c;

			assert_non_null(rep);
			assert_int_equal(
			    render_sample(SCREEN_PAYMENT, (enum site_lang)lang, &m, uri), KERR_OK);
			m.won_rate = won;
			check_must_show(&m, sizes[s].w, sizes[s].h, true);
			if (sizes[s].w < 480) {
				free(rep);
				continue;
			}
			assert_int_equal(canvas_new(render_format(sizes[s].w, sizes[s].h),
			                            sizes[s].w, sizes[s].h, &c),
			                 KERR_OK);
			assert_int_equal(screen_draw_report(c, font, &m, rep), KERR_OK);
			for (unsigned i = 0; i < rep->n; i++)
				strncat(all, rep->run[i].text, sizeof(all) - strlen(all) - 1);
			if (!strstr(all, "312 KRW/HIVE"))
				fail_msg("%dx%d: the won rate is not shown: %s", sizes[s].w,
				         sizes[s].h, all);
			canvas_free(c);
			free(rep);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_screen_at_every_size_matches_its_reference),
	    cmocka_unit_test(test_payment_qr_decodes_to_exactly_the_uri_in_both_languages),
	    cmocka_unit_test(test_qr_module_size_is_the_largest_that_fits),
	    cmocka_unit_test(test_payload_too_long_for_any_qr_is_refused),
	    cmocka_unit_test(test_glyph_widths_and_invalid_utf8),
	    cmocka_unit_test(test_text_never_leaves_its_box),
	    cmocka_unit_test(test_amount_memo_and_account_are_never_cut),
	    cmocka_unit_test(test_the_won_rate_never_pushes_out_what_must_show),
	    cmocka_unit_test(test_the_digit_wheel_key_is_always_shown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
