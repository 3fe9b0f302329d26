#include "sim_board.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpio/gpio_sim.h"
#include "kiosk/log.h"
#include "printer/printer_sim.h"

struct sim_board {
	struct gpio *gpio;
	struct locker *locker;
	struct loop *loop;
	struct loop_timer tick, release;
	char pressed[BOARD_NAME_MAX]; /* the button held down */
	struct printer *printer;      /* the sim printer, or NULL */
};

/* Wakes the loop only when a wired change is due: an idle board sleeps. */
static void arm(struct sim_board *s)
{
	int64_t next = gpio_sim_next_due(s->gpio);

	if (next == INT64_MAX)
		loop_timer_disarm(s->loop, &s->tick);
	else
		loop_timer_arm_at(s->loop, &s->tick, next);
}

static void on_schedule(void *arg)
{
	arm(arg);
}

static void on_tick(struct loop_timer *t)
{
	struct sim_board *s = container_of(t, struct sim_board, tick);

	gpio_sim_tick(s->gpio);
	locker_poll(s->locker);
	arm(s);
}

static void on_release(struct loop_timer *t)
{
	struct sim_board *s = container_of(t, struct sim_board, release);

	if (gpio_sim_set_input(s->gpio, s->pressed, false) != KERR_OK)
		log_warn("sim: cannot release %s", s->pressed);
}

static void printer_control(struct sim_board *s, const char *what)
{
	static const struct {
		const char *word;
		enum printer_sim_fault f;
	} at[] = {
	    {"paper-out-at ", PRINTER_SIM_PAPER_OUT_AT},
	    {"cover-open-at ", PRINTER_SIM_COVER_OPEN_AT},
	    {"unplug-at ", PRINTER_SIM_UNPLUG_AT},
	    {"paper-low-at ", PRINTER_SIM_PAPER_NEAR_END_AT},
	};
	struct escpos_status st = {.known = true};

	if (!s->printer) {
		log_warn("sim: no sim printer");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(at); i++)
		if (strncmp(what, at[i].word, strlen(at[i].word)) == 0) {
			printer_sim_set_fault(s->printer, at[i].f,
			                      strtoull(what + strlen(at[i].word), NULL, 10));
			return;
		}
	if (strcmp(what, "paper-out") == 0)
		st.paper_end = true;
	else if (strcmp(what, "paper-low") == 0)
		st.paper_near_end = true;
	else if (strcmp(what, "cover-open") == 0)
		st.cover_open = true;
	else if (strcmp(what, "unplug") == 0) {
		printer_sim_set_fault(s->printer, PRINTER_SIM_UNPLUG_AT, 0);
		return;
	} else if (strcmp(what, "plug") == 0) {
		printer_sim_plug(s->printer);
		return;
	} else if (strcmp(what, "ok") == 0) {
		printer_sim_clear_faults(s->printer);
		return;
	} else {
		log_warn("sim: unknown printer control %s", what);
		return;
	}
	printer_sim_set_status(s->printer, &st);
}

void sim_board_set_printer(struct sim_board *s, struct printer *p)
{
	s->printer = p;
}

/* Press now, release after a human 150 ms: the edges go through the real
 * GPIO path (debounce, the locker's read of the chip, the button map). */
void sim_board_press(struct sim_board *s, const char *line)
{
	if (strncmp(line, "printer ", 8) == 0) {
		printer_control(s, line + 8);
		return;
	}
	if (strncmp(line, "door ", 5) == 0) {
		char name[BOARD_NAME_MAX];
		int level = 0;

		if (sscanf(line + 5, "%31s %d", name, &level) != 2 ||
		    gpio_sim_set_input(s->gpio, name, level != 0) != KERR_OK)
			log_warn("sim: bad door control %s", line);
		return; /* the edge comes through the GPIO event fd, as on the board */
	}
	/* One finger: a button still held is let go first. */
	if (loop_timer_armed(&s->release)) {
		loop_timer_disarm(s->loop, &s->release);
		on_release(&s->release);
	}
	snprintf(s->pressed, sizeof(s->pressed), "%s", line);
	if (gpio_sim_set_input(s->gpio, s->pressed, true) != KERR_OK) {
		log_warn("sim: no input line %s", line);
		return;
	}
	loop_timer_arm(s->loop, &s->release, 150 * NS_PER_MS);
}

enum kerr sim_board_open(const struct board_lockers *lockers, struct gpio *gpio,
                         struct locker *locker, struct loop *loop, struct sim_board **out)
{
	struct sim_board *s = calloc(1, sizeof(*s));
	enum kerr err = KERR_OK;

	*out = NULL;
	if (!s)
		return KERR_NOMEM;
	s->gpio = gpio;
	s->locker = locker;
	s->loop = loop;
	s->tick.handle = on_tick;
	s->release.handle = on_release;
	for (unsigned i = 0; !err && i < lockers->count; i++)
		/* The simulated member pulls the door once the lock releases, takes
		 * the goods and closes it again. */
		err = gpio_sim_wire(gpio, lockers->c[i].lock.name, lockers->c[i].door.name, 60,
		                    SIM_BOARD_DOOR_OPEN_MS);
	if (err) {
		free(s);
		return err;
	}
	*out = s;
	return KERR_OK;
}

void sim_board_start(struct sim_board *s)
{
	gpio_sim_on_schedule(s->gpio, on_schedule, s);
	arm(s);
}

void sim_board_close(struct sim_board *s)
{
	if (!s)
		return;
	gpio_sim_on_schedule(s->gpio, NULL, NULL);
	loop_timer_disarm(s->loop, &s->tick);
	loop_timer_disarm(s->loop, &s->release);
	free(s);
}
