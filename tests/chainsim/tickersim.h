/*
 * A local won-market exchange ticker for tests: one HTTPS server (simtls.h;
 * its CA written as ticker-ca.pem) answering GET /v1/ticker?markets=A,B in
 * the shape of Upbit's public REST API (docs.upbit.com, 시세 Ticker 조회):
 * an array with one object per market asked, every member a real reply
 * has, prices as the JSON number text the test gave (so "312.1" or
 * "3.121E2" reach the client as written), and {"error":{"name":404,
 * "message":"Code not found"}} with HTTP 404 for a market it does not list.
 * Faults on command.
 */
#ifndef TICKERSIM_H
#define TICKERSIM_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/kerr.h"

struct tickersim;

#define TICKERSIM_CA_FILE  "ticker-ca.pem"
#define TICKERSIM_MARKETS  8
#define TICKERSIM_SLOW_MS  4000
#define TICKERSIM_STALE_MS (60 * 60 * 1000) /* how old a stale ticker's trade is */

struct tickersim_config {
	const char *dir; /* TICKERSIM_CA_FILE goes here */
	unsigned port;   /* 0: any free port */
};

enum tickersim_fault {
	TICKERSIM_DOWN,       /* connections closed without an answer */
	TICKERSIM_HTTP5XX,    /* 503 with a proxy's HTML page, as a CDN in front answers */
	TICKERSIM_RATE_LIMIT, /* 429 "Too many API requests." (Upbit's per-second limit) */
	TICKERSIM_MALFORMED,  /* a body cut in the middle of the JSON */
	TICKERSIM_STALE,      /* trade_timestamp TICKERSIM_STALE_MS in the past (a halted market) */
	TICKERSIM_SLOW,       /* each answer waits TICKERSIM_SLOW_MS */
	TICKERSIM_FAULT_COUNT
};

enum kerr tickersim_start(const struct tickersim_config *cfg, struct tickersim **out);
void tickersim_stop(struct tickersim *t);
unsigned tickersim_port(const struct tickersim *t);
/*
 * The market's price (a JSON number's text: "312.0", "3.121E2") and the
 * time of its last trade in ms since 1970 (0: the time of each request).
 * Adds the market or changes it. KERR_INVAL for a market code or price
 * that is not plain text of at most 32 bytes, KERR_TOO_BIG past
 * TICKERSIM_MARKETS.
 */
enum kerr tickersim_price(struct tickersim *t, const char *market, const char *price,
                          int64_t at_ms);
void tickersim_fault(struct tickersim *t, enum tickersim_fault f, bool on);
/* Requests answered (or refused by a fault) so far. */
unsigned long tickersim_requests(struct tickersim *t);

#endif
