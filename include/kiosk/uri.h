/*
 * What the payment QR code holds: a transfer to the co-op for the order's
 * amount with its memo, and no `from` (the member's wallet fills in its own
 * account). Styles (site file): the chain's sign URI (steem:// or hive://,
 * base64url JSON operation), the signer site's https://…/sign/op/ link with
 * the same payload, or its older https://…/sign/transfer?to=…&amount=…&memo=…
 * form. steem:// memos must be ASCII: steem-uri decoders cannot read UTF-8.
 */
#ifndef KIOSK_URI_H
#define KIOSK_URI_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/asset.h"
#include "kiosk/chain.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/site.h"

#define URI_MAX      4096 /* longer than any QR the kiosk can show */
#define URI_MEMO_MAX 2047

struct uri_payment {
	const char *to;       /* the co-op's account */
	struct asset amount;  /* must be one of the chain's assets */
	const char *memo;     /* the payment code; may be "" */
	const char *callback; /* optional: cb / redirect_uri */
	const char *signer;   /* optional: s= (a wallet account to sign with) */
	bool no_broadcast;    /* optional: nb */
};

/*
 * Builds the URI into out (cap bytes). KERR_INVAL (with *why) for an amount
 * not of this chain or not positive, a bad account, a non-ASCII memo on
 * steem://, a memo over 2047 bytes; KERR_TOO_BIG when it does not fit cap.
 */
KIOSK_MUST_CHECK enum kerr uri_build(const struct chain_profile *p, enum site_uri_style style,
                                     const struct uri_payment *pay, char *out, size_t cap,
                                     const char **why);

/*
 * Decodes a sign URI (steem:// or hive:// sign/op, sign/ops, sign/tx, or the
 * https://…/sign/op/ form) to the reference decoder's shape:
 * {"tx": {ref_block_num, ref_block_prefix, expiration, extensions,
 * operations}, "params": {callback, no_broadcast, signer}} as JSON text
 * (malloc'd, caller frees). Padding "." or "=" optional. KERR_PARSE if not.
 */
KIOSK_MUST_CHECK enum kerr uri_decode(const char *uri, char **json_out);

/* base64url with "." padding (the sign-URI alphabet). */
KIOSK_MUST_CHECK enum kerr uri_b64u_encode(const void *in, size_t len, char *out, size_t cap);
/* Accepts "."/"=" padding or none; KERR_PARSE for other characters. */
KIOSK_MUST_CHECK enum kerr uri_b64u_decode(const char *in, size_t len, unsigned char *out,
                                           size_t cap, size_t *out_len);

/* encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX. */
KIOSK_MUST_CHECK enum kerr uri_percent_encode(const char *in, char *out, size_t cap);
/* Inverse; '+' stays '+'. KERR_PARSE for a bad %XX. */
KIOSK_MUST_CHECK enum kerr uri_percent_decode(const char *in, size_t len, char *out, size_t cap);

#endif
