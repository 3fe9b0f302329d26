/*
 * The watcher over whole node replies. The input is a header line, then the
 * nodes' replies in the order the watcher asks, separated by "\n--\n":
 *
 *   CLOCK_S CURSOR_INDEX CURSOR_BLOCK FLAGS
 *   {"jsonrpc":"2.0","id":@ID,"result":{...}}
 *   --
 *   ...
 *
 * "@ID" in a reply becomes the request's id; a reply "!T" is a timeout, "!E"
 * an HTTP 500, "!B" too big, "!U" (consumed before the next reply) toggles
 * the urgent flag. FLAGS: 1 urgent, 2 two nodes, 4 strict (second opinions
 * asked for each transfer), 8 the journal refuses every third cursor save,
 * 16 every fourth "seen?", 32 the kiosk refuses every other transfer, 64 the
 * journal knows a transfer in CURSOR_BLOCK + 50, 128 a first run owing
 * payments from an hour before CLOCK_S.
 *
 * No network (http_set_transport), a fake clock, the journal in arrays. The
 * loop runs for a bounded number of steps. Invariants: the history cursor
 * never goes backwards, never past an index a node listed nor a block past a
 * head a node gave (plus the watcher's slack); the head is never behind the
 * irreversible block; no transfer is reported twice once recorded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/config.h"
#include "kiosk/http.h"
#include "kiosk/log.h"
#include "kiosk/loop.h"
#include "kiosk/rng.h"
#include "kiosk/watcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STEPS_MAX  400
#define SEEN_MAX   256
#define HEAD_SLACK 10 /* watcher_priv.h: HEAD_SLACK_BLOCKS */
/* The poll's request and one beside it per node (watcher_side.c), at most. */
#define PENDING_MAX 9

struct seen {
	char trx_id[41];
	uint32_t op;
};

struct fx {
	struct watcher_events ev;
	struct watcher *w;
	/* requests in flight, answered oldest first (the poll's and those beside it) */
	struct http_request *pending[PENDING_MAX];
	unsigned npending;
	unsigned flags;
	/* the journal */
	struct watcher_cursor stored, last_set;
	bool have_set;
	unsigned sets, seen_asks, transfer_calls;
	struct seen seen[SEEN_MAX];
	unsigned nseen;
	int64_t first_ms;
	uint32_t known_block;
	/* what the nodes claimed */
	int64_t max_index;
	int64_t max_head;
};

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "fuzz_watcher: " __VA_ARGS__);                                     \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

static bool is_seen(const struct fx *f, const char *trx_id, uint32_t op)
{
	for (unsigned i = 0; i < f->nseen; i++)
		if (f->seen[i].op == op && strcmp(f->seen[i].trx_id, trx_id) == 0)
			return true;
	return false;
}

static void record(struct fx *f, const char *trx_id, uint32_t op)
{
	if (f->nseen < SEEN_MAX) {
		snprintf(f->seen[f->nseen].trx_id, sizeof(f->seen[0].trx_id), "%s", trx_id);
		f->seen[f->nseen++].op = op;
	}
}

static enum kerr j_cursor_get(void *ctx, const char *chain, const char *account,
                              struct watcher_cursor *out)
{
	struct fx *f = ctx;

	(void)chain;
	(void)account;
	*out = f->stored;
	return KERR_OK;
}

static enum kerr j_cursor_set(void *ctx, const char *chain, const char *account,
                              const struct watcher_cursor *c)
{
	struct fx *f = ctx;

	(void)chain;
	(void)account;
	if (f->have_set && c->history_index < f->last_set.history_index)
		FAIL("the history cursor went back from %lld to %lld",
		     (long long)f->last_set.history_index, (long long)c->history_index);
	if (c->history_index > f->max_index)
		FAIL("the history cursor %lld is past any index a node listed (%lld)",
		     (long long)c->history_index, (long long)f->max_index);
	if ((int64_t)c->block > f->max_head + HEAD_SLACK)
		FAIL("the cursor's block %u is past any head a node gave (%lld)", c->block,
		     (long long)f->max_head);
	f->have_set = true;
	f->last_set = *c;
	if ((f->flags & 8) && ++f->sets % 3 == 0)
		return KERR_BUSY;
	f->stored = *c;
	return KERR_OK;
}

static enum kerr j_transfer_seen(void *ctx, const char *trx_id, uint32_t op_index, bool *seen)
{
	struct fx *f = ctx;

	*seen = false;
	if ((f->flags & 16) && ++f->seen_asks % 4 == 0)
		return KERR_BUSY;
	*seen = is_seen(f, trx_id, op_index);
	return KERR_OK;
}

static enum kerr j_newest(void *ctx, uint32_t *block)
{
	struct fx *f = ctx;

	*block = f->known_block;
	return KERR_OK;
}

static enum kerr j_first(void *ctx, int64_t *ms)
{
	struct fx *f = ctx;

	*ms = f->first_ms;
	return KERR_OK;
}

static const struct watcher_journal_ops journal = {
    .cursor_get = j_cursor_get,
    .cursor_set = j_cursor_set,
    .transfer_seen = j_transfer_seen,
    .newest_transfer_block = j_newest,
    .first_read_ms = j_first,
};

static enum kerr on_transfer(struct watcher_events *e, const struct watcher_transfer *t)
{
	struct fx *f = container_of(e, struct fx, ev);

	if (!t->trx_id || strlen(t->trx_id) != 40)
		FAIL("a transfer without a transaction id");
	if (is_seen(f, t->trx_id, t->op_index))
		FAIL("transfer %s/%u reported twice", t->trx_id, t->op_index);
	if ((int64_t)t->block > f->max_head + HEAD_SLACK)
		FAIL("a transfer in block %u, past any head a node gave", t->block);
	if ((f->flags & 32) && ++f->transfer_calls % 2 == 0)
		return KERR_BUSY;
	record(f, t->trx_id, t->op_index);
	if (getenv("FUZZ_WATCHER_LOG"))
		fprintf(stderr, "TRANSFER %s/%u block %u\n", t->trx_id, t->op_index, t->block);
	if (f->flags & 4)
		watcher_second_opinion(f->w, t);
	return KERR_OK;
}

static enum kerr on_unverified(struct watcher_events *e, const struct watcher_unverified *u)
{
	struct fx *f = container_of(e, struct fx, ev);

	if (is_seen(f, u->trx_id, u->op_index))
		FAIL("transfer %s/%u reported twice (unverified)", u->trx_id, u->op_index);
	record(f, u->trx_id, u->op_index);
	return KERR_OK;
}

static void on_head(struct watcher_events *e, uint32_t head, uint32_t lib, int64_t head_time_s)
{
	(void)e;
	(void)head_time_s;
	if (lib > head)
		FAIL("irreversible block %u past the head %u", lib, head);
}

static void on_refused(struct watcher_events *e, const char *trx_id, const char *why)
{
	(void)e;
	(void)trx_id;
	(void)why;
}

static void on_agreed(struct watcher_events *e, const char *trx_id, uint32_t op_index)
{
	struct fx *f = container_of(e, struct fx, ev);

	if (!is_seen(f, trx_id, op_index))
		FAIL("a second opinion on %s/%u, never reported", trx_id, op_index);
}

static void on_pool(struct watcher_events *e, enum pool_state state, const char *detail)
{
	(void)e;
	(void)state;
	(void)detail;
}

static enum kerr fake_post(void *ctx, struct http_request *r)
{
	struct fx *f = ctx;

	for (unsigned i = 0; i < f->npending; i++)
		if (f->pending[i] == r)
			FAIL("a request posted again while in flight");
	if (f->npending == PENDING_MAX)
		FAIL("more requests in flight than nodes");
	f->pending[f->npending++] = r;
	return KERR_OK;
}

/* FUZZ_WATCHER_LOG set: the watcher's log on stderr (to write seeds). */
static void quiet(enum log_level lvl, const char *line, void *arg)
{
	(void)lvl;
	if (arg)
		fprintf(stderr, "%s\n", line);
}

/* The bounds of what the nodes said: the newest head, the highest history index. */
static void note_claims(struct fx *f, const char *method_body, const char *body, size_t len)
{
	json_t *root = json_loadb(body, len, 0, NULL), *res;

	if (!root)
		return;
	res = json_object_get(root, "result");
	if (strstr(method_body, "get_dynamic_global_properties")) {
		json_t *h = json_object_get(res, "head_block_number");

		if (json_is_integer(h) && json_integer_value(h) > f->max_head)
			f->max_head = json_integer_value(h);
	} else if (strstr(method_body, "get_account_history") && json_is_array(res)) {
		size_t i;
		json_t *e;

		json_array_foreach(res, i, e)
		{
			json_t *idx = json_array_get(e, 0);

			if (json_is_integer(idx) && json_integer_value(idx) > f->max_index)
				f->max_index = json_integer_value(idx);
			/* As a double, as the parser may read it */
			if (json_is_real(idx) && json_real_value(idx) > (double)f->max_index &&
			    json_real_value(idx) < 9.2e18)
				f->max_index = (int64_t)json_real_value(idx);
		}
	}
	json_decref(root);
}

/* The next reply, with "@ID" replaced by id; *out is malloc'd. */
static void answer(struct fx *f, struct http_request *r, const char *chunk, size_t len)
{
	const char *idp = strstr(r->body, "\"id\":");
	unsigned long long id = idp ? strtoull(idp + 5, NULL, 10) : 0;
	char ids[24];
	size_t idl = (size_t)snprintf(ids, sizeof(ids), "%llu", id), n = 0;
	char *out = malloc(len * (idl > 3 ? idl : 3) + 1);

	if (len >= 2 && chunk[0] == '!' &&
	    (chunk[1] == 'T' || chunk[1] == 'E' || chunk[1] == 'B')) {
		free(out);
		if (chunk[1] == 'T')
			r->done(r, KERR_TIMEOUT, 0, "", 0);
		else if (chunk[1] == 'E')
			r->done(r, KERR_OK, 500, "", 0);
		else
			r->done(r, KERR_TOO_BIG, 0, "", 0);
		return;
	}
	if (!out)
		abort();
	for (size_t i = 0; i < len;) {
		if (len - i >= 3 && memcmp(chunk + i, "@ID", 3) == 0) {
			memcpy(out + n, ids, idl);
			n += idl;
			i += 3;
		} else {
			out[n++] = chunk[i++];
		}
	}
	out[n] = '\0';
	note_claims(f, r->body, out, n);
	r->done(r, KERR_OK, 200, out, n);
	free(out);
}

static const char site_text[] = "[chain]\nname = hive\naccount = coop\n"
                                "[nodes]\nnode1 = https://a.example\n%s"
                                "[kiosk]\ncoop_name = Fuzz\njournal = j.db\n%s";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct site site;
	static struct fx f;
	struct config_error cerr;
	struct clock_fake clk;
	struct loop *loop;
	struct rng_fake rng;
	char text[512], *in, *p, *end;
	long long clock_s = 0, ci = -1, cb = 0;
	unsigned long flags = 0;
	int tl;
	static const struct http_transport transport = {fake_post, &f};

	log_set_sink(quiet, getenv("FUZZ_WATCHER_LOG"));
	log_set_level(LOG_LVL_DEBUG);
	in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	p = in;
	end = in + size;
	if (sscanf(p, "%lld %lld %lld %lu", &clock_s, &ci, &cb, &flags) < 1) {
		free(in);
		return 0;
	}
	p = memchr(p, '\n', size);
	p = p ? p + 1 : end;
	if (clock_s < 1000000000LL || clock_s > 4000000000LL)
		clock_s = 1796424803LL;

	tl = snprintf(text, sizeof(text), site_text, flags & 2 ? "node2 = https://b.example\n" : "",
	              flags & 4 ? "[payment]\nstrict_above = 0.001 HIVE\n" : "");
	memset(&site, 0, sizeof(site));
	if (config_parse_site(text, (size_t)tl, "fuzz.conf", &site, &cerr) != KERR_OK)
		FAIL("the fuzz site does not parse: %s", cerr.msg);

	memset(&f, 0, sizeof(f));
	f.flags = (unsigned)flags;
	f.stored =
	    (struct watcher_cursor){.history_index = ci, .block = (uint32_t)cb, .block_time_ms = 0};
	/* A poisoned cursor is read again from scratch: its own values bound nothing. */
	f.max_index = ci >= -1 && ci < ((int64_t)1 << 53) ? ci : -1;
	f.max_head = cb >= 0 && cb <= INT32_MAX ? cb : 0;
	f.known_block = flags & 64 ? (uint32_t)cb + 50 : 0;
	f.first_ms = flags & 128 ? (clock_s - 3600) * 1000 : 0;
	f.ev = (struct watcher_events){.transfer = on_transfer,
	                               .unverified = on_unverified,
	                               .refused = on_refused,
	                               .head = on_head,
	                               .agreed = on_agreed,
	                               .pool = on_pool};
	clock_fake_init(&clk, clock_s * 1000);
	http_set_transport(&transport);
	if (loop_new(&clk.base, &loop)) {
		free(in);
		return 0;
	}
	rng_fake_init(&rng, size);
	if (watcher_open(&site, &journal, &f, loop, &clk.base, &rng.base, &f.ev, &f.w) != KERR_OK)
		FAIL("watcher_open failed");
	if (flags & 1)
		watcher_set_urgent(f.w, true);

	for (unsigned step = 0; step < STEPS_MAX; step++) {
		if (f.npending) {
			struct http_request *r = f.pending[0];
			char *sep;
			size_t len;

			if (p >= end)
				break;
			sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
			len = sep ? (size_t)(sep - p) : (size_t)(end - p);
			if (len == 2 && p[0] == '!' && p[1] == 'U') {
				watcher_set_urgent(f.w, !(f.flags & 1));
				f.flags ^= 1;
			} else {
				memmove(f.pending, f.pending + 1,
				        --f.npending * sizeof(f.pending[0]));
				answer(&f, r, p, len);
			}
			p = sep ? sep + 4 : end;
		} else {
			int64_t d = loop_next_deadline(loop);

			if (d == INT64_MAX)
				break;
			if (d > clk.mono_ns)
				clock_fake_advance(&clk, d - clk.mono_ns);
			(void)loop_fire_due(loop);
		}
	}
	watcher_close(f.w);
	http_set_transport(NULL);
	loop_free(loop);
	free(in);
	return 0;
}
