/*
 * Large journals for benchmarks, fast: the schema from store_open, then the
 * rows straight through SQLite in one transaction with prepared statements
 * (store_order_insert prepares per call and commits per order, which would
 * take minutes for a million orders).
 */
#ifndef KIOSK_BULKJOURNAL_H
#define KIOSK_BULKJOURNAL_H

/*
 * Adds n orders "<prefix><i>" (i zero-padded to 7 digits, or to `width`
 * when width > 0), two items each and an order_imported event each, as
 * store_order_insert writes them; all in state "ready". Aborts on failure.
 */
void bulk_orders_or_fail(const char *journal, const char *prefix, int width, unsigned n);

#endif
