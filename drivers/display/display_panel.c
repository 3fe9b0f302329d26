/* The open-time checks and set-up every panel backend does the same way. */
#include "display_panel.h"

#include <stdlib.h>

#include "kiosk/log.h"

enum kerr panel_check_rotation(const struct board_display *cfg)
{
	if (panel_rotation_valid(cfg->rotation))
		return KERR_OK;
	log_err("display %s: rotation %u is not one of 0, 90, 180, 270", cfg->device,
	        cfg->rotation);
	return KERR_RANGE;
}

void *panel_alloc_checked(const struct board_display *cfg, bool size_ok, const char *what,
                          const char *rule, size_t size, enum kerr *err)
{
	void *p;

	if (!size_ok) {
		log_err("display %s: %s size %dx%d %s", cfg->device, what, cfg->width, cfg->height,
		        rule);
		*err = KERR_RANGE;
		return NULL;
	}
	*err = panel_check_rotation(cfg);
	if (*err)
		return NULL;
	p = calloc(1, size);
	*err = p ? KERR_OK : KERR_NOMEM;
	return p;
}

void panel_display_init(struct display *d, const struct display_ops *ops,
                        const struct board_display *cfg, int pw, int ph, enum canvas_format format)
{
	bool turned = cfg->rotation == 90 || cfg->rotation == 270;

	d->ops = ops;
	d->cfg = cfg;
	d->width = turned ? ph : pw;
	d->height = turned ? pw : ph;
	d->format = format;
}
