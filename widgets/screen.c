/* The terminal of one event loop; see screen.h. */
#include "widgets/screen.h"

#include "widgets/sanitize.h"
#include "widgets/texts.h"
#include "widgets/widget.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static bool active;
static SCREEN *scr;
static struct termios saved_tio;
static bool have_tio;
/* What the signal handler writes to leave the terminal usable: prepared before any signal,
 * because a handler may only call async-signal-safe functions (write, tcsetattr, raise). */
static char restore_seq[256];
static size_t restore_len;

static void add_cap(const char *name)
{
    const char *s = tigetstr(name);
    if (!s || s == (const char *)-1)
        return;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, n + 1);
        restore_len += n;
    }
}

static void on_fatal_signal(int sig)
{
    if (restore_len)
        (void)!write(STDOUT_FILENO, restore_seq, restore_len);
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

int screen_init(const struct screen_opts *o)
{
    if (active)
        return 0;
    have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    int delay = o && o->escdelay_ms > 0 ? o->escdelay_ms : 0;
    if (!delay && !getenv("ESCDELAY"))
        delay = 25;
    /* newterm, not initscr: an unknown TERM is an error for the caller to report, not an exit
     * from inside curses. */
    scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return -1;
    set_term(scr);
    if (delay)
        set_escdelay(delay);
    active = true;
    const char *cs = nl_langinfo(CODESET);
    sanitize_set_utf8(cs && strcmp(cs, "UTF-8") == 0);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    theme_init(o ? o->theme : THEME_AUTO);
    restore_len = 0;
    add_cap("sgr0");
    add_cap("cnorm");
    add_cap("rmkx");
    add_cap("rmcup");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    return 0;
}

void screen_end(void)
{
    if (!active)
        return;
    active = false;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    endwin();
    delscreen(scr);
    scr = NULL;
}

int screen_read_key(int timeout_ms)
{
    wint_t ch;
    wtimeout(stdscr, timeout_ms);
    int r = wget_wch(stdscr, &ch);
    if (r == ERR)
        return WK_NONE;
    if (r == KEY_CODE_YES) {
        switch (ch) {
        case KEY_ENTER:
            return WK_ENTER;
        case KEY_RESIZE:
            return WK_RESIZE;
        default:
            return WK_FN | (int)ch;
        }
    }
    switch (ch) {
    case '\r':
        return WK_ENTER;
    case 0x7F:
    case 0x08:
        return WK_BACKSPACE;
    default:
        return (int)ch;
    }
}

bool screen_too_small(void)
{
    return LINES < SCREEN_MIN_ROWS || COLS < SCREEN_MIN_COLS;
}

void screen_draw_too_small(void)
{
    werase(stdscr);
    char msg[128];
    snprintf(msg, sizeof msg, widget_text(WT_TOO_SMALL), COLS, LINES, SCREEN_MIN_COLS,
             SCREEN_MIN_ROWS);
    int y = LINES / 2, w = COLS;
    int len = sanitize_width(msg, strlen(msg));
    int x = len < w ? (w - len) / 2 : 0;
    draw_str(stdscr, y, x, w - x, msg, theme_attr(ROLE_WARNING));
    curs_set(0);
}

void screen_flush(void)
{
    wnoutrefresh(stdscr);
    doupdate();
}
