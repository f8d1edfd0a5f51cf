/* listmodel: the rows, filter, selection and scrolling of a list, without a terminal.
 * Rows are copied in; the filter keeps the rows that contain it (ASCII case-insensitive) in
 * any cell. Indices called `vis` count the rows that pass the filter. */
#ifndef WIDGETS_LISTMODEL_H
#define WIDGETS_LISTMODEL_H

#include <stdbool.h>
#include <stddef.h>

struct listmodel;

/* Returns an empty model whose rows have ncols cells (1..16), or NULL. */
struct listmodel *listmodel_new(int ncols);

/* Frees *m and its rows and sets *m to NULL; a NULL *m is a no-op. */
void listmodel_free(struct listmodel **m);

/* Returns the number of cells per row. */
int listmodel_cols(const struct listmodel *m);

/* Appends a row with ncols cells (copied; a NULL cell is empty) at the given indentation
 * level. Returns 0, or -1 out of memory. The filter is applied to the new row. */
int listmodel_append(struct listmodel *m, int indent, const char *const *cells);

/* Removes every row; the filter stays. */
void listmodel_clear(struct listmodel *m);

/* Number of rows, and of rows that pass the filter. */
size_t listmodel_count(const struct listmodel *m);
size_t listmodel_visible(const struct listmodel *m);

/* Maps a visible index to a row index (vis < listmodel_visible). */
size_t listmodel_row(const struct listmodel *m, size_t vis);

/* Returns a cell of a row (owned by m, valid until the row is removed) and its indentation. */
const char *listmodel_cell(const struct listmodel *m, size_t row, int col);
int listmodel_indent(const struct listmodel *m, size_t row);

/* Sets the filter (copied; "" or NULL shows every row). The selection stays on the same row
 * when that row still passes, else goes to the first one. Returns 0, or -1 out of memory. */
int listmodel_set_filter(struct listmodel *m, const char *filter);

/* Returns the current filter (never NULL). */
const char *listmodel_filter(const struct listmodel *m);

/* Returns true when `hay` contains `needle`, ignoring ASCII case. */
bool listmodel_match(const char *hay, const char *needle);

/* The selection as a visible index (0 when the list is empty) and the first visible row. */
size_t listmodel_selected(const struct listmodel *m);
size_t listmodel_top(const struct listmodel *m);

/* Moves the selection by delta rows, clamped to the visible rows, and scrolls so that it stays
 * in a view of `height` rows. Returns true when the selection or the top changed. */
bool listmodel_move(struct listmodel *m, long delta, int height);

/* Selects visible index vis (clamped) and scrolls as listmodel_move. */
bool listmodel_select(struct listmodel *m, size_t vis, int height);

/* Scroll arithmetic: the first row to show in a view of `height` rows over `count` rows so
 * that `sel` is visible, moving as little as possible from `top`, with no empty space at the
 * end when the rows could fill it. */
size_t listmodel_scroll(size_t top, size_t sel, size_t count, int height);

#endif
