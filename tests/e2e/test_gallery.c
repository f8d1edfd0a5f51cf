/* The widgets as a person sees them: the gallery in a pseudo-terminal, through the harness. */
#include "tests/harness/harness.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

enum { WAIT_MS = 10000 }; /* generous: only a failing test waits this long */

/* Gallery layout facts the tests rely on (tests/gallery/gallery.c). */
enum { HOST_ROW = 2, INPUT_X = 14, INPUT_W = 30 };

static const char *gallery_path(void)
{
    static char path[1024];
    const char *dir = getenv("MXTUI_BINDIR");
    snprintf(path, sizeof path, "%s/mxtui-gallery", dir && dir[0] ? dir : "bin");
    return path;
}

/* Starts the gallery on a page at a size with optional extra arguments and environment, and
 * waits until `ready` shows. */
static struct term *start(const char *page, int rows, int cols, const char *extra,
                          const char *const *env, const char *locale, const char *ready)
{
    const char *argv[] = {gallery_path(), "--page", page, extra, NULL};
    struct term_opts o = {.argv = argv, .rows = rows, .cols = cols, .env = env, .locale = locale};
    struct term *t = term_start(&o);
    cr_assert_not_null(t, "cannot start %s", gallery_path());
    if (!term_wait_text(t, ready, WAIT_MS)) {
        char *s = term_screen_text(t);
        cr_log_error("screen:\n%s", s ? s : "");
        free(s);
        cr_assert_fail("\"%s\" did not appear", ready);
    }
    term_wait_idle(t, 30, WAIT_MS); /* the rest of the first frame */
    return t;
}

static void expect(struct term *t, const char *text)
{
    if (!term_wait_text(t, text, WAIT_MS)) {
        char *s = term_screen_text(t);
        cr_log_error("screen:\n%s", s ? s : "");
        free(s);
        cr_assert_fail("\"%s\" did not appear", text);
    }
}

static void row_text(struct term *t, int row, char *buf, size_t size)
{
    term_row_text(t, row, buf, size);
}

static void quit(struct term **t)
{
    int status = -1;
    cr_assert_eq(term_send_key(*t, "F10"), 0);
    cr_assert(term_wait_exit(*t, WAIT_MS, &status), "the gallery did not exit on F10");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
    term_free(t);
}

Test(gallery, typing_umlauts_puts_cursor_after_the_last_letter)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "Host name");
    term_send_key(t, "C-u"); /* the field starts with text and the cursor at its end */
    cr_assert(term_wait_gone(t, "mail.example.de", WAIT_MS));
    term_send_text(t, "müller");
    expect(t, "müller");
    term_wait_idle(t, 50, WAIT_MS);
    char row[512];
    row_text(t, HOST_ROW, row, sizeof row);
    cr_assert(strstr(row, "Host name   müller"), "row: %s", row);
    struct term_cell c;
    cr_assert(term_cell(t, HOST_ROW, INPUT_X + 1, &c));
    cr_assert_str_eq(c.text, "ü");
    int cr, cc;
    bool visible;
    term_cursor(t, &cr, &cc, &visible);
    cr_assert_eq(cr, HOST_ROW);
    cr_assert_eq(cc, INPUT_X + 6, "cursor at column %d, want %d (after the r)", cc, INPUT_X + 6);
    cr_assert(visible);
    /* Left twice and Backspace removes the 'l' before the cursor: "müler". */
    term_send_key(t, "Left");
    term_send_key(t, "Left");
    term_send_key(t, "Backspace");
    expect(t, "müler");
    term_wait_idle(t, 50, WAIT_MS);
    term_cursor(t, &cr, &cc, &visible);
    cr_assert_eq(cc, INPUT_X + 3);
    quit(&t);
}

Test(gallery, long_text_scrolls_inside_its_field)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "Host name");
    term_send_key(t, "C-u");
    cr_assert(term_wait_gone(t, "mail.example.de", WAIT_MS));
    const char *text = "abcdefghij0123456789klmnopqrst9876543210uvwxyz.example.";
    term_send_text(t, text);
    expect(t, "uvwxyz.example.");
    term_wait_idle(t, 50, WAIT_MS);
    char row[512];
    row_text(t, HOST_ROW, row, sizeof row);
    cr_assert_null(strstr(row, "abcdefghij"), "the start should have scrolled out: %s", row);
    int cr, cc;
    term_cursor(t, &cr, &cc, NULL);
    cr_assert_eq(cc, INPUT_X + INPUT_W - 1, "cursor in the last cell of the field, got %d", cc);
    /* Nothing is drawn past the field's right edge except the validation mark. */
    struct term_cell c;
    term_cell(t, HOST_ROW, INPUT_X + INPUT_W, &c);
    cr_assert_str_eq(c.text, " ");
    term_send_key(t, "Home");
    expect(t, "abcdefghij0123456789");
    term_wait_idle(t, 50, WAIT_MS);
    term_cursor(t, &cr, &cc, NULL);
    cr_assert_eq(cc, INPUT_X);
    row_text(t, HOST_ROW, row, sizeof row);
    cr_assert_null(strstr(row, "uvwxyz.example."), "the end should be hidden now: %s", row);
    cr_assert(strstr(row, "looks fine"), "valid after the trailing dot: %s", row);
    quit(&t);
}

Test(gallery, dropdown_opens_moves_picks_and_esc_keeps_the_old_value)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "Host name");
    term_send_key(t, "Tab");
    expect(t, "Focus: Password");
    term_send_key(t, "Tab");
    expect(t, "Focus: Priority");
    cr_assert_not(term_has_text(t, "│40"));
    term_send_key(t, "Enter");
    expect(t, "│40");
    term_send_key(t, "Down");
    term_send_key(t, "Down");
    term_send_key(t, "Enter");
    expect(t, "Priority: 30");
    cr_assert(term_wait_gone(t, "│40", WAIT_MS), "the list closes after a pick");
    char row[512];
    row_text(t, 4, row, sizeof row);
    cr_assert(strstr(row, "Priority    30"), "row: %s", row);
    /* Open again, move, Esc: closed, value unchanged. */
    term_send_key(t, "Enter");
    expect(t, "│40");
    term_send_key(t, "Down");
    term_send_key(t, "Esc");
    cr_assert(term_wait_gone(t, "│40", WAIT_MS), "Esc closes the list");
    term_wait_idle(t, 80, WAIT_MS);
    row_text(t, 4, row, sizeof row);
    cr_assert(strstr(row, "Priority    30"), "Esc must keep 30: %s", row);
    cr_assert(term_has_text(t, "Priority: 30"), "no change reported after Esc");
    quit(&t);
}

Test(gallery, tab_and_shift_tab_follow_the_form_order)
{
    static const char *const order[] = {
        "Focus: Password", "Focus: Priority",
        "Focus: Mail",     "Focus: Use the provider's backup server",
        "Focus: Save",     "Focus: Cancel",
        "Focus: list",     "Focus: Host name",
    };
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "Host name");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        term_send_key(t, "Tab");
        expect(t, order[i]);
        if (!strcmp(order[i], "Focus: Save")) {
            /* The focused button looks focused: focus role colours (black on yellow). */
            int r, c;
            term_wait_idle(t, 50, WAIT_MS);
            cr_assert(term_find(t, "[ Save ]", &r, &c));
            struct term_cell cell;
            term_cell(t, r, c + 2, &cell);
            cr_assert_eq(cell.bg, 3, "focused button background %d", cell.bg);
        }
    }
    term_send_key(t, "BackTab");
    expect(t, "Focus: list");
    term_send_key(t, "BackTab");
    expect(t, "Focus: Cancel");
    quit(&t);
}

Test(gallery, list_filters_100000_rows)
{
    struct term *t = start("list", 24, 80, NULL, NULL, NULL, "1/100000");
    term_send_text(t, "kunde-004242");
    expect(t, "/kunde-004242  (4 of 100000)");
    char row[512];
    int shown = 0;
    for (int r = 4; r < 21; r++) { /* the list rows, between its header and filter line */
        row_text(t, r, row, sizeof row);
        if (strstr(row, "kunde-")) {
            cr_assert(strstr(row, "kunde-004242.de"), "row %d does not match: %s", r, row);
            shown++;
        }
    }
    cr_assert_eq(shown, 4);
    term_send_key(t, "Esc"); /* clears the filter; the selection stays on its row */
    expect(t, "Filter: 100000 of 100000 rows");
    expect(t, "16969/100000");
    /* With `/` first, and a filter that keeps many rows. */
    term_send_text(t, "/dyn.kunde-02");
    expect(t, "(5000 of 100000)");
    term_send_key(t, "Enter"); /* leaves the filter line, keeps the filter, opens the row */
    expect(t, "Opened dyn.kunde-020000.de");
    term_send_key(t, "End");
    expect(t, "dyn.kunde-024999.de");
    term_send_key(t, "Esc");
    expect(t, "/100000");
    term_send_key(t, "End");
    expect(t, "100000/100000");
    quit(&t);
}

Test(gallery, list_marks_the_selected_row_by_a_symbol_and_the_cursor)
{
    const char *env[] = {"NO_COLOR=1", NULL}; /* without colours the mark must still say it */
    struct term *t = start("list", 24, 80, NULL, env, NULL, "1/100000");
    term_send_key(t, "Down");
    expect(t, "2/100000");
    int r = -1, c = -1;
    bool visible = false;
    term_cursor(t, &r, &c, &visible);
    cr_assert(visible, "the cursor shows while the list has the focus");
    char row[512];
    row_text(t, r, row, sizeof row);
    cr_assert(strstr(row, "\u25B8 ") == row + c, "the cursor stands on the mark: %s", row);
    cr_assert(strstr(row, "shop.kunde-000000.de"), "on the selected row: %s", row);
    int marks = 0;
    for (int i = 0; i < 24; i++) {
        row_text(t, i, row, sizeof row);
        marks += strstr(row, "\u25B8") != NULL;
    }
    cr_assert_eq(marks, 1, "exactly one row is marked");
    quit(&t);
}

Test(gallery, hostile_text_is_shown_as_visible_escapes)
{
    const char *visible = "A\\e]0;pwned\\x07B\\e[2JC\\u{202E}D\\0E";
    const char *visible_cut = "A\\e]0;pwned\\x07B\\e[2JC\\u{202E}D";
    struct term *t = start("evil", 24, 80, NULL, NULL, NULL, "Foreign text");
    term_wait_idle(t, 80, WAIT_MS);
    int r, c;
    cr_assert(term_find(t, visible, &r, &c), "field shows the escapes");
    cr_assert_eq(r, 2, "in the field row");
    /* The escapes are marked (inverted), the ordinary letters are not. */
    struct term_cell plain, esc;
    term_cell(t, r, c, &plain);   /* A */
    term_cell(t, r, c + 1, &esc); /* the backslash of \e */
    cr_assert_str_eq(esc.text, "\\");
    cr_assert_neq(plain.reverse, esc.reverse, "escape not marked");
    char row[512];
    row_text(t, 22, row, sizeof row);
    cr_assert(strstr(row, visible), "status line: %s", row);
    row_text(t, 5, row, sizeof row);
    cr_assert(strstr(row, visible_cut), "list row: %s", row);
    cr_assert(term_find(t, visible_cut, &r, &c) && term_has_text(t, "│ A\\e]0;pwned"),
              "dialog text");
    cr_assert(term_has_text(t, "mxtui widget gallery"), "ESC [ 2 J did not clear the screen");
    cr_assert_not(term_title_changed(t), "the title changed to \"%s\"", term_title(t));
    cr_assert_eq(term_unknown_sequences(t), 0);
    cr_assert_eq(term_bells(t), 0, "the BEL reached the terminal");
    /* Close the dialog and move around: still no title change. */
    term_send_key(t, "Esc");
    expect(t, "Dialog closed: cancelled");
    term_send_key(t, "Tab");
    term_send_key(t, "Down");
    term_wait_idle(t, 80, WAIT_MS);
    cr_assert_not(term_title_changed(t));
    quit(&t);
}

Test(gallery, resize_relays_out_and_small_terminals_get_a_notice)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "80x24");
    char row[512];
    cr_assert(term_wait_row(t, 23, "F10 Quit", WAIT_MS), "key bar on the last row");
    cr_assert_eq(term_resize(t, 43, 132), 0);
    expect(t, "132x43");
    cr_assert(term_wait_row(t, 42, "F10 Quit", WAIT_MS), "key bar moves to row 42");
    term_wait_idle(t, 50, WAIT_MS);
    int r, c;
    cr_assert(term_find(t, "Provider backup server", &r, &c));
    cr_assert_gt(c, 80, "the panel moves right on a wide terminal (column %d)", c);
    row_text(t, 40, row, sizeof row);
    cr_assert(strstr(row, "1/200"), "the list grows to the bottom: %s", row);
    cr_assert_eq(term_resize(t, 20, 60), 0);
    expect(t, "Terminal too small: 60x20");
    cr_assert(term_wait_gone(t, "Host name", WAIT_MS));
    cr_assert_eq(term_resize(t, 24, 80), 0);
    expect(t, "Host name");
    expect(t, "80x24");
    cr_assert_not(term_has_text(t, "too small"));
    quit(&t);
}

static void check_mono(struct term *t)
{
    term_wait_idle(t, 80, WAIT_MS);
    /* Focus: the focused input area is reverse video, without colour. */
    struct term_cell c;
    term_cell(t, HOST_ROW, INPUT_X, &c);
    cr_assert(c.reverse, "focused field is reverse in monochrome");
    cr_assert_eq(c.fg, -1);
    cr_assert_eq(c.bg, -1);
    /* Errors: a mark and bold text. */
    int r, col;
    cr_assert(term_find(t, "✗ needs a trailing dot", &r, &col));
    term_cell(t, r, col + 2, &c);
    cr_assert(c.bold, "error message is bold");
    cr_assert_eq(c.fg, -1);
    /* No cell anywhere uses a colour. */
    for (int y = 0; y < 24; y++)
        for (int x = 0; x < 80; x++) {
            term_cell(t, y, x, &c);
            cr_assert(c.fg == -1 && c.bg == -1, "colour at %d,%d", y, x);
        }
    /* Focus moves visibly: the field loses reverse, the password field gets it. */
    term_send_key(t, "Tab");
    expect(t, "Focus: Password");
    term_wait_idle(t, 80, WAIT_MS);
    term_cell(t, HOST_ROW, INPUT_X, &c);
    cr_assert_not(c.reverse);
    term_cell(t, HOST_ROW + 1, INPUT_X, &c);
    cr_assert(c.reverse);
}

Test(gallery, monochrome_still_shows_focus_and_errors)
{
    struct term *t = start("form", 24, 80, "--mono", NULL, NULL, "Host name");
    check_mono(t);
    quit(&t);
}

Test(gallery, no_color_selects_the_monochrome_theme)
{
    const char *env[] = {"NO_COLOR=1", NULL};
    struct term *t = start("form", 24, 80, NULL, env, NULL, "Host name");
    check_mono(t);
    quit(&t);
}

Test(gallery, a_terminal_without_colours_gets_the_monochrome_theme)
{
    const char *argv[] = {gallery_path(), "--page", "form", NULL};
    struct term_opts o = {.argv = argv, .rows = 24, .cols = 80, .term = "vt100"};
    struct term *t = term_start(&o);
    cr_assert_not_null(t);
    expect(t, "Host name");
    check_mono(t);
    quit(&t);
}

Test(gallery, without_utf8_lines_use_acs_and_text_stays_ascii)
{
    struct term *t = start("infopanel", 24, 80, NULL, NULL, "C", "Provider backup server");
    term_wait_idle(t, 80, WAIT_MS);
    /* The terminal received DEC line drawing (ACS), which it shows as box characters. */
    cr_assert(term_has_text(t, "┌─ Provider backup server"), "box drawn with ACS");
    char *s = term_screen_text(t);
    cr_assert_not_null(s);
    cr_assert_null(strstr(s, "…"), "no Unicode ellipsis without UTF-8");
    free(s);
    quit(&t);
}

Test(gallery, f1_help_comes_from_the_key_table)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "F1 Help");
    term_send_key(t, "F1");
    expect(t, "show this help");
    expect(t, "F10     leave the gallery");
    expect(t, "Tab     move to the next field");
    term_send_key(t, "Esc");
    cr_assert(term_wait_gone(t, "show this help", WAIT_MS));
    quit(&t);
}

Test(gallery, dialog_answers_with_enter_and_cancels_with_esc)
{
    struct term *t = start("dialog", 24, 80, NULL, NULL, NULL, "Save changes?");
    expect(t, "24 hours");
    term_send_key(t, "Right"); /* from Cancel to Save (wraps) */
    term_send_key(t, "Enter");
    expect(t, "Dialog closed: first button");
    cr_assert(term_wait_gone(t, "Save changes?", WAIT_MS));
    quit(&t);
    t = start("dialog", 24, 80, NULL, NULL, NULL, "Save changes?");
    term_send_key(t, "Esc");
    expect(t, "Dialog closed: cancelled");
    quit(&t);
}

Test(gallery, checkbox_and_toggle_change_with_space_and_arrows)
{
    struct term *t = start("form", 24, 80, NULL, NULL, NULL, "Host name");
    for (int i = 0; i < 3; i++)
        term_send_key(t, "Tab");
    expect(t, "Focus: Mail");
    term_send_key(t, "Right");
    expect(t, "Mail: own mail server");
    expect(t, "( ) Provider mail   (•) Own mail server");
    term_send_key(t, "Tab");
    expect(t, "Focus: Use the");
    term_send_key(t, "Space");
    expect(t, "Backup server: on");
    expect(t, "[x] Use the provider's backup server");
    quit(&t);
}

static void check_restored_after(int sig, const char *key)
{
    /* The status line page: nothing there takes the focus, so the cursor is hidden, and its
     * return shows the restore. */
    struct term *t = start("statusline", 24, 80, NULL, NULL, NULL, "Saving failed");
    bool visible = true;
    term_cursor(t, NULL, NULL, &visible);
    cr_assert_not(visible, "no cursor while nothing has the focus");
    if (key)
        term_send_key(t, key);
    else
        kill(term_pid(t), sig);
    int status = 0;
    cr_assert(term_wait_exit(t, WAIT_MS, &status));
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig, "status %d", status);
    cr_assert_not(term_has_text(t, "Saving failed"), "the alternate screen was left");
    term_cursor(t, NULL, NULL, &visible);
    cr_assert(visible, "cursor visible again");
    term_free(&t);
}

Test(gallery, sigterm_and_sighup_restore_the_terminal)
{
    check_restored_after(SIGTERM, NULL);
    check_restored_after(SIGHUP, NULL);
}

Test(gallery, ctrl_c_restores_the_terminal)
{
    check_restored_after(SIGINT, "C-c");
}

Test(gallery, an_unknown_terminal_is_reported_not_crashed)
{
    const char *argv[] = {gallery_path(), NULL};
    struct term_opts o = {.argv = argv, .term = "no-such-terminal"};
    struct term *t = term_start(&o);
    cr_assert_not_null(t);
    int status = -1;
    cr_assert(term_wait_exit(t, WAIT_MS, &status));
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d", status);
    cr_assert(term_has_text(t, "no usable terminal"));
    term_free(&t);
}
