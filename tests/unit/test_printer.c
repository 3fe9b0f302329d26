/* The sim printer port, the generic wrappers over it, and the usblp status byte. */
#include "kiosk/printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos_decode.h"
#include "printer/printer_sim.h"
#include "testutil.h"

static void test_sim_appends_jobs_to_its_file(void **state)
{
	struct board_printer cfg = {.backend = "sim", .width_dots = 384};
	static const uint8_t job1[] = {0x1B, 0x40, 'h', 'i', '\n'};
	static const uint8_t job2[] = {0x1D, 0x56, 0x41, 0x00};
	char *dir = tmpdir_or_fail();
	struct escpos_decoded d;
	struct printer *p;
	size_t len;
	char *got;

	(void)state;
	snprintf(cfg.device, sizeof(cfg.device), "%s/receipts.bin", dir);
	assert_int_equal(printer_sim_open(&cfg, &p), KERR_OK);
	assert_int_equal(printer_write(p, job1, sizeof(job1), 1000), KERR_OK);
	assert_int_equal(printer_write(p, job2, sizeof(job2), 1000), KERR_OK);
	printer_close(p);
	got = read_file_or_fail(cfg.device, &len);
	assert_int_equal(len, sizeof(job1) + sizeof(job2));
	assert_memory_equal(got, job1, sizeof(job1));
	assert_memory_equal(got + sizeof(job1), job2, sizeof(job2));
	assert_int_equal(escpos_decode((const uint8_t *)got, len, &d), 0);
	assert_int_equal(d.ncmds, 3);
	escpos_decode_fini(&d);
	free(got);
	rm_rf(dir);
	free(dir);
}

static void test_sim_paper_out_refuses_jobs_and_reports_it(void **state)
{
	struct board_printer cfg = {.backend = "sim", .width_dots = 384};
	struct escpos_status out = {.known = true, .paper_end = true, .paper_near_end = true}, st;
	static const uint8_t job[] = {0x1B, 0x40};
	char *dir = tmpdir_or_fail();
	struct printer *p;
	size_t len;
	char *got;

	(void)state;
	snprintf(cfg.device, sizeof(cfg.device), "%s/receipts.bin", dir);
	assert_int_equal(printer_sim_open(&cfg, &p), KERR_OK);
	assert_int_equal(printer_ready(p, 100, &st), KERR_OK);
	printer_sim_set_status(p, &out);
	assert_int_equal(printer_ready(p, 100, &st), KERR_OFFLINE);
	assert_true(st.paper_end);
	assert_int_equal(printer_write(p, job, sizeof(job), 100), KERR_OFFLINE);
	/* Nothing of the refused job reached the paper. */
	got = read_file_or_fail(cfg.device, &len);
	assert_int_equal(len, 0);
	free(got);
	out = (struct escpos_status){.known = false};
	printer_sim_set_status(p, &out);
	assert_int_equal(printer_status(p, 100, &st), KERR_TIMEOUT);
	assert_false(st.known);
	printer_close(p);
	rm_rf(dir);
	free(dir);
}

static void test_usblp_status_byte_decodes(void **state)
{
	struct escpos_status st;

	(void)state;
	printer_lp_status_decode(0x18, &st); /* selected, no error */
	assert_true(escpos_status_ready(&st));
	printer_lp_status_decode(0x38, &st); /* + paper out */
	assert_true(st.paper_end);
	assert_false(escpos_status_ready(&st));
	printer_lp_status_decode(0x08, &st); /* not selected */
	assert_true(st.offline);
	assert_false(st.paper_end);
	printer_lp_status_decode(0x10, &st); /* error line low */
	assert_true(st.error);
}

static void test_usblp_open_refuses_what_is_not_a_usb_printer(void **state)
{
	struct board_printer cfg = {.backend = "usblp"};
	struct printer *p = (struct printer *)&cfg;
	char *dir = tmpdir_or_fail();
	char *file = write_file_or_fail(dir, "lp0", "");

	(void)state;
	snprintf(cfg.device, sizeof(cfg.device), "%s/missing", dir);
	assert_int_equal(printer_usblp_open(&cfg, &p), KERR_IO);
	assert_null(p);
	snprintf(cfg.device, sizeof(cfg.device), "%s", file);
	assert_int_equal(printer_usblp_open(&cfg, &p), KERR_IO); /* LPABORT refused */
	assert_null(p);
	free(file);
	rm_rf(dir);
	free(dir);
}

/* The paced sim answers DLE EOT with a real printer's bytes [docs/printer.md §5],
 * once the query gets through the data ahead of it. */
static void test_paced_sim_answers_status_like_a_printer(void **state)
{
	struct board_printer cfg = {.backend = "sim", .width_dots = 384};
	static uint8_t job[3000];
	char *dir = tmpdir_or_fail();
	struct clock_fake clk;
	struct printer *p;
	size_t done = 0;
	uint8_t b;

	(void)state;
	clock_fake_init(&clk, 0);
	snprintf(cfg.device, sizeof(cfg.device), "%s/receipts.bin", dir);
	assert_int_equal(printer_open(&cfg, &p), KERR_OK);
	assert_true(printer_present(p));
	printer_sim_pace(p, &clk.base, 9600);
	assert_int_equal(p->ops->bytes_per_s(p), 960);
	/* 3,000 bytes at 960 bytes/s: the buffer takes them, the line needs 3.125 s. */
	assert_int_equal(p->ops->write_some(p, job, sizeof(job), &done), KERR_OK);
	assert_int_equal(done, sizeof(job));
	assert_int_equal(p->ops->status_query(p, ESCPOS_STATUS_PRINTER), KERR_OK);
	clock_fake_advance(&clk, 3 * NS_PER_S);
	assert_int_equal(p->ops->status_read(p, &b), KERR_BUSY);
	assert_int_equal(p->ops->pending(p), 120);
	clock_fake_advance(&clk, 200 * NS_PER_MS);
	assert_int_equal(p->ops->pending(p), 0);
	assert_int_equal(p->ops->status_read(p, &b), KERR_OK);
	assert_int_equal(b, 0x12);
	/* Out of paper: the bytes of the hardless example. */
	printer_sim_set_fault(p, PRINTER_SIM_PAPER_OUT_AT, 0);
	for (int n = 1; n <= 4; n++)
		assert_int_equal(p->ops->status_query(p, (enum escpos_status_kind)n), KERR_OK);
	static const uint8_t want[] = {0x1A, 0x32, 0x12, 0x7E};
	for (int n = 0; n < 4; n++) {
		assert_int_equal(p->ops->status_read(p, &b), KERR_OK);
		assert_int_equal(b, want[n]);
	}
	/* A stopped printer takes only what fits its buffer. */
	assert_int_equal(p->ops->write_some(p, job, sizeof(job), &done), KERR_OK);
	assert_int_equal(p->ops->write_some(p, job, sizeof(job), &done), KERR_OK);
	assert_int_equal(done, PRINTER_SIM_BUFFER - sizeof(job));
	clock_fake_advance(&clk, 10 * NS_PER_S);
	assert_int_equal(p->ops->pending(p), PRINTER_SIM_BUFFER);
	assert_int_equal(printer_sim_consumed(p), sizeof(job));
	/* Unplugged: writes fail and reopen fails until it is back. */
	printer_sim_clear_faults(p);
	printer_sim_set_fault(p, PRINTER_SIM_UNPLUG_AT, 0);
	assert_false(printer_present(p));
	assert_int_equal(p->ops->write_some(p, job, 1, &done), KERR_IO);
	assert_int_equal(printer_reopen(p), KERR_IO);
	printer_sim_plug(p);
	assert_int_equal(printer_reopen(p), KERR_OK);
	assert_true(printer_present(p));
	printer_close(p);
	rm_rf(dir);
	free(dir);
}

static void test_open_keeps_a_missing_printer(void **state)
{
	struct board_printer cfg = {.backend = "serial", .baud = 19200};
	struct board_printer bad = {.backend = "serial", .baud = 12345};
	struct board_printer none = {.backend = "none"};
	struct printer *p;
	static const uint8_t job[] = {0x1B, 0x40};

	(void)state;
	snprintf(cfg.device, sizeof(cfg.device), "/nonexistent/ttyUSB9");
	assert_int_equal(printer_open(&cfg, &p), KERR_OK);
	assert_false(printer_present(p));
	assert_int_equal(p->ops->fd(p), -1);
	assert_int_equal(printer_write(p, job, sizeof(job), 10), KERR_IO);
	assert_int_equal(printer_reopen(p), KERR_IO);
	printer_close(p);
	/* Settings no device can fix stay fatal. */
	assert_int_equal(printer_open(&bad, &p), KERR_INVAL);
	assert_null(p);
	assert_int_equal(printer_open(&none, &p), KERR_NOTSUP);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_appends_jobs_to_its_file),
	    cmocka_unit_test(test_sim_paper_out_refuses_jobs_and_reports_it),
	    cmocka_unit_test(test_usblp_status_byte_decodes),
	    cmocka_unit_test(test_usblp_open_refuses_what_is_not_a_usb_printer),
	    cmocka_unit_test(test_paced_sim_answers_status_like_a_printer),
	    cmocka_unit_test(test_open_keeps_a_missing_printer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
