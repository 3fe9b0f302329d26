/*
 * The watcher's journal (watcher.h's struct watcher_journal_ops) backed by
 * the kiosk's store: the chain cursor and the recorded transfers.
 */
#ifndef KIOSK_WATCH_JOURNAL_H
#define KIOSK_WATCH_JOURNAL_H

#include "kiosk/watcher.h"

/* The ops table; its ctx is the kiosk's open struct store (borrowed). */
const struct watcher_journal_ops *watch_journal_ops(void);

#endif
