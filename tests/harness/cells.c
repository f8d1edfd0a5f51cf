/* Reading the screen model: cells, rows, text search, the cursor; see harness.h. */
#include "tests/harness/harness.h"

#include "tests/harness/harness_int.h"

#include <stdlib.h>
#include <string.h>

bool term_has_text(struct term *t, const char *text)
{
    char row[4096];
    for (int r = 0; r < t->rows; r++) {
        term_row_text(t, r, row, sizeof row);
        if (strstr(row, text))
            return true;
    }
    return false;
}

static size_t put_utf8(uint32_t cp, char *out)
{
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

static int colour_code(const VTermScreen *s, VTermColor c, bool fg, uint32_t *rgb)
{
    int code;
    if (fg ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
        code = -1;
    else if (VTERM_COLOR_IS_INDEXED(&c))
        code = c.indexed.idx;
    else
        code = TERM_RGB | (c.rgb.red << 16) | (c.rgb.green << 8) | c.rgb.blue;
    if (code == -1) {
        *rgb = fg ? HARNESS_DEFAULT_FG : HARNESS_DEFAULT_BG;
        return code;
    }
    vterm_screen_convert_color_to_rgb(s, &c);
    *rgb = ((uint32_t)c.rgb.red << 16) | ((uint32_t)c.rgb.green << 8) | c.rgb.blue;
    return code;
}

bool term_cell(struct term *t, int row, int col, struct term_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    if (row < 0 || row >= t->rows || col < 0 || col >= t->cols)
        return false;
    VTermScreenCell c;
    VTermPos pos = {.row = row, .col = col};
    if (!vterm_screen_get_cell(t->screen, pos, &c))
        return false;
    size_t o = 0;
    bool continuation = false;
    if (col > 0) {
        VTermScreenCell prev;
        VTermPos pp = {.row = row, .col = col - 1};
        if (vterm_screen_get_cell(t->screen, pp, &prev) && prev.width == 2)
            continuation = true;
    }
    if (!continuation) {
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i]; i++) {
            if (c.chars[i] == (uint32_t)-1 || o + 4 >= sizeof cell->text)
                break;
            o += put_utf8(c.chars[i], cell->text + o);
        }
        if (o == 0)
            cell->text[o++] = ' ';
    }
    cell->text[o] = 0;
    cell->width = continuation ? 0 : (c.width > 0 ? c.width : 1);
    cell->bold = c.attrs.bold;
    cell->underline = c.attrs.underline != 0;
    cell->italic = c.attrs.italic;
    cell->blink = c.attrs.blink;
    cell->reverse = c.attrs.reverse;
    cell->fg = colour_code(t->screen, c.fg, true, &cell->fg_rgb);
    cell->bg = colour_code(t->screen, c.bg, false, &cell->bg_rgb);
    return true;
}

size_t term_row_text(struct term *t, int row, char *buf, size_t size)
{
    size_t o = 0, keep = 0;
    if (size == 0)
        return 0;
    struct term_cell c;
    for (int col = 0; col < t->cols; col++) {
        if (!term_cell(t, row, col, &c))
            break;
        size_t n = strlen(c.text);
        if (o + n + 1 > size)
            break;
        memcpy(buf + o, c.text, n);
        o += n;
        if (n && strcmp(c.text, " ") != 0)
            keep = o;
    }
    buf[keep] = 0;
    return keep;
}

char *term_screen_text(struct term *t)
{
    size_t cap = (size_t)t->rows * ((size_t)t->cols * 8 + 1) + 1, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (int r = 0; r < t->rows; r++) {
        o += term_row_text(t, r, out + o, cap - o - 1);
        out[o++] = '\n';
    }
    out[o] = 0;
    return out;
}

int term_find_in_row(struct term *t, int row, const char *text)
{
    char buf[4096];
    size_t len = term_row_text(t, row, buf, sizeof buf);
    const char *hit = strstr(buf, text);
    if (!hit || len == 0)
        return -1;
    /* Map the byte offset back to a column: walk the cells. */
    size_t off = (size_t)(hit - buf), o = 0;
    struct term_cell c;
    for (int col = 0; col < t->cols; col++) {
        term_cell(t, row, col, &c);
        if (c.width && o >= off)
            return col;
        o += strlen(c.text);
    }
    return -1;
}

bool term_find(struct term *t, const char *text, int *row, int *col)
{
    for (int r = 0; r < t->rows; r++) {
        int c = term_find_in_row(t, r, text);
        if (c >= 0) {
            *row = r;
            *col = c;
            return true;
        }
    }
    return false;
}

void term_cursor(struct term *t, int *row, int *col, bool *visible)
{
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
    if (row)
        *row = pos.row;
    if (col)
        *col = pos.col;
    if (visible)
        *visible = t->cursor_visible;
}
