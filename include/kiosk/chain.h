/*
 * Chain profiles: everything that differs between Steem and Hive, in one
 * place. Nothing Steem- or Hive-specific is hard-coded anywhere else; code
 * asks the profile chosen by the site file.
 */
#ifndef KIOSK_CHAIN_H
#define KIOSK_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/asset.h"
#include "kiosk/site.h"

#define CHAIN_ID_LEN     32
#define CHAIN_PREFIX_MAX 3

/* The three assets of a chain, in the chain's own text symbols. */
enum chain_asset { CHAIN_LIQUID, CHAIN_DOLLAR, CHAIN_VESTING, CHAIN_ASSET_COUNT };

struct chain_asset_info {
	const char *symbol; /* text form: "STEEM", "HBD", "VESTS" */
	uint8_t precision;
	const char *nai;           /* appbase JSON: "@@000000021" */
	const char *legacy_symbol; /* legacy binary: Hive writes STEEM/SBD here */
	uint32_t hf26_asset_num;   /* Hive HF26 binary; 0 on Steem (no such form) */
};

struct chain_profile {
	enum site_chain chain;
	const char *name;          /* "steem", "hive" */
	const char *uri_scheme;    /* "steem", "hive" (steem://sign/op/...) */
	const char *signer_host;   /* "steemlogin.com", "hivesigner.com" */
	const char *key_prefix;    /* "STM" */
	unsigned block_interval_s; /* 3 */
	bool has_hf26_form;        /* Hive: a second binary transaction form */
	struct chain_asset_info assets[CHAIN_ASSET_COUNT];
};

/* The profile of a chain; never NULL for a valid enum site_chain. */
const struct chain_profile *chain_profile_get(enum site_chain chain);

/* By name ("steem"/"hive"); NULL if unknown. */
const struct chain_profile *chain_profile_by_name(const char *name);

/*
 * The chain id that signatures of a transaction or block at unix time t are
 * made over (Hive: zero before HF24, beeab0de… after). Writes CHAIN_ID_LEN bytes.
 */
void chain_id_at(const struct chain_profile *p, int64_t unix_time, uint8_t out[CHAIN_ID_LEN]);

/* The chain's asset with this text symbol, or NULL (e.g. "HIVE" on Steem). */
const struct chain_asset_info *chain_asset_by_symbol(const struct chain_profile *p,
                                                     const char *symbol);

/* The chain's asset with this NAI string ("@@000000021"), or NULL. */
const struct chain_asset_info *chain_asset_by_nai(const struct chain_profile *p, const char *nai);

/* True when a is one of this chain's assets with its precision. */
bool chain_asset_valid(const struct chain_profile *p, const struct asset *a);

#endif
