#include "kiosk/http.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "kiosk/log.h"

#define HTTP_INFLIGHT_MAX 64

struct sock {
	struct loop_fd w;
	struct http *h;
	curl_socket_t s;
};

struct http {
	struct loop *loop;
	CURLM *multi;
	CURLSH *share;
	char ca_path[256];
	struct loop_timer timer;
	struct curl_slist *headers;
	unsigned active;
	struct http_request *inflight[HTTP_INFLIGHT_MAX];
};

static void check_done(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left))) {
		struct http_request *r;
		enum kerr err = KERR_OK;
		long status = 0;
		CURL *easy = m->easy_handle;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &r->connects);
		switch (m->data.result) {
		case CURLE_OK:
			break;
		case CURLE_OPERATION_TIMEDOUT:
			err = KERR_TIMEOUT;
			break;
		case CURLE_WRITE_ERROR:
			err = r->too_big ? KERR_TOO_BIG : KERR_IO;
			break;
		case CURLE_FILESIZE_EXCEEDED:
			err = KERR_TOO_BIG;
			break;
		case CURLE_PEER_FAILED_VERIFICATION:
		case CURLE_SSL_CACERT_BADFILE:
		case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		case CURLE_SSL_CONNECT_ERROR:
			err = KERR_CRYPTO;
			break;
		default:
			err = KERR_IO;
		}
		if (err)
			log_warn("node %s: %s (%s)", r->url, curl_easy_strerror(m->data.result),
			         err == KERR_CRYPTO
			             ? "check the node's certificate, the CA bundle or the pin"
			             : "will try again or fail over");
		curl_multi_remove_handle(h->multi, easy);
		curl_easy_cleanup(easy);
		r->easy = NULL;
		for (unsigned i = 0; i < HTTP_INFLIGHT_MAX; i++)
			if (h->inflight[i] == r)
				h->inflight[i] = NULL;
		h->active--;
		{
			/* The callback may post r again at once: hand it a clean r. */
			char *buf = r->buf;
			size_t len = r->len;

			r->buf = NULL;
			r->len = 0;
			r->done(r, err, status, buf ? buf : "", len);
			free(buf);
		}
	}
}

static void on_sock(struct loop_fd *w, short revents)
{
	struct sock *s = container_of(w, struct sock, w);
	struct http *h = s->h;
	int flags = 0, running;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(h->multi, s->s, flags, &running);
	check_done(h);
}

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	struct sock *s = socketp;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			loop_del_fd(h->loop, &s->w);
			curl_multi_assign(h->multi, fd, NULL);
			free(s);
		}
		return 0;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -1;
		s->h = h;
		s->s = fd;
		s->w.fd = fd;
		s->w.handle = on_sock;
		curl_multi_assign(h->multi, fd, s);
	} else {
		loop_del_fd(h->loop, &s->w);
	}
	s->w.events =
	    (short)((what & CURL_POLL_IN ? POLLIN : 0) | (what & CURL_POLL_OUT ? POLLOUT : 0));
	return loop_add_fd(h->loop, &s->w) == KERR_OK ? 0 : -1;
}

static void on_timer(struct loop_timer *t)
{
	struct http *h = container_of(t, struct http, timer);
	int running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static int timer_cb(CURLM *multi, long ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	if (ms < 0)
		loop_timer_disarm(h->loop, &h->timer);
	else
		loop_timer_arm(h->loop, &h->timer, (int64_t)ms * NS_PER_MS);
	return 0;
}

static size_t write_cb(char *data, size_t size, size_t n, void *userp)
{
	struct http_request *r = userp;
	size_t bytes = size * n;
	char *grown;

	if (r->len + bytes > r->max_bytes) {
		r->too_big = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	grown = realloc(r->buf, r->len + bytes + 1);
	if (!grown)
		return 0;
	r->buf = grown;
	memcpy(r->buf + r->len, data, bytes);
	r->len += bytes;
	r->buf[r->len] = '\0';
	return bytes;
}

enum kerr http_new(struct loop *loop, const char *ca_path, struct http **out)
{
	struct http *h;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return KERR_IO;
	h = calloc(1, sizeof(*h));
	if (!h)
		return KERR_NOMEM;
	h->loop = loop;
	h->timer.handle = on_timer;
	if (ca_path)
		snprintf(h->ca_path, sizeof(h->ca_path), "%s", ca_path);
	h->multi = curl_multi_init();
	h->share = curl_share_init();
	h->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!h->multi || !h->share || !h->headers) {
		http_free(h);
		return KERR_NOMEM;
	}
	/* TLS sessions and DNS shared by all requests; connections are the multi's. */
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	*out = h;
	return KERR_OK;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < HTTP_INFLIGHT_MAX; i++) {
		struct http_request *r = h->inflight[i];

		if (!r)
			continue;
		curl_multi_remove_handle(h->multi, r->easy);
		curl_easy_cleanup(r->easy);
		free(r->buf);
		r->buf = NULL;
		r->easy = NULL;
	}
	if (h->multi)
		curl_multi_cleanup(h->multi);
	loop_timer_disarm(h->loop, &h->timer);
	curl_share_cleanup(h->share);
	curl_slist_free_all(h->headers);
	free(h);
}

static const struct http_transport *transport;

void http_set_transport(const struct http_transport *t)
{
	transport = t;
}

enum kerr http_post(struct http *h, struct http_request *r)
{
	CURL *e;
	unsigned slot = 0;

	if (transport) {
		r->h = h;
		r->easy = NULL;
		r->buf = NULL;
		r->len = 0;
		r->too_big = false;
		r->connects = 0;
		return transport->post(transport->ctx, r);
	}
	while (slot < HTTP_INFLIGHT_MAX && h->inflight[slot])
		slot++;
	if (slot == HTTP_INFLIGHT_MAX)
		return KERR_BUSY;
	e = curl_easy_init();
	if (!e)
		return KERR_NOMEM;
	r->h = h;
	r->easy = e;
	r->buf = NULL;
	r->len = 0;
	r->too_big = false;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	if (r->body)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
	else
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L); /* an exchange's ticker is a GET */
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)r->timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SHARE, h->share);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
	if (h->ca_path[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_path);
	if (r->pin && r->pin[0])
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, r->pin);
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		r->easy = NULL;
		return KERR_IO;
	}
	h->inflight[slot] = r;
	h->active++;
	return KERR_OK;
}
