/* dialog: a modal box centred in its rectangle (give it the whole screen) with a title,
 * wrapped text and a row of buttons. Left/Right/Tab/Shift-Tab choose a button; Enter answers
 * (WIDGET_ACTIVATE | WIDGET_CLOSE); Esc cancels (WIDGET_CLOSE, choice -1); Up/Down/PgUp/PgDn/
 * Home/End scroll a text longer than the box. The loop sends
 * every key to the dialog while it is open and draws it after everything else. */
#ifndef WIDGETS_DIALOG_H
#define WIDGETS_DIALOG_H

#include "widgets/widget.h"

#include <stddef.h>

struct dialog;

/* Returns a dialog with title and text (copied; "\n" breaks lines) and buttons[0..n)
 * (copied; n may be 0), button `focus` chosen first; NULL on failure. */
struct dialog *dialog_new(const char *title, const char *text, const char *const *buttons, size_t n,
                          size_t focus);

/* The dialog as a widget; the caller owns it (dialog_free). */
/* The columns a dialog's text gets on a screen cols wide (its box is at most 70 wide, 4 of
 * them frame and margin): text laid out in columns fits it without being wrapped again. */
int dialog_text_width(int cols);

struct widget *dialog_widget(struct dialog *d);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void dialog_free(struct dialog **p);

/* Returns the index of the button that answered, or -1 after Esc (or before an answer). */
int dialog_choice(const struct dialog *d);

#endif
