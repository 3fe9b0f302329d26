/* kioskctl receipt: the exact printer bytes of a receipt, and a preview image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display/display_sim.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/receipt.h"
#include "kiosk/store.h"
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
    {"--lang", "LANG", langs, "with --sample (an order uses the site's)", NULL},
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
	bool sample = false, native_qr = false;
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
	width = (unsigned)atoi(widths[ctl_choice(&a, "--width", 0)]);
	if (sample == (order_id != NULL)) {
		fprintf(stderr, "kioskctl receipt: give either --sample or --order ID\n");
		return 2;
	}
	if (!out)
		return ctl_missing(&a, "--out");
	if (sample) {
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
		r.coop_name = site->coop_name;
		r.lang = site->lang;
		r.explorer_url = site->explorer_url[0] ? site->explorer_url : NULL;
		if (store_transfer_of_order(journal, order_id, &t) == KERR_OK) {
			r.payer = t.from;
			r.trx_id = t.trx_id;
			r.paid_at_ms = t.timestamp_ms;
			r.printed_at_ms = clock_real_ms(clock_system());
		} else {
			r.payer = o.member;
			r.trx_id = "";
			r.how_paid = "staff";
			r.paid_at_ms = clock_real_ms(clock_system());
			r.printed_at_ms = r.paid_at_ms;
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
	rc = 0;
end:
	canvas_free(c);
	font_close(f);
	free(buf);
	store_close(journal);
	free(site);
	return rc;
}
