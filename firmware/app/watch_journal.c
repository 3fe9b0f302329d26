#include "kiosk/watch_journal.h"

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

static enum kerr witness_key_get(void *ctx, const char *chain, const char *witness, char *key, size_t cap)
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
    .witness_key_get = witness_key_get,
    .witness_key_set = witness_key_set,
};

const struct watcher_journal_ops *watch_journal_ops(void)
{
	return &watch_journal_store_ops;
}
