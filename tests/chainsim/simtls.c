#include "simtls.h"

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#define HEAD_MAX 4096 /* bytes of a request's line and headers */

struct simtls_node {
	struct simtls *t;
	unsigned index;
	pthread_t th;
	bool started;
	mbedtls_net_context listen;
	unsigned port;
};

struct simtls {
	struct simtls_config cfg;
	volatile bool stop;
	pthread_mutex_t mu;
	pthread_cond_t idle;
	unsigned conns; /* connection threads running, under mu */
	/* The server key's first use fills a cache inside it: handshakes take turns. */
	pthread_mutex_t handshake_mu;
	struct simtls_node node[SIMTLS_NODES_MAX];
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
};

struct conn {
	struct simtls *t;
	unsigned node;
	mbedtls_net_context client;
};

int simtls_write_all(mbedtls_ssl_context *ssl, const char *buf, size_t len)
{
	while (len) {
		int n = mbedtls_ssl_write(ssl, (const unsigned char *)buf, len);

		if (n == MBEDTLS_ERR_SSL_WANT_WRITE || n == MBEDTLS_ERR_SSL_WANT_READ)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Header and body in one write: two small writes meet the peer's delayed ACK. */
static int respond(mbedtls_ssl_context *ssl, int status, const char *body)
{
	size_t len = strlen(body);
	char *msg = malloc(len + 256);
	int n, rc;

	if (!msg)
		return -1;
	n = snprintf(msg, 256,
	             "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
	             "Content-Length: %zu\r\n\r\n",
	             status, status == 200 ? "OK" : "Error", len);
	memcpy(msg + n, body, len);
	rc = simtls_write_all(ssl, msg, (size_t)n + len);
	free(msg);
	return rc;
}

/* One complete request at the start of buf: handled, answered; -1 closes the connection. */
static int one_request(struct conn *cn, mbedtls_ssl_context *ssl, char *buf, size_t hl, size_t cl)
{
	char path[256] = "", *reply;
	int status = 200, rc;
	char saved = buf[hl + cl];

	if (sscanf(buf, "%*s %255s", path) != 1)
		return -1;
	buf[hl + cl] = '\0';
	reply = cn->t->cfg.handle(cn->t->cfg.ctx, cn->node, path, buf + hl, cl, &status);
	buf[hl + cl] = saved;
	if (!reply)
		return -1;
	rc = respond(ssl, status, reply);
	free(reply);
	return rc;
}

/* Serves one connection's requests (keep-alive) until it closes or the server stops. */
static void serve(struct conn *cn, mbedtls_ssl_config *conf)
{
	struct simtls *t = cn->t;
	mbedtls_ssl_context ssl;
	size_t cap = HEAD_MAX + SIMTLS_BODY_MAX, have = 0;
	char *buf = malloc(cap + 1);
	int ret;

	mbedtls_ssl_init(&ssl);
	if (!buf || mbedtls_ssl_setup(&ssl, conf))
		goto out;
	mbedtls_ssl_set_bio(&ssl, &cn->client, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
	pthread_mutex_lock(&t->handshake_mu);
	while ((ret = mbedtls_ssl_handshake(&ssl)) != 0)
		if ((ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE &&
		     ret != MBEDTLS_ERR_SSL_TIMEOUT) ||
		    t->stop)
			break;
	pthread_mutex_unlock(&t->handshake_mu);
	if (ret)
		goto out;
	while (!t->stop) {
		char *end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL;

		if (end) {
			size_t hl = (size_t)(end - buf) + 4, cl = 0;
			char *p = strcasestr(buf, "content-length:");

			if (p && p < end)
				cl = strtoul(p + 15, NULL, 10);
			if (cl > SIMTLS_BODY_MAX)
				break;
			if (have >= hl + cl) {
				if (one_request(cn, &ssl, buf, hl, cl))
					break;
				memmove(buf, buf + hl + cl, have - hl - cl);
				have -= hl + cl;
				buf[have] = '\0';
				continue;
			}
		}
		if (have >= cap)
			break;
		ret = mbedtls_ssl_read(&ssl, (unsigned char *)buf + have, cap - have);
		if (ret == MBEDTLS_ERR_SSL_TIMEOUT || ret == MBEDTLS_ERR_SSL_WANT_READ)
			continue;
		if (ret <= 0)
			break;
		have += (size_t)ret;
		buf[have] = '\0';
	}
	mbedtls_ssl_close_notify(&ssl);
out:
	mbedtls_ssl_free(&ssl);
	free(buf);
}

/* A connection's thread: its own random generator and TLS settings (neither is shared). */
static void *conn_run(void *arg)
{
	struct conn *cn = arg;
	struct simtls *t = cn->t;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config conf;

	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_ssl_config_init(&conf);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0) == 0 &&
	    mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                MBEDTLS_SSL_PRESET_DEFAULT) == 0 &&
	    mbedtls_ssl_conf_own_cert(&conf, &t->cert, &t->key) == 0) {
		mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
		/* The read timeout only lets the thread notice a stop. */
		mbedtls_ssl_conf_read_timeout(&conf, 50);
		serve(cn, &conf);
	}
	mbedtls_ssl_config_free(&conf);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&entropy);
	mbedtls_net_free(&cn->client);
	free(cn);
	pthread_mutex_lock(&t->mu);
	if (--t->conns == 0)
		pthread_cond_broadcast(&t->idle);
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static void *accept_run(void *arg)
{
	struct simtls_node *nd = arg;
	struct simtls *t = nd->t;

	while (!t->stop) {
		struct pollfd p = {.fd = nd->listen.fd, .events = POLLIN};
		struct conn *cn;
		pthread_t th;

		if (poll(&p, 1, 20) <= 0)
			continue;
		cn = calloc(1, sizeof(*cn));
		if (!cn)
			continue;
		cn->t = t;
		cn->node = nd->index;
		mbedtls_net_init(&cn->client);
		if (mbedtls_net_accept(&nd->listen, &cn->client, NULL, 0, NULL)) {
			free(cn);
			continue;
		}
		pthread_mutex_lock(&t->mu);
		t->conns++;
		pthread_mutex_unlock(&t->mu);
		if (pthread_create(&th, NULL, conn_run, cn) == 0) {
			pthread_detach(th);
			continue;
		}
		mbedtls_net_free(&cn->client);
		free(cn);
		pthread_mutex_lock(&t->mu);
		t->conns--;
		pthread_mutex_unlock(&t->mu);
	}
	return NULL;
}

/* One certificate: the CA's (self-signed) when issuer is NULL, else the server's. */
static int write_cert(struct simtls *t, mbedtls_pk_context *subject, mbedtls_pk_context *issuer_key,
                      const char *ca_dn, unsigned char *pem, size_t cap)
{
	/* subjectAltName: DNS localhost, IP 127.0.0.1 */
	static const unsigned char san[] = {0x30, 0x11, 0x82, 0x09, 'l',  'o', 'c', 'a', 'l', 'h',
	                                    'o',  's',  't',  0x87, 0x04, 127, 0,   0,   1};
	bool is_ca = subject == issuer_key;
	mbedtls_x509write_cert w;
	mbedtls_mpi serial;
	int ret;

	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_init(&serial);
	mbedtls_mpi_lset(&serial, is_ca ? 1 : 2);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_serial(&w, &serial);
	mbedtls_x509write_crt_set_validity(&w, "20200101000000", "20991231235959");
	mbedtls_x509write_crt_set_subject_name(&w, is_ca ? ca_dn : "CN=localhost");
	mbedtls_x509write_crt_set_issuer_name(&w, ca_dn);
	mbedtls_x509write_crt_set_subject_key(&w, subject);
	mbedtls_x509write_crt_set_issuer_key(&w, issuer_key);
	mbedtls_x509write_crt_set_basic_constraints(&w, is_ca, is_ca ? 0 : -1);
	if (is_ca) {
		mbedtls_x509write_crt_set_subject_key_identifier(&w);
		mbedtls_x509write_crt_set_authority_key_identifier(&w);
	} else {
		mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_SUBJECT_ALT_NAME,
		                                    MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME),
		                                    0, san, sizeof(san));
	}
	ret = mbedtls_x509write_crt_pem(&w, pem, cap, mbedtls_ctr_drbg_random, &t->drbg);
	mbedtls_x509write_crt_free(&w);
	mbedtls_mpi_free(&serial);
	return ret;
}

static int gen_key(struct simtls *t, mbedtls_pk_context *k)
{
	return mbedtls_pk_setup(k, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
	       mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*k),
	                           mbedtls_ctr_drbg_random, &t->drbg);
}

static int make_certs(struct simtls *t)
{
	mbedtls_pk_context ca_key;
	unsigned char pem[4096];
	char dn[128];
	FILE *f;
	int ret = -1;

	snprintf(dn, sizeof(dn), "CN=%s", t->cfg.ca_name ? t->cfg.ca_name : "simtls test CA");
	mbedtls_pk_init(&ca_key);
	if (gen_key(t, &ca_key) || gen_key(t, &t->key) ||
	    write_cert(t, &ca_key, &ca_key, dn, pem, sizeof(pem)))
		goto out;
	f = fopen(t->cfg.ca_file, "w");
	if (!f || fputs((char *)pem, f) < 0 || fclose(f))
		goto out;
	if (write_cert(t, &t->key, &ca_key, dn, pem, sizeof(pem)) ||
	    mbedtls_x509_crt_parse(&t->cert, pem, strlen((char *)pem) + 1))
		goto out;
	ret = 0;
out:
	mbedtls_pk_free(&ca_key);
	return ret;
}

static int node_bind(struct simtls *t, unsigned i, unsigned want_port)
{
	struct simtls_node *nd = &t->node[i];
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	char port[16];

	nd->t = t;
	nd->index = i;
	mbedtls_net_init(&nd->listen);
	snprintf(port, sizeof(port), "%u", want_port);
	if (mbedtls_net_bind(&nd->listen, "127.0.0.1", port, MBEDTLS_NET_PROTO_TCP))
		return -1;
	if (getsockname(nd->listen.fd, (struct sockaddr *)&sa, &salen) == 0)
		nd->port = ntohs(sa.sin_port);
	return 0;
}

enum kerr simtls_start(const struct simtls_config *cfg, struct simtls **out)
{
	struct simtls *t;

	*out = NULL;
	if (!cfg->handle || !cfg->ca_file || cfg->nodes == 0 || cfg->nodes > SIMTLS_NODES_MAX)
		return KERR_INVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return KERR_NOMEM;
	t->cfg = *cfg;
	pthread_mutex_init(&t->mu, NULL);
	pthread_mutex_init(&t->handshake_mu, NULL);
	pthread_cond_init(&t->idle, NULL);
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_pk_init(&t->key);
	if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy, NULL, 0) ||
	    make_certs(t))
		goto err_stop;
	for (unsigned i = 0; i < cfg->nodes; i++)
		if (node_bind(t, i, i == 0 ? cfg->port : 0))
			goto err_stop;
	for (unsigned i = 0; i < cfg->nodes; i++) {
		if (pthread_create(&t->node[i].th, NULL, accept_run, &t->node[i]))
			goto err_stop;
		t->node[i].started = true;
	}
	*out = t;
	return KERR_OK;
err_stop:
	simtls_stop(t);
	return KERR_IO;
}

unsigned simtls_port(const struct simtls *t, unsigned node)
{
	return node < t->cfg.nodes ? t->node[node].port : 0;
}

void simtls_stop(struct simtls *t)
{
	if (!t)
		return;
	t->stop = true;
	for (unsigned i = 0; i < t->cfg.nodes; i++) {
		if (t->node[i].started)
			pthread_join(t->node[i].th, NULL);
		if (t->node[i].t)
			mbedtls_net_free(&t->node[i].listen);
	}
	pthread_mutex_lock(&t->mu);
	while (t->conns)
		pthread_cond_wait(&t->idle, &t->mu);
	pthread_mutex_unlock(&t->mu);
	mbedtls_pk_free(&t->key);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
	pthread_cond_destroy(&t->idle);
	pthread_mutex_destroy(&t->handshake_mu);
	pthread_mutex_destroy(&t->mu);
	free(t);
}
