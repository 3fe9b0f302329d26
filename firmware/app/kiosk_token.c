/*
 * Token payments (docs/tokens.md). The watcher proves a token transfer's
 * custom_json on the chain; it is not money yet. It is journaled as an
 * unverified transfer ("waiting for the sidechain"), and the sidechain's
 * nodes are asked what became of it (sidechain_check.h: a quorum of
 * operators must tell the same transfer as proven on the chain). Executed:
 * handed to the matcher as a transfer in the token, at the token's own
 * precision. Refused: never paid, the sidechain's reason journaled for
 * staff. No agreement yet: asked again with back-off, a bounded number of
 * times, then left to staff. One node's word is never enough.
 */
#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/sidechain_check.h"
#include "kiosk/token.h"

#define TOKEN_PENDING_MAX 16
#define TOKEN_WAIT_MIN_MS 2000
#define TOKEN_WAIT_MAX_MS 60000
/* Asks before a transfer is left to staff: the sidechain executes a
 * transfer a few blocks after the chain's; about half an hour of back-off. */
#define TOKEN_ASKS_MAX  40
#define TOKEN_WAITING   "token transfer: waiting for the sidechain to confirm it executed"
#define TOKEN_RESUME_MS (7LL * 86400 * 1000)

struct token_pending {
	bool used, in_flight;
	struct kiosk *k;
	char trx_id[41];
	uint32_t op_index, op_count, block;
	int64_t time_ms;
	char from[TOKEN_ACCOUNT_MAX + 1];
	char memo[TX_MEMO_MAX + 1];
	size_t memo_len;
	struct asset amount; /* at WATCHER_TOKEN_PRECISION */
	unsigned node, asks, wait_ms;
	int64_t next_ms;
};

struct kiosk_tokens {
	struct http *http;
	struct sidechain_check *check;
	struct loop_timer timer;
	struct kiosk *k;
	struct token_pending p[TOKEN_PENDING_MAX];
};

static void ask(struct token_pending *p);

static void settle(struct token_pending *p, const char *reason, const char *event)
{
	struct kiosk *k = p->k;
	char d[320];

	if (store_unverified_set_reason(k->store, p->trx_id, p->op_index, reason))
		log_err("journal: token transfer %s: \"%s\" could not be recorded", p->trx_id,
		        reason);
	snprintf(d, sizeof(d), "%.40s from %s: %s", p->trx_id, p->from, reason);
	if (event && store_event(k->store, NULL, event, d))
		log_err("journal: token transfer %s: the event could not be recorded", p->trx_id);
	p->used = false;
}

/* Asked again later, with back-off; after TOKEN_ASKS_MAX, left to staff. */
static void later(struct token_pending *p, const char *why)
{
	struct kiosk_tokens *t = p->k->tokens;
	char reason[128];

	p->in_flight = false;
	if (++p->asks >= TOKEN_ASKS_MAX) {
		snprintf(reason, sizeof(reason), "token transfer: no sidechain agreement (%.60s)",
		         why);
		log_warn("token transfer %s: %s; staff must check it", p->trx_id, reason);
		settle(p, reason, "token_unconfirmed");
		return;
	}
	p->wait_ms = p->wait_ms ? p->wait_ms * 2 : TOKEN_WAIT_MIN_MS;
	if (p->wait_ms > TOKEN_WAIT_MAX_MS)
		p->wait_ms = TOKEN_WAIT_MAX_MS;
	p->next_ms = now_ms(p->k) + p->wait_ms;
	log_info("token transfer %s: not confirmed yet (%s); asking again in %u s", p->trx_id, why,
	         p->wait_ms / 1000);
	loop_timer_arm(p->k->loop, &t->timer, (int64_t)p->wait_ms * NS_PER_MS);
}

/* Executed on the sidechain as proven on the chain: a payment in the token. */
static void paid(struct token_pending *p, uint8_t precision, int64_t quantity)
{
	struct kiosk *k = p->k;
	struct watcher_transfer wt = {.trx_id = p->trx_id,
	                              .op_index = p->op_index,
	                              .block = p->block,
	                              .time_ms = p->time_ms,
	                              .from = p->from,
	                              .to = k->site->account,
	                              .memo = p->memo,
	                              .memo_len = p->memo_len,
	                              .node = SITE_NODES_MAX,
	                              .op_count = p->op_count};

	if (asset_token(p->amount.symbol, precision, quantity, &wt.amount) ||
	    kiosk_on_transfer(&k->wev, &wt) != KERR_OK) {
		later(p, "the journal refused it");
		return;
	}
	settle(p, "token transfer: executed on the sidechain, counted as a payment", NULL);
}

static void on_tx(void *ctx, const struct sidechain_check_result *r)
{
	struct token_pending *p = ctx;
	char reason[128];

	p->in_flight = false;
	switch (r->verdict) {
	case SIDECHAIN_VERDICT_EXECUTED:
		log_notice("token transfer %s: executed on the sidechain (%u nodes agree)",
		           p->trx_id, r->agreed);
		paid(p, r->outcome.transfer.precision, r->outcome.transfer.quantity);
		return;
	case SIDECHAIN_VERDICT_FAILED:
		snprintf(reason, sizeof(reason), "the sidechain refused it: %.90s", r->why);
		log_warn("token transfer %s: %s; not paid", p->trx_id, reason);
		settle(p, reason, "token_refused");
		return;
	case SIDECHAIN_VERDICT_PENDING:
		later(p, r->why);
		return;
	}
}

/* The quantity proven at 8 decimals, at the token's own precision; false when
 * it has more decimals than the token (tokens.js refuses it: never executed). */
static bool rescale(int64_t q8, uint8_t precision, int64_t *out)
{
	int64_t div = 1;

	for (unsigned i = precision; i < WATCHER_TOKEN_PRECISION; i++)
		div *= 10;
	*out = q8 / div;
	return q8 % div == 0;
}

static void ask_tx(struct token_pending *p, uint8_t precision)
{
	struct kiosk_tokens *t = p->k->tokens;
	struct token_transfer expect = {.precision = precision};
	char txid[SIDECHAIN_TXID_MAX + 1], reason[128];
	enum kerr err;

	if (!rescale(p->amount.amount, precision, &expect.quantity)) {
		snprintf(reason, sizeof(reason),
		         "the sidechain refuses it: more decimals than %s has (%u)",
		         p->amount.symbol, precision);
		settle(p, reason, "token_refused");
		return;
	}
	snprintf(expect.from, sizeof(expect.from), "%s", p->from);
	snprintf(expect.to, sizeof(expect.to), "%s", p->k->site->account);
	snprintf(expect.symbol, sizeof(expect.symbol), "%s", p->amount.symbol);
	memcpy(expect.memo, p->memo, p->memo_len);
	/* steemsmartcontracts names an operation that is not alone in its transaction
	 * "<trx_id>-<op index>" (docs/tokens.md). */
	if (p->op_count > 1 || p->op_index > 0)
		snprintf(txid, sizeof(txid), "%s-%u", p->trx_id, p->op_index);
	else
		snprintf(txid, sizeof(txid), "%s", p->trx_id);
	err = sidechain_check_tx(t->check, txid, precision, &expect, on_tx, p);
	if (err) {
		later(p, kerr_str(err));
		return;
	}
	p->in_flight = true;
}

static void on_precision(void *ctx, enum kerr err, uint8_t precision, const char *why)
{
	struct token_pending *p = ctx;
	char reason[128];

	p->in_flight = false;
	if (err == KERR_NOTFOUND) {
		snprintf(reason, sizeof(reason), "the sidechain has no token %s", p->amount.symbol);
		settle(p, reason, "token_refused");
		return;
	}
	if (err) {
		later(p, why && why[0] ? why : kerr_str(err));
		return;
	}
	ask_tx(p, precision);
}

static void ask(struct token_pending *p)
{
	struct kiosk_tokens *t = p->k->tokens;
	uint8_t precision;
	enum kerr err =
	    sidechain_check_precision(t->check, p->amount.symbol, &precision, on_precision, p);

	if (err == KERR_OK)
		ask_tx(p, precision);
	else if (err == KERR_BUSY)
		p->in_flight = true;
	else
		later(p, kerr_str(err));
}

static void on_timer(struct loop_timer *timer)
{
	struct kiosk_tokens *t = container_of(timer, struct kiosk_tokens, timer);
	int64_t now = now_ms(t->k), next = 0;

	for (unsigned i = 0; i < TOKEN_PENDING_MAX; i++) {
		struct token_pending *p = &t->p[i];

		if (!p->used || p->in_flight)
			continue;
		if (p->next_ms <= now)
			ask(p);
		else if (!next || p->next_ms < next)
			next = p->next_ms;
	}
	if (next)
		loop_timer_arm(t->k->loop, &t->timer, (next - now) * NS_PER_MS);
}

/* t waits for the sidechain's word: asked about from the loop (once, however often it is
 * reported). */
static void enqueue(struct kiosk *k, const struct watcher_transfer *t)
{
	struct kiosk_tokens *kt = k->tokens;
	struct token_pending *p = NULL;

	for (unsigned i = 0; i < TOKEN_PENDING_MAX; i++) {
		if (kt->p[i].used && strcmp(kt->p[i].trx_id, t->trx_id) == 0 &&
		    kt->p[i].op_index == t->op_index)
			return;
		if (!kt->p[i].used && !p)
			p = &kt->p[i];
	}
	if (!p) {
		log_warn("token transfer %s: %d already wait for the sidechain; it waits for the "
		         "next start, journaled",
		         t->trx_id, TOKEN_PENDING_MAX);
		return;
	}
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->k = k;
	snprintf(p->trx_id, sizeof(p->trx_id), "%s", t->trx_id);
	p->op_index = t->op_index;
	p->op_count = t->op_count;
	p->block = t->block;
	p->time_ms = t->time_ms;
	snprintf(p->from, sizeof(p->from), "%s", t->from);
	p->memo_len = t->memo_len < TX_MEMO_MAX ? t->memo_len : TX_MEMO_MAX;
	memcpy(p->memo, t->memo, p->memo_len);
	p->amount = t->amount;
	p->node = t->node;
	p->next_ms = now_ms(k);
	log_notice("token transfer %s from %s proven on the chain; asking the sidechain", t->trx_id,
	           t->from);
	loop_timer_arm(k->loop, &kt->timer, 0);
}

/* A token transfer journaled as waiting before this start: asked about again. Its
 * transaction's operation count is not journaled: operation 0 is taken as alone in it (what
 * wallets sign), and a wrong guess ends with staff after TOKEN_ASKS_MAX asks. */
static void resume(const struct store_unverified *u, void *arg)
{
	struct kiosk *k = arg;
	struct watcher_transfer t = {.trx_id = u->trx_id,
	                             .op_index = u->op_index,
	                             .block = u->block,
	                             .time_ms = u->timestamp_ms,
	                             .from = u->from,
	                             .to = k->site->account,
	                             .amount = u->amount,
	                             .memo = u->memo,
	                             .memo_len = u->memo_len,
	                             .node = SITE_NODES_MAX};

	if (strcmp(u->reason, TOKEN_WAITING) == 0 &&
	    site_token_index(k->site, u->amount.symbol) >= 0 &&
	    u->amount.precision == WATCHER_TOKEN_PRECISION)
		enqueue(k, &t);
}

enum kerr kiosk_on_token(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct kiosk *k = container_of(e, struct kiosk, wev);
	struct watcher_unverified u = {.trx_id = t->trx_id,
	                               .op_index = t->op_index,
	                               .block = t->block,
	                               .time_ms = t->time_ms,
	                               .from = t->from,
	                               .amount = t->amount,
	                               .memo = t->memo,
	                               .memo_len = t->memo_len,
	                               .reason = TOKEN_WAITING,
	                               .node = t->node};
	char reason[128];
	enum kerr err = kiosk_on_unverified(e, &u);

	if (err)
		return err;
	/* Read again after a restart: asked about only while it still waits. */
	if (store_unverified_reason(k->store, t->trx_id, t->op_index, reason, sizeof(reason)) ||
	    strcmp(reason, TOKEN_WAITING) != 0)
		return KERR_OK;
	enqueue(k, t);
	return KERR_OK;
}

enum kerr kiosk_tokens_open(struct kiosk *k)
{
	const struct site *s = k->site;
	struct sidechain_check_config cfg = {.nodes = s->sidechain_nodes,
	                                     .node_count = s->sidechain_node_count,
	                                     .quorum = s->sidechain_quorum,
	                                     .timeout_ms = s->request_timeout_ms};
	struct kiosk_tokens *t;
	enum kerr err;

	if (!s->token_count)
		return KERR_OK;
	t = calloc(1, sizeof(*t));
	if (!t)
		return KERR_NOMEM;
	t->k = k;
	t->timer.handle = on_timer;
	err = http_new(k->loop, s->sidechain_ca_path, &t->http);
	if (!err)
		err = sidechain_check_new(k->loop, t->http, k->rng, &cfg, &t->check);
	if (err) {
		http_free(t->http);
		free(t);
		return err;
	}
	k->tokens = t;
	k->wev.token = kiosk_on_token;
	/* What waited for the sidechain when the kiosk stopped (a week back at most). */
	if (store_unverified_each(k->store, now_ms(k) - TOKEN_RESUME_MS, INT64_MAX, resume, k))
		log_warn("journal: token transfers waiting for the sidechain could not be read");
	/* Each token's precision asked now, so a won price can be offered in it. */
	for (unsigned i = 0; i < s->token_count; i++)
		(void)kiosk_token_precision(k, s->tokens[i]);
	return KERR_OK;
}

void kiosk_tokens_close(struct kiosk *k)
{
	struct kiosk_tokens *t = k->tokens;

	if (!t)
		return;
	loop_timer_disarm(k->loop, &t->timer);
	http_free(t->http); /* drops what is in flight without calling back */
	sidechain_check_free(t->check);
	free(t);
	k->tokens = NULL;
}

/* The sidechain's answer only warms the cache; the next request uses it.
 * ctx is the symbol as the site file names it (lives as long as the kiosk). */
static void precision_warmed(void *ctx, enum kerr err, uint8_t precision, const char *why)
{
	const char *symbol = ctx ? ctx : "a token";

	if (err)
		log_info("%s: precision not known yet: %s", symbol,
		         why && why[0] ? why : kerr_str(err));
	else
		log_info("%s: precision %u, as the sidechain nodes agree", symbol,
		         (unsigned)precision);
}

int kiosk_token_precision(void *ctx, const char *symbol)
{
	struct kiosk *k = ctx;
	uint8_t precision = 0xFF;
	int i;

	if (!k->tokens)
		return -1;
	/* Not cached: asked now, answered for a later request, never waited for. */
	i = site_token_index(k->site, symbol);
	if (sidechain_check_precision(k->tokens->check, symbol, &precision, precision_warmed,
	                              i < 0 ? NULL : (void *)k->site->tokens[i]) != KERR_OK)
		return -1;
	return precision;
}
