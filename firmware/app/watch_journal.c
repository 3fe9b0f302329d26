#include "kiosk/watch_journal.h"

#include <stdlib.h>

#include "kiosk/store.h"

static enum kerr cursor_get(void *ctx, const char *chain, const char *account,
                            struct watcher_cursor *out)
{
	struct store_cursor c;
	enum kerr err = store_cursor_get(ctx, chain, account, &c);

	out->history_index = c.history_index;
	out->block = c.block;
	out->block_time_ms = c.block_time_ms;
	return err;
}

static enum kerr cursor_set(void *ctx, const char *chain, const char *account,
                            const struct watcher_cursor *c)
{
	struct store_cursor sc = {.history_index = c->history_index,
	                          .block = c->block,
	                          .block_time_ms = c->block_time_ms};

	return store_cursor_set(ctx, chain, account, &sc);
}

static enum kerr transfer_seen(void *ctx, const char *trx_id, uint32_t op_index, bool *seen)
{
	return store_transfer_seen(ctx, trx_id, op_index, seen);
}

static enum kerr newest_transfer_block(void *ctx, uint32_t *block)
{
	return store_transfer_newest_block(ctx, block);
}

/* The oldest open payment request's creation: a member may have paid it from home already. */
static enum kerr first_read_ms(void *ctx, int64_t *ms)
{
	static const int open_states[] = {ORDER_AWAITING_PAYMENT, ORDER_UNDERPAID};
	struct order *list = calloc(64, sizeof(*list));
	enum kerr err = list ? KERR_OK : KERR_NOMEM;

	*ms = 0;
	for (size_t k = 0; !err && k < sizeof(open_states) / sizeof(open_states[0]); k++) {
		unsigned n = 0;

		err = store_order_list(ctx, open_states[k], list, 64, &n);
		for (unsigned i = 0; !err && i < n; i++) {
			struct store_request r;

			if (store_request_of_order(ctx, list[i].id, &r) == KERR_OK &&
			    r.created_ms > 0 && (*ms == 0 || r.created_ms < *ms))
				*ms = r.created_ms;
		}
	}
	free(list);
	return err;
}

static enum kerr witness_key_get(void *ctx, const char *chain, const char *witness, char *key,
                                 size_t cap)
{
	return store_witness_key_get(ctx, chain, witness, key, cap);
}

static enum kerr witness_key_set(void *ctx, const char *chain, const char *witness, const char *key)
{
	return store_witness_key_set(ctx, chain, witness, key, "quorum");
}

static const struct watcher_journal_ops watch_journal_store_ops = {
    .cursor_get = cursor_get,
    .cursor_set = cursor_set,
    .transfer_seen = transfer_seen,
    .newest_transfer_block = newest_transfer_block,
    .first_read_ms = first_read_ms,
    .witness_key_get = witness_key_get,
    .witness_key_set = witness_key_set,
};

const struct watcher_journal_ops *watch_journal_ops(void)
{
	return &watch_journal_store_ops;
}
