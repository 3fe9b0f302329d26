/*
 * The HTTPS unit tests' fixture: the chain simulator on a fresh port with
 * its own CA, an event loop and the kiosk's HTTP client that trusts that
 * CA, and a blocking post for tests (the loop runs until the reply).
 */
#ifndef KIOSK_TEST_SIMHTTP_H
#define KIOSK_TEST_SIMHTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "chainsim.h"
#include "kiosk/http.h"
#include "kiosk/loop.h"

struct simhttp {
	char *dir;
	char ca[512], url[128];
	struct chainsim *sim;
	struct loop *loop;
	struct http *http;
};

/* Starts it all in a new folder; nonzero when something does not start. */
int simhttp_start(struct simhttp *x, enum site_chain chain);
void simhttp_stop(struct simhttp *x);

/* One reply; zero it before its first use. body is the whole reply, NUL-ended. */
struct simhttp_reply {
	struct http_request req;
	bool done;
	enum kerr err;
	long status;
	char *body;
	size_t len;
};

/*
 * Posts body to the simulator with client h (the fixture's when NULL),
 * pinned to pin (NULL: none), replies up to max bytes, and runs the loop
 * until the reply is in r (a reply r held before is freed). Fails the test
 * after 8 s.
 */
void simhttp_post(struct simhttp *x, struct http *h, const char *body, const char *pin, size_t max,
                  struct simhttp_reply *r);
void simhttp_reply_free(struct simhttp_reply *r);

#endif
