/*
 * HTTPS POSTs of JSON to chain nodes (and GETs, for an exchange's ticker),
 * inside the kiosk's one poll loop: libcurl's multi interface with its
 * sockets and timer handed to the loop, so the screen never waits on a node. Certificate and host
 * verification are always on (a CA bundle may be given), a node's public key may be pinned, every
 * request has a timeout and a cap on the reply's size, and connections and TLS sessions are reused
 * between requests.
 */
#ifndef KIOSK_HTTP_H
#define KIOSK_HTTP_H

#include <stddef.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"

struct http;
struct http_request;

/* Called once per request: err KERR_OK with the HTTP status and body, or
 * KERR_TIMEOUT, KERR_TOO_BIG, KERR_CRYPTO (certificate, pin), KERR_IO.
 * body is valid during the call only. */
typedef void (*http_done_fn)(struct http_request *r, enum kerr err, long status, const char *body,
                             size_t len);

struct http_request {
	const char *url;
	const char *pin;  /* "sha256//…" or NULL */
	const char *body; /* JSON; borrowed until done; NULL: a GET of url */
	unsigned timeout_ms;
	size_t max_bytes;
	http_done_fn done;
	/* private to http.c */
	struct http *h;
	void *easy;
	char *buf;
	size_t len;
	bool too_big;
	long connects; /* new connections this request made (0 = reused) */
};

/* ca_path may be NULL or "" (the system's CA bundle). */
KIOSK_MUST_CHECK enum kerr http_new(struct loop *loop, const char *ca_path, struct http **out);
/* Cancels what is in flight (without calling done) and frees. */
void http_free(struct http *h);

/* Starts r; r must stay valid until its done callback. */
KIOSK_MUST_CHECK enum kerr http_post(struct http *h, struct http_request *r);

/*
 * Test seam (fuzz targets, simulations; the kiosk never sets it): while a
 * transport is set, http_post() hands every request to post() instead of
 * the network and nothing is sent. The transport answers later, from its
 * own code and never from inside post(), by calling r->done itself. NULL:
 * the network again. Process-wide; set it before http_new().
 */
struct http_transport {
	enum kerr (*post)(void *ctx, struct http_request *r);
	void *ctx;
};
void http_set_transport(const struct http_transport *t);

#endif
