/*
 * Journal write rate as the kiosk writes: every order and every transfer in
 * its own transaction with synchronous=FULL (each one durable on return).
 * Prints orders_per_s, transfers_per_s, p50/p99 per write and peak RSS.
 *
 * Then the reads that must not grow with the journal, at 1,000,000 orders
 * (all open, the worst case for the suffix search): the daemon's open after
 * a clean stop and after an unclean one (which checks), the idle screen's
 * count, search by id and by suffix, a browse step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bulkjournal.h"
#include "kiosk/store.h"
#include "testutil.h"

#define N 10000

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define BIG 1000000u

struct big {
	double build_s, open_clean_ms, open_unclean_ms, count_ms, find_id_ms, find_suffix_ms,
	    browse_ms;
};

static double ms_since(double t0)
{
	return (now_s() - t0) * 1e3;
}

static void big_journal(const char *dir, struct big *r)
{
	char path[600];
	struct store *s, *again;
	struct order o;
	unsigned n;
	double t0;

	snprintf(path, sizeof(path), "%s/big.db", dir);
	t0 = now_s();
	bulk_orders_or_fail(path, "B", 7, BIG);
	r->build_s = now_s() - t0;
	/* The first owner open checks (no mark yet); time the ones after. */
	if (store_open_owner(path, clock_system(), &s))
		abort();
	store_close(s);
	t0 = now_s();
	if (store_open_owner(path, clock_system(), &s) || store_open_checked(s))
		abort();
	r->open_clean_ms = ms_since(t0);
	/* Still marked open by the first: as after a power cut. */
	t0 = now_s();
	if (store_open_owner(path, clock_system(), &again) || !store_open_checked(again))
		abort();
	r->open_unclean_ms = ms_since(t0);
	store_close(again);
	t0 = now_s();
	if (store_order_count(s, ORDER_READY, &n) || n != BIG)
		abort();
	r->count_ms = ms_since(t0);
	t0 = now_s();
	if (store_order_find(s, "B0765432", &o))
		abort();
	r->find_id_ms = ms_since(t0);
	t0 = now_s();
	if (store_order_find(s, "0765432", &o) || strcmp(o.id, "B0765432") != 0)
		abort();
	r->find_suffix_ms = ms_since(t0);
	t0 = now_s();
	if (store_order_browse(s, "B0765432", 1, &o) || strcmp(o.id, "B0765433") != 0)
		abort();
	r->browse_ms = ms_since(t0);
	store_close(s);
}

int main(void)
{
	struct big big;
	char *dir = tmpdir_or_fail(), path[512];
	double *lat = malloc(sizeof(double) * N), t0, orders_s, transfers_s;
	struct clock_fake clk;
	struct store *s;
	struct rusage ru;

	clock_fake_init(&clk, 1795478400000LL);
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	if (store_open(path, &clk.base, &s) != KERR_OK)
		return 1;
	t0 = now_s();
	for (int i = 0; i < N; i++) {
		struct order o;
		double a = now_s();

		memset(&o, 0, sizeof(o));
		snprintf(o.id, sizeof(o.id), "O%06d", i);
		strcpy(o.member, "alice");
		o.item_count = 1;
		strcpy(o.items[0].name, "감자 1kg");
		o.items[0].quantity = 2;
		o.items[0].unit_price =
		    (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
		o.price = (struct asset){.amount = 3000, .precision = 3, .symbol = "HIVE"};
		o.compartment = 1 + (unsigned)(i % 8);
		if (store_order_insert(s, &o) != KERR_OK)
			return 1;
		lat[i] = now_s() - a;
	}
	orders_s = N / (now_s() - t0);
	qsort(lat, N, sizeof(double), cmp_double);
	printf("orders: p50_ms=%.3f p99_ms=%.3f\n", lat[N / 2] * 1e3, lat[N * 99 / 100] * 1e3);
	t0 = now_s();
	for (int i = 0; i < N; i++) {
		struct store_transfer t;
		double a = now_s();

		memset(&t, 0, sizeof(t));
		snprintf(t.trx_id, sizeof(t.trx_id), "%040x", i);
		t.block = 80000000u + (uint32_t)i;
		strcpy(t.from, "alice");
		strcpy(t.to, "coop");
		t.amount = (struct asset){.amount = 3000, .precision = 3, .symbol = "HIVE"};
		t.memo_len = (size_t)snprintf(t.memo, sizeof(t.memo), "KP-%08d", i);
		if (store_transfer_insert(s, &t) != KERR_OK)
			return 1;
		lat[i] = now_s() - a;
	}
	transfers_s = N / (now_s() - t0);
	qsort(lat, N, sizeof(double), cmp_double);
	store_close(s);
	/* rss_kb is the write part's, as before the big journal was added. */
	getrusage(RUSAGE_SELF, &ru);
	big_journal(dir, &big);
	rm_rf(dir);
	free(dir);
	printf("orders_per_s=%.0f transfers_per_s=%.0f transfer_p50_ms=%.3f transfer_p99_ms=%.3f "
	       "rss_kb=%ld big_orders=%u big_build_s=%.1f big_open_clean_ms=%.1f "
	       "big_open_unclean_ms=%.1f "
	       "big_count_ms=%.3f big_find_id_ms=%.3f big_find_suffix_ms=%.1f big_browse_ms=%.3f\n",
	       orders_s, transfers_s, lat[N / 2] * 1e3, lat[N * 99 / 100] * 1e3, ru.ru_maxrss, BIG,
	       big.build_s, big.open_clean_ms, big.open_unclean_ms, big.count_ms, big.find_id_ms,
	       big.find_suffix_ms, big.browse_ms);
	free(lat);
	return 0;
}
