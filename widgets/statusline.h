/* statusline: a line of state ("Saved.", "Connection failed: …") in a role's colours, wrapped
 * over more rows when its rectangle has them (statusline_rows says how many it needs). Text
 * from anywhere is fine: it is sanitised when drawn. Not focusable. */
#ifndef WIDGETS_STATUSLINE_H
#define WIDGETS_STATUSLINE_H

#include "widgets/theme.h"
#include "widgets/widget.h"

#include <stddef.h>

struct statusline;

/* Returns an empty status line, or NULL. */
struct statusline *statusline_new(void);

/* The status line as a widget; a form then owns it. */
struct widget *statusline_widget(struct statusline *s);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void statusline_free(struct statusline **p);

/* Shows text[0..len) (copied; may hold NUL bytes) with a role (ROLE_STATUS, ROLE_ERROR…). */
void statusline_set_n(struct statusline *s, enum role role, const char *text, size_t len);

/* Shows the NUL-terminated text. */
void statusline_set(struct statusline *s, enum role role, const char *text);

/* The rows (1 to max) the text needs at width columns: a long message wraps instead of being
 * cut off; give the widget that many rows. Text holding NUL bytes takes one row. */
int statusline_rows(const struct statusline *s, int width, int max);

/* Returns the text shown (owned by the status line). */
const char *statusline_text(const struct statusline *s);

#endif
