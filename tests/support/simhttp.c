#include "simhttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "testutil.h"

int simhttp_start(struct simhttp *x, enum site_chain chain)
{
	struct chainsim_config cfg = {.chain = chain};

	memset(x, 0, sizeof(*x));
	x->dir = tmpdir_or_fail();
	cfg.dir = x->dir;
	if (chainsim_start(&cfg, &x->sim) != KERR_OK)
		return -1;
	snprintf(x->ca, sizeof(x->ca), "%s/ca.pem", x->dir);
	snprintf(x->url, sizeof(x->url), "https://127.0.0.1:%u", chainsim_port(x->sim));
	if (loop_new(clock_system(), &x->loop) || http_new(x->loop, x->ca, &x->http))
		return -1;
	return 0;
}

void simhttp_stop(struct simhttp *x)
{
	http_free(x->http);
	loop_free(x->loop);
	chainsim_stop(x->sim);
	rm_rf(x->dir);
	free(x->dir);
	memset(x, 0, sizeof(*x));
}

static void on_done(struct http_request *req, enum kerr err, long status, const char *body,
                    size_t len)
{
	struct simhttp_reply *r = container_of(req, struct simhttp_reply, req);

	r->done = true;
	r->err = err;
	r->status = status;
	r->body = malloc(len + 1);
	assert_non_null(r->body);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->len = len;
}

void simhttp_post(struct simhttp *x, struct http *h, const char *body, const char *pin, size_t max,
                  struct simhttp_reply *r)
{
	simhttp_reply_free(r);
	r->req = (struct http_request){.url = x->url,
	                               .pin = pin,
	                               .body = body,
	                               .timeout_ms = 3000,
	                               .max_bytes = max,
	                               .done = on_done};
	assert_int_equal(http_post(h ? h : x->http, &r->req), KERR_OK);
	for (int i = 0; i < 400 && !r->done; i++)
		assert_int_equal(loop_run_once(x->loop, 20), KERR_OK);
	assert_true(r->done);
}

void simhttp_reply_free(struct simhttp_reply *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}
