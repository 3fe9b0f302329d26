/*
 * The kiosk itself: the parts wired together in the one loop. The member
 * picks an order (keypad digits, buttons, or scanning the order's QR), sees
 * the payment QR, and once the payment is proven (or confirmed by staff)
 * the compartment opens or the receipt prints, with intent and outcome in
 * the journal around the act. Staff enter with the staff button and a TOTP
 * code. Network watching is wired in separately (watcher); without it the
 * kiosk runs offline: requests are still shown and staff can confirm.
 */
#ifndef KIOSK_KIOSK_H
#define KIOSK_KIOSK_H

#include "kiosk/board.h"
#include "kiosk/clock.h"
#include "kiosk/compiler.h"
#include "kiosk/kerr.h"
#include "kiosk/loop.h"
#include "kiosk/rng.h"
#include "kiosk/site.h"

struct kiosk;

/*
 * Opens every part the board names (every relay requested inactive first),
 * the journal, and recovers: a handover found without an outcome is marked
 * interrupted and waits for an explicit resume. Draws the idle screen.
 */
KIOSK_MUST_CHECK enum kerr kiosk_open(const struct board *board, const struct site *site,
                                      struct loop *loop, const struct clock *clock, struct rng *rng,
                                      struct kiosk **out);
void kiosk_close(struct kiosk *k);

/* Feeds one simulator input line ("1024", "ok", "staff", "scan:…"). */
void kiosk_sim_line(struct kiosk *k, const char *line);

#endif
