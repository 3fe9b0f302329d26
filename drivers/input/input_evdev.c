#include "kiosk/input.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/log.h"

/* US layout: what scanners emulate. Index = key code; {plain, shifted}. */
static const char keymap[][2] = {
    [KEY_1] = {'1', '!'},          [KEY_2] = {'2', '@'},           [KEY_3] = {'3', '#'},
    [KEY_4] = {'4', '$'},          [KEY_5] = {'5', '%'},           [KEY_6] = {'6', '^'},
    [KEY_7] = {'7', '&'},          [KEY_8] = {'8', '*'},           [KEY_9] = {'9', '('},
    [KEY_0] = {'0', ')'},          [KEY_MINUS] = {'-', '_'},       [KEY_EQUAL] = {'=', '+'},
    [KEY_Q] = {'q', 'Q'},          [KEY_W] = {'w', 'W'},           [KEY_E] = {'e', 'E'},
    [KEY_R] = {'r', 'R'},          [KEY_T] = {'t', 'T'},           [KEY_Y] = {'y', 'Y'},
    [KEY_U] = {'u', 'U'},          [KEY_I] = {'i', 'I'},           [KEY_O] = {'o', 'O'},
    [KEY_P] = {'p', 'P'},          [KEY_LEFTBRACE] = {'[', '{'},   [KEY_RIGHTBRACE] = {']', '}'},
    [KEY_A] = {'a', 'A'},          [KEY_S] = {'s', 'S'},           [KEY_D] = {'d', 'D'},
    [KEY_F] = {'f', 'F'},          [KEY_G] = {'g', 'G'},           [KEY_H] = {'h', 'H'},
    [KEY_J] = {'j', 'J'},          [KEY_K] = {'k', 'K'},           [KEY_L] = {'l', 'L'},
    [KEY_SEMICOLON] = {';', ':'},  [KEY_APOSTROPHE] = {'\'', '"'}, [KEY_GRAVE] = {'`', '~'},
    [KEY_BACKSLASH] = {'\\', '|'}, [KEY_Z] = {'z', 'Z'},           [KEY_X] = {'x', 'X'},
    [KEY_C] = {'c', 'C'},          [KEY_V] = {'v', 'V'},           [KEY_B] = {'b', 'B'},
    [KEY_N] = {'n', 'N'},          [KEY_M] = {'m', 'M'},           [KEY_COMMA] = {',', '<'},
    [KEY_DOT] = {'.', '>'},        [KEY_SLASH] = {'/', '?'},       [KEY_SPACE] = {' ', ' '},
    [KEY_KP0] = {'0', '0'},        [KEY_KP1] = {'1', '1'},         [KEY_KP2] = {'2', '2'},
    [KEY_KP3] = {'3', '3'},        [KEY_KP4] = {'4', '4'},         [KEY_KP5] = {'5', '5'},
    [KEY_KP6] = {'6', '6'},        [KEY_KP7] = {'7', '7'},         [KEY_KP8] = {'8', '8'},
    [KEY_KP9] = {'9', '9'},        [KEY_KPASTERISK] = {'*', '*'},  [KEY_KPMINUS] = {'-', '-'},
    [KEY_KPPLUS] = {'+', '+'},     [KEY_KPDOT] = {'.', '.'},       [KEY_KPSLASH] = {'/', '/'},
};

void input_decoder_init(struct input_decoder *d, enum input_role role, unsigned timeout_ms)
{
	memset(d, 0, sizeof(*d));
	d->role = role;
	d->timeout_ms = timeout_ms;
}

bool input_decoder_feed(struct input_decoder *d, uint16_t type, uint16_t code, int32_t value,
                        int64_t ms, struct input_action *out)
{
	bool enter = code == KEY_ENTER || code == KEY_KPENTER;
	char ch = 0;

	if (type != EV_KEY)
		return false;
	if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
		d->shift = value != 0;
		return false;
	}
	if (value != 1)
		return false; /* releases and auto-repeat */
	if (d->role == INPUT_SCANNER && d->len && d->timeout_ms &&
	    ms - d->last_ms > (int64_t)d->timeout_ms) {
		log_warn("scanner: a half-read scan (%zu characters) timed out and was dropped",
		         d->len);
		d->len = 0;
		d->overflow = false;
	}
	d->last_ms = ms;
	if (code < sizeof(keymap) / sizeof(keymap[0]))
		ch = keymap[code][d->shift ? 1 : 0];
	memset(out, 0, sizeof(*out));
	if (d->role == INPUT_KEYPAD) {
		out->kind = INPUT_KEY;
		if (enter)
			out->key = '\n';
		else if (code == KEY_BACKSPACE)
			out->key = '\b';
		else if ((ch >= '0' && ch <= '9') || ch == '*' || ch == '#')
			out->key = ch;
		else
			return false;
		return true;
	}
	if (enter) {
		bool ok = d->len > 0 && !d->overflow;

		if (d->overflow)
			log_warn("scanner: a scan longer than %d characters was dropped",
			         INPUT_SCAN_MAX);
		if (ok) {
			out->kind = INPUT_SCAN;
			memcpy(out->text, d->buf, d->len);
			out->text[d->len] = '\0';
		}
		d->len = 0;
		d->overflow = false;
		return ok;
	}
	if (!ch)
		return false;
	if (d->len >= INPUT_SCAN_MAX) {
		d->overflow = true;
		return false;
	}
	d->buf[d->len++] = ch;
	return false;
}

enum kerr input_evdev_open(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT || errno == ENODEV || errno == ENXIO ? KERR_NOTFOUND
		       : errno == EACCES || errno == EPERM                  ? KERR_AUTH
		                                                            : KERR_IO;
	/* Grab it, so a scan does not also type into a console. */
	if (ioctl(*fd, EVIOCGRAB, (void *)1) != 0)
		log_warn("input %s: cannot grab the device: %s", path, strerror(errno));
	return KERR_OK;
}

enum kerr input_evdev_read(int fd, struct input_decoder *d, int64_t now_ms,
                           void (*fn)(const struct input_action *e, void *arg), void *arg)
{
	struct input_event batch[64]; /* the kernel's struct */
	ssize_t n = read(fd, batch, sizeof(batch));

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? KERR_OK : KERR_IO;
	if (n == 0)
		return KERR_IO; /* the device went away (unplugged) */
	for (size_t i = 0; i < (size_t)n / sizeof(batch[0]); i++) {
		struct input_action a;

		if (input_decoder_feed(d, batch[i].type, batch[i].code, batch[i].value, now_ms, &a))
			fn(&a, arg);
	}
	return KERR_OK;
}

/* ---- a keypad or scanner behind the ops table ---- */

struct evdev {
	struct input_dev base;
	const char *what; /* "keypad", "scanner" */
	const char *path;
	struct input_decoder dec;
	enum kerr last; /* the last open's result: log changes only */
};

#define EVDEV_RETRY_NS (10 * NS_PER_S) /* a USB keypad or scanner unplugged: look again */

static struct evdev *to_evdev(struct input_dev *d)
{
	return container_of(d, struct evdev, base);
}

/* Opens the device; if it is missing, says so once. */
static enum kerr evdev_open(struct input_dev *base)
{
	struct evdev *d = to_evdev(base);
	int fd = -1;
	enum kerr err = input_evdev_open(d->path, &fd);

	if (!err)
		base->fd = fd;
	if (err && err != d->last)
		log_warn("%s %s: %s; check the board file's path (ls /dev/input/by-id) and that "
		         "the kiosk's "
		         "user is in group input; looking again every %d s",
		         d->what, d->path,
		         err == KERR_NOTFOUND ? "not plugged in"
		         : err == KERR_AUTH   ? "no permission"
		                              : "cannot be opened",
		         (int)(EVDEV_RETRY_NS / NS_PER_S));
	else if (!err)
		log_notice("%s %s: ready", d->what, d->path);
	d->last = err;
	return err;
}

static enum kerr evdev_read(struct input_dev *base, short revents, int64_t now_ms)
{
	struct evdev *d = to_evdev(base);
	enum kerr err = KERR_IO;

	if (!(revents & (POLLERR | POLLHUP | POLLNVAL)))
		err =
		    input_evdev_read(base->fd, &d->dec, now_ms, base->sink.action, base->sink.arg);
	if (!err)
		return KERR_OK;
	log_warn("%s %s: gone (unplugged?); looking for it again every %d s", d->what, d->path,
	         (int)(EVDEV_RETRY_NS / NS_PER_S));
	d->last = KERR_NOTFOUND;
	return KERR_IO;
}

static void evdev_close(struct input_dev *base)
{
	close(base->fd);
	base->fd = -1;
}

static void evdev_free(struct input_dev *base)
{
	free(to_evdev(base));
}

static const struct input_ops input_evdev_ops = {
    .name = "evdev",
    .retry_ns = EVDEV_RETRY_NS,
    .open = evdev_open,
    .read = evdev_read,
    .close = evdev_close,
    .free = evdev_free,
};

enum kerr input_evdev_new(const char *what, const char *path, enum input_role role,
                          unsigned scan_timeout_ms, const struct input_sink *sink,
                          struct input_dev **out)
{
	struct evdev *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return KERR_NOMEM;
	d->base.ops = &input_evdev_ops;
	d->base.fd = -1;
	d->base.sink = *sink;
	d->what = what;
	d->path = path;
	d->last = KERR_OK;
	input_decoder_init(&d->dec, role, scan_timeout_ms);
	*out = &d->base;
	return KERR_OK;
}
