/*
 * Rates in the journal. One row per (symbol, source), replaced by each new
 * quote; the history of every change is the event log's, which no one can
 * rewrite.
 */
#include "kiosk/store_rates.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/log.h"
#include "kiosk/matcher.h"
#include "kiosk/payment.h"
#include "store_priv.h"

static bool source_ok(const char *source)
{
	return source &&
	       (strcmp(source, STORE_RATE_STAFF) == 0 || strcmp(source, STORE_RATE_TICKER) == 0 ||
	        strcmp(source, STORE_RATE_FEED) == 0);
}

static bool symbol_ok(const char *symbol)
{
	size_t len;

	if (!symbol)
		return false;
	len = strnlen(symbol, STORE_RATE_SYMBOL_MAX + 1);
	if (len == 0 || len > STORE_RATE_SYMBOL_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = symbol[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'))
			return false;
	}
	return true;
}

static bool who_ok(const char *who)
{
	size_t len = who ? strnlen(who, STORE_RATE_WHO_MAX + 1) : 0;

	return len > 0 && len <= STORE_RATE_WHO_MAX && !strpbrk(who, "\t\n\r");
}

/* The stored text of the current rate, "-" when there is none. */
static enum kerr current_text(struct store *s, const char *symbol, const char *source, char *buf,
                              size_t cap)
{
	sqlite3_stmt *st;
	enum kerr err =
	    store_prepare(s, "SELECT rate FROM rates WHERE symbol = ? AND source = ?", &st);

	snprintf(buf, cap, "-");
	if (err)
		return err;
	store_bind_text(st, 1, symbol);
	store_bind_text(st, 2, source);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_col_text(st, 0, buf, cap);
	sqlite3_finalize(st);
	return KERR_OK;
}

enum kerr store_rate_set(struct store *s, const char *symbol, const char *source,
                         const struct rate *r, int64_t at_ms, const char *who)
{
	char text[RATE_TEXT_MAX + 1], old[RATE_TEXT_MAX + 1], detail[STORE_DETAIL_MAX];
	sqlite3_stmt *st;
	enum kerr err;

	if (!symbol_ok(symbol) || !source_ok(source) || !who_ok(who) || at_ms <= 0 || !r ||
	    rate_format(r, text, sizeof(text)) != KERR_OK)
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err = current_text(s, symbol, source, old, sizeof(old));
	if (!err)
		err = store_prepare(s,
		                    "INSERT INTO rates (symbol, source, rate, at_ms, who)"
		                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (symbol, source) DO UPDATE"
		                    " SET rate = excluded.rate, at_ms = excluded.at_ms,"
		                    " who = excluded.who",
		                    &st);
	if (!err) {
		store_bind_text(st, 1, symbol);
		store_bind_text(st, 2, source);
		store_bind_text(st, 3, text);
		sqlite3_bind_int64(st, 4, at_ms);
		store_bind_text(st, 5, who);
		err = store_write1(s, st, "rate");
	}
	if (!err) {
		snprintf(detail, sizeof(detail), "%s\t%s\t%s\t%s\t%s", symbol, source, old, text,
		         who);
		err = store_event_in_tx(s, NULL, "rate_set", detail);
	}
	return store_finish(s, err);
}

/* A rates row (symbol, source, rate, at_ms, who) into *row. */
static enum kerr row_to_rate(struct store *s, sqlite3_stmt *st, struct store_rate_row *row)
{
	char text[RATE_TEXT_MAX + 2];

	memset(row, 0, sizeof(*row));
	store_col_text(st, 0, row->symbol, sizeof(row->symbol));
	store_col_text(st, 1, row->source, sizeof(row->source));
	store_col_text(st, 2, text, sizeof(text));
	row->at_ms = sqlite3_column_int64(st, 3);
	store_col_text(st, 4, row->who, sizeof(row->who));
	if (rate_parse(text, &row->rate, NULL) != KERR_OK) {
		log_err("journal %s: rate of %s from %s does not parse: \"%s\"", s->path,
		        row->symbol, row->source, text);
		return KERR_CORRUPT;
	}
	return KERR_OK;
}

enum kerr store_rate_get(struct store *s, const char *symbol, const char *source, struct rate *r,
                         int64_t *at_ms, char *who, size_t cap)
{
	struct store_rate_row row;
	sqlite3_stmt *st;
	enum kerr err;

	memset(r, 0, sizeof(*r));
	*at_ms = 0;
	if (who && cap)
		who[0] = '\0';
	err = store_prepare(s,
	                    "SELECT symbol, source, rate, at_ms, who FROM rates"
	                    " WHERE symbol = ? AND source = ?",
	                    &st);
	if (err)
		return err;
	store_bind_text(st, 1, symbol);
	store_bind_text(st, 2, source);
	err = KERR_NOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW)
		err = row_to_rate(s, st, &row);
	sqlite3_finalize(st);
	if (err)
		return err;
	*r = row.rate;
	*at_ms = row.at_ms;
	if (who && cap)
		snprintf(who, cap, "%s", row.who);
	return KERR_OK;
}

enum kerr store_rate_list(struct store *s, struct store_rate_row *out, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	enum kerr err = store_prepare(s,
	                              "SELECT symbol, source, rate, at_ms, who FROM rates"
	                              " ORDER BY symbol, source",
	                              &st);

	*n = 0;
	if (err)
		return err;
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		err = row_to_rate(s, st, &out[*n]);
		if (err)
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_request_insert_locked(struct store *s, const struct store_request *r,
                                      const struct store_rate_lock *l)
{
	char text[RATE_TEXT_MAX + 1];
	sqlite3_stmt *st;
	enum kerr err;

	if (strcmp(l->memo, r->memo) != 0 || l->krw <= 0 || !source_ok(l->source) ||
	    l->tolerance_bp > RATE_BP_MAX || rate_format(&l->rate, text, sizeof(text)) != KERR_OK)
		return KERR_INVAL;
	err = store_begin(s);
	if (err)
		return err;
	err = store_request_insert(s, r);
	if (!err)
		err = store_prepare(
		    s,
		    "INSERT INTO rate_locks (memo, krw, rate, source, rate_ms, until_ms,"
		    " tolerance_bp) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    &st);
	if (!err) {
		store_bind_text(st, 1, l->memo);
		sqlite3_bind_int64(st, 2, l->krw);
		store_bind_text(st, 3, text);
		store_bind_text(st, 4, l->source);
		sqlite3_bind_int64(st, 5, l->rate_ms);
		sqlite3_bind_int64(st, 6, l->until_ms);
		sqlite3_bind_int64(st, 7, l->tolerance_bp);
		err = store_write1(s, st, "rate lock");
	}
	return store_finish(s, err);
}

enum kerr store_rate_lock_get(struct store *s, const char *memo, struct store_rate_lock *out)
{
	char text[RATE_TEXT_MAX + 2];
	sqlite3_stmt *st;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	err = store_prepare(
	    s,
	    "SELECT krw, rate, source, rate_ms, until_ms, tolerance_bp FROM rate_locks"
	    " WHERE memo = ?",
	    &st);
	if (err)
		return err;
	store_bind_text(st, 1, memo);
	err = KERR_NOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out->memo, sizeof(out->memo), "%s", memo);
		out->krw = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, text, sizeof(text));
		store_col_text(st, 2, out->source, sizeof(out->source));
		out->rate_ms = sqlite3_column_int64(st, 3);
		out->until_ms = sqlite3_column_int64(st, 4);
		out->tolerance_bp = (uint32_t)sqlite3_column_int64(st, 5);
		err = rate_parse(text, &out->rate, NULL) == KERR_OK ? KERR_OK : KERR_CORRUPT;
		if (err)
			log_err("journal %s: the rate locked for %s does not parse: \"%s\"",
			        s->path, memo, text);
	}
	sqlite3_finalize(st);
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

enum kerr store_rate_offers_put(struct store *s, const char *memo,
                                const struct store_rate_offer *offers, size_t n)
{
	char text[RATE_TEXT_MAX + 1];
	sqlite3_stmt *st;
	enum kerr err = KERR_OK;

	if (!memo || !memo[0] || n > STORE_RATE_OFFERS_MAX)
		return KERR_INVAL;
	for (size_t i = 0; i < n; i++) {
		if (offers[i].amount.amount <= 0 || !symbol_ok(offers[i].amount.symbol) ||
		    !source_ok(offers[i].source) ||
		    rate_format(&offers[i].rate, text, sizeof(text)) != KERR_OK)
			return KERR_INVAL;
		for (size_t j = 0; j < i; j++)
			if (strcmp(offers[i].amount.symbol, offers[j].amount.symbol) == 0)
				return KERR_INVAL;
	}
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(s, "SELECT 1 FROM rate_offers WHERE memo = ?", &st);
	if (!err) {
		store_bind_text(st, 1, memo);
		if (sqlite3_step(st) == SQLITE_ROW)
			err = KERR_EXISTS;
		sqlite3_finalize(st);
	}
	/* The request must be there: a dangling offer would price nothing. */
	if (!err)
		err = store_prepare(s, "SELECT 1 FROM payment_requests WHERE memo = ?", &st);
	if (!err) {
		store_bind_text(st, 1, memo);
		if (sqlite3_step(st) != SQLITE_ROW)
			err = KERR_INVAL;
		sqlite3_finalize(st);
	}
	for (size_t i = 0; !err && i < n; i++) {
		const struct store_rate_offer *o = &offers[i];

		err = store_prepare(s,
		                    "INSERT INTO rate_offers (memo, seq, symbol, precision, amount,"
		                    " rate, source, rate_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		                    &st);
		if (err)
			break;
		if (rate_format(&o->rate, text, sizeof(text)) != KERR_OK) {
			sqlite3_finalize(st);
			err = KERR_INVAL;
			break;
		}
		store_bind_text(st, 1, memo);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, o->amount.symbol);
		sqlite3_bind_int64(st, 4, o->amount.precision);
		sqlite3_bind_int64(st, 5, o->amount.amount);
		store_bind_text(st, 6, text);
		store_bind_text(st, 7, o->source);
		sqlite3_bind_int64(st, 8, o->rate_ms);
		err = store_write1(s, st, "rate offer");
	}
	return store_finish(s, err);
}

/* A rate_offers row (symbol, precision, amount, rate, source, rate_ms) into *o. */
static enum kerr row_to_offer(struct store *s, sqlite3_stmt *st, const char *memo,
                              struct store_rate_offer *o)
{
	char text[RATE_TEXT_MAX + 2];
	int64_t precision = sqlite3_column_int64(st, 1);

	memset(o, 0, sizeof(*o));
	store_col_text(st, 0, o->amount.symbol, sizeof(o->amount.symbol));
	o->amount.amount = sqlite3_column_int64(st, 2);
	store_col_text(st, 3, text, sizeof(text));
	store_col_text(st, 4, o->source, sizeof(o->source));
	o->rate_ms = sqlite3_column_int64(st, 5);
	if (precision < 0 || precision > ASSET_PRECISION_MAX || o->amount.amount <= 0 ||
	    rate_parse(text, &o->rate, NULL) != KERR_OK) {
		log_err("journal %s: the %s offer of %s does not parse", s->path, o->amount.symbol,
		        memo);
		memset(o, 0, sizeof(*o));
		return KERR_CORRUPT;
	}
	o->amount.precision = (uint8_t)precision;
	return KERR_OK;
}

enum kerr store_rate_offer_get(struct store *s, const char *memo, const char *symbol,
                               struct store_rate_offer *out)
{
	sqlite3_stmt *st;
	enum kerr err;

	memset(out, 0, sizeof(*out));
	err = store_prepare(s,
	                    "SELECT symbol, precision, amount, rate, source, rate_ms FROM"
	                    " rate_offers WHERE memo = ? AND symbol = ?",
	                    &st);
	if (err)
		return err;
	store_bind_text(st, 1, memo);
	store_bind_text(st, 2, symbol);
	err = KERR_NOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW)
		err = row_to_offer(s, st, memo, out);
	sqlite3_finalize(st);
	return err;
}

enum kerr store_rate_offer_list(struct store *s, const char *memo, struct store_rate_offer *out,
                                size_t max, size_t *n)
{
	sqlite3_stmt *st;
	enum kerr err;

	*n = 0;
	err = store_prepare(s,
	                    "SELECT symbol, precision, amount, rate, source, rate_ms FROM"
	                    " rate_offers WHERE memo = ? ORDER BY seq",
	                    &st);
	if (err)
		return err;
	store_bind_text(st, 1, memo);
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		err = row_to_offer(s, st, memo, &out[*n]);
		if (err)
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	return err;
}

enum kerr store_rate_offers_refund_others(struct store *s, const char *order_id,
                                          const struct asset *kept, const char *reason, unsigned *n)
{
	struct {
		int64_t id;
		char payer[ORDER_ACCOUNT_MAX + 1];
		struct asset amount;
	} rows[STORE_RATE_OFFERS_MAX * 4];
	unsigned count = 0;
	sqlite3_stmt *st;
	enum kerr err;

	if (n)
		*n = 0;
	err = store_begin(s);
	if (err)
		return err;
	err = store_prepare(s,
	                    "SELECT id, sender, amount, precision, symbol FROM transfers WHERE"
	                    " order_id = ? AND status = ? AND NOT (symbol = ? AND precision = ?)"
	                    " ORDER BY id",
	                    &st);
	if (!err) {
		store_bind_text(st, 1, order_id);
		sqlite3_bind_int(st, 2, STORE_TRANSFER_MATCHED);
		store_bind_text(st, 3, kept->symbol);
		sqlite3_bind_int(st, 4, kept->precision);
		while (count < sizeof(rows) / sizeof(rows[0]) && sqlite3_step(st) == SQLITE_ROW) {
			rows[count].id = sqlite3_column_int64(st, 0);
			store_col_text(st, 1, rows[count].payer, sizeof(rows[count].payer));
			rows[count].amount.amount = sqlite3_column_int64(st, 2);
			rows[count].amount.precision = (uint8_t)sqlite3_column_int(st, 3);
			store_col_text(st, 4, rows[count].amount.symbol,
			               sizeof(rows[count].amount.symbol));
			count++;
		}
		sqlite3_finalize(st);
	}
	for (unsigned i = 0; !err && i < count; i++) {
		err = store_prepare(s, "UPDATE transfers SET status = ? WHERE id = ?", &st);
		if (err)
			break;
		sqlite3_bind_int(st, 1, STORE_TRANSFER_REFUND_DUE);
		sqlite3_bind_int64(st, 2, rows[i].id);
		err = store_write1(s, st, "transfer owed back");
		if (!err)
			err = store_refund_insert(s, rows[i].id, rows[i].payer, &rows[i].amount,
			                          reason);
	}
	if (!err && n)
		*n = count;
	return store_finish(s, err);
}

enum kerr store_rate_lock_of_transfer(struct store *s, int64_t transfer_id,
                                      struct store_rate_lock *out)
{
	char memo[MEMO_MAX + 1] = "", found[ORDER_MEMO_MAX + 1] = "";
	sqlite3_stmt *st;
	enum kerr err;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The order's locked requests beside the transfer's memo, as the matcher compared them. */
	err = store_prepare(s,
	                    "SELECT CAST(t.memo AS TEXT), r.memo FROM transfers t"
	                    " JOIN payment_requests r ON r.order_id = t.order_id"
	                    " JOIN rate_locks l ON l.memo = r.memo WHERE t.id = ?"
	                    " ORDER BY r.created_ms DESC",
	                    &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, transfer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !found[0]) {
		store_col_text(st, 0, memo, sizeof(memo));
		store_col_text(st, 1, found, sizeof(found));
		if (!payment_memo_equal(memo, found))
			found[0] = '\0';
	}
	err = rc == SQLITE_ROW || rc == SQLITE_DONE ? KERR_OK : store_sql_err(s, rc, "rate lock");
	sqlite3_finalize(st);
	if (err)
		return err;
	return found[0] ? store_rate_lock_get(s, found, out) : KERR_NOTFOUND;
}
