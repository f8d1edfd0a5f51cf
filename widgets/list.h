/* list: a scrolling list with columns, indentation, a selection and a filter. Typing a
 * character (or `/` first) filters the rows; Backspace shortens the filter, Esc clears it.
 * Up/Down/PgUp/PgDn/Home/End move; Enter activates the selected row (also while a filter is
 * typed: it keeps the filter). The selected row is marked
 * with a pointer symbol as well as by colour, and the terminal cursor stands on it while the list
 * has the focus (on the filter line while a filter is typed). Fast with 100,000 rows: only the
 * visible rows are drawn. */
#ifndef WIDGETS_LIST_H
#define WIDGETS_LIST_H

#include "widgets/widget.h"

#include <stdbool.h>
#include <stddef.h>

/* One column: a title for the header row (NULL: no header row when all are NULL) and a
 * width in columns (0: what is left). */
struct list_column {
    const char *title;
    int width;
};

struct list;

/* Returns a list with ncols columns (copied; 1..16), or NULL. */
struct list *list_new(const struct list_column *cols, int ncols);

/* The list as a widget; a form then owns it. */
struct widget *list_widget(struct list *l);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void list_free(struct list **p);

/* Appends a row of ncols cells (copied, sanitised when drawn) at an indentation level (each
 * level indents the first column by two columns). Returns 0, or -1 out of memory. */
int list_append(struct list *l, int indent, const char *const *cells);

/* Removes every row. */
void list_clear(struct list *l);

/* Sets the filter (copied). */
void list_set_filter(struct list *l, const char *filter);

/* Selects row `row` (a row index) when the filter shows it; returns whether it did. */
bool list_select(struct list *l, size_t row);

/* Returns the row index of the selection, or (size_t)-1 when no row is shown. */
size_t list_selected(const struct list *l);

/* Returns a cell of row (owned by the list). */
const char *list_cell(const struct list *l, size_t row, int col);

/* Number of rows, and of rows that pass the filter. */
size_t list_count(const struct list *l);
size_t list_visible(const struct list *l);

/* Where the selection is among the rows that pass the filter (0 when none pass): lets a screen
 * that pages rows in from a server load more before the selection reaches the end. */
size_t list_position(const struct list *l);

/* The filter typed so far (owned by the list, never NULL). */
const char *list_filter(const struct list *l);

/* Says how many rows the whole list has when the rows held are only its first pages (a server
 * pages them in); the count line then shows that number. 0: the rows held are all. */
void list_set_total(struct list *l, size_t total);

#endif
