/* The information panel; see infopanel.h. */
#include "widgets/infopanel.h"

#include "widgets/theme.h"
#include "widgets/wrap.h"

#include <stdlib.h>
#include <string.h>

enum { PANEL_MAX_LINES = 256 };

struct infopanel {
    struct widget base;
    char *title, *text;
    int scroll;
    int nlines; /* from the last draw */
};

static void infopanel_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct infopanel *p = (struct infopanel *)w;
    struct rect r = w->rect;
    draw_box(win, r, theme_attr(focused ? ROLE_FOCUS : ROLE_BORDER), p->title, false);
    struct wrap_line lines[PANEL_MAX_LINES];
    int inner = r.h - 2;
    size_t n = wrap_text(p->text, r.w - 4, lines, PANEL_MAX_LINES);
    if (n > PANEL_MAX_LINES)
        n = PANEL_MAX_LINES;
    p->nlines = (int)n;
    if (p->scroll > p->nlines - inner)
        p->scroll = p->nlines - inner > 0 ? p->nlines - inner : 0;
    attr_t a = theme_attr(ROLE_NORMAL);
    for (int i = 0; i < inner; i++) {
        draw_fill(win, r.y + 1 + i, r.x + 1, r.w - 2, a);
        int k = p->scroll + i;
        if (k >= 0 && (size_t)k < n)
            draw_text(win, r.y + 1 + i, r.x + 2, r.w - 4, p->text + lines[k].start, lines[k].len,
                      a);
    }
    if (p->scroll + inner < p->nlines)
        draw_str(win, r.y + r.h - 1, r.x + r.w - 3, 1, draw_symbol(SYM_DOWN),
                 theme_attr(ROLE_BORDER));
}

static int infopanel_key(struct widget *w, int key)
{
    struct infopanel *p = (struct infopanel *)w;
    int page = w->rect.h - 2 > 1 ? w->rect.h - 2 : 1, old = p->scroll;
    switch (key) {
    case WK_UP:
        p->scroll--;
        break;
    case WK_DOWN:
        p->scroll++;
        break;
    case WK_PGUP:
        p->scroll -= page;
        break;
    case WK_PGDN:
        p->scroll += page;
        break;
    default:
        return WIDGET_IGNORED;
    }
    if (p->scroll > p->nlines - page)
        p->scroll = p->nlines - page;
    if (p->scroll < 0)
        p->scroll = 0;
    return p->scroll == old ? WIDGET_HANDLED : WIDGET_HANDLED | WIDGET_REDRAW;
}

static void infopanel_free_w(struct widget *w)
{
    struct infopanel *p = (struct infopanel *)w;
    free(p->title);
    free(p->text);
    free(p);
}

static const struct widget_ops infopanel_ops = {
    .kind = "infopanel",
    .draw = infopanel_draw,
    .key = infopanel_key,
    .resize = NULL,
    .free = infopanel_free_w,
};

struct infopanel *infopanel_new(const char *title, const char *text)
{
    struct infopanel *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base.ops = &infopanel_ops;
    p->base.dirty = true;
    p->base.name = "panel";
    p->title = strdup(title ? title : "");
    p->text = strdup(text ? text : "");
    if (!p->title || !p->text) {
        infopanel_free_w(&p->base);
        return NULL;
    }
    return p;
}

struct widget *infopanel_widget(struct infopanel *p)
{
    return &p->base;
}

void infopanel_free(struct infopanel **p)
{
    if (!p || !*p)
        return;
    struct widget *w = infopanel_widget(*p);
    widget_free(&w);
    *p = NULL;
}

void infopanel_set_text(struct infopanel *p, const char *text)
{
    char *copy = strdup(text ? text : "");
    if (!copy)
        return;
    free(p->text);
    p->text = copy;
    p->scroll = 0;
    p->base.dirty = true;
}

int infopanel_set_title(struct infopanel *p, const char *title)
{
    char *t = strdup(title ? title : "");
    if (!t)
        return -1;
    free(p->title);
    p->title = t;
    p->base.dirty = true;
    return 0;
}
