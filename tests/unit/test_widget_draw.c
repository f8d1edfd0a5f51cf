/* Widgets drawn into an off-screen curses window: each stays inside the rectangle it was given,
 * also when that rectangle is smaller than the widget would like. */
#include "widgets/dialog.h"
#include "widgets/keybar.h"
#include "widgets/list.h"
#include "widgets/sanitize.h"
#include "widgets/theme.h"
#include "widgets/widget.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static SCREEN *scr;
static FILE *out, *in;
static WINDOW *win;

static void up(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    sanitize_set_utf8(true);
    /* One stream serves as the terminal's input and output: curses reads nothing here. */
    out = fopen("/dev/null", "r+");
    in = out;
    cr_assert(out);
    scr = newterm("xterm", out, in);
    cr_assert_not_null(scr, "no terminfo entry for xterm");
    win = newwin(12, 40, 0, 0);
    cr_assert_not_null(win);
}

static void down(void)
{
    if (win)
        delwin(win);
    if (scr) {
        endwin();
        delscreen(scr);
    }
    if (out)
        fclose(out);
    out = in = NULL;
}

TestSuite(draw, .init = up, .fini = down);

/* Fills the window with '#' so every cell a widget writes shows. */
static void mark_all(void)
{
    for (int y = 0; y < 12; y++)
        mvwhline(win, y, 0, '#', 40);
}

static char cell(int y, int x)
{
    return (char)(mvwinch(win, y, x) & A_CHARTEXT);
}

static void expect_row_untouched(int y)
{
    for (int x = 0; x < 40; x++)
        cr_assert_eq(cell(y, x), '#', "row %d column %d was drawn on", y, x);
}

static struct list *list_with_rows(int n)
{
    static const struct list_column cols[] = {{"Name", 20}, {"Kind", 0}};
    struct list *l = list_new(cols, 2);
    cr_assert_not_null(l);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "row-%d.example", i);
        const char *cells[] = {name, "domain"};
        cr_assert_eq(list_append(l, 0, cells), 0);
    }
    return l;
}

/* A list with a header given one or two rows draws its count line there and nothing below. */
Test(draw, list_in_a_tiny_rectangle_stays_inside)
{
    for (int h = 1; h <= 3; h++) {
        struct list *l = list_with_rows(5);
        struct widget *w = list_widget(l);
        mark_all();
        widget_resize(w, (struct rect){4, 0, h, 40});
        widget_draw(w, win, true);
        for (int y = 0; y < 12; y++)
            if (y < 4 || y >= 4 + h)
                expect_row_untouched(y);
        /* The last row of the rectangle is the count line. */
        char line[41] = {0};
        for (int x = 0; x < 40; x++)
            line[x] = cell(4 + h - 1, x);
        cr_assert(strncmp(line, "1/5", 3) == 0, "h=%d: last row \"%s\"", h, line);
        list_free(&l);
    }
}

/* Keys still work in a list with no room for a single row, and drawing it stays inside. */
Test(draw, list_without_body_rows_moves_and_filters)
{
    struct list *l = list_with_rows(5);
    struct widget *w = list_widget(l);
    widget_resize(w, (struct rect){4, 0, 2, 40});
    widget_key(w, WK_DOWN);
    widget_key(w, WK_END);
    cr_assert_eq(list_selected(l), 4);
    widget_key(w, '3');
    cr_assert_eq(list_visible(l), 1);
    mark_all();
    widget_draw(w, win, true);
    for (int y = 0; y < 12; y++)
        if (y < 4 || y >= 6)
            expect_row_untouched(y);
    list_free(&l);
}

/* The code points of the cell at y, x (base and combining marks), 0-terminated. */
static void cell_wide(int y, int x, wchar_t wc[CCHARW_MAX + 1])
{
    cchar_t c;
    attr_t a;
    short pair;
    wmemset(wc, 0, CCHARW_MAX + 1);
    mvwin_wch(win, y, x, &c);
    getcchar(&c, wc, &a, &pair, NULL);
}

/* A text that starts with a combining mark has no base of its own: curses would put the mark on
 * the cell left of the text (a label, a border, another column). It gets a dotted circle as its
 * base inside the text's width instead. */
Test(draw, leading_combining_mark_stays_inside_the_text)
{
    static const char *const texts[] = {"\xcc\xb6xyz", "\xcc\xb6", "\xcc\x81\xcc\xb6xyzuvw"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (int width = 1; width <= 5; width++) {
            mark_all();
            mvwaddstr(win, 0, 0, "AB");
            int used = draw_str(win, 0, 2, width, texts[i], 0);
            cr_assert_leq(used, width);
            wchar_t wc[CCHARW_MAX + 1];
            cell_wide(0, 1, wc);
            cr_assert(wc[0] == L'B' && wc[1] == 0, "text %zu width %d: a mark went onto B", i,
                      width);
            cell_wide(0, 2, wc);
            cr_assert_eq(wc[0], L'\u25CC', "text %zu width %d: no dotted circle", i, width);
            for (int x = 2 + width; x < 40; x++)
                cr_assert_eq(cell(0, x), '#', "text %zu width %d: drawn at %d", i, width, x);
        }
    }
}

/* Whether text appears anywhere in the window (ASCII only). */
static bool window_has(const char *text)
{
    char row[41];
    for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 40; x++)
            row[x] = cell(y, x);
        row[40] = 0;
        if (strstr(row, text))
            return true;
    }
    return false;
}

/* A dialog whose text is longer than the screen shows that there is more and scrolls with
 * Up/Down/PgUp/PgDn/Home/End; the rest used to be cut off without a sign (a confirmation's last
 * lines, the help's last keys). */
Test(draw, long_dialog_text_scrolls)
{
    char text[1024];
    size_t len = 0;
    for (int i = 1; i <= 30; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%sline %02d", i > 1 ? "\n" : "", i);
    static const char *const buttons[] = {"OK"};
    struct dialog *d = dialog_new("Long", text, buttons, 1, 0);
    cr_assert_not_null(d);
    struct widget *w = dialog_widget(d);
    widget_resize(w, (struct rect){0, 0, 12, 40});
    mark_all();
    widget_draw(w, win, true);
    cr_assert(window_has("line 01"));
    cr_assert_not(window_has("line 30"));
    int flags = widget_key(w, WK_END);
    cr_assert(flags & WIDGET_REDRAW, "End did not scroll");
    mark_all();
    widget_draw(w, win, true);
    cr_assert(window_has("line 30"), "the last line cannot be reached");
    cr_assert_not(window_has("line 01"));
    widget_key(w, WK_HOME);
    for (int i = 0; i < 40; i++)
        widget_key(w, WK_DOWN);
    mark_all();
    widget_draw(w, win, true);
    cr_assert(window_has("line 30"), "Down does not reach the last line");
    widget_key(w, WK_PGUP);
    widget_key(w, WK_PGUP);
    widget_key(w, WK_PGUP);
    widget_key(w, WK_PGUP);
    mark_all();
    widget_draw(w, win, true);
    cr_assert(window_has("line 01"), "PgUp does not return to the top");
    /* Enter still answers. */
    cr_assert(widget_key(w, WK_ENTER) & WIDGET_CLOSE);
    cr_assert_eq(dialog_choice(d), 0);
    dialog_free(&d);
}

/* Buttons whose labels do not fit side by side (German ones, say) go on more rows inside the box;
 * they used to run past its right edge. Each label is whole on the screen, and the focus mark
 * (the cursor) stands on the focused one. */
Test(draw, long_button_labels_wrap_inside_the_box)
{
    static const char *const buttons[] = {"Weiter bearbeiten", "Neu laden", "Erneut anwenden"};
    struct dialog *d = dialog_new("Stale", "Someone else saved.", buttons, 3, 2);
    cr_assert_not_null(d);
    struct widget *w = dialog_widget(d);
    widget_resize(w, (struct rect){0, 0, 12, 40});
    mark_all();
    widget_draw(w, win, true);
    for (size_t i = 0; i < 3; i++)
        cr_assert(window_has(buttons[i]), "button \"%s\" is not whole on the screen", buttons[i]);
    int cy = w->cur_y, cx = w->cur_x;
    char label[16];
    for (int i = 0; i < 15; i++)
        label[i] = cell(cy, cx + i);
    label[15] = 0;
    cr_assert_str_eq(label, "Erneut anwenden", "the cursor is not on the focused button");
    dialog_free(&d);
}

/* A key bar too long for its row (German labels are longer) closes up to one blank between
 * entries, and when that is not enough drops entries from the end, but keeps the last one: the
 * way out (F10) was the one that fell off. */
Test(draw, a_long_key_bar_keeps_its_last_entry)
{
    static const struct key_binding fits_closer[] = {
        {WK_F1, 1, "Hilfe", NULL},
        {WK_F2, 2, "Sichern", NULL},
        {WK_F4, 3, "Verlauf", NULL},
        {WK_F10, 4, "Ende", NULL},
    }; /* 8 + 10 + 10 + 8 = 36 and three gaps: 42 with two blanks, 39 with one */
    static const struct key_binding too_long[] = {
        {WK_F1, 1, "Hilfe", NULL},
        {WK_F2, 2, "Speichern", NULL},
        {WK_F4, 3, "Verlauf", NULL},
        {WK_F5, 5, "Erneut", NULL},
        {WK_FN | KEY_F(6), 6, "Wiederherstellen", NULL},
        {WK_F10, 4, "Ende", NULL},
    };
    struct keybar *k = keybar_new(fits_closer, 3);
    cr_assert_not_null(k);
    struct widget *w = keybar_widget(k);
    widget_resize(w, (struct rect){0, 0, 1, 40});
    keybar_set_table(k, fits_closer, 4);
    mark_all();
    widget_draw(w, win, false);
    cr_assert(window_has("F1 Hilfe F2 Sichern F4 Verlauf F10 Ende"), "one blank between");
    keybar_set_table(k, too_long, 6);
    mark_all();
    widget_draw(w, win, false);
    cr_assert(window_has("F10 Ende"), "the last entry is kept");
    cr_assert(window_has("F1 Hilfe"));
    cr_assert_not(window_has("Wiederherstellen"), "an entry before the last made room");
    keybar_free(&k);
}
