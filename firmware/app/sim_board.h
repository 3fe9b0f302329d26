/*
 * The simulated board's wiring, for the kiosk on the sim GPIO backend: each
 * compartment's door springs open when its lock releases and the member
 * closes it SIM_BOARD_DOOR_OPEN_MS later; "press LINE" on stdin is a finger
 * on a button, "press door LINE 1|0" a door moved by hand, and "press printer
 * WHAT" works the sim printer (see sim_board_press()). Wired changes are delivered from the loop,
 * by a timer armed only while one is pending.
 */
#ifndef KIOSK_APP_SIM_BOARD_H
#define KIOSK_APP_SIM_BOARD_H

#include "kiosk/board.h"
#include "kiosk/compiler.h"
#include "kiosk/gpio.h"
#include "kiosk/kerr.h"
#include "kiosk/locker.h"
#include "kiosk/loop.h"
#include "kiosk/printer.h"

#define SIM_BOARD_DOOR_OPEN_MS 2000 /* how long the member keeps the door open */

struct sim_board;

/* Wires every compartment's lock to its door. gpio must be the sim backend;
 * gpio, locker and loop are borrowed and must outlive the board. */
KIOSK_MUST_CHECK enum kerr sim_board_open(const struct board_lockers *lockers, struct gpio *gpio,
                                          struct locker *locker, struct loop *loop,
                                          struct sim_board **out);
/* Starts delivering wired changes (once the kiosk is up). */
void sim_board_start(struct sim_board *s);
/* Presses the input line now and lets it go 150 ms later. Two words are
 * test controls instead:
 *   door LINE 1|0        sets an input line's level (a door by hand)
 *   printer paper-out | paper-low | cover-open | ok | unplug | plug
 *   printer paper-out-at N | cover-open-at N | unplug-at N   (N more bytes)
 */
void sim_board_press(struct sim_board *s, const char *line);
/* The sim printer the "printer" controls work (borrowed; NULL = none). */
void sim_board_set_printer(struct sim_board *s, struct printer *p);
void sim_board_close(struct sim_board *s);

#endif
