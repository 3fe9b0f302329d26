#include "scsimfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/sidechain.h"
#include "testutil.h"

int scsimfx_start(struct scsimfx *x, unsigned nodes, unsigned lag_s)
{
	return scsimfx_start_chain(x, nodes, lag_s, SITE_CHAIN_STEEM);
}

int scsimfx_start_chain(struct scsimfx *x, unsigned nodes, unsigned lag_s, enum site_chain chain)
{
	struct sidechainsim_config cfg = {.nodes = nodes, .lag_s = lag_s, .chain = chain};

	memset(x, 0, sizeof(*x));
	x->dir = tmpdir_or_fail();
	cfg.dir = x->dir;
	if (sidechainsim_start(&cfg, &x->sim) != KERR_OK)
		return -1;
	snprintf(x->ca, sizeof(x->ca), "%s/%s", x->dir, SIDECHAINSIM_CA_FILE);
	for (unsigned i = 0; i < sidechainsim_node_count(x->sim); i++)
		snprintf(x->url[i], sizeof(x->url[i]), "https://127.0.0.1:%u",
		         sidechainsim_node_port(x->sim, i));
	if (loop_new(clock_system(), &x->loop) || http_new(x->loop, x->ca, &x->http))
		return -1;
	return 0;
}

void scsimfx_stop(struct scsimfx *x)
{
	http_free(x->http);
	loop_free(x->loop);
	sidechainsim_stop(x->sim);
	if (x->dir)
		rm_rf(x->dir);
	free(x->dir);
	memset(x, 0, sizeof(*x));
}

void scsimfx_run_until(struct scsimfx *x, const bool *flag)
{
	for (int i = 0; i < 400 && !*flag; i++)
		assert_int_equal(loop_run_once(x->loop, 20), KERR_OK);
	assert_true(*flag);
}

static void on_done(struct http_request *req, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct simhttp_reply *r = container_of(req, struct simhttp_reply, req);

	r->err = err;
	r->status = status;
	r->body = malloc(len + 1);
	assert_non_null(r->body);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->len = len;
	r->done = true;
}

void scsimfx_post(struct scsimfx *x, unsigned node, const char *path, const char *body,
                  struct simhttp_reply *r)
{
	char url[160]; /* the request ends before this returns */

	simhttp_reply_free(r);
	snprintf(url, sizeof(url), "%s%s", x->url[node], path);
	r->req = (struct http_request){.url = url,
	                               .body = body,
	                               .timeout_ms = 3000,
	                               .max_bytes = SIDECHAIN_REPLY_MAX,
	                               .done = on_done};
	assert_int_equal(http_post(x->http, &r->req), KERR_OK);
	scsimfx_run_until(x, &r->done);
}
