/* One error enum for the whole firmware, as mosquitto's MOSQ_ERR_*. */
#ifndef KIOSK_KERR_H
#define KIOSK_KERR_H

enum kerr {
	KERR_OK = 0,
	KERR_NOMEM,    /* allocation failed */
	KERR_IO,       /* a read, write, ioctl or device call failed */
	KERR_PARSE,    /* input is not well formed */
	KERR_TOO_BIG,  /* input exceeds a fixed bound */
	KERR_NOTSUP,   /* not supported by this backend or build */
	KERR_INVAL,    /* a value is out of its allowed set */
	KERR_RANGE,    /* a number is out of range */
	KERR_OVERFLOW, /* arithmetic would overflow */
	KERR_CHECKSUM, /* a checksum did not match */
	KERR_CRYPTO,   /* a signature or key failed verification */
	KERR_NOTFOUND, /* no such item */
	KERR_EXISTS,   /* the item exists already */
	KERR_TIMEOUT,  /* no answer in time */
	KERR_BUSY,     /* try again later */
	KERR_STATE,    /* not allowed in the current state */
	KERR_CORRUPT,  /* stored data is damaged */
	KERR_VERSION,  /* made by a newer version of the firmware */
	KERR_AUTH,     /* refused: not authorised */
	KERR_PROTO,    /* the peer broke the protocol */
	KERR_OFFLINE,  /* no usable node or device */
	KERR_CLOCK,    /* the wall clock cannot be trusted */
};

/* Static English text for err; never NULL. */
const char *kerr_str(enum kerr err);

#endif
