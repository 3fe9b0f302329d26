/* Arbitrary bytes as text: measuring and drawing never crash or write outside. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/font.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct font *f;
	static struct canvas *c;
	char *s;

	if (!f && (font_open(KIOSK_UNIFONT_PATH, &f) || canvas_new(CANVAS_MONO1, 64, 32, &c)))
		abort();
	if (size > 512)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	canvas_fill(c, 0xffffff);
	if (font_draw(f, c, 4, 4, s, 0, 1, 40) > 40)
		abort();
	for (int y = 0; y < 32; y++)
		for (int x = 0; x < 64; x++)
			if ((x < 4 || x >= 44 || y < 4 || y >= 20) &&
			    canvas_get_pixel(c, x, y) != 0xffffff)
				abort();
	font_draw_wrapped(f, c, (struct rect){0, 0, 64, 32}, s, 0, 1);
	free(s);
	return 0;
}
