/* mxtui's screen as terminals differ: resizing (and the "too small" notice), no colours
 * (NO_COLOR), a VT220 without colours or UTF-8, the help overlay built from the key table, and
 * what signals do (the terminal restored, the server session ended, Ctrl-Z and back). Against a
 * live mxapid, through the pty harness. */
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void to_domains(struct tui *u, const struct tui_opts *o)
{
    cr_assert_eq(tui_begin(u, o), 0);
    cr_assert(tui_login(u, "10001", "demo-10001", "Hosting Plus"));
    tui_key(u, "Enter");
    cr_assert(tui_wait(u, "shop.example.de", TUI_WAIT_MS));
}

/* The key bar is on the last row and the breadcrumb on the first, whatever the size. */
static void check_frame(struct tui *u, int rows)
{
    char row[1024];
    term_row_text(u->t, 0, row, sizeof row);
    cr_assert(strstr(row, "Hosting Plus"), "breadcrumb on the first row: %s", row);
    term_row_text(u->t, rows - 1, row, sizeof row);
    cr_assert(strstr(row, "F1 Help"), "key bar on the last row: %s", row);
}

Test(tui_screen, resize_lays_out_again_and_too_small_says_so)
{
    struct tui u;
    to_domains(&u, NULL);
    check_frame(&u, 24);
    cr_assert_eq(term_resize(u.t, 43, 132), 0);
    cr_assert(tui_wait(&u, "1/6", TUI_WAIT_MS));
    term_wait_idle(u.t, 80, TUI_WAIT_MS);
    check_frame(&u, 43);
    cr_assert_eq(term_resize(u.t, 20, 60), 0);
    cr_assert(tui_wait(&u, "Terminal too small: 60x20, needs at least 80x24", TUI_WAIT_MS));
    /* Keys do nothing while the screen cannot be seen. */
    tui_key(&u, "Esc");
    tui_key(&u, "Enter");
    term_wait_idle(u.t, 100, TUI_WAIT_MS);
    cr_assert_eq(term_resize(u.t, 24, 80), 0);
    cr_assert(tui_wait(&u, "Domains in package Hosting Plus", TUI_WAIT_MS));
    term_wait_idle(u.t, 80, TUI_WAIT_MS);
    check_frame(&u, 24);
    tui_end(&u);
}

/* The widgets' own words follow the language too: a filtered list's count and the notice of a
 * terminal too small (they were English in the German interface), as do the keys' names. */
Test(tui_screen, the_widgets_own_words_are_german_in_german)
{
    struct tui_opts o = {.lang = "de"};
    struct tui u;
    to_domains(&u, &o); /* its waits are the same in both languages */
    tui_type(&u, "xn");
    cr_assert(tui_wait(&u, "/xn  (1 von 6)", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, " of "));
    cr_assert_eq(term_resize(u.t, 20, 60), 0);
    cr_assert(tui_wait(&u, "Terminal zu klein: 60x20, nötig sind mindestens 80x24", TUI_WAIT_MS));
    cr_assert_eq(term_resize(u.t, 24, 80), 0);
    cr_assert(tui_wait(&u, "Domains im Paket Hosting Plus", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_screen, without_colour_the_selection_and_errors_still_show)
{
    const char *env[] = {"NO_COLOR=1", NULL};
    struct tui_opts o = {.env = env};
    struct tui u;
    to_domains(&u, &o);
    /* No cell uses a colour of the palette. */
    for (int r = 0; r < 24; r++)
        for (int c = 0; c < 80; c++) {
            struct term_cell cell;
            term_cell(u.t, r, c, &cell);
            cr_assert(cell.fg < 0 && cell.bg < 0, "cell %d,%d has colour %d/%d", r, c, cell.fg,
                      cell.bg);
        }
    /* The selected row is marked by a symbol and reverse video. */
    int r, c;
    cr_assert(term_find(u.t, "\u25B8", &r, &c));
    struct term_cell cell;
    term_cell(u.t, r, c + 2, &cell);
    cr_assert(cell.reverse, "the selected row is in reverse video");
    tui_end(&u);
}

Test(tui_screen, a_vt220_gets_ascii_and_no_colour)
{
    struct tui_opts o = {.term = "vt220", .locale = "C"};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    /* An error's ASCII mark is 'x', a warning's '!': both were '!' and told nothing apart. */
    cr_assert(tui_login(&u, "10001", "wrong-password", "x Login or password is wrong"));
    cr_assert(tui_login(&u, NULL, "demo-10001", "Hosting Plus"));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "xn--mller-kva.de", TUI_WAIT_MS));
    /* Without UTF-8 the breadcrumb uses ASCII, the selection mark is '>', and the IDN shows as
     * its A-label in the name column instead of as escapes. */
    cr_assert(tui_wait(&u, "mxtui > 10001 > Hosting Plus", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "> example.de", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "\\u{"), "no escapes for the IDN");
    int r, c;
    cr_assert(term_find(u.t, "  xn--mller-kva.de", &r, &c));
    cr_assert_eq(c, 0, "the A-label stands in the name column");
    struct term_cell cell;
    term_cell(u.t, 0, 1, &cell);
    cr_assert(cell.fg < 0 && cell.bg < 0, "no colour on a vt220");
    tui_end(&u);
}

Test(tui_screen, help_is_built_from_the_key_table)
{
    struct tui u;
    to_domains(&u, NULL);
    tui_key(&u, "F1");
    cr_assert(tui_wait(&u, "Keys on this screen:", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "open the DNS settings of the selected name", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "log out and leave mxtui", TUI_WAIT_MS));
    tui_key(&u, "Esc");
    cr_assert(tui_wait_gone(&u, "Keys on this screen:", TUI_WAIT_MS));
    /* '?' opens it too where nothing is typed. */
    tui_type(&u, "?");
    cr_assert(tui_wait(&u, "Keys on this screen:", TUI_WAIT_MS));
    tui_key(&u, "Enter");
    cr_assert(tui_wait_gone(&u, "Keys on this screen:", TUI_WAIT_MS));
    tui_end(&u);
}

static void signal_ends_session(int sig)
{
    struct tui u;
    to_domains(&u, NULL);
    cr_assert_eq(tui_server_log_count(&u, "DELETE /v1/sessions/current"), 0);
    kill(term_pid(u.t), sig);
    int status = 0;
    cr_assert(term_wait_exit(u.t, TUI_WAIT_MS, &status), "mxtui did not exit on signal %d", sig);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig, "exit status %d", status);
    cr_assert(tui_wait_logged(&u, "DELETE /v1/sessions/current 204", TUI_WAIT_MS),
              "the session was not ended on the server");
    cr_assert_not(term_has_text(u.t, "Domains in package"), "the alternate screen was left");
    bool visible = false;
    term_cursor(u.t, NULL, NULL, &visible);
    cr_assert(visible, "the cursor is visible again");
    tui_end(&u);
}

Test(tui_screen, sighup_restores_the_terminal_and_ends_the_session)
{
    signal_ends_session(SIGHUP);
}

Test(tui_screen, sigterm_and_sigint_end_the_session_too)
{
    signal_ends_session(SIGTERM);
    signal_ends_session(SIGINT);
}

Test(tui_screen, f10_logs_out_and_quits)
{
    struct tui u;
    to_domains(&u, NULL);
    tui_key(&u, "F10");
    int status = 0;
    cr_assert(term_wait_exit(u.t, TUI_WAIT_MS, &status));
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
    cr_assert(tui_wait_logged(&u, "DELETE /v1/sessions/current 204", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_screen, ctrl_z_and_back_draws_the_screen_again)
{
    struct tui u;
    to_domains(&u, NULL);
    term_mark_bytes(u.t);
    tui_key(&u, "C-z");
    /* The harness is no job-control shell: mxtui's process group is orphaned, so the stop
     * itself is discarded, but curses leaves and re-enters the screen as for a real one (and
     * drops what was typed meanwhile). A SIGCONT stands for the resume. */
    cr_assert(term_wait_idle(u.t, 150, TUI_WAIT_MS));
    cr_assert_gt(term_bytes_since_mark(u.t), 0, "curses left and re-entered the screen");
    kill(term_pid(u.t), SIGCONT);
    cr_assert(term_wait_idle(u.t, 150, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Domains in package Hosting Plus", TUI_WAIT_MS));
    tui_key(&u, "Down");
    cr_assert(tui_wait(&u, "2/6", TUI_WAIT_MS));
    tui_end(&u);
}
