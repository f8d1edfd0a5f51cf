/* button: "[ Label ]"; Enter or Space activates it (WIDGET_ACTIVATE). */
#ifndef WIDGETS_BUTTON_H
#define WIDGETS_BUTTON_H

#include "widgets/widget.h"

struct button;

/* Returns a button with label (copied); NULL on failure. */
struct button *button_new(const char *label);

/* The button as a widget; a form then owns it. */
struct widget *button_widget(struct button *b);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void button_free(struct button **p);

/* Returns the columns the button needs ("[ " label " ]"). */
int button_width(const struct button *b);

/* Draws a button face with label at (y, x), focused or not; returns its width. Dialogs use it
 * for their own buttons. */
int button_draw_face(WINDOW *win, int y, int x, const char *label, bool focused);

#endif
