/* Pictures of the screen: .txt, .svg and .png (through rsvg-convert); see harness.h. */
#include "tests/harness/harness.h"

#include "tests/harness/harness_int.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* Cell geometry for DejaVu Sans Mono at 14 px: its advance is 0.602 em. */
static const double CELL_W = 8.43, CELL_H = 17.0, FONT_PX = 14.0, BASELINE = 13.0;

int term_write_txt(struct term *t, const char *path)
{
    char *s = term_screen_text(t);
    if (!s)
        return -1;
    FILE *f = fopen(path, "w");
    int rc = -1;
    if (f) {
        rc = fputs(s, f) < 0 ? -1 : 0;
        if (fclose(f) != 0)
            rc = -1;
    }
    free(s);
    return rc;
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Box-drawing characters are drawn as lines so that they meet across cells whatever the
 * font's line height. Bits: 1 up, 2 down, 4 left, 8 right. */
static int box_bits(const char *s)
{
    static const struct {
        const char *ch;
        int bits;
    } boxes[] = {
        {"\u2500", 12}, {"\u2502", 3},  {"\u250C", 10}, {"\u2510", 6},  {"\u2514", 9},
        {"\u2518", 5},  {"\u251C", 11}, {"\u2524", 7},  {"\u252C", 14}, {"\u2534", 13},
        {"\u253C", 15}, {"\u256D", 10}, {"\u256E", 6},  {"\u2570", 9},  {"\u256F", 5},
    };
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        if (!strcmp(s, boxes[i].ch))
            return boxes[i].bits;
    return 0;
}

static void cell_colours(const struct term_cell *c, uint32_t *fg, uint32_t *bg)
{
    *fg = c->fg_rgb;
    *bg = c->bg_rgb;
    if (c->reverse) {
        uint32_t tmp = *fg;
        *fg = *bg;
        *bg = tmp;
    }
}

int term_write_svg(struct term *t, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    double W = t->cols * CELL_W, H = t->rows * CELL_H;
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.2f %.2f\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06X\"/>\n"
            "<g shape-rendering=\"crispEdges\">\n",
            W, H, W, H, (unsigned)HARNESS_DEFAULT_BG);
    struct term_cell c;
    /* Backgrounds: runs of one colour per row. */
    for (int r = 0; r < t->rows; r++) {
        int start = 0;
        uint32_t run_bg = HARNESS_DEFAULT_BG;
        for (int col = 0; col <= t->cols; col++) {
            uint32_t fg, bg = HARNESS_DEFAULT_BG;
            if (col < t->cols) {
                term_cell(t, r, col, &c);
                cell_colours(&c, &fg, &bg);
            }
            if (col == t->cols || bg != run_bg) {
                if (run_bg != HARNESS_DEFAULT_BG && col > start)
                    fprintf(f,
                            "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                            "fill=\"#%06X\"/>\n",
                            start * CELL_W, r * CELL_H, (col - start) * CELL_W, CELL_H,
                            (unsigned)run_bg);
                start = col;
                run_bg = bg;
            }
        }
    }
    fputs("</g>\n", f);
    /* Lines, then text in runs of one style with an x position per character. */
    fprintf(f,
            "<g font-family=\"DejaVu Sans Mono, monospace\" font-size=\"%.0f\" "
            "xml:space=\"preserve\">\n",
            FONT_PX);
    for (int r = 0; r < t->rows; r++) {
        for (int col = 0; col < t->cols; col++) {
            term_cell(t, r, col, &c);
            if (!c.width || !strcmp(c.text, " "))
                continue;
            uint32_t fg, bg;
            cell_colours(&c, &fg, &bg);
            int bits = box_bits(c.text);
            if (bits) {
                double cx = (col + 0.5) * CELL_W, cy = (r + 0.5) * CELL_H;
                double x0 = col * CELL_W, x1 = (col + 1) * CELL_W;
                double y0 = r * CELL_H, y1 = (r + 1) * CELL_H;
                fprintf(f, "<path stroke=\"#%06X\" stroke-width=\"1.2\" fill=\"none\" d=\"",
                        (unsigned)fg);
                if (bits & 1)
                    fprintf(f, "M%.2f %.2fV%.2f", cx, y0, cy);
                if (bits & 2)
                    fprintf(f, "M%.2f %.2fV%.2f", cx, cy, y1);
                if (bits & 4)
                    fprintf(f, "M%.2f %.2fH%.2f", x0, cy, cx);
                if (bits & 8)
                    fprintf(f, "M%.2f %.2fH%.2f", cx, cy, x1);
                fputs("\"/>\n", f);
                continue;
            }
            /* Collect a run of cells with the same look. */
            char text[4096];
            char xs[8192];
            size_t to = 0, xo = 0;
            struct term_cell first = c;
            int k = col;
            for (; k < t->cols; k++) {
                struct term_cell d;
                term_cell(t, r, k, &d);
                uint32_t dfg, dbg;
                cell_colours(&d, &dfg, &dbg);
                if (!d.width)
                    continue;
                if (!strcmp(d.text, " ") || box_bits(d.text) || dfg != fg || d.bold != first.bold ||
                    d.underline != first.underline || d.italic != first.italic)
                    break;
                size_t n = strlen(d.text);
                if (to + n + 1 > sizeof text || xo + 16 > sizeof xs)
                    break;
                memcpy(text + to, d.text, n);
                to += n;
                xo +=
                    (size_t)snprintf(xs + xo, sizeof xs - xo, "%s%.2f", xo ? " " : "", k * CELL_W);
            }
            text[to] = 0;
            fprintf(f, "<text x=\"%s\" y=\"%.2f\" fill=\"#%06X\"%s%s%s>", xs, r * CELL_H + BASELINE,
                    (unsigned)fg, first.bold ? " font-weight=\"bold\"" : "",
                    first.underline ? " text-decoration=\"underline\"" : "",
                    first.italic ? " font-style=\"italic\"" : "");
            xml_text(f, text);
            fputs("</text>\n", f);
            col = k - 1;
        }
        /* Underlined blanks (monochrome input areas) still show their underline. */
        for (int col = 0; col < t->cols; col++) {
            term_cell(t, r, col, &c);
            if (c.underline && !strcmp(c.text, " ")) {
                uint32_t fg, bg;
                cell_colours(&c, &fg, &bg);
                fprintf(f, "<path stroke=\"#%06X\" stroke-width=\"1\" d=\"M%.2f %.2fH%.2f\"/>\n",
                        (unsigned)fg, col * CELL_W, r * CELL_H + BASELINE + 2, (col + 1) * CELL_W);
            }
        }
    }
    fputs("</g>\n", f);
    int crow, ccol;
    bool visible;
    term_cursor(t, &crow, &ccol, &visible);
    if (visible && crow >= 0 && crow < t->rows && ccol >= 0 && ccol < t->cols)
        fprintf(f,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#%06X\" "
                "fill-opacity=\"0.6\"/>\n",
                ccol * CELL_W, crow * CELL_H + CELL_H - 3, CELL_W, 2.0,
                (unsigned)HARNESS_DEFAULT_FG);
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

int term_write_png(struct term *t, const char *svg_path, const char *png_path)
{
    if (term_write_svg(t, svg_path) != 0)
        return -1;
    char *const argv[] = {(char *)"rsvg-convert", (char *)"-o", (char *)png_path, (char *)svg_path,
                          NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "rsvg-convert", NULL, NULL, argv, environ) != 0)
        return -1;
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
