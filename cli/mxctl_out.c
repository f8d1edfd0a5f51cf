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

/* Characters that reorder or hide text on a terminal. */
static bool is_hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
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
