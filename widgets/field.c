/* The text field and password field; see field.h. */
#include "widgets/field.h"

#include "widgets/sanitize.h"
#include "widgets/textbuf.h"
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
    struct widget base;
    struct textbuf *tb;
    char *label;
    int label_width, input_width;
    unsigned flags;
    int scroll; /* first visible column of the text */
    enum field_state state;
    char *message;
};

static int input_width(const struct field *f)
{
    int avail = f->base.rect.w - f->label_width;
    if (f->input_width > 0 && f->input_width < avail)
        return f->input_width;
    return avail > 1 ? avail : 1;
}

/* Display width of one code point as this field shows it. */
static int shown_width(const struct field *f, uint32_t cp)
{
    return (f->flags & FIELD_MASKED) ? 1 : sanitize_cp_width(cp);
}

static int width_of(const struct field *f, size_t from, size_t to)
{
    if (!(f->flags & FIELD_MASKED)) {
        return sanitize_width(textbuf_text(f->tb) + from, to - from);
    }
    int w = 0;
    uint32_t cp;
    const char *s = textbuf_text(f->tb);
    for (size_t i = from; i < to;)
        i += utf8_decode(s + i, to - i, &cp), w++;
    return w;
}

static void field_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct field *f = (struct field *)w;
    struct rect r = w->rect;
    if (f->label_width > 0)
        draw_str(win, r.y, r.x, f->label_width, f->label, theme_attr(ROLE_NORMAL));
    int x0 = r.x + f->label_width, iw = input_width(f);
    attr_t attr = theme_attr(focused ? ROLE_FIELD_FOCUS : ROLE_FIELD);
    const char *s = textbuf_text(f->tb);
    size_t len = textbuf_len(f->tb);
    int total = width_of(f, 0, len), cur = width_of(f, 0, textbuf_cursor(f->tb));
    f->scroll = textbuf_scroll(f->scroll, cur, total, iw);

    draw_fill(win, r.y, x0, iw, attr);
    draw_attr(win, attr);
    int col = 0; /* text column of the next character */
    uint32_t cp;
    wchar_t unit[SANITIZE_UNIT_MAX];
    const wchar_t *mask = sanitize_utf8() ? L"\u2022" : L"*";
    for (size_t i = 0; i < len;) {
        i += utf8_decode(s + i, len - i, &cp);
        int cw = shown_width(f, cp);
        if (f->flags & FIELD_MASKED)
            wcscpy(unit, mask);
        else
            sanitize_cp(cp, unit);
        if (col >= f->scroll && col + cw <= f->scroll + iw) {
            /* Escapes inverted, as draw_text does. */
            bool esc = !(f->flags & FIELD_MASKED) && sanitize_is_escaped(cp);
            draw_attr(win, esc ? attr ^ A_REVERSE : attr);
            if (cw > 0)
                mvwaddnwstr(win, r.y, x0 + col - f->scroll, unit, -1);
            else if (col > f->scroll)
                waddnwstr(win, unit, -1); /* combining mark joins the previous cell */
        }
        col += cw;
        if (col >= f->scroll + iw)
            break;
    }
    /* Scroll marks tell that text continues beyond the visible part. */
    if (f->scroll > 0)
        draw_str(win, r.y, x0, 1, "<", attr | A_BOLD);
    if (total > f->scroll + iw && cur - f->scroll < iw - 1)
        draw_str(win, r.y, x0 + iw - 1, 1, ">", attr | A_BOLD);

    /* The validation state: a mark always (it shows without colour), the message after it. */
    int mx = x0 + iw + 1, my = r.y, mw = r.x + r.w - mx;
    if (r.h >= 2) {
        mx = x0, my = r.y + 1, mw = r.w - f->label_width;
    }
    if (mw > 0) {
        enum role role = ROLE_NORMAL;
        const char *mark = "";
        switch (f->state) {
        case FIELD_OK:
            role = ROLE_OK, mark = draw_symbol(SYM_OK);
            break;
        case FIELD_WARNING:
            role = ROLE_WARNING, mark = draw_symbol(SYM_WARNING);
            break;
        case FIELD_ERROR:
            role = ROLE_ERROR, mark = draw_symbol(SYM_ERROR);
            break;
        case FIELD_NEUTRAL:
            break;
        }
        char line[512];
        snprintf(line, sizeof line, "%s%s%s", mark, mark[0] && f->message ? " " : "",
                 f->message ? f->message : "");
        draw_str(win, my, mx, mw, line, theme_attr(role));
    }
    if (focused) {
        w->cur_y = r.y;
        w->cur_x = x0 + cur - f->scroll;
    }
}

static int field_key(struct widget *w, int key)
{
    struct field *f = (struct field *)w;
    bool changed = false, moved = false;
    switch (key) {
    case WK_LEFT:
        moved = textbuf_left(f->tb);
        break;
    case WK_RIGHT:
        moved = textbuf_right(f->tb);
        break;
    case WK_HOME:
        moved = textbuf_home(f->tb);
        break;
    case WK_END:
        moved = textbuf_end(f->tb);
        break;
    case WK_BACKSPACE:
        changed = textbuf_backspace(f->tb);
        break;
    case WK_DELETE:
        changed = textbuf_delete(f->tb);
        break;
    case WK_CTRL_U:
        changed = textbuf_kill_before(f->tb);
        break;
    case WK_ENTER:
        return WIDGET_HANDLED | WIDGET_ACTIVATE | WIDGET_FOCUS_NEXT;
    default:
        if (!widget_key_is_text(key))
            return WIDGET_IGNORED;
        changed = textbuf_insert(f->tb, (uint32_t)key);
        if (!changed)
            return WIDGET_HANDLED; /* full: swallow, do not let the form act on a letter */
        break;
    }
    if (!changed && !moved)
        return (key == WK_LEFT || key == WK_RIGHT || key == WK_HOME || key == WK_END ||
                key == WK_BACKSPACE || key == WK_DELETE || key == WK_CTRL_U)
                   ? WIDGET_HANDLED
                   : WIDGET_IGNORED;
    return WIDGET_HANDLED | WIDGET_REDRAW | (changed ? WIDGET_CHANGED : 0);
}

static void field_free_w(struct widget *w)
{
    struct field *f = (struct field *)w;
    textbuf_free(&f->tb);
    free(f->label);
    free(f->message);
    free(f);
}

static const struct widget_ops field_ops = {
    .kind = "field",
    .draw = field_draw,
    .key = field_key,
    .resize = NULL,
    .free = field_free_w,
};

struct field *field_new(const char *label, int label_width, int input_width, size_t max_bytes,
                        unsigned flags)
{
    struct field *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->base.ops = &field_ops;
    f->base.focusable = true;
    f->base.dirty = true;
    f->tb = textbuf_new(max_bytes ? max_bytes : 1024);
    f->label = strdup(label ? label : "");
    if (!f->tb || !f->label) {
        field_free_w(&f->base);
        return NULL;
    }
    f->label_width = label_width < 0 ? 0 : label_width;
    f->input_width = input_width;
    f->flags = flags;
    textbuf_set_secret(f->tb, (flags & FIELD_MASKED) != 0);
    f->base.name = f->label;
    return f;
}

struct widget *field_widget(struct field *f)
{
    return &f->base;
}

void field_free(struct field **p)
{
    if (!p || !*p)
        return;
    struct widget *w = field_widget(*p);
    widget_free(&w);
    *p = NULL;
}

void field_set_text_n(struct field *f, const char *s, size_t len)
{
    textbuf_set(f->tb, s ? s : "", s ? len : 0);
    f->scroll = 0;
    f->base.dirty = true;
}

void field_set_text(struct field *f, const char *s)
{
    field_set_text_n(f, s, s ? strlen(s) : 0);
}

const char *field_text(const struct field *f)
{
    return textbuf_text(f->tb);
}

size_t field_len(const struct field *f)
{
    return textbuf_len(f->tb);
}

int field_set_label(struct field *f, const char *label)
{
    char *l = strdup(label ? label : "");
    if (!l)
        return -1;
    free(f->label);
    f->label = l;
    f->base.name = l;
    f->base.dirty = true;
    return 0;
}

void field_set_state(struct field *f, enum field_state state, const char *message)
{
    free(f->message);
    f->message = message ? strdup(message) : NULL;
    f->state = state;
    f->base.dirty = true;
}

enum field_state field_state(const struct field *f)
{
    return f->state;
}
