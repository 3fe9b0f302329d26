#include "kiosk/screen.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/strings.h"

#define C_BG     0xffffff
#define C_INK    0x000000
#define C_HEAD   0x1f3a5f /* dark blue header, white text */
#define C_ACCENT 0x1b7f3b /* green: paid */
#define C_WARN   0xb3261e /* red: something is wrong */
#define C_BANNER 0xf2a900 /* amber: offline */
#define C_MUTED  0x555555

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
struct layout {
	int w, h, m;    /* panel, margin */
	int big, small; /* text scales */
	int head_h, foot_h;
	struct rect body;
};

static struct layout layout_for(const struct canvas *c, bool offline)
{
	struct layout l = {.w = c->width, .h = c->height};

	l.m = c->width >= 480 ? 12 : c->width >= 240 ? 6 : 2;
	l.big = c->width >= 480 && c->height >= 320 ? 2 : 1;
	l.small = 1;
	l.head_h = c->height >= 200 ? FONT_HEIGHT * l.big + 2 * l.m : FONT_HEIGHT;
	l.foot_h = offline ? FONT_HEIGHT + (c->height >= 200 ? 2 * l.m : 0) : 0;
	l.body =
	    (struct rect){l.m, l.head_h + l.m, l.w - 2 * l.m, l.h - l.head_h - l.foot_h - 2 * l.m};
	return l;
}

static void header(struct canvas *c, struct font *f, const struct layout *l, const char *title)
{
	int y = (l->head_h - FONT_HEIGHT * l->big) / 2;

	canvas_fill_rect(c, (struct rect){0, 0, l->w, l->head_h}, C_HEAD);
	font_draw(f, c, l->m, y, title ? title : "", 0xffffff, l->big, l->w - 2 * l->m);
}

static void footer(struct canvas *c, struct font *f, const struct layout *l, enum site_lang lang)
{
	if (!l->foot_h)
		return;
	canvas_fill_rect(c, (struct rect){0, l->h - l->foot_h, l->w, l->foot_h}, C_BANNER);
	font_draw(f, c, l->m, l->h - l->foot_h + (l->foot_h - FONT_HEIGHT) / 2,
	          str_get(STR_OFFLINE_BANNER, lang), C_INK, 1, l->w - 2 * l->m);
}

/* A line of text at *y in the body, moving *y down; false when out of room. */
static bool line(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                 const char *text, uint32_t rgb, int scale)
{
	int lh = FONT_HEIGHT * scale;

	if (*y + lh > box.y + box.h)
		return false;
	font_draw(f, c, box.x, *y, text, rgb, scale, box.w);
	*y += lh + (l->h >= 200 ? l->m / 2 : 0);
	return true;
}

static void centered(struct canvas *c, struct font *f, struct rect box, int y, const char *text,
                     uint32_t rgb, int scale)
{
	int w = font_text_width(f, text, scale);

	font_draw(f, c, box.x + (w < box.w ? (box.w - w) / 2 : 0), y, text, rgb, scale, box.w);
}

static void kv(char *buf, size_t n, const char *k, const char *v)
{
	snprintf(buf, n, "%s: %s", k, v ? v : "");
}

static void mmss(char *buf, size_t n, const char *label, int secs)
{
	if (secs < 0)
		secs = 0;
	snprintf(buf, n, "%s %d:%02d", label, secs / 60, secs % 60);
}

/*
 * The QR of uri in the body, left on landscape panels and on top otherwise;
 * *text is the room left beside or below it. KERR_TOO_BIG when no
 * scannable QR fits.
 */
static enum kerr qr_block(struct canvas *c, const struct layout *l, const char *uri,
                          enum qr_ecc ecc, bool landscape, struct rect *text)
{
	struct qr *q = NULL;
	struct rect drawn;
	enum kerr err;
	int side;

	err = uri ? qr_encode(uri, strlen(uri), ecc, &q) : KERR_INVAL;
	if (err)
		return err;
	side = landscape ? l->body.h : l->body.w;
	if (!landscape && side > l->body.h - 3 * FONT_HEIGHT)
		side = l->body.h - 3 * FONT_HEIGHT;
	if (side > 0)
		err = qr_draw(q, c, landscape ? l->body.x : l->body.x + (l->body.w - side) / 2,
		              l->body.y, side, C_INK, C_BG, &drawn);
	else
		err = KERR_TOO_BIG;
	qr_free(q);
	if (err)
		return err;
	if (landscape)
		*text =
		    (struct rect){drawn.x + drawn.w + l->m, l->body.y,
		                  l->body.x + l->body.w - (drawn.x + drawn.w + l->m), l->body.h};
	else
		*text = (struct rect){l->body.x, drawn.y + drawn.h + l->m / 2, l->body.w,
		                      l->body.y + l->body.h - (drawn.y + drawn.h + l->m / 2)};
	return KERR_OK;
}

static enum kerr payment(struct canvas *c, struct font *f, const struct layout *l,
                         const struct screen_model *m)
{
	struct rect text;
	char buf[256];
	bool landscape = l->body.w > l->body.h * 4 / 3;
	int y;

	if (qr_block(c, l, m->uri, m->ecc, landscape, &text)) {
		/* No scannable QR here: say how to pay by hand instead. */
		/* What matters most first: a 128x64 OLED has room for two lines. */
		y = l->body.y;
		line(c, f, l, l->body, &y, m->amount ? m->amount : "", C_INK, 1);
		line(c, f, l, l->body, &y, m->memo ? m->memo : "", C_INK, 1);
		snprintf(buf, sizeof(buf), "→ %s", m->pay_to ? m->pay_to : "");
		line(c, f, l, l->body, &y, buf, C_INK, 1);
		line(c, f, l, l->body, &y, str_get(STR_PAY_NO_QR, m->lang), C_WARN, 1);
		line(c, f, l, l->body, &y, str_get(STR_PAY_BY_HAND, m->lang), C_INK, 1);
		return KERR_TOO_BIG;
	}
	y = text.y;
	if (landscape) {
		snprintf(buf, sizeof(buf), "%s %s", str_get(STR_ORDER, m->lang),
		         m->order_id ? m->order_id : "");
		line(c, f, l, text, &y, buf, C_MUTED, 1);
		if (m->items)
			line(c, f, l, text, &y, m->items, C_INK, 1);
		line(c, f, l, text, &y, str_get(STR_PAY_AMOUNT, m->lang), C_MUTED, 1);
	}
	line(c, f, l, text, &y, m->amount ? m->amount : "", C_INK, landscape ? l->big : 1);
	kv(buf, sizeof(buf), str_get(STR_PAY_MEMO, m->lang), m->memo);
	line(c, f, l, text, &y, buf, C_INK, 1);
	mmss(buf, sizeof(buf), str_get(STR_PAY_TIME_LEFT, m->lang), m->seconds_left);
	line(c, f, l, text, &y, buf, C_INK, 1);
	if (landscape) {
		line(c, f, l, text, &y, str_get(STR_PAY_SCAN_WITH, m->lang), C_MUTED, 1);
		if (m->wallet_hint)
			line(c, f, l, text, &y, m->wallet_hint, C_MUTED, 1);
	}
	return KERR_OK;
}

/*
 * Part paid: what is still due, and (where one fits) the QR asking for
 * just that with the same payment code, so a top-up completes the order.
 */
static void underpaid(struct canvas *c, struct font *f, const struct layout *l,
                      const struct screen_model *m)
{
	bool landscape = l->body.w > l->body.h * 4 / 3;
	struct rect text = l->body;
	bool qr = m->uri && qr_block(c, l, m->uri, m->ecc, landscape, &text) == KERR_OK;
	char buf[256];
	int y;

	if (!qr)
		text = l->body;
	y = text.y;
	if (qr && landscape) {
		/* Beside the QR the column is narrow: the amount gets a line of its own. */
		const char *due = m->still_due ? m->still_due : "";

		line(c, f, l, text, &y, str_get(STR_UNDERPAID_DUE, m->lang), C_WARN, 1);
		line(c, f, l, text, &y, due, C_WARN,
		     font_text_width(f, due, l->big) <= text.w ? l->big : 1);
	} else {
		kv(buf, sizeof(buf), str_get(STR_UNDERPAID_DUE, m->lang), m->still_due);
		line(c, f, l, text, &y, buf, C_WARN, qr ? 1 : l->big);
	}
	kv(buf, sizeof(buf), str_get(STR_PAY_MEMO, m->lang), m->memo);
	line(c, f, l, text, &y, buf, C_INK, 1);
	/* Below a QR there is room for two lines only. */
	if (landscape || !qr)
		line(c, f, l, text, &y, str_get(STR_PAY_SCAN_WITH, m->lang), C_MUTED, 1);
}

/*
 * A new staff member's otpauth QR. A panel too small for a scannable QR
 * says so; the secret is never written out as text on a public screen.
 */
static enum kerr staff_enrol(struct canvas *c, struct font *f, const struct layout *l,
                             const struct screen_model *m)
{
	struct rect text;
	bool landscape = l->body.w > l->body.h * 4 / 3;
	enum kerr err = qr_block(c, l, m->uri, m->ecc, landscape, &text);
	int y;

	if (err) {
		y = l->body.y;
		line(c, f, l, l->body, &y, m->staff_name ? m->staff_name : "", C_INK, 1);
		line(c, f, l, l->body, &y, str_get(STR_PAY_NO_QR, m->lang), C_WARN, 1);
		return KERR_TOO_BIG;
	}
	y = text.y;
	line(c, f, l, text, &y, m->staff_name ? m->staff_name : "", C_INK, landscape ? l->big : 1);
	/* Below a QR there is room for two lines only: the name and how to close. */
	if (landscape) {
		font_draw_wrapped(
		    f, c, (struct rect){text.x, y, text.w, text.y + text.h - y - FONT_HEIGHT},
		    str_get(STR_STAFF_ENROL_SCAN, m->lang), C_INK, 1);
		y = text.y + text.h - FONT_HEIGHT;
	}
	line(c, f, l, text, &y, str_get(STR_STAFF_ENROL_CLOSE, m->lang), C_MUTED, 1);
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
static void pickup_code(struct canvas *c, struct font *f, const struct layout *l,
                        const struct screen_model *m)
{
	char buf[256], dots[96];
	int y = l->body.y;
	bool tiny = l->h < 100;

	snprintf(buf, sizeof(buf), "%s %s", str_get(STR_ORDER, m->lang),
	         m->order_id ? m->order_id : "");
	/* A tiny panel has two lines below the title: the order goes in it. */
	if (tiny)
		header(c, f, l, buf);
	else
		line(c, f, l, l->body, &y, buf, C_INK, 1);
	code_dots(dots, sizeof(dots), m, !tiny && l->w >= 240);
	line(c, f, l, l->body, &y, dots, C_INK,
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

enum kerr screen_draw(struct canvas *c, struct font *f, const struct screen_model *m)
{
	struct layout l = layout_for(c, m->offline);
	enum site_lang lang = m->lang;
	char buf[256];
	enum kerr err = KERR_OK;
	int y = l.body.y, mid = l.body.y + l.body.h / 3;

	canvas_fill(c, C_BG);
	switch (m->id) {
	case SCREEN_IDLE:
		header(c, f, &l, m->coop_name);
		line(c, f, &l, l.body, &y, str_get(STR_IDLE_TITLE, lang), C_INK, l.big);
		font_draw_wrapped(
		    f, c,
		    (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y - FONT_HEIGHT},
		    str_get(STR_IDLE_HINT, lang), C_INK, 1);
		/* The order picked with the buttons or typed so far, else how many wait. */
		if (m->order_id)
			snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang),
			         m->order_id, m->amount ? m->amount : "");
		else
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_ORDERS_READY, lang),
			         m->orders_ready);
		y = l.body.y + l.body.h - FONT_HEIGHT;
		line(c, f, &l, l.body, &y, buf, C_MUTED, 1);
		break;
	case SCREEN_PAYMENT:
		header(c, f, &l, str_get(STR_PAY_TITLE, lang));
		err = payment(c, f, &l, m);
		break;
	case SCREEN_CONFIRMING:
		header(c, f, &l, str_get(STR_CONFIRMING_TITLE, lang));
		line(c, f, &l, l.body, &y, m->amount ? m->amount : "", C_INK, l.big);
		snprintf(buf, sizeof(buf), "%s %u / %u", str_get(STR_CONFIRMING_PROGRESS, lang),
		         m->conf_have, m->conf_need);
		line(c, f, &l, l.body, &y, buf, C_INK, 1);
		if (y + 12 <= l.body.y + l.body.h)
			progress(c, (struct rect){l.body.x, y, l.body.w, l.h >= 200 ? 24 : 8},
			         m->conf_have, m->conf_need);
		break;
	case SCREEN_PAID_LOCKER:
		header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		snprintf(buf, sizeof(buf), "%u", m->compartment);
		centered(c, f, l.body, l.h >= 200 ? mid - FONT_HEIGHT : y, buf, C_ACCENT,
		         l.h >= 200 ? 4 * l.big : 2);
		subst_u(buf, sizeof(buf), str_get(STR_PAID_LOCKER, lang), m->compartment);
		y = l.h >= 200 ? mid + 3 * FONT_HEIGHT * l.big : y + 2 * FONT_HEIGHT;
		centered(c, f, l.body, y, buf, C_INK, l.big);
		break;
	case SCREEN_PAID_RECEIPT:
		header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		centered(c, f, l.body, mid, str_get(STR_PAID_RECEIPT, lang), C_ACCENT, l.big);
		break;
	case SCREEN_UNDERPAID:
		header(c, f, &l, str_get(STR_UNDERPAID_TITLE, lang));
		underpaid(c, f, &l, m);
		break;
	case SCREEN_WRONG_ASSET:
	case SCREEN_EXPIRED:
		header(c, f, &l,
		       str_get(m->id == SCREEN_EXPIRED ? STR_EXPIRED_TITLE : STR_WRONG_ASSET_TITLE,
		               lang));
		snprintf(buf, sizeof(buf), "%s %s", str_get(STR_ORDER, lang),
		         m->order_id ? m->order_id : "");
		line(c, f, &l, l.body, &y, buf, C_INK, 1);
		line(c, f, &l, l.body, &y, str_get(STR_SEE_STAFF, lang), C_WARN, l.big);
		break;
	case SCREEN_PICKUP_CODE:
		if (l.h >= 100)
			header(c, f, &l, str_get(STR_PICKUP_TITLE, lang));
		pickup_code(c, f, &l, m);
		break;
	case SCREEN_STAFF_CODE: {
		char dots[64] = "";

		header(c, f, &l, str_get(STR_STAFF_CODE_TITLE, lang));
		code_dots(dots, sizeof(dots), m, true);
		line(c, f, &l, l.body, &y, dots, C_INK, l.big);
		font_draw_wrapped(f, c,
		                  (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		                  m->error ? m->error : str_get(STR_STAFF_CODE_HINT, lang),
		                  m->error ? C_WARN : C_MUTED, 1);
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
			header(c, f, &l, buf);
			/* Every row below the title: three lines exactly. */
			font_draw_wrapped(
			    f, c, (struct rect){l.m, l.head_h, l.w - 2 * l.m, l.h - l.head_h},
			    m->error ? m->error
			             : str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_SHORT
			                                                  : STR_STAFF_WAIVE_SHORT,
			                       lang),
			    m->error ? C_WARN : C_INK, 1);
			break;
		}
		header(c, f, &l,
		       str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_TITLE
		                                          : STR_STAFF_WAIVE_TITLE,
		               lang));
		/* Which order the keys act on, so staff never confirm the wrong one. */
		snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang),
		         m->order_id ? m->order_id : "-", m->amount ? m->amount : "");
		line(c, f, &l, l.body, &y, buf, C_INK, 1);
		if (m->id == SCREEN_STAFF_MENU) {
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_STAFF_FLAGGED, lang),
			         m->flagged);
			line(c, f, &l, l.body, &y, buf, m->flagged ? C_WARN : C_INK, 1);
		}
		if (m->error)
			line(c, f, &l, l.body, &y, m->error, C_WARN, 1);
		font_draw_wrapped(f, c,
		                  (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		                  str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_ITEMS
		                                                     : STR_STAFF_WAIVE_ITEMS,
		                          lang),
		                  C_INK, 1);
		break;
	case SCREEN_STAFF_ENROL:
		header(c, f, &l, str_get(STR_STAFF_ENROL_TITLE, lang));
		err = staff_enrol(c, f, &l, m);
		break;
	case SCREEN_ERROR:
	default:
		header(c, f, &l, str_get(STR_ERROR_TITLE, lang));
		font_draw_wrapped(f, c, l.body, m->error ? m->error : "", C_WARN, 1);
		break;
	}
	footer(c, f, &l, lang);
	return err;
}
