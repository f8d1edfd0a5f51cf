/* ui: small things the screens share — the words for modes and kinds, a message line with its
 * mark, centred boxes, label widths. Drawing helpers never refresh. */
#ifndef TUI_UI_H
#define TUI_UI_H

#include "api/mx_model.h"
#include "widgets/theme.h"
#include "widgets/widget.h"

#include <stddef.h>

/* Copies src into dst[size] (NUL-terminated), cut at a UTF-8 character boundary when it does
 * not fit; returns dst. NULL src copies "". */
char *ui_copy(char *dst, size_t size, const char *src);

/* snprintf into buf[size] where cutting the text is fine (a message, a label); returns buf. */
char *ui_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An RFC 3339 UTC time ("2026-12-02T07:01:38Z") as "2026-12-02 07:01 UTC" into buf; other
 * text as it is. Returns buf. */
char *ui_time(char *buf, size_t size, const char *iso);

/* The form of a name to show: the U-label form on a UTF-8 terminal, else the A-label (an IDN
 * would otherwise show as escapes). */
const char *ui_name(const char *display, const char *alabel);

/* "Provider mail", "Own mail server", "No mail" (translated). */
const char *ui_mode_name(enum mx_mode mode);
/* "2 mailboxes, 1 forward" (list) or "2 mailboxes and 1 forward" (prose), each noun in its
 * plural form for its number, translated. */
char *ui_mail_counts(char *buf, size_t size, long mailboxes, long forwards, bool prose);
/* The same, short, for list columns: "Provider", "Own server", "No mail" (translated). */
const char *ui_mode_short(enum mx_mode mode);
/* "Domain", "Subdomain" (translated). */
const char *ui_kind_name(enum mx_kind kind);

/* Draws a message: a mark by role (✗ error, ! warning, ✓ ok, none otherwise) and the text
 * (sanitised) at (y, x) in at most width columns; text from the network is fine. */
void ui_message(WINDOW *win, int y, int x, int width, enum role role, const char *text);

/* ui_message wrapped over the rows of r (the text indented under its mark). */
void ui_message_wrapped(WINDOW *win, struct rect r, enum role role, const char *text);

/* Draws text wrapped into the rectangle (sanitised, "\n" breaks lines) with role; returns the
 * rows used (at most r.h). */
int ui_wrapped(WINDOW *win, struct rect r, enum role role, const char *text);

/* Rows text needs when wrapped to width columns. */
int ui_wrapped_rows(const char *text, int width);

/* A rectangle of w x h centred in area (clamped to it). */
struct rect ui_centre(struct rect area, int w, int h);

/* The widest of labels[0..n) in columns, plus one for the gap. */
int ui_label_width(const char *const *labels, size_t n);

#endif
