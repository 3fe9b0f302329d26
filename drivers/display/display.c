/* The generic display calls: every backend goes through its ops table. */
#include "kiosk/display.h"

enum kerr display_blit(struct display *d, const struct canvas *c, struct rect dirty)
{
	if (c->width != d->width || c->height != d->height)
		return KERR_INVAL;
	dirty = canvas_clip(c, dirty);
	if (rect_empty(dirty))
		return KERR_OK;
	return d->ops->blit(d, c, dirty);
}

enum kerr display_set_power(struct display *d, bool on)
{
	if (!d->ops->set_power)
		return KERR_NOTSUP;
	return d->ops->set_power(d, on);
}

void display_close(struct display *d)
{
	if (d)
		d->ops->close(d);
}
