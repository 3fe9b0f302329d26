#include "kiosk/uri.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/hex.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

enum kerr uri_b64u_encode(const void *in, size_t len, char *out, size_t cap)
{
	const unsigned char *p = in;
	size_t o = 0;

	if (cap)
		out[0] = '\0';
	if ((len + 2) / 3 * 4 + 1 > cap)
		return KERR_TOO_BIG;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '.';
		out[o++] = i + 2 < len ? b64[v & 63] : '.';
	}
	out[o] = '\0';
	return KERR_OK;
}

static int b64val(char c)
{
	const char *p;

	/* Standard base64 too: some links carry it unconverted. */
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

enum kerr uri_b64u_decode(const char *in, size_t len, unsigned char *out, size_t cap,
                          size_t *out_len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;

	*out_len = 0;
	while (len && (in[len - 1] == '.' || in[len - 1] == '='))
		len--;
	if (len % 4 == 1)
		return KERR_PARSE;
	for (size_t i = 0; i < len; i++) {
		int v = b64val(in[i]);

		if (v < 0)
			return KERR_PARSE;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return KERR_TOO_BIG;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*out_len = o;
	return KERR_OK;
}

enum kerr uri_percent_encode(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (cap == 0)
		return KERR_TOO_BIG;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		             (*p >= '0' && *p <= '9') || strchr("-_.!~*'()", *p);

		if (o + (plain ? 1 : 3) >= cap) {
			out[0] = '\0';
			return KERR_TOO_BIG;
		}
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	return KERR_OK;
}

enum kerr uri_percent_decode(const char *in, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	if (cap == 0)
		return KERR_TOO_BIG;
	out[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return KERR_PARSE;
			hi = hex_digit(in[i + 1]);
			lo = hex_digit(in[i + 2]);
			if (hi < 0 || lo < 0)
				return KERR_PARSE;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (o + 1 >= cap)
			return KERR_TOO_BIG;
		out[o++] = c;
	}
	out[o] = '\0';
	return KERR_OK;
}

static bool ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static bool account_ok(const char *a)
{
	size_t n = a ? strlen(a) : 0;

	if (n < 3 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9') || a[i] == '-' ||
		      a[i] == '.'))
			return false;
	return true;
}

/* Appends printf-style text; false when cap would be exceeded. */
KIOSK_PRINTF(4, 5)
static bool append(char *out, size_t cap, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= cap)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(out + *o, cap - *o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *o)
		return false;
	*o += (size_t)n;
	return true;
}

/* ["transfer",{"to":…,"amount":…,"memo":…}] as compact UTF-8 JSON. */
static char *op_json(const struct uri_payment *pay, const char *amount)
{
	json_t *body = json_object(), *op = json_array();
	char *text;

	json_object_set_new(body, "to", json_string(pay->to));
	json_object_set_new(body, "amount", json_string(amount));
	json_object_set_new(body, "memo", json_string(pay->memo ? pay->memo : ""));
	json_array_append_new(op, json_string("transfer"));
	json_array_append_new(op, body);
	text = json_dumps(op, JSON_COMPACT);
	json_decref(op);
	return text;
}

static bool query(const struct uri_payment *pay, char *out, size_t cap, size_t *o)
{
	char sep = '?';

	if (pay->signer) {
		if (!append(out, cap, o, "%cs=%s", sep, pay->signer))
			return false;
		sep = '&';
	}
	if (pay->no_broadcast) {
		if (!append(out, cap, o, "%cnb=", sep))
			return false;
		sep = '&';
	}
	if (pay->callback) {
		char enc[1024];

		if (uri_b64u_encode(pay->callback, strlen(pay->callback), enc, sizeof(enc)) ||
		    !append(out, cap, o, "%ccb=%s", sep, enc))
			return false;
	}
	return true;
}

enum kerr uri_build(const struct chain_profile *p, enum site_uri_style style,
                    const struct uri_payment *pay, char *out, size_t cap, const char **why)
{
	char amount[ASSET_STR_MAX], *json = NULL, *payload = NULL;
	const char *dummy;
	size_t o = 0, plen;
	bool ok;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (cap)
		out[0] = '\0';
	if (!account_ok(pay->to)) {
		*why = "the receiving account is not a valid account name";
		return KERR_INVAL;
	}
	if (pay->signer && !account_ok(pay->signer)) {
		*why = "the signer is not a valid account name";
		return KERR_INVAL;
	}
	if (!chain_asset_valid(p, &pay->amount) || strcmp(pay->amount.symbol, "VESTS") == 0) {
		*why = "the amount is not in one of this chain's liquid assets";
		return KERR_INVAL;
	}
	if (pay->amount.amount <= 0) {
		*why = "the amount must be above zero";
		return KERR_INVAL;
	}
	if (pay->memo && strlen(pay->memo) > URI_MEMO_MAX) {
		*why = "the memo is longer than the chain allows (2047 bytes)";
		return KERR_INVAL;
	}
	if (style == SITE_URI_CHAIN && p->chain == SITE_CHAIN_STEEM && pay->memo &&
	    !ascii_only(pay->memo)) {
		*why = "steem:// memos must be ASCII (steem-uri wallets cannot decode UTF-8); use "
		       "the order code";
		return KERR_INVAL;
	}
	if (asset_format(&pay->amount, amount, sizeof(amount)))
		return KERR_INVAL;
	if (style == SITE_URI_HTTPS_TRANSFER) {
		char enc[3 * URI_MEMO_MAX + 1];

		ok =
		    append(out, cap, &o, "https://%s/sign/transfer?to=%s", p->signer_host, pay->to);
		ok = ok && uri_percent_encode(amount, enc, sizeof(enc)) == KERR_OK &&
		     append(out, cap, &o, "&amount=%s", enc);
		ok = ok &&
		     uri_percent_encode(pay->memo ? pay->memo : "", enc, sizeof(enc)) == KERR_OK &&
		     append(out, cap, &o, "&memo=%s", enc);
		if (ok && pay->callback)
			ok = uri_percent_encode(pay->callback, enc, sizeof(enc)) == KERR_OK &&
			     append(out, cap, &o, "&redirect_uri=%s", enc);
		goto out;
	}
	json = op_json(pay, amount);
	if (!json)
		return KERR_NOMEM;
	plen = (strlen(json) + 2) / 3 * 4 + 1;
	payload = malloc(plen);
	if (!payload) {
		free(json);
		return KERR_NOMEM;
	}
	ok = uri_b64u_encode(json, strlen(json), payload, plen) == KERR_OK;
	if (style == SITE_URI_CHAIN)
		ok = ok && append(out, cap, &o, "%s://sign/op/%s", p->uri_scheme, payload);
	else
		ok = ok && append(out, cap, &o, "https://%s/sign/op/%s", p->signer_host, payload);
	ok = ok && query(pay, out, cap, &o);
	free(payload);
	free(json);
out:
	if (!ok) {
		if (cap)
			out[0] = '\0';
		*why = "the URI is longer than the space given";
		return KERR_TOO_BIG;
	}
	return KERR_OK;
}

/* The payload's operations as the reference decoder shows them. */
static json_t *decoded_tx(const char *kind, json_t *payload)
{
	json_t *tx;

	if (strcmp(kind, "tx") == 0)
		return json_is_object(payload) ? json_incref(payload) : NULL;
	if (strcmp(kind, "op") == 0 && !json_is_array(payload))
		return NULL;
	if (strcmp(kind, "ops") == 0 && !json_is_array(payload))
		return NULL;
	tx = json_pack("{s:s,s:s,s:s,s:[]}", "ref_block_num", "__ref_block_num", "ref_block_prefix",
	               "__ref_block_prefix", "expiration", "__expiration", "extensions");
	if (strcmp(kind, "op") == 0)
		json_object_set_new(tx, "operations", json_pack("[O]", payload));
	else
		json_object_set(tx, "operations", payload);
	return tx;
}

enum kerr uri_decode(const char *uri, char **json_out)
{
	const char *rest = NULL, *q, *slash;
	unsigned char *raw = NULL;
	json_t *payload = NULL, *tx = NULL, *params = NULL, *all;
	json_error_t jerr;
	char kind[4];
	size_t raw_len, plen, n = strlen(uri);

	*json_out = NULL;
	if (n > URI_MAX * 2)
		return KERR_TOO_BIG;
	if (strncmp(uri, "steem://sign/", 13) == 0)
		rest = uri + 13;
	else if (strncmp(uri, "hive://sign/", 12) == 0)
		rest = uri + 12;
	else if (strncmp(uri, "https://", 8) == 0 && (slash = strchr(uri + 8, '/')) &&
	         strncmp(slash, "/sign/", 6) == 0)
		rest = slash + 6;
	if (!rest)
		return KERR_PARSE;
	slash = strchr(rest, '/');
	if (!slash || slash - rest > 3)
		return KERR_PARSE;
	memcpy(kind, rest, (size_t)(slash - rest));
	kind[slash - rest] = '\0';
	if (strcmp(kind, "op") && strcmp(kind, "ops") && strcmp(kind, "tx"))
		return KERR_PARSE;
	rest = slash + 1;
	q = strchr(rest, '?');
	plen = q ? (size_t)(q - rest) : strlen(rest);
	raw = malloc(plen + 1);
	if (!raw)
		return KERR_NOMEM;
	if (uri_b64u_decode(rest, plen, raw, plen, &raw_len)) {
		free(raw);
		return KERR_PARSE;
	}
	payload = json_loadb((const char *)raw, raw_len, JSON_ALLOW_NUL, &jerr);
	free(raw);
	if (!payload)
		return KERR_PARSE;
	tx = decoded_tx(kind, payload);
	json_decref(payload);
	if (!tx)
		return KERR_PARSE;
	params = json_object();
	while (q && *q) {
		const char *key = q + 1, *eq, *end = strchr(key, '&');
		size_t klen, vlen;

		end = end ? end : key + strlen(key);
		eq = memchr(key, '=', (size_t)(end - key));
		klen = (size_t)((eq ? eq : end) - key);
		vlen = eq ? (size_t)(end - eq - 1) : 0;
		if (klen == 2 && memcmp(key, "nb", 2) == 0) {
			json_object_set_new(params, "no_broadcast", json_true());
		} else if (klen == 2 && memcmp(key, "cb", 2) == 0 && eq) {
			unsigned char cb[2048];
			size_t cblen;

			if (uri_b64u_decode(eq + 1, vlen, cb, sizeof(cb), &cblen)) {
				json_decref(tx);
				json_decref(params);
				return KERR_PARSE;
			}
			json_object_set_new(params, "callback",
			                    json_stringn((const char *)cb, cblen));
		} else if (klen == 1 && key[0] == 's' && eq) {
			json_object_set_new(params, "signer", json_stringn(eq + 1, vlen));
		}
		q = *end ? end : NULL;
	}
	all = json_pack("{s:o,s:o}", "tx", tx, "params", params);
	*json_out = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	return *json_out ? KERR_OK : KERR_NOMEM;
}
