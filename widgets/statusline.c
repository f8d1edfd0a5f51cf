/* The status line; see statusline.h. */
#include "widgets/statusline.h"

#include "widgets/wrap.h"

#include <stdlib.h>
#include <string.h>

struct statusline {
    struct widget base;
    char *text;
    size_t len;
    enum role role;
};

enum { STATUS_MAX_ROWS = 8 };

/* Whether the text can be wrapped: a C string (no NUL inside), not empty. */
static bool wrappable(const struct statusline *s)
{
    return s->text && s->len && strlen(s->text) == s->len;
}

static void statusline_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct statusline *s = (struct statusline *)w;
    (void)focused;
    attr_t a = theme_attr(s->role);
    for (int y = 0; y < w->rect.h; y++)
        draw_fill(win, w->rect.y + y, w->rect.x, w->rect.w, a);
    if (w->rect.h > 1 && wrappable(s)) {
        struct wrap_line lines[STATUS_MAX_ROWS];
        size_t n = wrap_text(s->text, w->rect.w - 1, lines, STATUS_MAX_ROWS);
        if (n > STATUS_MAX_ROWS)
            n = STATUS_MAX_ROWS;
        int rows = (int)n < w->rect.h ? (int)n : w->rect.h;
        for (int i = 0; i < rows; i++) {
            /* The last row shows the rest, cut with an ellipsis when even that is too long. */
            size_t len = i == rows - 1 ? s->len - lines[i].start : lines[i].len;
            draw_text(win, w->rect.y + i, w->rect.x + 1, w->rect.w - 1, s->text + lines[i].start,
                      len, a);
        }
        return;
    }
    draw_text(win, w->rect.y, w->rect.x + 1, w->rect.w - 1, s->text ? s->text : "", s->len, a);
}

int statusline_rows(const struct statusline *s, int width, int max)
{
    if (!s || max <= 1 || width < 2 || !wrappable(s))
        return 1;
    struct wrap_line lines[STATUS_MAX_ROWS];
    size_t n = wrap_text(s->text, width - 1, lines, STATUS_MAX_ROWS);
    if (n < 1)
        n = 1;
    return (int)n < max ? (int)n : max;
}

static void statusline_free_w(struct widget *w)
{
    struct statusline *s = (struct statusline *)w;
    free(s->text);
    free(s);
}

static const struct widget_ops statusline_ops = {
    .kind = "statusline",
    .draw = statusline_draw,
    .key = NULL,
    .resize = NULL,
    .free = statusline_free_w,
};

struct statusline *statusline_new(void)
{
    struct statusline *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.ops = &statusline_ops;
    s->base.dirty = true;
    s->base.name = "status";
    s->role = ROLE_STATUS;
    return s;
}

struct widget *statusline_widget(struct statusline *s)
{
    return &s->base;
}

void statusline_free(struct statusline **p)
{
    if (!p || !*p)
        return;
    struct widget *w = statusline_widget(*p);
    widget_free(&w);
    *p = NULL;
}

void statusline_set_n(struct statusline *s, enum role role, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    if (len)
        memcpy(copy, text, len);
    copy[len] = 0;
    free(s->text);
    s->text = copy;
    s->len = len;
    s->role = role;
    s->base.dirty = true;
}

void statusline_set(struct statusline *s, enum role role, const char *text)
{
    statusline_set_n(s, role, text ? text : "", text ? strlen(text) : 0);
}

const char *statusline_text(const struct statusline *s)
{
    return s->text ? s->text : "";
}
