/* The spinner; see spinner.h. */
#include "widgets/spinner.h"

#include "widgets/sanitize.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct spinner {
    struct widget base;
    char *label;
    bool active;
    unsigned frame;
};

static void spinner_draw(struct widget *w, WINDOW *win, bool focused)
{
    static const char *const uni[] = {"\u280B", "\u2819", "\u2839", "\u2838", "\u283C",
                                      "\u2834", "\u2826", "\u2827", "\u2807", "\u280F"};
    static const char *const ascii[] = {"|", "/", "-", "\\"};
    struct spinner *s = (struct spinner *)w;
    (void)focused;
    draw_fill(win, w->rect.y, w->rect.x, w->rect.w, theme_attr(ROLE_NORMAL));
    if (!s->active)
        return;
    const char *mark = sanitize_utf8() ? uni[s->frame % 10] : ascii[s->frame % 4];
    char text[256];
    snprintf(text, sizeof text, "%s %s", mark, s->label);
    draw_str(win, w->rect.y, w->rect.x, w->rect.w, text, theme_attr(ROLE_WARNING));
}

static void spinner_free_w(struct widget *w)
{
    struct spinner *s = (struct spinner *)w;
    free(s->label);
    free(s);
}

static const struct widget_ops spinner_ops = {
    .kind = "spinner",
    .draw = spinner_draw,
    .key = NULL,
    .resize = NULL,
    .free = spinner_free_w,
};

struct spinner *spinner_new(const char *label)
{
    struct spinner *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.ops = &spinner_ops;
    s->base.dirty = true;
    s->base.name = "spinner";
    s->label = strdup(label ? label : "");
    if (!s->label) {
        free(s);
        return NULL;
    }
    return s;
}

struct widget *spinner_widget(struct spinner *s)
{
    return &s->base;
}

void spinner_free(struct spinner **p)
{
    if (!p || !*p)
        return;
    struct widget *w = spinner_widget(*p);
    widget_free(&w);
    *p = NULL;
}

void spinner_set_active(struct spinner *s, bool active)
{
    s->active = active;
    s->base.dirty = true;
}

void spinner_tick(struct spinner *s)
{
    if (!s->active)
        return;
    s->frame++;
    s->base.dirty = true;
}
