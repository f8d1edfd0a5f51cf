/* The list widget; the rows, filter and scroll arithmetic live in listmodel.c. */
#include "widgets/list.h"

#include "widgets/listmodel.h"
#include "widgets/sanitize.h"
#include "widgets/texts.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FILTER_MAX = 128 };

struct list {
    struct widget base;
    struct listmodel *m;
    struct list_column cols[16];
    char *titles[16];
    int ncols;
    bool has_header;
    bool filtering; /* the filter line is being edited */
    size_t total;   /* rows the whole list has (paged from elsewhere); 0: the rows held */
};

/* Columns the selection mark takes at the start of every row: the selected row is marked by a
 * symbol, not by colour alone (monochrome terminals, screen readers, colour-blind people). */
enum { MARK_COLS = 2 };

/* Rows the rectangle has for list rows: the last row is the filter/count line, the header takes
 * the first when there is room for both. May be 0 (or less) in a tiny rectangle. */
static int rows_shown(const struct list *l)
{
    int header = l->has_header && l->base.rect.h >= 2 ? 1 : 0;
    return l->base.rect.h - header - 1;
}

/* The page for scrolling and PgUp/PgDn: at least one row, so keys still move in a tiny list. */
static int body_height(const struct list *l)
{
    int h = rows_shown(l);
    return h < 1 ? 1 : h;
}

static void list_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct list *l = (struct list *)w;
    struct rect r = w->rect;
    int y = r.y;
    /* Column positions: fixed widths first, the rest to the zero-width ones. */
    int widths[16], fixed = MARK_COLS, flex = 0;
    for (int k = 0; k < l->ncols; k++) {
        fixed += l->cols[k].width + (k ? 1 : 0);
        if (l->cols[k].width <= 0)
            flex++;
    }
    for (int k = 0; k < l->ncols; k++) {
        widths[k] = l->cols[k].width;
        if (widths[k] <= 0)
            widths[k] = flex ? (r.w - fixed) / flex : 0;
        if (widths[k] < 0)
            widths[k] = 0;
    }
    if (l->has_header && r.h >= 2) {
        int x = r.x + MARK_COLS;
        draw_fill(win, y, r.x, r.w, theme_attr(ROLE_HEADER));
        for (int k = 0; k < l->ncols && x < r.x + r.w; k++) {
            int cw = widths[k] < r.x + r.w - x ? widths[k] : r.x + r.w - x;
            draw_str(win, y, x, cw, l->cols[k].title, theme_attr(ROLE_HEADER));
            x += widths[k] + 1;
        }
        y++;
    }
    int h = rows_shown(l); /* never body_height: its minimum row would overflow the rectangle */
    size_t top = listmodel_top(l->m), sel = listmodel_selected(l->m);
    size_t nvis = listmodel_visible(l->m);
    for (int i = 0; i < h; i++) {
        size_t vis = top + (size_t)i;
        if (vis >= nvis) {
            draw_fill(win, y + i, r.x, r.w, theme_attr(ROLE_NORMAL));
            continue;
        }
        size_t row = listmodel_row(l->m, vis);
        enum role role = ROLE_NORMAL;
        if (vis == sel)
            role = focused ? ROLE_FOCUS : ROLE_SELECTED;
        attr_t a = theme_attr(role);
        draw_fill(win, y + i, r.x, r.w, a);
        if (vis == sel)
            draw_str(win, y + i, r.x, MARK_COLS, draw_symbol(SYM_POINTER), a);
        if (vis == sel && focused) {
            w->cur_y = y + i;
            w->cur_x = r.x;
        }
        int x = r.x + MARK_COLS;
        for (int k = 0; k < l->ncols && x < r.x + r.w; k++) {
            int cw = widths[k] < r.x + r.w - x ? widths[k] : r.x + r.w - x;
            int indent = k == 0 ? 2 * listmodel_indent(l->m, row) : 0;
            if (indent > cw)
                indent = cw;
            draw_str(win, y + i, x + indent, cw - indent, listmodel_cell(l->m, row, k), a);
            x += widths[k] + 1;
        }
    }
    /* The last row: the filter being typed, or where we are in the list. */
    char line[FILTER_MAX + 96];
    const char *filter = listmodel_filter(l->m);
    size_t all = l->total > listmodel_count(l->m) ? l->total : listmodel_count(l->m);
    if (l->filtering || filter[0]) {
        char count[64];
        snprintf(count, sizeof count, widget_text(WT_FILTER_COUNT), nvis, all);
        snprintf(line, sizeof line, "/%s  (%s)", filter, count);
    } else
        snprintf(line, sizeof line, "%zu/%zu", nvis ? sel + 1 : 0,
                 l->total > nvis ? l->total : nvis);
    draw_str(win, r.y + r.h - 1, r.x, r.w, line, theme_attr(ROLE_STATUS));
    if (focused && l->filtering) {
        w->cur_y = r.y + r.h - 1;
        w->cur_x = r.x + 1 + sanitize_width(filter, strlen(filter));
        if (w->cur_x >= r.x + r.w)
            w->cur_x = r.x + r.w - 1;
    }
}

static int set_filter_keep(struct list *l, const char *f)
{
    listmodel_set_filter(l->m, f);
    listmodel_select(l->m, listmodel_selected(l->m), body_height(l));
    return WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED;
}

static int list_key(struct widget *w, int key)
{
    struct list *l = (struct list *)w;
    int h = body_height(l);
    const char *filter = listmodel_filter(l->m);
    size_t flen = strlen(filter);
    char buf[FILTER_MAX + 8];
    bool moved;
    switch (key) {
    case WK_UP:
        moved = listmodel_move(l->m, -1, h);
        break;
    case WK_DOWN:
        moved = listmodel_move(l->m, 1, h);
        break;
    case WK_PGUP:
        moved = listmodel_move(l->m, -(long)h, h);
        break;
    case WK_PGDN:
        moved = listmodel_move(l->m, h, h);
        break;
    case WK_HOME:
        moved = listmodel_select(l->m, 0, h);
        break;
    case WK_END:
        moved = listmodel_select(l->m, (size_t)-1, h);
        break;
    case WK_ENTER: {
        /* Type to narrow, Enter to open: it leaves the filter line (keeping the filter) and
         * opens the selected row in one step. */
        int redraw = l->filtering ? WIDGET_REDRAW : 0;
        l->filtering = false;
        return listmodel_visible(l->m) ? WIDGET_HANDLED | WIDGET_ACTIVATE | redraw
                                       : WIDGET_HANDLED | redraw;
    }
    case WK_ESC:
        if (!l->filtering && !flen)
            return WIDGET_IGNORED;
        l->filtering = false;
        return set_filter_keep(l, "");
    case WK_CTRL_U: /* the whole filter at once, as in a field */
        if (!flen)
            return WIDGET_IGNORED;
        return set_filter_keep(l, "");
    case WK_BACKSPACE:
        if (!flen)
            return l->filtering ? (l->filtering = false, WIDGET_HANDLED | WIDGET_REDRAW)
                                : WIDGET_IGNORED;
        memcpy(buf, filter, flen + 1);
        /* Remove the last UTF-8 character. */
        do {
            flen--;
        } while (flen > 0 && ((unsigned char)buf[flen] & 0xC0) == 0x80);
        buf[flen] = 0;
        return set_filter_keep(l, buf);
    default:
        if (key == '/' && !l->filtering) {
            l->filtering = true;
            return WIDGET_HANDLED | WIDGET_REDRAW;
        }
        if (!widget_key_is_text(key) || (key == ' ' && !l->filtering))
            return WIDGET_IGNORED;
        char b[4];
        size_t n = utf8_encode((uint32_t)key, b);
        if (flen + n > FILTER_MAX)
            return WIDGET_HANDLED;
        memcpy(buf, filter, flen);
        memcpy(buf + flen, b, n);
        buf[flen + n] = 0;
        l->filtering = true;
        return set_filter_keep(l, buf);
    }
    return moved ? WIDGET_HANDLED | WIDGET_REDRAW : WIDGET_HANDLED;
}

static void list_resize(struct widget *w, struct rect r)
{
    struct list *l = (struct list *)w;
    (void)r;
    listmodel_select(l->m, listmodel_selected(l->m), body_height(l));
}

static void list_free_w(struct widget *w)
{
    struct list *l = (struct list *)w;
    listmodel_free(&l->m);
    for (int k = 0; k < 16; k++)
        free(l->titles[k]);
    free(l);
}

static const struct widget_ops list_ops = {
    .kind = "list", .draw = list_draw, .key = list_key, .resize = list_resize, .free = list_free_w,
    /* No holds_esc: while a request runs the status line says "Esc cancels", and it does; the
     * next Esc clears the filter. */
};

struct list *list_new(const struct list_column *cols, int ncols)
{
    if (ncols < 1 || ncols > 16)
        return NULL;
    struct list *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->base.ops = &list_ops;
    l->base.focusable = true;
    l->base.dirty = true;
    l->base.name = "list";
    l->ncols = ncols;
    l->m = listmodel_new(ncols);
    if (!l->m) {
        list_free_w(&l->base);
        return NULL;
    }
    for (int k = 0; k < ncols; k++) {
        l->cols[k].width = cols[k].width;
        if (cols[k].title) {
            l->titles[k] = strdup(cols[k].title);
            if (!l->titles[k]) {
                list_free_w(&l->base);
                return NULL;
            }
            l->has_header = true;
        }
        l->cols[k].title = l->titles[k];
    }
    return l;
}

struct widget *list_widget(struct list *l)
{
    return &l->base;
}

void list_free(struct list **p)
{
    if (!p || !*p)
        return;
    struct widget *w = list_widget(*p);
    widget_free(&w);
    *p = NULL;
}

int list_append(struct list *l, int indent, const char *const *cells)
{
    l->base.dirty = true;
    return listmodel_append(l->m, indent, cells);
}

void list_clear(struct list *l)
{
    listmodel_clear(l->m);
    l->base.dirty = true;
}

void list_set_filter(struct list *l, const char *filter)
{
    set_filter_keep(l, filter);
    l->base.dirty = true;
}

bool list_select(struct list *l, size_t row)
{
    for (size_t v = 0; v < listmodel_visible(l->m); v++) {
        if (listmodel_row(l->m, v) == row) {
            listmodel_select(l->m, v, body_height(l));
            l->base.dirty = true;
            return true;
        }
    }
    return false;
}

size_t list_selected(const struct list *l)
{
    if (!listmodel_visible(l->m))
        return (size_t)-1;
    return listmodel_row(l->m, listmodel_selected(l->m));
}

const char *list_cell(const struct list *l, size_t row, int col)
{
    return listmodel_cell(l->m, row, col);
}

size_t list_count(const struct list *l)
{
    return listmodel_count(l->m);
}

size_t list_visible(const struct list *l)
{
    return listmodel_visible(l->m);
}

size_t list_position(const struct list *l)
{
    return listmodel_selected(l->m);
}

const char *list_filter(const struct list *l)
{
    return listmodel_filter(l->m);
}

void list_set_total(struct list *l, size_t total)
{
    l->total = total;
    l->base.dirty = true;
}
