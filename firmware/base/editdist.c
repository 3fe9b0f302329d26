#include "kiosk/editdist.h"

#include <string.h>

unsigned edit_distance(const char *a, const char *b)
{
	unsigned d[33][33];
	size_t la = strlen(a), lb = strlen(b);

	if (la > 32 || lb > 32)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			unsigned del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			/* Two neighbours swapped ("lsit") count as one edit. */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *edit_closest(const char *word, const char *const *names)
{
	const char *best = NULL;
	unsigned bestd = 3, len = (unsigned)strlen(word);

	for (size_t i = 0; names[i]; i++) {
		unsigned d = edit_distance(word, names[i]);

		if (d < bestd &&
		    2 * d < (len > strlen(names[i]) ? len : (unsigned)strlen(names[i]))) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}
