/* The check box; see checkbox.h. */
#include "widgets/checkbox.h"

#include "widgets/sanitize.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct checkbox {
    struct widget base;
    char *label;
    bool checked;
};

static void checkbox_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct checkbox *c = (struct checkbox *)w;
    struct rect r = w->rect;
    char box[4] = {'[', c->checked ? 'x' : ' ', ']', 0};
    draw_fill(win, r.y, r.x, r.w, theme_attr(ROLE_NORMAL));
    draw_str(win, r.y, r.x, 3, box, theme_attr(focused ? ROLE_FOCUS : ROLE_NORMAL));
    int lw = sanitize_width(c->label, strlen(c->label));
    draw_str(win, r.y, r.x + 4, lw < r.w - 4 ? lw : r.w - 4, c->label,
             theme_attr(focused ? ROLE_FOCUS : ROLE_NORMAL));
    if (focused)
        w->cur_y = r.y, w->cur_x = r.x + 1;
}

static int checkbox_key(struct widget *w, int key)
{
    struct checkbox *c = (struct checkbox *)w;
    if (key != WK_SPACE && key != WK_ENTER)
        return WIDGET_IGNORED;
    c->checked = !c->checked;
    return WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED;
}

static void checkbox_free_w(struct widget *w)
{
    struct checkbox *c = (struct checkbox *)w;
    free(c->label);
    free(c);
}

static const struct widget_ops checkbox_ops = {
    .kind = "checkbox",
    .draw = checkbox_draw,
    .key = checkbox_key,
    .resize = NULL,
    .free = checkbox_free_w,
};

struct checkbox *checkbox_new(const char *label, bool checked)
{
    struct checkbox *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->base.ops = &checkbox_ops;
    c->base.focusable = true;
    c->base.dirty = true;
    c->label = strdup(label ? label : "");
    if (!c->label) {
        free(c);
        return NULL;
    }
    c->base.name = c->label;
    c->checked = checked;
    return c;
}

struct widget *checkbox_widget(struct checkbox *c)
{
    return &c->base;
}

void checkbox_free(struct checkbox **p)
{
    if (!p || !*p)
        return;
    struct widget *w = checkbox_widget(*p);
    widget_free(&w);
    *p = NULL;
}

bool checkbox_checked(const struct checkbox *c)
{
    return c->checked;
}

void checkbox_set(struct checkbox *c, bool checked)
{
    c->checked = checked;
    c->base.dirty = true;
}

int checkbox_set_label(struct checkbox *c, const char *label)
{
    char *l = strdup(label ? label : "");
    if (!l)
        return -1;
    free(c->label);
    c->label = l;
    c->base.name = l;
    c->base.dirty = true;
    return 0;
}
