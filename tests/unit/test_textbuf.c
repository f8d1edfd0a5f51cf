/* The editing buffer behind text fields: cursor and edits on UTF-8, widths, scrolling. */
#include "widgets/sanitize.h"
#include "widgets/textbuf.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

static struct textbuf *tb;

static void setup(void)
{
    cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
    sanitize_set_utf8(true);
    tb = textbuf_new(64);
    cr_assert_not_null(tb);
}

static void teardown(void)
{
    textbuf_free(&tb);
    cr_assert_null(tb);
}

TestSuite(textbuf, .init = setup, .fini = teardown);

static void type(const char *s)
{
    uint32_t cp;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        i += utf8_decode(s + i, len - i, &cp);
        cr_assert(textbuf_insert(tb, cp));
    }
}

Test(textbuf, typing_umlauts_moves_the_cursor_by_characters)
{
    type("müller");
    cr_assert_str_eq(textbuf_text(tb), "müller");
    cr_assert_eq(textbuf_len(tb), 7);
    cr_assert_eq(textbuf_cursor(tb), 7);
    cr_assert_eq(textbuf_cursor_col(tb), 6);
    cr_assert_eq(textbuf_width(tb), 6);
    textbuf_home(tb);
    textbuf_right(tb);
    textbuf_right(tb);
    cr_assert_eq(textbuf_cursor(tb), 3, "past m and the two bytes of ü");
    cr_assert_eq(textbuf_cursor_col(tb), 2);
}

Test(textbuf, backspace_and_delete_remove_whole_characters)
{
    type("aü日b");
    textbuf_left(tb);      /* before b */
    textbuf_backspace(tb); /* removes 日 */
    cr_assert_str_eq(textbuf_text(tb), "aüb");
    textbuf_home(tb);
    textbuf_delete(tb);
    cr_assert_str_eq(textbuf_text(tb), "üb");
    textbuf_delete(tb);
    cr_assert_str_eq(textbuf_text(tb), "b");
    cr_assert_not(textbuf_backspace(tb), "nothing before the cursor");
    textbuf_end(tb);
    cr_assert_not(textbuf_delete(tb), "nothing after the cursor");
}

Test(textbuf, ctrl_u_kills_before_the_cursor)
{
    type("mail.example.de");
    for (int i = 0; i < 3; i++)
        textbuf_left(tb);
    cr_assert(textbuf_kill_before(tb));
    cr_assert_str_eq(textbuf_text(tb), ".de");
    cr_assert_eq(textbuf_cursor(tb), 0);
}

Test(textbuf, combining_marks_move_with_their_base)
{
    type("e\u0301x"); /* é as e + combining acute, then x */
    textbuf_home(tb);
    textbuf_right(tb);
    cr_assert_eq(textbuf_cursor(tb), 3, "past e and its mark");
    textbuf_right(tb);
    textbuf_left(tb);
    textbuf_left(tb);
    cr_assert_eq(textbuf_cursor(tb), 0);
}

Test(textbuf, set_replaces_invalid_utf8_and_respects_the_limit)
{
    cr_assert_eq(textbuf_set(tb,
                             "a\xff"
                             "b",
                             3),
                 0);
    cr_assert_str_eq(textbuf_text(tb), "a\uFFFDb");
    char big[100];
    memset(big, 'x', sizeof big);
    textbuf_set(tb, big, sizeof big);
    cr_assert_eq(textbuf_len(tb), 64);
    cr_assert_not(textbuf_insert(tb, 'y'), "full");
    cr_assert_not(textbuf_insert(tb, 0xD800), "not a scalar value");
}

Test(textbuf, set_keeps_nul_and_controls_for_the_sanitiser)
{
    textbuf_set(tb, "a\0\033b", 4);
    cr_assert_eq(textbuf_len(tb), 4);
    cr_assert_eq(textbuf_width(tb), 1 + 2 + 2 + 1, "\\0 and \\e take two columns each");
}

Test(textbuf, scroll_keeps_the_cursor_in_view)
{
    /* Short text: no scrolling. */
    cr_assert_eq(textbuf_scroll(0, 5, 5, 10), 0);
    /* Typing past the right edge: the cursor sits in the last cell. */
    cr_assert_eq(textbuf_scroll(0, 10, 10, 10), 1);
    cr_assert_eq(textbuf_scroll(0, 55, 55, 30), 26);
    /* Home: back to the start. */
    cr_assert_eq(textbuf_scroll(26, 0, 55, 30), 0);
    /* Moving left inside the view does not scroll. */
    cr_assert_eq(textbuf_scroll(26, 40, 55, 30), 26);
    /* Left past the first visible column scrolls just enough. */
    cr_assert_eq(textbuf_scroll(26, 20, 55, 30), 20);
    /* Deleting at the end pulls the text back so no space is wasted. */
    cr_assert_eq(textbuf_scroll(26, 40, 40, 30), 11);
}

Test(textbuf, wide_characters_take_two_columns)
{
    type("a日本b");
    cr_assert_eq(textbuf_width(tb), 6);
    textbuf_left(tb);
    cr_assert_eq(textbuf_cursor_col(tb), 5);
    textbuf_left(tb);
    cr_assert_eq(textbuf_cursor_col(tb), 3, "one step back over a wide character is two columns");
    /* A field of 4 columns: the cursor at column 5 scrolls the view to start at column 2. */
    cr_assert_eq(textbuf_scroll(0, 5, 6, 4), 2);
}

/* Delete takes a character with its combining marks, the span Right moves over; it used to
 * leave the marks behind on the character before the cursor ("ae\u0301b" became "a\u0301b"). */
Test(textbuf, delete_takes_the_combining_marks_along)
{
    type("ae\xcc\x81\xcc\xa3"
         "b");
    textbuf_home(tb);
    textbuf_right(tb);
    cr_assert(textbuf_delete(tb));
    cr_assert_str_eq(textbuf_text(tb), "ab");
    cr_assert_eq(textbuf_cursor(tb), 1);
    cr_assert(textbuf_delete(tb));
    cr_assert_str_eq(textbuf_text(tb), "a");
    cr_assert_not(textbuf_delete(tb));
}
