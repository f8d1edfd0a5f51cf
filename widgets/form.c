/* Focus order and key routing for a set of widgets; see form.h. */
#include "widgets/form.h"

#include <stdlib.h>
#include <string.h>

struct form {
    struct widget **items;
    size_t n, cap;
    size_t focus; /* == n: nothing focusable */
};

struct form *form_new(void)
{
    return calloc(1, sizeof(struct form));
}

void form_free(struct form **f)
{
    if (!f || !*f)
        return;
    for (size_t i = 0; i < (*f)->n; i++)
        widget_free(&(*f)->items[i]);
    free((*f)->items);
    free(*f);
    *f = NULL;
}

static bool can_focus(const struct widget *w)
{
    return w->focusable && !w->hidden;
}

struct widget *form_add(struct form *f, struct widget *w)
{
    if (!w)
        return NULL;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct widget **p = realloc(f->items, cap * sizeof(struct widget *));
        if (!p) {
            widget_free(&w);
            return NULL;
        }
        f->items = p;
        f->cap = cap;
    }
    bool had_focus = f->focus < f->n && can_focus(f->items[f->focus]);
    f->items[f->n++] = w;
    if (!had_focus && can_focus(w))
        f->focus = f->n - 1;
    else if (!had_focus)
        f->focus = f->n;
    w->dirty = true;
    return w;
}

struct widget *form_insert(struct form *f, size_t index, struct widget *w)
{
    if (!form_add(f, w))
        return NULL;
    if (index >= f->n - 1)
        return w;
    struct widget *focused = f->focus < f->n ? f->items[f->focus] : NULL;
    memmove(f->items + index + 1, f->items + index, (f->n - 1 - index) * sizeof(struct widget *));
    f->items[index] = w;
    f->focus = f->n;
    for (size_t i = 0; focused && i < f->n; i++)
        if (f->items[i] == focused)
            f->focus = i;
    return w;
}

size_t form_index(const struct form *f, const struct widget *w)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i] == w)
            return i;
    return (size_t)-1;
}

bool form_remove(struct form *f, struct widget *w)
{
    size_t i = form_index(f, w);
    if (i == (size_t)-1)
        return false;
    bool had_focus = i == f->focus;
    if (had_focus)
        form_focus_move(f, 1);
    struct widget *focused = f->focus < f->n ? f->items[f->focus] : NULL;
    if (focused == w)
        focused = NULL; /* it was the only focusable one */
    memmove(f->items + i, f->items + i + 1, (f->n - i - 1) * sizeof(struct widget *));
    f->n--;
    f->focus = f->n; /* stays "nothing focusable" when nothing was */
    for (size_t k = 0; focused && k < f->n; k++)
        if (f->items[k] == focused)
            f->focus = k;
    widget_free(&w);
    form_touch(f);
    return true;
}

struct widget *form_focused(const struct form *f)
{
    /* A widget hidden (or made unfocusable) since it got the focus no longer has it. */
    return f->focus < f->n && can_focus(f->items[f->focus]) ? f->items[f->focus] : NULL;
}

bool form_focus(struct form *f, struct widget *w)
{
    for (size_t i = 0; i < f->n; i++) {
        if (f->items[i] == w && can_focus(w)) {
            if (i == f->focus)
                return false;
            if (f->focus < f->n)
                f->items[f->focus]->dirty = true;
            f->focus = i;
            w->dirty = true;
            return true;
        }
    }
    return false;
}

void form_focus_move(struct form *f, int dir)
{
    if (f->n == 0)
        return;
    size_t start = f->focus < f->n ? f->focus : 0;
    for (size_t step = 1; step <= f->n; step++) {
        size_t i = dir > 0 ? (start + step) % f->n : (start + f->n * 2 - step) % f->n;
        if (can_focus(f->items[i])) {
            form_focus(f, f->items[i]);
            return;
        }
    }
}

/* Gives the focus of a widget that was hidden since to the next focusable one (or to none), so
 * keys go to a widget that is shown. */
static void settle(struct form *f)
{
    if (f->focus >= f->n || can_focus(f->items[f->focus]))
        return;
    size_t old = f->focus;
    form_focus_move(f, 1);
    if (f->focus == old)
        f->focus = f->n;
}

int form_key(struct form *f, int key)
{
    settle(f);
    struct widget *w = form_focused(f);
    int flags = w ? widget_key(w, key) : WIDGET_IGNORED;
    if (!(flags & WIDGET_HANDLED)) {
        if (key == WK_TAB)
            flags |= WIDGET_FOCUS_NEXT | WIDGET_HANDLED;
        else if (key == WK_BACKTAB)
            flags |= WIDGET_FOCUS_PREV | WIDGET_HANDLED;
    }
    if (flags & (WIDGET_FOCUS_NEXT | WIDGET_FOCUS_PREV)) {
        form_focus_move(f, (flags & WIDGET_FOCUS_NEXT) ? 1 : -1);
        flags |= WIDGET_REDRAW;
    }
    return flags;
}

bool form_dirty(const struct form *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i]->dirty)
            return true;
    return false;
}

void form_touch(struct form *f)
{
    for (size_t i = 0; i < f->n; i++)
        f->items[i]->dirty = true;
}

void form_draw(struct form *f, WINDOW *win)
{
    /* Everything is drawn again: curses compares with what the terminal shows and sends only
     * the difference, and a closed drop-down must not leave traces on its neighbours. */
    settle(f);
    struct widget *focused = form_focused(f);
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i] != focused)
            widget_draw(f->items[i], win, false);
    if (focused) {
        widget_draw(focused, win, true);
        if (focused->cur_y >= 0) {
            wmove(win, focused->cur_y, focused->cur_x);
            curs_set(1);
            return;
        }
    }
    curs_set(0);
}

size_t form_count(const struct form *f)
{
    return f->n;
}

struct widget *form_at(const struct form *f, size_t i)
{
    return i < f->n ? f->items[i] : NULL;
}
