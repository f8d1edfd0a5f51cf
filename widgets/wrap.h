/* wrap: breaks text into lines of a given display width, at spaces when it can. Pure logic,
 * used by the information panel and dialogs. */
#ifndef WIDGETS_WRAP_H
#define WIDGETS_WRAP_H

#include <stddef.h>

/* One wrapped line: s[start .. start+len) of the original text. */
struct wrap_line {
    size_t start, len;
};

/* Wraps s (NUL-terminated, "\n" forces a break) to width columns of sanitised text and stores
 * up to max lines in out. Returns the total number of lines (which may exceed max). */
size_t wrap_text(const char *s, int width, struct wrap_line *out, size_t max);

#endif
