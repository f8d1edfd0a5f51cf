/* checkbox: "[x] label"; Space (or Enter) flips it. */
#ifndef WIDGETS_CHECKBOX_H
#define WIDGETS_CHECKBOX_H

#include "widgets/widget.h"

#include <stdbool.h>

struct checkbox;

/* Returns a check box with label (copied), checked or not; NULL on failure. */
struct checkbox *checkbox_new(const char *label, bool checked);

/* The check box as a widget; a form then owns it. */
struct widget *checkbox_widget(struct checkbox *c);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void checkbox_free(struct checkbox **p);

/* Replaces the label (copied). Returns 0, or -1 out of memory. */
int checkbox_set_label(struct checkbox *c, const char *label);

/* Returns whether it is checked, and sets it. */
bool checkbox_checked(const struct checkbox *c);
void checkbox_set(struct checkbox *c, bool checked);

#endif
