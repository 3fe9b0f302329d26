/* kioskctl render: any screen at any panel size, to a PNG, with sample data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display/display_sim.h"
#include "kiosk/render.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(render);

const char cmd_render_usage[] =
    "kioskctl render SCREEN --size WxH --lang ko|en --out FILE.png [--uri TEXT] [--offline] "
    "(SCREEN: idle, payment, confirming, paid-locker, paid-receipt, underpaid, wrong-asset, "
    "expired, pickup-code, staff-code, staff-menu, staff-waive, staff-enrol, error)";

int cmd_render(int argc, char **argv)
{
	const char *out = NULL, *size = "320x240", *lang_s = "ko", *uri = NULL;
	char sample_uri[RENDER_URI_MAX];
	struct screen_model m;
	enum screen_id id;
	struct canvas *c = NULL;
	struct font *f = NULL;
	bool offline = false;
	int w, h, rc = 1;
	enum kerr err;

	if (argc < 2 || screen_parse(argv[1], &id)) {
		fprintf(stderr, "usage: %s\n", cmd_render_usage);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--offline") == 0) {
			offline = true;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "kioskctl render: %s needs a value\n", argv[i]);
			return 2;
		}
		if (strcmp(argv[i], "--size") == 0)
			size = argv[++i];
		else if (strcmp(argv[i], "--lang") == 0)
			lang_s = argv[++i];
		else if (strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else if (strcmp(argv[i], "--uri") == 0)
			uri = argv[++i];
		else {
			fprintf(stderr, "kioskctl render: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!out || sscanf(size, "%dx%d", &w, &h) != 2 || w < 64 || h < 32 || w > 4096 || h > 4096 ||
	    (strcmp(lang_s, "ko") && strcmp(lang_s, "en"))) {
		fprintf(stderr, "usage: %s\n", cmd_render_usage);
		return 2;
	}
	if (render_sample(id, strcmp(lang_s, "en") == 0 ? SITE_LANG_EN : SITE_LANG_KO, &m, sample_uri))
		return 1;
	if (uri)
		m.uri = uri;
	m.offline = offline;
	if (font_open(KIOSK_UNIFONT_PATH, &f)) {
		fprintf(stderr, "kioskctl render: cannot read the font %s (Debian package unifont)\n",
		        KIOSK_UNIFONT_PATH);
		return 1;
	}
	err = render_screen(f, &m, w, h, &c);
	if (err == KERR_TOO_BIG)
		fprintf(stderr, "kioskctl render: the QR does not fit %dx%d scannably; drew the "
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
