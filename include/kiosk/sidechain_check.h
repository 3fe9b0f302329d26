/*
 * What became of a token transfer on the sidechain, by agreement: every
 * usable sidechain node is asked at once (getTransactionInfo, or findOne
 * for a token's precision), and an answer counts only when `quorum` nodes
 * of different operators give it exactly. Nodes that fail, answer for
 * something else, or disagree with the agreed answer (or with the transfer
 * the caller proved on the main chain) go into back-off in the checker's
 * node pool. Precisions agreed on are cached.
 *
 * The kiosk asks it for every token payment (firmware/app/kiosk_token.c,
 * docs/tokens.md).
 */
#ifndef KIOSK_SIDECHAIN_CHECK_H
#define KIOSK_SIDECHAIN_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/http.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"
#include "kiosk/pool.h"
#include "kiosk/rng.h"
#include "kiosk/sidechain.h"
#include "kiosk/site.h"
#include "kiosk/token.h"

#define SIDECHAIN_CHECK_QUORUM     2    /* issue 19: "confirmed by at least two sidechain nodes" */
#define SIDECHAIN_CHECK_TIMEOUT_MS 8000 /* per request, when the config gives none */
#define SIDECHAIN_CHECK_CACHE_MAX  16   /* tokens whose precision is kept */
#define SIDECHAIN_CHECK_WHY_MAX    255

struct sidechain_check_config {
	const struct site_node *nodes; /* copied; url without the /blockchain path; pin optional */
	unsigned node_count;           /* 1..SITE_NODES_MAX */
	unsigned quorum;               /* operators that must agree; 0 = SIDECHAIN_CHECK_QUORUM */
	unsigned timeout_ms;           /* 0 = SIDECHAIN_CHECK_TIMEOUT_MS */
};

enum sidechain_verdict {
	SIDECHAIN_VERDICT_EXECUTED, /* quorum: executed, the same transfer */
	SIDECHAIN_VERDICT_FAILED,   /* quorum: refused, the same error; not paid */
	SIDECHAIN_VERDICT_PENDING,  /* no agreement yet: ask again later (see why) */
};

struct sidechain_check_result {
	enum sidechain_verdict verdict;
	struct sidechain_outcome outcome; /* EXECUTED, FAILED: the agreed one */
	unsigned asked, answered, agreed; /* nodes asked, that answered, in the agreement */
	/* FAILED: the sidechain's error; PENDING: why there is no agreement. */
	char why[SIDECHAIN_CHECK_WHY_MAX + 1];
};

struct sidechain_check;

/* Called once per check; r is valid during the call only. */
typedef void (*sidechain_check_tx_fn)(void *ctx, const struct sidechain_check_result *r);
/* Called once per lookup: KERR_OK with the agreed precision, KERR_NOTFOUND when the nodes agree
 * there is no such token, KERR_BUSY when they do not agree (why says how). */
typedef void (*sidechain_check_precision_fn)(void *ctx, enum kerr err, uint8_t precision,
                                             const char *why);

/*
 * A checker asking through http (borrowed: its CA bundle is the one the
 * sidechain nodes' certificates are checked against), timing its nodes on
 * loop's clock, with rng for the back-off's jitter (borrowed). Free it
 * after http_free() (which drops what is in flight without calling back)
 * or when nothing is in flight.
 */
KIOSK_MUST_CHECK enum kerr sidechain_check_new(struct loop *loop, struct http *http,
                                               struct rng *rng,
                                               const struct sidechain_check_config *cfg,
                                               struct sidechain_check **out);
void sidechain_check_free(struct sidechain_check *c);

/*
 * Asks every node out of back-off what became of mainchain transaction txid
 * (with its "-N" suffix; at most SIDECHAIN_TXID_MAX bytes of hex and '-'), a
 * transfer of a token with `precision` decimals; done is called once, from
 * the loop, never from inside this call. expect, when not NULL, is the
 * transfer proven on the main chain (from, to, symbol, quantity, memo): a
 * node that tells another executed transfer is lying. KERR_INVAL for a bad
 * txid or precision, KERR_OFFLINE when every node is in back-off (nothing
 * is asked; pool_next_retry_ms() on sidechain_check_pool() says until when),
 * KERR_NOMEM.
 */
KIOSK_MUST_CHECK enum kerr sidechain_check_tx(struct sidechain_check *c, const char *txid,
                                              uint8_t precision,
                                              const struct token_transfer *expect,
                                              sidechain_check_tx_fn done, void *ctx);

/*
 * A token's precision: from the cache when agreed on before (KERR_OK,
 * *cached set, no request, done not called), else asked of every usable
 * node (KERR_BUSY, *cached 0xFF, done called once from the loop). Errors
 * as sidechain_check_tx, and KERR_INVAL for a symbol that is not valid.
 */
KIOSK_MUST_CHECK enum kerr sidechain_check_precision(struct sidechain_check *c, const char *symbol,
                                                     uint8_t *cached,
                                                     sidechain_check_precision_fn done, void *ctx);

/* The nodes' health, for status screens and tests. */
const struct pool *sidechain_check_pool(const struct sidechain_check *c);

#endif
