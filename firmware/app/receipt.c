#include "kiosk/receipt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/escpos.h"
#include "kiosk/qr.h"

#define LINE_H (FONT_HEIGHT + 4)
#define MARGIN 8

struct labels {
	const char *order, *items, *total, *payer, *trx, *time, *compartment, *receipt, *paid_by,
	    *thanks;
};

static const struct labels ko = {"주문", "품목",   "합계",   "결제자", "거래",
                                 "시각", "보관함", "영수증", "결제",   "감사합니다"};
static const struct labels en = {"Order", "Items",       "Total",   "Payer",   "Tx",
                                 "Time",  "Compartment", "Receipt", "Paid by", "Thank you"};

/* One drawing pass; with c NULL it only measures the height. */
static int layout(struct font *f, const struct receipt_data *r, unsigned width, struct canvas *c,
                  char *qr_text, size_t qr_cap)
{
	const struct labels *L = r->lang == SITE_LANG_EN ? &en : &ko;
	const struct order *o = r->order;
	int w = (int)width - 2 * MARGIN, y = MARGIN, qr_side = (int)width * 3 / 5;
	char buf[256], amount[ASSET_STR_MAX];
	time_t t = (time_t)(r->paid_at_ms / 1000) + (r->lang == SITE_LANG_KO ? 9 * 3600 : 0);
	struct tm tm;

#define TEXT(s, scale)                                                                             \
	do {                                                                                       \
		if (c)                                                                             \
			font_draw(f, c, MARGIN, y, (s), 0x000000, (scale), w);                     \
		y += LINE_H * (scale);                                                             \
	} while (0)
	TEXT(r->coop_name ? r->coop_name : "", 2);
	TEXT(L->receipt, 1);
	y += LINE_H / 2;
	snprintf(buf, sizeof(buf), "%s %s", L->order, o->id);
	TEXT(buf, 1);
	for (unsigned i = 0; i < o->item_count; i++) {
		if (asset_format(&o->items[i].unit_price, amount, sizeof(amount)))
			amount[0] = '\0';
		snprintf(buf, sizeof(buf), " %s ×%u  %s", o->items[i].name, o->items[i].quantity,
		         amount);
		TEXT(buf, 1);
	}
	if (asset_format(&o->price, amount, sizeof(amount)))
		amount[0] = '\0';
	snprintf(buf, sizeof(buf), "%s %s", L->total, amount);
	TEXT(buf, 2);
	snprintf(buf, sizeof(buf), "%s: %s", L->payer, r->payer ? r->payer : "");
	TEXT(buf, 1);
	snprintf(buf, sizeof(buf), "%s: %s", L->paid_by, r->how_paid ? r->how_paid : "chain");
	TEXT(buf, 1);
	if (r->trx_id && r->trx_id[0]) {
		snprintf(buf, sizeof(buf), "%s: %.20s", L->trx, r->trx_id);
		TEXT(buf, 1);
		snprintf(buf, sizeof(buf), "    %s",
		         r->trx_id + (strlen(r->trx_id) > 20 ? 20 : strlen(r->trx_id)));
		TEXT(buf, 1);
	}
	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%s: %04d-%02d-%02d %02d:%02d %s", L->time, tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	         r->lang == SITE_LANG_KO ? "KST" : "UTC");
	TEXT(buf, 1);
	if (o->pickup == ORDER_PICKUP_LOCKER) {
		snprintf(buf, sizeof(buf), "%s: %u", L->compartment, o->compartment);
		TEXT(buf, 1);
	}
	y += LINE_H / 2;
	if (qr_text && r->trx_id && r->trx_id[0] && r->explorer_url) {
		snprintf(qr_text, qr_cap, "%s%s", r->explorer_url, r->trx_id);
		if (c) {
			struct qr *q;

			/* A URL of ~100 bytes always fits 230+ dots at 2+ dots a module. */
			if (qr_encode(qr_text, strlen(qr_text), QR_ECC_M, &q) == KERR_OK) {
				if (qr_draw(q, c, ((int)width - qr_side) / 2, y, qr_side, 0x000000,
				            0xffffff, NULL) != KERR_OK)
					font_draw(f, c, MARGIN, y, qr_text, 0x000000, 1, w);
				qr_free(q);
			}
		}
		y += qr_side;
	}
	TEXT(L->thanks, 1);
#undef TEXT
	return y + MARGIN;
}

enum kerr receipt_draw(struct font *f, const struct receipt_data *r, unsigned width_dots,
                       struct canvas **out)
{
	char qr_text[512];
	int h;
	enum kerr err;

	*out = NULL;
	if (width_dots != 384 && width_dots != 576)
		return KERR_RANGE;
	h = layout(f, r, width_dots, NULL, qr_text, sizeof(qr_text));
	err = canvas_new(CANVAS_MONO1, (int)width_dots, h, out);
	if (err)
		return err;
	canvas_fill(*out, 0xffffff);
	layout(f, r, width_dots, *out, qr_text, sizeof(qr_text));
	return KERR_OK;
}

enum kerr receipt_encode(struct font *f, const struct receipt_data *r, unsigned width_dots,
                         bool native_qr, uint8_t *buf, size_t cap, size_t *len)
{
	struct receipt_data text_only = *r;
	struct canvas *c;
	struct escpos e;
	char url[512];
	enum kerr err;

	*len = 0;
	if (native_qr)
		text_only.explorer_url = NULL; /* the printer draws the QR itself */
	err = receipt_draw(f, &text_only, width_dots, &c);
	if (err)
		return err;
	escpos_init(&e, buf, cap, width_dots);
	escpos_initialize(&e);
	err = escpos_raster(&e, c);
	canvas_free(c);
	if (!err && native_qr && r->trx_id && r->trx_id[0] && r->explorer_url) {
		snprintf(url, sizeof(url), "%s%s", r->explorer_url, r->trx_id);
		escpos_align(&e, ESCPOS_CENTER);
		err = escpos_qr(&e, (const uint8_t *)url, strlen(url), 6, ESCPOS_QR_M);
		escpos_align(&e, ESCPOS_LEFT);
	}
	escpos_feed(&e, 3);
	escpos_cut(&e, true, 0);
	return err ? err : escpos_finish(&e, len);
}
