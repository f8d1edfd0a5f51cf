/* The sanitiser: every foreign string passes it before it reaches the terminal. */
#include "widgets/sanitize.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static void utf8_locale(void)
{
    cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
    sanitize_set_utf8(true);
}

TestSuite(sanitize, .init = utf8_locale);

static void expect_visible(const char *in, size_t len, const char *want)
{
    char *out = sanitize_str(in, len);
    cr_assert_not_null(out);
    cr_assert_str_eq(out, want);
    free(out);
}

Test(sanitize, plain_text_and_umlauts_pass_unchanged)
{
    expect_visible("mail.example.de.", 16, "mail.example.de.");
    expect_visible("müller.de", strlen("müller.de"), "müller.de");
    expect_visible("日本", strlen("日本"), "日本");
}

Test(sanitize, terminal_escapes_become_visible)
{
    const char evil[] = "A\033]0;pwned\007B\033[2JC\u202ED\0E";
    expect_visible(evil, sizeof evil - 1, "A\\e]0;pwned\\x07B\\e[2JC\\u{202E}D\\0E");
}

Test(sanitize, c0_c1_and_del_are_escaped)
{
    expect_visible("\t\n\r\x01\x7f", 5, "\\t\\n\\r\\x01\\x7F");
    expect_visible("\xc2\x9b", 2, "\\u{009B}"); /* C1 CSI, as UTF-8 */
    expect_visible("\xc2\x85", 2, "\\u{0085}");
}

Test(sanitize, bidi_and_invisible_characters_are_escaped)
{
    expect_visible("a\u200Bb", strlen("a\u200Bb"), "a\\u{200B}b");
    expect_visible("\u2066x\u2069", strlen("\u2066x\u2069"), "\\u{2066}x\\u{2069}");
    expect_visible("\uFEFF", 3, "\\u{FEFF}");
    expect_visible("\u00AD", 2, "\\u{00AD}");
    expect_visible("\u202Egro.elpmaxe", strlen("\u202Egro.elpmaxe"), "\\u{202E}gro.elpmaxe");
}

/* Format controls wcwidth gives no column (Egyptian hieroglyph format controls, shorthand
 * format controls, the fourth Mongolian selector) and the private-use planes 15 and 16, whose
 * look only the terminal's font decides, are escaped like the rest. */
Test(sanitize, supplementary_format_and_private_use_characters_are_escaped)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a\U00013430b", "a\\u{13430}b"},  {"a\U0001BCA0b", "a\\u{1BCA0}b"},
        {"a\U0001BCA3b", "a\\u{1BCA3}b"},  {"a\u180Fb", "a\\u{180F}b"},
        {"a\U000F0000b", "a\\u{F0000}b"},  {"a\U0010FFFDb", "a\\u{10FFFD}b"},
        {"a\U00100000b", "a\\u{100000}b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_visible(cases[i].in, strlen(cases[i].in), cases[i].want);
        uint32_t cp;
        utf8_decode(cases[i].in + 1, strlen(cases[i].in) - 2, &cp);
        cr_expect(sanitize_is_escaped(cp), "U+%04X", (unsigned)cp);
    }
}

Test(sanitize, invalid_utf8_becomes_a_replacement_mark)
{
    expect_visible("a\xff"
                   "b",
                   3, "a\uFFFDb");
    expect_visible("\xc0\xaf", 2, "\uFFFD\uFFFD");           /* overlong '/' */
    expect_visible("\xed\xa0\x80", 3, "\uFFFD\uFFFD\uFFFD"); /* a surrogate */
    expect_visible("\xe2\x82", 2, "\uFFFD\uFFFD");           /* truncated */
}

Test(sanitize, decode_and_encode_round_trip)
{
    uint32_t cps[] = {0x41, 0xFC, 0x20AC, 0x1F600, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char b[4];
        size_t n = utf8_encode(cps[i], b);
        uint32_t back = 0;
        cr_assert_eq(utf8_decode(b, n, &back), n);
        cr_assert_eq(back, cps[i]);
    }
    uint32_t cp;
    cr_assert_eq(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1); /* above U+10FFFF */
    cr_assert_eq(cp, 0xFFFD);
}

Test(sanitize, width_counts_columns_not_bytes)
{
    cr_assert_eq(sanitize_width("müller", strlen("müller")), 6);
    cr_assert_eq(sanitize_width("日本", strlen("日本")), 4);
    cr_assert_eq(sanitize_width("e\u0301", strlen("e\u0301")), 1); /* combining acute */
    cr_assert_eq(sanitize_width("\033", 1), 2);                    /* "\e" */
    cr_assert_eq(sanitize_width("\u202E", 3), 8);                  /* "\u{202E}" */
}

Test(sanitize, fitting_cuts_with_an_ellipsis_and_never_splits_an_escape)
{
    wchar_t out[64];
    cr_assert_eq(sanitize_wide("example.de", 10, 10, out, 64), 10);
    cr_assert(wcscmp(out, L"example.de") == 0);
    cr_assert_eq(sanitize_wide("example.de", 10, 8, out, 64), 8);
    cr_assert(wcscmp(out, L"example\u2026") == 0);
    /* "ab\e" needs 4 columns; in 3 the escape does not fit and is not cut in half. */
    cr_assert_eq(sanitize_wide("ab\033", 3, 3, out, 64), 3);
    cr_assert(wcscmp(out, L"ab\u2026") == 0);
    /* A wide character that would straddle the edge is left out. */
    cr_assert_eq(sanitize_wide("a日本", strlen("a日本"), 4, out, 64), 4);
    cr_assert(wcscmp(out, L"a日\u2026") == 0);
    cr_assert_eq(sanitize_wide("abc", 3, -1, out, 64), 3);
}

Test(sanitize, without_utf8_everything_non_ascii_is_escaped)
{
    sanitize_set_utf8(false);
    expect_visible("müller", strlen("müller"), "m\\u{00FC}ller");
    expect_visible("a\xff", 2, "a?");
    wchar_t out[16];
    sanitize_wide("example.de", 10, 8, out, 16);
    cr_assert(wcscmp(out, L"example~") == 0);
    sanitize_set_utf8(true);
}

Test(sanitize, fit_gives_the_bytes_to_show)
{
    bool ell;
    cr_assert_eq(sanitize_fit("example.de", 10, 10, &ell), 10);
    cr_assert_not(ell);
    cr_assert_eq(sanitize_fit("example.de", 10, 8, &ell), 7, "seven letters and the ellipsis");
    cr_assert(ell);
    cr_assert_eq(sanitize_fit("müller", strlen("müller"), 3, &ell), 3, "m, ü (two bytes), …");
    cr_assert_eq(sanitize_fit("abc", 3, -1, &ell), 3);
    cr_assert_eq(sanitize_fit("abc", 3, 0, &ell), 0);
    cr_assert_not(ell, "no room even for the ellipsis");
}

/* The classification the command-line tools share: C1, bidi and invisible characters are
 * hidden whatever the locale; letters, IDN letters and C0 (escaped by their own rule) are not. */
Test(sanitize, hidden_set_is_locale_independent)
{
    sanitize_set_utf8(false);
    cr_assert(sanitize_is_hidden(0x9B)); /* CSI */
    cr_assert(sanitize_is_hidden(0x202E));
    cr_assert(sanitize_is_hidden(0x2066));
    cr_assert(sanitize_is_hidden(0x200B));
    cr_assert(sanitize_is_hidden(0xE0041));
    cr_assert_not(sanitize_is_hidden('a'));
    cr_assert_not(sanitize_is_hidden(0xFC)); /* ü */
    cr_assert_not(sanitize_is_hidden(0x1B));
    sanitize_set_utf8(true);
    cr_assert(sanitize_is_hidden(0x202E));
    cr_assert_not(sanitize_is_hidden(0xFC));
}
