/* kioskctl render: any screen at any panel size, to a PNG, with sample data. */
#include <stdio.h>
#include <stdlib.h>

#include "display/display_sim.h"
#include "kiosk/render.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(render);

const char cmd_render_usage[] =
    "kioskctl render SCREEN [--size WxH] [--lang ko|en] --out FILE.png [--uri TEXT] [--offline] "
    "(SCREEN: idle, payment, confirming, paid-locker, paid-receipt, underpaid, wrong-asset, "
    "expired, pickup-code, staff-code, staff-menu, staff-waive, staff-enrol, error)";

static const char *const langs[] = {"ko", "en", NULL};
static const struct ctl_flag flags[] = {
    {"--size", "WxH", NULL, "the panel in pixels, 64x32 to 4096x4096 (default 320x240)", NULL},
    {"--lang", "LANG", langs, "default ko", NULL},
    {"--out", "FILE.png", NULL, "where to write the PNG (required)", NULL},
    {"--uri", "TEXT", NULL, "the payment URI in the QR, instead of the sample's", NULL},
    {"--offline", NULL, NULL, "draw the no-network banner", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"render", cmd_render_usage, NULL, 1, 1, "SCREEN", flags};

int cmd_render(int argc, char **argv)
{
	const char *out, *size, *uri;
	char sample_uri[RENDER_URI_MAX];
	struct screen_model m;
	enum screen_id id;
	struct canvas *c = NULL;
	struct font *f = NULL;
	struct ctl_args a;
	bool offline;
	int w, h, rc = 1;
	char tail;
	enum kerr err;

	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	rc = 1;
	if (screen_parse(a.arg[0], &id)) {
		fprintf(
		    stderr,
		    "kioskctl render: unknown screen '%s'; use one of idle, payment, confirming, "
		    "paid-locker, paid-receipt, underpaid, wrong-asset, expired, staff-code, "
		    "staff-menu, staff-waive, staff-enrol, error\n",
		    a.arg[0]);
		return 2;
	}
	out = ctl_get(&a, "--out");
	size = ctl_has(&a, "--size") ? ctl_get(&a, "--size") : "320x240";
	uri = ctl_get(&a, "--uri");
	offline = ctl_has(&a, "--offline");
	if (!out)
		return ctl_missing(&a, "--out");
	if (sscanf(size, "%dx%d%c", &w, &h, &tail) != 2 || w < 64 || h < 32 || w > 4096 || h > 4096)
		return ctl_bad_value(
		    &a, "--size", "give WIDTHxHEIGHT in pixels, 64x32 to 4096x4096 (e.g. 320x240)");
	if (render_sample(id, ctl_choice(&a, "--lang", 0) == 1 ? SITE_LANG_EN : SITE_LANG_KO, &m,
	                  sample_uri))
		return 1;
	if (uri)
		m.uri = uri;
	m.offline = offline;
	if (font_open(KIOSK_UNIFONT_PATH, &f)) {
		fprintf(stderr,
		        "kioskctl render: cannot read the font %s (Debian package unifont)\n",
		        KIOSK_UNIFONT_PATH);
		return 1;
	}
	err = render_screen(f, &m, w, h, &c);
	if (err == KERR_TOO_BIG)
		fprintf(stderr,
		        "kioskctl render: the QR does not fit %dx%d scannably; drew the "
		        "pay-by-hand text instead\n",
		        w, h);
	else if (err)
		fprintf(stderr, "kioskctl render: %s\n", kerr_str(err));
	if (c && (!err || err == KERR_TOO_BIG)) {
		if (display_sim_write_png(c, out) == KERR_OK) {
			printf("%s\n", out);
			rc = 0;
		} else {
			fprintf(stderr, "kioskctl render: cannot write %s\n", out);
		}
	}
	canvas_free(c);
	font_close(f);
	return rc;
}
