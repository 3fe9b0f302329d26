/*
 * The serial printer port against a pseudo-terminal: the test plays the
 * printer on the master side (a thread), answering DLE EOT queries with the
 * bytes of docs/printer.md §5, or not at all, and collecting the job.
 */
#include "kiosk/printer.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "escpos_decode.h"
#include "testutil.h"

enum fake_mode {
	FAKE_COLLECT, /* keep every byte */
	FAKE_ANSWER,  /* answer DLE EOT n with reply[n] */
	FAKE_SILENT,  /* read and drop, never answer */
	FAKE_STUCK,   /* read nothing: a printer holding the line */
};

struct fake_printer {
	int master, slave;
	char name[128];
	pthread_t th;
	bool running;
	atomic_int mode;
	atomic_bool stop;
	uint8_t reply[5];
	atomic_uint queries;
	pthread_mutex_t lock;
	uint8_t *got;
	size_t got_len, got_cap;
};

static void keep(struct fake_printer *f, const uint8_t *b, size_t n)
{
	pthread_mutex_lock(&f->lock);
	if (f->got_len + n > f->got_cap) {
		f->got_cap = (f->got_len + n) * 2;
		f->got = realloc(f->got, f->got_cap);
	}
	memcpy(f->got + f->got_len, b, n);
	f->got_len += n;
	pthread_mutex_unlock(&f->lock);
}

static void *fake_run(void *arg)
{
	struct fake_printer *f = arg;
	uint8_t q[3];
	size_t qn = 0;

	while (!atomic_load(&f->stop)) {
		struct pollfd pfd = {.fd = f->master, .events = POLLIN};
		uint8_t buf[4096];
		ssize_t n, i;
		int mode = atomic_load(&f->mode);

		if (mode == FAKE_STUCK || poll(&pfd, 1, 10) <= 0) {
			if (mode == FAKE_STUCK)
				usleep(10000);
			continue;
		}
		n = read(f->master, buf, sizeof(buf));
		if (n <= 0)
			continue;
		/* Again: the test may have switched modes while we were in poll. */
		mode = atomic_load(&f->mode);
		if (mode == FAKE_COLLECT) {
			keep(f, buf, (size_t)n);
			continue;
		}
		for (i = 0; i < n; i++) {
			/* Match 10 04 n byte by byte: the query may come in pieces. */
			if (qn == 0 && buf[i] != 0x10)
				continue;
			q[qn++] = buf[i];
			if (qn == 2 && q[1] != 0x04)
				qn = 0;
			if (qn == 3) {
				qn = 0;
				atomic_fetch_add(&f->queries, 1);
				if (mode == FAKE_ANSWER && q[2] >= 1 && q[2] <= 4)
					assert_int_equal(write(f->master, &f->reply[q[2]], 1), 1);
			}
		}
	}
	return NULL;
}

static void fake_start(struct fake_printer *f)
{
	/* cfmakeraw clears flags but leaves the rest: start from all zero. */
	struct termios raw = {0};

	memset(f, 0, sizeof(*f));
	atomic_init(&f->mode, FAKE_COLLECT);
	atomic_init(&f->stop, false);
	atomic_init(&f->queries, 0);
	pthread_mutex_init(&f->lock, NULL);
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cflag |= CREAD | CLOCAL;
	assert_int_equal(openpty(&f->master, &f->slave, f->name, &raw, NULL), 0);
	assert_int_equal(pthread_create(&f->th, NULL, fake_run, f), 0);
	f->running = true;
}

/* Stops the printer thread; what it got stays readable. */
static void fake_halt(struct fake_printer *f)
{
	if (!f->running)
		return;
	atomic_store(&f->stop, true);
	pthread_join(f->th, NULL);
	f->running = false;
}

static void fake_stop(struct fake_printer *f)
{
	fake_halt(f);
	close(f->master);
	close(f->slave);
	pthread_mutex_destroy(&f->lock);
	free(f->got);
}

static size_t fake_got(struct fake_printer *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->got_len;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static struct printer *open_or_fail(struct board_printer *cfg, struct fake_printer *f)
{
	struct printer *p;

	snprintf(cfg->device, sizeof(cfg->device), "%s", f->name);
	assert_int_equal(printer_serial_open(cfg, &p), KERR_OK);
	assert_non_null(p);
	return p;
}

static void test_port_is_raw_8n1_at_the_board_baud_with_rtscts(void **state)
{
	static const struct {
		unsigned baud;
		speed_t speed;
		bool rtscts;
	} cases[] = {
	    {9600, B9600, false},
	    {19200, B19200, true},
	    {38400, B38400, false},
	    {115200, B115200, true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct board_printer cfg = {
		    .backend = "serial", .baud = cases[i].baud, .rtscts = cases[i].rtscts};
		struct fake_printer f;
		struct printer *p;
		struct termios t;

		fake_start(&f);
		p = open_or_fail(&cfg, &f);
		assert_int_equal(tcgetattr(f.slave, &t), 0);
		assert_int_equal(cfgetospeed(&t), cases[i].speed);
		assert_int_equal(cfgetispeed(&t), cases[i].speed);
		assert_int_equal(!!(t.c_cflag & CRTSCTS), cases[i].rtscts);
		assert_int_equal(t.c_cflag & CSIZE, CS8);
		assert_false(t.c_cflag & (PARENB | CSTOPB));
		/* Raw: no LF→CRLF, no echo, no line editing, no XON/XOFF. */
		assert_false(t.c_oflag & OPOST);
		assert_false(t.c_lflag & (ICANON | ECHO | ISIG));
		assert_false(t.c_iflag & (IXON | IXOFF | ICRNL | INLCR));
		printer_close(p);
		fake_stop(&f);
	}
}

static void test_unknown_baud_and_missing_device_are_refused(void **state)
{
	struct board_printer cfg = {.backend = "serial", .baud = 12345, .device = "/dev/null"};
	struct printer *p = (struct printer *)&cfg;
	char *dir = tmpdir_or_fail();
	char *file = write_file_or_fail(dir, "not-a-tty", "x");

	(void)state;
	assert_int_equal(printer_serial_open(&cfg, &p), KERR_INVAL);
	assert_null(p);
	cfg.baud = 9600;
	snprintf(cfg.device, sizeof(cfg.device), "/nonexistent/ttyX");
	assert_int_equal(printer_serial_open(&cfg, &p), KERR_IO);
	assert_null(p);
	snprintf(cfg.device, sizeof(cfg.device), "%s", file);
	assert_int_equal(printer_serial_open(&cfg, &p), KERR_IO);
	assert_null(p);
	printer_close(NULL);
	free(file);
	rm_rf(dir);
	free(dir);
}

static void test_raster_job_reaches_the_printer_intact(void **state)
{
	struct board_printer cfg = {.backend = "serial", .baud = 115200};
	struct canvas c = {.format = CANVAS_MONO1, .width = 384, .height = 600, .stride = 48};
	size_t cap = 48 * 600 + 64, len, i;
	uint8_t *buf = malloc(cap);
	struct escpos_decoded d;
	struct fake_printer f;
	struct printer *p;
	struct escpos e;

	(void)state;
	assert_non_null(buf);
	c.pixels = malloc(48 * 600);
	assert_non_null(c.pixels);
	/* Every byte value, 0x0A, 0x0D, 0x11 and 0x13 included: a cooked tty would mangle them. */
	for (i = 0; i < 48 * 600; i++)
		c.pixels[i] = (uint8_t)(i * 7 + i / 256);
	escpos_init(&e, buf, cap, ESCPOS_WIDTH_58MM);
	escpos_initialize(&e);
	assert_int_equal(escpos_raster(&e, &c), KERR_OK);
	escpos_cut(&e, true, 24);
	assert_int_equal(escpos_finish(&e, &len), KERR_OK);

	fake_start(&f);
	p = open_or_fail(&cfg, &f);
	assert_int_equal(printer_write(p, buf, len, 10000), KERR_OK);
	for (i = 0; i < 500 && fake_got(&f) < len; i++)
		usleep(10000);
	fake_halt(&f);
	assert_int_equal(f.got_len, len);
	assert_memory_equal(f.got, buf, len);
	if (escpos_decode(f.got, f.got_len, &d))
		fail_msg("decode: %s", d.error);
	assert_int_equal(d.height, 600);
	assert_int_equal(d.bands, 3);
	assert_memory_equal(d.image, c.pixels, 48 * 600);
	assert_int_equal(d.cmds[d.ncmds - 1].op, OP_CUT);
	escpos_decode_fini(&d);
	printer_close(p);
	fake_stop(&f);
	free(c.pixels);
	free(buf);
}

static void test_printer_that_stops_reading_times_the_job_out(void **state)
{
	struct board_printer cfg = {.backend = "serial", .baud = 9600};
	size_t len = 1 << 20;
	uint8_t *buf = calloc(1, len);
	struct fake_printer f;
	struct printer *p;

	(void)state;
	assert_non_null(buf);
	fake_start(&f);
	atomic_store(&f.mode, FAKE_STUCK);
	p = open_or_fail(&cfg, &f);
	assert_int_equal(printer_write(p, buf, len, 200), KERR_TIMEOUT);
	printer_close(p);
	fake_stop(&f);
	free(buf);
}

static struct escpos_status status_with(const uint8_t reply[5], enum kerr want, enum fake_mode mode)
{
	struct board_printer cfg = {.backend = "serial", .baud = 19200};
	struct escpos_status st;
	struct fake_printer f;
	struct printer *p;

	fake_start(&f);
	memcpy(f.reply, reply, 5);
	atomic_store(&f.mode, mode);
	p = open_or_fail(&cfg, &f);
	/* Generous: an emulated build answers slowly; only "no answer" waits it out. */
	assert_int_equal(printer_status(p, want == KERR_TIMEOUT ? 300 : 3000, &st), want);
	if (mode == FAKE_ANSWER && want == KERR_OK)
		assert_true(atomic_load(&f.queries) >= 3);
	printer_close(p);
	fake_stop(&f);
	return st;
}

static void test_idle_printer_reports_ready(void **state)
{
	static const uint8_t idle[5] = {0, 0x12, 0x12, 0x12, 0x12};
	struct escpos_status st = status_with(idle, KERR_OK, FAKE_ANSWER);

	(void)state;
	assert_true(st.known);
	assert_true(escpos_status_ready(&st));
}

static void test_paper_out_answer_is_reported_as_paper_end(void **state)
{
	/* docs/printer.md §5: n=1 0x1A, n=2 0x32, n=4 0x7E. */
	static const uint8_t out[5] = {0, 0x1A, 0x32, 0x12, 0x7E};
	struct escpos_status st = status_with(out, KERR_OK, FAKE_ANSWER);

	(void)state;
	assert_true(st.known);
	assert_true(st.paper_end);
	assert_true(st.offline);
	assert_false(st.cover_open);
	assert_false(escpos_status_ready(&st));
}

static void test_cover_open_answer_is_reported(void **state)
{
	static const uint8_t cover[5] = {0, 0x1A, 0x16, 0x12, 0x12};
	struct escpos_status st = status_with(cover, KERR_OK, FAKE_ANSWER);

	(void)state;
	assert_true(st.cover_open);
	assert_false(st.paper_end);
	assert_false(escpos_status_ready(&st));
}

static void test_no_answer_means_status_unknown(void **state)
{
	static const uint8_t none[5] = {0};
	struct escpos_status st = status_with(none, KERR_TIMEOUT, FAKE_SILENT);

	(void)state;
	assert_false(st.known);
	assert_false(escpos_status_ready(&st));
}

static void test_garbage_answer_is_a_protocol_error(void **state)
{
	static const uint8_t junk[5] = {0, 0xFF, 0xFF, 0xFF, 0xFF};
	struct escpos_status st = status_with(junk, KERR_PROTO, FAKE_ANSWER);

	(void)state;
	assert_false(st.known);
}

static void test_ready_check_refuses_a_printer_out_of_paper(void **state)
{
	static const uint8_t out[5] = {0, 0x1A, 0x32, 0x12, 0x7E};
	struct board_printer cfg = {.backend = "serial", .baud = 19200};
	struct escpos_status st;
	struct fake_printer f;
	struct printer *p;

	(void)state;
	fake_start(&f);
	memcpy(f.reply, out, 5);
	atomic_store(&f.mode, FAKE_ANSWER);
	p = open_or_fail(&cfg, &f);
	assert_int_equal(printer_ready(p, 3000, &st), KERR_OFFLINE);
	assert_true(st.paper_end);
	printer_close(p);
	fake_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port_is_raw_8n1_at_the_board_baud_with_rtscts),
	    cmocka_unit_test(test_unknown_baud_and_missing_device_are_refused),
	    cmocka_unit_test(test_raster_job_reaches_the_printer_intact),
	    cmocka_unit_test(test_printer_that_stops_reading_times_the_job_out),
	    cmocka_unit_test(test_idle_printer_reports_ready),
	    cmocka_unit_test(test_paper_out_answer_is_reported_as_paper_end),
	    cmocka_unit_test(test_cover_open_answer_is_reported),
	    cmocka_unit_test(test_no_answer_means_status_unknown),
	    cmocka_unit_test(test_garbage_answer_is_a_protocol_error),
	    cmocka_unit_test(test_ready_check_refuses_a_printer_out_of_paper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
