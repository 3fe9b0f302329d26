/* Base58 (Bitcoin alphabet), as keys and WIFs are written. */
#ifndef KIOSK_BASE58_H
#define KIOSK_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

#define BASE58_MAX_BYTES 128 /* longest binary value handled */

/* Encodes len bytes; KERR_TOO_BIG if out (cap bytes incl. NUL) is too small. */
KIOSK_MUST_CHECK enum kerr base58_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/*
 * Decodes text (len chars, no NUL inside) into out; KERR_PARSE for a
 * character outside the alphabet, KERR_TOO_BIG beyond cap bytes.
 */
KIOSK_MUST_CHECK enum kerr base58_decode(const char *in, size_t len, uint8_t *out, size_t cap,
                                         size_t *out_len);

#endif
