#include "kiosk_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- staff ---- */

static void staff_menu(struct kiosk *k, const char *note);

void kiosk_staff_code_done(struct kiosk *k)
{
	const struct staff_member *who = NULL;
	struct staff_db *db;
	int64_t now_s = now_ms(k) / 1000, left, chain_s = 0;
	int lock = -1;
	const char *why = NULL;
	struct lockout lo;
	struct lockout_rule rule = kiosk_staff_lockout_rule(k->site);
	enum kerr err;

	/* The lockout lives in the journal: a restart does not lift it. */
	if (store_lockout_get(k->store, STAFF_LOCK_SCOPE, &lo) != KERR_OK) {
		k->code[0] = '\0';
		kiosk_show_message(k, SCREEN_ERROR,
		                   str_get(STR_STAFF_JOURNAL_UNREADABLE, k->site->lang));
		return;
	}
	if (lockout_locked(&lo, now_ms(k), &left)) {
		char msg[128];

		k->code[0] = '\0';
		snprintf(msg, sizeof(msg),
		         "staff mode locked after wrong codes; try again in %lld min, or "
		         "`kioskctl staff unlock`",
		         (long long)((left + 59999) / 60000));
		kiosk_show_message(k, SCREEN_ERROR, msg);
		return;
	}
	/* The chain's head time, carried forward on the monotonic clock. */
	if (k->online && k->head_time_s > 0)
		chain_s = k->head_time_s + (clock_mono_ns(k->clock) - k->head_at_ns) / NS_PER_S;
	if (staff_clock_check(now_s, k->clock_floor_s, chain_s, STAFF_CLOCK_SKEW_S, &why) !=
	    KERR_OK) {
		kiosk_show_message(k, SCREEN_ERROR, why);
		return;
	}
	/* Read afresh: kioskctl may have added or removed someone since. */
	db = malloc(sizeof(*db));
	err =
	    db ? staff_db_lock(k->site->staff_secrets_path, STAFF_LOCK_WAIT_MS, &lock) : KERR_NOMEM;
	if (!err)
		err = staff_db_load(k->site->staff_secrets_path, db);
	if (err) {
		staff_db_unlock(lock);
		free(db);
		k->code[0] = '\0';
		kiosk_show_message(k, SCREEN_ERROR,
		                   "staff codes cannot be checked: the staff secrets file cannot "
		                   "be read; see the log");
		return;
	}
	staff_db_keep_steps(db, &k->staff);
	err = staff_db_check_digits(db, now_s, k->code, k->site->staff_code_digits, &who);
	if (store_staff_attempt(k->store, who ? who->name : "?", err == KERR_OK,
	                        err == KERR_OK ? "ok" : kerr_str(err)))
		log_err("journal: a staff code attempt could not be recorded");
	if (lockout_record(&rule, &lo, now_ms(k), err == KERR_OK)) {
		char d[STORE_DETAIL_MAX];

		/* An alert: someone may be guessing staff codes. */
		snprintf(d, sizeof(d), "%u wrong staff codes: locked for %lld min (lock %u)",
		         rule.max_failures, (long long)((lo.until_ms - now_ms(k) + 59999) / 60000),
		         lo.level);
		log_warn("staff: %s", d);
		if (store_event(k->store, NULL, "staff_locked", d))
			log_err("journal: the staff lockout could not be recorded");
	}
	if (store_lockout_put(k->store, STAFF_LOCK_SCOPE, &lo))
		log_err("journal: the staff lockout state could not be written");
	k->code[0] = '\0';
	if (!err) {
		if (staff_db_save(db))
			log_warn("staff: the used code could not be written to the secrets file; "
			         "this run "
			         "still refuses it again");
		snprintf(k->staff_name, sizeof(k->staff_name), "%s", who->name);
		k->staff = *db;
	}
	staff_db_unlock(lock);
	explicit_bzero(db, sizeof(*db));
	free(db);
	if (err) {
		k->model.code_digits = 0;
		k->model.code_len = k->site->staff_code_digits;
		k->model.error = str_get(STR_STAFF_WRONG_CODE, k->site->lang);
		kiosk_show(k, M_STAFF_CODE, SCREEN_STAFF_CODE);
		return;
	}
	staff_menu(k, NULL);
}

struct lockout_rule kiosk_staff_lockout_rule(const struct site *site)
{
	/*
	 * Escalating, and not reset by a colleague's login: every
	 * staff_lockout_attempts wrong codes within a day lock staff mode for
	 * staff_lockout_s, doubling each time up to a day; the doubling decays
	 * a week after the last lock (docs/staff.md has the arithmetic).
	 */
	return (struct lockout_rule){.max_failures = site->staff_lockout_attempts,
	                             .window_ms = 24 * 3600 * 1000LL,
	                             .base_ms = (int64_t)site->staff_lockout_s * 1000,
	                             .max_ms = 24 * 3600 * 1000LL,
	                             .escalate = true,
	                             .keep_on_success = true,
	                             .decay_ms = 7 * 24 * 3600 * 1000LL};
}

/*
 * `kioskctl staff add NAME --on-kiosk` asks, through the journal, for the new
 * member's otpauth QR on this screen. It holds a secret: it is shown only
 * when a staff member logged in here picks "show enrolment" on the staff
 * menu, while the request is fresh (2 minutes), until any key or the idle
 * timeout; never on the idle screen by itself. The secret is read from the
 * secrets file here, never carried in the journal. False when there is
 * nothing to show.
 */
bool kiosk_enrol_if_asked(struct kiosk *k)
{
	char detail[STORE_DETAIL_MAX], *issuer;
	const struct staff_member *m;
	struct staff_db *db;
	int64_t id, at, now = now_ms(k);
	int lock = -1;
	enum kerr err;

	bool shown = false;

	if (!k->staff_name[0] || k->mode != M_STAFF_MENU)
		return false;
	if (store_last_event_of(k->store, "staff_enrol", &id, &at, detail, sizeof(detail)) ||
	    id <= k->enrol_seen)
		return false;
	k->enrol_seen = id;
	issuer = strchr(detail, '\t');
	if (issuer)
		*issuer++ = '\0';
	if (at < now - ENROL_FRESH_MS || at > now + ENROL_FRESH_MS) {
		log_notice("staff enrolment QR for %s asked at a time too far from now; dropped",
		           detail);
		return false;
	}
	db = malloc(sizeof(*db));
	if (!db)
		return false;
	err = staff_db_lock(k->site->staff_secrets_path, STAFF_LOCK_WAIT_MS, &lock);
	if (!err)
		err = staff_db_load(k->site->staff_secrets_path, db);
	staff_db_unlock(lock);
	m = err ? NULL : staff_db_find(db, detail);
	if (!m ||
	    totp_otpauth_uri_digits(issuer && issuer[0] ? issuer : k->site->coop_name, m->name,
	                            m->secret, m->secret_len, k->site->staff_code_digits,
	                            k->enrol_uri, sizeof(k->enrol_uri))) {
		log_warn("staff enrolment QR for %s: %s", detail,
		         err  ? "the secrets file cannot be read"
		         : !m ? "no such staff member (removed?)"
		              : "name or issuer too long");
	} else {
		snprintf(k->enrol_name, sizeof(k->enrol_name), "%s", m->name);
		memset(&k->model, 0, sizeof(k->model));
		k->model.staff_name = k->enrol_name;
		k->model.uri = k->enrol_uri;
		k->model.ecc = QR_ECC_M;
		snprintf(detail, sizeof(detail), "%s, shown to %s", m->name, k->staff_name);
		if (store_event(k->store, NULL, "staff_enrol_shown", detail))
			log_warn("journal: showing the enrolment QR could not be recorded");
		log_notice("staff enrolment QR for %s on screen (asked for by %s)", m->name,
		           k->staff_name);
		k->enrol_shown_ns = clock_mono_ns(k->clock);
		kiosk_show(k, M_ENROL, SCREEN_STAFF_ENROL);
		shown = true;
	}
	explicit_bzero(db, sizeof(*db));
	free(db);
	return shown;
}

/* Back to the staff menu, with a line saying what just happened. */
static void staff_menu(struct kiosk *k, const char *note)
{
	struct store_confirmation *c = calloc(64, sizeof(*c));
	unsigned a = 0, b = 0;

	if (!c || store_confirmation_list(k->store, RECONCILE_UNDERPAID, c, 64, &a))
		a = 0;
	if (!c || store_confirmation_list(k->store, RECONCILE_UNPAID, c, 64, &b))
		b = 0;
	free(c);
	k->model.flagged = a + b;
	if (k->order.id[0])
		kiosk_model_for_order(k, &k->order);
	else
		k->model.order_id = k->model.items = k->model.amount = NULL;
	if (!note)
		note = kiosk_printer_note(k);
	snprintf(k->message, sizeof(k->message), "%s", note ? note : "");
	k->model.error = note ? k->message : NULL;
	kiosk_show(k, M_STAFF_MENU, SCREEN_STAFF_MENU);
}

/* The order the staff keys act on, read again from the journal. */
static bool staff_order(struct kiosk *k)
{
	char id[ORDER_ID_MAX + 1];

	/* A copy: store_order_get clears its output before it reads the key. */
	snprintf(id, sizeof(id), "%s", k->order.id);
	if (!id[0] || store_order_get(k->store, id, &k->order)) {
		memset(&k->order, 0, sizeof(k->order));
		staff_menu(k, str_get(STR_STAFF_PICK_ORDER, k->site->lang));
		return false;
	}
	return true;
}

/*
 * Staff say how the order was paid. Cash, bank transfer and waived are
 * settled there and then; "paid on chain, not seen yet" waits for the
 * watcher's catch-up (reconcile()). One transaction: the confirmation, its
 * settlement and the order's move, so a power cut leaves all or nothing.
 */
void kiosk_staff_confirm(struct kiosk *k, enum pay_method how, const char *reason)
{
	struct staff_ctx c = {.store = k->store,
	                      .site = k->site,
	                      .rng = k->rng,
	                      .now_ms = now_ms(k),
	                      .actor = k->staff_name};
	struct staff_result r;

	if (!staff_order(k))
		return;
	switch (staff_confirm_paid(&c, k->order.id, how, reason, &r)) {
	case STAFF_OK:
		break;
	case STAFF_NO_ORDER:
		/* Gone since staff_order() read it: say so as it would. */
		(void)staff_order(k);
		return;
	case STAFF_REFUSED:
		staff_menu(k, str_get(STR_STAFF_CANNOT_CONFIRM, k->site->lang));
		return;
	default:
		log_err("journal: the staff confirmation of %s could not be written (%s)",
		        k->order.id, kerr_str(r.err));
		kiosk_show_message(k, SCREEN_ERROR,
		                   str_get(STR_STAFF_NOT_CONFIRMED, k->site->lang));
		return;
	}
	log_notice("order %s: confirmed by %s (%s%s%s)", k->order.id, k->staff_name,
	           pay_method_name(how), reason ? ": " : "", reason ? reason : "");
	k->order = r.order;
	kiosk_hand_over(k, &k->order, false);
}

static void staff_cancel(struct kiosk *k)
{
	struct staff_ctx c = {.store = k->store,
	                      .site = k->site,
	                      .rng = k->rng,
	                      .now_ms = now_ms(k),
	                      .actor = k->staff_name};
	struct staff_result r;
	bool refund;

	if (!staff_order(k))
		return;
	switch (staff_cancel_order(&c, k->order.id, &r)) {
	case STAFF_OK:
		break;
	case STAFF_NO_ORDER:
		(void)staff_order(k);
		return;
	default:
		staff_menu(k, str_get(STR_STAFF_CANNOT_CANCEL, k->site->lang));
		return;
	}
	k->order = r.order;
	/* Money already came in for it: the table sends it to refund due. */
	refund = k->order.state == ORDER_REFUND_DUE;
	log_notice("order %s: cancelled by staff %s%s", k->order.id, k->staff_name,
	           refund ? "; refund due" : "");
	staff_menu(
	    k, str_get(refund ? STR_STAFF_CANCELLED_REFUND : STR_STAFF_CANCELLED, k->site->lang));
}

/* An interrupted or failed handover, tried again on staff's explicit word. */
static void staff_retry(struct kiosk *k)
{
	struct staff_ctx c = {.store = k->store,
	                      .site = k->site,
	                      .rng = k->rng,
	                      .now_ms = now_ms(k),
	                      .actor = k->staff_name};
	struct staff_result r;

	switch (staff_retry_handover(&c, &k->handover, k->order.id, &r)) {
	case STAFF_OK:
		return;
	case STAFF_NO_ORDER:
		(void)staff_order(k);
		return;
	case STAFF_BUSY:
		kiosk_show_message(k, SCREEN_ERROR, str_get(STR_BUSY, k->site->lang));
		return;
	default:
		kiosk_show_message(k, SCREEN_ERROR, kerr_str(r.err));
	}
}

/* A receipt again: for an order handed over (a lost or failed receipt,
 * journaled printing then printed or print_failed), or a failed receipt
 * handover tried again (as '2'). */
static void staff_reprint(struct kiosk *k)
{
	enum kerr err;

	log_debug("staff reprint: order %s is %s", k->order.id, order_state_name(k->order.state));
	if (k->order.state == ORDER_HANDOVER_FAILED) {
		staff_retry(k);
		return;
	}
	if (k->order.state != ORDER_HANDED_OVER) {
		staff_menu(k, str_get(STR_STAFF_REPRINT_ONLY, k->site->lang));
		return;
	}
	err = kiosk_reprint(k, &k->order);
	log_notice("order %s: receipt reprint by staff %s: %s", k->order.id, k->staff_name,
	           err ? kerr_str(err) : "started");
	staff_menu(k, err ? kerr_str(err) : str_get(STR_STAFF_REPRINTING, k->site->lang));
}

/* Reasons for waiving, as a numeric keypad can pick them; journaled in English. */
static const char *const waive_reasons[] = {
    "damaged or missing goods",
    "co-op gift or volunteer share",
    "price error",
    "other",
};

void kiosk_staff_waive_key(struct kiosk *k, char key)
{
	if (key == '0') {
		staff_menu(k, NULL);
		return;
	}
	if (key >= '1' && key < '1' + (char)ARRAY_SIZE(waive_reasons))
		kiosk_staff_confirm(k, PAY_WAIVED, waive_reasons[key - '1']);
}

/* Staff menu: the keys the screen lists (STR_STAFF_MENU_ITEMS). */
void kiosk_staff_menu_key(struct kiosk *k, char key)
{
	log_debug("staff key %c, order %s", key, k->order.id[0] ? k->order.id : "(none)");
	switch (key) {
	case '0':
		kiosk_show_idle(k);
		return;
	case '1':
		kiosk_staff_confirm(k, PAY_CHAIN_PENDING, NULL);
		return;
	case '2':
		if (staff_order(k))
			staff_retry(k);
		return;
	case '3':
		staff_cancel(k);
		return;
	case '4':
		kiosk_staff_confirm(k, PAY_CASH, NULL);
		return;
	case '5':
		kiosk_staff_confirm(k, PAY_BANK, NULL);
		return;
	case '6':
		if (!staff_order(k))
			return;
		k->model.error = NULL;
		kiosk_show(k, M_STAFF_WAIVE, SCREEN_STAFF_WAIVE);
		return;
	case '7':
		/* A new colleague's enrolment QR, asked for with kioskctl in the last 2 minutes. */
		if (!kiosk_enrol_if_asked(k))
			staff_menu(k, str_get(STR_STAFF_NO_ENROL, k->site->lang));
		return;
	case '8':
		if (staff_order(k))
			staff_reprint(k);
		return;
	default:
		return;
	}
}
