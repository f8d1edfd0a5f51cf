/* The radio group / toggle; see toggle.h. */
#include "widgets/toggle.h"

#include "widgets/sanitize.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct toggle {
    struct widget base;
    char **choices;
    size_t n, selected;
};

static void toggle_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct toggle *t = (struct toggle *)w;
    struct rect r = w->rect;
    bool vertical = r.h > 1;
    int x = r.x, y = r.y;
    draw_fill(win, r.y, r.x, r.w, theme_attr(ROLE_NORMAL));
    for (size_t i = 0; i < t->n; i++) {
        char text[256];
        snprintf(text, sizeof text, "(%s) %s", i == t->selected ? draw_symbol(SYM_BULLET) : " ",
                 t->choices[i]);
        int tw = sanitize_width(text, strlen(text));
        int avail = r.x + r.w - x;
        if (vertical) {
            if (y >= r.y + r.h)
                break;
            avail = r.w;
            x = r.x;
        }
        if (avail <= 0)
            break;
        enum role role = focused && i == t->selected ? ROLE_FOCUS : ROLE_NORMAL;
        if (vertical)
            draw_fill(win, y, r.x, r.w, theme_attr(ROLE_NORMAL));
        draw_str(win, y, x, tw < avail ? tw : avail, text, theme_attr(role));
        if (focused && i == t->selected)
            w->cur_y = y, w->cur_x = x + 1;
        if (vertical)
            y++;
        else
            x += tw + 3;
    }
}

static int toggle_key(struct widget *w, int key)
{
    struct toggle *t = (struct toggle *)w;
    size_t old = t->selected;
    switch (key) {
    case WK_LEFT:
    case WK_UP:
        if (t->selected > 0)
            t->selected--;
        break;
    case WK_RIGHT:
    case WK_DOWN:
        if (t->selected + 1 < t->n)
            t->selected++;
        break;
    case WK_SPACE:
        t->selected = t->n ? (t->selected + 1) % t->n : 0;
        break;
    default:
        return WIDGET_IGNORED;
    }
    if (t->selected == old)
        return WIDGET_HANDLED;
    return WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED;
}

static void toggle_free_w(struct widget *w)
{
    struct toggle *t = (struct toggle *)w;
    for (size_t i = 0; i < t->n; i++)
        free(t->choices[i]);
    free(t->choices);
    free(t);
}

static const struct widget_ops toggle_ops = {
    .kind = "toggle",
    .draw = toggle_draw,
    .key = toggle_key,
    .resize = NULL,
    .free = toggle_free_w,
};

struct toggle *toggle_new(const char *const *choices, size_t n, size_t selected)
{
    struct toggle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base.ops = &toggle_ops;
    t->base.focusable = true;
    t->base.dirty = true;
    t->base.name = "toggle";
    t->choices = calloc(n ? n : 1, sizeof *t->choices);
    if (!t->choices) {
        free(t);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        t->choices[i] = strdup(choices[i] ? choices[i] : "");
        if (!t->choices[i]) {
            toggle_free_w(&t->base);
            return NULL;
        }
        t->n = i + 1;
    }
    t->selected = selected < n ? selected : 0;
    return t;
}

struct widget *toggle_widget(struct toggle *t)
{
    return &t->base;
}

void toggle_free(struct toggle **p)
{
    if (!p || !*p)
        return;
    struct widget *w = toggle_widget(*p);
    widget_free(&w);
    *p = NULL;
}

size_t toggle_selected(const struct toggle *t)
{
    return t->selected;
}

void toggle_select(struct toggle *t, size_t i)
{
    if (i < t->n) {
        t->selected = i;
        t->base.dirty = true;
    }
}
