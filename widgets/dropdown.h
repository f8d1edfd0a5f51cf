/* dropdown: a label and a closed box showing the chosen option. Enter or Space opens the
 * option list below (or above) it; Up/Down move, Enter picks, Esc (or Tab) closes without
 * change. While open, the terminal cursor stands on the highlighted option. */
#ifndef WIDGETS_DROPDOWN_H
#define WIDGETS_DROPDOWN_H

#include "widgets/field.h"
#include "widgets/widget.h"

#include <stdbool.h>
#include <stddef.h>

struct dropdown;

/* Returns a drop-down with label (copied) in label_width columns, a box of box_width columns
 * and options[0..n) (copied), option `selected` chosen; NULL when out of memory. */
struct dropdown *dropdown_new(const char *label, int label_width, int box_width,
                              const char *const *options, size_t n, size_t selected);

/* The drop-down as a widget; a form then owns it. */
struct widget *dropdown_widget(struct dropdown *d);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void dropdown_free(struct dropdown **p);

/* Returns the index of the chosen option. */
size_t dropdown_selected(const struct dropdown *d);

/* Returns the text of the chosen option (owned by the drop-down). */
const char *dropdown_text(const struct dropdown *d);

/* Chooses option i (ignored when out of range). */
void dropdown_select(struct dropdown *d, size_t i);

/* Returns whether the option list is open. */
bool dropdown_is_open(const struct dropdown *d);

/* Sets the judgement of the choice (the same states as a field's): a mark after the box (✗ ! ✓;
 * nothing for FIELD_NEUTRAL). Whoever judges writes the words elsewhere. */
void dropdown_set_state(struct dropdown *d, enum field_state state);

/* Rows the open option list takes (with its frame): a screen that scrolls keeps them in view. */
int dropdown_open_rows(const struct dropdown *d);

#endif
