/*
 * What the screens share inside the ui layer: the layout of a panel and the
 * text helpers that draw into it and report what they drew (screen_text.c),
 * used by the screens themselves (screen.c).
 */
#ifndef KIOSK_SCREEN_PRIV_H
#define KIOSK_SCREEN_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/canvas.h"
#include "kiosk/font.h"
#include "kiosk/screen.h"
#include "kiosk/strings.h"

#define C_BG     0xffffff
#define C_INK    0x000000
#define C_HEAD   0x1f3a5f /* dark blue header, white text */
#define C_ACCENT 0x1b7f3b /* green: paid */
#define C_WARN   0xb3261e /* red: something is wrong */
#define C_BANNER 0xf2a900 /* amber: offline */
#define C_MUTED  0x555555

struct layout {
	int w, h, m;    /* panel, margin */
	int big, small; /* text scales */
	int head_h, foot_h;
	struct rect body;
	struct screen_report *rep; /* NULL: nobody asked */
	const char *title;         /* the header's, for a page number beside it */
};

struct item {
	const char *label; /* NULL: text only */
	const char *value;
	enum screen_field field;
	uint32_t rgb;
	int scale;
	bool deco;
};

struct layout sc_layout_for(const struct canvas *c, bool offline);
void sc_record(const struct layout *l, enum screen_field fld, bool deco, bool clipped, int x, int y,
               int w, int scale, const char *text);
int sc_put(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int x, int y,
           const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco);
int sc_gap(const struct layout *l);
bool sc_flow(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
             const char *text, uint32_t rgb, int scale, enum screen_field fld, bool deco,
             bool words);
int sc_flow_h(struct font *f, const struct layout *l, int w, const char *text, int scale,
              bool words);
bool sc_line(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
             const char *text, uint32_t rgb, int scale);
void sc_wrapped(struct canvas *c, struct font *f, const struct layout *l, struct rect box,
                const char *text, uint32_t rgb, bool deco);
void sc_header_w(struct canvas *c, struct font *f, struct layout *l, const char *title,
                 int right_w);
void sc_header(struct canvas *c, struct font *f, struct layout *l, const char *title);
void sc_footer(struct canvas *c, struct font *f, const struct layout *l, enum site_lang lang);
void sc_centered(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int y,
                 const char *text, uint32_t rgb, int scale);
void sc_mmss(char *buf, size_t n, const char *label, int secs);
bool sc_item_one_line(struct font *f, int w, const struct item *it);
int sc_item_h(struct font *f, const struct layout *l, int w, const struct item *it);
bool sc_item_draw(struct canvas *c, struct font *f, const struct layout *l, struct rect box, int *y,
                  const struct item *it);
unsigned sc_paged(struct canvas *c, struct font *f, struct layout *l, struct rect box,
                  const struct item *it, unsigned n, int seconds_left);
int sc_items_h(struct font *f, const struct layout *l, int w, const struct item *it, unsigned n);

#endif
