/* kioskctl orders: import (all or nothing), list, show, cancel, request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/chain.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/order_import.h"
#include "kiosk/payreq.h"
#include "kiosk/rng.h"
#include "kiosk/staff_actions.h"
#include "kiosk/store.h"
#include "kiosk/termqr.h"
#include "kiosk/timefmt.h"
#include "kiosk/uri.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(orders);

const char cmd_orders_usage[] = "kioskctl orders import FILE|list [--state S]|show ID|cancel ID|"
                                "request ID [--hours H] [--qr] --site FILE [--board FILE]";

/*
 * A payment request made ahead, for a member who pays from home: the
 * payment code and link to send them, valid until the order's pickup
 * deadline or for --hours (default 24). The kiosk finds the payment like
 * any other; the member then picks up the order already paid.
 */
static int request(struct store *s, const struct site *site, struct order *o, const char *hours, bool qr)
{
	int64_t now = clock_real_ms(clock_system()), ttl = 24 * 3600000LL;
	struct staff_ctx c = {.store = s, .site = site, .rng = rng_system(), .now_ms = now,
	                      .actor = "(kioskctl)"};
	struct staff_result *r;
	char amount[ASSET_STR_MAX], until[TIMEFMT_MAX];
	int rc = 1;

	if (hours) {
		char *end;
		unsigned long h = strtoul(hours, &end, 10);

		if (*end || h == 0 || h > 24 * 60) {
			fprintf(stderr, "kioskctl orders request: --hours takes 1 to 1440\n");
			return 2;
		}
		ttl = (int64_t)h * 3600000;
	} else if (o->expires_at_ms > now + PAYREQ_REUSE_MIN_MS) {
		ttl = o->expires_at_ms - now;
	}
	r = malloc(sizeof(*r));
	if (!r)
		return 1;
	/* The kiosk's own request: an underpaid order is asked for what is still due. */
	switch (staff_payment_request(&c, o->id, ttl, r)) {
	case STAFF_OK:
		if (asset_format(&r->asked, amount, sizeof(amount)))
			amount[0] = '\0';
		timefmt_minutes(r->expires_ms, until, sizeof(until));
		printf("order\t%s\namount\t%s\nto\t%s\nmemo\t%s\nvalid_until\t%s\nuri\t%s\n", o->id, amount,
		       site->account, r->memo, until, r->uri);
		rc = qr && termqr_print(stdout, r->uri) != KERR_OK ? 1 : 0;
		break;
	case STAFF_REFUSED:
		fprintf(stderr, "kioskctl orders request: order %s is %s and takes no payment\n", o->id,
		        order_state_name(r->order.state));
		break;
	case STAFF_NO_ORDER:
		fprintf(stderr, "kioskctl orders: no order %s\n", o->id);
		break;
	default:
		fprintf(stderr, "kioskctl orders request: %s%s%s\n", kerr_str(r->err), r->why ? ": " : "",
		        r->why ? r->why : "");
	}
	free(r);
	return rc;
}

/* Staff cancel an order, as on the kiosk's staff menu. */
static int cancel(struct store *s, const struct site *site, const char *id)
{
	struct staff_ctx c = {.store = s, .site = site, .rng = rng_system(),
	                      .now_ms = clock_real_ms(clock_system()), .actor = "(kioskctl)"};
	struct staff_result *r = malloc(sizeof(*r));
	int rc = 1;

	if (!r)
		return 1;
	switch (staff_cancel_order(&c, id, r)) {
	case STAFF_OK:
		printf("%s: %s%s\n", id, order_state_name(r->order.state),
		       r->order.state == ORDER_REFUND_DUE ? " (money was received: refund it)" : "");
		rc = 0;
		break;
	case STAFF_NO_ORDER:
		fprintf(stderr, "kioskctl orders: no order %s\n", id);
		break;
	case STAFF_REFUSED:
		fprintf(stderr, "kioskctl orders cancel: order %s is %s and cannot be cancelled\n", id,
		        order_state_name(r->order.state));
		break;
	default:
		fprintf(stderr, "kioskctl orders cancel: %s; nothing was cancelled\n", kerr_str(r->err));
	}
	free(r);
	return rc;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(ORDER_IMPORT_MAX_BYTES + 2);
	if (buf) {
		*len = fread(buf, 1, ORDER_IMPORT_MAX_BYTES + 1, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static int import(struct store *s, const struct site *site, const char *board_path, const char *file)
{
	const struct chain_profile *p = chain_profile_get(site->chain);
	struct order_import_rules rules = {
	    .symbols = {p->assets[CHAIN_LIQUID].symbol, p->assets[CHAIN_DOLLAR].symbol, NULL},
	    .compartments = BOARD_LOCKERS_MAX,
	    .now_ms = clock_real_ms(clock_system()),
	};
	struct order_import imp;
	struct board *b = NULL;
	size_t len;
	char *text;
	enum kerr err;
	int rc = 1;

	if (board_path) {
		struct config_error e;

		b = calloc(1, sizeof(*b));
		if (!b || config_load_board(board_path, b, &e)) {
			fprintf(stderr, "kioskctl orders: cannot use board file %s\n", board_path);
			free(b);
			return 2;
		}
		rules.compartments = b->lockers.count;
		free(b);
	}
	text = slurp(file, &len);
	if (!text) {
		fprintf(stderr, "kioskctl orders import: cannot read %s\n", file);
		return 2;
	}
	err = order_import_parse(text, len, &rules, &imp);
	free(text);
	if (err) {
		fprintf(stderr, "kioskctl orders import: %s: nothing imported; fix these and try again:\n", file);
		for (unsigned i = 0; i < imp.error_count && i < ORDER_IMPORT_MAX_ERRORS; i++)
			fprintf(stderr, "  row %u%s%s: %s\n", imp.errors[i].row, imp.errors[i].column[0] ? ", " : "",
			        imp.errors[i].column, imp.errors[i].msg);
		if (imp.error_count > ORDER_IMPORT_MAX_ERRORS)
			fprintf(stderr, "  ... and %u more\n", imp.error_count - ORDER_IMPORT_MAX_ERRORS);
		order_import_fini(&imp);
		return 2;
	}
	/* All or nothing: one transaction for the whole file. */
	err = store_begin(s);
	for (unsigned i = 0; !err && i < imp.count; i++) {
		err = store_order_insert(s, &imp.orders[i]);
		if (err == KERR_EXISTS)
			fprintf(stderr, "kioskctl orders import: order %s is already in the journal; nothing imported\n",
			        imp.orders[i].id);
	}
	if (err) {
		store_rollback(s);
	} else if (store_commit(s) == KERR_OK) {
		printf("imported %u orders\n", imp.count);
		rc = 0;
	}
	order_import_fini(&imp);
	return rc;
}

static void print_order(const struct order *o, bool full)
{
	char amount[ASSET_STR_MAX];

	if (asset_format(&o->price, amount, sizeof(amount)))
		amount[0] = '\0';
	printf("%s\t%s\t%s\t%s\t%s %u\t%s\n", o->id, order_state_name(o->state), o->member, amount,
	       order_pickup_name(o->pickup), o->compartment, o->memo);
	if (!full)
		return;
	for (unsigned i = 0; i < o->item_count; i++) {
		if (asset_format(&o->items[i].unit_price, amount, sizeof(amount)))
			amount[0] = '\0';
		printf("  %s x%u @ %s\n", o->items[i].name, o->items[i].quantity, amount);
	}
}

int cmd_orders(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "", *arg = argc > 2 ? argv[2] : NULL;
	const char *site_path = ctl_opt(argc, argv, "--site");
	struct site *site = calloc(1, sizeof(*site));
	struct store *s = NULL;
	int rc;

	if (!site)
		return 1;
	if (strcmp(verb, "list") && strcmp(verb, "import") && strcmp(verb, "show") &&
	    strcmp(verb, "cancel") && strcmp(verb, "request")) {
		fprintf(stderr, "usage: %s\n", cmd_orders_usage);
		free(site);
		return 2;
	}
	if (strcmp(verb, "list") != 0 && (!arg || arg[0] == '-')) {
		fprintf(stderr, "usage: %s\n", cmd_orders_usage);
		free(site);
		return 2;
	}
	rc = ctl_open_journal("orders", site_path, site, &s);
	if (rc) {
		free(site);
		return rc;
	}
	if (strcmp(verb, "import") == 0) {
		rc = import(s, site, ctl_opt(argc, argv, "--board"), arg);
	} else if (strcmp(verb, "list") == 0) {
		const char *state_name = ctl_opt(argc, argv, "--state");
		enum order_state st = ORDER_READY;
		struct order *list = calloc(500, sizeof(*list));
		unsigned n = 0;

		if (state_name && order_state_parse(state_name, &st)) {
			fprintf(stderr, "kioskctl orders list: unknown state %s\n", state_name);
			rc = 2;
		} else if (!list || store_order_list(s, state_name ? (int)st : -1, list, 500, &n)) {
			rc = 1;
		} else {
			for (unsigned i = 0; i < n; i++)
				print_order(&list[i], false);
		}
		free(list);
	} else {
		struct order o;

		if (store_order_get(s, arg, &o)) {
			fprintf(stderr, "kioskctl orders: no order %s\n", arg);
			rc = 1;
		} else if (strcmp(verb, "show") == 0) {
			print_order(&o, true);
		} else if (strcmp(verb, "request") == 0) {
			bool qr = false;

			for (int i = 3; i < argc; i++)
				qr = qr || strcmp(argv[i], "--qr") == 0;
			rc = request(s, site, &o, ctl_opt(argc, argv, "--hours"), qr);
		} else {
			rc = cancel(s, site, arg);
		}
	}
	store_close(s);
	free(site);
	return rc;
}
