/* field: a one-line text field with a label: UTF-8 editing (Left/Right/Home/End/Backspace/
 * Delete/Ctrl-U), horizontal scrolling when the text is wider than the input area, an optional
 * mask (password) and a validation state shown as a mark and a message beside the input (or
 * under it when the field is two rows high). */
#ifndef WIDGETS_FIELD_H
#define WIDGETS_FIELD_H

#include "widgets/widget.h"

#include <stddef.h>

/* How the field's current text was judged by whoever validates it. */
enum field_state { FIELD_NEUTRAL, FIELD_OK, FIELD_WARNING, FIELD_ERROR };

/* Options of a field. */
enum field_flags {
    FIELD_MASKED = 1 << 0, /* a password: every character shows as a bullet, and its text is
                              wiped from memory whenever it is replaced or freed */
};

struct field;

/* Returns a field labelled `label` (copied; may be NULL) whose label takes label_width columns
 * and whose input area takes input_width columns (0: what the rectangle leaves), holding at
 * most max_bytes bytes (0: 1024). NULL when out of memory. */
struct field *field_new(const char *label, int label_width, int input_width, size_t max_bytes,
                        unsigned flags);

/* The field as a widget (for forms); the form then owns it. */
struct widget *field_widget(struct field *f);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void field_free(struct field **p);

/* Replaces the text with s[0..len) (foreign text is fine: it is sanitised when drawn). */
void field_set_text_n(struct field *f, const char *s, size_t len);

/* Replaces the text with the NUL-terminated s. */
void field_set_text(struct field *f, const char *s);

/* Returns the text (owned by the field, valid until it changes) and its length in bytes. */
const char *field_text(const struct field *f);
size_t field_len(const struct field *f);

/* Replaces the label (copied; its width stays). Returns 0, or -1 out of memory. */
int field_set_label(struct field *f, const char *label);

/* Sets the validation state and its message (copied; NULL for none). */
void field_set_state(struct field *f, enum field_state state, const char *message);

/* Returns the validation state. */
enum field_state field_state(const struct field *f);

#endif
