/*
 * A loopback HTTPS server for the test simulators: a CA and a server
 * certificate made at start (the CA written as a PEM file for the client to
 * trust), N nodes on 127.0.0.1 each on its own port, one thread per node to
 * accept and one per connection (a slow answer on one connection does not
 * hold the others), HTTP/1.1 keep-alive requests handed to a callback.
 */
#ifndef SIMTLS_H
#define SIMTLS_H

#include <stddef.h>

#include <mbedtls/ssl.h>

#include "kiosk/kerr.h"

struct simtls;

#define SIMTLS_NODES_MAX 8
#define SIMTLS_BODY_MAX  (64 * 1024) /* a request's body; larger ones close the connection */

/*
 * One request to node `node`: path ("/blockchain") and body. Returns the
 * reply body (malloc'ed, freed by the server) with *status set, or NULL to
 * close the connection without an answer. Called from connection threads,
 * several at once.
 */
typedef char *(*simtls_handle_fn)(void *ctx, unsigned node, const char *path, const char *body,
                                  size_t len, int *status);

struct simtls_config {
	const char *ca_file; /* the CA is written here (PEM) */
	const char *ca_name; /* the CA's common name */
	unsigned nodes;      /* 1..SIMTLS_NODES_MAX */
	unsigned port;       /* node 0's; 0: any free port */
	simtls_handle_fn handle;
	void *ctx;
};

enum kerr simtls_start(const struct simtls_config *cfg, struct simtls **out);
/* Stops accepting, ends every connection and waits for their threads. */
void simtls_stop(struct simtls *t);
unsigned simtls_port(const struct simtls *t, unsigned node);

/* Writes all of buf on a TLS connection (retrying partial writes); -1 when it closed. */
int simtls_write_all(mbedtls_ssl_context *ssl, const char *buf, size_t len);

#endif
