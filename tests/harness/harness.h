/* harness: runs a program in a pseudo-terminal of a given size and reads its screen through
 * libvterm, the way a person would see it. Tests and the screenshot tool use it: send text and
 * named keys, wait for text with a deadline, read cells and attributes, resize, count output
 * bytes, notice title changes, collect the exit status, and write the screen as .txt, .svg and
 * .png. Every wait has a deadline; nothing sleeps for a fixed time. Use it from one thread. */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How to start the program. Unset fields take the defaults shown. */
struct term_opts {
    const char *const *argv; /* argv[0] is the program's path; NULL-terminated */
    int rows, cols;          /* 24 x 80 */
    const char *term;        /* TERM: "xterm-256color" */
    const char *locale;      /* LANG and LC_ALL: "C.UTF-8" */
    const char *const *env;  /* extra "NAME=value" entries, NULL-terminated; may be NULL */
    int escdelay_ms;         /* ESCDELAY: 25 */
};

/* One cell of the screen. Colours: -1 the terminal default, 0..255 a palette index, or
 * TERM_RGB | 0xRRGGBB. */
enum { TERM_RGB = 1 << 24 };
struct term_cell {
    char text[32]; /* UTF-8 of the cell's characters; "" for the right half of a wide one */
    int width;     /* 1, or 2 for a wide character */
    int fg, bg;
    uint32_t fg_rgb, bg_rgb; /* the colours as RGB (defaults resolved, reverse not applied) */
    bool bold, underline, italic, blink, reverse;
};

struct term;

/* Starts o->argv in a new pseudo-terminal; the child gets a fresh environment (PATH, HOME and
 * the sanitizer options of ours, then TERM, LANG, LC_ALL, ESCDELAY and o->env). Returns NULL
 * when the pty or the fork fails (exec failure shows as exit status 127). */
struct term *term_start(const struct term_opts *o);

/* Stops the program if it still runs (SIGTERM, later SIGKILL), frees *t, sets it to NULL. */
void term_free(struct term **t);

/* Sends UTF-8 text as typed. Returns 0, or -1 when the pty is gone. */
int term_send_text(struct term *t, const char *text);

/* Sends raw bytes. Returns 0, or -1 when the pty is gone. */
int term_send_bytes(struct term *t, const void *bytes, size_t len);

/* Sends a named key using the sequence terminfo defines for the TERM in use (keypad mode):
 * Up Down Left Right Home End PageUp PageDown Insert Delete Backspace Tab BackTab Enter Esc
 * Space F1..F12, and C-a..C-z. Returns 0, or -1 for an unknown name or a gone pty. */
int term_send_key(struct term *t, const char *name);

/* Reads output for up to timeout_ms and feeds it to the screen. Returns the bytes read. */
size_t term_pump(struct term *t, int timeout_ms);

/* Waits until text appears anywhere on the screen (within one row). Returns whether it did
 * before the deadline. */
bool term_wait_text(struct term *t, const char *text, int timeout_ms);

/* Waits until text is nowhere on the screen. Returns whether that happened in time. */
bool term_wait_gone(struct term *t, const char *text, int timeout_ms);

/* Waits until row `row` contains text. */
bool term_wait_row(struct term *t, int row, const char *text, int timeout_ms);

/* Waits until the program has written nothing for quiet_ms (bounded by timeout_ms), so that
 * a frame is complete. Returns whether it went quiet in time. */
bool term_wait_idle(struct term *t, int quiet_ms, int timeout_ms);

/* Returns whether the screen contains text now (no waiting). */
bool term_has_text(struct term *t, const char *text);

/* Writes row `row` as UTF-8 into buf (trailing spaces dropped) and returns its length. */
size_t term_row_text(struct term *t, int row, char *buf, size_t size);

/* Returns the whole screen as UTF-8 (rows joined with "\n", trailing spaces dropped); the
 * caller frees it. NULL when out of memory. */
char *term_screen_text(struct term *t);

/* Returns the column where text starts in row `row`, or -1. Counts cells, not bytes. */
int term_find_in_row(struct term *t, int row, const char *text);

/* Finds text on the screen: sets *row and *col to where it starts and returns true. */
bool term_find(struct term *t, const char *text, int *row, int *col);

/* Reads one cell. Returns false when (row, col) is outside the screen. */
bool term_cell(struct term *t, int row, int col, struct term_cell *cell);

/* Returns the cursor position and whether the cursor is visible. */
void term_cursor(struct term *t, int *row, int *col, bool *visible);

/* Current size. */
int term_rows(const struct term *t);
int term_cols(const struct term *t);

/* Resizes the terminal (TIOCSWINSZ: the program gets SIGWINCH) and the screen model. */
int term_resize(struct term *t, int rows, int cols);

/* Remembers the number of bytes read so far; term_bytes_since_mark counts from there. */
void term_mark_bytes(struct term *t);
size_t term_bytes_since_mark(const struct term *t);

/* Total bytes the program wrote. */
size_t term_bytes_total(const struct term *t);

/* Whether the program tried to set the window title or icon name (OSC 0/1/2), and the last
 * title it set (NULL when none). */
bool term_title_changed(const struct term *t);
const char *term_title(const struct term *t);

/* OSC and DCS sequences libvterm did not handle itself (palette, clipboard, …): each is an
 * attempt to change terminal state beyond the screen. */
int term_unknown_sequences(const struct term *t);

/* Whether the program rang the bell, and whether it switched to reverse video (DECSCNM). */
int term_bells(const struct term *t);
bool term_reverse_video(const struct term *t);

/* Waits for the program to exit and stores its wait status in *status. Returns whether it
 * exited before the deadline. Output keeps being read meanwhile. */
bool term_wait_exit(struct term *t, int timeout_ms, int *status);

/* Returns the program's pid. */
int term_pid(const struct term *t);

/* Writes the screen as plain text (one line per row). Returns 0 or -1. */
int term_write_txt(struct term *t, const char *path);

/* Writes the screen as SVG: a monospace grid with colours, bold, underline, reverse, line
 * drawing and the cursor. Returns 0 or -1. */
int term_write_svg(struct term *t, const char *path);

/* Writes the screen as PNG by converting an SVG with rsvg-convert (written to svg_path, which
 * stays). Returns 0, or -1 when writing or the conversion fails. */
int term_write_png(struct term *t, const char *svg_path, const char *png_path);

#endif
