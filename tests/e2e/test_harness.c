/* The harness itself: each detector must be able to see what it is there to see, or the
 * gallery tests that rely on it (no title change, byte counts, keys) would prove nothing. */
#include "tests/harness/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { WAIT_MS = 10000 }; /* generous: only a failing test waits this long */

static struct term *sh(const char *script, int rows, int cols)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    struct term_opts o = {.argv = argv, .rows = rows, .cols = cols};
    struct term *t = term_start(&o);
    cr_assert_not_null(t);
    return t;
}

Test(harness, sees_a_title_change)
{
    struct term *t = sh("printf '\\033]0;hello\\007ready'; read x", 24, 80);
    cr_assert(term_wait_text(t, "ready", WAIT_MS));
    cr_assert(term_title_changed(t));
    cr_assert_str_eq(term_title(t), "hello");
    term_free(&t);
    cr_assert_null(t);
}

Test(harness, counts_unhandled_osc_and_the_bell)
{
    struct term *t = sh("printf '\\033]52;c;aGk=\\007\\007ready'; read x", 24, 80);
    cr_assert(term_wait_text(t, "ready", WAIT_MS));
    cr_assert_eq(term_unknown_sequences(t), 1, "OSC 52 (clipboard) is reported");
    cr_assert_eq(term_bells(t), 1);
    cr_assert_not(term_title_changed(t));
    term_free(&t);
}

Test(harness, collects_the_exit_status)
{
    struct term *t = sh("printf bye; exit 3", 24, 80);
    int status = -1;
    cr_assert(term_wait_exit(t, WAIT_MS, &status));
    cr_assert(WIFEXITED(status));
    cr_assert_eq(WEXITSTATUS(status), 3);
    cr_assert(term_has_text(t, "bye"), "output before the exit is still read");
    term_free(&t);
}

Test(harness, sends_terminfo_key_sequences)
{
    /* od shows the bytes the "terminal" sent: xterm's kcuu1 is ESC O A, kf1 is ESC O P. */
    struct term *t = sh("stty raw -echo; printf go; dd bs=1 count=6 2>/dev/null | od -An -c; "
                        "read x",
                        24, 80);
    cr_assert(term_wait_text(t, "go", WAIT_MS));
    cr_assert_eq(term_send_key(t, "Up"), 0);
    cr_assert_eq(term_send_key(t, "F1"), 0);
    cr_assert(term_wait_text(t, "033   O   A 033   O   P", WAIT_MS));
    cr_assert_eq(term_send_key(t, "NoSuchKey"), -1);
    term_free(&t);
}

Test(harness, resizes_the_terminal)
{
    struct term *t = sh("stty size; read x; stty size; read y", 24, 80);
    cr_assert(term_wait_text(t, "24 80", WAIT_MS));
    cr_assert_eq(term_resize(t, 43, 132), 0);
    cr_assert_eq(term_rows(t), 43);
    cr_assert_eq(term_cols(t), 132);
    term_send_text(t, "\r");
    cr_assert(term_wait_text(t, "43 132", WAIT_MS));
    term_free(&t);
}

Test(harness, counts_bytes_since_a_mark)
{
    struct term *t = sh("stty -echo; printf ready; read x; printf 0123456789; read y", 24, 80);
    cr_assert(term_wait_text(t, "ready", WAIT_MS));
    term_wait_idle(t, 30, WAIT_MS);
    term_mark_bytes(t);
    cr_assert_eq(term_bytes_since_mark(t), 0);
    term_send_text(t, "\r");
    cr_assert(term_wait_text(t, "0123456789", WAIT_MS));
    cr_assert_eq(term_bytes_since_mark(t), 10);
    cr_assert_geq(term_bytes_total(t), 15);
    term_free(&t);
}

Test(harness, reads_cells_with_colours_and_attributes)
{
    struct term *t = sh("printf '\\033[1;31mR\\033[0m\\033[7mV\\033[0m\\033[38;5;200mP\\033[0mü'; "
                        "read x",
                        24, 80);
    cr_assert(term_wait_text(t, "RVPü", WAIT_MS));
    struct term_cell c;
    cr_assert(term_cell(t, 0, 0, &c));
    cr_assert_str_eq(c.text, "R");
    cr_assert(c.bold);
    cr_assert_eq(c.fg, 1);
    cr_assert_eq(c.bg, -1);
    cr_assert(term_cell(t, 0, 1, &c));
    cr_assert(c.reverse);
    cr_assert_not(c.bold);
    cr_assert(term_cell(t, 0, 2, &c));
    cr_assert_eq(c.fg, 200);
    cr_assert(term_cell(t, 0, 3, &c));
    cr_assert_str_eq(c.text, "ü");
    cr_assert_not(term_cell(t, 24, 0, &c), "outside the screen");
    int row, col;
    cr_assert(term_find(t, "Pü", &row, &col));
    cr_assert_eq(row, 0);
    cr_assert_eq(col, 2);
    term_free(&t);
}

Test(harness, wide_characters_take_two_cells)
{
    struct term *t = sh("printf 'a\\344\\270\\255b'; read x", 24, 80); /* a, U+4E2D, b */
    cr_assert(term_wait_text(t, "a中b", WAIT_MS));
    struct term_cell c;
    term_cell(t, 0, 1, &c);
    cr_assert_eq(c.width, 2);
    term_cell(t, 0, 2, &c);
    cr_assert_str_eq(c.text, "");
    cr_assert_eq(term_find_in_row(t, 0, "b"), 3);
    term_free(&t);
}

Test(harness, waits_end_at_their_deadline)
{
    struct term *t = sh("printf ready; read x", 24, 80);
    cr_assert(term_wait_text(t, "ready", WAIT_MS));
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert_not(term_wait_text(t, "never shown", 200));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    cr_assert(ms >= 190 && ms < 2000, "waited %ld ms", ms);
    cr_assert_not(term_wait_gone(t, "ready", 100));
    term_free(&t);
}

Test(harness, writes_txt_svg_and_png)
{
    char dir[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/harness-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    struct term *t =
        sh("printf '\\033[1;32mgreen & <bold>\\033[0m\\n\\033(0lqk\\033(B'; read x", 24, 80);
    cr_assert(term_wait_text(t, "green & <bold>", WAIT_MS));
    cr_assert(term_wait_text(t, "┌─┐", WAIT_MS), "DEC line drawing becomes box characters");
    char txt[600], svg[600], png[600];
    snprintf(txt, sizeof txt, "%s/s.txt", dir);
    snprintf(svg, sizeof svg, "%s/s.svg", dir);
    snprintf(png, sizeof png, "%s/s.png", dir);
    cr_assert_eq(term_write_txt(t, txt), 0);
    cr_assert_eq(term_write_png(t, svg, png), 0);
    char buf[65536];
    FILE *f = fopen(txt, "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    cr_assert(strncmp(buf, "green & <bold>\n┌─┐\n", strlen("green & <bold>\n┌─┐\n")) == 0,
              "txt: %s", buf);
    f = fopen(svg, "r");
    cr_assert_not_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    cr_assert(strstr(buf, "<svg"));
    cr_assert(strstr(buf, ">&amp;<") && strstr(buf, ">&lt;bold&gt;<"), "text escaped for XML");
    cr_assert(strstr(buf, "font-weight=\"bold\""));
    f = fopen(png, "rb");
    cr_assert_not_null(f);
    unsigned char magic[8] = {0};
    cr_assert_eq(fread(magic, 1, 8, f), 8);
    fclose(f);
    cr_assert(memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0, "a PNG file");
    term_free(&t);
    unlink(txt);
    unlink(svg);
    unlink(png);
    rmdir(dir);
}

Test(harness, a_program_that_cannot_start_exits_127)
{
    const char *argv[] = {"./no-such-program", NULL};
    struct term_opts o = {.argv = argv};
    struct term *t = term_start(&o);
    cr_assert_not_null(t);
    int status = -1;
    cr_assert(term_wait_exit(t, WAIT_MS, &status));
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 127, "status %d", status);
    term_free(&t);
}
