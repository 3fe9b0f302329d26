#include "kiosk/kerr.h"

const char *kerr_str(enum kerr err)
{
	/* No default: -Wswitch flags a new code without its text. */
	switch (err) {
	case KERR_OK:
		return "success";
	case KERR_NOMEM:
		return "out of memory";
	case KERR_IO:
		return "input/output error";
	case KERR_PARSE:
		return "malformed input";
	case KERR_TOO_BIG:
		return "input too large";
	case KERR_NOTSUP:
		return "not supported";
	case KERR_INVAL:
		return "invalid value";
	case KERR_RANGE:
		return "value out of range";
	case KERR_OVERFLOW:
		return "arithmetic overflow";
	case KERR_CHECKSUM:
		return "checksum mismatch";
	case KERR_CRYPTO:
		return "cryptographic check failed";
	case KERR_NOTFOUND:
		return "not found";
	case KERR_EXISTS:
		return "already exists";
	case KERR_TIMEOUT:
		return "timed out";
	case KERR_BUSY:
		return "busy";
	case KERR_STATE:
		return "not allowed in this state";
	case KERR_CORRUPT:
		return "stored data is corrupt";
	case KERR_VERSION:
		return "made by a newer version";
	case KERR_AUTH:
		return "not authorised";
	case KERR_PROTO:
		return "protocol violation";
	case KERR_OFFLINE:
		return "offline";
	case KERR_CLOCK:
		return "clock not trustworthy";
	}
	return "unknown error";
}
