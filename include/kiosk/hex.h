/*
 * Hex digits, the one decoder and encoder of the tree: transaction and block
 * ids, signatures, keys on the command line, Unifont glyph rows.
 */
#ifndef KIOSK_HEX_H
#define KIOSK_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/compiler.h"
#include "kiosk/kerr.h"

/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);

/*
 * Exactly 2*len digits at hex (hex_len of them) into len bytes. KERR_PARSE on
 * another length (*bad_at = SIZE_MAX) or a non-hex character (*bad_at = its
 * 0-based offset); bad_at may be NULL. out is left undefined on error.
 */
KIOSK_MUST_CHECK enum kerr hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t len,
                                      size_t *bad_at);

/* Lower-case hex of n bytes into out, which holds 2n+1. */
void hex_encode(const uint8_t *b, size_t n, char *out);

#endif
