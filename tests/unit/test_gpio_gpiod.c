/*
 * The libgpiod v1 backend against a fake of the libgpiod calls it makes
 * (defined here, so they take the place of the library's): lookup by name,
 * request flags, outputs requested inactive, inputs' edges through the
 * epoll fd, and close setting outputs inactive before releasing.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <gpiod.h>

#include "kiosk/gpio.h"
#include "testutil.h"

#ifdef GPIOD_LINE_BULK_MAX_LINES

struct gpiod_line {
	char name[16];
	int value;
	int flags;
	int requested; /* 0 none, 1 output, 2 input */
	int default_val;
	int efd;
	int pending_type;
	bool released;
};

static struct gpiod_line fake[4] = {
    {.name = "GPIO4"}, {.name = "GPIO5"}, {.name = "GPIO17"}, {.name = "GPIO18"}};
static char journal[512];

static void jot(const char *s)
{
	strncat(journal, s, sizeof(journal) - strlen(journal) - 1);
}

struct gpiod_line *gpiod_line_find(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(fake[i].name, name) == 0)
			return &fake[i];
	errno = ENOENT;
	return NULL;
}

void gpiod_line_close_chip(struct gpiod_line *line)
{
	(void)line;
}

const char *gpiod_line_name(struct gpiod_line *line)
{
	return line->name;
}

int gpiod_line_request_output_flags(struct gpiod_line *line, const char *consumer, int flags,
                                    int default_val)
{
	assert_string_equal(consumer, "kiosk");
	line->requested = 1;
	line->flags = flags;
	line->default_val = default_val;
	line->value = default_val;
	jot("req-out;");
	return 0;
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line, const char *consumer,
                                               int flags)
{
	(void)consumer;
	line->requested = 2;
	line->flags = flags;
	line->efd = eventfd(0, EFD_NONBLOCK);
	return 0;
}

int gpiod_line_event_get_fd(struct gpiod_line *line)
{
	return line->efd;
}

int gpiod_line_event_read(struct gpiod_line *line, struct gpiod_line_event *event)
{
	uint64_t v;

	if (read(line->efd, &v, sizeof(v)) != sizeof(v))
		return -1;
	event->event_type = line->pending_type;
	event->ts.tv_sec = 7;
	event->ts.tv_nsec = 5;
	return 0;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
	char buf[32];

	line->value = value;
	snprintf(buf, sizeof(buf), "set %s %d;", line->name, value);
	jot(buf);
	return 0;
}

int gpiod_line_get_value(struct gpiod_line *line)
{
	return line->value;
}

void gpiod_line_release(struct gpiod_line *line)
{
	char buf[32];

	line->released = true;
	snprintf(buf, sizeof(buf), "release %s;", line->name);
	jot(buf);
}

static void test_lines_by_name_with_their_flags_and_safe_initial_level(void **state)
{
	struct board_gpio cfg = {.backend = "gpiod", .debounce_ms = 0};
	struct board_line lock = {.name = "GPIO4", .active_low = true};
	struct board_line door = {.name = "GPIO17", .bias = BOARD_BIAS_PULL_UP};
	struct board_line none = {.name = "GPIO99"};
	struct gpio *g;
	struct gpio_event ev[4];
	unsigned n;
	int hl, hd, h;
	uint64_t one = 1;

	(void)state;
	assert_int_equal(gpio_gpiod_open(&cfg, clock_system(), &g), KERR_OK);
	assert_int_equal(gpio_request_output(g, &lock, &hl), KERR_OK);
	assert_int_equal(fake[0].requested, 1);
	assert_true(fake[0].flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	assert_int_equal(fake[0].default_val, 0);
	assert_int_equal(gpio_request_input(g, &door, &hd), KERR_OK);
	assert_true(fake[2].flags & GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP);
	assert_false(fake[2].flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	assert_int_equal(gpio_request_output(g, &none, &h), KERR_NOTFOUND);

	assert_int_equal(gpio_set(g, hl, true), KERR_OK);
	assert_int_equal(fake[0].value, 1);
	assert_int_equal(gpio_set(g, hd, true), KERR_INVAL);

	fake[2].pending_type = GPIOD_LINE_EVENT_RISING_EDGE;
	assert_int_equal(write(fake[2].efd, &one, sizeof(one)), (ssize_t)sizeof(one));
	{
		struct pollfd p = {.fd = gpio_event_fd(g), .events = POLLIN};

		assert_int_equal(poll(&p, 1, 1000), 1);
	}
	assert_int_equal(gpio_read_events(g, ev, 4, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].line, hd);
	assert_true(ev[0].active);
	assert_int_equal(ev[0].ts_ns, 7000000005LL);

	journal[0] = '\0';
	gpio_close(g);
	/* Inactive first, then released. */
	assert_string_equal(journal, "set GPIO4 0;release GPIO4;release GPIO17;");
	close(fake[2].efd);
}

#else
static void test_lines_by_name_with_their_flags_and_safe_initial_level(void **state)
{
	(void)state;
	skip(); /* libgpiod v2 here: its backend is checked by compiling it */
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_by_name_with_their_flags_and_safe_initial_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
