/* keybar: the bottom line, built from a screen's key table (struct key_binding entries with a
 * label): "F1 Help  Tab Next  F10 Quit". Not focusable. */
#ifndef WIDGETS_KEYBAR_H
#define WIDGETS_KEYBAR_H

#include "widgets/keys.h"
#include "widgets/widget.h"

#include <stddef.h>

struct keybar;

/* Returns a key bar drawn from table[0..n), which must outlive it (not copied); NULL on
 * failure. */
struct keybar *keybar_new(const struct key_binding *table, size_t n);

/* The key bar as a widget; a form then owns it. */
struct widget *keybar_widget(struct keybar *k);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void keybar_free(struct keybar **p);

/* Switches to another table (e.g. when the focus moves to a widget with other keys). */
void keybar_set_table(struct keybar *k, const struct key_binding *table, size_t n);

#endif
