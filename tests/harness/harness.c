/* forkpty is BSD/GNU, not POSIX: ask glibc for it in this one file. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

/* The pseudo-terminal harness: a program in a pty, its screen in libvterm; see harness.h. */
#include "tests/harness/harness.h"

#include "tests/harness/harness_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(long long deadline)
{
    long long r = deadline - now_ms();
    return r < 0 ? 0 : (int)r;
}

/* libvterm callbacks: what the program did to the terminal besides drawing. */
static int cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
    struct term *t = user;
    switch (prop) {
    case VTERM_PROP_TITLE:
    case VTERM_PROP_ICONNAME:
        t->title_changed = true;
        free(t->title);
        t->title = strdup(val->string ? val->string : "");
        break;
    case VTERM_PROP_CURSORVISIBLE:
        t->cursor_visible = val->boolean;
        break;
    case VTERM_PROP_REVERSE:
        t->reverse_video = val->boolean;
        break;
    default:
        break;
    }
    return 1;
}

static int cb_bell(void *user)
{
    struct term *t = user;
    t->bells++;
    return 1;
}

static int cb_osc(const char *command, size_t cmdlen, void *user)
{
    struct term *t = user;
    (void)command;
    (void)cmdlen;
    t->unknown_seqs++;
    return 1;
}

static int cb_dcs(const char *command, size_t cmdlen, void *user)
{
    return cb_osc(command, cmdlen, user);
}

static const VTermScreenCallbacks screen_cbs = {
    .settermprop = cb_settermprop,
    .bell = cb_bell,
};

static const VTermParserCallbacks fallback_cbs = {
    .osc = cb_osc,
    .dcs = cb_dcs,
};

/* Answers the program's queries (cursor position, device attributes) like a terminal. */
static void cb_output(const char *s, size_t len, void *user)
{
    struct term *t = user;
    while (len > 0 && t->fd >= 0) {
        ssize_t n = write(t->fd, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

/* The child's environment, built before the fork: between fork and exec the child may only
 * call async-signal-safe functions (our process may have threads). */
struct child_env {
    char *env[64];
    char keep[6][1024];
    char term[128], lang[128], lcall[128], esc[64];
};

static void child_env_build(struct child_env *ce, const struct term_opts *o, const char *term,
                            const char *locale, int escdelay)
{
    static const char *const keep[] = {"PATH",          "HOME",         "ASAN_OPTIONS",
                                       "UBSAN_OPTIONS", "LSAN_OPTIONS", "MXTUI_BINDIR"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        const char *v = getenv(keep[i]);
        if (v) {
            snprintf(ce->keep[i], sizeof ce->keep[i], "%s=%s", keep[i], v);
            ce->env[n++] = ce->keep[i];
        }
    }
    snprintf(ce->term, sizeof ce->term, "TERM=%s", term);
    snprintf(ce->lang, sizeof ce->lang, "LANG=%s", locale);
    snprintf(ce->lcall, sizeof ce->lcall, "LC_ALL=%s", locale);
    snprintf(ce->esc, sizeof ce->esc, "ESCDELAY=%d", escdelay);
    ce->env[n++] = ce->term;
    ce->env[n++] = ce->lang;
    ce->env[n++] = ce->lcall;
    ce->env[n++] = ce->esc;
    for (size_t i = 0; o->env && o->env[i] && n < sizeof ce->env / sizeof ce->env[0] - 1; i++)
        ce->env[n++] = (char *)o->env[i];
    ce->env[n] = NULL;
}

struct term *term_start(const struct term_opts *o)
{
    if (!o || !o->argv || !o->argv[0])
        return NULL;
    struct term *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->rows = o->rows > 0 ? o->rows : 24;
    t->cols = o->cols > 0 ? o->cols : 80;
    snprintf(t->term_name, sizeof t->term_name, "%s", o->term ? o->term : "xterm-256color");
    const char *locale = o->locale ? o->locale : "C.UTF-8";
    int escdelay = o->escdelay_ms > 0 ? o->escdelay_ms : 25;
    t->fd = -1;
    t->cursor_visible = true;
    fflush(NULL);               /* the child must not flush our buffers a second time */
    static struct child_env ce; /* big; one start at a time per process */
    child_env_build(&ce, o, t->term_name, locale, escdelay);

    struct winsize ws = {.ws_row = (unsigned short)t->rows, .ws_col = (unsigned short)t->cols};
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0) {
        free(t);
        return NULL;
    }
    if (pid == 0) {
        execve(o->argv[0], (char *const *)o->argv, ce.env);
        _exit(127);
    }
    t->pid = pid;
    t->fd = fd;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);

    t->vt = vterm_new(t->rows, t->cols);
    vterm_set_utf8(t->vt, 1);
    vterm_output_set_callback(t->vt, cb_output, t);
    t->screen = vterm_obtain_screen(t->vt);
    vterm_screen_set_callbacks(t->screen, &screen_cbs, t);
    vterm_screen_set_unrecognised_fallbacks(t->screen, &fallback_cbs, t);
    vterm_screen_reset(t->screen, 1);
    vterm_screen_enable_altscreen(t->screen, 1);
    return t;
}

void term_free(struct term **tp)
{
    if (!tp || !*tp)
        return;
    struct term *t = *tp;
    if (!t->exited && t->pid > 0) {
        int status;
        kill(t->pid, SIGTERM);
        if (!term_wait_exit(t, 2000, &status)) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &status, 0);
        }
    }
    if (t->fd >= 0)
        close(t->fd);
    if (t->vt)
        vterm_free(t->vt);
    free(t->title);
    free(t);
    *tp = NULL;
}

size_t term_pump(struct term *t, int timeout_ms)
{
    size_t total = 0;
    long long deadline = now_ms() + timeout_ms;
    char buf[65536];
    for (;;) {
        if (t->fd < 0 || t->eof)
            return total;
        struct pollfd p = {.fd = t->fd, .events = POLLIN};
        int wait = total ? 0 : remaining(deadline);
        int r = poll(&p, 1, wait);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return total;
        ssize_t n = read(t->fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            t->eof = true; /* EIO: the program closed the terminal (it ended) */
            return total;
        }
        vterm_input_write(t->vt, buf, (size_t)n);
        t->bytes += (size_t)n;
        total += (size_t)n;
    }
}

int term_send_bytes(struct term *t, const void *bytes, size_t len)
{
    const char *s = bytes;
    while (len > 0) {
        if (t->fd < 0 || t->eof)
            return -1;
        struct pollfd p = {.fd = t->fd, .events = POLLOUT | POLLIN};
        if (poll(&p, 1, 1000) < 0 && errno != EINTR)
            return -1;
        if (p.revents & POLLIN)
            term_pump(t, 0); /* a full output buffer must not block the program's reading */
        if (!(p.revents & POLLOUT))
            continue;
        ssize_t n = write(t->fd, s, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        s += n;
        len -= (size_t)n;
    }
    return 0;
}

int term_send_text(struct term *t, const char *text)
{
    return term_send_bytes(t, text, strlen(text));
}

/* The key sequences of t's TERM, from its terminfo entry, looked up once. */
static void load_keys(struct term *t)
{
    t->keys_loaded = true;
    t->nkeys = harness_terminfo_keys(t->term_name, t->keys, HARNESS_MAX_KEYS);
}

int term_send_key(struct term *t, const char *name)
{
    if (!strcmp(name, "Tab"))
        return term_send_text(t, "\t");
    if (!strcmp(name, "Enter"))
        return term_send_text(t, "\r");
    if (!strcmp(name, "Esc"))
        return term_send_text(t, "\033");
    if (!strcmp(name, "Space"))
        return term_send_text(t, " ");
    if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
        char c = name[2];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return -1;
        char b = (char)(c - 'a' + 1);
        return term_send_bytes(t, &b, 1);
    }
    if (!t->keys_loaded)
        load_keys(t);
    for (int i = 0; i < t->nkeys; i++)
        if (!strcmp(t->keys[i].name, name))
            return term_send_text(t, t->keys[i].seq);
    return -1;
}

bool term_wait_text(struct term *t, const char *text, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        if (term_has_text(t, text))
            return true;
        if (remaining(deadline) == 0 || t->eof) {
            term_pump(t, 0);
            return term_has_text(t, text);
        }
        term_pump(t, remaining(deadline));
    }
}

bool term_wait_gone(struct term *t, const char *text, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        if (!term_has_text(t, text))
            return true;
        if (remaining(deadline) == 0 || t->eof) {
            term_pump(t, 0);
            return !term_has_text(t, text);
        }
        term_pump(t, remaining(deadline));
    }
}

bool term_wait_row(struct term *t, int row, const char *text, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    char buf[4096];
    for (;;) {
        term_row_text(t, row, buf, sizeof buf);
        if (strstr(buf, text))
            return true;
        if (remaining(deadline) == 0 || t->eof) {
            term_pump(t, 0);
            term_row_text(t, row, buf, sizeof buf);
            return strstr(buf, text) != NULL;
        }
        term_pump(t, remaining(deadline));
    }
}

bool term_wait_idle(struct term *t, int quiet_ms, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        int wait = quiet_ms < remaining(deadline) ? quiet_ms : remaining(deadline);
        if (term_pump(t, wait) == 0)
            return wait == quiet_ms || t->eof;
        if (remaining(deadline) == 0)
            return false;
    }
}

int term_rows(const struct term *t)
{
    return t->rows;
}

int term_cols(const struct term *t)
{
    return t->cols;
}

int term_resize(struct term *t, int rows, int cols)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    vterm_set_size(t->vt, rows, cols);
    t->rows = rows;
    t->cols = cols;
    return ioctl(t->fd, TIOCSWINSZ, &ws);
}

void term_mark_bytes(struct term *t)
{
    t->mark = t->bytes;
}

size_t term_bytes_since_mark(const struct term *t)
{
    return t->bytes - t->mark;
}

size_t term_bytes_total(const struct term *t)
{
    return t->bytes;
}

bool term_title_changed(const struct term *t)
{
    return t->title_changed;
}

const char *term_title(const struct term *t)
{
    return t->title;
}

int term_unknown_sequences(const struct term *t)
{
    return t->unknown_seqs;
}

int term_bells(const struct term *t)
{
    return t->bells;
}

bool term_reverse_video(const struct term *t)
{
    return t->reverse_video;
}

bool term_wait_exit(struct term *t, int timeout_ms, int *status)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        if (t->exited) {
            if (status)
                *status = t->status;
            return true;
        }
        int st;
        pid_t r = waitpid(t->pid, &st, WNOHANG);
        if (r == t->pid) {
            t->exited = true;
            t->status = st;
            term_pump(t, 0);
            continue;
        }
        if (remaining(deadline) == 0)
            return false;
        /* Read what it still writes; once the pty is closed, check again every 10 ms. */
        int wait = remaining(deadline) < 10 ? remaining(deadline) : 10;
        if (t->eof) {
            struct pollfd none = {.fd = -1};
            poll(&none, 0, wait);
        } else {
            term_pump(t, wait);
        }
    }
}

int term_pid(const struct term *t)
{
    return (int)t->pid;
}
