/* mxctl_out: the sanitiser of mxctl's output. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli/mxctl_out.h"
/* The one sanitiser's classification: what hides or reorders text is the same set in mxctl
 * as in mxtui. */
#include "widgets/sanitize.h"

/* Decodes the code point at p (rest bytes left); returns its length, or 0 for a byte that
 * is not valid UTF-8 (the widgets' decoder gives U+FFFD from one byte then; a real U+FFFD
 * takes three). */
static size_t next_cp(const unsigned char *p, size_t rest, uint32_t *cp)
{
    size_t n = utf8_decode((const char *)p, rest, cp);
    return n == 1 && *cp == 0xFFFD ? 0 : n;
}

void out_text(FILE *f, const char *s)
{
    if (!s) {
        fputs("-", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    while (p < end) {
        uint32_t cp = 0;
        size_t n = next_cp(p, (size_t)(end - p), &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f) {
            fprintf(f, "\\x%02x", *p);
            p++;
            continue;
        }
        if (sanitize_is_hidden(cp))
            fprintf(f, "\\u{%04x}", (unsigned)cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}

void out_json(FILE *f, const char *json)
{
    const unsigned char *p = (const unsigned char *)json;
    const unsigned char *end = p + strlen(json);
    while (p < end) {
        uint32_t cp = 0;
        size_t n = next_cp(p, (size_t)(end - p), &cp);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
            continue;
        }
        /* cJSON escapes C0 itself; these remain and can only sit inside strings. */
        if (cp == 0x7f || sanitize_is_hidden(cp))
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}
