#include "kiosk/render.h"

#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/totp.h"
#include "kiosk/uri.h"

enum kerr render_sample(enum screen_id id, enum site_lang lang, struct screen_model *m, char *uri)
{
	struct uri_payment pay = {.to = "coop", .memo = RENDER_SAMPLE_MEMO};
	enum kerr err;

	memset(m, 0, sizeof(*m));
	err = asset_parse("7.250 HIVE", &pay.amount, NULL);
	if (!err)
		err = uri_build(chain_profile_get(SITE_CHAIN_HIVE), SITE_URI_CHAIN, &pay, uri,
		                RENDER_URI_MAX, NULL);
	/* The enrolment screen holds a staff secret: RFC 6238's test one here. */
	if (!err && id == SCREEN_STAFF_ENROL)
		err = totp_otpauth_uri("Hanbat Co-op", "minji",
		                       (const uint8_t *)"12345678901234567890", 20, uri,
		                       RENDER_URI_MAX);
	if (err)
		return err;
	m->id = id;
	m->lang = lang;
	m->coop_name = lang == SITE_LANG_KO ? "한밭 생활협동조합" : "Hanbat Co-op";
	m->order_id = id == SCREEN_IDLE ? NULL : "A1024";
	m->items = lang == SITE_LANG_KO ? "감자 1kg ×2, 달걀 10구" : "Potatoes 1 kg ×2, eggs ×10";
	m->amount = "7.250 HIVE";
	m->memo = RENDER_SAMPLE_MEMO;
	m->pay_to = "coop";
	m->uri = uri;
	m->wallet_hint = "Hive Keychain, Hivesigner";
	m->ecc = QR_ECC_M;
	m->seconds_left = 14 * 60 + 32;
	m->conf_have = 1;
	m->conf_need = 3;
	m->compartment = 3;
	m->still_due = "2.250 HIVE";
	m->orders_ready = 12;
	m->flagged = 2;
	m->code_digits = 3;
	m->staff_name = "minji";
	m->received = "7.250 HBD";
	m->refund_recorded = true;
	m->error =
	    id == SCREEN_ERROR
	        ? (lang == SITE_LANG_KO ? "프린터 용지가 없습니다. 직원에게 문의하세요."
	                                : "The printer is out of paper. Please see a staff member.")
	        : NULL;
	return KERR_OK;
}

enum canvas_format render_format(int w, int h)
{
	return w <= 128 && h <= 64 ? CANVAS_MONO1 : CANVAS_XRGB8888;
}

enum kerr render_screen(struct font *f, const struct screen_model *m, int w, int h,
                        struct canvas **out)
{
	enum kerr err = canvas_new(render_format(w, h), w, h, out);

	if (err)
		return err;
	return screen_draw(*out, f, m);
}
