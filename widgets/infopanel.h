/* infopanel: a framed panel with a title and wrapped text (e.g. what the provider's backup
 * server needs). When focusable, Up/Down/PgUp/PgDn scroll long text. */
#ifndef WIDGETS_INFOPANEL_H
#define WIDGETS_INFOPANEL_H

#include "widgets/widget.h"

struct infopanel;

/* Returns a panel with title and text (copied; "\n" breaks lines), or NULL. */
struct infopanel *infopanel_new(const char *title, const char *text);

/* The panel as a widget; a form then owns it. Not focusable unless the caller sets
 * widget->focusable. */
struct widget *infopanel_widget(struct infopanel *p);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void infopanel_free(struct infopanel **p);

/* Replaces the title (copied). Returns 0, or -1 out of memory. */
int infopanel_set_title(struct infopanel *p, const char *title);

/* Replaces the text (copied) and scrolls back to the top. */
void infopanel_set_text(struct infopanel *p, const char *text);

#endif
