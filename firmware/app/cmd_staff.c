/* kioskctl staff: enrol, list and remove staff members and their TOTP secrets. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/rng.h"
#include "kiosk/staff.h"
#include "kiosk/termqr.h"
#include "kioskctl_priv.h"

KIOSKCTL_DECLARE(staff);

#define STAFF_DEFAULT_SECRETS "/var/lib/kiosk/staff.secrets"

const char cmd_staff_usage[] =
    "kioskctl staff add NAME|list|remove NAME|code NAME [--secrets FILE] [--issuer CO-OP] [--no-qr]";

int cmd_staff(int argc, char **argv)
{
	const char *secrets = STAFF_DEFAULT_SECRETS, *issuer = "Co-op kiosk", *name = NULL;
	const char *verb = argc > 1 ? argv[1] : "";
	struct staff_db db;
	bool qr = true;
	enum kerr err;
	int i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--secrets") == 0 && i + 1 < argc)
			secrets = argv[++i];
		else if (strcmp(argv[i], "--issuer") == 0 && i + 1 < argc)
			issuer = argv[++i];
		else if (strcmp(argv[i], "--no-qr") == 0)
			qr = false;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else {
			fprintf(stderr, "kioskctl staff: unexpected argument '%s'; usage: %s\n", argv[i],
			        cmd_staff_usage);
			return 2;
		}
	}
	if (strcmp(verb, "list") != 0 && strcmp(verb, "add") != 0 && strcmp(verb, "remove") != 0 &&
	    strcmp(verb, "code") != 0) {
		fprintf(stderr, "usage: %s\n", cmd_staff_usage);
		return 2;
	}
	if (strcmp(verb, "list") != 0 && !name) {
		fprintf(stderr, "kioskctl staff %s: which staff member? usage: %s\n", verb,
		        cmd_staff_usage);
		return 2;
	}
	err = staff_db_load(secrets, &db);
	if (err) {
		fprintf(stderr, "kioskctl staff: cannot read %s (%s)\n", secrets, kerr_str(err));
		return err == KERR_AUTH || err == KERR_PARSE ? 2 : 1;
	}
	if (strcmp(verb, "list") == 0) {
		for (unsigned m = 0; m < db.count; m++)
			printf("%s\n", db.m[m].name);
		return 0;
	}
	if (strcmp(verb, "code") == 0) {
		/* For demos and for checking a phone's clock: the code valid now. */
		const struct staff_member *m = staff_db_find(&db, name);
		uint32_t code;

		if (!m) {
			fprintf(stderr, "kioskctl staff code: no staff member '%s'\n", name);
			return 1;
		}
		if (totp_code_at_step(staff_hmac(), TOTP_SHA1, m->secret, m->secret_len,
		                      (uint64_t)time(NULL) / TOTP_STEP_S, TOTP_DIGITS, &code))
			return 1;
		printf("%06u\n", code);
		return 0;
	}
	if (strcmp(verb, "remove") == 0) {
		if (staff_db_remove(&db, name) != KERR_OK) {
			fprintf(stderr, "kioskctl staff remove: no staff member '%s'\n", name);
			return 1;
		}
		if (staff_db_save(&db)) {
			fprintf(stderr, "kioskctl staff remove: cannot write %s\n", secrets);
			return 1;
		}
		printf("removed %s\n", name);
		return 0;
	}
	err = staff_db_add(&db, name, rng_system());
	if (err) {
		fprintf(stderr, "kioskctl staff add: %s\n",
		        err == KERR_EXISTS  ? "that name exists already; remove it first to re-enrol"
		        : err == KERR_INVAL ? "a name is 1-32 bytes without spaces"
		                            : kerr_str(err));
		return err == KERR_EXISTS || err == KERR_INVAL ? 2 : 1;
	}
	if (staff_db_save(&db)) {
		fprintf(stderr, "kioskctl staff add: cannot write %s\n", secrets);
		return 1;
	}
	{
		const struct staff_member *m = staff_db_find(&db, name);
		char uri[512];

		if (totp_otpauth_uri(issuer, name, m->secret, m->secret_len, uri, sizeof(uri))) {
			fprintf(stderr, "kioskctl staff add: name or issuer too long for the QR\n");
			return 1;
		}
		printf("added %s; scan this with an authenticator app (6 digits, 30 s):\n", name);
		if (qr && termqr_print(stdout, uri) != KERR_OK)
			fprintf(stderr, "kioskctl staff add: cannot draw the QR; enter the key by hand\n");
		printf("%s\n", uri);
	}
	return 0;
}
