/* Rows, filter, selection and scrolling of a list; see listmodel.h. */
#include "widgets/listmodel.h"

#include <stdlib.h>
#include <string.h>

struct row {
    int indent;
    char *cells; /* ncols NUL-terminated strings back to back */
};

struct listmodel {
    int ncols;
    struct row *rows;
    size_t nrows, cap;
    size_t *vis; /* rows that pass the filter, in order */
    size_t nvis, viscap;
    char *filter;
    size_t sel, top;
};

struct listmodel *listmodel_new(int ncols)
{
    if (ncols < 1 || ncols > 16)
        return NULL;
    struct listmodel *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->ncols = ncols;
    m->filter = calloc(1, 1);
    if (!m->filter) {
        free(m);
        return NULL;
    }
    return m;
}

void listmodel_clear(struct listmodel *m)
{
    for (size_t i = 0; i < m->nrows; i++)
        free(m->rows[i].cells);
    m->nrows = m->nvis = m->sel = m->top = 0;
}

void listmodel_free(struct listmodel **m)
{
    if (!m || !*m)
        return;
    listmodel_clear(*m);
    free((*m)->rows);
    free((*m)->vis);
    free((*m)->filter);
    free(*m);
    *m = NULL;
}

int listmodel_cols(const struct listmodel *m)
{
    return m->ncols;
}

bool listmodel_match(const char *hay, const char *needle)
{
    if (!needle[0])
        return true;
    unsigned char first = (unsigned char)needle[0];
    if (first >= 'A' && first <= 'Z')
        first = (unsigned char)(first - 'A' + 'a');
    for (const char *h = hay; *h; h++) {
        unsigned char c = (unsigned char)*h;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != first)
            continue;
        size_t i = 1;
        for (; needle[i]; i++) {
            unsigned char a = (unsigned char)h[i], b = (unsigned char)needle[i];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
        }
        if (!needle[i])
            return true;
    }
    return false;
}

static bool row_passes(const struct listmodel *m, const struct row *r)
{
    const char *c = r->cells;
    for (int k = 0; k < m->ncols; k++) {
        if (listmodel_match(c, m->filter))
            return true;
        c += strlen(c) + 1;
    }
    return false;
}

static int push_vis(struct listmodel *m, size_t row)
{
    if (m->nvis == m->viscap) {
        size_t cap = m->viscap ? m->viscap * 2 : 256;
        size_t *p = realloc(m->vis, cap * sizeof *p);
        if (!p)
            return -1;
        m->vis = p;
        m->viscap = cap;
    }
    m->vis[m->nvis++] = row;
    return 0;
}

int listmodel_append(struct listmodel *m, int indent, const char *const *cells)
{
    if (m->nrows == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        struct row *p = realloc(m->rows, cap * sizeof *p);
        if (!p)
            return -1;
        m->rows = p;
        m->cap = cap;
    }
    size_t total = 0;
    for (int k = 0; k < m->ncols; k++)
        total += (cells[k] ? strlen(cells[k]) : 0) + 1;
    char *buf = malloc(total ? total : 1);
    if (!buf)
        return -1;
    size_t o = 0;
    for (int k = 0; k < m->ncols; k++) {
        size_t n = cells[k] ? strlen(cells[k]) : 0;
        if (n)
            memcpy(buf + o, cells[k], n);
        buf[o + n] = 0;
        o += n + 1;
    }
    struct row *r = &m->rows[m->nrows];
    r->indent = indent < 0 ? 0 : indent;
    r->cells = buf;
    if (row_passes(m, r) && push_vis(m, m->nrows) < 0) {
        free(buf);
        return -1;
    }
    m->nrows++;
    return 0;
}

size_t listmodel_count(const struct listmodel *m)
{
    return m->nrows;
}

size_t listmodel_visible(const struct listmodel *m)
{
    return m->nvis;
}

size_t listmodel_row(const struct listmodel *m, size_t vis)
{
    return m->vis[vis];
}

const char *listmodel_cell(const struct listmodel *m, size_t row, int col)
{
    const char *c = m->rows[row].cells;
    for (int k = 0; k < col && k < m->ncols - 1; k++)
        c += strlen(c) + 1;
    return c;
}

int listmodel_indent(const struct listmodel *m, size_t row)
{
    return m->rows[row].indent;
}

int listmodel_set_filter(struct listmodel *m, const char *filter)
{
    if (!filter)
        filter = "";
    size_t keep_row = m->nvis ? m->vis[m->sel] : (size_t)-1;
    /* A filter that contains the old one can only remove rows: rescan just the visible ones,
     * which keeps typing fast in a long list. */
    bool narrowing = listmodel_match(filter, m->filter);
    char *copy = strdup(filter);
    if (!copy)
        return -1;
    free(m->filter);
    m->filter = copy;
    if (narrowing) {
        size_t out = 0;
        for (size_t i = 0; i < m->nvis; i++)
            if (row_passes(m, &m->rows[m->vis[i]]))
                m->vis[out++] = m->vis[i];
        m->nvis = out;
    } else {
        m->nvis = 0;
        for (size_t i = 0; i < m->nrows; i++)
            if (row_passes(m, &m->rows[i]) && push_vis(m, i) < 0)
                return -1;
    }
    m->sel = m->top = 0;
    for (size_t i = 0; i < m->nvis; i++) {
        if (m->vis[i] == keep_row) {
            m->sel = i;
            break;
        }
        if (m->vis[i] > keep_row)
            break;
    }
    return 0;
}

const char *listmodel_filter(const struct listmodel *m)
{
    return m->filter;
}

size_t listmodel_selected(const struct listmodel *m)
{
    return m->sel;
}

size_t listmodel_top(const struct listmodel *m)
{
    return m->top;
}

size_t listmodel_scroll(size_t top, size_t sel, size_t count, int height)
{
    if (height < 1 || count == 0)
        return 0;
    size_t h = (size_t)height;
    if (sel < top)
        top = sel;
    else if (sel >= top + h)
        top = sel - h + 1;
    if (count > h && top > count - h)
        top = count - h;
    if (count <= h)
        top = 0;
    return top;
}

bool listmodel_select(struct listmodel *m, size_t vis, int height)
{
    size_t old_sel = m->sel, old_top = m->top;
    if (m->nvis == 0) {
        m->sel = m->top = 0;
    } else {
        m->sel = vis >= m->nvis ? m->nvis - 1 : vis;
        m->top = listmodel_scroll(m->top, m->sel, m->nvis, height);
    }
    return m->sel != old_sel || m->top != old_top;
}

bool listmodel_move(struct listmodel *m, long delta, int height)
{
    size_t target;
    if (delta < 0)
        target = (size_t)-delta > m->sel ? 0 : m->sel - (size_t)-delta;
    else
        target = m->sel + (size_t)delta;
    return listmodel_select(m, target, height);
}
