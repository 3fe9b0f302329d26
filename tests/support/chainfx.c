#include "chainfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/clock.h"
#include "kiosk/store.h"
#include "testutil.h"

int chainfx_start(struct chainfx *x, struct chainsim_config *cfg)
{
	memset(x, 0, sizeof(*x));
	x->dir = tmpdir_or_fail();
	cfg->dir = x->dir;
	if (chainsim_start(cfg, &x->sim))
		return -1;
	x->block_ms = cfg->block_ms;
	x->chain = cfg->chain;
	snprintf(x->journal, sizeof(x->journal), "%s/j.db", x->dir);
	return 0;
}

void chainfx_write_board(struct chainfx *x, const char *gpio_extra, const char *lockers)
{
	char text[4096];

	if (snprintf(text, sizeof(text),
	             "[board]\nname = t\n[display]\nbackend = sim\ndevice = "
	             "%s/frames\n[gpio]\nbackend = sim\n%s"
	             "[lockers]\n%s[input]\nsim_stdin = yes\n",
	             x->dir, gpio_extra ? gpio_extra : "",
	             lockers ? lockers : "") >= (int)sizeof(text))
		fail_msg("chainfx: the board file does not fit");
	free(x->board);
	x->board = write_file_or_fail(x->dir, "board.conf", text);
}

void chainfx_write_site(struct chainfx *x, const char *ca_dir, const char *nodes,
                        const char *payment, const char *staff)
{
	char text[4096];
	size_t n;

	n = (size_t)snprintf(
	    text, sizeof(text),
	    "[chain]\nname = %s\naccount = coop\nblock_interval_ms = %u\n%s[nodes]\n",
	    x->chain == SITE_CHAIN_STEEM ? "steem" : "hive", x->block_ms,
	    x->chain_extra ? x->chain_extra : "");
	for (unsigned i = 0; i < chainsim_node_count(x->sim); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "node%u = https://127.0.0.1:%u\n",
		                      i + 1, chainsim_node_port(x->sim, i));
	n += (size_t)snprintf(text + n, sizeof(text) - n, "ca_path = %s/ca.pem\n%s",
	                      ca_dir ? ca_dir : x->dir, nodes ? nodes : "");
	if (payment)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[payment]\n%s", payment);
	snprintf(
	    text + n, sizeof(text) - n,
	    "[kiosk]\ncoop_name = t\nlanguage = en\njournal = %s\n[staff]\nsecrets_path = %s/s\n%s",
	    x->journal, x->dir, staff ? staff : "");
	if (n >= sizeof(text))
		fail_msg("chainfx: the site file does not fit");
	free(x->site);
	x->site = write_file_or_fail(x->dir, "site.conf", text);
}

void chainfx_insert_order(struct chainfx *x, const char *id, int64_t price, unsigned compartment)
{
	struct store *s;
	struct order o;

	memset(&o, 0, sizeof(o));
	snprintf(o.id, sizeof(o.id), "%s", id);
	strcpy(o.member, "alice");
	o.price = (struct asset){.amount = price, .precision = 3, .symbol = "HIVE"};
	o.compartment = compartment;
	assert_int_equal(store_open(x->journal, clock_system(), &s), KERR_OK);
	assert_int_equal(store_order_insert(s, &o), KERR_OK);
	store_close(s);
}

void chainfx_stop(struct chainfx *x)
{
	chainsim_stop(x->sim);
	rm_rf(x->dir);
	free(x->dir);
	free(x->board);
	free(x->site);
	memset(x, 0, sizeof(*x));
}
