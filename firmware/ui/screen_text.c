#include "screen_priv.h"

#include <stdio.h>
#include <string.h>

struct layout sc_layout_for(const struct canvas *c, bool offline)
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

void sc_record(const struct layout *l, enum screen_field fld, bool deco, bool clipped, int x, int y,
               int w, int scale, const char *text)
{
	struct screen_run *r;

	if (!l->rep)
		return;
	if (l->rep->n >= SCREEN_RUNS_MAX) {
		l->rep->overflow = true;
		return;
	}
	r = &l->rep->run[l->rep->n++];
	*r = (struct screen_run){.field = fld,
	                         .clipped = clipped,
	                         .decorative = deco,
	                         .x = x,
	                         .y = y,
	                         .w = w,
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
int sc_put(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int x, int y,
           const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco)
{
	int max_w = box.x + box.w - x, lh = FONT_HEIGHT * scale,
	    tw = font_text_width(f, text, scale), w = 0;
	bool vfit = y >= box.y && y + lh <= box.y + box.h && y + lh <= c->height;

	if (vfit && max_w > 0)
		w = font_draw(f, c, x, y, text, rgb, scale, max_w);
	sc_record(l, fld, deco, !vfit || tw > max_w, x, y, w, scale, text);
	return w;
}

int sc_gap(const struct layout *l)
{
	return l->h >= 200 ? l->m / 2 : 0;
}

/*
 * text from *y down in box, wrapped (at words, or anywhere for codes and
 * amounts, so no character is lost); *y moves below it. Out of room, a
 * decorative text ends in "…" on the last line; any other is reported
 * clipped. False if not all of it fitted.
 */
bool sc_flow(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
             const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco,
             bool words)
{
	int lh = FONT_HEIGHT * scale;
	const char *s = text ? text : "";
	char buf[SCREEN_RUN_TEXT_MAX * 2];

	do {
		size_t next, n = font_fit(f, s, scale, box.w, words, &next);
		bool last_room = *y + 2 * lh + sc_gap(l) > box.y + box.h;

		if (*y + lh > box.y + box.h) {
			sc_put(c, f, l, box, box.x, *y, s, rgb, scale, fld, deco);
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
			sc_put(c, f, l, box, box.x, *y, buf, rgb, scale, fld, deco);
			*y += lh + sc_gap(l);
			return false;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
		sc_put(c, f, l, box, box.x, *y, buf, rgb, scale, fld, deco);
		*y += lh + sc_gap(l);
		s += next;
	} while (*s);
	return true;
}

/* The height sc_flow() takes for text at width w. */
int sc_flow_h(struct font *f, const struct layout *l, int w, const char *text, int scale,
              bool words)
{
	const char *s = text ? text : "";
	int lines = 0;

	do {
		size_t next;

		(void)font_fit(f, s, scale, w, words, &next);
		lines++;
		s += next;
	} while (*s);
	return lines * (FONT_HEIGHT * scale + sc_gap(l));
}

/* A line of text at *y in box (wrapped at words), moving *y down; false when out of room. */
bool sc_line(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
             const char *text, uint32_t rgb, int scale)
{
	return sc_flow(c, f, l, box, y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
}

/* Prose wrapped at words into box (not a field: may be cut with "…" at the bottom when deco). */
void sc_wrapped(struct canvas *c, struct font *f, const struct layout *l, struct rect box,
                const char *text, uint32_t rgb, bool deco)
{
	int y = box.y;

	sc_flow(c, f, l, box, &y, text, rgb, 1, SCREEN_FIELD_TEXT, deco, true);
}

/* The title bar; right_w pixels at its right end are left for a page number. */
void sc_header_w(struct canvas *c, struct font *f, struct layout *l, const char *title, int right_w)
{
	int y = (l->head_h - FONT_HEIGHT * l->big) / 2;

	l->title = title;
	canvas_fill_rect(c, (struct rect){0, 0, l->w, l->head_h}, C_HEAD);
	sc_put(c, f, l, (struct rect){l->m, 0, l->w - 2 * l->m - right_w, l->head_h}, l->m, y,
	       title ? title : "", 0xffffff, l->big, SCREEN_FIELD_TEXT, true);
}

void sc_header(struct canvas *c, struct font *f, struct layout *l, const char *title)
{
	sc_header_w(c, f, l, title, 0);
}

void sc_footer(struct canvas *c, struct font *f, const struct layout *l, enum site_lang lang)
{
	if (!l->foot_h)
		return;
	canvas_fill_rect(c, (struct rect){0, l->h - l->foot_h, l->w, l->foot_h}, C_BANNER);
	sc_put(c, f, l, (struct rect){l->m, l->h - l->foot_h, l->w - 2 * l->m, l->foot_h}, l->m,
	       l->h - l->foot_h + (l->foot_h - FONT_HEIGHT) / 2, str_get(STR_OFFLINE_BANNER, lang),
	       C_INK, 1, SCREEN_FIELD_TEXT, true);
}

void sc_centered(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int y,
                 const char *text, uint32_t rgb, int scale)
{
	int w = font_text_width(f, text, scale);

	if (w > box.w && scale > 1) {
		/* Too wide at this size: wrapped, at the size it fits. */
		struct rect r = {box.x, y, box.w, box.y + box.h - y};

		while (scale > 1 && font_text_width(f, text, scale) > box.w)
			scale--;
		sc_flow(c, f, l, r, &y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
		return;
	}
	if (w > box.w) {
		struct rect r = {box.x, y, box.w, box.y + box.h - y};

		sc_flow(c, f, l, r, &y, text, rgb, scale, SCREEN_FIELD_TEXT, false, true);
		return;
	}
	sc_put(c, f, l, (struct rect){box.x, 0, box.w, l->h}, box.x + (box.w - w) / 2, y, text, rgb,
	       scale, SCREEN_FIELD_TEXT, false);
}

void sc_mmss(char *buf, size_t n, const char *label, int secs)
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

bool sc_item_one_line(struct font *f, int w, const struct item *it)
{
	char lab[96];

	snprintf(lab, sizeof(lab), "%s: ", it->label);
	return font_text_width(f, lab, 1) +
	           font_text_width(f, it->value ? it->value : "", it->scale) <=
	       w;
}

int sc_item_h(struct font *f, const struct layout *l, int w, const struct item *it)
{
	if (!it->label)
		return sc_flow_h(f, l, w, it->value, it->scale, it->field == SCREEN_FIELD_TEXT);
	if (sc_item_one_line(f, w, it))
		return FONT_HEIGHT * it->scale + sc_gap(l);
	return sc_flow_h(f, l, w, it->label, 1, true) +
	       sc_flow_h(f, l, w, it->value, it->scale, false);
}

bool sc_item_draw(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                  const struct item *it)
{
	char lab[96];
	bool words = it->field == SCREEN_FIELD_TEXT;

	if (!it->label)
		return sc_flow(c, f, l, box, y, it->value, it->rgb, it->scale, it->field, it->deco,
		               words);
	if (sc_item_one_line(f, box.w, it)) {
		int lh = FONT_HEIGHT * it->scale, ly = *y + lh - FONT_HEIGHT, lw;

		snprintf(lab, sizeof(lab), "%s: ", it->label);
		if (*y + lh > box.y + box.h) {
			sc_put(c, f, l, box, box.x, *y, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false);
			sc_put(c, f, l, box, box.x, *y, it->value ? it->value : "", it->rgb,
			       it->scale, it->field, false);
			return false;
		}
		lw = sc_put(c, f, l, box, box.x, ly, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false);
		sc_put(c, f, l, box, box.x + lw, *y, it->value ? it->value : "", it->rgb, it->scale,
		       it->field, false);
		*y += lh + sc_gap(l);
		return true;
	}
	snprintf(lab, sizeof(lab), "%s:", it->label);
	{
		/* Both drawn, even when the label ran out of room: the value is reported. */
		bool label_fits =
		    sc_flow(c, f, l, box, y, lab, C_MUTED, 1, SCREEN_FIELD_TEXT, false, true);
		bool value_fits = sc_flow(c, f, l, box, y, it->value, it->rgb, it->scale, it->field,
		                          false, false);

		return label_fits && value_fits;
	}
}

/*
 * items in box, each whole; where they do not all fit, in pages of whole
 * items, the page seconds_left / SCREEN_PAGE_S picks, "2/3" in the header's
 * right end. Returns the number of pages.
 */
unsigned sc_paged(struct canvas *c, struct font *f, struct layout *l, struct rect box,
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

		if (it[i].label || sc_item_h(f, l, box.w, &it[i]) <= box.h) {
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
		int h = sc_item_h(f, l, box.w, &it[i]);
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
		sc_header_w(c, f, l, alone[page] ? it[first[page]].label : l->title, w);
		sc_put(c, f, l, (struct rect){l->w - w - l->m, 0, w, l->head_h}, l->w - w - l->m,
		       (l->head_h - FONT_HEIGHT) / 2, ind, 0xffffff, 1, SCREEN_FIELD_TEXT, true);
	}
	if (l->rep) {
		l->rep->page = page;
		l->rep->pages = pages;
	}
	if (alone[page]) {
		const struct item *o = &it[first[page]];

		sc_flow(c, f, l, box, &y, o->value, o->rgb, o->scale, o->field, false, false);
		return pages;
	}
	for (unsigned i = first[page]; i < n && (page + 1 == pages || i < first[page + 1]); i++)
		sc_item_draw(c, f, l, box, &y, &it[i]);
	return pages;
}

int sc_items_h(struct font *f, const struct layout *l, int w, const struct item *it, unsigned n)
{
	int h = 0;

	for (unsigned i = 0; i < n; i++)
		h += sc_item_h(f, l, w, &it[i]);
	return h;
}

/*
 * The QR of uri in the body, left on landscape panels and on top otherwise
 * (at most side px); *text is the room left beside or below it. KERR_TOO_BIG
 * when no scannable QR fits.
 */
