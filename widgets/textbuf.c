/* The editing buffer of the text field; see textbuf.h. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* explicit_bzero: a secret buffer leaves no copy behind */
#endif
#include "widgets/textbuf.h"

#include "widgets/sanitize.h"

#include <stdlib.h>
#include <string.h>

struct textbuf {
    char *buf; /* always NUL-terminated after len */
    size_t len, cap, cursor, max;
    bool secret; /* wipe every byte before it is given up (passwords) */
};

struct textbuf *textbuf_new(size_t max_bytes)
{
    struct textbuf *tb = calloc(1, sizeof *tb);
    if (!tb)
        return NULL;
    tb->max = max_bytes ? max_bytes : 4096;
    tb->cap = 64;
    tb->buf = calloc(tb->cap, 1);
    if (!tb->buf) {
        free(tb);
        return NULL;
    }
    return tb;
}

void textbuf_free(struct textbuf **tb)
{
    if (!tb || !*tb)
        return;
    if ((*tb)->secret)
        explicit_bzero((*tb)->buf, (*tb)->cap);
    free((*tb)->buf);
    free(*tb);
    *tb = NULL;
}

static bool reserve(struct textbuf *tb, size_t need)
{
    if (need + 1 <= tb->cap)
        return true;
    size_t cap = tb->cap;
    while (cap < need + 1)
        cap *= 2;
    char *p;
    if (tb->secret) {
        /* realloc may leave the old block behind unwiped: copy, wipe, free instead. */
        p = calloc(cap, 1);
        if (!p)
            return false;
        memcpy(p, tb->buf, tb->len + 1);
        explicit_bzero(tb->buf, tb->cap);
        free(tb->buf);
    } else {
        p = realloc(tb->buf, cap);
        if (!p)
            return false;
    }
    tb->buf = p;
    tb->cap = cap;
    return true;
}

void textbuf_set_secret(struct textbuf *tb, bool secret)
{
    tb->secret = secret;
}

int textbuf_set(struct textbuf *tb, const char *s, size_t len)
{
    if (tb->secret)
        explicit_bzero(tb->buf, tb->cap);
    tb->len = tb->cursor = 0;
    tb->buf[0] = 0;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        i += utf8_decode(s + i, len - i, &cp);
        char b[4];
        size_t n = utf8_encode(cp, b);
        if (tb->len + n > tb->max)
            break;
        if (!reserve(tb, tb->len + n))
            return -1;
        memcpy(tb->buf + tb->len, b, n);
        tb->len += n;
    }
    tb->buf[tb->len] = 0;
    tb->cursor = tb->len;
    return 0;
}

const char *textbuf_text(const struct textbuf *tb)
{
    return tb->buf;
}

size_t textbuf_len(const struct textbuf *tb)
{
    return tb->len;
}

size_t textbuf_cursor(const struct textbuf *tb)
{
    return tb->cursor;
}

bool textbuf_insert(struct textbuf *tb, uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    char b[4];
    size_t n = utf8_encode(cp, b);
    if (tb->len + n > tb->max || !reserve(tb, tb->len + n))
        return false;
    memmove(tb->buf + tb->cursor + n, tb->buf + tb->cursor, tb->len - tb->cursor + 1);
    memcpy(tb->buf + tb->cursor, b, n);
    tb->len += n;
    tb->cursor += n;
    return true;
}

/* Start of the character that ends at byte offset `at` (the buffer holds valid UTF-8). */
static size_t prev_cp(const struct textbuf *tb, size_t at, uint32_t *cp)
{
    size_t p = at;
    do {
        p--;
    } while (p > 0 && ((unsigned char)tb->buf[p] & 0xC0) == 0x80);
    utf8_decode(tb->buf + p, at - p, cp);
    return p;
}

/* A zero-width character (combining mark) belongs to the character before it. */
static bool is_zero_width(uint32_t cp)
{
    return !sanitize_is_escaped(cp) && sanitize_cp_width(cp) == 0;
}

bool textbuf_left(struct textbuf *tb)
{
    if (tb->cursor == 0)
        return false;
    uint32_t cp;
    do {
        tb->cursor = prev_cp(tb, tb->cursor, &cp);
    } while (tb->cursor > 0 && is_zero_width(cp));
    return true;
}

bool textbuf_right(struct textbuf *tb)
{
    if (tb->cursor >= tb->len)
        return false;
    uint32_t cp;
    tb->cursor += utf8_decode(tb->buf + tb->cursor, tb->len - tb->cursor, &cp);
    while (tb->cursor < tb->len) {
        size_t n = utf8_decode(tb->buf + tb->cursor, tb->len - tb->cursor, &cp);
        if (!is_zero_width(cp))
            break;
        tb->cursor += n;
    }
    return true;
}

bool textbuf_home(struct textbuf *tb)
{
    bool moved = tb->cursor != 0;
    tb->cursor = 0;
    return moved;
}

bool textbuf_end(struct textbuf *tb)
{
    bool moved = tb->cursor != tb->len;
    tb->cursor = tb->len;
    return moved;
}

static void cut(struct textbuf *tb, size_t from, size_t to)
{
    memmove(tb->buf + from, tb->buf + to, tb->len - to + 1);
    tb->len -= to - from;
    if (tb->secret) /* the tail still holds the moved bytes' old copies */
        explicit_bzero(tb->buf + tb->len + 1, to - from);
}

bool textbuf_backspace(struct textbuf *tb)
{
    if (tb->cursor == 0)
        return false;
    uint32_t cp;
    size_t p = prev_cp(tb, tb->cursor, &cp);
    cut(tb, p, tb->cursor);
    tb->cursor = p;
    return true;
}

bool textbuf_delete(struct textbuf *tb)
{
    if (tb->cursor >= tb->len)
        return false;
    /* The character with its combining marks, as Right moves over it: marks left behind would
     * join the character before the cursor. */
    uint32_t cp;
    size_t end = tb->cursor + utf8_decode(tb->buf + tb->cursor, tb->len - tb->cursor, &cp);
    while (end < tb->len) {
        size_t n = utf8_decode(tb->buf + end, tb->len - end, &cp);
        if (!is_zero_width(cp))
            break;
        end += n;
    }
    cut(tb, tb->cursor, end);
    return true;
}

bool textbuf_kill_before(struct textbuf *tb)
{
    if (tb->cursor == 0)
        return false;
    cut(tb, 0, tb->cursor);
    tb->cursor = 0;
    return true;
}

int textbuf_width(const struct textbuf *tb)
{
    return sanitize_width(tb->buf, tb->len);
}

int textbuf_cursor_col(const struct textbuf *tb)
{
    return sanitize_width(tb->buf, tb->cursor);
}

int textbuf_scroll(int scroll, int cursor_col, int text_width, int view_width)
{
    if (view_width <= 1)
        return cursor_col;
    /* The cursor needs a cell of its own after the last character. */
    if (text_width + 1 <= view_width)
        return 0;
    if (cursor_col < scroll)
        scroll = cursor_col;
    if (cursor_col >= scroll + view_width)
        scroll = cursor_col - view_width + 1;
    if (scroll > text_width + 1 - view_width)
        scroll = text_width + 1 - view_width;
    if (scroll > cursor_col)
        scroll = cursor_col;
    return scroll < 0 ? 0 : scroll;
}
