/*
 * Screens: time to the first payment screen from nothing (font opened,
 * first glyphs looked up, QR encoded, drawn), then the payment screen's
 * render time at 320x240 and 800x480 (p50/p99 over 200 runs), the font's
 * memory and the process's peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "kiosk/render.h"
#include "testutil.h"

#define RUNS 200

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void timed(struct font *f, const struct screen_model *m, int w, int h, double *p50,
                  double *p99)
{
	double lat[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct canvas *c;
		double a = now_s();

		if (render_screen(f, m, w, h, &c) != KERR_OK)
			exit(1);
		lat[i] = now_s() - a;
		canvas_free(c);
	}
	qsort(lat, RUNS, sizeof(double), cmp);
	*p50 = lat[RUNS / 2] * 1e3;
	*p99 = lat[RUNS * 99 / 100] * 1e3;
}

int main(void)
{
	char uri[RENDER_URI_MAX];
	struct screen_model m;
	struct canvas *c;
	struct font *f;
	struct rusage ru;
	double t0 = now_s(), first, a50, a99, b50, b99;

	if (font_open(KIOSK_UNIFONT_PATH, &f) ||
	    render_sample(SCREEN_PAYMENT, SITE_LANG_KO, &m, uri) ||
	    render_screen(f, &m, 320, 240, &c))
		return 1;
	first = (now_s() - t0) * 1e3;
	canvas_free(c);
	timed(f, &m, 320, 240, &a50, &a99);
	timed(f, &m, 800, 480, &b50, &b99);
	getrusage(RUSAGE_SELF, &ru);
	printf("first_screen_ms=%.2f render_320x240_p50_ms=%.2f render_320x240_p99_ms=%.2f "
	       "render_800x480_p50_ms=%.2f render_800x480_p99_ms=%.2f font_kb=%zu rss_kb=%ld\n",
	       first, a50, a99, b50, b99, font_memory(f) / 1024, ru.ru_maxrss);
	font_close(f);
	return 0;
}
