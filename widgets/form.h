/* form: a set of widgets with one focus. Tab / Shift-Tab (and the FOCUS_NEXT/PREV flags)
 * move the focus through the focusable widgets in the order they were added. */
#ifndef WIDGETS_FORM_H
#define WIDGETS_FORM_H

#include "widgets/widget.h"

#include <stddef.h>

struct form;

/* Returns an empty form, or NULL. */
struct form *form_new(void);

/* Frees *f and every widget in it, and sets *f to NULL; NULL is a no-op. */
void form_free(struct form **f);

/* Adds w (the form owns it from now on) and returns it, or NULL out of memory (w is freed). */
struct widget *form_add(struct form *f, struct widget *w);

/* Inserts w at position index of the Tab order (index >= count: at the end); the form owns
 * it. Returns w, or NULL out of memory (w is freed). The focus stays on its widget. */
struct widget *form_insert(struct form *f, size_t index, struct widget *w);

/* Removes w from the form and frees it. When it had the focus, the next focusable widget
 * gets it. Returns false when w is not in the form (then nothing is freed). */
bool form_remove(struct form *f, struct widget *w);

/* Returns the position of w in the form, or (size_t)-1. */
size_t form_index(const struct form *f, const struct widget *w);

/* Passes key to the focused widget; what it ignores, the form uses for Tab / Shift-Tab.
 * Returns the widget's flags (plus HANDLED|REDRAW when the focus moved). */
int form_key(struct form *f, int key);

/* Returns the focused widget, or NULL when nothing is focusable. A widget hidden while it had
 * the focus no longer has it: the next form_key or form_draw gives the focus on. */
struct widget *form_focused(const struct form *f);

/* Focuses w (must be in the form and focusable); returns whether the focus changed. */
bool form_focus(struct form *f, struct widget *w);

/* Moves the focus to the next (dir > 0) or previous focusable widget, wrapping around. */
void form_focus_move(struct form *f, int dir);

/* Returns true when some widget needs drawing. */
bool form_dirty(const struct form *f);

/* Marks every widget dirty (after a layout or when something drew over them). */
void form_touch(struct form *f);

/* Draws every widget on win, the focused one last (so an open drop-down lies on top), and puts
 * the terminal cursor where the focused widget wants it (hidden when it wants none). */
void form_draw(struct form *f, WINDOW *win);

/* Number of widgets, and the i-th one. */
size_t form_count(const struct form *f);
struct widget *form_at(const struct form *f, size_t i);

#endif
