/* Small language helpers shared by every layer. */
#ifndef KIOSK_COMPILER_H
#define KIOSK_COMPILER_H

#include <stddef.h>

/* Functions returning enum kerr are marked so an ignored error is a build error. */
#define KIOSK_MUST_CHECK        __attribute__((warn_unused_result))
#define KIOSK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* A switch case that runs on into the next on purpose (gcc and clang both
 * check -Wimplicit-fallthrough; clang does not read a comment as this). */
#define KIOSK_FALLTHROUGH __attribute__((fallthrough))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The enclosing struct of an embedded member (ops-table backends, loop watches). */
#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#endif
