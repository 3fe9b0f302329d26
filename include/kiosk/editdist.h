/* How far apart two short words are: for "did you mean" hints. */
#ifndef KIOSK_EDITDIST_H
#define KIOSK_EDITDIST_H

/*
 * Edit distance between a and b (insert, delete or substitute one
 * character, or swap two neighbours: each counts 1); a large number when either is over 32 bytes.
 */
unsigned edit_distance(const char *a, const char *b);

/*
 * The closest of the NULL-ended names to word, when it is close enough to
 * be a typo (at most 2 edits, fewer than half the word); NULL otherwise.
 */
const char *edit_closest(const char *word, const char *const *names);

#endif
