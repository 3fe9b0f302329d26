/*
 * Staff actions: the kiosk's staff menu and kioskctl call the same module,
 * so they must give the same answer and leave the same journal. Each
 * comparison runs the action the kiosk's way and kioskctl's way against two
 * fresh journals set up alike (same clock, same random payment codes).
 */
#include "kiosk/staff_actions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/chain.h"
#include "kiosk/order_fsm.h"
#include "kiosk/payreq.h"
#include "testutil.h"

#define T0          1795478400000LL /* 2026-11-24 */
#define KIOSK_ACTOR "minji"
#define CTL_ACTOR   "(kioskctl)"
#define ROWS_MAX    64

struct side {
	struct clock_fake clk;
	struct rng_fake rng;
	struct store *s;
};

struct fx {
	char *dir;
	struct site site;
	struct side kiosk, ctl;
};

static void open_side(struct fx *f, const char *name, struct side *d)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	clock_fake_init(&d->clk, T0);
	rng_fake_init(&d->rng, 7);
	assert_int_equal(store_open(path, &d->clk.base, &d->s), KERR_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_or_fail();
	f->site.chain = SITE_CHAIN_HIVE;
	snprintf(f->site.account, sizeof(f->site.account), "coop");
	f->site.uri_style = SITE_URI_CHAIN;
	f->site.request_ttl_s = 600;
	open_side(f, "kiosk.db", &f->kiosk);
	open_side(f, "ctl.db", &f->ctl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->kiosk.s);
	store_close(f->ctl.s);
	rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static struct asset hive(int64_t milli)
{
	return (struct asset){.amount = milli, .precision = 3, .symbol = "HIVE"};
}

/* An order of 7.250 HIVE for compartment 3, ready. */
static void add_order(struct side *d, const char *id)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	snprintf(o.member, sizeof(o.member), "alice");
	o.item_count = 1;
	snprintf(o.items[0].name, sizeof(o.items[0].name), "감자");
	o.items[0].quantity = 1;
	o.items[0].unit_price = hive(7250);
	o.price = hive(7250);
	o.pickup = ORDER_PICKUP_LOCKER;
	o.compartment = 3;
	assert_int_equal(store_order_insert(d->s, &o), KERR_OK);
}

/* The order's request made, then 5.000 HIVE of its 7.250 paid on chain. */
static void make_underpaid(struct side *d, const char *id)
{
	struct store_request req;
	struct store_transfer t;
	struct order o;

	add_order(d, id);
	assert_int_equal(store_order_get(d->s, id, &o), KERR_OK);
	assert_int_equal(payreq_ensure(d->s, &d->rng.base, T0, 600000, &o, &req), KERR_OK);
	memset(&t, 0, sizeof(t));
	snprintf(t.trx_id, sizeof(t.trx_id), "aa11bb22");
	snprintf(t.from, sizeof(t.from), "alice");
	snprintf(t.to, sizeof(t.to), "coop");
	t.timestamp_ms = T0 + 1000;
	t.amount = hive(5000);
	assert_int_equal(store_transfer_insert(d->s, &t), KERR_OK);
	assert_int_equal(store_transfer_match(d->s, t.rowid, id), KERR_OK);
	assert_int_equal(store_order_set_state(d->s, id, ORDER_AWAITING_PAYMENT, ORDER_UNDERPAID,
	                                       "part paid on chain"),
	                 KERR_OK);
}

static struct staff_ctx kiosk_ctx(struct fx *f)
{
	return (struct staff_ctx){f->kiosk.s,
	                          &f->site,
	                          &f->kiosk.rng.base,
	                          clock_real_ms(&f->kiosk.clk.base),
	                          KIOSK_ACTOR,
	                          NULL,
	                          NULL};
}

static struct staff_ctx ctl_ctx(struct fx *f)
{
	return (struct staff_ctx){
	    f->ctl.s, &f->site, &f->ctl.rng.base, clock_real_ms(&f->ctl.clk.base), CTL_ACTOR,
	    NULL,     NULL};
}

/* The kiosk acts on the order on screen: read from the journal first (staff_order). */
static struct order on_screen(struct side *d, const char *typed)
{
	struct order o;

	assert_int_equal(store_order_get(d->s, typed, &o), KERR_OK);
	return o;
}

/* kioskctl's TTL rule: the pickup deadline, or 24 h. */
static int64_t ctl_ttl(struct side *d, const char *id)
{
	struct order o;
	int64_t now = clock_real_ms(&d->clk.base);

	assert_int_equal(store_order_get(d->s, id, &o), KERR_OK);
	return o.expires_at_ms > now + PAYREQ_REUSE_MIN_MS ? o.expires_at_ms - now : 24 * 3600000LL;
}

/* ---- the journal, row by row, with who acted written as <actor> ---- */

struct rows {
	char line[ROWS_MAX][STORE_DETAIL_MAX + 128];
	unsigned n;
	const char *actor;
};

static void normalise(char *s, const char *actor)
{
	char *p, tmp[STORE_DETAIL_MAX + 128];

	while ((p = strstr(s, actor))) {
		snprintf(tmp, sizeof(tmp), "%.*s<actor>%s", (int)(p - s), s, p + strlen(actor));
		strcpy(s, tmp);
	}
}

static void event_row(const struct store_event_row *e, void *arg)
{
	struct rows *r = arg;

	assert_true(r->n < ROWS_MAX);
	snprintf(r->line[r->n], sizeof(r->line[0]), "event %" PRId64 " %s %s %s", e->at_ms,
	         e->order_id ? e->order_id : "-", e->kind, e->detail ? e->detail : "");
	normalise(r->line[r->n++], r->actor);
}

static void journal_rows(struct side *d, const char *actor, struct rows *r)
{
	static const enum reconcile_state settlements[] = {RECONCILE_PENDING, RECONCILE_SETTLED,
	                                                   RECONCILE_UNDERPAID, RECONCILE_UNPAID};
	struct store_confirmation c[8];
	struct store_request req;
	struct order all[16];
	unsigned n;

	memset(r, 0, sizeof(*r));
	r->actor = actor;
	assert_int_equal(store_events(d->s, 0, ROWS_MAX - 24, event_row, r), KERR_OK);
	assert_int_equal(store_order_list(d->s, -1, all, 16, &n), KERR_OK);
	for (unsigned i = 0; i < n; i++) {
		snprintf(r->line[r->n++], sizeof(r->line[0]), "order %.32s %.20s memo %.64s",
		         all[i].id, order_state_name(all[i].state), all[i].memo);
		if (store_request_of_order(d->s, all[i].id, &req) == KERR_OK)
			snprintf(r->line[r->n++], sizeof(r->line[0]),
			         "request %.32s %.64s %" PRId64 " %" PRId64, req.order_id, req.memo,
			         req.created_ms, req.expires_ms);
	}
	for (unsigned s = 0; s < ARRAY_SIZE(settlements); s++) {
		assert_int_equal(store_confirmation_list(d->s, settlements[s], c, 8, &n), KERR_OK);
		for (unsigned i = 0; i < n; i++) {
			snprintf(r->line[r->n], sizeof(r->line[0]),
			         "confirmation %.32s %.32s %.15s %.200s %.15s %" PRId64 " %" PRId64,
			         c[i].order_id, c[i].staff, pay_method_name(c[i].method),
			         c[i].reason, reconcile_state_name(c[i].settlement),
			         c[i].due.amount, c[i].at_ms);
			normalise(r->line[r->n++], actor);
		}
	}
}

static void assert_same_journal(struct fx *f)
{
	struct rows *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	assert_non_null(a);
	assert_non_null(b);
	journal_rows(&f->kiosk, KIOSK_ACTOR, a);
	journal_rows(&f->ctl, CTL_ACTOR, b);
	/* Something to compare: the order, its events, more. */
	assert_true(a->n >= 3);
	assert_int_equal(a->n, b->n);
	for (unsigned i = 0; i < a->n; i++)
		assert_string_equal(a->line[i], b->line[i]);
	free(a);
	free(b);
}

static void assert_same_asset(const struct asset *a, const struct asset *b)
{
	assert_int_equal(a->amount, b->amount);
	assert_int_equal(a->precision, b->precision);
	assert_string_equal(a->symbol, b->symbol);
}

static void assert_same_result(const struct staff_result *a, const struct staff_result *b)
{
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->err, b->err);
	assert_int_equal(a->from, b->from);
	assert_string_equal(a->order.id, b->order.id);
	assert_int_equal(a->order.state, b->order.state);
	assert_string_equal(a->order.memo, b->order.memo);
	assert_same_asset(&a->received, &b->received);
	assert_same_asset(&a->due, &b->due);
	assert_same_asset(&a->refund_due, &b->refund_due);
	assert_same_asset(&a->asked, &b->asked);
	assert_int_equal(a->confirmation_id, b->confirmation_id);
	assert_int_equal(a->settlement, b->settlement);
	assert_string_equal(a->memo, b->memo);
	assert_int_equal(a->expires_ms, b->expires_ms);
	assert_string_equal(a->uri, b->uri);
}

/* ---- both callers, the same answer ---- */

static void test_cancel_is_the_same_from_the_kiosk_and_kioskctl(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f), cc = ctl_ctx(f);
	struct staff_result *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct order o;

	add_order(&f->kiosk, "A1");
	add_order(&f->ctl, "A1");
	o = on_screen(&f->kiosk, "A1");
	assert_int_equal(staff_cancel_order(&kc, o.id, a), STAFF_OK);
	assert_int_equal(staff_cancel_order(&cc, "A1", b), STAFF_OK);
	assert_same_result(a, b);
	assert_int_equal(a->from, ORDER_READY);
	assert_int_equal(a->order.state, ORDER_CANCELLED);
	assert_int_equal(a->refund_due.amount, 0);
	assert_same_journal(f);
	free(a);
	free(b);
}

static void test_request_for_an_underpaid_order_asks_both_callers_for_what_is_due(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f), cc = ctl_ctx(f);
	struct staff_result *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct uri_payment pay = {.to = "coop", .amount = hive(2250)};
	char want[URI_MAX];
	struct order o;

	make_underpaid(&f->kiosk, "A1");
	make_underpaid(&f->ctl, "A1");
	/* The kiosk: its own request lifetime; kioskctl: the deadline or 24 h. */
	o = on_screen(&f->kiosk, "A1");
	assert_int_equal(staff_payment_request(&kc, o.id, (int64_t)f->site.request_ttl_s * 1000, a),
	                 STAFF_OK);
	assert_int_equal(staff_payment_request(&cc, "A1", ctl_ttl(&f->ctl, "A1"), b), STAFF_OK);
	assert_same_result(a, b);
	/* 7.250 asked, 5.000 came in: 2.250 still due, with the standing code. */
	assert_int_equal(a->order.state, ORDER_UNDERPAID);
	assert_same_asset(&a->received, &(struct asset){5000, 3, "HIVE"});
	assert_same_asset(&a->due, &(struct asset){2250, 3, "HIVE"});
	assert_same_asset(&a->asked, &a->due);
	assert_string_equal(a->memo, a->order.memo);
	assert_int_equal(a->expires_ms, T0 + 600000);
	pay.memo = a->memo;
	assert_int_equal(uri_build(chain_profile_get(SITE_CHAIN_HIVE), SITE_URI_CHAIN, &pay, want,
	                           sizeof(want), NULL),
	                 KERR_OK);
	assert_string_equal(a->uri, want);
	assert_same_journal(f);
	free(a);
	free(b);
}

static void test_a_fresh_request_asks_for_the_price(void **state)
{
	struct fx *f = *state;
	struct staff_ctx cc = ctl_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));

	add_order(&f->ctl, "A1");
	assert_int_equal(staff_payment_request(&cc, "A1", 3600000, r), STAFF_OK);
	assert_int_equal(r->from, ORDER_READY);
	assert_int_equal(r->order.state, ORDER_AWAITING_PAYMENT);
	assert_same_asset(&r->asked, &(struct asset){7250, 3, "HIVE"});
	assert_int_equal(r->expires_ms, T0 + 3600000);
	assert_true(r->memo[0]);
	assert_string_equal(r->memo, r->order.memo);
	free(r);
}

static void test_cash_confirmation_is_the_same_from_both_callers(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f), cc = ctl_ctx(f);
	struct staff_result *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct store_confirmation c[2];
	unsigned n;
	struct order o;

	add_order(&f->kiosk, "A1");
	add_order(&f->ctl, "A1");
	o = on_screen(&f->kiosk, "A1");
	assert_int_equal(staff_confirm_paid(&kc, o.id, PAY_CASH, NULL, a), STAFF_OK);
	assert_int_equal(staff_confirm_paid(&cc, "A1", PAY_CASH, NULL, b), STAFF_OK);
	assert_same_result(a, b);
	assert_int_equal(a->order.state, ORDER_PAID);
	assert_int_equal(a->settlement, RECONCILE_SETTLED);
	assert_int_equal(store_confirmation_list(f->kiosk.s, RECONCILE_SETTLED, c, 2, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].id, a->confirmation_id);
	assert_int_equal(c[0].method, PAY_CASH);
	assert_string_equal(c[0].staff, KIOSK_ACTOR);
	assert_int_equal(c[0].due.amount, 0);
	assert_same_journal(f);
	free(a);
	free(b);
}

/* ---- the other confirmations ---- */

static void test_chain_pending_waits_and_waived_needs_a_reason(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	struct store_confirmation c[2];
	unsigned n;

	add_order(&f->kiosk, "A1");
	add_order(&f->kiosk, "B2");
	assert_int_equal(staff_confirm_paid(&kc, "A1", PAY_CHAIN_PENDING, NULL, r), STAFF_OK);
	assert_int_equal(r->settlement, RECONCILE_PENDING);
	assert_int_equal(r->order.state, ORDER_PAID);
	assert_int_equal(store_confirmation_list(f->kiosk.s, RECONCILE_PENDING, c, 2, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].method, PAY_CHAIN_PENDING);

	assert_int_equal(staff_confirm_paid(&kc, "B2", PAY_WAIVED, "", r), STAFF_FAILED);
	assert_int_equal(r->err, KERR_INVAL);
	assert_int_equal(store_order_get(f->kiosk.s, "B2", &r->order), KERR_OK);
	assert_int_equal(r->order.state, ORDER_READY);
	assert_int_equal(staff_confirm_paid(&kc, "B2", PAY_WAIVED, "price error", r), STAFF_OK);
	assert_int_equal(store_confirmation_list(f->kiosk.s, RECONCILE_SETTLED, c, 2, &n), KERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].method, PAY_WAIVED);
	assert_string_equal(c[0].reason, "price error");
	free(r);
}

/* ---- errors ---- */

static void test_unknown_order(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	unsigned n;

	assert_int_equal(staff_cancel_order(&kc, "ZZ", r), STAFF_NO_ORDER);
	assert_int_equal(r->err, KERR_NOTFOUND);
	assert_string_equal(r->order.id, "");
	assert_int_equal(staff_confirm_paid(&kc, "ZZ", PAY_CASH, NULL, r), STAFF_NO_ORDER);
	assert_int_equal(staff_payment_request(&kc, "ZZ", 60000, r), STAFF_NO_ORDER);
	assert_int_equal(staff_refund_recorded(&kc, "ZZ", r), STAFF_NO_ORDER);
	assert_int_equal(staff_retry_handover(&kc, NULL, "ZZ", r), STAFF_NO_ORDER);
	assert_int_equal(staff_cancel_order(&kc, "", r), STAFF_NO_ORDER);
	assert_int_equal(store_confirmation_list(f->kiosk.s, RECONCILE_SETTLED,
	                                         (struct store_confirmation[1]){0}, 1, &n),
	                 KERR_OK);
	assert_int_equal(n, 0);
	free(r);
}

static unsigned event_count(struct side *d)
{
	struct rows *r = malloc(sizeof(*r));
	unsigned n;

	assert_non_null(r);
	memset(r, 0, sizeof(*r));
	r->actor = "\x01";
	assert_int_equal(store_events(d->s, 0, ROWS_MAX, event_row, r), KERR_OK);
	n = r->n;
	free(r);
	return n;
}

static void test_a_handed_over_order_is_refused_and_nothing_is_journaled(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	unsigned before;

	add_order(&f->kiosk, "A1");
	assert_int_equal(
	    store_order_set_state(f->kiosk.s, "A1", ORDER_READY, ORDER_HANDED_OVER, "test"),
	    KERR_OK);
	before = event_count(&f->kiosk);
	assert_int_equal(staff_cancel_order(&kc, "A1", r), STAFF_REFUSED);
	assert_int_equal(r->err, KERR_STATE);
	assert_int_equal(r->order.state, ORDER_HANDED_OVER);
	assert_int_equal(staff_confirm_paid(&kc, "A1", PAY_CASH, NULL, r), STAFF_REFUSED);
	assert_int_equal(staff_payment_request(&kc, "A1", 60000, r), STAFF_REFUSED);
	assert_int_equal(staff_refund_recorded(&kc, "A1", r), STAFF_REFUSED);
	assert_int_equal(event_count(&f->kiosk), before);
	free(r);
}

static void test_cancel_with_money_received_records_refund_due(void **state)
{
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	struct rows *rows = malloc(sizeof(*rows));
	struct order o;

	make_underpaid(&f->kiosk, "A1");
	assert_int_equal(staff_cancel_order(&kc, "A1", r), STAFF_OK);
	assert_int_equal(r->from, ORDER_UNDERPAID);
	assert_int_equal(r->order.state, ORDER_REFUND_DUE);
	assert_same_asset(&r->refund_due, &(struct asset){5000, 3, "HIVE"});
	assert_int_equal(store_order_get(f->kiosk.s, "A1", &o), KERR_OK);
	assert_int_equal(o.state, ORDER_REFUND_DUE);
	journal_rows(&f->kiosk, "\x01", rows);
	assert_true(rows->n > 0);
	{
		bool seen = false;

		for (unsigned i = 0; i < rows->n; i++)
			seen = seen || strstr(rows->line[i], "cancelled by staff " KIOSK_ACTOR);
		assert_true(seen);
	}
	/* A second cancel is refused; the refund, once paid back, closes it. */
	assert_int_equal(staff_cancel_order(&kc, "A1", r), STAFF_REFUSED);
	assert_int_equal(staff_refund_recorded(&kc, "A1", r), STAFF_OK);
	assert_int_equal(r->order.state, ORDER_CANCELLED);
	free(rows);
	free(r);
}

static void test_cash_confirmation_of_a_cancelled_order_is_refused(void **state)
{
	struct fx *f = *state;
	struct staff_ctx cc = ctl_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	struct store_confirmation c[1];
	unsigned n;

	add_order(&f->ctl, "A1");
	assert_int_equal(staff_cancel_order(&cc, "A1", r), STAFF_OK);
	assert_int_equal(staff_confirm_paid(&cc, "A1", PAY_CASH, NULL, r), STAFF_REFUSED);
	assert_int_equal(r->err, KERR_STATE);
	assert_int_equal(r->order.state, ORDER_CANCELLED);
	assert_int_equal(store_confirmation_list(f->ctl.s, RECONCILE_SETTLED, c, 1, &n), KERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_confirmation_list(f->ctl.s, RECONCILE_PENDING, c, 1, &n), KERR_OK);
	assert_int_equal(n, 0);
	free(r);
}

/* ---- retry handover, on a handover machine journaling as the kiosk's does ---- */

static struct store *hv_store;
static int hv_acts;

static enum kerr hv_begin(void *ctx, const struct order *o, enum order_state from,
                          enum handover_kind kind, unsigned compartment, const char *cause,
                          int64_t *intent_id)
{
	(void)ctx;
	if (store_handover_intent(hv_store, o->id, kind, compartment, intent_id))
		return KERR_IO;
	return store_order_set_state(hv_store, o->id, from, ORDER_HANDING_OVER, cause);
}

static enum kerr hv_finish(void *ctx, int64_t intent_id, const struct order *o,
                           enum handover_outcome outcome, enum order_state to, const char *detail)
{
	(void)ctx;
	if (store_handover_outcome(hv_store, intent_id, outcome, detail))
		return KERR_IO;
	return store_order_set_state(hv_store, o->id, o->state, to, detail);
}

static enum kerr hv_act(void *ctx, const struct order *o, enum handover_kind kind,
                        unsigned compartment)
{
	(void)ctx;
	(void)o;
	(void)kind;
	(void)compartment;
	hv_acts++;
	return KERR_OK;
}

static void test_retry_handover_resumes_a_failed_one_only(void **state)
{
	static const struct handover_ops ops = {hv_begin, hv_finish, hv_act};
	struct fx *f = *state;
	struct staff_ctx kc = kiosk_ctx(f);
	struct staff_result *r = malloc(sizeof(*r));
	struct handover h;

	hv_store = f->kiosk.s;
	hv_acts = 0;
	handover_init(&h, &ops, NULL);
	add_order(&f->kiosk, "A1");
	add_order(&f->kiosk, "B2");
	/* A ready order has nothing to resume. */
	assert_int_equal(staff_retry_handover(&kc, &h, "A1", r), STAFF_REFUSED);
	assert_int_equal(hv_acts, 0);
	assert_int_equal(
	    store_order_set_state(f->kiosk.s, "A1", ORDER_READY, ORDER_HANDOVER_FAILED, "test"),
	    KERR_OK);
	assert_int_equal(
	    store_order_set_state(f->kiosk.s, "B2", ORDER_READY, ORDER_HANDOVER_FAILED, "test"),
	    KERR_OK);
	assert_int_equal(staff_retry_handover(&kc, &h, "A1", r), STAFF_OK);
	assert_int_equal(r->from, ORDER_HANDOVER_FAILED);
	assert_int_equal(r->order.state, ORDER_HANDING_OVER);
	assert_int_equal(hv_acts, 1);
	/* One at a time. */
	assert_int_equal(staff_retry_handover(&kc, &h, "B2", r), STAFF_BUSY);
	assert_int_equal(r->order.state, ORDER_HANDOVER_FAILED);
	assert_int_equal(handover_done(&h, true, "door opened"), KERR_OK);
	assert_int_equal(store_order_get(f->kiosk.s, "A1", &r->order), KERR_OK);
	assert_int_equal(r->order.state, ORDER_HANDED_OVER);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cancel_is_the_same_from_the_kiosk_and_kioskctl,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_request_for_an_underpaid_order_asks_both_callers_for_what_is_due, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_a_fresh_request_asks_for_the_price, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cash_confirmation_is_the_same_from_both_callers,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chain_pending_waits_and_waived_needs_a_reason,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_handed_over_order_is_refused_and_nothing_is_journaled, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel_with_money_received_records_refund_due,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cash_confirmation_of_a_cancelled_order_is_refused,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retry_handover_resumes_a_failed_one_only, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
