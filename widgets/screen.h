/* screen: the terminal for one event loop. Starts and ends curses, reads keys (normalised to
 * enum widget_key), says when the terminal is too small, and restores the terminal on
 * SIGINT/SIGTERM/SIGHUP. Resizes arrive as WK_RESIZE from screen_read_key. */
#ifndef WIDGETS_SCREEN_H
#define WIDGETS_SCREEN_H

#include "widgets/theme.h"

#include <stdbool.h>

/* The smallest terminal the screens are laid out for. */
enum { SCREEN_MIN_ROWS = 24, SCREEN_MIN_COLS = 80 };

struct screen_opts {
    enum theme_mode theme; /* THEME_AUTO honours NO_COLOR and has_colors() */
    int escdelay_ms;       /* Esc wait; 0: 25 ms unless ESCDELAY is set */
};

/* Starts curses on the terminal (the caller has called setlocale(LC_ALL, "")), chooses the
 * theme and installs the signal handlers. Returns 0, or -1 when there is no usable terminal. */
int screen_init(const struct screen_opts *o);

/* Ends curses and puts the terminal back as it was; safe to call twice. */
void screen_end(void);

/* Waits up to timeout_ms (-1: forever, 0: just look) for a key and returns it as enum
 * widget_key / code point, WK_RESIZE after a resize, or WK_NONE on timeout. */
int screen_read_key(int timeout_ms);

/* Returns true when the terminal is smaller than SCREEN_MIN_ROWS x SCREEN_MIN_COLS. */
bool screen_too_small(void);

/* Clears stdscr and draws the "terminal too small" notice with the current and needed size. */
void screen_draw_too_small(void);

/* Ends a loop turn: stdscr's changes go to the terminal with one doupdate(). */
void screen_flush(void);

#endif
