/*
 * chainsim: the local chain on https://127.0.0.1:PORT. Commands on stdin:
 *   transfer FROM TO AMOUNT_NUMBER SYMBOL MEMO...   (e.g. transfer alice coop 7.250 HIVE KP-1)
 *   token FROM TO QUANTITY SYMBOL MEMO...   (a sidechain token transfer as custom_json)
 *   feed BASE_NUMBER BASE_SYMBOL QUOTE_NUMBER QUOTE_SYMBOL   (the median history price)
 *   produce | fault down|5xx|malformed|lie|stale on|off | quit
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chainsim.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: chainsim [--port N] [--dir DIR] [--block-ms MS] [--chain hive|steem]\n"
	    "  --port N        node 0's TCP port on 127.0.0.1 (default 8443; 0: any free port,\n"
	    "                  printed at start)\n"
	    "  --dir DIR       where the CA certificate ca.pem is written (default .)\n"
	    "  --block-ms MS   a block every MS milliseconds (default 3000; 0: only on produce)\n"
	    "  --chain C       hive (default) or steem\n"
	    "  --lib-lag N     the last irreversible block trails the head by N blocks\n"
	    "                  (default: the chain's, 16 on steem, 1 on hive)\n"
	    "  --help          this text\n"
	    "Commands on stdin, one a line:\n"
	    "  transfer FROM TO AMOUNT SYMBOL MEMO...   e.g. transfer alice coop 7.250 HIVE KP-1\n"
	    "  poison FROM TO AMOUNT SYMBOL MEMO...     the same in a transaction no kiosk can "
	    "prove\n"
	    "  token FROM TO QUANTITY SYMBOL MEMO...    a token transfer (custom_json), e.g.\n"
	    "                                           token alice coop 10.000 SCT KP-1\n"
	    "  feed BASE SYMBOL QUOTE SYMBOL            the price feed, e.g. feed 0.250 HBD 1.000 "
	    "HIVE\n"
	    "  produce\n"
	    "  fault NAME on|off   (down, 5xx, malformed, lie, stale, slow, truncated, oversized,\n"
	    "                       tamper, replay, history_lag, no_tx_index, no_history, "
	    "head_ahead, forge,\n"
	    "                       wrong_keys, account_lag, poison_index)\n"
	    "  quit\n");
}

/* A whole decimal number no larger than max, or -1. */
static long number_arg(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || v > max ? -1 : (long)v;
}

/* 0: parsed; 1: --help; 2: refused (the reason is on stderr). */
static int parse_args(int argc, char **argv, struct chainsim_config *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		long n = 0;

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0)
			return 1;
		if (strcmp(opt, "--port") && strcmp(opt, "--dir") && strcmp(opt, "--block-ms") &&
		    strcmp(opt, "--chain") && strcmp(opt, "--lib-lag")) {
			fprintf(stderr, "chainsim: unknown option %s\n", opt);
			return 2;
		}
		if (!val) {
			fprintf(stderr, "chainsim: %s needs a value\n", opt);
			return 2;
		}
		i++;
		if (strcmp(opt, "--dir") == 0) {
			cfg->dir = val;
		} else if (strcmp(opt, "--chain") == 0) {
			if (strcmp(val, "hive") && strcmp(val, "steem")) {
				fprintf(stderr, "chainsim: --chain takes hive or steem, not %s\n",
				        val);
				return 2;
			}
			cfg->chain = strcmp(val, "steem") == 0 ? SITE_CHAIN_STEEM : SITE_CHAIN_HIVE;
		} else if ((n = number_arg(val, strcmp(opt, "--port") == 0 ? 65535 : 86400000)) <
		           0) {
			fprintf(stderr, "chainsim: %s takes a number, not %s\n", opt, val);
			return 2;
		} else if (strcmp(opt, "--port") == 0) {
			cfg->port = (unsigned)n;
		} else if (strcmp(opt, "--lib-lag") == 0) {
			cfg->lib_lag = (unsigned)n;
		} else {
			cfg->block_ms = (unsigned)n;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct chainsim_config cfg = {
	    .chain = SITE_CHAIN_HIVE, .port = 8443, .dir = ".", .block_ms = 3000};
	struct chainsim *c;
	char line[1024];

	switch (parse_args(argc, argv, &cfg)) {
	case 0:
		break;
	case 1:
		usage(stdout);
		return 0;
	default:
		usage(stderr);
		return 2;
	}
	if (chainsim_start(&cfg, &c)) {
		fprintf(stderr, "chainsim: cannot start on port %u (in use?)\n", cfg.port);
		return 1;
	}
	printf("chainsim: https://127.0.0.1:%u (CA: %s/ca.pem)\n", chainsim_port(c), cfg.dir);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		char from[32], to[32], num[32], sym[16], memo[512] = "";
		char name[32], onoff[8];

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "transfer %31s %31s %31s %15s %511[^\n]", from, to, num, sym,
		           memo) >= 4) {
			char amount[64];

			snprintf(amount, sizeof(amount), "%s %s", num, sym);
			printf("%s\n",
			       chainsim_transfer(c, from, to, amount, memo) ? "error" : "ok");
		} else if (sscanf(line, "poison %31s %31s %31s %15s %511[^\n]", from, to, num, sym,
		                  memo) >= 4) {
			char amount[64];

			snprintf(amount, sizeof(amount), "%s %s", num, sym);
			printf("%s\n", chainsim_poisoned_transfer(c, from, to, amount, memo)
			                   ? "error"
			                   : "ok");
		} else if (sscanf(line, "token %31s %31s %31s %15s %511[^\n]", from, to, num, sym,
		                  memo) >= 4) {
			char id[41];
			unsigned op_index;

			if (chainsim_token_transfer(c, from, to, sym, num, memo,
			                            CHAINSIM_TOKEN_ACTIVE, id, &op_index))
				printf("error\n");
			else
				printf("ok %s\n", id);
		} else if (sscanf(line, "feed %31s %15s %31s %15s", from, sym, to, name) == 4) {
			char base[64], quote[64];

			snprintf(base, sizeof(base), "%s %s", from, sym);
			snprintf(quote, sizeof(quote), "%s %s", to, name);
			chainsim_price_feed(c, base, quote);
			printf("ok\n");
		} else if (strcmp(line, "produce") == 0) {
			chainsim_produce(c);
			printf("block %u\n", chainsim_head(c));
		} else if (sscanf(line, "fault %31s %7s", name, onoff) == 2) {
			static const char *const names[CHAINSIM_FAULT_COUNT] = {
			    "down",       "5xx",         "malformed",   "lie",
			    "stale",      "slow",        "truncated",   "oversized",
			    "tamper",     "replay",      "history_lag", "no_tx_index",
			    "no_history", "wrong_keys",  "account_lag", "head_ahead",
			    "forge",      "poison_index"};

			for (int f = 0; f < CHAINSIM_FAULT_COUNT; f++)
				if (strcmp(name, names[f]) == 0)
					chainsim_fault(c, (enum chainsim_fault)f,
					               strcmp(onoff, "on") == 0);
			printf("ok\n");
		} else if (strcmp(line, "quit") == 0) {
			break;
		}
		fflush(stdout);
	}
	if (!isatty(STDIN_FILENO) && feof(stdin))
		while (1)
			pause(); /* stdin closed (a script): keep serving until killed */
	chainsim_stop(c);
	return 0;
}
