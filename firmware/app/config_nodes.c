/*
 * The site file's node lists: node<N>, pin<N> and operator<N> of [nodes]
 * (the chain's API nodes) and of [tokens] (the sidechain's), read and
 * numbered the same way; and the rest of [tokens], the sidechain tokens the
 * co-op accepts (docs/tokens.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "kiosk/chain.h"
#include "kiosk/token.h"

bool config_parse_uint(const char *v, unsigned long *out)
{
	char *end;

	if (!*v || *v == '-' || *v == '+')
		return false;
	errno = 0;
	*out = strtoul(v, &end, 0);
	return errno == 0 && *end == '\0';
}

int config_node_key(struct ctx *c, const char *section, struct site_node *nodes, bool *set,
                    unsigned *lines, const char *name, const char *value)
{
	bool is_pin = name[0] == 'p';
	unsigned long n;

	if (strncmp(name, "operator", 8) == 0) {
		if (!config_parse_uint(name + 8, &n) || n < 1 || n > SITE_NODES_MAX)
			return config_fail(c, c->line,
			                   "[%s] %s: operators are operator1 to operator%d",
			                   section, name, SITE_NODES_MAX);
		if (!value[0] || strlen(value) >= sizeof(nodes[0].operator_name))
			return config_fail(c, c->line,
			                   "%s: an operator's name is 1 to %zu characters", name,
			                   sizeof(nodes[0].operator_name) - 1);
		snprintf(nodes[n - 1].operator_name, sizeof(nodes[0].operator_name), "%s", value);
		return 1;
	}
	if (strncmp(name, "node", 4) != 0 && strncmp(name, "pin", 3) != 0)
		return -1;

	if (!config_parse_uint(name + (is_pin ? 3 : 4), &n) || n < 1 || n > SITE_NODES_MAX)
		return config_fail(c, c->line, "[%s] %s: nodes are node1 to node%d (pin1 to pin%d)",
		                   section, name, SITE_NODES_MAX, SITE_NODES_MAX);
	if (is_pin) {
		if (strncmp(value, "sha256//", 8) != 0 || strlen(value) >= SITE_PIN_MAX)
			return config_fail(
			    c, c->line,
			    "%s: a pin is \"sha256//<base64>\" of the node's public key", name);
		snprintf(nodes[n - 1].pin, sizeof(nodes[0].pin), "%s", value);
		return 1;
	}
	if (strncmp(value, "https://", 8) != 0 || strlen(value) < 9 ||
	    strlen(value) >= SITE_URL_MAX)
		return config_fail(c, c->line,
		                   "%s = \"%s\": must be an https:// URL (the kiosk never talks to "
		                   "nodes in clear text)",
		                   name, value);
	snprintf(nodes[n - 1].url, sizeof(nodes[0].url), "%s", value);
	set[n - 1] = true;
	lines[n - 1] = c->line;
	return 1;
}

bool config_count_nodes(struct ctx *c, const char *section, const struct site_node *nodes,
                        const bool *set, const unsigned *lines, unsigned *count)
{
	unsigned before = c->nerr;

	/* node1..nodeN without gaps, so the order is the priority. */
	*count = 0;
	for (unsigned i = 0; i < SITE_NODES_MAX; i++) {
		if (!set[i])
			continue;
		if (i != *count) {
			config_fail(c, lines[i], "node%u given without node%u; number them from 1",
			            i + 1, *count + 1);
			break;
		}
		(*count)++;
	}
	for (unsigned i = 0; !c->failed && i < SITE_NODES_MAX; i++)
		if (nodes[i].pin[0] && !set[i])
			config_fail(c, config_seen_line(c, section, "pin1"),
			            "pin%u given without node%u", i + 1, i + 1);
	return c->nerr == before;
}

/* accept = SCT, SWAP.HIVE: symbols split at commas and spaces. */
static int accept_key(struct ctx *c, struct site *s, const char *value)
{
	const char *p = value;

	s->token_count = 0;
	while (*p) {
		char sym[SITE_TOKEN_SYMBOL_MAX + 1];
		size_t n = strcspn(p, ", \t");

		if (n == 0) {
			p++;
			continue;
		}
		if (n > SITE_TOKEN_SYMBOL_MAX)
			return config_fail(
			    c, c->line, "accept: \"%.*s\" is longer than a token's %d characters",
			    (int)n, p, SITE_TOKEN_SYMBOL_MAX);
		memcpy(sym, p, n);
		sym[n] = '\0';
		p += n;
		if (!token_symbol_valid(sym))
			return config_fail(c, c->line,
			                   "accept: \"%s\" is not a token symbol (1-10 upper-case "
			                   "letters, at most one '.' between them, e.g. SCT or "
			                   "SWAP.HIVE)",
			                   sym);
		/* A token named as one of the chains' own assets would be the same kind of
		 * money to the matcher (asset.h): refused, whatever the sidechain has. */
		if (asset_symbol_precision(sym) >= 0)
			return config_fail(c, c->line,
			                   "accept: %s is one of the chains' own assets, paid by "
			                   "transfer; list only sidechain tokens here",
			                   sym);
		if (site_token_index(s, sym) >= 0)
			return config_fail(c, c->line, "accept: %s listed twice", sym);
		if (s->token_count == SITE_TOKENS_MAX)
			return config_fail(c, c->line, "accept: at most %d tokens",
			                   SITE_TOKENS_MAX);
		memcpy(s->tokens[s->token_count++], sym, n + 1);
	}
	if (s->token_count == 0)
		return config_fail(
		    c, c->line, "accept is empty: list the tokens the co-op takes (accept = SCT)");
	return 1;
}

int config_tokens_key(struct ctx *c, const char *name, const char *value)
{
	struct site *s = c->out;

	if (strcmp(name, "accept") == 0)
		return accept_key(c, s, value);
	return config_node_key(c, "tokens", s->sidechain_nodes, c->sc_node_set, c->sc_node_line,
	                       name, value);
}

/* steemsmartcontracts' Streamer takes custom_json ids that start "ssc-" and
 * name its configured chainId; a testnet's may differ from the chain's. */
static bool sidechain_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (n < 5 || strncmp(id, "ssc-", 4) != 0)
		return false;
	for (size_t i = 4; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') ||
		      id[i] == '-'))
			return false;
	return true;
}

bool config_check_tokens(struct ctx *c, struct site *s)
{
	unsigned before = c->nerr, line = config_seen_line(c, "tokens", "accept");
	unsigned ops = 0, qline = config_seen_line(c, "tokens", "quorum");

	if (!s->sidechain_id[0])
		snprintf(s->sidechain_id, sizeof(s->sidechain_id), "%s",
		         token_sidechain_id(s->chain));
	else if (!sidechain_id_ok(s->sidechain_id))
		config_fail(c, config_seen_line(c, "tokens", "sidechain_id"),
		            "sidechain_id = \"%s\": a sidechain's custom_json id is \"ssc-\" and "
		            "its chain id (ssc-mainnet1 on Steem, ssc-mainnet-hive on Hive)",
		            s->sidechain_id);
	if (!s->sidechain_quorum)
		s->sidechain_quorum = SITE_SIDECHAIN_QUORUM;
	if (c->failed || !config_count_nodes(c, "tokens", s->sidechain_nodes, c->sc_node_set,
	                                     c->sc_node_line, &s->sidechain_node_count))
		return false;
	if (!line) {
		if (s->sidechain_node_count)
			config_fail(c, config_seen_line(c, "tokens", "node1"),
			            "[tokens] has sidechain nodes but no accept = SYMBOL,...: list "
			            "the tokens the co-op takes, or remove the section");
		return c->nerr == before;
	}
	for (unsigned i = 0; i < s->sidechain_node_count; i++) {
		const char *name = s->sidechain_nodes[i].operator_name;
		bool first = true;

		for (unsigned j = 0; name[0] && j < i; j++)
			if (strcmp(s->sidechain_nodes[j].operator_name, name) == 0)
				first = false;
		ops += first;
	}
	if (s->sidechain_node_count < 2)
		config_fail(
		    c, line,
		    "[tokens] accepts tokens with %u sidechain node%s: give node1 and node2 "
		    "at least (a token payment counts only when two sidechain nodes agree "
		    "it executed)",
		    s->sidechain_node_count, s->sidechain_node_count == 1 ? "" : "s");
	else if (s->sidechain_quorum > ops)
		config_fail(c, qline ? qline : config_seen_line(c, "tokens", "node1"),
		            "[tokens] quorum = %u: only %u sidechain node operator%s configured "
		            "(nodes of one operator count once)",
		            s->sidechain_quorum, ops, ops == 1 ? " is" : "s are");
	return c->nerr == before;
}
