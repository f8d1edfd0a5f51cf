/* The drop-down; see dropdown.h. */
#include "widgets/dropdown.h"

#include "widgets/theme.h"

#include <stdlib.h>
#include <string.h>

struct dropdown {
    struct widget base;
    char *label;
    int label_width, box_width;
    char **options;
    size_t n, selected, highlight;
    bool open;
    enum field_state state; /* a mark after the box, so a judgement never rests on colour */
};

static void dropdown_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct dropdown *d = (struct dropdown *)w;
    struct rect r = w->rect;
    int bw = d->box_width > 0 && d->box_width < r.w - d->label_width ? d->box_width
                                                                     : r.w - d->label_width;
    if (bw < 4)
        bw = 4;
    int x0 = r.x + d->label_width;
    if (d->label_width > 0)
        draw_str(win, r.y, r.x, d->label_width, d->label, theme_attr(ROLE_NORMAL));
    attr_t a = theme_attr(focused ? ROLE_FIELD_FOCUS : ROLE_FIELD);
    draw_str(win, r.y, x0, bw - 2, d->n ? d->options[d->selected] : "", a);
    draw_str(win, r.y, x0 + bw - 2, 2, draw_symbol(SYM_DOWN), a);
    if (d->state != FIELD_NEUTRAL && x0 + bw + 2 <= r.x + r.w) {
        enum role role = d->state == FIELD_ERROR     ? ROLE_ERROR
                         : d->state == FIELD_WARNING ? ROLE_WARNING
                                                     : ROLE_OK;
        enum draw_symbol sym = d->state == FIELD_ERROR     ? SYM_ERROR
                               : d->state == FIELD_WARNING ? SYM_WARNING
                                                           : SYM_OK;
        draw_str(win, r.y, x0 + bw + 1, 1, draw_symbol(sym), theme_attr(role));
    }
    if (focused)
        w->cur_y = r.y, w->cur_x = x0;
    if (!d->open)
        return;
    /* The open list: below the box if it fits, else above it. */
    int maxy = getmaxy(win);
    int h = (int)d->n + 2;
    if (h > maxy)
        h = maxy;
    int top = r.y + 1;
    if (top + h > maxy)
        top = r.y - h >= 0 ? r.y - h : maxy - h;
    struct rect box = {top, x0, h, bw};
    draw_box(win, box, theme_attr(ROLE_DIALOG), NULL, true);
    int rows = h - 2;
    size_t first = 0;
    if (rows > 0 && d->highlight >= (size_t)rows)
        first = d->highlight - (size_t)rows + 1;
    w->cur_y = w->cur_x = -1;
    for (int i = 0; i < rows && first + (size_t)i < d->n; i++) {
        size_t k = first + (size_t)i;
        attr_t ia = theme_attr(k == d->highlight ? ROLE_FOCUS : ROLE_DIALOG);
        draw_str(win, top + 1 + i, x0 + 1, bw - 2, d->options[k], ia);
        if (k == d->highlight && focused) /* the cursor follows the option, for screen readers */
            w->cur_y = top + 1 + i, w->cur_x = x0 + 1;
    }
}

static int dropdown_key(struct widget *w, int key)
{
    struct dropdown *d = (struct dropdown *)w;
    if (!d->open) {
        if (key == WK_ENTER || key == WK_SPACE) {
            d->open = true;
            d->highlight = d->selected;
            return WIDGET_HANDLED | WIDGET_REDRAW;
        }
        return WIDGET_IGNORED;
    }
    switch (key) {
    case WK_UP:
        if (d->highlight > 0)
            d->highlight--;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_DOWN:
        if (d->highlight + 1 < d->n)
            d->highlight++;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_HOME:
        d->highlight = 0;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_END:
        d->highlight = d->n ? d->n - 1 : 0;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_ENTER:
    case WK_SPACE: {
        bool changed = d->highlight != d->selected;
        d->selected = d->highlight;
        d->open = false;
        return WIDGET_HANDLED | WIDGET_REDRAW | (changed ? WIDGET_CHANGED : 0);
    }
    case WK_ESC:
        d->open = false;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_TAB:
    case WK_BACKTAB:
        /* Leaving closes without change; the form moves the focus. */
        d->open = false;
        return WIDGET_REDRAW;
    default:
        return WIDGET_HANDLED; /* a modal list: other keys do nothing while it is open */
    }
}

static void dropdown_free_w(struct widget *w)
{
    struct dropdown *d = (struct dropdown *)w;
    for (size_t i = 0; i < d->n; i++)
        free(d->options[i]);
    free(d->options);
    free(d->label);
    free(d);
}

static bool dropdown_holds_esc(const struct widget *w)
{
    return ((const struct dropdown *)w)->open; /* Esc closes the list, keeping the value */
}

static const struct widget_ops dropdown_ops = {
    .kind = "dropdown",
    .draw = dropdown_draw,
    .key = dropdown_key,
    .resize = NULL,
    .free = dropdown_free_w,
    .holds_esc = dropdown_holds_esc,
};

struct dropdown *dropdown_new(const char *label, int label_width, int box_width,
                              const char *const *options, size_t n, size_t selected)
{
    struct dropdown *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.ops = &dropdown_ops;
    d->base.focusable = true;
    d->base.dirty = true;
    d->label = strdup(label ? label : "");
    d->options = calloc(n ? n : 1, sizeof *d->options);
    if (!d->label || !d->options) {
        dropdown_free_w(&d->base);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        d->options[i] = strdup(options[i] ? options[i] : "");
        if (!d->options[i]) {
            dropdown_free_w(&d->base);
            return NULL;
        }
        d->n = i + 1;
    }
    d->base.name = d->label;
    d->label_width = label_width;
    d->box_width = box_width;
    d->selected = selected < n ? selected : 0;
    return d;
}

struct widget *dropdown_widget(struct dropdown *d)
{
    return &d->base;
}

void dropdown_free(struct dropdown **p)
{
    if (!p || !*p)
        return;
    struct widget *w = dropdown_widget(*p);
    widget_free(&w);
    *p = NULL;
}

size_t dropdown_selected(const struct dropdown *d)
{
    return d->selected;
}

const char *dropdown_text(const struct dropdown *d)
{
    return d->n ? d->options[d->selected] : "";
}

void dropdown_select(struct dropdown *d, size_t i)
{
    if (i < d->n) {
        d->selected = i;
        d->base.dirty = true;
    }
}

bool dropdown_is_open(const struct dropdown *d)
{
    return d->open;
}

void dropdown_set_state(struct dropdown *d, enum field_state state)
{
    if (d->state != state)
        d->base.dirty = true;
    d->state = state;
}

int dropdown_open_rows(const struct dropdown *d)
{
    return (int)d->n + 2;
}
