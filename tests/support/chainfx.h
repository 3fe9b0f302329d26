/*
 * An end-to-end fixture: the chain simulator, and a simulated board and a
 * site file that point at it, in a fresh folder. A test's own fixture
 * embeds it and adds what only that test needs.
 */
#ifndef KIOSK_TEST_CHAINFX_H
#define KIOSK_TEST_CHAINFX_H

#include "chainsim.h"

struct chainfx {
	char *dir, *board, *site;
	char journal[512];
	struct chainsim *sim;
	unsigned block_ms;
	enum site_chain chain;   /* the simulator's chain: the site file names it */
	const char *chain_extra; /* lines chainfx_write_site adds to [chain]; NULL = none */
};

/* Starts the simulator in a new folder (cfg->dir is set to it); nonzero when it does not start. */
int chainfx_start(struct chainfx *x, struct chainsim_config *cfg);

/*
 * (Re)writes the board: the sim display (frames in dir/frames), the sim
 * GPIO (gpio_extra lines added to [gpio], e.g. a trace file), [lockers]
 * followed by the lockers text (its keys and [locker.N] sections), and the
 * sim's stdin as input.
 */
void chainfx_write_board(struct chainfx *x, const char *gpio_extra, const char *lockers);

/*
 * (Re)writes the site file: a Hive chain with the simulator's block
 * interval, every simulator node, ca_path in ca_dir (NULL: the simulator's
 * own CA), the journal, staff secrets in dir/s. The other strings are the
 * lines of [nodes] (added), [payment] and [staff] (added); NULL for none
 * (no [payment] section: the site's defaults).
 */
void chainfx_write_site(struct chainfx *x, const char *ca_dir, const char *nodes,
                        const char *payment, const char *staff);

/* Puts an order for alice of price (milli-HIVE) behind compartment into the journal. */
void chainfx_insert_order(struct chainfx *x, const char *id, int64_t price, unsigned compartment);

/* Stops the simulator and removes the folder. */
void chainfx_stop(struct chainfx *x);

#endif
