#include "kiosk/screen.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/strings.h"

#define C_BG 0xffffff
#define C_INK 0x000000
#define C_HEAD 0x1f3a5f        /* dark blue header, white text */
#define C_ACCENT 0x1b7f3b      /* green: paid */
#define C_WARN 0xb3261e        /* red: something is wrong */
#define C_BANNER 0xf2a900      /* amber: offline */
#define C_MUTED 0x555555

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
	int w, h, m;                    /* panel, margin */
	int big, small;                 /* text scales */
	int head_h, foot_h;
	struct rect body;
	struct screen_report *rep;      /* NULL: nobody asked */
	const char *title;              /* the header's, for a page number beside it */
};

static struct layout layout_for(const struct canvas *c, bool offline)
{
	struct layout l = {.w = c->width, .h = c->height};

	l.m = c->width >= 480 ? 12 : c->width >= 240 ? 6 : 2;
	l.big = c->width >= 480 && c->height >= 320 ? 2 : 1;
	l.small = 1;
	l.head_h = c->height >= 200 ? FONT_HEIGHT * l.big + 2 * l.m : FONT_HEIGHT;
	l.foot_h = offline ? FONT_HEIGHT + (c->height >= 200 ? 2 * l.m : 0) : 0;
	l.body = (struct rect){l.m, l.head_h + l.m, l.w - 2 * l.m, l.h - l.head_h - l.foot_h - 2 * l.m};
	return l;
}

static void record(const struct layout *l, enum screen_field fld, bool deco, bool clipped, int x, int y, int w,
                   int scale, const char *text)
{
	struct screen_run *r;

	if (!l->rep)
		return;
	if (l->rep->n >= SCREEN_RUNS_MAX) {
		l->rep->overflow = true;
		return;
	}
	r = &l->rep->run[l->rep->n++];
	*r = (struct screen_run){.field = fld, .clipped = clipped, .decorative = deco, .x = x, .y = y, .w = w,
	                         .scale = scale};
	snprintf(r->text, sizeof(r->text), "%s", text);
	if (strlen(text) >= sizeof(r->text))
		r->clipped = true; /* longer than a report holds: never pass it as complete */
}

/*
 * Every text on a screen goes through here: drawn at (x, y) within box,
 * and reported. Text wider than the box ends in "…" and text below the box
 * is not drawn: both are reported clipped.
 */
static int put(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int x, int y,
               const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco)
{
	int max_w = box.x + box.w - x, lh = FONT_HEIGHT * scale, tw = font_text_width(f, text, scale), w = 0;
	bool vfit = y >= box.y && y + lh <= box.y + box.h && y + lh <= c->height;

	if (vfit && max_w > 0)
		w = font_draw(f, c, x, y, text, rgb, scale, max_w);
	record(l, fld, deco, !vfit || tw > max_w, x, y, w, scale, text);
	return w;
}

static int gap(const struct layout *l)
{
	return l->h >= 200 ? l->m / 2 : 0;
}

/*
 * text from *y down in box, wrapped (at words, or anywhere for codes and
 * amounts, so no character is lost); *y moves below it. Out of room, a
 * decorative text ends in "…" on the last line; any other is reported
 * clipped. False if not all of it fitted.
 */
static bool flow(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                 const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco, bool words)
{
	int lh = FONT_HEIGHT * scale;
	const char *s = text ? text : "";
	char buf[SCREEN_RUN_TEXT_MAX * 2];

	do {
		size_t next, n = font_fit(f, s, scale, box.w, words, &next);
		bool last_room = *y + 2 * lh + gap(l) > box.y + box.h;

		if (*y + lh > box.y + box.h) {
			put(c, f, l, box, box.x, *y, s, rgb, scale, fld, deco);
			return false;
		}
		if ((deco || words) && last_room && s[next]) {
			/* Prose on the last line there is room for: the rest, cut with "…"
			 * (reported clipped: only decorative text may be). Codes and
			 * amounts never come here: their screens make room or page. */
			/* The rest on one line: its line breaks become spaces, never glyphs. */
			snprintf(buf, sizeof(buf), "%s", s);
			for (char *p = buf; *p; p++)
				if (*p == '\n')
					*p = ' ';
			put(c, f, l, box, box.x, *y, buf, rgb, scale, fld, deco);
			*y += lh + gap(l);
			return false;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
		put(c, f, l, box, box.x, *y, buf, rgb, scale, fld, deco);
		*y += lh + gap(l);
		s += next;
	} while (*s);
	return true;
}

/* The height flow() takes for text at width w. */
static int flow_h(struct font *f, const struct layout *l, int w, const char *text, int scale, bool words)
{
	const char *s = text ? text : "";
	int lines = 0;

	do {
		size_t next;

		(void)font_fit(f, s, scale, w, words, &next);
		lines++;
		s += next;
	} while (*s);
	return lines * (FONT_HEIGHT * scale + gap(l));
}

/* A line of text at *y in box (wrapped at words), moving *y down; false when out of room. */
static bool line(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                 const char *text, uint32_t rgb, int scale)
{
	return flow(c, f, l, box, y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
}

/* Prose wrapped at words into box (not a field: may be cut with "…" at the bottom when deco). */
static void wrapped(struct canvas *c, struct font *f, const struct layout *l, struct rect box, const char *text,
                    uint32_t rgb, bool deco)
{
	int y = box.y;

	flow(c, f, l, box, &y, text, rgb, 1, SCREEN_FIELD_TEXT, deco, true);
}

/* The title bar; right_w pixels at its right end are left for a page number. */
static void header_w(struct canvas *c, struct font *f, struct layout *l, const char *title, int right_w)
{
	int y = (l->head_h - FONT_HEIGHT * l->big) / 2;

	l->title = title;
	canvas_fill_rect(c, (struct rect){0, 0, l->w, l->head_h}, C_HEAD);
	put(c, f, l, (struct rect){l->m, 0, l->w - 2 * l->m - right_w, l->head_h}, l->m, y, title ? title : "",
	    0xffffff, l->big, SCREEN_FIELD_TEXT, true);
}

static void header(struct canvas *c, struct font *f, struct layout *l, const char *title)
{
	header_w(c, f, l, title, 0);
}

static void footer(struct canvas *c, struct font *f, const struct layout *l, enum site_lang lang)
{
	if (!l->foot_h)
		return;
	canvas_fill_rect(c, (struct rect){0, l->h - l->foot_h, l->w, l->foot_h}, C_BANNER);
	put(c, f, l, (struct rect){l->m, l->h - l->foot_h, l->w - 2 * l->m, l->foot_h}, l->m,
	    l->h - l->foot_h + (l->foot_h - FONT_HEIGHT) / 2, str_get(STR_OFFLINE_BANNER, lang), C_INK, 1,
	    SCREEN_FIELD_TEXT, true);
}

static void centered(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int y,
                     const char *text, uint32_t rgb, int scale)
{
	int w = font_text_width(f, text, scale);

	if (w > box.w && scale > 1) {
		/* Too wide at this size: wrapped, at the size it fits. */
		struct rect r = {box.x, y, box.w, box.y + box.h - y};

		while (scale > 1 && font_text_width(f, text, scale) > box.w)
			scale--;
		flow(c, f, l, r, &y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
		return;
	}
	if (w > box.w) {
		struct rect r = {box.x, y, box.w, box.y + box.h - y};

		flow(c, f, l, r, &y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
		return;
	}
	put(c, f, l, (struct rect){box.x, 0, box.w, l->h}, box.x + (box.w - w) / 2, y, text, rgb, scale,
	    SCREEN_FIELD_TEXT, false);
}

static void mmss(char *buf, size_t n, const char *label, int secs)
{
	if (secs < 0)
		secs = 0;
	snprintf(buf, n, "%s %d:%02d", label, secs / 60, secs % 60);
}

/*
 * A piece of a screen that is kept whole: a label with its value ("Memo:
 * KP-7QK3M2XD" on one line where it fits, else the label above the value,
 * the value wrapped anywhere so nothing of it is lost), or a text.
 */
struct item {
	const char *label;              /* NULL: text only */
	const char *value;
	enum screen_field field;
	uint32_t rgb;
	int scale;
	bool deco;
};

static bool item_one_line(struct font *f, int w, const struct item *it)
{
	char lab[96];

	snprintf(lab, sizeof(lab), "%s: ", it->label);
	return font_text_width(f, lab, 1) + font_text_width(f, it->value ? it->value : "", it->scale) <= w;
}

static int item_h(struct font *f, const struct layout *l, int w, const struct item *it)
{
	if (!it->label)
		return flow_h(f, l, w, it->value, it->scale, it->field == SCREEN_FIELD_TEXT);
	if (item_one_line(f, w, it))
		return FONT_HEIGHT * it->scale + gap(l);
	return flow_h(f, l, w, it->label, 1, true) + flow_h(f, l, w, it->value, it->scale, false);
}

static bool item_draw(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                      const struct item *it)
{
	char lab[96];
	bool words = it->field == SCREEN_FIELD_TEXT;

	if (!it->label)
		return flow(c, f, l, box, y, it->value, it->rgb, it->scale, it->field, it->deco, words);
	if (item_one_line(f, box.w, it)) {
		int lh = FONT_HEIGHT * it->scale, ly = *y + lh - FONT_HEIGHT, lw;

		snprintf(lab, sizeof(lab), "%s: ", it->label);
		if (*y + lh > box.y + box.h) {
			put(c, f, l, box, box.x, *y, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false);
			put(c, f, l, box, box.x, *y, it->value ? it->value : "", it->rgb, it->scale, it->field, false);
			return false;
		}
		lw = put(c, f, l, box, box.x, ly, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false);
		put(c, f, l, box, box.x + lw, *y, it->value ? it->value : "", it->rgb, it->scale, it->field, false);
		*y += lh + gap(l);
		return true;
	}
	snprintf(lab, sizeof(lab), "%s:", it->label);
	return flow(c, f, l, box, y, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false, true) &
	       flow(c, f, l, box, y, it->value, it->rgb, it->scale, it->field, false, false);
}

/*
 * items in box, each whole; where they do not all fit, in pages of whole
 * items, the page seconds_left / SCREEN_PAGE_S picks, "2/3" in the header's
 * right end. Returns the number of pages.
 */
static unsigned paged(struct canvas *c, struct font *f, struct layout *l, struct rect box,
                      const struct item *it, unsigned n, int seconds_left)
{
	unsigned first[16], pages = 0, page, nx = 0;
	bool alone[16] = {false};
	int used = box.h + 1, y = box.y;
	struct item ex[24];
	char lines[24][160];

	/* A text taller than a page goes on, line by line, over the next pages. */
	for (unsigned i = 0; i < n && nx < ARRAY_SIZE(ex); i++) {
		const char *v = it[i].value ? it[i].value : "";

		if (it[i].label || item_h(f, l, box.w, &it[i]) <= box.h) {
			ex[nx++] = it[i];
			continue;
		}
		do {
			size_t next, k = font_fit(f, v, it[i].scale, box.w, true, &next);

			snprintf(lines[nx], sizeof(lines[nx]), "%.*s", (int)k, v);
			ex[nx] = it[i];
			ex[nx].value = lines[nx];
			nx++;
			v += next;
		} while (*v && nx < ARRAY_SIZE(ex));
	}
	it = ex;
	n = nx;
	for (unsigned i = 0; i < n && pages < 16; i++) {
		int h = item_h(f, l, box.w, &it[i]);
		bool own = h > box.h && it[i].label;

		if (own || used + h > box.h || (pages && alone[pages - 1])) {
			/* A field too tall for a page with its label has a page of its
			 * own, its label in the title row. */
			alone[pages] = own;
			first[pages++] = i;
			used = 0;
		}
		used += h;
	}
	if (!pages)
		return 0;
	page = (unsigned)(seconds_left < 0 ? 0 : seconds_left / SCREEN_PAGE_S) % pages;
	if (pages > 1 || alone[page]) {
		char ind[16] = "";
		int w;

		if (pages > 1)
			snprintf(ind, sizeof(ind), " %u/%u", page + 1, pages);
		w = font_text_width(f, ind, 1);
		header_w(c, f, l, alone[page] ? it[first[page]].label : l->title, w);
		put(c, f, l, (struct rect){l->w - w - l->m, 0, w, l->head_h}, l->w - w - l->m,
		    (l->head_h - FONT_HEIGHT) / 2, ind, 0xffffff, 1, SCREEN_FIELD_TEXT, true);
	}
	if (l->rep) {
		l->rep->page = page;
		l->rep->pages = pages;
	}
	if (alone[page]) {
		const struct item *o = &it[first[page]];

		flow(c, f, l, box, &y, o->value, o->rgb, o->scale, o->field, false, false);
		return pages;
	}
	for (unsigned i = first[page]; i < n && (page + 1 == pages || i < first[page + 1]); i++)
		item_draw(c, f, l, box, &y, &it[i]);
	return pages;
}

static int items_h(struct font *f, const struct layout *l, int w, const struct item *it, unsigned n)
{
	int h = 0;

	for (unsigned i = 0; i < n; i++)
		h += item_h(f, l, w, &it[i]);
	return h;
}

/*
 * The QR of uri in the body, left on landscape panels and on top otherwise
 * (at most side px); *text is the room left beside or below it. KERR_TOO_BIG
 * when no scannable QR fits.
 */
static enum kerr qr_block(struct canvas *c, const struct layout *l, const char *uri, enum qr_ecc ecc,
                          bool landscape, int side, struct rect *text)
{
	struct qr *q = NULL;
	struct rect drawn;
	enum kerr err;

	err = uri ? qr_encode(uri, strlen(uri), ecc, &q) : KERR_INVAL;
	if (err)
		return err;
	if (side > 0)
		err = qr_draw(q, c, landscape ? l->body.x : l->body.x + (l->body.w - side) / 2, l->body.y, side,
		              C_INK, C_BG, &drawn);
	else
		err = KERR_TOO_BIG;
	qr_free(q);
	if (err)
		return err;
	if (l->rep)
		l->rep->qr = true;
	if (landscape)
		*text = (struct rect){drawn.x + drawn.w + l->m, l->body.y,
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
static enum kerr pay_screen(struct canvas *c, struct font *f, struct layout *l, const struct screen_model *m,
                            bool underpaid, const char *title)
{
	bool landscape = l->body.w > l->body.h * 4 / 3;
	enum site_lang lang = m->lang;
	char left[64], order[64];
	struct item must[5], pre[2], post[2];
	unsigned nmust = 0, npre = 0, npost = 0;
	struct rect text;
	int y, side, amount_scale = 1;
	enum kerr err;

	mmss(left, sizeof(left), str_get(STR_PAY_TIME_LEFT, lang), m->seconds_left);
	snprintf(order, sizeof(order), "%s", m->order_id ? m->order_id : "");
	if (underpaid)
		must[nmust++] = (struct item){str_get(STR_UNDERPAID_DUE, lang), m->still_due ? m->still_due : "",
		                              SCREEN_FIELD_STILL_DUE, C_WARN, 1, false};
	else
		must[nmust++] = (struct item){str_get(STR_PAY_AMOUNT, lang), m->amount ? m->amount : "",
		                              SCREEN_FIELD_AMOUNT, C_INK, 1, false};
	must[nmust++] = (struct item){str_get(STR_PAY_MEMO, lang), m->memo ? m->memo : "", SCREEN_FIELD_MEMO, C_INK, 1,
	                              false};
	must[nmust++] = (struct item){str_get(STR_PAY_TO, lang), m->pay_to ? m->pay_to : "", SCREEN_FIELD_PAY_TO,
	                              C_INK, 1, false};
	if (!underpaid)
		must[nmust++] = (struct item){NULL, left, SCREEN_FIELD_TEXT, C_INK, 1, false};
	pre[npre++] = (struct item){str_get(STR_ORDER, lang), order, SCREEN_FIELD_ORDER_ID, C_MUTED, 1, false};
	if (m->items && !underpaid)
		pre[npre++] = (struct item){NULL, m->items, SCREEN_FIELD_TEXT, C_INK, 1, true};
	post[npost++] = (struct item){NULL, str_get(STR_PAY_SCAN_WITH, lang), SCREEN_FIELD_TEXT, C_MUTED, 1, false};
	if (m->wallet_hint && !underpaid)
		post[npost++] = (struct item){NULL, m->wallet_hint, SCREEN_FIELD_TEXT, C_MUTED, 1, true};

	header(c, f, l, title);
	err = KERR_TOO_BIG;
	if (m->uri) {
		/* Stacked: the QR takes what the must-show text below leaves. */
		side = qr_side(l, landscape, landscape ? 0 : items_h(f, l, l->body.w, must, nmust));
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
		if (!err && items_h(f, l, text.w, must, nmust) > text.h) {
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
		struct rect box = l->h < 100 ? (struct rect){0, l->head_h, l->w, l->h - l->head_h - l->foot_h} : l->body;

		for (unsigned i = 0; i < nmust; i++)
			all[n++] = must[i];
		if (l->h >= 100 && !underpaid)
			all[n++] = (struct item){NULL, str_get(STR_PAY_NO_QR, lang), SCREEN_FIELD_TEXT, C_WARN, 1, false};
		all[n++] = (struct item){NULL, str_get(STR_PAY_BY_HAND, lang), SCREEN_FIELD_TEXT, C_INK, 1, false};
		if (l->h >= 100 && items_h(f, l, box.w, all, n) + items_h(f, l, box.w, pre, 1) <= box.h) {
			y = box.y;
			item_draw(c, f, l, box, &y, &pre[0]);
			box.h -= y - box.y;
			box.y = y;
		}
		paged(c, f, l, box, all, n, m->seconds_left);
		return underpaid ? KERR_OK : KERR_TOO_BIG;
	}
	/* Beside a QR: the amount large where the column has room for it. */
	if (landscape && l->big > 1) {
		must[0].scale = l->big;
		if (items_h(f, l, text.w, must, nmust) > text.h || !item_one_line(f, text.w, &must[0]))
			must[0].scale = amount_scale;
	}
	y = text.y;
	{
		int room = text.h - items_h(f, l, text.w, must, nmust);

		for (unsigned i = 0; i < npre && landscape; i++) {
			int h = item_h(f, l, text.w, &pre[i]);

			if (h > room)
				break;
			item_draw(c, f, l, text, &y, &pre[i]);
			room -= h;
		}
		for (unsigned i = 0; i < nmust; i++)
			item_draw(c, f, l, text, &y, &must[i]);
		for (unsigned i = 0; i < npost; i++) {
			if (item_h(f, l, text.w, &post[i]) > text.y + text.h - y)
				break;
			item_draw(c, f, l, text, &y, &post[i]);
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
	enum kerr err = qr_block(c, l, m->uri, m->ecc, landscape, qr_side(l, landscape, 3 * FONT_HEIGHT), &text);
	int y;

	if (err) {
		struct rect box = l->h < 100 ? (struct rect){l->m, l->head_h, l->w - 2 * l->m, l->h - l->head_h - l->foot_h}
		                             : l->body;

		y = box.y;
		line(c, f, l, box, &y, m->staff_name ? m->staff_name : "", C_INK, 1);
		line(c, f, l, box, &y, str_get(STR_PAY_NO_QR, m->lang), C_WARN, 1);
		return KERR_TOO_BIG;
	}
	y = text.y;
	line(c, f, l, text, &y, m->staff_name ? m->staff_name : "", C_INK, landscape ? l->big : 1);
	/* Below a QR there is room for the name and how to close; beside it, the hint too. */
	if (landscape) {
		int close_h = flow_h(f, l, text.w, str_get(STR_STAFF_ENROL_CLOSE, m->lang), 1, true);

		wrapped(c, f, l, (struct rect){text.x, y, text.w, text.y + text.h - y - close_h},
		        str_get(STR_STAFF_ENROL_SCAN, m->lang), C_INK, true);
		y = text.y + text.h - close_h;
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
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", i < m->code_digits ? "●" : "_",
		                      spaced ? " " : "");
}

/*
 * A paid order's pickup code: which order, the digits typed as dots, and
 * what to do (or what went wrong). Never the member, the items or the code.
 */
static void pickup_code(struct canvas *c, struct font *f, struct layout *l, const struct screen_model *m)
{
	char buf[256], dots[96];
	int y = l->body.y;
	bool tiny = l->h < 100;

	snprintf(buf, sizeof(buf), "%s %s", str_get(STR_ORDER, m->lang), m->order_id ? m->order_id : "");
	/* A tiny panel has two lines below the title: the order goes in it. */
	if (tiny)
		header(c, f, l, buf);
	else
		line(c, f, l, l->body, &y, buf, C_INK, 1);
	code_dots(dots, sizeof(dots), m, !tiny && l->w >= 240);
	line(c, f, l, l->body, &y, dots, C_INK, font_text_width(f, dots, l->big) <= l->body.w ? l->big : 1);
	if (tiny) {
		font_draw_wrapped(f, c, (struct rect){l->body.x, y, l->body.w, l->h - y},
		                  m->error ? m->error : str_get(STR_PICKUP_SHORT_HINT, m->lang),
		                  m->error ? C_WARN : C_MUTED, 1);
		return;
	}
	font_draw_wrapped(f, c, (struct rect){l->body.x, y, l->body.w, l->body.y + l->body.h - y},
	                  m->error ? m->error : str_get(STR_PICKUP_HINT, m->lang), m->error ? C_WARN : C_MUTED, 1);
}

/* Wrong asset or expired: what came in, what is due, and what to do. */
static void not_paid(struct canvas *c, struct font *f, struct layout *l, const struct screen_model *m)
{
	enum site_lang lang = m->lang;
	struct item it[6];
	unsigned n = 0;
	struct rect box = l->h < 100 ? (struct rect){0, l->head_h, l->w, l->h - l->head_h - l->foot_h} : l->body;

	it[n++] = (struct item){str_get(STR_ORDER, lang), m->order_id ? m->order_id : "", SCREEN_FIELD_ORDER_ID, C_INK,
	                        1, false};
	if (m->id == SCREEN_WRONG_ASSET) {
		if (m->received)
			it[n++] = (struct item){str_get(STR_WRONG_ASSET_GOT, lang), m->received, SCREEN_FIELD_RECEIVED,
			                        C_WARN, 1, false};
		if (m->amount)
			it[n++] = (struct item){str_get(STR_WRONG_ASSET_DUE, lang), m->amount, SCREEN_FIELD_AMOUNT, C_INK, 1,
			                        false};
		it[n++] = (struct item){NULL, str_get(STR_WRONG_ASSET_NEXT, lang), SCREEN_FIELD_TEXT, C_WARN, 1, false};
		if (m->refund_recorded)
			it[n++] = (struct item){NULL, str_get(STR_WRONG_ASSET_REFUND, lang), SCREEN_FIELD_TEXT, C_INK, 1,
			                        false};
	} else {
		it[n++] = (struct item){NULL, str_get(STR_SEE_STAFF, lang), SCREEN_FIELD_TEXT, C_WARN, l->big, false};
		if (items_h(f, l, box.w, it, n) > box.h)
			it[n - 1].scale = 1;
	}
	paged(c, f, l, box, it, n, m->seconds_left);
}

enum kerr screen_draw(struct canvas *c, struct font *f, const struct screen_model *m)
{
	return screen_draw_report(c, f, m, NULL);
}

enum kerr screen_draw_report(struct canvas *c, struct font *f, const struct screen_model *m,
                             struct screen_report *rep)
{
	struct layout l = layout_for(c, m->offline);
	enum site_lang lang = m->lang;
	char buf[256];
	enum kerr err = KERR_OK;
	int y = l.body.y, mid = l.body.y + l.body.h / 3;
	/* A 128x64 panel: every row below the title. */
	struct rect tight = l.h < 100 ? (struct rect){l.m, l.head_h, l.w - 2 * l.m, l.h - l.head_h - l.foot_h} : l.body;

	if (rep)
		memset(rep, 0, sizeof(*rep));
	l.rep = rep;
	canvas_fill(c, C_BG);
	switch (m->id) {
	case SCREEN_IDLE: {
		int bottom_h;

		header(c, f, &l, m->coop_name);
		/* The order picked with the buttons or typed so far, else how many wait. */
		if (m->order_id)
			snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang), m->order_id,
			         m->amount ? m->amount : "");
		else
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_ORDERS_READY, lang), m->orders_ready);
		bottom_h = flow_h(f, &l, l.body.w, buf, 1, true);
		line(c, f, &l, l.body, &y, str_get(STR_IDLE_TITLE, lang), C_INK, l.big);
		wrapped(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y - bottom_h},
		        str_get(STR_IDLE_HINT, lang), C_INK, true);
		y = l.body.y + l.body.h - bottom_h + gap(&l);
		line(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.h - l.foot_h - y}, &y, buf, C_MUTED, 1);
		break;
	}
	case SCREEN_PAYMENT:
		err = pay_screen(c, f, &l, m, false, str_get(STR_PAY_TITLE, lang));
		break;
	case SCREEN_CONFIRMING:
		header(c, f, &l, str_get(STR_CONFIRMING_TITLE, lang));
		y = tight.y;
		flow(c, f, &l, tight, &y, m->amount ? m->amount : "", C_INK,
		     font_text_width(f, m->amount ? m->amount : "", l.big) <= l.body.w ? l.big : 1, SCREEN_FIELD_AMOUNT,
		     false, false);
		snprintf(buf, sizeof(buf), "%s %u / %u", str_get(STR_CONFIRMING_PROGRESS, lang), m->conf_have,
		         m->conf_need);
		line(c, f, &l, tight, &y, buf, C_INK, 1);
		if (y + 12 <= l.body.y + l.body.h)
			progress(c, (struct rect){l.body.x, y, l.body.w, l.h >= 200 ? 24 : 8}, m->conf_have,
			         m->conf_need);
		break;
	case SCREEN_PAID_LOCKER:
		header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		subst_u(buf, sizeof(buf), str_get(STR_PAID_LOCKER, lang), m->compartment);
		if (l.h < 100) {
			/* No room for the big number too: the sentence holds it. */
			y = tight.y;
			line(c, f, &l, tight, &y, buf, C_ACCENT, 1);
			break;
		}
		snprintf(buf, sizeof(buf), "%u", m->compartment);
		centered(c, f, &l, l.body, l.h >= 200 ? mid - FONT_HEIGHT : y, buf, C_ACCENT,
		         l.h >= 200 ? 4 * l.big : 2);
		subst_u(buf, sizeof(buf), str_get(STR_PAID_LOCKER, lang), m->compartment);
		y = l.h >= 200 ? mid + 3 * FONT_HEIGHT * l.big : y + 2 * FONT_HEIGHT;
		centered(c, f, &l, l.body, y, buf, C_INK, l.big);
		break;
	case SCREEN_PAID_RECEIPT:
		header(c, f, &l, str_get(STR_PAID_TITLE, lang));
		centered(c, f, &l, tight, l.h < 100 ? tight.y : mid, str_get(STR_PAID_RECEIPT, lang), C_ACCENT, l.big);
		break;
	case SCREEN_UNDERPAID:
		(void)pay_screen(c, f, &l, m, true, str_get(STR_UNDERPAID_TITLE, lang));
		break;
	case SCREEN_WRONG_ASSET:
	case SCREEN_EXPIRED:
		header(c, f, &l,
		       str_get(m->id == SCREEN_EXPIRED ? STR_EXPIRED_TITLE : STR_WRONG_ASSET_TITLE, lang));
		not_paid(c, f, &l, m);
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
		wrapped(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		        m->error ? m->error : str_get(STR_STAFF_CODE_HINT, lang), m->error ? C_WARN : C_MUTED, !m->error);
		break;
	}
	case SCREEN_STAFF_MENU:
	case SCREEN_STAFF_WAIVE:
		if (l.h < 100) {
			/* A tiny panel: the order in the title, the keys in three lines. */
			snprintf(buf, sizeof(buf), "%s %s",
			         str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_SHORT : STR_STAFF_WAIVE_SHORT_TITLE, lang),
			         m->order_id ? m->order_id : "-");
			header(c, f, &l, buf);
			/* Every row below the title: three lines exactly. */
			wrapped(c, f, &l, (struct rect){l.m, l.head_h, l.w - 2 * l.m, l.h - l.head_h},
			        m->error ? m->error
			                 : str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_SHORT : STR_STAFF_WAIVE_SHORT,
			                           lang),
			        m->error ? C_WARN : C_INK, false);
			break;
		}
		header(c, f, &l, str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_TITLE : STR_STAFF_WAIVE_TITLE,
		                         lang));
		/* Which order the keys act on, so staff never confirm the wrong one. */
		snprintf(buf, sizeof(buf), "%s: %s %s", str_get(STR_ORDER, lang), m->order_id ? m->order_id : "-",
		         m->amount ? m->amount : "");
		line(c, f, &l, l.body, &y, buf, C_INK, 1);
		if (m->id == SCREEN_STAFF_MENU) {
			snprintf(buf, sizeof(buf), "%s: %u", str_get(STR_STAFF_FLAGGED, lang), m->flagged);
			line(c, f, &l, l.body, &y, buf, m->flagged ? C_WARN : C_INK, 1);
		}
		if (m->error)
			line(c, f, &l, l.body, &y, m->error, C_WARN, 1);
		wrapped(c, f, &l, (struct rect){l.body.x, y, l.body.w, l.body.y + l.body.h - y},
		        str_get(m->id == SCREEN_STAFF_MENU ? STR_STAFF_MENU_ITEMS : STR_STAFF_WAIVE_ITEMS, lang), C_INK,
		        false);
		break;
	case SCREEN_STAFF_ENROL:
		header(c, f, &l, str_get(STR_STAFF_ENROL_TITLE, lang));
		err = staff_enrol(c, f, &l, m);
		break;
	case SCREEN_ERROR:
	default:
		header(c, f, &l, str_get(STR_ERROR_TITLE, lang));
		wrapped(c, f, &l, tight, m->error ? m->error : "", C_WARN, false);
		break;
	}
	footer(c, f, &l, lang);
	return err;
}
