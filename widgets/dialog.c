/* The modal dialog; see dialog.h. */
#include "widgets/dialog.h"

#include "widgets/button.h"
#include "widgets/sanitize.h"
#include "widgets/theme.h"
#include "widgets/wrap.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { DIALOG_MAX_LINES = 512, DIALOG_MAX_BUTTONS = 8 };

struct dialog {
    struct widget base;
    char *title, *text;
    char *buttons[DIALOG_MAX_BUTTONS];
    size_t n, focus;
    int choice;
    int scroll;           /* first text line shown */
    int max_scroll, page; /* from the last draw: text that does not fit scrolls */
};

/* The box's width on a screen w columns wide (before it widens for long buttons). */
static int box_width(int w)
{
    int bw = w - 8 < 70 ? w - 8 : 70;
    return bw < 20 ? w : bw;
}

int dialog_text_width(int cols)
{
    return box_width(cols) - 4;
}

/* The end of the row of buttons that starts at first: as many as fit in inner columns with two
 * blanks between them, at least one. Their width goes to *width. */
static size_t button_row_end(const struct dialog *d, size_t first, int inner, int *width)
{
    size_t last = first;
    *width = 0;
    while (last < d->n) {
        int bwid = sanitize_width(d->buttons[last], strlen(d->buttons[last])) + 4;
        if (last > first && *width + 2 + bwid > inner)
            break;
        *width += (last > first ? 2 : 0) + bwid;
        last++;
    }
    return last;
}

static void dialog_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct dialog *d = (struct dialog *)w;
    struct rect r = w->rect;
    (void)focused;
    int bw = box_width(r.w);
    /* The buttons: the box widens for them up to the screen, and what still does not fit goes
     * on further rows (long labels in another language must never run off the box). */
    int total;
    button_row_end(d, 0, INT_MAX, &total); /* all on one row */
    if (total + 4 > bw)
        bw = total + 4 < r.w ? total + 4 : r.w;
    int button_rows = 0, row_w;
    for (size_t i = 0; i < d->n; i = button_row_end(d, i, bw - 4, &row_w))
        button_rows++;
    struct wrap_line lines[DIALOG_MAX_LINES];
    size_t nl = wrap_text(d->text, bw - 4, lines, DIALOG_MAX_LINES);
    if (nl > DIALOG_MAX_LINES)
        nl = DIALOG_MAX_LINES;
    int bh = (int)nl + 4 + (d->n ? 1 + button_rows : 0);
    if (bh > r.h)
        bh = r.h;
    struct rect box = {r.y + (r.h - bh) / 2, r.x + (r.w - bw) / 2, bh, bw};
    attr_t a = theme_attr(ROLE_DIALOG);
    draw_clear_beside(win, box, r, theme_attr(ROLE_NORMAL));
    draw_box(win, box, a, d->title, true);
    int text_rows = bh - 4 - (d->n ? 1 + button_rows : 0);
    d->page = text_rows > 1 ? text_rows : 1;
    d->max_scroll = text_rows > 0 && (int)nl > text_rows ? (int)nl - text_rows : 0;
    if (d->scroll > d->max_scroll)
        d->scroll = d->max_scroll;
    for (int i = 0; i < text_rows && (size_t)d->scroll + (size_t)i < nl; i++) {
        const struct wrap_line *l = &lines[d->scroll + i];
        draw_text(win, box.y + 2 + i, box.x + 2, bw - 4, d->text + l->start, l->len, a);
    }
    /* Text beyond the box: marks on the frame say where more is (Up/Down scroll). */
    if (d->scroll > 0 && bw >= 4)
        draw_str(win, box.y + 1, box.x + bw - 2, 1, draw_symbol(SYM_UP), a);
    if (d->scroll < d->max_scroll && bw >= 4 && text_rows > 0)
        draw_str(win, box.y + 2 + text_rows - 1, box.x + bw - 2, 1, draw_symbol(SYM_DOWN), a);
    if (!d->n)
        return;
    /* Row by row, each centred; the rows end at the box's last inner line. */
    size_t first = 0;
    for (int row = 0; row < button_rows; row++) {
        int width;
        size_t last = button_row_end(d, first, bw - 4, &width);
        int x = box.x + (bw - width) / 2, y = box.y + bh - 1 - button_rows + row;
        for (size_t i = first; i < last; i++) {
            if (i == d->focus)
                w->cur_y = y, w->cur_x = x + 2;
            x += button_draw_face(win, y, x, d->buttons[i], i == d->focus) + 2;
        }
        first = last;
    }
}

static int dialog_key(struct widget *w, int key)
{
    struct dialog *d = (struct dialog *)w;
    switch (key) {
    case WK_ESC:
        d->choice = -1;
        return WIDGET_HANDLED | WIDGET_CLOSE;
    case WK_ENTER:
        d->choice = d->n ? (int)d->focus : -1;
        return WIDGET_HANDLED | WIDGET_ACTIVATE | WIDGET_CLOSE;
    case WK_LEFT:
    case WK_BACKTAB:
        if (d->n)
            d->focus = (d->focus + d->n - 1) % d->n;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_RIGHT:
    case WK_TAB:
        if (d->n)
            d->focus = (d->focus + 1) % d->n;
        return WIDGET_HANDLED | WIDGET_REDRAW;
    case WK_UP:
    case WK_DOWN:
    case WK_PGUP:
    case WK_PGDN:
    case WK_HOME:
    case WK_END: {
        int old = d->scroll;
        if (key == WK_UP || key == WK_DOWN)
            d->scroll += key == WK_UP ? -1 : 1;
        else if (key == WK_PGUP || key == WK_PGDN)
            d->scroll += key == WK_PGUP ? -d->page : d->page;
        else
            d->scroll = key == WK_HOME ? 0 : d->max_scroll;
        if (d->scroll > d->max_scroll)
            d->scroll = d->max_scroll;
        if (d->scroll < 0)
            d->scroll = 0;
        return d->scroll == old ? WIDGET_HANDLED : WIDGET_HANDLED | WIDGET_REDRAW;
    }
    default:
        return WIDGET_HANDLED; /* modal: nothing else gets through */
    }
}

static void dialog_free_w(struct widget *w)
{
    struct dialog *d = (struct dialog *)w;
    for (size_t i = 0; i < DIALOG_MAX_BUTTONS; i++)
        free(d->buttons[i]);
    free(d->title);
    free(d->text);
    free(d);
}

static const struct widget_ops dialog_ops = {
    .kind = "dialog",
    .draw = dialog_draw,
    .key = dialog_key,
    .resize = NULL,
    .free = dialog_free_w,
};

struct dialog *dialog_new(const char *title, const char *text, const char *const *buttons, size_t n,
                          size_t focus)
{
    struct dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.ops = &dialog_ops;
    d->base.focusable = true;
    d->base.dirty = true;
    d->base.name = "dialog";
    d->choice = -1;
    d->title = strdup(title ? title : "");
    d->text = strdup(text ? text : "");
    if (!d->title || !d->text)
        goto fail;
    if (n > DIALOG_MAX_BUTTONS)
        n = DIALOG_MAX_BUTTONS;
    for (size_t i = 0; i < n; i++) {
        d->buttons[i] = strdup(buttons[i] ? buttons[i] : "");
        if (!d->buttons[i])
            goto fail;
    }
    d->n = n;
    d->focus = focus < n ? focus : 0;
    return d;
fail:
    dialog_free_w(&d->base);
    return NULL;
}

struct widget *dialog_widget(struct dialog *d)
{
    return &d->base;
}

void dialog_free(struct dialog **p)
{
    if (!p || !*p)
        return;
    struct widget *w = dialog_widget(*p);
    widget_free(&w);
    *p = NULL;
}

int dialog_choice(const struct dialog *d)
{
    return d->choice;
}
