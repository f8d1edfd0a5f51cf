/* widgets-keys: what one keystroke costs on the terminal. Drives the widget gallery through the
 * harness (80x24, xterm-256color, C.UTF-8) and measures, per keystroke, the bytes the program
 * writes, the screen cells that really change (the cursor not counted), and the time until the
 * screen shows the result.
 * Prints a Markdown section for bench/RESULTS.md.
 *     widgets-keys GALLERY */
#include "tests/harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ROWS = 24, COLS = 80, WAIT_MS = 10000 };

struct snap {
    struct term_cell c[ROWS][COLS];
};

struct series {
    const char *what;
    int n;
    size_t bytes[512];
    int cells[512];
    double ms[512];
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void take(struct term *t, struct snap *s)
{
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++)
            term_cell(t, r, c, &s->c[r][c]);
}

static int changed(const struct snap *a, const struct snap *b)
{
    int n = 0;
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            const struct term_cell *x = &a->c[r][c], *y = &b->c[r][c];
            if (strcmp(x->text, y->text) != 0 || x->fg != y->fg || x->bg != y->bg ||
                x->bold != y->bold || x->reverse != y->reverse || x->underline != y->underline)
                n++;
        }
    return n;
}

static struct term *start(const char *gallery, const char *page, const char *ready)
{
    const char *argv[] = {gallery, "--page", page, NULL};
    struct term_opts o = {.argv = argv, .rows = ROWS, .cols = COLS};
    struct term *t = term_start(&o);
    if (!t || !term_wait_text(t, ready, WAIT_MS)) {
        fprintf(stderr, "widgets-keys: the gallery page %s did not start\n", page);
        exit(1);
    }
    term_wait_idle(t, 100, WAIT_MS);
    return t;
}

/* One keystroke: send it, wait until `expect` shows (the time), then until the output stops
 * (the bytes), and count the cells that changed. */
static void step(struct term *t, struct series *s, const char *key, const char *text,
                 const char *expect)
{
    static struct snap before, after;
    take(t, &before);
    int r0, c0;
    term_cursor(t, &r0, &c0, NULL);
    term_mark_bytes(t);
    double t0 = now_ms();
    if (key)
        term_send_key(t, key);
    else
        term_send_text(t, text);
    if (expect && !term_wait_text(t, expect, WAIT_MS)) {
        fprintf(stderr, "widgets-keys: %s: \"%s\" did not appear\n", s->what, expect);
        exit(1);
    }
    /* Without a text to wait for, the keystroke only moves the cursor: wait for that. */
    for (double end = t0 + WAIT_MS; !expect;) {
        int r1, c1;
        term_cursor(t, &r1, &c1, NULL);
        if (r1 != r0 || c1 != c0)
            break;
        if (now_ms() > end) {
            fprintf(stderr, "widgets-keys: %s: the cursor did not move\n", s->what);
            exit(1);
        }
        term_pump(t, 10);
    }
    double t1 = now_ms();
    term_wait_idle(t, 30, WAIT_MS);
    take(t, &after);
    if (s->n < 512) {
        s->bytes[s->n] = term_bytes_since_mark(t);
        s->cells[s->n] = changed(&before, &after);
        s->ms[s->n] = t1 - t0;
        s->n++;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const struct series *s)
{
    double bytes = 0, cells = 0, ms[512] = {0};
    if (s->n == 0)
        return;
    size_t maxb = 0;
    for (int i = 0; i < s->n; i++) {
        bytes += (double)s->bytes[i];
        cells += s->cells[i];
        if (s->bytes[i] > maxb)
            maxb = s->bytes[i];
        ms[i] = s->ms[i];
    }
    qsort(ms, (size_t)s->n, sizeof ms[0], cmp_double);
    printf("| %s | %d | %.1f | %zu | %.1f | %.2f | %.2f |\n", s->what, s->n, bytes / s->n, maxb,
           cells / s->n, ms[s->n / 2], ms[s->n - 1]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: widgets-keys GALLERY\n", stderr);
        return 2;
    }
    const char *gallery = argv[1];
    static struct series typing = {.what = "type a character into a text field"};
    static struct series cursor = {.what = "Left in a text field"};
    static struct series down = {.what = "Down in a 100,000-row list (no scrolling)"};
    static struct series scroll = {.what = "Down in a 100,000-row list (scrolling)"};
    static struct series pgdn = {.what = "PgDn in a 100,000-row list"};
    static struct series filter = {.what = "type a filter character (100,000 rows)"};
    static struct series unfilter = {.what = "Backspace in the filter (rescan 100,000 rows)"};

    /* A text field: type 40 characters (the last ones scroll the field), then move left. */
    struct term *t = start(gallery, "field", "Long name");
    term_send_key(t, "C-u");
    term_wait_gone(t, "mail.example.de ", WAIT_MS);
    term_wait_idle(t, 50, WAIT_MS);
    const char *word = "backup-mail-server-number-two.example.de";
    char shown[64];
    for (int i = 0; i < 28 && word[i]; i++) {
        char ch[2] = {word[i], 0};
        memcpy(shown, word, (size_t)i + 1);
        shown[i + 1] = 0;
        step(t, &typing, NULL, ch, shown);
    }
    for (int i = 0; i < 20; i++) {
        step(t, &cursor, "Left", NULL, NULL);
    }
    term_free(&t);

    /* The list page with 100,000 rows: 17 rows fit; Down first moves, then scrolls. */
    t = start(gallery, "list", "1/100000");
    char pos[32];
    for (int i = 2; i <= 17; i++) {
        snprintf(pos, sizeof pos, " %d/100000", i);
        step(t, &down, "Down", NULL, pos);
    }
    for (int i = 18; i <= 117; i++) {
        snprintf(pos, sizeof pos, " %d/100000", i);
        step(t, &scroll, "Down", NULL, pos);
    }
    for (int i = 0; i < 50; i++) {
        snprintf(pos, sizeof pos, " %d/100000", 117 + 17 * (i + 1));
        step(t, &pgdn, "PageDown", NULL, pos);
    }
    const char *needle = "kunde-01234";
    char expect[64];
    for (int i = 0; needle[i]; i++) {
        char ch[2] = {needle[i], 0};
        snprintf(expect, sizeof expect, "/%.*s  (", i + 1, needle);
        step(t, &filter, NULL, ch, expect);
    }
    for (int i = (int)strlen(needle) - 1; i > 0; i--) {
        snprintf(expect, sizeof expect, "/%.*s  (", i, needle);
        step(t, &unfilter, "Backspace", NULL, expect);
    }
    term_free(&t);

    printf("| keystroke | n | bytes/key (mean) | bytes/key (max) | cells changed (mean) | "
           "ms to screen (median) | ms (max) |\n");
    printf("|---|---|---|---|---|---|---|\n");
    report(&typing);
    report(&cursor);
    report(&down);
    report(&scroll);
    report(&pgdn);
    report(&filter);
    report(&unfilter);
    return 0;
}
