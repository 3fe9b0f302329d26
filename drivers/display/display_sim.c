#include "display_sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>

#include "kiosk/log.h"

struct sim_display {
	struct display base;
	char dir[BOARD_PATH_MAX];
	char last[BOARD_PATH_MAX + 32];
	unsigned frames;
	bool terminal;
};

static struct sim_display *to_sim(const struct display *d)
{
	return container_of(d, struct sim_display, base);
}

enum kerr display_sim_write_png(const struct canvas *c, const char *path)
{
	char tmp[1024];
	png_structp png;
	png_infop info;
	/* volatile: libpng reports errors by longjmp back into this frame. */
	uint8_t *volatile row = NULL;
	FILE *volatile f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return KERR_TOO_BIG;
	f = fopen(tmp, "wb");
	if (!f) {
		log_err("display: cannot write %s: %s", tmp, strerror(errno));
		return KERR_IO;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	row = malloc((size_t)c->width * 3);
	if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		remove(tmp);
		return KERR_IO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height, 8,
	             PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < c->height; y++) {
		for (int x = 0; x < c->width; x++) {
			uint32_t p = canvas_get_pixel(c, x, y);

			row[3 * x] = (uint8_t)(p >> 16);
			row[3 * x + 1] = (uint8_t)(p >> 8);
			row[3 * x + 2] = (uint8_t)p;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		remove(tmp);
		return KERR_IO;
	}
	return KERR_OK;
}

enum kerr display_sim_read_png(const char *path, struct canvas **out)
{
	png_image img;
	uint8_t *buf;
	enum kerr err;

	*out = NULL;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return KERR_IO;
	img.format = PNG_FORMAT_RGB;
	if (img.width > CANVAS_MAX_SIDE || img.height > CANVAS_MAX_SIDE) {
		png_image_free(&img);
		return KERR_TOO_BIG;
	}
	buf = malloc(PNG_IMAGE_SIZE(img));
	if (!buf) {
		png_image_free(&img);
		return KERR_NOMEM;
	}
	if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		free(buf);
		return KERR_PARSE;
	}
	err = canvas_new(CANVAS_XRGB8888, (int)img.width, (int)img.height, out);
	if (!err)
		for (int y = 0; y < (int)img.height; y++)
			for (int x = 0; x < (int)img.width; x++) {
				const uint8_t *p = buf + ((size_t)y * img.width + (size_t)x) * 3;

				canvas_set_pixel(*out, x, y,
				                 (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]);
			}
	free(buf);
	return err;
}

static bool dark(const struct canvas *c, int x, int y)
{
	uint32_t p;

	if (x >= c->width || y >= c->height)
		return false;
	p = canvas_get_pixel(c, x, y);
	return ((p >> 16 & 0xff) * 299 + (p >> 8 & 0xff) * 587 + (p & 0xff) * 114) / 1000 < 128;
}

void display_sim_terminal(const struct canvas *c, FILE *f, int step)
{
	if (step < 1)
		step = 1;
	for (int y = 0; y < c->height; y += 2 * step) {
		for (int x = 0; x < c->width; x += step)
			fprintf(f, "\x1b[38;5;%dm\x1b[48;5;%dm\xe2\x96\x80",
			        dark(c, x, y) ? 16 : 231, dark(c, x, y + step) ? 16 : 231);
		fputs("\x1b[0m\n", f);
	}
	fflush(f);
}

static enum kerr sim_blit(struct display *d, const struct canvas *c, struct rect dirty)
{
	struct sim_display *s = to_sim(d);
	char path[BOARD_PATH_MAX + 32];
	enum kerr err;

	(void)dirty;
	snprintf(path, sizeof(path), "%s/frame-%04u.png", s->dir, s->frames % 10000);
	err = display_sim_write_png(c, path);
	if (err)
		return err;
	snprintf(s->last, sizeof(s->last), "%s", path);
	s->frames++;
	snprintf(path, sizeof(path), "%s/latest.png", s->dir);
	err = display_sim_write_png(c, path);
	if (!err && s->terminal) {
		/* Fit a terminal about 100 columns wide. */
		fputs("\x1b[H\x1b[2J", stdout);
		display_sim_terminal(c, stdout, (c->width + 99) / 100);
	}
	return err;
}

static void sim_close(struct display *d)
{
	free(to_sim(d));
}

static const struct display_ops display_sim_ops = {
    .name = "sim",
    .blit = sim_blit,
    .close = sim_close,
};

enum kerr display_sim_open(const struct board_display *cfg, struct display **out)
{
	struct sim_display *s;

	*out = NULL;
	if (mkdir(cfg->device, 0755) != 0 && errno != EEXIST) {
		log_err("display sim: cannot create %s: %s", cfg->device, strerror(errno));
		return KERR_IO;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->base.ops = &display_sim_ops;
	s->base.cfg = cfg;
	s->base.width = cfg->rotation % 180 ? cfg->height : cfg->width;
	s->base.height = cfg->rotation % 180 ? cfg->width : cfg->height;
	s->base.format = cfg->width <= 128 && cfg->height <= 64 ? CANVAS_MONO1 : CANVAS_XRGB8888;
	snprintf(s->dir, sizeof(s->dir), "%s", cfg->device);
	s->terminal = cfg->terminal;
	*out = &s->base;
	return KERR_OK;
}

unsigned display_sim_frames(const struct display *d)
{
	return to_sim(d)->frames;
}

const char *display_sim_last_png(const struct display *d)
{
	return to_sim(d)->last;
}
