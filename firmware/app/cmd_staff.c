/* kioskctl staff: enrol, list and remove staff members and their TOTP secrets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/rng.h"
#include "kiosk/staff.h"
#include "kiosk/store.h"
#include "kiosk/termqr.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(staff);

#define STAFF_DEFAULT_SECRETS  "/var/lib/kiosk/staff.secrets"
#define STAFF_CTL_LOCK_WAIT_MS 5000 /* the kiosk holds the lock for milliseconds */

const char cmd_staff_usage[] = "kioskctl staff add NAME|show NAME|list|remove NAME|code "
                               "NAME|unlock [--site FILE] [--secrets FILE] "
                               "[--issuer CO-OP] [--no-qr] [--on-kiosk]";

struct staff_args {
	const char *verb, *name, *secrets, *issuer, *site_path;
	bool qr, on_kiosk;
};

static const struct ctl_verb verbs[] = {
    {"add", 1, 1, "NAME"},  {"show", 1, 1, "NAME"}, {"list", 0, 0, ""}, {"remove", 1, 1, "NAME"},
    {"code", 1, 1, "NAME"}, {"unlock", 0, 0, ""},   {NULL, 0, 0, NULL},
};
static const struct ctl_flag flags[] = {
    {"--site", "FILE", NULL, "the kiosk's site file: its secrets file and co-op name", NULL},
    {"--secrets", "FILE", NULL,
     "the secrets file (default: the site's, else " STAFF_DEFAULT_SECRETS ")", NULL},
    {"--issuer", "CO-OP", NULL, "the name the authenticator app shows (default: the site's co-op)",
     "add show"},
    {"--no-qr", NULL, NULL, "print the otpauth link only", "add show"},
    {"--on-kiosk", NULL, NULL, "also show the QR on the kiosk's screen (needs --site)", "add show"},
    {NULL, NULL, NULL, NULL, NULL},
};
static const struct ctl_spec spec = {"staff", cmd_staff_usage, verbs, 0, 0, NULL, flags};

static int parse_args(int argc, char **argv, struct staff_args *a)
{
	struct ctl_args c;
	int rc;

	*a = (struct staff_args){.verb = ""};
	if (!ctl_parse(&spec, argc, argv, &c, &rc))
		return rc ? rc : -1;
	*a = (struct staff_args){.verb = c.verb,
	                         .name = c.nargs ? c.arg[0] : NULL,
	                         .secrets = ctl_get(&c, "--secrets"),
	                         .issuer = ctl_get(&c, "--issuer"),
	                         .site_path = ctl_get(&c, "--site"),
	                         .qr = !ctl_has(&c, "--no-qr"),
	                         .on_kiosk = ctl_has(&c, "--on-kiosk")};
	/* Without --site, the default site file when there is one (its secrets file, its co-op
	 * name). */
	if (!a->site_path && (!a->secrets || a->on_kiosk) && access(ctl_default_site(), F_OK) == 0)
		a->site_path = ctl_default_site();
	if (a->on_kiosk && !a->site_path) {
		fprintf(stderr, "kioskctl staff: --on-kiosk needs the kiosk's site file (its "
		                "journal carries the "
		                "request): give --site FILE\n");
		return 2;
	}
	if (strcmp(a->verb, "unlock") == 0 && !a->site_path) {
		fprintf(
		    stderr,
		    "kioskctl staff unlock: staff mode locks in the kiosk's journal: give --site "
		    "FILE\n");
		return 2;
	}
	return 0;
}

/*
 * The QR in the terminal and, with --on-kiosk, a request to the running
 * kiosk (through its journal) to show it on its own screen. Only the name
 * travels in the journal: the kiosk reads the secret from its own file.
 */
static int show(const struct staff_args *a, const struct site *site, const struct staff_member *m)
{
	const char *issuer = a->issuer ? a->issuer : site ? site->coop_name : "Co-op kiosk";
	char uri[512];

	unsigned digits = site ? site->staff_code_digits : TOTP_DIGITS;

	if (totp_otpauth_uri_digits(issuer, m->name, m->secret, m->secret_len, digits, uri,
	                            sizeof(uri))) {
		fprintf(stderr, "kioskctl staff: name or issuer too long for the QR\n");
		return 1;
	}
	printf("scan this with an authenticator app (%u digits, 30 s):\n", digits);
	if (a->qr && termqr_print(stdout, uri) != KERR_OK)
		fprintf(stderr, "kioskctl staff: cannot draw the QR; enter the key by hand\n");
	printf("%s\n", uri);
	explicit_bzero(uri, sizeof(uri));
	if (a->on_kiosk) {
		char detail[STORE_DETAIL_MAX];
		struct store *s;
		struct site tmp;
		int rc = ctl_open_journal("staff", a->site_path, &tmp, &s);

		if (rc)
			return rc;
		snprintf(detail, sizeof(detail), "%s\t%s", m->name, issuer);
		if (store_event(s, NULL, "staff_enrol", detail)) {
			fprintf(stderr, "kioskctl staff: cannot write to the journal %s\n",
			        tmp.journal_path);
			store_close(s);
			return 1;
		}
		store_close(s);
		printf("within 2 minutes, log in at the kiosk with a staff code and pick 7 (show "
		       "enrolment) on "
		       "the staff menu: the kiosk shows this QR until a key is pressed (the "
		       "request is dropped "
		       "after 2 minutes)\n");
	}
	return 0;
}

/* add and remove: read, change and write the file under the lock the kiosk takes too. */
static int change(const struct staff_args *a, const struct site *site, const char *secrets)
{
	struct staff_db *db = malloc(sizeof(*db));
	int lock = -1, rc = 1;
	enum kerr err;

	err = db ? staff_db_lock(secrets, STAFF_CTL_LOCK_WAIT_MS, &lock) : KERR_NOMEM;
	if (!err)
		err = staff_db_load(secrets, db);
	if (err) {
		fprintf(stderr, "kioskctl staff %s: cannot read %s (%s)\n", a->verb, secrets,
		        kerr_str(err));
		rc = err == KERR_AUTH || err == KERR_PARSE ? 2 : 1;
		goto out;
	}
	if (strcmp(a->verb, "remove") == 0) {
		if (staff_db_remove(db, a->name) != KERR_OK) {
			fprintf(stderr, "kioskctl staff remove: no staff member '%s'\n", a->name);
		} else if (staff_db_save(db)) {
			fprintf(stderr, "kioskctl staff remove: cannot write %s\n", secrets);
		} else {
			printf("removed %s; their codes no longer work\n", a->name);
			rc = 0;
		}
		goto out;
	}
	err = staff_db_add(db, a->name, rng_system());
	if (err) {
		fprintf(stderr, "kioskctl staff add: %s\n",
		        err == KERR_EXISTS ? "that name exists already; remove it first to re-enrol"
		        : err == KERR_INVAL ? "a name is 1-32 bytes without spaces"
		                            : kerr_str(err));
		rc = err == KERR_EXISTS || err == KERR_INVAL ? 2 : 1;
		goto out;
	}
	if (staff_db_save(db)) {
		fprintf(stderr, "kioskctl staff add: cannot write %s\n", secrets);
		goto out;
	}
	staff_db_unlock(lock);
	lock = -1;
	printf("added %s\n", a->name);
	rc = show(a, site, staff_db_find(db, a->name));
out:
	staff_db_unlock(lock);
	if (db)
		explicit_bzero(db, sizeof(*db));
	free(db);
	return rc;
}

int cmd_staff(int argc, char **argv)
{
	struct staff_args a;
	struct site *site = NULL;
	const char *secrets;
	struct staff_db *db;
	enum kerr err;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.site_path) {
		site = malloc(sizeof(*site));
		if (!site || ctl_load_site("staff", a.site_path, site)) {
			free(site);
			return 2;
		}
	}
	if (strcmp(a.verb, "unlock") == 0) {
		/* Lift the wrong-code lockout of staff mode, kept in the journal. */
		struct store *s;
		struct site tmp;

		free(site);
		rc = ctl_open_journal("staff", a.site_path, &tmp, &s);
		if (rc)
			return rc;
		err = store_lockout_clear(s, "staff", "(kioskctl)", clock_real_ms(clock_system()));
		store_close(s);
		if (err && err != KERR_NOTFOUND) {
			fprintf(stderr, "kioskctl staff unlock: %s\n", kerr_str(err));
			return 1;
		}
		printf("%s\n", err ? "staff mode was not locked"
		                   : "staff mode unlocked; codes are checked again");
		return 0;
	}
	/* The site's own file unless told otherwise. */
	secrets = a.secrets ? a.secrets : site ? site->staff_secrets_path : STAFF_DEFAULT_SECRETS;
	/* As root on the kiosk's file: as its owner, so the file stays the kiosk's. */
	if (ctl_become_owner("staff", secrets)) {
		free(site);
		return 1;
	}
	if (strcmp(a.verb, "add") == 0 || strcmp(a.verb, "remove") == 0) {
		rc = change(&a, site, secrets);
		free(site);
		return rc;
	}
	db = malloc(sizeof(*db));
	err = db ? staff_db_load(secrets, db) : KERR_NOMEM;
	if (err) {
		fprintf(stderr, "kioskctl staff: cannot read %s (%s)\n", secrets, kerr_str(err));
		rc = err == KERR_AUTH || err == KERR_PARSE ? 2 : 1;
	} else if (strcmp(a.verb, "list") == 0) {
		for (unsigned m = 0; m < db->count; m++)
			printf("%s\n", db->m[m].name);
	} else {
		const struct staff_member *m = staff_db_find(db, a.name);
		uint32_t code;

		if (!m) {
			fprintf(stderr, "kioskctl staff %s: no staff member '%s'\n", a.verb,
			        a.name);
			rc = 1;
		} else if (strcmp(a.verb, "show") == 0) {
			/* The same secret again, for a phone that missed the first QR. */
			rc = show(&a, site, m);
		} else if (totp_code_at_step(staff_hmac(), TOTP_SHA1, m->secret, m->secret_len,
		                             (uint64_t)time(NULL) / TOTP_STEP_S,
		                             site ? site->staff_code_digits : TOTP_DIGITS, &code)) {
			/* code: for demos and for checking a phone's clock: the code valid now. */
			rc = 1;
		} else {
			printf("%0*u\n", (int)(site ? site->staff_code_digits : TOTP_DIGITS), code);
		}
	}
	if (db)
		explicit_bzero(db, sizeof(*db));
	free(db);
	free(site);
	return rc;
}
