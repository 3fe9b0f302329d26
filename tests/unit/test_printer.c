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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_appends_jobs_to_its_file),
	    cmocka_unit_test(test_sim_paper_out_refuses_jobs_and_reports_it),
	    cmocka_unit_test(test_usblp_status_byte_decodes),
	    cmocka_unit_test(test_usblp_open_refuses_what_is_not_a_usb_printer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
