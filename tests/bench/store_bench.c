/*
 * Journal write rate as the kiosk writes: every order and every transfer in
 * its own transaction with synchronous=FULL (each one durable on return).
 * Prints orders_per_s, transfers_per_s, p50/p99 per write and peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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

int main(void)
{
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
		o.items[0].unit_price = (struct asset){.amount = 1500, .precision = 3, .symbol = "HIVE"};
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
	rm_rf(dir);
	free(dir);
	getrusage(RUSAGE_SELF, &ru);
	printf("orders_per_s=%.0f transfers_per_s=%.0f transfer_p50_ms=%.3f transfer_p99_ms=%.3f "
	       "rss_kb=%ld\n",
	       orders_s, transfers_s, lat[N / 2] * 1e3, lat[N * 99 / 100] * 1e3, ru.ru_maxrss);
	free(lat);
	return 0;
}
