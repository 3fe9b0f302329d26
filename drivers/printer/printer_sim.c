#include "printer_sim.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/log.h"

struct sim_printer {
	struct printer base;
	int fd;
	struct escpos_status st;
};

#define to_sim(p) container_of(p, struct sim_printer, base)

static enum kerr sim_write_some(struct printer *p, const uint8_t *data, size_t len, size_t *done)
{
	struct sim_printer *s = to_sim(p);
	ssize_t n;

	*done = 0;
	if (!s->st.known || !escpos_status_ready(&s->st)) {
		log_err("printer %s (sim): %s", p->cfg->device, escpos_status_str(&s->st));
		return KERR_OFFLINE;
	}
	n = write(s->fd, data, len);
	if (n < 0) {
		log_err("printer %s (sim): write failed: %s", p->cfg->device, strerror(errno));
		return KERR_IO;
	}
	*done = (size_t)n;
	return KERR_OK;
}

static enum kerr sim_status(struct printer *p, unsigned timeout_ms, struct escpos_status *st)
{
	struct sim_printer *s = to_sim(p);

	(void)timeout_ms;
	if (!s->st.known)
		return KERR_TIMEOUT;
	*st = s->st;
	return KERR_OK;
}

static int sim_fd(struct printer *p)
{
	(void)p;
	return -1; /* a file is always writable */
}

static void sim_close(struct printer *p)
{
	struct sim_printer *s = to_sim(p);

	close(s->fd);
	free(s);
}

static const struct printer_ops printer_sim_ops = {
    .name = "sim",
    .write_some = sim_write_some,
    .status = sim_status,
    .fd = sim_fd,
    .close = sim_close,
};

void printer_sim_set_status(struct printer *p, const struct escpos_status *st)
{
	assert(p->ops == &printer_sim_ops);
	to_sim(p)->st = *st;
}

enum kerr printer_sim_open(const struct board_printer *cfg, struct printer **out)
{
	struct sim_printer *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->fd = open(cfg->device, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (s->fd < 0) {
		log_err("printer %s (sim): cannot open the output file: %s", cfg->device,
		        strerror(errno));
		free(s);
		return KERR_IO;
	}
	s->st.known = true;
	s->base.ops = &printer_sim_ops;
	s->base.cfg = cfg;
	*out = &s->base;
	return KERR_OK;
}
