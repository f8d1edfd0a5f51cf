/* sanitize: the one place where text the widgets did not create becomes safe to draw.
 * C0/C1/DEL controls, bidi overrides and invisible characters become visible escapes
 * (\e, \0, \x07, \u{202E}); invalid UTF-8 becomes U+FFFD; widths come from wcwidth.
 * Pure functions (no curses); the width answers depend on the LC_CTYPE locale. */
#ifndef WIDGETS_SANITIZE_H
#define WIDGETS_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Room for the visible form of one code point: "\u{10FFFF}" and a terminating NUL. */
enum { SANITIZE_UNIT_MAX = 12 };

/* Decodes one UTF-8 sequence from s[0..len) into *cp and returns the bytes used (at least 1
 * when len > 0). Invalid, overlong, surrogate or truncated input uses 1 byte and gives U+FFFD. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp as UTF-8 into out and returns the number of bytes (1..4). */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Says whether the terminal shows non-ASCII text (a UTF-8 locale). screen_init sets it; the
 * default is what the LC_CTYPE codeset says at the first call. */
void sanitize_set_utf8(bool utf8);

/* Returns whether non-ASCII characters are drawn as themselves (see sanitize_set_utf8). */
bool sanitize_utf8(void);

/* Returns true for C1 controls and the bidi and invisible characters that reorder or hide
 * text: the set escaped whatever the terminal or locale. Also used by the command-line tools
 * (cli/), so a name looks alike in mxctl and in mxtui. */
bool sanitize_is_hidden(uint32_t cp);

/* Returns true when cp is not drawn as itself but as an escape (controls, bidi, invisible,
 * unprintable, or any non-ASCII without a UTF-8 terminal). */
bool sanitize_is_escaped(uint32_t cp);

/* Writes the visible form of cp into out (NUL-terminated) and returns its width in columns
 * (0 for a combining mark, never negative). */
int sanitize_cp(uint32_t cp, wchar_t out[SANITIZE_UNIT_MAX]);

/* Display width of the visible form of cp (what sanitize_cp returns). */
int sanitize_cp_width(uint32_t cp);

/* Converts s[0..len) into its visible form in out (cap wide characters including the NUL),
 * at most max_width columns (max_width < 0: no limit). Text that does not fit is cut at a
 * character boundary and ends with an ellipsis ("…", or "~" without UTF-8); an escape is never
 * cut in half. Returns the columns used. */
int sanitize_wide(const char *s, size_t len, int max_width, wchar_t *out, size_t cap);

/* How much of s[0..len) fits in max_width columns (< 0: no limit): returns the number of
 * bytes to show (a character boundary) and sets *ellipsis when the rest must be replaced by an
 * ellipsis (one column, already accounted for). The rule of sanitize_wide. */
size_t sanitize_fit(const char *s, size_t len, int max_width, bool *ellipsis);

/* Returns the display width of the visible form of s[0..len). */
int sanitize_width(const char *s, size_t len);

/* Returns the visible form of s[0..len) as a new NUL-terminated UTF-8 string (no width limit),
 * or NULL when out of memory. The caller frees it. */
char *sanitize_str(const char *s, size_t len);

#endif
