/* Word wrapping by display width; see wrap.h. */
#include "widgets/wrap.h"

#include "widgets/sanitize.h"

#include <string.h>

static void put(struct wrap_line *out, size_t max, size_t n, size_t start, size_t len)
{
    if (n < max) {
        out[n].start = start;
        out[n].len = len;
    }
}

size_t wrap_text(const char *s, int width, struct wrap_line *out, size_t max)
{
    size_t n = 0, len = strlen(s);
    size_t line = 0; /* start of the current line */
    if (width < 1)
        width = 1;
    while (line <= len) {
        size_t i = line, last_space = (size_t)-1;
        int w = 0;
        uint32_t cp;
        for (;;) {
            if (i >= len || s[i] == '\n') {
                put(out, max, n++, line, i - line);
                line = i + 1;
                break;
            }
            size_t k = utf8_decode(s + i, len - i, &cp);
            int cw = sanitize_cp_width(cp);
            if (w + cw > width && i > line) {
                if (cp == ' ') {
                    /* The text fits up to this space: break here. */
                    put(out, max, n++, line, i - line);
                    line = i + 1;
                } else if (last_space != (size_t)-1 && last_space > line) {
                    put(out, max, n++, line, last_space - line);
                    line = last_space + 1;
                } else {
                    put(out, max, n++, line, i - line);
                    line = i;
                }
                break;
            }
            if (cp == ' ')
                last_space = i;
            w += cw;
            i += k;
        }
        if (line > len)
            break;
        if (line == len && (len == 0 || s[len - 1] != '\n'))
            break;
    }
    return n;
}
