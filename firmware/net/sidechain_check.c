/*
 * Request shapes: steemsmartcontracts plugins/JsonRPCServer.js (the
 * blockchain endpoint's getTransactionInfo {txid}, the contracts endpoint's
 * findOne {contract, table, query}).
 */
#include "kiosk/sidechain_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"

#define BODY_MAX 256  /* a request's JSON: the longest txid or symbol fits */
#define NO_TOKEN 0xFF /* a findOne answer of null: no such token */

struct ask {
	struct http_request req;
	struct job *job;
	unsigned node;
	int64_t sent_ms;
	unsigned latency_ms;
	bool answered; /* a well-formed answer in out / precision */
	bool liar;     /* told another transfer than the one proven */
	struct sidechain_outcome out;
	uint8_t precision; /* NO_TOKEN: the node says there is none */
	char url[SITE_URL_MAX + 16];
};

struct job {
	struct sidechain_check *c;
	struct job *next;
	bool is_tx;
	char txid[SIDECHAIN_TXID_MAX + 1];
	char symbol[TOKEN_SYMBOL_MAX + 1];
	uint8_t precision;
	bool has_expect;
	struct token_transfer expect;
	char body[BODY_MAX];
	unsigned asked, pending;
	sidechain_check_tx_fn tx_done;
	sidechain_check_precision_fn precision_done;
	void *ctx;
	struct ask ask[SITE_NODES_MAX];
};

struct cached {
	char symbol[TOKEN_SYMBOL_MAX + 1];
	uint8_t precision;
};

struct sidechain_check {
	struct loop *loop;
	struct http *http;
	struct site_node nodes[SITE_NODES_MAX];
	unsigned count, quorum, timeout_ms;
	struct pool pool;
	struct cached cache[SIDECHAIN_CHECK_CACHE_MAX];
	unsigned ncached, next_evict;
	struct job *jobs;
};

static int64_t now_ms(const struct sidechain_check *c)
{
	return clock_mono_ns(loop_clock(c->loop)) / 1000000;
}

/* Nodes of one operator count once (as site_operator_of does for chain nodes). */
static unsigned operator_of(const struct sidechain_check *c, unsigned i)
{
	if (c->nodes[i].operator_name[0] == '\0')
		return i;
	for (unsigned j = 0; j < i; j++)
		if (strcmp(c->nodes[j].operator_name, c->nodes[i].operator_name) == 0)
			return j;
	return i;
}

/* Appends to a bounded text; what does not fit is cut. */
KIOSK_PRINTF(3, 4)
static void addf(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static bool same_transfer(const struct token_transfer *a, const struct token_transfer *b)
{
	return strcmp(a->from, b->from) == 0 && strcmp(a->to, b->to) == 0 &&
	       strcmp(a->symbol, b->symbol) == 0 && a->quantity == b->quantity &&
	       strcmp(a->memo, b->memo) == 0;
}

static bool same_answer(const struct job *j, const struct ask *a, const struct ask *b)
{
	if (!j->is_tx)
		return a->precision == b->precision;
	if (a->out.state != b->out.state || strcmp(a->out.txid, b->out.txid) != 0)
		return false;
	if (a->out.state == SIDECHAIN_EXECUTED)
		return same_transfer(&a->out.transfer, &b->out.transfer);
	return a->out.state != SIDECHAIN_FAILED || strcmp(a->out.error, b->out.error) == 0;
}

/* An answer that takes a side: a transaction not found yet is no opinion. */
static bool counts(const struct job *j, const struct ask *a)
{
	return a->answered && !a->liar && (!j->is_tx || a->out.state != SIDECHAIN_NOT_FOUND);
}

/* Operators (distinct) whose nodes gave a's answer. */
static unsigned support(const struct job *j, const struct ask *a)
{
	unsigned mask = 0, n = 0;

	for (unsigned i = 0; i < j->asked; i++)
		if (counts(j, &j->ask[i]) && same_answer(j, a, &j->ask[i]))
			mask |= 1u << operator_of(j->c, j->ask[i].node);
	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

static void describe(const struct job *j, const struct ask *a, char *buf, size_t cap)
{
	char q[TOKEN_QUANTITY_MAX + 1] = "?";

	if (!j->is_tx) {
		if (a->precision == NO_TOKEN)
			snprintf(buf, cap, "no such token");
		else
			snprintf(buf, cap, "precision %u", a->precision);
	} else if (a->out.state == SIDECHAIN_EXECUTED) {
		if (token_quantity_format(a->out.transfer.quantity, j->precision, q, sizeof(q)))
			snprintf(q, sizeof(q), "?");
		snprintf(buf, cap, "executed %s %s from %s to %s", q, a->out.transfer.symbol,
		         a->out.transfer.from, a->out.transfer.to);
	} else if (a->out.state == SIDECHAIN_FAILED) {
		snprintf(buf, cap, "failed (%s)", a->out.error);
	} else {
		snprintf(buf, cap, "not found yet");
	}
}

/*
 * The answer quorum operators gave, or NULL. Two different answers that
 * both have a quorum (possible with many nodes) are no agreement.
 */
static const struct ask *agreed_answer(const struct job *j, unsigned quorum)
{
	const struct ask *best = NULL;

	for (unsigned i = 0; i < j->asked; i++) {
		const struct ask *a = &j->ask[i];

		if (!counts(j, a) || support(j, a) < quorum)
			continue;
		if (best && !same_answer(j, best, a))
			return NULL;
		best = a;
	}
	return best;
}

static void cache_put(struct sidechain_check *c, const char *symbol, uint8_t precision)
{
	unsigned i;

	for (i = 0; i < c->ncached; i++)
		if (strcmp(c->cache[i].symbol, symbol) == 0)
			break;
	if (i == c->ncached && c->ncached < SIDECHAIN_CHECK_CACHE_MAX) {
		c->ncached++;
	} else if (i == c->ncached) {
		i = c->next_evict; /* full: the oldest entry goes */
		c->next_evict = (c->next_evict + 1) % SIDECHAIN_CHECK_CACHE_MAX;
	}
	snprintf(c->cache[i].symbol, sizeof(c->cache[i].symbol), "%s", symbol);
	c->cache[i].precision = precision;
}

/* Every node's part, for a result with no agreement. */
static void explain(const struct job *j, char *why, size_t cap)
{
	char what[128];

	snprintf(why, cap, "%u operators must agree;", j->c->quorum);
	for (unsigned i = 0; i < j->asked; i++) {
		const struct ask *a = &j->ask[i];

		if (a->answered)
			describe(j, a, what, sizeof(what));
		else
			snprintf(what, sizeof(what), "no answer (%s)", j->c->pool.n[a->node].why);
		addf(why, cap, " node %u: %s%s;", a->node, what,
		     a->liar ? ", not the transfer proven" : "");
	}
}

/* All answers are in: the nodes judged, the verdict given, the job freed. */
static void finish(struct job *j)
{
	struct sidechain_check *c = j->c;
	const struct ask *agreed = agreed_answer(j, c->quorum);
	struct sidechain_check_result r = {.verdict = SIDECHAIN_VERDICT_PENDING};
	int64_t now = now_ms(c);
	struct job **pp;

	for (unsigned i = 0; i < j->asked; i++) {
		const struct ask *a = &j->ask[i];

		if (!a->answered || a->liar)
			continue; /* failed already */
		r.answered++;
		if (agreed && counts(j, a) && !same_answer(j, agreed, a))
			pool_fail(&c->pool, a->node, now,
			          "disagreed with the other sidechain nodes");
		else
			pool_ok(&c->pool, a->node, now, a->latency_ms, 0);
	}
	for (pp = &c->jobs; *pp && *pp != j; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = j->next;
	if (j->is_tx) {
		r.asked = j->asked;
		if (agreed) {
			r.agreed = support(j, agreed);
			r.outcome = agreed->out;
			r.verdict = agreed->out.state == SIDECHAIN_EXECUTED
			                ? SIDECHAIN_VERDICT_EXECUTED
			                : SIDECHAIN_VERDICT_FAILED;
			snprintf(r.why, sizeof(r.why), "%s", agreed->out.error);
		} else {
			explain(j, r.why, sizeof(r.why));
		}
		j->tx_done(j->ctx, &r);
	} else if (agreed && agreed->precision != NO_TOKEN) {
		cache_put(c, j->symbol, agreed->precision);
		j->precision_done(j->ctx, KERR_OK, agreed->precision, NULL);
	} else if (agreed) {
		j->precision_done(j->ctx, KERR_NOTFOUND, 0,
		                  "the sidechain nodes agree: no such token");
	} else {
		char why[SIDECHAIN_CHECK_WHY_MAX + 1];

		explain(j, why, sizeof(why));
		j->precision_done(j->ctx, KERR_BUSY, 0, why);
	}
	free(j);
}

static void on_done(struct http_request *req, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct ask *a = container_of(req, struct ask, req);
	struct job *j = a->job;
	struct sidechain_check *c = j->c;
	int64_t now = now_ms(c);
	const char *why = NULL;
	char msg[64];
	enum kerr e;
	uint8_t p;

	a->latency_ms = now - a->sent_ms > 0 ? (unsigned)(now - a->sent_ms) : 0;
	if (err) {
		pool_fail(&c->pool, a->node, now, kerr_str(err));
	} else if (status != 200) {
		snprintf(msg, sizeof(msg), "HTTP status %ld", status);
		pool_fail(&c->pool, a->node, now, msg);
	} else if (j->is_tx) {
		e = sidechain_parse_tx_info(body, len, j->precision, &a->out, &why);
		if (e) {
			pool_fail(&c->pool, a->node, now, why ? why : kerr_str(e));
		} else if (a->out.state != SIDECHAIN_NOT_FOUND &&
		           strcmp(a->out.txid, j->txid) != 0) {
			pool_fail(&c->pool, a->node, now, "answered for another transaction");
		} else {
			a->answered = true;
			a->liar = j->has_expect && a->out.state == SIDECHAIN_EXECUTED &&
			          !same_transfer(&a->out.transfer, &j->expect);
			if (a->liar)
				pool_fail(&c->pool, a->node, now,
				          "told another transfer than the one proven");
		}
	} else {
		e = sidechain_parse_token_precision(body, len, j->symbol, &p, &why);
		if (e == KERR_OK || e == KERR_NOTFOUND) {
			a->answered = true;
			a->precision = e ? NO_TOKEN : p;
		} else {
			pool_fail(&c->pool, a->node, now, why ? why : kerr_str(e));
		}
	}
	if (--j->pending == 0)
		finish(j);
}

/* Asks every node out of back-off; the job is the checker's from then on. */
static enum kerr start(struct sidechain_check *c, struct job *j, const char *path)
{
	int64_t now = now_ms(c);
	unsigned usable = 0;

	j->c = c;
	for (unsigned i = 0; i < c->count; i++) {
		struct ask *a = &j->ask[j->asked];
		size_t n = strlen(c->nodes[i].url);

		if (c->pool.n[i].retry_at_ms > now)
			continue;
		usable++;
		if (n && c->nodes[i].url[n - 1] == '/')
			n--;
		snprintf(a->url, sizeof(a->url), "%.*s%s", (int)n, c->nodes[i].url, path);
		a->job = j;
		a->node = i;
		a->sent_ms = now;
		a->req = (struct http_request){.url = a->url,
		                               .pin = c->nodes[i].pin[0] ? c->nodes[i].pin : NULL,
		                               .body = j->body,
		                               .timeout_ms = c->timeout_ms,
		                               .max_bytes = SIDECHAIN_REPLY_MAX,
		                               .done = on_done};
		if (http_post(c->http, &a->req) != KERR_OK) {
			pool_fail(&c->pool, i, now, "the request could not be started");
			continue;
		}
		j->asked++;
		j->pending++;
	}
	if (!j->asked) {
		free(j);
		return usable ? KERR_IO : KERR_OFFLINE;
	}
	j->next = c->jobs;
	c->jobs = j;
	return KERR_OK;
}

enum kerr sidechain_check_tx(struct sidechain_check *c, const char *txid, uint8_t precision,
                             const struct token_transfer *expect, sidechain_check_tx_fn done,
                             void *ctx)
{
	struct job *j;

	if (!sidechain_txid_valid(txid) || precision > TOKEN_PRECISION_MAX || !done)
		return KERR_INVAL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return KERR_NOMEM;
	j->is_tx = true;
	snprintf(j->txid, sizeof(j->txid), "%s", txid);
	j->precision = precision;
	j->has_expect = expect != NULL;
	if (expect)
		j->expect = *expect;
	j->tx_done = done;
	j->ctx = ctx;
	/* txid is hex and '-' only: nothing in it needs escaping. */
	snprintf(j->body, sizeof(j->body),
	         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getTransactionInfo\","
	         "\"params\":{\"txid\":\"%s\"}}",
	         txid);
	return start(c, j, "/blockchain");
}

enum kerr sidechain_check_precision(struct sidechain_check *c, const char *symbol, uint8_t *cached,
                                    sidechain_check_precision_fn done, void *ctx)
{
	struct job *j;
	enum kerr err;

	*cached = 0xFF;
	if (!token_symbol_valid(symbol) || !done)
		return KERR_INVAL;
	for (unsigned i = 0; i < c->ncached; i++)
		if (strcmp(c->cache[i].symbol, symbol) == 0) {
			*cached = c->cache[i].precision;
			return KERR_OK;
		}
	j = calloc(1, sizeof(*j));
	if (!j)
		return KERR_NOMEM;
	snprintf(j->symbol, sizeof(j->symbol), "%s", symbol);
	j->precision_done = done;
	j->ctx = ctx;
	/* A valid symbol is upper-case letters and dots: nothing needs escaping. */
	snprintf(j->body, sizeof(j->body),
	         "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"findOne\",\"params\":{\"contract\":"
	         "\"tokens\",\"table\":\"tokens\",\"query\":{\"symbol\":\"%s\"}}}",
	         symbol);
	err = start(c, j, "/contracts");
	return err ? err : KERR_BUSY;
}

enum kerr sidechain_check_new(struct loop *loop, struct http *http, struct rng *rng,
                              const struct sidechain_check_config *cfg,
                              struct sidechain_check **out)
{
	struct sidechain_check *c;

	*out = NULL;
	if (!loop || !http || !rng || !cfg->nodes || cfg->node_count == 0 ||
	    cfg->node_count > SITE_NODES_MAX ||
	    (cfg->quorum ? cfg->quorum : SIDECHAIN_CHECK_QUORUM) > cfg->node_count)
		return KERR_INVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return KERR_NOMEM;
	c->loop = loop;
	c->http = http;
	c->count = cfg->node_count;
	memcpy(c->nodes, cfg->nodes, cfg->node_count * sizeof(cfg->nodes[0]));
	c->quorum = cfg->quorum ? cfg->quorum : SIDECHAIN_CHECK_QUORUM;
	c->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : SIDECHAIN_CHECK_TIMEOUT_MS;
	pool_init(&c->pool, c->count, rng);
	*out = c;
	return KERR_OK;
}

void sidechain_check_free(struct sidechain_check *c)
{
	if (!c)
		return;
	while (c->jobs) {
		struct job *j = c->jobs;

		c->jobs = j->next;
		free(j);
	}
	free(c);
}

const struct pool *sidechain_check_pool(const struct sidechain_check *c)
{
	return &c->pool;
}
