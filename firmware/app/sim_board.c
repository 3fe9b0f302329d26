#include "sim_board.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpio/gpio_sim.h"
#include "kiosk/log.h"

struct sim_board {
	struct gpio *gpio;
	struct locker *locker;
	struct loop *loop;
	struct loop_timer tick, release;
	char pressed[BOARD_NAME_MAX];       /* the button held down */
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

/* Press now, release after a human 150 ms: the edges go through the real
 * GPIO path (debounce, the locker's read of the chip, the button map). */
void sim_board_press(struct sim_board *s, const char *line)
{
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

enum kerr sim_board_open(const struct board_lockers *lockers, struct gpio *gpio, struct locker *locker,
                         struct loop *loop, struct sim_board **out)
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
