/* Generic wrappers over the input backends' ops table. */
#include "kiosk/input.h"

#include <stddef.h>

enum kerr input_open(struct input_dev *d)
{
	return d->ops->open(d);
}

enum kerr input_read(struct input_dev *d, short revents, int64_t now_ms)
{
	return d->ops->read(d, revents, now_ms);
}

void input_close(struct input_dev *d)
{
	if (d && d->fd >= 0)
		d->ops->close(d);
}

void input_free(struct input_dev *d)
{
	if (!d)
		return;
	input_close(d);
	d->ops->free(d);
}
