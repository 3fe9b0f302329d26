/* kioskctl receipt: the exact printer bytes of a receipt, and a preview image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display/display_sim.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/receipt.h"
#include "kiosk/store.h"
#include "kiosk/store_rates.h"
#include "kiosk/store_report.h"
#include "kiosk/timefmt.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(receipt);

const char cmd_receipt_usage[] =
    "kioskctl receipt --sample|--order ID [--site FILE] "
    "[--width 384|512|576] [--native-qr] [--lang ko|en] --out FILE.bin "
    "[--png FILE.png]";

static void sample_order(struct order *o)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->id, "A1024");
	strcpy(o->member, "alice");
	o->item_count = 2;
	strcpy(o->items[0].name, "감자 1kg");
	o->items[0].quantity = 2;
	o->items[0].unit_price = (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
	strcpy(o->items[1].name, "달걀 10구");
	o->items[1].quantity = 1;
	o->items[1].unit_price = (struct asset){.amount = 4250, .precision = 3, .symbol = "HIVE"};
	o->price = (struct asset){.amount = 7250, .precision = 3, .symbol = "HIVE"};
	o->pickup = ORDER_PICKUP_LOCKER;
	o->compartment = 3;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static const char *const widths[] = {"384", "512", "576", NULL};
static const char *const langs[] = {"ko", "en", NULL};
static const struct ctl_flag flags[] = {
    {"--sample", NULL, NULL, "a sample order (or --order)", NULL},
    {"--order", "ID", NULL, "an order from the journal", NULL},
    {"--site", "FILE", NULL, "the site file, with --order (default " CTL_DEFAULT_SITE ")", NULL},
    {"--width", "DOTS", widths,
     "the printer's dots per line: 384 (58 mm), 512 (80 mm at 180 dpi) or 576 (80 mm)", NULL},
    {"--native-qr", NULL, NULL, "let the printer draw the QR (the preview shows it as printed)",
     NULL},
    {"--lang", "LANG", langs, "the receipt's language (an order: the site's unless given)", NULL},
    {"--out", "FILE.bin", NULL, "where to write the printer bytes (required)", NULL},
    {"--png", "FILE.png", NULL, "also a preview image", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"receipt", cmd_receipt_usage, NULL, 0, 0, NULL, flags};

int cmd_receipt(int argc, char **argv)
{
	const char *out = NULL, *png = NULL, *order_id = NULL, *site_path = NULL;
	struct receipt_data r = {.lang = SITE_LANG_KO, .how_paid = "chain"};
	struct store_transfer t;
	struct site *site = NULL;
	struct store *journal = NULL;
	struct order o;
	struct font *f = NULL;
	struct canvas *c = NULL;
	unsigned width = 384;
	struct store_confirmation conf;
	struct asset conf_amount;
	struct store_rate_lock lock;
	bool sample = false, native_qr = false, lang_set = false;
	uint8_t *buf = NULL;
	size_t len;
	int rc = 1;

	struct ctl_args a;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	rc = 1;
	sample = ctl_has(&a, "--sample");
	native_qr = ctl_has(&a, "--native-qr");
	order_id = ctl_get(&a, "--order");
	site_path = ctl_get(&a, "--site");
	out = ctl_get(&a, "--out");
	png = ctl_get(&a, "--png");
	r.lang = ctl_choice(&a, "--lang", 0) == 1 ? SITE_LANG_EN : SITE_LANG_KO;
	lang_set = ctl_has(&a, "--lang");
	width = (unsigned)atoi(widths[ctl_choice(&a, "--width", 0)]);
	if (sample == (order_id != NULL)) {
		fprintf(stderr, "kioskctl receipt: give either --sample or --order ID\n");
		return 2;
	}
	if (!out)
		return ctl_missing(&a, "--out");
	if (sample) {
		/* The sample co-op's zone (Seoul) for the Korean sample, UTC for the
		 * English one: the same output on any machine. */
		if ((r.lang != SITE_LANG_KO || timefmt_use_zone("Asia/Seoul") != KERR_OK) &&
		    timefmt_use_zone("UTC") != KERR_OK) {
			fprintf(stderr, "kioskctl receipt: cannot set the time zone\n");
			goto end;
		}
		sample_order(&o);
		r.coop_name = r.lang == SITE_LANG_KO ? "한밭 생활협동조합" : "Hanbat Co-op";
		r.payer = "alice";
		r.trx_id = "83b17966229b26c02a3397b7238a12b69db68bbc";
		r.paid_at_ms = 1795500000000LL;
		r.printed_at_ms = r.paid_at_ms + 95 * 1000;
		r.explorer_url = "https://hivehub.dev/tx/";
	} else {
		site = calloc(1, sizeof(*site));
		if (!site)
			goto end;
		rc = ctl_open_journal("receipt", site_path, site, &journal);
		if (rc)
			goto end;
		rc = 1;
		if (store_order_get(journal, order_id, &o)) {
			fprintf(stderr, "kioskctl receipt: no order %s in %s\n", order_id,
			        site->journal_path);
			goto end;
		}
		/* A receipt says "paid": only for an order that is. */
		if (o.state != ORDER_PAID && o.state != ORDER_HANDING_OVER &&
		    o.state != ORDER_HANDED_OVER && o.state != ORDER_HANDOVER_FAILED) {
			fprintf(stderr, "kioskctl receipt: order %s is %s, not paid: no receipt\n",
			        order_id, order_state_name(o.state));
			goto end;
		}
		r.coop_name = site->coop_name;
		if (!lang_set)
			r.lang = site->lang;
		r.explorer_url = site->explorer_url[0] ? site->explorer_url : NULL;
		if (store_transfer_of_order(journal, order_id, &t) == KERR_OK)
			receipt_set_payment(&r, &o, &t, NULL, clock_real_ms(clock_system()));
		else if (store_confirmation_of_order(journal, order_id, &conf, &conf_amount) ==
		         KERR_OK)
			receipt_set_payment(&r, &o, NULL, &conf, clock_real_ms(clock_system()));
		else {
			fprintf(stderr,
			        "kioskctl receipt: order %s has no payment in the journal\n",
			        order_id);
			goto end;
		}
		if (receipt_set_won(&r, journal, &o, &lock)) {
			fprintf(stderr, "kioskctl receipt: cannot read order %s's rate in %s\n",
			        order_id, site->journal_path);
			goto end;
		}
	}
	r.order = &o;
	buf = malloc(RECEIPT_MAX_BYTES);
	if (!buf || font_open(KIOSK_UNIFONT_PATH, &f)) {
		fprintf(stderr, "kioskctl receipt: cannot read the font %s\n", KIOSK_UNIFONT_PATH);
		goto end;
	}
	if (receipt_encode(f, &r, width, native_qr, buf, RECEIPT_MAX_BYTES, &len) ||
	    write_file(out, buf, len)) {
		fprintf(stderr, "kioskctl receipt: cannot write %s\n", out);
		goto end;
	}
	if (png &&
	    (receipt_preview(f, &r, width, native_qr, &c) || display_sim_write_png(c, png))) {
		fprintf(stderr, "kioskctl receipt: cannot write %s\n", png);
		goto end;
	}
	printf("%s: %zu bytes for a %u-dot printer%s%s\n", out, len, width, png ? "; preview " : "",
	       png ? png : "");
	if (order_id) {
		char when[TIMEFMT_MAX];

		timefmt_minutes(r.paid_at_ms, when, sizeof(when));
		printf("order %s paid %s (%s) by %s\n", o.id, when, r.how_paid,
		       r.payer ? r.payer : "");
	}
	rc = 0;
end:
	canvas_free(c);
	font_close(f);
	free(buf);
	store_close(journal);
	free(site);
	return rc;
}
