#include "kiosk/font.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/hex.h"

struct font {
	int fd;
	off_t size;
	struct glyph cache[FONT_CACHE];
	bool cached[FONT_CACHE];
	struct glyph missing;
};

/* Parses "XXXX:hex..." at buf; false if malformed. */
static bool parse_line(const char *buf, size_t n, struct glyph *g)
{
	const char *colon = memchr(buf, ':', n < 10 ? n : 10);
	size_t hexlen, start;
	uint32_t cp = 0;

	if (!colon)
		return false;
	for (const char *p = buf; p < colon; p++) {
		int v = hex_digit(*p);

		if (v < 0)
			return false;
		cp = cp << 4 | (uint32_t)v;
	}
	start = (size_t)(colon - buf) + 1;
	hexlen = 0;
	while (start + hexlen < n && hex_digit(buf[start + hexlen]) >= 0)
		hexlen++;
	if (hexlen != 32 && hexlen != 64)
		return false;
	memset(g, 0, sizeof(*g));
	g->cp = cp;
	g->width = hexlen == 32 ? 8 : 16;
	for (int r = 0; r < FONT_HEIGHT; r++) {
		unsigned v = 0;
		int digits = g->width / 4;

		for (int k = 0; k < digits; k++)
			v = v << 4 | (unsigned)hex_digit(buf[start + (size_t)(r * digits + k)]);
		g->rows[r] = (uint16_t)(g->width == 8 ? v << 8 : v);
	}
	return true;
}

/* Reads the first complete line starting at or after off; false at EOF. */
static bool line_at(struct font *f, off_t off, off_t *line_start, char *buf, size_t cap, size_t *n)
{
	char tmp[160];
	ssize_t got;

	if (off > 0) {
		/* Skip to the byte after the previous newline. */
		for (;;) {
			char *nl;

			got = pread(f->fd, tmp, sizeof(tmp), off - 1);
			if (got <= 0)
				return false;
			nl = memchr(tmp, '\n', (size_t)got);
			if (nl) {
				off = off - 1 + (nl - tmp) + 1;
				break;
			}
			off += got;
		}
	}
	if (off >= f->size)
		return false;
	got = pread(f->fd, buf, cap - 1, off);
	if (got <= 0)
		return false;
	buf[got] = '\0';
	*n = strcspn(buf, "\n");
	*line_start = off;
	return true;
}

static bool lookup(struct font *f, uint32_t cp, struct glyph *out)
{
	off_t lo = 0, hi = f->size;
	char buf[160];

	/* Invariant: the line holding cp, if any, starts in [lo, hi). */
	while (lo < hi) {
		off_t mid = lo + (hi - lo) / 2, start;
		size_t n;
		struct glyph g;

		if (!line_at(f, mid, &start, buf, sizeof(buf), &n) || start >= hi) {
			hi = mid;
			continue;
		}
		if (!parse_line(buf, n, &g))
			return false;
		if (g.cp == cp) {
			*out = g;
			return true;
		}
		if (g.cp < cp)
			lo = start + (off_t)n + 1;
		else
			hi = mid;
	}
	return false;
}

enum kerr font_open(const char *path, struct font **out)
{
	struct font *f;
	struct stat st;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return KERR_NOMEM;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st) != 0 || st.st_size < 40) {
		if (f->fd >= 0)
			close(f->fd);
		free(f);
		return KERR_IO;
	}
	f->size = st.st_size;
	if (!lookup(f, FONT_REPLACEMENT, &f->missing)) {
		/* A font without U+FFFD: a hollow box stands in. */
		f->missing.cp = FONT_REPLACEMENT;
		f->missing.width = 8;
		for (int r = 2; r < 14; r++)
			f->missing.rows[r] = r == 2 || r == 13 ? 0x7e00 : 0x4200;
	}
	*out = f;
	return KERR_OK;
}

void font_close(struct font *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f);
}

const struct glyph *font_glyph(struct font *f, uint32_t cp)
{
	unsigned slot = (cp * 2654435761u) >> 23 & (FONT_CACHE - 1);

	if (cp == FONT_REPLACEMENT || cp > 0xFFFF)
		return &f->missing;
	if (f->cached[slot] && f->cache[slot].cp == cp)
		return &f->cache[slot];
	if (!lookup(f, cp, &f->cache[slot])) {
		f->cached[slot] = false;
		return &f->missing;
	}
	f->cached[slot] = true;
	return &f->cache[slot];
}

size_t font_memory(const struct font *f)
{
	return sizeof(*f);
}

uint32_t font_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i;
	uint32_t cp, min;
	int n;

	if (p[0] < 0x80) {
		(*i)++;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 1;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 2;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 3;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		(*i)++;
		return FONT_REPLACEMENT;
	}
	if ((size_t)n >= left) {
		(*i)++;
		return FONT_REPLACEMENT;
	}
	for (int k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return FONT_REPLACEMENT;
		}
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return FONT_REPLACEMENT;
	}
	*i += (size_t)n + 1;
	return cp;
}

int font_text_width(struct font *f, const char *s, int scale)
{
	size_t i = 0, len = strlen(s);
	int w = 0;

	while (i < len)
		w += font_glyph(f, font_utf8_next(s, len, &i))->width * scale;
	return w;
}

static void draw_glyph(struct canvas *c, const struct glyph *g, int x, int y, uint32_t rgb,
                       int scale)
{
	for (int r = 0; r < FONT_HEIGHT; r++)
		for (int col = 0; col < g->width; col++)
			if (g->rows[r] & (0x8000 >> col))
				canvas_fill_rect(
				    c, (struct rect){x + col * scale, y + r * scale, scale, scale},
				    rgb);
}

int font_draw(struct font *f, struct canvas *c, int x, int y, const char *s, uint32_t rgb,
              int scale, int max_w)
{
	/* A copy: the next font_glyph() may reuse the cache slot it points to. */
	const struct glyph ellipsis = *font_glyph(f, 0x2026), *ell = &ellipsis;
	size_t i = 0, len = strlen(s);
	int w = 0, ell_w = ell->width * scale;
	bool fits = font_text_width(f, s, scale) <= max_w;

	if (scale < 1)
		scale = 1;
	while (i < len) {
		const struct glyph *g = font_glyph(f, font_utf8_next(s, len, &i));
		int gw = g->width * scale;

		if (!fits && w + gw + ell_w > max_w) {
			if (w + ell_w <= max_w) {
				draw_glyph(c, ell, x + w, y, rgb, scale);
				w += ell_w;
			}
			return w;
		}
		if (w + gw > max_w)
			return w;
		draw_glyph(c, g, x + w, y, rgb, scale);
		w += gw;
	}
	return w;
}

int font_draw_wrapped(struct font *f, struct canvas *c, struct rect box, const char *s,
                      uint32_t rgb, int scale)
{
	int line_h = FONT_HEIGHT * scale, lines = 0, max_lines = box.h / line_h;
	size_t len = strlen(s), pos = 0;
	char buf[512];

	while (pos < len && lines < max_lines) {
		size_t i = pos, brk = pos, n;
		int w = 0;
		bool last = lines == max_lines - 1;

		/* Take words (or, for a word wider than the box, characters) that fit. */
		while (i < len && s[i] != '\n') {
			size_t j = i;
			int gw = font_glyph(f, font_utf8_next(s, len, &j))->width * scale;

			if (w + gw > box.w)
				break;
			w += gw;
			i = j;
			if (s[i] == ' ' || i == len || s[i] == '\n')
				brk = i;
		}
		if (i < len && s[i] != '\n' && brk > pos)
			i = brk;
		n = i - pos < sizeof(buf) - 1 ? i - pos : sizeof(buf) - 1;
		if (last && i < len) {
			/* Last line: the rest, cut with an ellipsis. */
			n = len - pos < sizeof(buf) - 1 ? len - pos : sizeof(buf) - 1;
		}
		memcpy(buf, s + pos, n);
		buf[n] = '\0';
		for (char *nl = strchr(buf, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
		font_draw(f, c, box.x, box.y + lines * line_h, buf, rgb, scale, box.w);
		lines++;
		pos = i == pos ? i + 1 : i;
		while (pos < len && (s[pos] == ' ' || s[pos] == '\n'))
			pos++;
	}
	return lines;
}

size_t font_fit(struct font *f, const char *s, int scale, int max_w, bool words, size_t *next)
{
	size_t len = strlen(s), i = 0, brk = 0, n;
	int w = 0;

	while (i < len && s[i] != '\n') {
		size_t j = i;
		int gw = font_glyph(f, font_utf8_next(s, len, &j))->width * scale;

		if (w + gw > max_w && i > 0)
			break;
		w += gw;
		i = j;
		if (s[i] == ' ' || s[i] == '\n' || i == len)
			brk = i;
	}
	n = i;
	if (words && i < len && s[i] != '\n' && brk > 0)
		n = brk;
	i = n;
	if (words)
		while (i < len && s[i] == ' ')
			i++;
	if (i < len && s[i] == '\n')
		i++;
	if (words && n > 0)
		while (n > 0 && s[n - 1] == ' ')
			n--;
	if (next)
		*next = i;
	return n;
}
