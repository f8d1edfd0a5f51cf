/* mxctl_out: the sanitiser of mxctl's output. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/mxctl_out.h"

/* Decodes one UTF-8 sequence at s; returns its length, or 0 when invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t min;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2, min = 0x80, *cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3, min = 0x800, *cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        return 0;
    return n;
}

/* Characters that reorder or hide text on a terminal: C1 controls and the same bidi and
 * invisible characters as the widgets' sanitiser (widgets/sanitize.c), so a name looks alike in
 * mxctl and mxtui. */
static bool is_hidden(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x0080, 0x009F},   /* C1 controls */
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

void out_text(FILE *f, const char *s)
{
    if (!s) {
        fputs("-", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp = 0;
        size_t n = utf8_next(p, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f) {
            fprintf(f, "\\x%02x", *p);
            p++;
            continue;
        }
        if (is_hidden(cp))
            fprintf(f, "\\u{%04x}", (unsigned)cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}

void out_json(FILE *f, const char *json)
{
    const unsigned char *p = (const unsigned char *)json;
    while (*p) {
        uint32_t cp = 0;
        size_t n = utf8_next(p, &cp);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
            continue;
        }
        /* cJSON escapes C0 itself; these remain and can only sit inside strings. */
        if (cp == 0x7f || is_hidden(cp))
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}
