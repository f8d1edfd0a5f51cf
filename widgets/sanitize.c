/* The text sanitiser: every widget passes foreign text through here before drawing it. */
#include "widgets/sanitize.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* wcwidth is XSI, not in POSIX base; declared here so _XOPEN_SOURCE does not leak into the
 * whole file and change other declarations. */
int wcwidth(wchar_t c);

static int utf8_mode = -1; /* -1: not decided yet */

void sanitize_set_utf8(bool utf8)
{
    utf8_mode = utf8 ? 1 : 0;
}

bool sanitize_utf8(void)
{
    if (utf8_mode < 0) {
        const char *cs = nl_langinfo(CODESET);
        utf8_mode = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    }
    return utf8_mode == 1;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    *cp = 0xFFFD;
    if (len == 0)
        return 0;
    unsigned char c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 1;
    }
    if (len < n)
        return 1;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 1;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 1;
    *cp = v;
    return n;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Characters that reorder or hide text: a name that looks like another one must not pass. */
static bool is_invisible(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00AD, 0x00AD},   /* soft hyphen */
        {0x034F, 0x034F},   /* combining grapheme joiner */
        {0x061C, 0x061C},   /* Arabic letter mark */
        {0x115F, 0x1160},   /* Hangul fillers */
        {0x17B4, 0x17B5},   /* Khmer invisible vowels */
        {0x180B, 0x180F},   /* Mongolian selectors, vowel separator */
        {0x200B, 0x200F},   /* zero-width space/joiners, LRM, RLM */
        {0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings and overrides */
        {0x2060, 0x206F},   /* word joiner, invisible operators, bidi isolates, deprecated */
        {0x3164, 0x3164},   /* Hangul filler */
        {0xFE00, 0xFE0F},   /* variation selectors */
        {0xFEFF, 0xFEFF},   /* byte order mark */
        {0xFFA0, 0xFFA0},   /* half-width Hangul filler */
        {0xFFF9, 0xFFFB},   /* interlinear annotation */
        {0x13430, 0x1343F}, /* Egyptian hieroglyph format controls */
        {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
        {0x1D173, 0x1D17A}, /* musical formatting */
        {0xE0000, 0xE0FFF}, /* tags and variation selectors supplement */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

bool sanitize_is_hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || is_invisible(cp);
}

bool sanitize_is_escaped(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return true;
    if (cp < 0x7F)
        return false;
    if (cp == 0xFFFD)
        return false; /* drawn as itself (or "?" without UTF-8) */
    if (!sanitize_utf8() || is_invisible(cp))
        return true;
    if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF))
        return true; /* noncharacters */
    if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
        return true; /* private use (also planes 15, 16): the terminal's font decides its look */
    return wcwidth((wchar_t)cp) < 0;
}

static int put_ascii(wchar_t out[SANITIZE_UNIT_MAX], const char *s)
{
    size_t n = strlen(s);
    if (n > SANITIZE_UNIT_MAX - 1)
        n = SANITIZE_UNIT_MAX - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (wchar_t)(unsigned char)s[i];
    out[n] = 0;
    return (int)n;
}

int sanitize_cp(uint32_t cp, wchar_t out[SANITIZE_UNIT_MAX])
{
    char esc[SANITIZE_UNIT_MAX];
    if (cp == 0xFFFD && !sanitize_utf8())
        return put_ascii(out, "?");
    if (!sanitize_is_escaped(cp)) {
        out[0] = (wchar_t)cp;
        out[1] = 0;
        int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
        return w < 0 ? 0 : w;
    }
    switch (cp) {
    case 0x00:
        return put_ascii(out, "\\0");
    case 0x09:
        return put_ascii(out, "\\t");
    case 0x0A:
        return put_ascii(out, "\\n");
    case 0x0D:
        return put_ascii(out, "\\r");
    case 0x1B:
        return put_ascii(out, "\\e");
    default:
        break;
    }
    if (cp < 0x20 || cp == 0x7F)
        snprintf(esc, sizeof esc, "\\x%02X", (unsigned)cp);
    else
        snprintf(esc, sizeof esc, "\\u{%04X}", (unsigned)cp);
    return put_ascii(out, esc);
}

int sanitize_cp_width(uint32_t cp)
{
    wchar_t tmp[SANITIZE_UNIT_MAX];
    return sanitize_cp(cp, tmp);
}

int sanitize_width(const char *s, size_t len)
{
    int w = 0;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        i += utf8_decode(s + i, len - i, &cp);
        w += sanitize_cp_width(cp);
    }
    return w;
}

size_t sanitize_fit(const char *s, size_t len, int max_width, bool *ellipsis)
{
    *ellipsis = false;
    if (max_width < 0 || sanitize_width(s, len) <= max_width)
        return len;
    *ellipsis = max_width > 0;
    int limit = max_width - 1; /* keep a column for the ellipsis */
    int used = 0;
    uint32_t cp;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_decode(s + i, len - i, &cp);
        int w = sanitize_cp_width(cp);
        if (used + w > limit)
            break;
        used += w;
        i += n;
    }
    return i;
}

int sanitize_wide(const char *s, size_t len, int max_width, wchar_t *out, size_t cap)
{
    if (cap == 0)
        return 0;
    bool ellipsis;
    size_t fit = sanitize_fit(s, len, max_width, &ellipsis);
    int used = 0;
    size_t o = 0;
    uint32_t cp;
    wchar_t unit[SANITIZE_UNIT_MAX];
    for (size_t i = 0; i < fit;) {
        i += utf8_decode(s + i, fit - i, &cp);
        int w = sanitize_cp(cp, unit);
        size_t ulen = wcslen(unit);
        if (o + ulen + 2 > cap)
            break;
        memcpy(out + o, unit, ulen * sizeof(wchar_t));
        o += ulen;
        used += w;
    }
    if (ellipsis && o + 1 < cap) {
        out[o++] = sanitize_utf8() ? L'\u2026' : L'~';
        used++;
    }
    out[o] = 0;
    return used;
}

char *sanitize_str(const char *s, size_t len)
{
    /* Each input byte yields at most one unit of at most 10 ASCII characters. */
    size_t cap = len * 10 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    uint32_t cp;
    wchar_t unit[SANITIZE_UNIT_MAX];
    for (size_t i = 0; i < len;) {
        i += utf8_decode(s + i, len - i, &cp);
        sanitize_cp(cp, unit);
        for (size_t k = 0; unit[k]; k++) {
            char b[4];
            size_t n = utf8_encode((uint32_t)unit[k], b);
            memcpy(out + o, b, n);
            o += n;
        }
    }
    out[o] = 0;
    return out;
}
