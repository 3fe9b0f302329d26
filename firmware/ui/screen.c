#include "kiosk/screen.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/strings.h"
#include "screen_priv.h"

static const char *const names[SCREEN_COUNT] = {
    [SCREEN_IDLE] = "idle",
    [SCREEN_PAYMENT] = "payment",
    [SCREEN_CONFIRMING] = "confirming",
    [SCREEN_PAID_LOCKER] = "paid-locker",
    [SCREEN_PAID_RECEIPT] = "paid-receipt",
    [SCREEN_UNDERPAID] = "underpaid",
    [SCREEN_WRONG_ASSET] = "wrong-asset",
    [SCREEN_EXPIRED] = "expired",
    [SCREEN_PICKUP_CODE] = "pickup-code",
    [SCREEN_STAFF_CODE] = "staff-code",
    [SCREEN_STAFF_MENU] = "staff-menu",
    [SCREEN_STAFF_WAIVE] = "staff-waive",
    [SCREEN_STAFF_ENROL] = "staff-enrol",
    [SCREEN_ERROR] = "error",
};

const char *screen_name(enum screen_id id)
{
	return (unsigned)id < SCREEN_COUNT ? names[id] : NULL;
}

enum kerr screen_parse(const char *name, enum screen_id *out)
{
	for (int i = 0; i < SCREEN_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum screen_id)i;
			return KERR_OK;
		}
	*out = SCREEN_IDLE;
	return KERR_NOTFOUND;
}

/* Sizes that follow the panel: margins, text scale, bars. */
static enum kerr qr_block(struct canvas *c, const struct layout *l, const char *uri,
                          enum qr_ecc ecc, bool landscape, int side, struct rect *text)
{
	struct qr *q = NULL;
	struct rect drawn;
	enum kerr err;

	err = uri ? qr_encode(uri, strlen(uri), ecc, &q) : KERR_INVAL;
	if (err)
		return err;
	if (side > 0)
		err = qr_draw(q, c, landscape ? l->body.x : l->body.x + (l->body.w - side) / 2,
		              l->body.y, side, C_INK, C_BG, &drawn);
	else
		err = KERR_TOO_BIG;
	qr_free(q);
	if (err)
		return err;
	if (l->rep)
		l->rep->qr = true;
	if (landscape)
		*text =
		    (struct rect){drawn.x + drawn.w + l->m, l->body.y,
		                  l->body.x + l->body.w - (drawn.x + drawn.w + l->m), l->body.h};
	else
		*text = (struct rect){l->body.x, drawn.y + drawn.h + l->m / 2, l->body.w,
		                      l->body.y + l->body.h - (drawn.y + drawn.h + l->m / 2)};
	return KERR_OK;
}

/* The default side of a QR: the body's height beside text, or what the text below leaves. */
static int qr_side(const struct layout *l, bool landscape, int text_h)
{
	int side = landscape ? l->body.h : l->body.w;

	if (!landscape && side > l->body.h - text_h - l->m / 2)
		side = l->body.h - text_h - l->m / 2;
	return side;
}

/*
 * A payment request (or, underpaid, its top-up): the QR with the amount,
 * the memo and the co-op's account, which are never cut: where they do not
 * fit beside or below a QR, they are shown without it, and where they do
 * not fit at once (128x64), in pages. KERR_TOO_BIG when no QR is shown.
 */
static enum kerr pay_screen(struct canvas *c, struct font *f, struct layout *l,
                            const struct screen_model *m, bool underpaid, const char *title)
{
	bool landscape = l->body.w > l->body.h * 4 / 3;
	enum site_lang lang = m->lang;
	char left[64], order[64];
	struct item must[5], pre[3], post[2];
	unsigned nmust = 0, npre = 0, npost = 0;
	struct rect text;
	int y, side, amount_scale = 1;
	enum kerr err;

	sc_mmss(left, sizeof(left), str_get(STR_PAY_TIME_LEFT, lang), m->seconds_left);
	snprintf(order, sizeof(order), "%s", m->order_id ? m->order_id : "");
	if (underpaid)
		must[nmust++] = (struct item){str_get(STR_UNDERPAID_DUE, lang),
		                              m->still_due ? m->still_due : "",
		                              SCREEN_FIELD_STILL_DUE,
		                              C_WARN,
		                              1,
		                              false};
	else
		must[nmust++] = (struct item){str_get(STR_PAY_AMOUNT, lang),
		                              m->amount ? m->amount : "",
		                              SCREEN_FIELD_AMOUNT,
		                              C_INK,
		                              1,
		                              false};
	must[nmust++] = (struct item){str_get(STR_PAY_MEMO, lang),
	                              m->memo ? m->memo : "",
	                              SCREEN_FIELD_MEMO,
	                              C_INK,
	                              1,
	                              false};
	must[nmust++] = (struct item){str_get(STR_PAY_TO, lang),
	                              m->pay_to ? m->pay_to : "",
	                              SCREEN_FIELD_PAY_TO,
	                              C_INK,
	                              1,
	                              false};
	if (!underpaid)
		must[nmust++] = (struct item){NULL, left, SCREEN_FIELD_TEXT, C_INK, 1, false};
	pre[npre++] = (struct item){
	    str_get(STR_ORDER, lang), order, SCREEN_FIELD_ORDER_ID, C_MUTED, 1, false};
	if (m->items && !underpaid)
		pre[npre++] = (struct item){NULL, m->items, SCREEN_FIELD_TEXT, C_INK, 1, true};
	if (m->won_rate)
		pre[npre++] = (struct item){str_get(STR_PAY_WON_RATE, lang),
		                            m->won_rate,
		                            SCREEN_FIELD_TEXT,
		                            C_INK,
		                            1,
		                            true};
	post[npost++] = (struct item){
	    NULL, str_get(STR_PAY_SCAN_WITH, lang), SCREEN_FIELD_TEXT, C_MUTED, 1, false};
	if (m->wallet_hint && !underpaid)
		post[npost++] =
		    (struct item){NULL, m->wallet_hint, SCREEN_FIELD_TEXT, C_MUTED, 1, true};

	sc_header(c, f, l, title);
	err = KERR_TOO_BIG;
	if (m->uri) {
		/* Stacked: the QR takes what the must-show text below leaves. */
		side =
		    qr_side(l, landscape, landscape ? 0 : sc_items_h(f, l, l->body.w, must, nmust));
		if (landscape) {
			/* Beside it, a column where each value fits on a line of its own. */
			int want = 0;

			for (unsigned i = 0; i < nmust; i++) {
				int w = font_text_width(f, must[i].value, 1);

				want = w > want ? w : want;
			}
			if (side > l->body.w - want - l->m)
				side = l->body.w - want - l->m;
		}
		err = qr_block(c, l, m->uri, m->ecc, landscape, side, &text);
		if (!err && sc_items_h(f, l, text.w, must, nmust) > text.h) {
			/* The text would not fit beside it: no QR rather than a cut memo. */
			canvas_fill_rect(c, l->body, C_BG);
			if (l->rep)
				l->rep->qr = false;
			err = KERR_TOO_BIG;
		}
	}
	if (err) {
		/* No scannable QR here: how to pay by hand, in pages if need be. */
		struct item all[8];
		unsigned n = 0;
		struct rect box =
		    l->h < 100 ? (struct rect){0, l->head_h, l->w, l->h - l->head_h - l->foot_h}
		               : l->body;

		for (unsigned i = 0; i < nmust; i++)
			all[n++] = must[i];
		if (l->h >= 100 && !underpaid)
			all[n++] = (struct item){
			    NULL, str_get(STR_PAY_NO_QR, lang), SCREEN_FIELD_TEXT, C_WARN, 1,
			    false};
		all[n++] = (struct item){
		    NULL, str_get(STR_PAY_BY_HAND, lang), SCREEN_FIELD_TEXT, C_INK, 1, false};
		if (l->h >= 100 &&
		    sc_items_h(f, l, box.w, all, n) + sc_items_h(f, l, box.w, pre, 1) <= box.h) {
			y = box.y;
			sc_item_draw(c, f, l, box, &y, &pre[0]);
			box.h -= y - box.y;
			box.y = y;
		}
		sc_paged(c, f, l, box, all, n, m->seconds_left);
		return underpaid ? KERR_OK : KERR_TOO_BIG;
	}
	/* Beside a QR: the amount large where the column has room for it. */
	if (landscape && l->big > 1) {
		must[0].scale = l->big;
		if (sc_items_h(f, l, text.w, must, nmust) > text.h ||
		    !sc_item_one_line(f, text.w, &must[0]))
			must[0].scale = amount_scale;
	}
	y = text.y;
	{
		int room = text.h - sc_items_h(f, l, text.w, must, nmust);

		for (unsigned i = 0; i < npre && landscape; i++) {
			int h = sc_item_h(f, l, text.w, &pre[i]);

			if (h > room)
				break;
			sc_item_draw(c, f, l, text, &y, &pre[i]);
			room -= h;
		}
		for (unsigned i = 0; i < nmust; i++)
			sc_item_draw(c, f, l, text, &y, &must[i]);
		for (unsigned i = 0; i < npost; i++) {
			if (sc_item_h(f, l, text.w, &post[i]) > text.y + text.h - y)
				break;
			sc_item_draw(c, f, l, text, &y, &post[i]);
		}
	}
	return KERR_OK;
}

/*
 * A new staff member's otpauth QR. A panel too small for a scannable QR
 * says so; the secret is never written out as text on a public screen.
 */
static enum kerr staff_enrol(struct canvas *c, struct font *f, struct layout *l,
                             const struct screen_model *m)
{
	struct rect text;
	bool landscape = l->body.w > l->body.h * 4 / 3;
	enum kerr err = qr_block(c, l, m->uri, m->ecc, landscape,
	                         qr_side(l, landscape, 3 * FONT_HEIGHT), &text);
	int y;

	if (err) {
		struct rect box = l->h < 100 ? (struct rect){l->m, l->head_h, l->w - 2 * l->m,
		                                             l->h - l->head_h - l->foot_h}
		                             : l->body;

		y = box.y;
		sc_line(c, f, l, box, &y, m->staff_name ? m->staff_name : "", C_INK, 1);
		sc_line(c, f, l, box, &y, str_get(STR_PAY_NO_QR, m->lang), C_WARN, 1);
		return KERR_TOO_BIG;
	}
	y = text.y;
	sc_line(c, f, l, text, &y, m->staff_name ? m->staff_name : "", C_INK,
	        landscape ? l->big : 1);
	/* Below a QR there is room for the name and how to close; beside it, the hint too. */
	if (landscape) {
		int close_h =
		    sc_flow_h(f, l, text.w, str_get(STR_STAFF_ENROL_CLOSE, m->lang), 1, true);

		sc_wrapped(c, f, l, (struct rect){text.x, y, text.w, text.y + text.h - y - close_h},
		           str_get(STR_STAFF_ENROL_SCAN, m->lang), C_INK, true);
		y = text.y + text.h - close_h;
	}
	sc_line(c, f, l, text, &y, str_get(STR_STAFF_ENROL_CLOSE, m->lang), C_MUTED, 1);
	return KERR_OK;
}

/* The table's "%u" replaced by n (no printf with a table string). */
static void subst_u(char *buf, size_t cap, const char *tmpl, unsigned n)
{
	const char *at = strstr(tmpl, "%u");

	if (!at) {
		snprintf(buf, cap, "%s", tmpl);
		return;
	}
	snprintf(buf, cap, "%.*s%u%s", (int)(at - tmpl), tmpl, n, at + 2);
}

static void progress(struct canvas *c, struct rect r, unsigned have, unsigned need)
{
	int fillw;

	canvas_fill_rect(c, r, C_INK);
	canvas_fill_rect(c, (struct rect){r.x + 1, r.y + 1, r.w - 2, r.h - 2}, C_BG);
	if (!need)
		return;
	if (have > need)
		have = need;
	fillw = (int)((long)(r.w - 4) * have / need);
	canvas_fill_rect(c, (struct rect){r.x + 2, r.y + 2, fillw, r.h - 4}, C_ACCENT);
}

/* "● ● ● _ _ _": the digits typed of the code's length (spaced when there is room). */
static void code_dots(char *buf, size_t cap, const struct screen_model *m, bool spaced)
{
	unsigned len = m->code_len ? m->code_len : 6;
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < len && i < 16; i++)
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s",
		                      i < m->code_digits ? "●" : "_", spaced ? " " : "");
}

/*
 * A paid order's pickup code: which order, the digits typed as dots, and
 * what to do (or what went wrong). Never the member, the items or the code.
 */
static void pickup_code(struct canvas *c, struct font *f, struct layout *l,
                        const struct screen_model *m)
{
	char buf[256], dots[96];
	int y = l->body.y;
	bool tiny = l->h < 100;

	snprintf(buf, sizeof(buf), "%s %s", str_get(STR_ORDER, m->lang),
	         m->order_id ? m->order_id : "");
	/* A tiny panel has two lines below the title: the order goes in it. */
	if (tiny)
		sc_header(c, f, l, buf);
	else
		sc_line(c, f, l, l->body, &y, buf, C_INK, 1);
	code_dots(dots, sizeof(dots), m, !tiny && l->w >= 240);
	sc_line(c, f, l, l->body, &y, dots, C_INK,
	        font_text_width(f, dots, l->big) <= l->body.w ? l->big : 1);
	if (tiny) {
		font_draw_wrapped(f, c, (struct rect){l->body.x, y, l->body.w, l->h - y},
		                  m->error ? m->error : str_get(STR_PICKUP_SHORT_HINT, m->lang),
		                  m->error ? C_WARN : C_MUTED, 1);
		return;
	}
	font_draw_wrapped(f, c, (struct rect){l->body.x, y, l->body.w, l->body.y + l->body.h - y},
	                  m->error ? m->error : str_get(STR_PICKUP_HINT, m->lang),
	                  m->error ? C_WARN : C_MUTED, 1);
}

/* Wrong asset or expired: what came in, what is due, and what to do. */
static void not_paid(struct canvas *c, struct font *f, struct layout *l,
                     const struct screen_model *m)
{
	enum site_lang lang = m->lang;
	struct item it[6];
	unsigned n = 0;
	struct rect box =
	    l->h < 100 ? (struct rect){0, l->head_h, l->w, l->h - l->head_h - l->foot_h} : l->body;

	it[n++] = (struct item){str_get(STR_ORDER, lang),
	                        m->order_id ? m->order_id : "",
	                        SCREEN_FIELD_ORDER_ID,
	                        C_INK,
	                        1,
	                        false};
	if (m->id == SCREEN_WRONG_ASSET) {
		if (m->received)
			it[n++] = (struct item){str_get(STR_WRONG_ASSET_GOT, lang),
			                        m->received,
			                        SCREEN_FIELD_RECEIVED,
			                        C_WARN,
			                        1,
			                        false};
		if (m->amount)
			it[n++] = (struct item){str_get(STR_WRONG_ASSET_DUE, lang),
			                        m->amount,
			                        SCREEN_FIELD_AMOUNT,
			                        C_INK,
			                        1,
			                        false};
		it[n++] = (struct item){
		    NULL, str_get(STR_WRONG_ASSET_NEXT, lang), SCREEN_FIELD_TEXT, C_WARN, 1, false};
		if (m->refund_recorded)
			it[n++] = (struct item){NULL,
			                        str_get(STR_WRONG_ASSET_REFUND, lang),
			                        SCREEN_FIELD_TEXT,
			                        C_INK,
			                        1,
			                        false};
	} else {
		it[n++] = (struct item){
		    NULL, str_get(STR_SEE_STAFF, lang), SCREEN_FIELD_TEXT, C_WARN, l->big, false};
		if (sc_items_h(f, l, box.w, it, n) > box.h)
			it[n - 1].scale = 1;
	}
	sc_paged(c, f, l, box, it, n, m->seconds_left);
}

enum kerr screen_draw(struct canvas *c, struct font *f, const struct screen_model *m)
{
	return screen_draw_report(c, f, m, NULL);
}

enum kerr screen_draw_report(struct canvas *c, struct font *f, const struct screen_model *m,
                             struct screen_report *rep)
{
	struct layout l = sc_layout_for(c, m->offline || m->wheel);
	enum site_lang lang = m->lang;
	char buf[256];
	enum kerr err = KERR_OK;
	int y = l.body.y, mid = l.body.y + l.body.h / 3;
	/* A 128x64 panel: every row below the title. */
	struct rect tight =
	    l.h < 100 ? (struct rect){l.m, l.head_h, l.w - 2 * l.m, l.h - l.head_h - l.foot_h}
	              : l.body;

	if (rep)
		memset(rep, 0, sizeof(*rep));
	l.rep = rep;
	canvas_fill(c, C_BG);
	switch (m->id) {
	case SCREEN_IDLE: {
		int bottom_h;

		sc_header(c, f, &l, m->coop_name);
		/* The order picked with the buttons or typed so far, else how many wait. */
		if (m->order_id)
			snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang),
			         m->order_id, m->amount ? m->amount : "");
		else
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_ORDERS_READY, lang),
			         m->orders_ready);
		bottom_h = sc_flow_h(f, &l, l.body.w, buf, 1, true);
		sc_line(c, f, &l, l.body, &y, str_get(STR_IDLE_TITLE, lang), C_INK, l.big);
		sc_wrapped(c, f, &l,
		           (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y - bottom_h},
		           str_get(STR_IDLE_HINT, lang), C_INK, true);
		y = l.body.y + l.body.h - bottom_h + sc_gap(&l);
		sc_line(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.h - l.foot_h - y}, &y, buf,
		        C_MUTED, 1);
		break;
	}
	case SCREEN_PAYMENT:
		err = pay_screen(c, f, &l, m, false, str_get(STR_PAY_TITLE, lang));
		break;
	case SCREEN_CONFIRMING:
		sc_header(c, f, &l, str_get(STR_CONFIRMING_TITLE, lang));
		y = tight.y;
		sc_flow(c, f, &l, tight, &y, m->amount ? m->amount : "", C_INK,
		        font_text_width(f, m->amount ? m->amount : "", l.big) <= l.body.w ? l.big
		                                                                          : 1,
		        SCREEN_FIELD_AMOUNT, false, false);
		snprintf(buf, sizeof(buf), "%s %u / %u", str_get(STR_CONFIRMING_PROGRESS, lang),
		         m->conf_have, m->conf_need);
		sc_line(c, f, &l, tight, &y, buf, C_INK, 1);
		if (y + 12 <= l.body.y + l.body.h)
			progress(c, (struct rect){l.body.x, y, l.body.w, l.h >= 200 ? 24 : 8},
			         m->conf_have, m->conf_need);
		break;
	case SCREEN_PAID_LOCKER:
		sc_header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		subst_u(buf, sizeof(buf), str_get(STR_PAID_LOCKER, lang), m->compartment);
		if (l.h < 100) {
			/* No room for the big number too: the sentence holds it. */
			y = tight.y;
			sc_line(c, f, &l, tight, &y, buf, C_ACCENT, 1);
			break;
		}
		snprintf(buf, sizeof(buf), "%u", m->compartment);
		sc_centered(c, f, &l, l.body, l.h >= 200 ? mid - FONT_HEIGHT : y, buf, C_ACCENT,
		            l.h >= 200 ? 4 * l.big : 2);
		subst_u(buf, sizeof(buf), str_get(STR_PAID_LOCKER, lang), m->compartment);
		y = l.h >= 200 ? mid + 3 * FONT_HEIGHT * l.big : y + 2 * FONT_HEIGHT;
		sc_centered(c, f, &l, l.body, y, buf, C_INK, l.big);
		break;
	case SCREEN_PAID_RECEIPT:
		sc_header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		sc_centered(c, f, &l, tight, l.h < 100 ? tight.y : mid,
		            str_get(STR_PAID_RECEIPT, lang), C_ACCENT, l.big);
		break;
	case SCREEN_UNDERPAID:
		(void)pay_screen(c, f, &l, m, true, str_get(STR_UNDERPAID_TITLE, lang));
		break;
	case SCREEN_WRONG_ASSET:
	case SCREEN_EXPIRED:
		sc_header(
		    c, f, &l,
		    str_get(m->id == SCREEN_EXPIRED ? STR_EXPIRED_TITLE : STR_WRONG_ASSET_TITLE,
		            lang));
		not_paid(c, f, &l, m);
		break;
	case SCREEN_PICKUP_CODE:
		if (l.h >= 100)
			sc_header(c, f, &l, str_get(STR_PICKUP_TITLE, lang));
		pickup_code(c, f, &l, m);
		break;
	case SCREEN_STAFF_CODE: {
		char dots[64] = "";

		sc_header(c, f, &l, str_get(STR_STAFF_CODE_TITLE, lang));
		code_dots(dots, sizeof(dots), m, true);
		sc_line(c, f, &l, l.body, &y, dots, C_INK, l.big);
		sc_wrapped(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		           m->error ? m->error : str_get(STR_STAFF_CODE_HINT, lang),
		           m->error ? C_WARN : C_MUTED, !m->error);
		break;
	}
	case SCREEN_STAFF_MENU:
	case SCREEN_STAFF_WAIVE:
		if (l.h < 100) {
			/* A tiny panel: the order in the title, the keys in three lines. */
			snprintf(buf, sizeof(buf), "%s %s",
			         str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_SHORT
			                                            : STR_STAFF_WAIVE_SHORT_TITLE,
			                 lang),
			         m->order_id ? m->order_id : "-");
			sc_header(c, f, &l, buf);
			/* Every row below the title: three lines exactly. */
			sc_wrapped(
			    c, f, &l, (struct rect){l.m, l.head_h, l.w - 2 * l.m, l.h - l.head_h},
			    m->error ? m->error
			             : str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_SHORT
			                                                  : STR_STAFF_WAIVE_SHORT,
			                       lang),
			    m->error ? C_WARN : C_INK, false);
			break;
		}
		sc_header(c, f, &l,
		          str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_TITLE
		                                             : STR_STAFF_WAIVE_TITLE,
		                  lang));
		/* Which order the keys act on, so staff never confirm the wrong one. */
		snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang),
		         m->order_id ? m->order_id : "-", m->amount ? m->amount : "");
		sc_line(c, f, &l, l.body, &y, buf, C_INK, 1);
		if (m->id == SCREEN_STAFF_MENU) {
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_STAFF_FLAGGED, lang),
			         m->flagged);
			sc_line(c, f, &l, l.body, &y, buf, m->flagged ? C_WARN : C_INK, 1);
		}
		if (m->error)
			sc_line(c, f, &l, l.body, &y, m->error, C_WARN, 1);
		sc_wrapped(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		           str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_ITEMS
		                                              : STR_STAFF_WAIVE_ITEMS,
		                   lang),
		           C_INK, false);
		break;
	case SCREEN_STAFF_ENROL:
		sc_header(c, f, &l, str_get(STR_STAFF_ENROL_TITLE, lang));
		err = staff_enrol(c, f, &l, m);
		break;
	case SCREEN_ERROR:
	default:
		sc_header(c, f, &l, str_get(STR_ERROR_TITLE, lang));
		sc_wrapped(c, f, &l, tight, m->error ? m->error : "", C_WARN, false);
		break;
	}
	sc_footer(c, f, &l, m);
	return err;
}
