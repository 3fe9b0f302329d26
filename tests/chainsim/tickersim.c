/*
 * Reply members and their order from docs.upbit.com ("시세 Ticker 조회",
 * GET /v1/ticker); the JSON is written with snprintf, not jansson, so a
 * price reaches the client as the number text the test chose.
 */
#include "tickersim.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simtls.h"

#define TEXT_MAX  32
#define ENTRY_MAX 1024 /* bytes of one market's object */

struct market {
	char code[TEXT_MAX + 1];
	char price[TEXT_MAX + 1];
	int64_t at_ms;
};

struct tickersim {
	struct simtls *tls;
	pthread_mutex_t mu; /* everything below */
	struct market market[TICKERSIM_MARKETS];
	unsigned nmarkets;
	bool faults[TICKERSIM_FAULT_COUNT];
	unsigned long requests;
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool plain_text(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > TEXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"' || s[i] == '\\' || s[i] == ',' || (unsigned char)s[i] < 0x20)
			return false;
	return true;
}

static struct market *find(struct tickersim *t, const char *code, size_t len)
{
	for (unsigned i = 0; i < t->nmarkets; i++)
		if (strlen(t->market[i].code) == len && memcmp(t->market[i].code, code, len) == 0)
			return &t->market[i];
	return NULL;
}

/* One market's object, as Upbit lists its members. */
static int entry(const struct market *m, int64_t at_ms, int64_t now, char *out, size_t cap)
{
	time_t sec = (time_t)(at_ms / 1000), kst = sec + 9 * 3600;
	struct tm utc, local;
	char date[9], tod[7], date_kst[9], tod_kst[7];

	gmtime_r(&sec, &utc);
	gmtime_r(&kst, &local);
	strftime(date, sizeof(date), "%Y%m%d", &utc);
	strftime(tod, sizeof(tod), "%H%M%S", &utc);
	strftime(date_kst, sizeof(date_kst), "%Y%m%d", &local);
	strftime(tod_kst, sizeof(tod_kst), "%H%M%S", &local);
	return snprintf(out, cap,
	                "{\"market\":\"%s\",\"trade_date\":\"%s\",\"trade_time\":\"%s\","
	                "\"trade_date_kst\":\"%s\",\"trade_time_kst\":\"%s\","
	                "\"trade_timestamp\":%lld,\"opening_price\":%s,\"high_price\":%s,"
	                "\"low_price\":%s,\"trade_price\":%s,\"prev_closing_price\":%s,"
	                "\"change\":\"EVEN\",\"change_price\":0.0,\"change_rate\":0.0,"
	                "\"signed_change_price\":0.0,\"signed_change_rate\":0.0,"
	                "\"trade_volume\":12.5,\"acc_trade_price\":1.2345678901E8,"
	                "\"acc_trade_price_24h\":2.3456789012E8,\"acc_trade_volume\":400000.1,"
	                "\"acc_trade_volume_24h\":750000.2,\"highest_52_week_price\":%s,"
	                "\"highest_52_week_date\":\"2023-02-01\",\"lowest_52_week_price\":%s,"
	                "\"lowest_52_week_date\":\"2023-06-10\",\"timestamp\":%lld}",
	                m->code, date, tod, date_kst, tod_kst, (long long)at_ms, m->price, m->price,
	                m->price, m->price, m->price, m->price, m->price, (long long)now);
}

/* The reply to "/v1/ticker?markets=…" (under mu). */
static char *ticker(struct tickersim *t, const char *path, int *status)
{
	static const char prefix[] = "/v1/ticker?markets=";
	const char *p = path + sizeof(prefix) - 1;
	int64_t now = now_ms();
	size_t cap = 2 + TICKERSIM_MARKETS * (ENTRY_MAX + 1), n = 0;
	char *out;

	if (strncmp(path, prefix, sizeof(prefix) - 1) != 0) {
		*status = 404;
		return strdup("{\"error\":{\"name\":404,\"message\":\"Not Found\"}}");
	}
	out = malloc(cap);
	if (!out)
		return NULL;
	out[n++] = '[';
	for (unsigned k = 0; *p; k++) {
		size_t len = strcspn(p, ",&");
		struct market *m = find(t, p, len);
		int64_t at;
		int w;

		if (!m || k == TICKERSIM_MARKETS) {
			free(out);
			*status = 404;
			return strdup("{\"error\":{\"name\":404,\"message\":\"Code not found\"}}");
		}
		at = m->at_ms ? m->at_ms : now;
		if (t->faults[TICKERSIM_STALE])
			at = now - TICKERSIM_STALE_MS;
		if (k)
			out[n++] = ',';
		w = entry(m, at, now, out + n, ENTRY_MAX);
		if (w < 0 || w >= ENTRY_MAX) {
			free(out);
			return NULL;
		}
		n += (size_t)w;
		p += len;
		if (*p != ',')
			break;
		p++;
	}
	out[n++] = ']';
	out[n] = '\0';
	return out;
}

static char *handle(void *ctx, unsigned node, const char *path, const char *body, size_t len,
                    int *status)
{
	struct tickersim *t = ctx;
	bool faults[TICKERSIM_FAULT_COUNT];
	char *reply;

	(void)node;
	(void)body;
	(void)len;
	pthread_mutex_lock(&t->mu);
	memcpy(faults, t->faults, sizeof(faults));
	t->requests++;
	pthread_mutex_unlock(&t->mu);
	if (faults[TICKERSIM_DOWN])
		return NULL;
	if (faults[TICKERSIM_SLOW]) {
		struct timespec ts = {TICKERSIM_SLOW_MS / 1000,
		                      (TICKERSIM_SLOW_MS % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	if (faults[TICKERSIM_HTTP5XX]) {
		*status = 503;
		return strdup(
		    "<html><head><title>503 Service Temporarily Unavailable</title></head>"
		    "<body><center><h1>503 Service Temporarily Unavailable</h1></center>"
		    "</body></html>");
	}
	if (faults[TICKERSIM_RATE_LIMIT]) {
		*status = 429;
		return strdup("Too many API requests.");
	}
	pthread_mutex_lock(&t->mu);
	reply = ticker(t, path, status);
	pthread_mutex_unlock(&t->mu);
	if (reply && faults[TICKERSIM_MALFORMED])
		reply[strlen(reply) / 2] = '\0';
	return reply;
}

enum kerr tickersim_start(const struct tickersim_config *cfg, struct tickersim **out)
{
	struct tickersim *t;
	char ca[512];
	struct simtls_config tc = {.ca_file = ca, .ca_name = "tickersim test CA", .nodes = 1};
	enum kerr err;

	*out = NULL;
	if (!cfg->dir)
		return KERR_INVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return KERR_NOMEM;
	pthread_mutex_init(&t->mu, NULL);
	snprintf(ca, sizeof(ca), "%s/%s", cfg->dir, TICKERSIM_CA_FILE);
	tc.port = cfg->port;
	tc.handle = handle;
	tc.ctx = t;
	err = simtls_start(&tc, &t->tls);
	if (err) {
		pthread_mutex_destroy(&t->mu);
		free(t);
		return err;
	}
	*out = t;
	return KERR_OK;
}

void tickersim_stop(struct tickersim *t)
{
	if (!t)
		return;
	simtls_stop(t->tls);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

unsigned tickersim_port(const struct tickersim *t)
{
	return simtls_port(t->tls, 0);
}

enum kerr tickersim_price(struct tickersim *t, const char *market, const char *price, int64_t at_ms)
{
	struct market *m;
	enum kerr err = KERR_OK;

	if (!plain_text(market) || !plain_text(price) || at_ms < 0)
		return KERR_INVAL;
	pthread_mutex_lock(&t->mu);
	m = find(t, market, strlen(market));
	if (!m && t->nmarkets == TICKERSIM_MARKETS) {
		err = KERR_TOO_BIG;
	} else {
		if (!m)
			m = &t->market[t->nmarkets++];
		snprintf(m->code, sizeof(m->code), "%s", market);
		snprintf(m->price, sizeof(m->price), "%s", price);
		m->at_ms = at_ms;
	}
	pthread_mutex_unlock(&t->mu);
	return err;
}

void tickersim_fault(struct tickersim *t, enum tickersim_fault f, bool on)
{
	if (f >= TICKERSIM_FAULT_COUNT)
		return;
	pthread_mutex_lock(&t->mu);
	t->faults[f] = on;
	pthread_mutex_unlock(&t->mu);
}

unsigned long tickersim_requests(struct tickersim *t)
{
	unsigned long n;

	pthread_mutex_lock(&t->mu);
	n = t->requests;
	pthread_mutex_unlock(&t->mu);
	return n;
}
