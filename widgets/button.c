/* The button; see button.h. */
#include "widgets/button.h"

#include "widgets/sanitize.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct button {
    struct widget base;
    char *label;
};

int button_draw_face(WINDOW *win, int y, int x, const char *label, bool focused)
{
    char text[256];
    snprintf(text, sizeof text, "[ %s ]", label);
    int w = sanitize_width(text, strlen(text));
    draw_str(win, y, x, w, text, theme_attr(focused ? ROLE_FOCUS : ROLE_NORMAL));
    return w;
}

static void button_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct button *b = (struct button *)w;
    draw_fill(win, w->rect.y, w->rect.x, w->rect.w, theme_attr(ROLE_NORMAL));
    button_draw_face(win, w->rect.y, w->rect.x, b->label, focused);
    if (focused)
        w->cur_y = w->rect.y, w->cur_x = w->rect.x + 2;
}

static int button_key(struct widget *w, int key)
{
    (void)w;
    if (key == WK_ENTER || key == WK_SPACE)
        return WIDGET_HANDLED | WIDGET_ACTIVATE;
    if (key == WK_RIGHT || key == WK_DOWN)
        return WIDGET_HANDLED | WIDGET_FOCUS_NEXT;
    if (key == WK_LEFT || key == WK_UP)
        return WIDGET_HANDLED | WIDGET_FOCUS_PREV;
    return WIDGET_IGNORED;
}

static void button_free_w(struct widget *w)
{
    struct button *b = (struct button *)w;
    free(b->label);
    free(b);
}

static const struct widget_ops button_ops = {
    .kind = "button",
    .draw = button_draw,
    .key = button_key,
    .resize = NULL,
    .free = button_free_w,
};

struct button *button_new(const char *label)
{
    struct button *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->base.ops = &button_ops;
    b->base.focusable = true;
    b->base.dirty = true;
    b->label = strdup(label ? label : "");
    if (!b->label) {
        free(b);
        return NULL;
    }
    b->base.name = b->label;
    return b;
}

struct widget *button_widget(struct button *b)
{
    return &b->base;
}

void button_free(struct button **p)
{
    if (!p || !*p)
        return;
    struct widget *w = button_widget(*p);
    widget_free(&w);
    *p = NULL;
}

int button_width(const struct button *b)
{
    return sanitize_width(b->label, strlen(b->label)) + 4;
}
