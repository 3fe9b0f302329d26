#include "kiosk/staff.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/md.h>

#include "kiosk/log.h"

static size_t hmac_mbedtls(enum totp_alg alg, const uint8_t *key, size_t key_len,
                           const uint8_t *msg, size_t msg_len, uint8_t out[64])
{
	mbedtls_md_type_t t = alg == TOTP_SHA1     ? MBEDTLS_MD_SHA1
	                      : alg == TOTP_SHA256 ? MBEDTLS_MD_SHA256
	                                           : MBEDTLS_MD_SHA512;
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(t);

	if (!info || mbedtls_md_hmac(info, key, key_len, msg, msg_len, out) != 0)
		return 0;
	return mbedtls_md_get_size(info);
}

static const struct totp_hmac hmac = {.fn = hmac_mbedtls};

const struct totp_hmac *staff_hmac(void)
{
	return &hmac;
}

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > STAFF_NAME_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

static enum kerr parse_line(struct staff_db *db, char *line, const char *path, unsigned lineno)
{
	char *name, *sec, *step, *end, *save = NULL;
	struct staff_member *m;
	unsigned long long st;

	name = strtok_r(line, " \t", &save);
	if (!name || name[0] == '#')
		return KERR_OK;
	sec = strtok_r(NULL, " \t", &save);
	step = strtok_r(NULL, " \t", &save);
	if (!sec || !step || strtok_r(NULL, " \t", &save)) {
		log_err("%s:%u: expected \"name secret last-step\"; fix the line or remove the "
		        "member with kioskctl staff remove",
		        path, lineno);
		return KERR_PARSE;
	}
	if (db->count >= STAFF_MAX) {
		log_err("%s:%u: more than %d staff members", path, lineno, STAFF_MAX);
		return KERR_TOO_BIG;
	}
	if (!name_ok(name) || staff_db_find(db, name)) {
		log_err("%s:%u: bad or repeated staff name", path, lineno);
		return KERR_PARSE;
	}
	m = &db->m[db->count];
	memset(m, 0, sizeof(*m));
	if (totp_base32_decode(sec, m->secret, sizeof(m->secret), &m->secret_len) ||
	    m->secret_len < 10) {
		log_err("%s:%u: the secret of %s is not base32 of at least 80 bits", path, lineno,
		        name);
		return KERR_PARSE;
	}
	errno = 0;
	st = strtoull(step, &end, 10);
	if (errno || *end || step[0] == '-') {
		log_err("%s:%u: last-step is not a number", path, lineno);
		return KERR_PARSE;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->last_step = st;
	db->count++;
	return KERR_OK;
}

enum kerr staff_db_load(const char *path, struct staff_db *db)
{
	struct stat sb;
	char *buf, *line, *save = NULL;
	unsigned lineno = 0;
	enum kerr err = KERR_OK;
	ssize_t n;
	int fd;

	memset(db, 0, sizeof(*db));
	if (strlen(path) >= sizeof(db->path))
		return KERR_TOO_BIG;
	snprintf(db->path, sizeof(db->path), "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return KERR_OK;
		log_err("staff secrets %s: cannot open: %s", path, strerror(errno));
		return KERR_IO;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		log_err("staff secrets %s: not a regular file", path);
		return KERR_IO;
	}
	if (sb.st_mode & 077) {
		close(fd);
		log_err("staff secrets %s: readable by others (mode %03o); run chmod 600 %s", path,
		        (unsigned)(sb.st_mode & 0777), path);
		return KERR_AUTH;
	}
	if (sb.st_size > STAFF_FILE_MAX) {
		close(fd);
		log_err("staff secrets %s: larger than %d bytes", path, STAFF_FILE_MAX);
		return KERR_TOO_BIG;
	}
	buf = calloc(1, (size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return KERR_NOMEM;
	}
	n = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(buf);
		log_err("staff secrets %s: short read", path);
		return KERR_IO;
	}
	if (memchr(buf, '\0', (size_t)n)) {
		free(buf);
		log_err("staff secrets %s: contains a NUL byte; the file is damaged", path);
		return KERR_PARSE;
	}
	/* strtok_r would merge empty lines; count lines by hand for messages. */
	for (line = buf; line && !err; line = save) {
		char *nl = strchr(line, '\n');

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		err = parse_line(db, line, path, lineno);
	}
	free(buf);
	if (err) {
		db->count = 0;
		explicit_bzero(db->m, sizeof(db->m));
	}
	return err;
}

enum kerr staff_db_lock(const char *path, int wait_ms, int *fd)
{
	char dir[sizeof(((struct staff_db *)0)->path)];
	struct timespec pause = {.tv_nsec = 5 * 1000 * 1000};

	*fd = -1;
	if (strlen(path) >= sizeof(dir))
		return KERR_TOO_BIG;
	snprintf(dir, sizeof(dir), "%s", path);
	*fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0) {
		log_err("staff secrets %s: cannot open its folder: %s", path, strerror(errno));
		return KERR_IO;
	}
	for (int waited = 0;; waited += 5) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return KERR_OK;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			log_err("staff secrets %s: cannot lock: %s", path, strerror(errno));
			break;
		}
		if (waited >= wait_ms) {
			log_warn("staff secrets %s: busy (kioskctl staff at work?)", path);
			close(*fd);
			*fd = -1;
			return KERR_BUSY;
		}
		nanosleep(&pause, NULL);
	}
	close(*fd);
	*fd = -1;
	return KERR_IO;
}

void staff_db_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* drops the flock */
}

enum kerr staff_db_save(const struct staff_db *db)
{
	char tmp[sizeof(db->path) + 8], dir[sizeof(db->path)];
	char sec[TOTP_BASE32_MAX];
	FILE *f;
	int fd, dfd;

	snprintf(tmp, sizeof(tmp), "%s.new", db->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_err("staff secrets %s: cannot write: %s", tmp, strerror(errno));
		return KERR_IO;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return KERR_IO;
	}
	fprintf(f, "# kiosk staff TOTP secrets: name base32-secret last-step (keep mode 600)\n");
	for (unsigned i = 0; i < db->count; i++) {
		if (totp_base32_encode(db->m[i].secret, db->m[i].secret_len, sec, sizeof(sec)))
			goto err_write;
		fprintf(f, "%s %s %" PRIu64 "\n", db->m[i].name, sec, db->m[i].last_step);
	}
	explicit_bzero(sec, sizeof(sec));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		goto err_write;
	if (fclose(f) != 0) {
		unlink(tmp);
		return KERR_IO;
	}
	if (rename(tmp, db->path) != 0) {
		log_err("staff secrets %s: cannot replace: %s", db->path, strerror(errno));
		unlink(tmp);
		return KERR_IO;
	}
	/* The rename is durable only once the folder is synced. */
	snprintf(dir, sizeof(dir), "%s", db->path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return KERR_OK;

err_write:
	log_err("staff secrets %s: write failed: %s", tmp, strerror(errno));
	fclose(f);
	unlink(tmp);
	return KERR_IO;
}

const struct staff_member *staff_db_find(const struct staff_db *db, const char *name)
{
	for (unsigned i = 0; i < db->count; i++)
		if (strcmp(db->m[i].name, name) == 0)
			return &db->m[i];
	return NULL;
}

void staff_db_keep_steps(struct staff_db *db, const struct staff_db *seen)
{
	for (unsigned i = 0; i < db->count; i++) {
		const struct staff_member *o = staff_db_find(seen, db->m[i].name);

		if (o && o->secret_len == db->m[i].secret_len &&
		    memcmp(o->secret, db->m[i].secret, o->secret_len) == 0 &&
		    o->last_step > db->m[i].last_step)
			db->m[i].last_step = o->last_step;
	}
}

enum kerr staff_db_add(struct staff_db *db, const char *name, struct rng *rng)
{
	struct staff_member *m;
	enum kerr err;

	if (!name_ok(name))
		return KERR_INVAL;
	if (staff_db_find(db, name))
		return KERR_EXISTS;
	if (db->count >= STAFF_MAX)
		return KERR_TOO_BIG;
	m = &db->m[db->count];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->secret_len = 20;
	err = rng_fill(rng, m->secret, m->secret_len);
	if (err)
		return err;
	db->count++;
	return KERR_OK;
}

enum kerr staff_db_remove(struct staff_db *db, const char *name)
{
	for (unsigned i = 0; i < db->count; i++) {
		if (strcmp(db->m[i].name, name) != 0)
			continue;
		memmove(&db->m[i], &db->m[i + 1], (db->count - i - 1) * sizeof(db->m[0]));
		db->count--;
		explicit_bzero(&db->m[db->count], sizeof(db->m[0]));
		return KERR_OK;
	}
	return KERR_NOTFOUND;
}

enum kerr staff_db_check(struct staff_db *db, int64_t now_s, const char *code,
                         const struct staff_member **who)
{
	return staff_db_check_digits(db, now_s, code, TOTP_DIGITS, who);
}

enum kerr staff_db_check_digits(struct staff_db *db, int64_t now_s, const char *code,
                                unsigned digits, const struct staff_member **who)
{
	*who = NULL;
	for (unsigned i = 0; i < db->count; i++) {
		struct staff_member *m = &db->m[i];
		enum kerr err = totp_verify_digits(&hmac, m->secret, m->secret_len, now_s, code,
		                                   digits, &m->last_step);

		if (err == KERR_OK) {
			*who = m;
			return KERR_OK;
		}
		if (err != KERR_AUTH)
			return err;
	}
	return KERR_AUTH;
}

enum kerr staff_clock_check(int64_t now_s, int64_t last_event_s, int64_t chain_head_s,
                            int64_t max_skew_s, const char **why)
{
	*why = NULL;
	/* The chain's head time vouches for the clock: a journal stamped by an
	 * earlier wrong clock (ahead) must not lock staff out for good. */
	if (chain_head_s > 0 && now_s <= chain_head_s + max_skew_s &&
	    now_s >= chain_head_s - max_skew_s)
		return KERR_OK;
	if (last_event_s > 0 && now_s < last_event_s) {
		*why = "the clock is earlier than the journal's last event (no RTC, no network "
		       "time yet); staff codes are refused until the time is set or the network "
		       "is back";
		return KERR_CLOCK;
	}
	if (chain_head_s > 0 &&
	    (now_s > chain_head_s + max_skew_s || now_s < chain_head_s - max_skew_s)) {
		*why = "the clock differs from the chain's head time; check NTP "
		       "(timedatectl status)";
		return KERR_CLOCK;
	}
	return KERR_OK;
}
