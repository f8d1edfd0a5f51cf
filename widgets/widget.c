/* The shared widget calls and the drawing helpers every kind uses. */
#include "widgets/widget.h"

#include "widgets/sanitize.h"

#include <stdio.h>
#include <string.h>

void widget_draw(struct widget *w, WINDOW *win, bool focused)
{
    w->dirty = false;
    w->cur_y = w->cur_x = -1;
    if (w->hidden || w->rect.w <= 0 || w->rect.h <= 0)
        return;
    w->ops->draw(w, win, focused);
}

bool widget_holds_esc(const struct widget *w)
{
    return w && !w->hidden && w->ops->holds_esc && w->ops->holds_esc(w);
}

int widget_key(struct widget *w, int key)
{
    if (!w->ops->key || w->hidden)
        return WIDGET_IGNORED;
    int flags = w->ops->key(w, key);
    if (flags & WIDGET_REDRAW)
        w->dirty = true;
    return flags;
}

void widget_resize(struct widget *w, struct rect r)
{
    w->rect = r;
    if (w->ops->resize)
        w->ops->resize(w, r);
    w->dirty = true;
}

void widget_free(struct widget **w)
{
    if (!w || !*w)
        return;
    (*w)->ops->free(*w);
    *w = NULL;
}

void draw_attr(WINDOW *win, attr_t attr)
{
    wattr_set(win, attr, (short)PAIR_NUMBER(attr), NULL);
}

void draw_fill(WINDOW *win, int y, int x, int width, attr_t attr)
{
    if (width <= 0)
        return;
    draw_attr(win, attr);
    mvwhline(win, y, x, ' ', width);
}

void draw_clear_beside(WINDOW *win, struct rect box, struct rect within, attr_t attr)
{
    for (int y = box.y; y < box.y + box.h; y++) {
        if (box.x > within.x)
            draw_fill(win, y, box.x - 1, 1, attr);
        if (box.x + box.w < within.x + within.w)
            draw_fill(win, y, box.x + box.w, 1, attr);
    }
}

int draw_text(WINDOW *win, int y, int x, int width, const char *s, size_t len, attr_t attr)
{
    if (width <= 0)
        return 0;
    int used = 0;
    uint32_t cp;
    wchar_t unit[SANITIZE_UNIT_MAX];
    wmove(win, y, x);
    /* A combining mark at the start has no base in this text: curses would put it on the cell
     * left of x, outside the text. A dotted circle (the usual stand-in base) takes one column. */
    if (len > 0) {
        utf8_decode(s, len, &cp);
        if (!sanitize_is_escaped(cp) && sanitize_cp_width(cp) == 0) {
            draw_attr(win, attr ^ A_REVERSE);
            waddnwstr(win, L"\u25CC", -1);
            used = 1;
        }
    }
    bool ellipsis;
    size_t fit = sanitize_fit(s, len, width - used, &ellipsis);
    for (size_t i = 0; i < fit;) {
        i += utf8_decode(s + i, fit - i, &cp);
        int w = sanitize_cp(cp, unit);
        /* An escape the sanitiser made is drawn inverted, so it cannot be mistaken for the same
         * characters typed literally (a host name containing a backslash). */
        draw_attr(win, sanitize_is_escaped(cp) ? attr ^ A_REVERSE : attr);
        waddnwstr(win, unit, -1);
        used += w;
    }
    draw_attr(win, attr);
    if (ellipsis) {
        waddnwstr(win, sanitize_utf8() ? L"\u2026" : L"~", -1);
        used++;
    }
    if (used < width)
        mvwhline(win, y, x + used, ' ', width - used);
    return used;
}

int draw_str(WINDOW *win, int y, int x, int width, const char *s, attr_t attr)
{
    return draw_text(win, y, x, width, s, s ? strlen(s) : 0, attr);
}

/* A line-drawing character carrying attr: whline_set and friends do not take the window's
 * current attributes, so the rendition goes into the character itself. */
static cchar_t wline(const cchar_t *acs, attr_t attr)
{
    wchar_t wch[CCHARW_MAX + 1] = {0};
    attr_t a = 0;
    short pair = 0;
    cchar_t out;
    getcchar(acs, wch, &a, &pair, NULL);
    setcchar(&out, wch, (a | attr) & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    return out;
}

void draw_hline(WINDOW *win, int y, int x, int width, attr_t attr)
{
    if (width <= 0)
        return;
    draw_attr(win, attr);
    if (sanitize_utf8()) {
        cchar_t h = wline(WACS_HLINE, attr);
        mvwhline_set(win, y, x, &h, width);
    } else {
        mvwhline(win, y, x, ACS_HLINE | attr, width);
    }
}

void draw_box(WINDOW *win, struct rect r, attr_t attr, const char *title, bool fill)
{
    if (r.w < 2 || r.h < 2)
        return;
    if (fill)
        for (int i = 1; i < r.h - 1; i++)
            draw_fill(win, r.y + i, r.x + 1, r.w - 2, attr);
    draw_attr(win, attr);
    int bottom = r.y + r.h - 1, right = r.x + r.w - 1;
    if (sanitize_utf8()) {
        cchar_t h = wline(WACS_HLINE, attr), v = wline(WACS_VLINE, attr);
        cchar_t ul = wline(WACS_ULCORNER, attr), ur = wline(WACS_URCORNER, attr);
        cchar_t ll = wline(WACS_LLCORNER, attr), lr = wline(WACS_LRCORNER, attr);
        mvwhline_set(win, r.y, r.x + 1, &h, r.w - 2);
        mvwhline_set(win, bottom, r.x + 1, &h, r.w - 2);
        mvwvline_set(win, r.y + 1, r.x, &v, r.h - 2);
        mvwvline_set(win, r.y + 1, right, &v, r.h - 2);
        mvwadd_wch(win, r.y, r.x, &ul);
        mvwadd_wch(win, r.y, right, &ur);
        mvwadd_wch(win, bottom, r.x, &ll);
        if (bottom == getmaxy(win) - 1 && right == getmaxx(win) - 1)
            mvwins_wch(win, bottom, right, &lr);
        else
            mvwadd_wch(win, bottom, right, &lr);
    } else {
        mvwhline(win, r.y, r.x + 1, ACS_HLINE | attr, r.w - 2);
        mvwhline(win, bottom, r.x + 1, ACS_HLINE | attr, r.w - 2);
        mvwvline(win, r.y + 1, r.x, ACS_VLINE | attr, r.h - 2);
        mvwvline(win, r.y + 1, right, ACS_VLINE | attr, r.h - 2);
        mvwaddch(win, r.y, r.x, ACS_ULCORNER);
        mvwaddch(win, r.y, right, ACS_URCORNER);
        mvwaddch(win, bottom, r.x, ACS_LLCORNER);
        /* The bottom-right cell of the screen scrolls with addch: use insch there. */
        if (bottom == getmaxy(win) - 1 && right == getmaxx(win) - 1)
            mvwinsch(win, bottom, right, ACS_LRCORNER);
        else
            mvwaddch(win, bottom, right, ACS_LRCORNER);
    }
    if (title && title[0] && r.w > 6) {
        char t[256];
        snprintf(t, sizeof t, " %s ", title);
        draw_attr(win, attr | A_BOLD);
        int tw = r.w - 4;
        wchar_t buf[256];
        sanitize_wide(t, strlen(t), tw, buf, sizeof buf / sizeof buf[0]);
        mvwaddnwstr(win, r.y, r.x + 2, buf, -1);
    }
}

const char *draw_symbol(enum draw_symbol s)
{
    static const char *const uni[SYM_COUNT] = {"\u2717", "\u2713", "!",      "\u25BC", "\u2022",
                                               "\u2026", "\u25B2", "\u25B8", "\u2192"};
    /* An error's mark differs from a warning's here too ('x' as the ASCII form of ✗). */
    static const char *const ascii[SYM_COUNT] = {"x", "+", "!", "v", "*", "~", "^", ">", "->"};
    if ((int)s < 0 || s >= SYM_COUNT)
        return "?";
    return sanitize_utf8() ? uni[s] : ascii[s];
}
