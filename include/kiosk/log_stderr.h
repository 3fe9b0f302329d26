/*
 * The programs' log sink: each line to stderr as "level: text", or under
 * systemd (JOURNAL_STREAM set) with the sd-daemon "<N>" priority prefix so
 * journald keeps the level. The log module itself writes nowhere: the
 * program that owns stderr says so by installing this.
 */
#ifndef KIOSK_LOG_STDERR_H
#define KIOSK_LOG_STDERR_H

/* Makes the stderr sink the log sink; call first thing in main(). */
void log_stderr_install(void);

#endif
