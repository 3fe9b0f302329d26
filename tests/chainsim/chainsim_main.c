/*
 * chainsim: the local chain on https://127.0.0.1:PORT. Commands on stdin:
 *   transfer FROM TO AMOUNT_NUMBER SYMBOL MEMO...   (e.g. transfer alice coop 7.250 HIVE KP-1)
 *   produce | fault down|5xx|malformed|lie|stale on|off | quit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chainsim.h"

int main(int argc, char **argv)
{
	struct chainsim_config cfg = {.chain = SITE_CHAIN_HIVE, .port = 8443, .dir = ".", .block_ms = 3000};
	struct chainsim *c;
	char line[1024];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0)
			cfg.port = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--dir") == 0)
			cfg.dir = argv[i + 1];
		else if (strcmp(argv[i], "--block-ms") == 0)
			cfg.block_ms = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--chain") == 0)
			cfg.chain = strcmp(argv[i + 1], "steem") == 0 ? SITE_CHAIN_STEEM : SITE_CHAIN_HIVE;
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
		if (sscanf(line, "transfer %31s %31s %31s %15s %511[^\n]", from, to, num, sym, memo) >= 4) {
			char amount[64];

			snprintf(amount, sizeof(amount), "%s %s", num, sym);
			printf("%s\n", chainsim_transfer(c, from, to, amount, memo) ? "error" : "ok");
		} else if (strcmp(line, "produce") == 0) {
			chainsim_produce(c);
			printf("block %u\n", chainsim_head(c));
		} else if (sscanf(line, "fault %31s %7s", name, onoff) == 2) {
			static const char *const names[CHAINSIM_FAULT_COUNT] = {
			    "down", "5xx", "malformed", "lie", "stale", "slow", "truncated", "oversized", "tamper", "replay", "history_lag", "no_tx_index", "no_history", "wrong_keys", "account_lag"};

			for (int f = 0; f < CHAINSIM_FAULT_COUNT; f++)
				if (strcmp(name, names[f]) == 0)
					chainsim_fault(c, (enum chainsim_fault)f, strcmp(onoff, "on") == 0);
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
