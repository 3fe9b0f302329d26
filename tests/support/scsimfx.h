/*
 * The sidechain tests' fixture: the sidechain simulator with N nodes in a
 * fresh folder, an event loop and the kiosk's HTTP client that trusts the
 * simulator's CA, the nodes' URLs, and a blocking post for tests.
 */
#ifndef KIOSK_TEST_SCSIMFX_H
#define KIOSK_TEST_SCSIMFX_H

#include <stddef.h>

#include "kiosk/http.h"
#include "kiosk/loop.h"
#include "sidechainsim.h"
#include "simhttp.h"

struct scsimfx {
	char *dir;
	char ca[512];
	char url[SIDECHAINSIM_NODES_MAX][128]; /* https://127.0.0.1:port, no path */
	struct sidechainsim *sim;
	struct loop *loop;
	struct http *http;
};

/* Starts it all with `nodes` nodes (lag_s as the simulator's); nonzero when something fails. */
int scsimfx_start(struct scsimfx *x, unsigned nodes, unsigned lag_s);
/* As scsimfx_start, for chain's sidechain (Steem-Engine or Hive-Engine). */
int scsimfx_start_chain(struct scsimfx *x, unsigned nodes, unsigned lag_s, enum site_chain chain);
void scsimfx_stop(struct scsimfx *x);

/*
 * Posts body to node's path ("/blockchain") and runs the loop until the
 * reply is in r (a reply r held before is freed); fails the test after 8 s.
 */
void scsimfx_post(struct scsimfx *x, unsigned node, const char *path, const char *body,
                  struct simhttp_reply *r);

/* Runs the loop until *flag is set; fails the test after 8 s. */
void scsimfx_run_until(struct scsimfx *x, const bool *flag);

#endif
