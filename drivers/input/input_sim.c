/* Simulator input: lines on stdin stand for buttons, keypad keys and scans. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/input.h"

enum kerr input_sim_parse(const char *line, struct input_action *out, size_t *consumed)
{
	static const struct {
		const char *word;
		enum input_button b;
	} buttons[] = {
	    {"n", INPUT_BTN_NEXT},    {"next", INPUT_BTN_NEXT}, {"p", INPUT_BTN_PREV},
	    {"prev", INPUT_BTN_PREV}, {"ok", INPUT_BTN_OK},     {"staff", INPUT_BTN_STAFF},
	};
	size_t len = strcspn(line, "\r\n");

	memset(out, 0, sizeof(*out));
	*consumed = 0;
	if (len == 0)
		return KERR_PARSE;
	if (line[0] >= '0' && line[0] <= '9') {
		out->kind = INPUT_KEY;
		out->key = line[0];
		*consumed = 1;
		return KERR_OK;
	}
	if (strncmp(line, "scan:", 5) == 0) {
		size_t n = len - 5;

		if (n == 0 || n > INPUT_SCAN_MAX)
			return KERR_PARSE;
		out->kind = INPUT_SCAN;
		memcpy(out->text, line + 5, n);
		out->text[n] = '\0';
		*consumed = len;
		return KERR_OK;
	}
	if (len == 5 && strncmp(line, "enter", 5) == 0) {
		out->kind = INPUT_KEY;
		out->key = '\n';
		*consumed = len;
		return KERR_OK;
	}
	for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
		if (strlen(buttons[i].word) == len && strncmp(line, buttons[i].word, len) == 0) {
			out->kind = INPUT_BUTTON;
			out->button = buttons[i].b;
			*consumed = len;
			return KERR_OK;
		}
	return KERR_PARSE;
}

void input_sim_line(const char *line, void (*fn)(const struct input_action *a, void *arg),
                    void *arg)
{
	struct input_action a;
	size_t used;

	while (*line && input_sim_parse(line, &a, &used) == KERR_OK) {
		fn(&a, arg);
		line += used;
		if (a.kind != INPUT_KEY || a.key == '\n')
			break;
	}
}

/* ---- lines on a file descriptor, behind the ops table ---- */

struct sim_in {
	struct input_dev base;
	int src; /* borrowed: stdin */
	char buf[INPUT_SCAN_MAX + 2];
	size_t len;
};

static struct sim_in *to_sim_in(struct input_dev *d)
{
	return container_of(d, struct sim_in, base);
}

static enum kerr sim_open(struct input_dev *base)
{
	base->fd = to_sim_in(base)->src;
	return KERR_OK;
}

static enum kerr sim_read(struct input_dev *base, short revents, int64_t now_ms)
{
	struct sim_in *s = to_sim_in(base);
	const struct input_sink *k = &base->sink;
	ssize_t n;
	char *nl;

	(void)revents;
	(void)now_ms;
	n = read(base->fd, s->buf + s->len, sizeof(s->buf) - 1 - s->len);
	if (n <= 0)
		return KERR_IO;
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	while ((nl = strchr(s->buf, '\n'))) {
		*nl = '\0';
		if (k->press && strncmp(s->buf, "press ", 6) == 0)
			k->press(s->buf + 6, k->arg);
		else
			input_sim_line(s->buf, k->action, k->arg);
		/* A line of digits ends with Enter, as on the keypad. */
		if (s->buf[0] >= '0' && s->buf[0] <= '9') {
			struct input_action enter = {.kind = INPUT_KEY, .key = '\n'};

			k->action(&enter, k->arg);
		}
		s->len -= (size_t)(nl + 1 - s->buf);
		memmove(s->buf, nl + 1, s->len + 1);
	}
	if (s->len >= sizeof(s->buf) - 1)
		s->len = 0; /* an endless line: drop it */
	return KERR_OK;
}

/* The fd is borrowed: closing only stops reading it. */
static void sim_close(struct input_dev *base)
{
	base->fd = -1;
}

static void sim_free(struct input_dev *base)
{
	free(to_sim_in(base));
}

static const struct input_ops input_sim_ops = {
    .name = "sim",
    .retry_ns = 0,
    .open = sim_open,
    .read = sim_read,
    .close = sim_close,
    .free = sim_free,
};

enum kerr input_sim_new(int fd, const struct input_sink *sink, struct input_dev **out)
{
	struct sim_in *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return KERR_NOMEM;
	s->base.ops = &input_sim_ops;
	s->base.fd = -1;
	s->base.sink = *sink;
	s->src = fd;
	*out = &s->base;
	return KERR_OK;
}
