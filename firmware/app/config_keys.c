/*
 * Every key of the board and site files, once: section, name, type, where
 * it goes and its bounds (config.c parses by these tables, config_check.c
 * checks what they cannot say alone).
 */
#include <stddef.h>

#include "config_priv.h"
#include "kiosk/log.h"

#define BF(f) offsetof(struct board, f), sizeof(((struct board *)0)->f)
#define SF(f) offsetof(struct site, f), sizeof(((struct site *)0)->f)
#define LF(f) offsetof(struct board_locker, f), sizeof(((struct board_locker *)0)->f)

static const char *const display_backends[] = {"sim",     "fbdev",   "st7789",
                                               "ili9341", "ssd1306", NULL};
static const char *const gpio_backends[] = {"sim", "gpiod", NULL};
static const char *const printer_backends[] = {"none", "sim", "serial", "usblp", NULL};
static const char *const printer_status_modes[] = {"auto", "none", NULL};
static const char *const digit_modes[] = {"auto", "keypad", "wheel", NULL};
static const char *const chains[] = {"steem", "hive", NULL};
static const char *const langs[] = {"ko", "en", NULL};
static const char *const uri_styles[] = {"chain", "https_op", "https_transfer", NULL};
static const char *const late[] = {"accept", "refund", NULL};

const struct key config_board_keys[] = {
    {"board", "name", K_STR, BF(name), 1, 0, NULL, true},
    {"display", "backend", K_BACKEND, BF(display.backend), 0, 0, display_backends, true},
    {"display", "device", K_PATH, BF(display.device), 0, 0, NULL, false},
    {"display", "width", K_UINT, BF(display.width), 64, 4096, NULL, false},
    {"display", "height", K_UINT, BF(display.height), 32, 4096, NULL, false},
    {"display", "rotation", K_UINT, BF(display.rotation), 0, 270, NULL, false},
    {"display", "spi_hz", K_UINT, BF(display.spi_hz), 100000, 125000000, NULL, false},
    {"display", "i2c_addr", K_UINT, BF(display.i2c_addr), 3, 0x77, NULL, false},
    {"display", "dc", K_LINE, BF(display.dc), 0, 0, NULL, false},
    {"display", "reset", K_LINE, BF(display.reset), 0, 0, NULL, false},
    {"display", "backlight", K_LINE, BF(display.backlight), 0, 0, NULL, false},
    {"display", "terminal", K_BOOL, BF(display.terminal), 0, 0, NULL, false},
    {"gpio", "backend", K_BACKEND, BF(gpio.backend), 0, 0, gpio_backends, true},
    {"gpio", "debounce_ms", K_UINT, BF(gpio.debounce_ms), 0, 1000, NULL, false},
    {"gpio", "sim_trace", K_PATH, BF(gpio.sim_trace), 0, 0, NULL, false},
    {"lockers", "pulse_ms", K_UINT, BF(lockers.pulse_ms), 50, BOARD_PULSE_CAP_MS, NULL, false},
    {"lockers", "door_timeout_ms", K_UINT, BF(lockers.door_timeout_ms), 200, 60000, NULL, false},
    {"lockers", "door_alarm_s", K_UINT, BF(lockers.door_alarm_s), 5, 86400, NULL, false},
    {"printer", "backend", K_BACKEND, BF(printer.backend), 0, 0, printer_backends, false},
    {"printer", "device", K_PATH, BF(printer.device), 0, 0, NULL, false},
    {"printer", "baud", K_UINT, BF(printer.baud), 1200, 230400, NULL, false},
    {"printer", "rtscts", K_BOOL, BF(printer.rtscts), 0, 0, NULL, false},
    {"printer", "width", K_UINT, BF(printer.width_dots), 384, 576, NULL, false},
    {"printer", "native_qr", K_BOOL, BF(printer.native_qr), 0, 0, NULL, false},
    {"printer", "status_timeout_ms", K_UINT, BF(printer.status_timeout_ms), 50, 10000, NULL, false},
    {"printer", "status", K_BACKEND, BF(printer.status), 0, 0, printer_status_modes, false},
    {"printer", "sim_baud", K_UINT, BF(printer.sim_baud), 0, 230400, NULL, false},
    {"input", "next", K_LINE, BF(input.btn_next), 0, 0, NULL, false},
    {"input", "next_active_low", K_LOW, BF(input.btn_next), 0, 0, NULL, false},
    {"input", "prev", K_LINE, BF(input.btn_prev), 0, 0, NULL, false},
    {"input", "prev_active_low", K_LOW, BF(input.btn_prev), 0, 0, NULL, false},
    {"input", "ok", K_LINE, BF(input.btn_ok), 0, 0, NULL, false},
    {"input", "ok_active_low", K_LOW, BF(input.btn_ok), 0, 0, NULL, false},
    {"input", "staff", K_LINE, BF(input.btn_staff), 0, 0, NULL, false},
    {"input", "staff_active_low", K_LOW, BF(input.btn_staff), 0, 0, NULL, false},
    {"input", "bias", K_BIAS, BF(input.btn_next), 0, 0, NULL, false},
    {"input", "keypad", K_PATH, BF(input.keypad), 0, 0, NULL, false},
    {"input", "scanner", K_PATH, BF(input.scanner), 0, 0, NULL, false},
    {"input", "sim_stdin", K_BOOL, BF(input.sim_stdin), 0, 0, NULL, false},
    {"input", "scan_timeout_ms", K_UINT, BF(input.scan_timeout_ms), 50, 5000, NULL, false},
    {"input", "digits", K_BACKEND, BF(input.digits), 0, 0, digit_modes, false},
};
const size_t config_board_nkeys = sizeof(config_board_keys) / sizeof(config_board_keys[0]);

const struct key config_locker_keys[] = {
    {"locker", "lock", K_LINE, LF(lock), 0, 0, NULL, true},
    {"locker", "lock_active_low", K_LOW, LF(lock), 0, 0, NULL, false},
    {"locker", "door", K_LINE, LF(door), 0, 0, NULL, true},
    {"locker", "door_active_low", K_LOW, LF(door), 0, 0, NULL, false},
    {"locker", "door_bias", K_BIAS, LF(door), 0, 0, NULL, false},
};
const size_t config_locker_nkeys = sizeof(config_locker_keys) / sizeof(config_locker_keys[0]);

const struct key config_site_keys[] = {
    {"chain", "name", K_ENUM, SF(chain), 0, 0, chains, true},
    {"chain", "account", K_ACCOUNT, SF(account), 0, 0, NULL, true},
    {"chain", "uri_style", K_ENUM, SF(uri_style), 0, 0, uri_styles, false},
    {"chain", "block_interval_ms", K_UINT, SF(block_interval_ms), 100, 60000, NULL, false},
    {"chain", "since", K_SINCE, SF(since_s), 0, 0, NULL, false},
    {"nodes", "ca_path", K_PATH, SF(ca_path), 0, 0, NULL, false},
    {"nodes", "request_timeout_ms", K_UINT, SF(request_timeout_ms), 200, 60000, NULL, false},
    {"nodes", "max_response_kb", K_UINT, SF(max_response_kb), 16, 65536, NULL, false},
    {"nodes", "quorum", K_UINT, SF(quorum), 1, SITE_NODES_MAX, NULL, false},
    {"payment", "confirm", K_CONFIRM, SF(confirm), 0, 0, NULL, false},
    {"payment", "strict_above", K_ASSET, SF(strict_above), 0, 0, NULL, false},
    {"payment", "head_max", K_ASSET, SF(head_max), 0, 0, NULL, false},
    {"payment", "request_ttl_s", K_UINT, SF(request_ttl_s), 60, 86400, NULL, false},
    {"payment", "late_payment", K_ENUM, SF(late_payment), 0, 0, late, false},
    {"payment", "explorer_url", K_URL, SF(explorer_url), 0, 0, NULL, false},
    {"kiosk", "coop_name", K_STR, SF(coop_name), 1, 0, NULL, true},
    {"kiosk", "language", K_ENUM, SF(lang), 0, 0, langs, false},
    {"kiosk", "timezone", K_TZ, SF(timezone), 0, 0, NULL, false},
    {"kiosk", "journal", K_PATH, SF(journal_path), 0, 0, NULL, true},
    {"kiosk", "log_level", K_ENUM, SF(log_level), 0, 0, log_level_names, false},
    {"kiosk", "pickup_code_digits", K_UINT, SF(pickup_code_digits), 6, 10, NULL, false},
    {"staff", "secrets_path", K_PATH, SF(staff_secrets_path), 0, 0, NULL, false},
    {"staff", "lockout_attempts", K_UINT, SF(staff_lockout_attempts), 1, 100, NULL, false},
    {"staff", "lockout_s", K_UINT, SF(staff_lockout_s), 10, 86400, NULL, false},
    {"staff", "code_digits", K_UINT, SF(staff_code_digits), 6, 8, NULL, false},
    {"staff", "reconcile_after_s", K_UINT, SF(reconcile_after_s), 1, 30 * 86400, NULL, false},
    /* Read by config_nodes.c (a list); here for "did you mean". */
    {"tokens", "accept", K_STR, SF(tokens), 0, 0, NULL, false},
    {"tokens", "sidechain_id", K_STR, SF(sidechain_id), 1, 0, NULL, false},
    {"tokens", "ca_path", K_PATH, SF(sidechain_ca_path), 0, 0, NULL, false},
    {"tokens", "quorum", K_UINT, SF(sidechain_quorum), 2, SITE_NODES_MAX, NULL, false},
    {"rates", "sources", K_SOURCES, SF(rate_sources), 0, 0, NULL, false},
    {"rates", "max_age", K_UINT, SF(rate_max_age_s), 10, 7 * 86400, NULL, false},
    {"rates", "lock", K_UINT, SF(rate_lock_s), 60, 86400, NULL, false},
    {"rates", "tolerance", K_PERCENT, SF(rate_tolerance_bp), 0, 1000, NULL, false},
    {"rates", "ticker_url", K_URL, SF(rate_ticker_url), 0, 0, NULL, false},
    {"rates", "ticker_market", K_STR, SF(rate_ticker_market), 1, 0, NULL, false},
    {"rates", "ticker_ca_path", K_PATH, SF(rate_ticker_ca_path), 0, 0, NULL, false},
    {"rates", "refresh", K_UINT, SF(rate_refresh_s), 30, 86400, NULL, false},
};
const size_t config_site_nkeys = sizeof(config_site_keys) / sizeof(config_site_keys[0]);
