/*
 * Print jobs in the real event loop against the sim printer paced by a fake
 * clock: the test advances the clock 10 ms per loop turn, so a 50 s job at
 * 9,600 baud takes well under a second of wall time while the sim still
 * takes only baud / 10 bytes per simulated second.
 */
#include "kiosk/print_job.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "escpos_decode.h"
#include "kiosk/receipt.h"
#include "printer/printer_sim.h"
#include "testutil.h"

struct fixture {
	struct clock_fake clk;
	struct loop *loop;
	struct board_printer cfg;
	struct print_port *pp;
	struct printer *p;
	char *dir;
	/* what the job reported */
	struct print_events ev;
	unsigned done_calls, progress_calls;
	enum print_result result;
	size_t sent, total, last_progress;
	bool progress_backwards;
	/* another timer, as the app's watchdog and screens are */
	struct loop_timer other;
	unsigned other_fired;
};

static void on_progress(struct print_events *e, size_t sent, size_t total)
{
	struct fixture *f = container_of(e, struct fixture, ev);

	(void)total;
	if (sent < f->last_progress)
		f->progress_backwards = true;
	f->last_progress = sent;
	f->progress_calls++;
}

static void on_done(struct print_events *e, enum print_result r, size_t sent, size_t total)
{
	struct fixture *f = container_of(e, struct fixture, ev);

	f->done_calls++;
	f->result = r;
	f->sent = sent;
	f->total = total;
}

static void on_other(struct loop_timer *t)
{
	struct fixture *f = container_of(t, struct fixture, other);

	f->other_fired++;
	loop_timer_arm(f->loop, t, NS_PER_S);
}

static struct fixture *setup(unsigned baud, const char *status)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	clock_fake_init(&f->clk, 1700000000000);
	assert_int_equal(loop_new(&f->clk.base, &f->loop), KERR_OK);
	f->dir = tmpdir_or_fail();
	snprintf(f->cfg.backend, sizeof(f->cfg.backend), "sim");
	snprintf(f->cfg.device, sizeof(f->cfg.device), "%s/paper.bin", f->dir);
	snprintf(f->cfg.status, sizeof(f->cfg.status), "%s", status);
	f->cfg.width_dots = 576;
	f->cfg.status_timeout_ms = 1000;
	assert_int_equal(print_port_open(&f->cfg, f->loop, &f->pp), KERR_OK);
	f->p = print_port_printer(f->pp);
	assert_true(printer_present(f->p));
	if (baud)
		printer_sim_pace(f->p, &f->clk.base, baud);
	f->ev = (struct print_events){.progress = on_progress, .done = on_done};
	f->other.handle = on_other;
	loop_timer_arm(f->loop, &f->other, NS_PER_S);
	return f;
}

static void teardown(struct fixture *f)
{
	print_port_close(f->pp);
	loop_free(f->loop);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
}

/* Turns the loop 10 ms of fake time at a time until the job is done; returns
 * the fake milliseconds it took. Fails past limit_ms. */
static int64_t run_job(struct fixture *f, int64_t limit_ms)
{
	int64_t t0 = clock_mono_ns(&f->clk.base);
	unsigned before = f->done_calls;

	while (f->done_calls == before) {
		assert_true(clock_mono_ns(&f->clk.base) - t0 < limit_ms * NS_PER_MS);
		clock_fake_advance(&f->clk, 10 * NS_PER_MS);
		assert_int_equal(loop_run_once(f->loop, 0), KERR_OK);
	}
	assert_int_equal(f->done_calls, before + 1);
	return (clock_mono_ns(&f->clk.base) - t0) / NS_PER_MS;
}

static void start(struct fixture *f, const uint8_t *job, size_t len)
{
	f->last_progress = 0;
	assert_int_equal(print_job_start(f->pp, job, len, &f->ev), KERR_OK);
	/* done always comes from the loop, never from inside start. */
	assert_true(print_port_busy(f->pp));
}

static uint8_t *paper(struct fixture *f, size_t *len)
{
	uint8_t *got = (uint8_t *)read_file_or_fail(f->cfg.device, len);

	assert_non_null(got);
	return got;
}

/* A real 576-dot receipt. */
static uint8_t *receipt_576(size_t *len)
{
	struct order o;
	struct receipt_data r = {.coop_name = "한밭 생활협동조합",
	                         .order = &o,
	                         .payer = "alice",
	                         .trx_id = "83b17966229b26c02a3397b7238a12b69db68bbc",
	                         .paid_at_ms = 1795500000000LL,
	                         .explorer_url = "https://hivehub.dev/tx/",
	                         .how_paid = "chain",
	                         .lang = SITE_LANG_KO};
	uint8_t *buf = malloc(RECEIPT_MAX_BYTES);
	struct font *font;

	memset(&o, 0, sizeof(o));
	strcpy(o.id, "A1024");
	o.item_count = 3;
	for (unsigned i = 0; i < o.item_count; i++) {
		snprintf(o.items[i].name, sizeof(o.items[i].name), "감자 %ukg", i + 1);
		o.items[i].quantity = 2;
		o.items[i].unit_price =
		    (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
	}
	o.price = (struct asset){.amount = 9000, .precision = 3, .symbol = "HIVE"};
	o.pickup = ORDER_PICKUP_RECEIPT;
	assert_non_null(buf);
	assert_int_equal(font_open(KIOSK_UNIFONT_PATH, &font), KERR_OK);
	assert_int_equal(receipt_encode(font, &r, 576, false, buf, RECEIPT_MAX_BYTES, len),
	                 KERR_OK);
	font_close(font);
	return buf;
}

/* A job of n bytes: ESC @, raster bands of 576 dots, feed and cut. */
static uint8_t *raster_job(size_t rows, size_t *len)
{
	struct canvas *c;
	uint8_t *buf = malloc(RECEIPT_MAX_BYTES);
	struct escpos e;

	assert_int_equal(canvas_new(CANVAS_MONO1, 576, (int)rows, &c), KERR_OK);
	for (int y = 0; y < c->height; y++)
		canvas_set_pixel(c, y % 576, y, 0);
	escpos_init(&e, buf, RECEIPT_MAX_BYTES, 576);
	escpos_initialize(&e);
	assert_int_equal(escpos_raster(&e, c), KERR_OK);
	escpos_feed(&e, 3);
	escpos_cut(&e, true, 0);
	assert_int_equal(escpos_finish(&e, len), KERR_OK);
	canvas_free(c);
	return buf;
}

static void test_budget_follows_size_and_baud(void **state)
{
	(void)state;
	/* 48,000 bytes at 19,200 baud: 25 s on the line, ×1.5 + 5 s. */
	assert_int_equal(print_job_budget_ms(48000, 1920), 42500);
	assert_int_equal(print_job_budget_ms(48000, 960), 80000);
	assert_int_equal(print_job_budget_ms(4000, 0), 1500 + PRINT_BUDGET_MARGIN_MS);
	assert_true(print_job_budget_ms(48000, 1920) > 10000); /* never the old fixed 10 s */
}

static void check_receipt_at(unsigned baud)
{
	struct fixture *f = setup(baud, "auto");
	size_t len, got_len;
	uint8_t *job = receipt_576(&len);
	uint8_t *got;
	struct escpos_decoded d;
	int64_t took, line_ms = (int64_t)len * 1000 / (baud / 10);

	assert_true(len > 20000);
	print_message("576-dot receipt: %zu bytes at %u baud\n", len, baud);
	start(f, job, len);
	took = run_job(f, 200000);
	assert_int_equal(f->result, PRINT_PRINTED);
	assert_int_equal(f->sent, len);
	/* Paced: no faster than the line, and well inside the budget. */
	assert_true(took >= line_ms);
	assert_true(took < print_job_budget_ms(len, baud / 10));
	/* The loop kept serving its other timers, about one per second. */
	assert_true(f->other_fired + 1 >= (unsigned)(took / 1000));
	assert_true(f->progress_calls > 10);
	assert_false(f->progress_backwards);
	assert_int_equal(f->last_progress, len);
	/* On the paper: three status queries, the receipt whole, three more. */
	got = paper(f, &got_len);
	assert_int_equal(got_len, len + 18);
	assert_memory_equal(got + 9, job, len);
	assert_int_equal(escpos_decode(got, got_len, &d), 0);
	assert_int_equal(d.cmds[0].op, OP_STATUS);
	assert_int_equal(d.cmds[d.ncmds - 1].op, OP_STATUS);
	assert_int_equal(d.width, 576);
	escpos_decode_fini(&d);
	assert_int_equal(printer_sim_queries(f->p), 6);
	assert_false(print_port_needs_resync(f->pp));
	free(got);
	free(job);
	teardown(f);
}

static void test_576_receipt_at_9600_baud(void **state)
{
	(void)state;
	check_receipt_at(9600);
}

static void test_576_receipt_at_19200_baud(void **state)
{
	(void)state;
	check_receipt_at(19200);
}

static void test_48k_job_at_9600_baud(void **state)
{
	struct fixture *f = setup(9600, "auto");
	size_t len;
	uint8_t *job = raster_job(670, &len);
	int64_t took;

	(void)state;
	assert_true(len >= 48000);
	start(f, job, len);
	took = run_job(f, 200000);
	assert_int_equal(f->result, PRINT_PRINTED);
	assert_true(took >= 50000); /* 48 KB at 960 bytes/s */
	assert_true(f->other_fired >= 49);
	free(job);
	teardown(f);
}

static void test_paper_out_before_the_job_starts_nothing(void **state)
{
	struct fixture *f = setup(19200, "auto");
	size_t len, got_len;
	uint8_t *job = raster_job(100, &len), *got;
	struct escpos_decoded d;

	(void)state;
	printer_sim_set_fault(f->p, PRINTER_SIM_PAPER_OUT_AT, 0);
	start(f, job, len);
	run_job(f, 5000);
	assert_int_equal(f->result, PRINT_PAPER_OUT);
	assert_int_equal(f->sent, 0);
	/* Only the status queries went out: not one byte of the job. */
	got = paper(f, &got_len);
	assert_int_equal(got_len, 9);
	assert_int_equal(escpos_decode(got, got_len, &d), 0);
	for (size_t i = 0; i < d.ncmds; i++)
		assert_int_equal(d.cmds[i].op, OP_STATUS);
	escpos_decode_fini(&d);
	assert_false(print_port_needs_resync(f->pp));
	free(got);
	free(job);
	teardown(f);
}

static void test_cover_opened_mid_job_fails_and_next_job_resyncs(void **state)
{
	static const uint8_t tail[] = {0x10, 0x05, 0x02, 0x1B, 0x40};
	struct fixture *f = setup(19200, "auto");
	size_t len, len2, got_len;
	uint8_t *job = raster_job(300, &len), *job2 = raster_job(20, &len2), *got, *at;
	size_t sent1;

	(void)state;
	printer_sim_set_fault(f->p, PRINTER_SIM_COVER_OPEN_AT, 5000);
	start(f, job, len);
	run_job(f, print_job_budget_ms(len, 1920) + 2000);
	assert_int_equal(f->result, PRINT_COVER_OPEN);
	assert_true(f->sent < len);
	assert_true(print_port_needs_resync(f->pp));
	assert_int_equal(printer_sim_consumed(f->p), 5000);
	sent1 = f->sent;
	/* Cover shut: the next job resyncs first, then prints whole. */
	printer_sim_clear_faults(f->p);
	start(f, job2, len2);
	run_job(f, 60000);
	assert_int_equal(f->result, PRINT_PRINTED);
	assert_false(print_port_needs_resync(f->pp));
	got = paper(f, &got_len);
	at = memmem(got, got_len, tail, sizeof(tail));
	assert_non_null(at);
	/* Before the tail: only NULs back to where the cut-short job stopped. */
	assert_true(at - got > (ptrdiff_t)(9 + sent1));
	for (uint8_t *z = got + 9 + sent1; z < at; z++)
		assert_int_equal(*z, 0);
	/* After it: status, then job2 as it was. */
	assert_memory_equal(at + sizeof(tail) + 9, job2, len2);
	free(got);
	free(job);
	free(job2);
	teardown(f);
}

static void test_unplugged_and_back_prints_with_the_same_printer(void **state)
{
	struct fixture *f = setup(19200, "auto");
	size_t len;
	uint8_t *job = raster_job(100, &len);
	struct printer *before = f->p;

	(void)state;
	printer_sim_set_fault(f->p, PRINTER_SIM_UNPLUG_AT, 3000);
	start(f, job, len);
	run_job(f, 60000);
	assert_int_equal(f->result, PRINT_UNPLUGGED);
	assert_false(printer_present(f->p));
	/* Still unplugged: the next job fails at once, nothing sent. */
	start(f, job, len);
	run_job(f, 1000);
	assert_int_equal(f->result, PRINT_UNPLUGGED);
	assert_int_equal(f->sent, 0);
	/* Plugged back: the port finds it within PRINT_REOPEN_S, on its own. */
	printer_sim_plug(f->p);
	for (int i = 0; i < (PRINT_REOPEN_S + 1) * 100 && !printer_present(f->p); i++) {
		clock_fake_advance(&f->clk, 10 * NS_PER_MS);
		assert_int_equal(loop_run_once(f->loop, 0), KERR_OK);
	}
	assert_true(printer_present(f->p));
	start(f, job, len);
	run_job(f, 60000);
	assert_int_equal(f->result, PRINT_PRINTED);
	assert_ptr_equal(print_port_printer(f->pp), before);
	free(job);
	teardown(f);
}

static void test_garbage_status_is_no_answer_not_ready(void **state)
{
	struct fixture *f = setup(19200, "auto");
	size_t len;
	uint8_t *job = raster_job(10, &len);

	(void)state;
	printer_sim_set_replies(f->p, PRINTER_SIM_REPLY_GARBAGE);
	start(f, job, len);
	run_job(f, 5000);
	assert_int_equal(f->result, PRINT_NO_ANSWER);
	assert_int_equal(f->sent, 0);
	assert_int_equal(printer_sim_consumed(f->p), 0);
	/* Silence too. */
	printer_sim_set_replies(f->p, PRINTER_SIM_REPLY_NONE);
	start(f, job, len);
	assert_true(run_job(f, 5000) >= 1000); /* status_timeout_ms */
	assert_int_equal(f->result, PRINT_NO_ANSWER);
	assert_int_equal(f->sent, 0);
	free(job);
	teardown(f);
}

static void test_status_none_trusts_the_write(void **state)
{
	struct fixture *f = setup(19200, "none");
	size_t len, got_len;
	uint8_t *job = raster_job(10, &len), *got;

	(void)state;
	printer_sim_set_replies(f->p, PRINTER_SIM_REPLY_NONE);
	start(f, job, len);
	run_job(f, 10000);
	assert_int_equal(f->result, PRINT_PRINTED);
	got = paper(f, &got_len);
	assert_int_equal(got_len, len); /* no query at all */
	assert_int_equal(printer_sim_queries(f->p), 0);
	free(got);
	free(job);
	teardown(f);
}

static void test_paper_out_at_the_last_byte_is_not_printed(void **state)
{
	struct fixture *f = setup(19200, "auto");
	size_t len;
	uint8_t *job = raster_job(50, &len);

	(void)state;
	printer_sim_set_fault(f->p, PRINTER_SIM_PAPER_OUT_AT, len);
	start(f, job, len);
	run_job(f, 60000);
	assert_int_equal(f->sent, len);
	assert_int_equal(f->result, PRINT_PAPER_OUT);
	free(job);
	teardown(f);
}

static void test_busy_while_a_job_runs(void **state)
{
	struct fixture *f = setup(19200, "auto");
	size_t len;
	uint8_t *job = raster_job(50, &len);
	struct print_events other = {.done = on_done};

	(void)state;
	start(f, job, len);
	assert_int_equal(print_job_start(f->pp, job, len, &other), KERR_BUSY);
	run_job(f, 60000);
	assert_int_equal(f->result, PRINT_PRINTED);
	assert_false(print_port_busy(f->pp));
	free(job);
	teardown(f);
}

static void test_missing_at_open_is_not_fatal(void **state)
{
	struct board_printer cfg = {
	    .backend = "usblp", .status = "auto", .status_timeout_ms = 100, .width_dots = 384};
	struct clock_fake clk;
	struct loop *l;
	struct print_port *pp;

	(void)state;
	clock_fake_init(&clk, 0);
	assert_int_equal(loop_new(&clk.base, &l), KERR_OK);
	snprintf(cfg.device, sizeof(cfg.device), "/nonexistent/usb/lp9");
	assert_int_equal(print_port_open(&cfg, l, &pp), KERR_OK);
	assert_false(printer_present(print_port_printer(pp)));
	assert_true(loop_next_deadline(l) <= clock_mono_ns(&clk.base) + PRINT_REOPEN_S * NS_PER_S);
	print_port_close(pp);
	loop_free(l);
}

/* The printer side of a pseudo-terminal, served between loop turns: keeps
 * the job's bytes and answers each DLE EOT n with reply (0: stays silent). */
struct pty_printer {
	int master, slave;
	char name[128];
	uint8_t reply;
	uint8_t got[65536];
	size_t got_len;
	unsigned queries;
};

static void pty_serve(struct pty_printer *t)
{
	uint8_t buf[4096];
	ssize_t n;

	while ((n = read(t->master, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (t->got_len < sizeof(t->got))
				t->got[t->got_len++] = buf[i];
			if (t->got_len >= 3 && t->got[t->got_len - 3] == 0x10 &&
			    t->got[t->got_len - 2] == 0x04) {
				t->queries++;
				if (t->reply)
					assert_int_equal(write(t->master, &t->reply, 1), 1);
			}
		}
	}
}

static void pty_start(struct pty_printer *t)
{
	struct termios raw = {0};

	memset(t, 0, sizeof(*t));
	cfmakeraw(&raw);
	raw.c_cflag |= CREAD | CLOCAL;
	assert_int_equal(openpty(&t->master, &t->slave, t->name, &raw, NULL), 0);
	assert_int_equal(fcntl(t->master, F_SETFL, O_NONBLOCK), 0);
	t->reply = 0x12;
}

/* The serial backend in the real loop with the system clock: status and data
 * go through the tty's fd (POLLIN, POLLOUT), not the sim's timer. */
static void test_serial_job_through_the_fd(void **state)
{
	struct board_printer cfg = {.backend = "serial",
	                            .baud = 115200,
	                            .status = "auto",
	                            .status_timeout_ms = 500,
	                            .width_dots = 576};
	struct pty_printer t;
	struct loop *l;
	struct print_port *pp;
	struct fixture f = {0};
	size_t len;
	uint8_t *job = raster_job(40, &len);
	int64_t t0;

	(void)state;
	pty_start(&t);
	snprintf(cfg.device, sizeof(cfg.device), "%s", t.name);
	assert_int_equal(loop_new(clock_system(), &l), KERR_OK);
	assert_int_equal(print_port_open(&cfg, l, &pp), KERR_OK);
	assert_true(printer_present(print_port_printer(pp)));
	f.ev = (struct print_events){.progress = on_progress, .done = on_done};
	assert_int_equal(print_job_start(pp, job, len, &f.ev), KERR_OK);
	t0 = mono_ms();
	while (!f.done_calls) {
		assert_true(mono_ms() - t0 < 5000);
		assert_int_equal(loop_run_once(l, 2), KERR_OK);
		pty_serve(&t);
	}
	assert_int_equal(f.result, PRINT_PRINTED);
	assert_int_equal(t.queries, 6);
	assert_int_equal(t.got_len, len + 18);
	assert_memory_equal(t.got + 9, job, len);

	/* A silent printer: no answer within status_timeout_ms, no job byte sent. */
	t.reply = 0;
	t.got_len = 0;
	assert_int_equal(print_job_start(pp, job, len, &f.ev), KERR_OK);
	t0 = mono_ms();
	while (f.done_calls == 1) {
		assert_true(mono_ms() - t0 < 5000);
		assert_int_equal(loop_run_once(l, 2), KERR_OK);
		pty_serve(&t);
	}
	assert_int_equal(f.result, PRINT_NO_ANSWER);
	assert_true(mono_ms() - t0 >= 500);
	assert_int_equal(f.sent, 0);
	assert_int_equal(t.got_len, 3); /* the first query only */

	/* The line hangs up (a USB-serial adapter pulled): unplugged, not fatal. */
	t.reply = 0x12;
	close(t.master);
	close(t.slave);
	assert_int_equal(print_job_start(pp, job, len, &f.ev), KERR_OK);
	t0 = mono_ms();
	while (f.done_calls == 2) {
		assert_true(mono_ms() - t0 < 5000);
		assert_int_equal(loop_run_once(l, 2), KERR_OK);
	}
	assert_true(f.result == PRINT_UNPLUGGED || f.result == PRINT_IO);
	assert_false(printer_present(print_port_printer(pp)));
	print_port_close(pp);
	loop_free(l);
	free(job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_budget_follows_size_and_baud),
	    cmocka_unit_test(test_576_receipt_at_9600_baud),
	    cmocka_unit_test(test_576_receipt_at_19200_baud),
	    cmocka_unit_test(test_48k_job_at_9600_baud),
	    cmocka_unit_test(test_paper_out_before_the_job_starts_nothing),
	    cmocka_unit_test(test_cover_opened_mid_job_fails_and_next_job_resyncs),
	    cmocka_unit_test(test_unplugged_and_back_prints_with_the_same_printer),
	    cmocka_unit_test(test_garbage_status_is_no_answer_not_ready),
	    cmocka_unit_test(test_status_none_trusts_the_write),
	    cmocka_unit_test(test_paper_out_at_the_last_byte_is_not_printed),
	    cmocka_unit_test(test_busy_while_a_job_runs),
	    cmocka_unit_test(test_missing_at_open_is_not_fatal),
	    cmocka_unit_test(test_serial_job_through_the_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
