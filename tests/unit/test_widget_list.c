/* The parts of the widgets that need no terminal: list rows, filter and scrolling; wrapping;
 * key tables. */
#include "widgets/keys.h"
#include "widgets/listmodel.h"
#include "widgets/sanitize.h"
#include "widgets/widget.h"
#include "widgets/wrap.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static struct listmodel *fill(size_t n)
{
    struct listmodel *m = listmodel_new(2);
    cr_assert_not_null(m);
    char name[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%skunde-%06zu.de", i % 4 ? "shop." : "", i / 4);
        const char *cells[] = {name, i % 4 ? "subdomain" : "domain"};
        cr_assert_eq(listmodel_append(m, i % 4 ? 1 : 0, cells), 0);
    }
    return m;
}

Test(listmodel, filter_is_case_insensitive_on_any_cell)
{
    struct listmodel *m = fill(100000);
    cr_assert_eq(listmodel_count(m), 100000);
    cr_assert_eq(listmodel_visible(m), 100000);
    cr_assert_eq(listmodel_set_filter(m, "KUNDE-004242"), 0);
    cr_assert_eq(listmodel_visible(m), 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert(strstr(listmodel_cell(m, listmodel_row(m, i), 0), "kunde-004242"));
    cr_assert_eq(listmodel_indent(m, listmodel_row(m, 1)), 1);
    listmodel_set_filter(m, "DOMAIN");
    cr_assert_eq(listmodel_visible(m), 100000, "subdomain contains domain");
    listmodel_set_filter(m, "subdomain");
    cr_assert_eq(listmodel_visible(m), 75000);
    listmodel_set_filter(m, "");
    cr_assert_eq(listmodel_visible(m), 100000);
    listmodel_free(&m);
    cr_assert_null(m);
}

Test(listmodel, narrowing_and_widening_give_the_same_rows_as_a_fresh_filter)
{
    struct listmodel *m = fill(2000);
    listmodel_set_filter(m, "kunde-0001");
    size_t wide = listmodel_visible(m);
    listmodel_set_filter(m, "kunde-00012"); /* narrowing: only visible rows rescanned */
    size_t narrow = listmodel_visible(m);
    cr_assert_eq(narrow, 40);
    listmodel_set_filter(m, "kunde-0001"); /* widening: full rescan */
    cr_assert_eq(listmodel_visible(m), wide);
    cr_assert_eq(wide, 400);
    listmodel_free(&m);
}

Test(listmodel, selection_stays_on_its_row_through_a_filter)
{
    struct listmodel *m = fill(100);
    listmodel_select(m, 41, 10); /* shop.kunde-000010.de */
    size_t row = listmodel_row(m, listmodel_selected(m));
    listmodel_set_filter(m, "kunde-000010");
    cr_assert_eq(listmodel_row(m, listmodel_selected(m)), row);
    listmodel_set_filter(m, "kunde-000020");
    cr_assert_eq(listmodel_selected(m), 0, "gone: back to the first row");
    listmodel_set_filter(m, "no such row");
    cr_assert_eq(listmodel_visible(m), 0);
    cr_assert_not(listmodel_move(m, 1, 10));
    listmodel_free(&m);
}

Test(listmodel, moving_clamps_and_scrolls)
{
    struct listmodel *m = fill(100);
    cr_assert(listmodel_move(m, 1, 10));
    cr_assert_eq(listmodel_selected(m), 1);
    cr_assert_eq(listmodel_top(m), 0);
    listmodel_move(m, 9, 10);
    cr_assert_eq(listmodel_selected(m), 10);
    cr_assert_eq(listmodel_top(m), 1, "one row scrolled");
    listmodel_move(m, -1000, 10);
    cr_assert_eq(listmodel_selected(m), 0);
    cr_assert_eq(listmodel_top(m), 0);
    listmodel_move(m, 1000, 10);
    cr_assert_eq(listmodel_selected(m), 99);
    cr_assert_eq(listmodel_top(m), 90);
    cr_assert_not(listmodel_move(m, 1, 10), "already at the end");
    listmodel_free(&m);
}

Test(listmodel, scroll_arithmetic)
{
    cr_assert_eq(listmodel_scroll(0, 5, 100, 10), 0);
    cr_assert_eq(listmodel_scroll(0, 10, 100, 10), 1);
    cr_assert_eq(listmodel_scroll(50, 20, 100, 10), 20);
    cr_assert_eq(listmodel_scroll(95, 99, 100, 10), 90, "no empty space after the last row");
    cr_assert_eq(listmodel_scroll(30, 3, 5, 10), 0, "short lists start at the top");
    cr_assert_eq(listmodel_scroll(7, 7, 0, 10), 0);
    cr_assert_eq(listmodel_scroll(7, 7, 100, 0), 0);
}

Test(listmodel, match)
{
    cr_assert(listmodel_match("Mail.Example.DE", "example.de"));
    cr_assert(listmodel_match("anything", ""));
    cr_assert_not(listmodel_match("exampl", "example"));
    cr_assert(listmodel_match("aab", "ab"));
}

Test(wrap, breaks_at_spaces_by_display_width)
{
    setlocale(LC_ALL, "C.UTF-8");
    sanitize_set_utf8(true);
    struct wrap_line l[8];
    const char *s = "Größe über alles und mehr";
    size_t n = wrap_text(s, 10, l, 8);
    cr_assert_eq(n, 3);
    cr_assert_eq(l[0].len, strlen("Größe über"), "ten columns fit exactly");
    cr_assert_eq(l[1].len, strlen("alles und"));
    cr_assert(strncmp(s + l[1].start, "alles und", l[1].len) == 0);
    cr_assert(strncmp(s + l[2].start, "mehr", l[2].len) == 0);
    n = wrap_text(s, 9, l, 8);
    cr_assert_eq(n, 4);
    cr_assert_eq(l[0].len, strlen("Größe"));
    /* A word longer than the width is cut; "\n" forces a break. */
    n = wrap_text("abcdefghijkl\nx", 5, l, 8);
    cr_assert_eq(n, 4);
    cr_assert_eq(l[0].len, 5);
    cr_assert_eq(l[2].len, 2);
    cr_assert_eq(l[3].len, 1);
    cr_assert_eq(wrap_text("", 5, l, 8), 1);
}

enum { A_HELP = 1, A_QUIT, A_HIDDEN };
static const struct key_binding table[] = {
    {WK_F1, A_HELP, "Help", "show help"},
    {WK_F10, A_QUIT, "Quit", "leave"},
    {'/', A_HIDDEN, NULL, "filter"},
};

Test(keys, lookup_names_and_help_come_from_one_table)
{
    cr_assert_eq(keys_action(table, 3, WK_F10), A_QUIT);
    cr_assert_eq(keys_action(table, 3, '/'), A_HIDDEN);
    cr_assert_eq(keys_action(table, 3, 'x'), -1);
    char b[32];
    cr_assert_str_eq(keys_name(WK_F1, b, sizeof b), "F1");
    cr_assert_str_eq(keys_name(WK_F10, b, sizeof b), "F10");
    cr_assert_str_eq(keys_name(WK_TAB, b, sizeof b), "Tab");
    cr_assert_str_eq(keys_name(WK_BACKTAB, b, sizeof b), "S-Tab");
    cr_assert_str_eq(keys_name(WK_CTRL_U, b, sizeof b), "^U");
    cr_assert_str_eq(keys_name('/', b, sizeof b), "/");
    char help[256];
    keys_help_text(table, 3, help, sizeof help);
    cr_assert_str_eq(help, "F1      show help\nF10     leave\n/       filter");
    keys_help_text(table, 3, help, 8);
    cr_assert_eq(strlen(help), 7, "cut to the buffer");
}

/* Wrapped for a dialog, a long description goes on under its own column, not under the keys. */
Test(keys, help_text_wrapped_keeps_descriptions_in_their_column)
{
    static const struct key_binding long_table[] = {
        {WK_F1, 1, "Help", "show help"},
        {WK_F10, 2, "Quit", "restore the selected version (asks first; writes a new version)"},
    };
    char help[512];
    keys_help_text_wrapped(long_table, 2, 40, help, sizeof help);
    cr_assert_str_eq(help, "F1      show help\n"
                           "F10     restore the selected version\n"
                           "        (asks first; writes a new\n"
                           "        version)");
    for (char *line = strtok(help, "\n"); line; line = strtok(NULL, "\n"))
        cr_assert_leq(strlen(line), 40, "\"%s\"", line);
}

/* The application names keys in its users' words; NULL gives the built-in name back. */
Test(keys, the_application_can_rename_a_key)
{
    char b[32];
    cr_assert_str_eq(keys_name(WK_DELETE, b, sizeof b), "Del");
    cr_assert_eq(keys_set_name(WK_DELETE, "Entf"), 0);
    cr_assert_str_eq(keys_name(WK_DELETE, b, sizeof b), "Entf");
    cr_assert_str_eq(keys_name(WK_INSERT, b, sizeof b), "Ins", "only the key renamed");
    cr_assert_eq(keys_set_name(WK_DELETE, "Supr"), 0);
    cr_assert_str_eq(keys_name(WK_DELETE, b, sizeof b), "Supr", "renamed again, not twice");
    cr_assert_eq(keys_set_name(WK_DELETE, NULL), 0);
    cr_assert_str_eq(keys_name(WK_DELETE, b, sizeof b), "Del");
}

Test(keys, text_keys)
{
    cr_assert(widget_key_is_text('a'));
    cr_assert(widget_key_is_text(0xFC));
    cr_assert_not(widget_key_is_text(WK_ESC));
    cr_assert_not(widget_key_is_text(WK_UP));
    cr_assert_not(widget_key_is_text(0x9B));
}
