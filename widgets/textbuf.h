/* textbuf: the editing buffer behind a text field. UTF-8 bytes plus a cursor (a byte offset
 * on a character boundary); display widths are those of the sanitised text. Pure logic. */
#ifndef WIDGETS_TEXTBUF_H
#define WIDGETS_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textbuf;

/* Returns an empty buffer that holds at most max_bytes bytes of text (0: 4096), or NULL. */
struct textbuf *textbuf_new(size_t max_bytes);

/* Frees *tb and sets it to NULL; a NULL *tb is a no-op. */
void textbuf_free(struct textbuf **tb);

/* Marks the buffer as holding a secret (a password): from then on every byte it gives up, by
 * replacing the text, growing or being freed, is wiped first (explicit_bzero). */
void textbuf_set_secret(struct textbuf *tb, bool secret);

/* Replaces the text with s[0..len) (invalid UTF-8 becomes U+FFFD, text past the limit is cut
 * at a character boundary) and puts the cursor at the end. Returns 0, or -1 out of memory. */
int textbuf_set(struct textbuf *tb, const char *s, size_t len);

/* Returns the text, NUL-terminated (it may hold NUL bytes of its own: use textbuf_len).
 * Owned by tb, valid until the next change. */
const char *textbuf_text(const struct textbuf *tb);

/* Returns the length of the text in bytes. */
size_t textbuf_len(const struct textbuf *tb);

/* Returns the cursor as a byte offset into the text. */
size_t textbuf_cursor(const struct textbuf *tb);

/* Inserts cp at the cursor and moves the cursor past it. Returns false when the buffer is
 * full or cp is not a Unicode scalar value. */
bool textbuf_insert(struct textbuf *tb, uint32_t cp);

/* Cursor motion by one character (a combining mark moves with its base); each returns whether
 * the cursor moved. */
bool textbuf_left(struct textbuf *tb);
bool textbuf_right(struct textbuf *tb);
bool textbuf_home(struct textbuf *tb);
bool textbuf_end(struct textbuf *tb);

/* Deleting; each returns whether the text changed. backspace: the character before the
 * cursor; delete: the one under it with its combining marks; kill_before (Ctrl-U): everything
 * before the cursor. */
bool textbuf_backspace(struct textbuf *tb);
bool textbuf_delete(struct textbuf *tb);
bool textbuf_kill_before(struct textbuf *tb);

/* Display width of the whole text, and of the text before the cursor. */
int textbuf_width(const struct textbuf *tb);
int textbuf_cursor_col(const struct textbuf *tb);

/* Horizontal scrolling: given the first visible column `scroll`, the cursor column, the text
 * width and the view width, returns the new first visible column so that the cursor stays
 * inside the view and no view space is wasted at the end. */
int textbuf_scroll(int scroll, int cursor_col, int text_width, int view_width);

#endif
