/* kioskctl orders: import (all or nothing), list, show, cancel, request, pickup, unlock. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/chain.h"
#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "display/display_sim.h"
#include "kiosk/order_import.h"
#include "kiosk/payreq.h"
#include "kiosk/pickup.h"
#include "kiosk/qr.h"
#include "kiosk/rng.h"
#include "kiosk/staff_actions.h"
#include "kiosk/store.h"
#include "kiosk/termqr.h"
#include "kiosk/timefmt.h"
#include "kiosk/uri.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(orders);

const char cmd_orders_usage[] =
    "kioskctl orders import FILE [--dry-run] [--board FILE] [--codes-out FILE.csv]|"
    "list [--state S]|show ID|cancel ID|request ID [--hours H] [--qr] [--png FILE]|"
    "pickup ID [--png FILE]|unlock ID|unlock --kiosk [--site FILE]";

/* The pickup QR as a PNG: 8 px per module, quiet zone included. */
static int write_qr_png(const char *text, const char *path)
{
	struct canvas *c = NULL;
	struct qr *q = NULL;
	int side, rc = 1;

	if (qr_encode(text, strlen(text), QR_ECC_M, &q) == KERR_OK) {
		side = (q->width + 2 * QR_QUIET) * 8;
		if (canvas_new(CANVAS_XRGB8888, side, side, &c) == KERR_OK) {
			canvas_fill(c, 0xffffff);
			if (qr_draw(q, c, 0, 0, side, 0x000000, 0xffffff, NULL) == KERR_OK &&
			    display_sim_write_png(c, path) == KERR_OK)
				rc = 0;
		}
	}
	if (rc)
		fprintf(stderr, "kioskctl orders: cannot write the pickup QR to %s\n", path);
	canvas_free(c);
	qr_free(q);
	return rc;
}

/*
 * A new pickup code for the order, voiding any earlier one: printed once
 * (digits and QR text), shown as a QR in the terminal unless quiet, and
 * written as a PNG when asked. Only its salted hash stays in the journal.
 */
static int pickup(struct store *s, const struct site *site, const char *id, bool show_qr,
                  const char *png)
{
	char code[PICKUP_DIGITS_MAX + 1], text[PICKUP_QR_MAX];
	bool replaced = false;
	enum kerr err =
	    pickup_issue(s, rng_system(), id, site->pickup_code_digits, code, &replaced);
	int rc = 0;

	if (err) {
		fprintf(stderr, "kioskctl orders pickup: %s: no code made\n", kerr_str(err));
		return 1;
	}
	if (pickup_qr_text(id, code, text, sizeof(text))) {
		explicit_bzero(code, sizeof(code));
		return 1;
	}
	if (replaced)
		printf("the earlier pickup code of %s is void\n", id);
	printf("pickup code: %s\npickup qr: %s\n", code, text);
	if (show_qr && termqr_print(stdout, text) != KERR_OK)
		rc = 1;
	if (png && write_qr_png(text, png))
		rc = 1;
	explicit_bzero(code, sizeof(code));
	explicit_bzero(text, sizeof(text));
	return rc;
}

/* Staff lift an order's wrong-code lockout. */
static int unlock(struct store *s, const char *id)
{
	char scope[ORDER_ID_MAX + 8];
	enum kerr err;

	pickup_scope(id, scope, sizeof(scope));
	err = store_lockout_clear(s, scope, "(kioskctl)", clock_real_ms(clock_system()));
	if (err == KERR_NOTFOUND) {
		printf("%s: not locked\n", id);
		return 0;
	}
	if (err) {
		fprintf(stderr, "kioskctl orders unlock: %s\n", kerr_str(err));
		return 1;
	}
	printf("%s: unlocked; its pickup code works again\n", id);
	return 0;
}

/*
 * A payment request made ahead, for a member who pays from home: the
 * payment code and link to send them, valid until the order's pickup
 * deadline or for --hours (default 24). The kiosk finds the payment like
 * any other; the member then picks up the order already paid.
 */
static int request(struct store *s, const struct site *site, struct order *o, const char *hours,
                   bool qr, const char *png)
{
	int64_t now = clock_real_ms(clock_system()), ttl = 24 * 3600000LL;
	struct staff_ctx c = {
	    .store = s, .site = site, .rng = rng_system(), .now_ms = now, .actor = "(kioskctl)"};
	struct staff_result *r;
	char amount[ASSET_STR_MAX], until[TIMEFMT_MAX];
	int rc = 1;

	if (hours) {
		char *end;
		unsigned long h = strtoul(hours, &end, 10);

		if (*end || h == 0 || h > 24 * 60) {
			fprintf(stderr,
			        "kioskctl orders request: --hours \"%s\": give a whole number of "
			        "hours, 1 to 1440\n",
			        hours);
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
		printf("order\t%s\namount\t%s\nto\t%s\nmemo\t%s\nvalid_until\t%s\nuri\t%s\n", o->id,
		       amount, site->account, r->memo, until, r->uri);
		rc = qr && termqr_print(stdout, r->uri) != KERR_OK ? 1 : 0;
		/* Paid from home, the order goes out against this code only. */
		if (!rc)
			rc = pickup(s, site, o->id, qr, png);
		break;
	case STAFF_REFUSED:
		fprintf(stderr, "kioskctl orders request: order %s is %s and takes no payment\n",
		        o->id, order_state_name(r->order.state));
		break;
	case STAFF_NO_ORDER:
		fprintf(stderr, "kioskctl orders: no order %s\n", o->id);
		break;
	case STAFF_NO_RATE:
		fprintf(stderr,
		        "kioskctl orders request: order %s is priced in won and no rate is usable "
		        "(%s); set one with kioskctl rate set\n",
		        o->id, r->why);
		break;
	default:
		fprintf(stderr, "kioskctl orders request: %s%s%s\n", kerr_str(r->err),
		        r->why ? ": " : "", r->why ? r->why : "");
	}
	free(r);
	return rc;
}

/* Staff cancel an order, as on the kiosk's staff menu. */
static int cancel(struct store *s, const struct site *site, const char *id)
{
	struct staff_ctx c = {.store = s,
	                      .site = site,
	                      .rng = rng_system(),
	                      .now_ms = clock_real_ms(clock_system()),
	                      .actor = "(kioskctl)"};
	struct staff_result *r = malloc(sizeof(*r));
	int rc = 1;

	if (!r)
		return 1;
	switch (staff_cancel_order(&c, id, r)) {
	case STAFF_OK:
		printf("%s: %s%s\n", id, order_state_name(r->order.state),
		       r->order.state == ORDER_REFUND_DUE ? " (money was received: refund it)"
		                                          : "");
		rc = 0;
		break;
	case STAFF_NO_ORDER:
		fprintf(stderr, "kioskctl orders: no order %s\n", id);
		break;
	case STAFF_REFUSED:
		fprintf(stderr, "kioskctl orders cancel: order %s is %s and cannot be cancelled\n",
		        id, order_state_name(r->order.state));
		break;
	default:
		fprintf(stderr, "kioskctl orders cancel: %s; nothing was cancelled\n",
		        kerr_str(r->err));
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

static void print_order(const struct order *o, bool full);

/* The codes file for a mail merge: order, member, code, QR text; mode 0600, written before the
 * commit. */
static FILE *codes_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0 || fchmod(fd, 0600) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	else
		fprintf(f, "order,member,code,qr\n");
	return f;
}

static int import(struct store *s, const struct site *site, const char *board_path,
                  const char *file, bool dry_run, const char *codes_path)
{
	const struct chain_profile *p = chain_profile_get(site->chain);
	struct order_import_rules rules = {
	    .symbols = {p->assets[CHAIN_LIQUID].symbol, p->assets[CHAIN_DOLLAR].symbol, "KRW",
	                NULL},
	    .compartments = BOARD_LOCKERS_MAX,
	    .now_ms = clock_real_ms(clock_system()),
	};
	struct order_import imp;
	struct board *b = NULL;
	FILE *codes = NULL;
	size_t len;
	char *text;
	enum kerr err;
	int rc = 1;

	for (unsigned i = 0; i < site->token_count && i < ARRAY_SIZE(rules.tokens) - 1; i++)
		rules.tokens[i] = site->tokens[i];

	if (board_path) {
		struct config_error e;

		b = calloc(1, sizeof(*b));
		if (!b || config_load_board(board_path, b, &e)) {
			fprintf(stderr,
			        "kioskctl orders import: --board %s: cannot use this board file "
			        "(kioskctl config "
			        "check says why)\n",
			        board_path);
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
		fprintf(stderr,
		        "kioskctl orders import: %s: nothing imported; fix these and try again:\n",
		        file);
		for (unsigned i = 0; i < imp.error_count && i < ORDER_IMPORT_MAX_ERRORS; i++) {
			const struct order_import_error *e = &imp.errors[i];

			/* CSV: the line number; JSON: the order's index in the array. */
			if (e->row == 0)
				fprintf(stderr, "  %s%s%s\n", e->column, e->column[0] ? ": " : "",
				        e->msg);
			else
				fprintf(stderr, "  %s %u%s%s: %s\n",
				        imp.json ? "order index" : "row",
				        imp.json ? e->row - 1 : e->row, e->column[0] ? ", " : "",
				        e->column, e->msg);
		}
		if (imp.error_count > ORDER_IMPORT_MAX_ERRORS)
			fprintf(stderr, "  ... and %u more\n",
			        imp.error_count - ORDER_IMPORT_MAX_ERRORS);
		order_import_fini(&imp);
		return 2;
	}
	if (dry_run) {
		/* What would be imported; the journal is only read, for orders already in it. */
		for (unsigned i = 0; i < imp.count; i++) {
			struct order old;

			print_order(&imp.orders[i], false);
			if (store_order_get(s, imp.orders[i].id, &old) == KERR_OK) {
				fprintf(
				    stderr,
				    "kioskctl orders import: order %s is already in the journal\n",
				    imp.orders[i].id);
				rc = 2;
			}
		}
		if (rc != 2) {
			printf("dry run: %u orders would be imported; nothing written\n",
			       imp.count);
			rc = 0;
		} else {
			printf("dry run: the import would fail; nothing written\n");
		}
		order_import_fini(&imp);
		return rc;
	}
	if (codes_path) {
		codes = codes_open(codes_path);
		if (!codes) {
			fprintf(stderr,
			        "kioskctl orders import: cannot write %s; nothing imported\n",
			        codes_path);
			order_import_fini(&imp);
			return 2;
		}
	}
	/* All or nothing: one transaction for the whole file, each order with its pickup code. */
	err = store_begin(s);
	for (unsigned i = 0; !err && i < imp.count; i++) {
		char code[PICKUP_DIGITS_MAX + 1] = "", qrtext[PICKUP_QR_MAX] = "";

		err = store_order_insert(s, &imp.orders[i]);
		if (err == KERR_EXISTS)
			fprintf(stderr,
			        "kioskctl orders import: order %s is already in the journal; "
			        "nothing imported\n",
			        imp.orders[i].id);
		if (!err)
			err = pickup_issue(s, rng_system(), imp.orders[i].id,
			                   site->pickup_code_digits, code, NULL);
		if (!err)
			err = pickup_qr_text(imp.orders[i].id, code, qrtext, sizeof(qrtext));
		/* Ids and account names hold no comma or quote (order_import checks them). */
		if (!err && codes &&
		    fprintf(codes, "%s,%s,%s,%s\n", imp.orders[i].id, imp.orders[i].member, code,
		            qrtext) < 0)
			err = KERR_IO;
		explicit_bzero(code, sizeof(code));
		explicit_bzero(qrtext, sizeof(qrtext));
	}
	if (!err && codes && (fflush(codes) != 0 || fsync(fileno(codes)) != 0)) {
		fprintf(stderr, "kioskctl orders import: cannot write %s; nothing imported\n",
		        codes_path);
		err = KERR_IO;
	}
	if (err) {
		store_rollback(s);
	} else if (store_commit(s) == KERR_OK) {
		printf("imported %u orders\n", imp.count);
		if (codes_path)
			printf("pickup codes written to %s (mode 0600): send each member theirs, "
			       "then delete it\n",
			       codes_path);
		else
			printf("pickup codes made but not shown: make a member's with `kioskctl "
			       "orders pickup ID`, "
			       "or import with --codes-out FILE\n");
		rc = 0;
	}
	if (codes) {
		fclose(codes);
		if (rc)
			unlink(codes_path);
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
	/* Priced in won: the amount above is what its request locked (docs/prices.md). */
	if (o->won.symbol[0] && asset_format(&o->won, amount, sizeof(amount)) == KERR_OK)
		printf("  priced in won: %s\n", amount);
}

static const char *state_names[ORDER_STATE_COUNT + 1];
static const struct ctl_verb verbs[] = {
    {"import", 1, 1, "FILE"}, {"list", 0, 0, ""},      {"show", 1, 1, "ID"},
    {"cancel", 1, 1, "ID"},   {"request", 1, 1, "ID"}, {"pickup", 1, 1, "ID"},
    {"unlock", 0, 1, "ID"},   {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file (default " CTL_DEFAULT_SITE ")", NULL},
    {"--board", "FILE", NULL, "check compartments against this board file", "import"},
    {"--dry-run", NULL, NULL, "check the file and print what would be imported; write nothing",
     "import"},
    {"--state", "STATE", state_names, "only orders in this state", "list"},
    {"--hours", "H", NULL,
     "how long the request is valid, 1 to 1440 (default: the order's deadline or 24)", "request"},
    {"--qr", NULL, NULL, "also draw the payment QR in the terminal", "request"},
    {"--png", "FILE", NULL, "also write the pickup QR as a PNG", "request pickup"},
    {"--codes-out", "FILE", NULL,
     "write the new orders' pickup codes here (CSV, mode 0600) for a mail merge", "import"},
    {"--kiosk", NULL, NULL, "lift the kiosk-wide pickup lockout instead of one order's", "unlock"},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"orders", cmd_orders_usage, verbs, 0, 0, NULL, flags};

int cmd_orders(int argc, char **argv)
{
	const char *verb, *arg, *site_path;
	struct site *site;
	struct store *s = NULL;
	struct ctl_args a;
	int rc;

	for (int i = 0; i < ORDER_STATE_COUNT; i++)
		state_names[i] = order_state_name((enum order_state)i);
	if (!ctl_parse(&spec, argc, argv, &a, &rc))
		return rc;
	verb = a.verb;
	arg = a.nargs ? a.arg[0] : NULL;
	site_path = ctl_get(&a, "--site");
	site = calloc(1, sizeof(*site));
	if (!site)
		return 1;
	if (strcmp(verb, "unlock") == 0 && !arg == !ctl_has(&a, "--kiosk")) {
		fprintf(stderr, "kioskctl orders unlock: give an order ID, or --kiosk for the "
		                "kiosk-wide lockout\n");
		free(site);
		return 2;
	}
	rc = ctl_open_journal("orders", site_path, site, &s);
	if (rc) {
		free(site);
		return rc;
	}
	if (strcmp(verb, "unlock") == 0 && !arg) {
		/* The kiosk-wide pickup lockout, for everybody. */
		enum kerr err = store_lockout_clear(s, PICKUP_KIOSK_SCOPE, "(kioskctl)",
		                                    clock_real_ms(clock_system()));

		printf("%s\n", err == KERR_NOTFOUND ? "pickup by code was not locked"
		               : err                ? kerr_str(err)
		                                    : "pickup by code unlocked for everybody");
		rc = err && err != KERR_NOTFOUND ? 1 : 0;
	} else if (strcmp(verb, "import") == 0) {
		rc = import(s, site, ctl_get(&a, "--board"), arg, ctl_has(&a, "--dry-run"),
		            ctl_get(&a, "--codes-out"));
	} else if (strcmp(verb, "list") == 0) {
		const char *state_name = ctl_get(&a, "--state");
		enum order_state st = ORDER_READY;
		struct order *list = calloc(500, sizeof(*list));
		unsigned n = 0;

		if (state_name && order_state_parse(state_name, &st)) {
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
			rc = request(s, site, &o, ctl_get(&a, "--hours"), ctl_has(&a, "--qr"),
			             ctl_get(&a, "--png"));
		} else if (strcmp(verb, "pickup") == 0) {
			rc = pickup(s, site, o.id, true, ctl_get(&a, "--png"));
		} else if (strcmp(verb, "unlock") == 0) {
			rc = unlock(s, o.id);
		} else {
			rc = cancel(s, site, arg);
		}
	}
	store_close(s);
	free(site);
	return rc;
}
