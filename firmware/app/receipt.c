#include "kiosk/receipt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/escpos.h"
#include "kiosk/pay_method.h"
#include "kiosk/qr.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/timefmt.h"

#define LINE_H (FONT_HEIGHT + 4)
#define MARGIN 8

struct labels {
	const char *order, *total, *payer, *trx, *paid_at, *printed_at, *compartment, *receipt,
	    *paid_by, *thanks;
	/* How it was paid (receipt_data.how_paid), in the reader's language. */
	const char *chain, *cash, *bank, *waived, *staff;
	/* A won-priced order: the asset paid, the rate locked and its time. */
	const char *paid, *rate, *rate_at;
};

static const struct labels ko = {"주문",      "합계",   "결제자",   "거래",      "결제 시각",
                                 "인쇄 시각", "보관함", "영수증",   "결제 방법", "감사합니다",
                                 "체인 송금", "현금",   "계좌이체", "면제",      "직원 확인",
                                 "결제 금액", "환율",   "환율 시각"};
static const struct labels en = {
    "Order",          "Total",       "Payer",         "Tx",      "Paid at",
    "Printed at",     "Compartment", "Receipt",       "Paid by", "Thank you",
    "chain transfer", "cash",        "bank transfer", "waived",  "confirmed by staff",
    "Paid",           "Rate",        "Rate at"};

static const char *method_name(const struct labels *L, const char *how)
{
	static const struct {
		const char *key;
		size_t off;
	} map[] = {
	    {"chain", offsetof(struct labels, chain)},  {"cash", offsetof(struct labels, cash)},
	    {"bank", offsetof(struct labels, bank)},    {"waived", offsetof(struct labels, waived)},
	    {"waive", offsetof(struct labels, waived)}, {"staff", offsetof(struct labels, staff)},
	};

	if (!how || !how[0])
		how = "chain";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(how, map[i].key) == 0)
			return *(const char *const *)((const char *)L + map[i].off);
	return how;
}

/* qty × unit price, exactly; KERR_OVERFLOW past int64. */
static enum kerr line_total(const struct order_item *it, struct asset *out)
{
	*out = it->unit_price;
	if (__builtin_mul_overflow(it->unit_price.amount, (int64_t)it->quantity, &out->amount))
		return KERR_OVERFLOW;
	return KERR_OK;
}

/* The native QR's module size: RECEIPT_NATIVE_QR_MODULE, smaller only if the symbol would not fit.
 */
static int native_module(const struct qr *q, unsigned width)
{
	int m = RECEIPT_NATIVE_QR_MODULE;

	while (m > 1 && (q->width + 2 * QR_QUIET) * m > (int)width)
		m--;
	return m;
}

struct pass {
	struct font *f;
	struct canvas *c; /* NULL: measure only */
	int w, y;
};

/* Text wrapped at words within the margins; never cut. */
static void text(struct pass *p, const char *s, int scale)
{
	do {
		size_t next, n = font_fit(p->f, s, scale, p->w, true, &next);
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		if (p->c)
			font_draw(p->f, p->c, MARGIN, p->y, line, 0x000000, scale, p->w);
		p->y += LINE_H * scale;
		s += next;
	} while (*s);
}

/* left, and right flush with the right margin: on one line when both fit, else right on the next.
 */
static void text_lr(struct pass *p, const char *left, const char *right)
{
	int rw = font_text_width(p->f, right, 1);

	if (font_text_width(p->f, left, 1) + 16 + rw > p->w)
		text(p, left, 1);
	else if (p->c)
		font_draw(p->f, p->c, MARGIN, p->y, left, 0x000000, 1, p->w);
	if (p->c)
		font_draw(p->f, p->c, MARGIN + (rw < p->w ? p->w - rw : 0), p->y, right, 0x000000,
		          1, p->w);
	p->y += LINE_H;
}

static void won_lines(struct pass *p, const struct labels *L, const struct receipt_data *r,
                      const struct order *o)
{
	char buf[160], amount[ASSET_STR_MAX], rate[RATE_TEXT_MAX + 1], when[TIMEFMT_MAX];

	if (r->paid.symbol[0] && asset_format(&r->paid, amount, sizeof(amount)) == KERR_OK) {
		snprintf(buf, sizeof(buf), "%s: %s", L->paid, amount);
		text(p, buf, 1);
	}
	if (rate_format(&r->won_lock->rate, rate, sizeof(rate)) == KERR_OK) {
		snprintf(buf, sizeof(buf), "%s: %s KRW/%s (%s)", L->rate, rate,
		         r->paid.symbol[0] ? r->paid.symbol : o->price.symbol, r->won_lock->source);
		text(p, buf, 1);
	}
	timefmt_minutes(r->won_lock->rate_ms, when, sizeof(when));
	snprintf(buf, sizeof(buf), "%s: %s", L->rate_at, when);
	text(p, buf, 1);
}

/*
 * One drawing pass; with c NULL it only measures. With native_qr the QR
 * area is the printer's own symbol (module size and position as escpos
 * prints it): *qr_y and *qr_h say which rows it takes, so the encoder can
 * send the rows above and below as raster. Returns the height, or -1 with
 * *err set.
 */
static int layout(struct font *f, const struct receipt_data *r, unsigned width, struct canvas *c,
                  bool native_qr, int *qr_y, int *qr_h, enum kerr *err)
{
	const struct labels *L = r->lang == SITE_LANG_EN ? &en : &ko;
	const struct order *o = r->order;
	struct pass p = {.f = f, .c = c, .w = (int)width - 2 * MARGIN, .y = MARGIN};
	char buf[320], amount[ASSET_STR_MAX], when[TIMEFMT_MAX];

	*qr_y = *qr_h = 0;
	*err = KERR_OK;
	text(&p, r->coop_name ? r->coop_name : "", 2);
	text(&p, L->receipt, 1);
	p.y += LINE_H / 2;
	snprintf(buf, sizeof(buf), "%s %s", L->order, o->id);
	text(&p, buf, 1);
	for (unsigned i = 0; i < o->item_count; i++) {
		struct asset total;

		*err = line_total(&o->items[i], &total);
		if (!*err)
			*err = asset_format(&total, amount, sizeof(amount));
		if (*err)
			return -1;
		snprintf(buf, sizeof(buf), " %s ×%u", o->items[i].name, o->items[i].quantity);
		text_lr(&p, buf, amount);
	}
	if (asset_format(&o->price, amount, sizeof(amount)))
		amount[0] = '\0';
	/* A won-priced order: the total in won, then what was paid at which rate. */
	if (o->won.symbol[0] && asset_format(&o->won, amount, sizeof(amount)))
		amount[0] = '\0';
	snprintf(buf, sizeof(buf), "%s %s", L->total, amount);
	text(&p, buf, 2);
	if (o->won.symbol[0] && r->won_lock)
		won_lines(&p, L, r, o);
	snprintf(buf, sizeof(buf), "%s: %s", L->payer, r->payer ? r->payer : "");
	text(&p, buf, 1);
	snprintf(buf, sizeof(buf), "%s: %s", L->paid_by, method_name(L, r->how_paid));
	text(&p, buf, 1);
	if (r->trx_id && r->trx_id[0]) {
		snprintf(buf, sizeof(buf), "%s: %.20s", L->trx, r->trx_id);
		text(&p, buf, 1);
		snprintf(buf, sizeof(buf), "    %s",
		         r->trx_id + (strlen(r->trx_id) > 20 ? 20 : strlen(r->trx_id)));
		text(&p, buf, 1);
	}
	/* Times in the site's one zone, whatever the receipt's language (timefmt.h). */
	if (r->paid_at_ms) {
		timefmt_minutes(r->paid_at_ms, when, sizeof(when));
		snprintf(buf, sizeof(buf), "%s: %s", L->paid_at, when);
		text(&p, buf, 1);
	}
	if (r->printed_at_ms) {
		timefmt_minutes(r->printed_at_ms, when, sizeof(when));
		snprintf(buf, sizeof(buf), "%s: %s", L->printed_at, when);
		text(&p, buf, 1);
	}
	if (o->pickup == ORDER_PICKUP_LOCKER) {
		snprintf(buf, sizeof(buf), "%s: %u", L->compartment, o->compartment);
		text(&p, buf, 1);
	}
	p.y += LINE_H / 2;
	if (r->trx_id && r->trx_id[0] && r->explorer_url) {
		struct qr *q = NULL;

		snprintf(buf, sizeof(buf), "%s%s", r->explorer_url, r->trx_id);
		*err = qr_encode(buf, strlen(buf), QR_ECC_M, &q);
		if (*err)
			return -1;
		if (native_qr) {
			/* The printer's symbol: no quiet zone of its own, centred (ESC a 1). */
			int m = native_module(q, width), side = q->width * m;
			int x0 = ((int)width - side) / 2;

			p.y += QR_QUIET * m;
			*qr_y = p.y;
			*qr_h = side;
			if (c)
				for (int my = 0; my < q->width; my++)
					for (int mx = 0; mx < q->width; mx++)
						if (q->modules[my * q->width + mx])
							canvas_fill_rect(c,
							                 (struct rect){x0 + mx * m,
							                               p.y + my * m,
							                               m, m},
							                 0x000000);
			p.y += side + QR_QUIET * m;
		} else {
			int qr_side = (int)width * 3 / 5;

			/* A URL of ~100 bytes always fits 230+ dots at 2+ dots a module. */
			if (c && qr_draw(q, c, ((int)width - qr_side) / 2, p.y, qr_side, 0x000000,
			                 0xffffff, NULL) != KERR_OK)
				font_draw(f, c, MARGIN, p.y, buf, 0x000000, 1, p.w);
			p.y += qr_side;
		}
		qr_free(q);
	}
	text(&p, L->thanks, 1);
	return p.y + MARGIN;
}

bool receipt_width_ok(unsigned width_dots)
{
	return width_dots == 384 || width_dots == 512 || width_dots == 576;
}

static enum kerr draw(struct font *f, const struct receipt_data *r, unsigned width_dots,
                      bool native_qr, struct canvas **out, int *qr_y, int *qr_h)
{
	enum kerr err;
	int h;

	*out = NULL;
	if (!receipt_width_ok(width_dots))
		return KERR_RANGE;
	h = layout(f, r, width_dots, NULL, native_qr, qr_y, qr_h, &err);
	if (h < 0)
		return err;
	err = canvas_new(CANVAS_MONO1, (int)width_dots, h, out);
	if (err)
		return err;
	canvas_fill(*out, 0xffffff);
	(void)layout(f, r, width_dots, *out, native_qr, qr_y, qr_h, &err);
	return KERR_OK;
}

enum kerr receipt_draw(struct font *f, const struct receipt_data *r, unsigned width_dots,
                       struct canvas **out)
{
	int qr_y, qr_h;

	return draw(f, r, width_dots, false, out, &qr_y, &qr_h);
}

enum kerr receipt_preview(struct font *f, const struct receipt_data *r, unsigned width_dots,
                          bool native_qr, struct canvas **out)
{
	int qr_y, qr_h;

	return draw(f, r, width_dots, native_qr, out, &qr_y, &qr_h);
}

/* Rows [y0, y1) of c as GS v 0 raster (nothing for an empty range). */
static enum kerr raster_rows(struct escpos *e, const struct canvas *c, int y0, int y1)
{
	struct canvas *part;
	enum kerr err;

	if (y1 <= y0)
		return KERR_OK;
	err = canvas_new(CANVAS_MONO1, c->width, y1 - y0, &part);
	if (err)
		return err;
	memcpy(part->pixels, c->pixels + (size_t)y0 * c->stride, (size_t)(y1 - y0) * c->stride);
	err = escpos_raster(e, part);
	canvas_free(part);
	return err;
}

enum kerr receipt_encode(struct font *f, const struct receipt_data *r, unsigned width_dots,
                         bool native_qr, uint8_t *buf, size_t cap, size_t *len)
{
	struct canvas *c;
	struct escpos e;
	char url[512];
	enum kerr err;
	int qr_y, qr_h;

	*len = 0;
	err = draw(f, r, width_dots, native_qr, &c, &qr_y, &qr_h);
	if (err)
		return err;
	escpos_init(&e, buf, cap, width_dots);
	escpos_initialize(&e);
	if (!qr_h) {
		err = escpos_raster(&e, c);
	} else {
		/* The rows above the symbol, the printer's symbol, the rows below:
		 * exactly the preview of receipt_preview(native_qr). */
		struct qr *q = NULL;

		snprintf(url, sizeof(url), "%s%s", r->explorer_url, r->trx_id);
		err = raster_rows(&e, c, 0, qr_y);
		if (!err)
			err = qr_encode(url, strlen(url), QR_ECC_M, &q);
		if (!err) {
			escpos_align(&e, ESCPOS_CENTER);
			err = escpos_qr(&e, (const uint8_t *)url, strlen(url),
			                (unsigned)native_module(q, width_dots), ESCPOS_QR_M);
			escpos_align(&e, ESCPOS_LEFT);
			qr_free(q);
		}
		if (!err)
			err = raster_rows(&e, c, qr_y + qr_h, c->height);
	}
	canvas_free(c);
	escpos_feed(&e, 3);
	escpos_cut(&e, true, 0);
	return err ? err : escpos_finish(&e, len);
}

void receipt_set_payment(struct receipt_data *r, const struct order *o,
                         const struct store_transfer *t, const struct store_confirmation *c,
                         int64_t now_ms)
{
	r->order = o;
	r->printed_at_ms = now_ms;
	if (t) {
		r->payer = t->from;
		r->trx_id = t->trx_id;
		r->how_paid = "chain";
		r->paid_at_ms = t->timestamp_ms > 0 ? t->timestamp_ms : now_ms;
	} else {
		r->payer = o->member;
		r->trx_id = "";
		r->how_paid = c ? pay_method_name(c->method) : "staff";
		r->paid_at_ms = c && c->at_ms > 0 ? c->at_ms : now_ms;
	}
}

/*
 * Nothing paid in the asset asked first: the asset of the request's offers
 * that was paid (docs/prices.md), and the rate locked for that one.
 */
static enum kerr paid_in_offer(struct receipt_data *r, struct store *s, const struct order *o,
                               struct store_rate_lock *lock)
{
	struct store_rate_offer offers[STORE_RATE_OFFERS_MAX];
	struct asset sum;
	size_t n = 0;
	enum kerr err = store_rate_offer_list(s, o->memo, offers, STORE_RATE_OFFERS_MAX, &n);

	for (size_t i = 0; !err && i < n; i++) {
		err = store_transfer_sum(s, o->id, &offers[i].amount, &sum);
		if (err || sum.amount == 0)
			continue;
		r->paid = sum;
		lock->rate = offers[i].rate;
		snprintf(lock->source, sizeof(lock->source), "%s", offers[i].source);
		lock->rate_ms = offers[i].rate_ms;
		break;
	}
	return err;
}

enum kerr receipt_set_won(struct receipt_data *r, struct store *s, const struct order *o,
                          struct store_rate_lock *lock)
{
	enum kerr err;

	r->won_lock = NULL;
	memset(&r->paid, 0, sizeof(r->paid));
	if (!o->won.symbol[0] || !o->memo[0])
		return KERR_OK;
	err = store_rate_lock_get(s, o->memo, lock);
	if (!err)
		err = store_transfer_sum(s, o->id, &o->price, &r->paid);
	if (!err && r->paid.amount == 0)
		err = paid_in_offer(r, s, o, lock);
	if (err) {
		memset(&r->paid, 0, sizeof(r->paid));
		return err;
	}
	r->won_lock = lock;
	return KERR_OK;
}
