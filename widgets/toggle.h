/* toggle: a radio group (a toggle is one with two choices). The choices stand side by side
 * (or one per row when the rectangle is taller than one row); Left/Right/Up/Down or Space move
 * the choice. The chosen one shows "(•)", the others "( )". */
#ifndef WIDGETS_TOGGLE_H
#define WIDGETS_TOGGLE_H

#include "widgets/widget.h"

#include <stddef.h>

struct toggle;

/* Returns a radio group with choices[0..n) (copied), `selected` chosen; NULL on failure. */
struct toggle *toggle_new(const char *const *choices, size_t n, size_t selected);

/* The group as a widget; a form then owns it. */
struct widget *toggle_widget(struct toggle *t);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void toggle_free(struct toggle **p);

/* Returns the chosen index. */
size_t toggle_selected(const struct toggle *t);

/* Chooses index i (ignored when out of range). */
void toggle_select(struct toggle *t, size_t i);

#endif
