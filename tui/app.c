/* The event loop and the stack of views (the chrome is in app_view.c); see app.h. One loop turn:
 * wait (api_client_poll on the network, stdin and the signal pipe), let the client finish
 * requests (their results reach the views), read every key that is there, fire the due
 * timers, then draw once if anything changed and end with one doupdate. */
#include "tui/app_internal.h"

#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/dialog.h"
#include "widgets/keybar.h"
#include "widgets/sanitize.h"
#include "widgets/screen.h"
#include "widgets/spinner.h"
#include "widgets/statusline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long ending the session may take when mxtui quits or the connection dropped. */
enum { LOGOUT_DEADLINE_MS = 1500 };

/* The write end of the signal pipe: the handlers' only connection to the loop. */
static int sig_write_fd = -1;

struct api_client *app_client(struct app *a)
{
    return a->client;
}

const struct tui_options *app_options(const struct app *a)
{
    return &a->opts;
}

const struct api_actor *app_actor(const struct app *a)
{
    return a->logged_in ? &a->actor : NULL;
}

bool app_is_staff(const struct app *a)
{
    return a->logged_in && a->actor.staff;
}

const struct mx_profile *app_profile(const struct app *a)
{
    return &a->profile;
}

void app_set_profile(struct app *a, const struct mx_profile *p)
{
    a->profile = *p;
    a->profile_known = true;
}

bool app_profile_known(const struct app *a)
{
    return a->profile_known;
}

void app_dirty(struct app *a)
{
    a->dirty = true;
}

void app_relayout(struct app *a)
{
    a->relayout = true;
    a->dirty = true;
}

struct view *app_top(struct app *a)
{
    return a->depth ? a->stack[a->depth - 1] : NULL;
}

static void view_destroy(struct app *a, struct view *v)
{
    req_drop_view(a, v);
    timers_drop_view(a, v);
    if (a->dlg && a->dlg_view == v)
        close_dialog(a);
    v->ops->free(v);
}

void app_push(struct app *a, struct view *v)
{
    if (!v) {
        app_status(a, ROLE_ERROR, "%s", _("Out of memory: the screen could not be opened."));
        return;
    }
    if (a->depth == STACK_MAX) {
        view_destroy(a, v);
        return;
    }
    a->stack[a->depth++] = v;
    app_status_clear(a);
    app_relayout(a);
    if (v->ops->enter)
        v->ops->enter(v);
}

void app_pop(struct app *a)
{
    if (!a->depth)
        return;
    struct view *v = a->stack[--a->depth];
    view_destroy(a, v);
    app_relayout(a);
    if (!a->depth) {
        app_push(a, login_view_new(a, a->opts.login, NULL));
        return;
    }
    struct view *top = app_top(a);
    if (top->ops->resume)
        top->ops->resume(top);
}

void app_back(struct app *a)
{
    struct view *top = app_top(a);
    if (!top)
        return;
    if (a->depth == 1 && !top->overlay) {
        app_status(a, ROLE_STATUS, "%s", _("This is the first screen. F10 logs out and quits."));
        return;
    }
    if (top->ops->may_leave && !top->ops->may_leave(top, LEAVE_BACK))
        return;
    app_pop(a);
}

static void clear_stack(struct app *a)
{
    while (a->depth) {
        struct view *v = a->stack[--a->depth];
        view_destroy(a, v);
    }
    req_drop_parked(a);
    req_free(a->retry);
    a->retry = NULL;
    a->relogin_open = false;
}

void app_reset(struct app *a, struct view *v)
{
    clear_stack(a);
    app_push(a, v);
}

static void forget_actor(struct app *a)
{
    a->logged_in = false;
    memset(&a->actor, 0, sizeof a->actor);
}

static void logout_done(struct api_result *res, void *user)
{
    (void)res;
    *(bool *)user = true;
}

/* Ends the session on the server, waiting at most deadline_ms (quit, signals). */
static void end_session_now(struct app *a, int deadline_ms)
{
    if (!a->client || !api_client_logged_in(a->client))
        return;
    bool done = false;
    uint64_t id = api_start_logout(a->client, logout_done, &done);
    if (!id)
        return;
    long long end = app_now_ms() + deadline_ms;
    while (!done) {
        long long left = end - app_now_ms();
        if (left <= 0)
            break;
        api_client_poll(a->client, NULL, 0, (int)left);
        api_client_perform(a->client);
    }
    if (!done)
        api_request_cancel(a->client, id);
}

static void logout_ignored(struct api_result *res, void *user)
{
    (void)res;
    (void)user;
}

/* Starts the logout in the background (idle logout: the loop goes on). */
static void end_session_async(struct app *a)
{
    if (a->client && api_client_logged_in(a->client))
        api_start_logout(a->client, logout_ignored, NULL);
}

static bool ask_views_to_leave(struct app *a, enum leave_reason why)
{
    for (size_t i = a->depth; i-- > 0;) {
        struct view *v = a->stack[i];
        if (v->ops->may_leave && !v->ops->may_leave(v, why))
            return false;
    }
    return true;
}

void app_quit(struct app *a)
{
    if (!ask_views_to_leave(a, LEAVE_QUIT))
        return;
    a->running = false;
}

void app_logout(struct app *a, const char *why)
{
    for (size_t i = a->depth; i-- > 0;) {
        struct view *v = a->stack[i];
        if (v->ops->stash)
            v->ops->stash(v);
    }
    end_session_async(a);
    forget_actor(a);
    clear_stack(a);
    app_push(a, login_view_new(a, a->opts.login[0] ? a->opts.login : NULL, why));
}

void app_logged_in(struct app *a, const struct api_session *s)
{
    ui_copy(a->actor_login, sizeof a->actor_login, s->actor.login ? s->actor.login : "");
    ui_copy(a->actor_role, sizeof a->actor_role, s->actor.role ? s->actor.role : "");
    ui_copy(a->actor_customer, sizeof a->actor_customer,
            s->actor.customer ? s->actor.customer : "");
    ui_copy(a->actor_name, sizeof a->actor_name, s->actor.name ? s->actor.name : "");
    a->actor.login = a->actor_login;
    a->actor.role = a->actor_role;
    a->actor.customer = s->actor.customer ? a->actor_customer : NULL;
    a->actor.name = a->actor_name;
    a->actor.staff = s->actor.staff;
    a->logged_in = true;
    a->last_input_ms = app_now_ms();
    app_timer_own(a, TIMER_IDLE, a->idle_ms);
    struct view *first = s->actor.staff ? customers_view_new(a)
                                        : packages_view_new(a, a->actor_customer, a->actor_name);
    app_reset(a, first);
}

void app_open_relogin(struct app *a)
{
    if (a->relogin_open)
        return;
    a->relogin_open = true;
    if (a->dlg)
        dismiss_dialog(a);
    app_push(a, relogin_view_new(a, a->actor_login));
    app_status(a, ROLE_WARNING, "%s",
               _("Your session has expired. Enter your password to go on where you were."));
}

void app_relogged_in(struct app *a, const struct api_session *s)
{
    (void)s;
    a->relogin_open = false;
    a->last_input_ms = app_now_ms();
    app_timer_own(a, TIMER_IDLE, a->idle_ms);
    struct view *top = app_top(a);
    if (top && top->overlay) {
        a->depth--;
        view_destroy(a, top);
    }
    app_relayout(a);
    app_status(a, ROLE_OK, "%s", _("Logged in again."));
    req_resend_parked(a);
}

void app_relogin_cancelled(struct app *a)
{
    app_logout(a, _("Your session has expired. Please log in again."));
}

void app_stash(struct app *a, const char *name, const struct mx_config *cfg, long long version)
{
    app_draft_drop(a);
    a->draft = mx_config_new();
    if (!a->draft || mx_config_copy(a->draft, cfg)) {
        mx_config_free(&a->draft);
        return;
    }
    ui_copy(a->draft_name, sizeof a->draft_name, name);
    ui_copy(a->draft_owner, sizeof a->draft_owner, a->actor_login);
    a->draft_version = version;
}

const struct mx_config *app_draft(struct app *a, const char *name, long long *version)
{
    /* Only the person who typed it gets it back. */
    if (!a->draft || strcmp(a->draft_name, name) != 0 || !a->logged_in ||
        strcmp(a->draft_owner, a->actor_login) != 0)
        return NULL;
    if (version)
        *version = a->draft_version;
    return a->draft;
}

void app_draft_drop(struct app *a)
{
    mx_config_free(&a->draft);
    a->draft_name[0] = 0;
}

void app_timer_fired(struct app *a, int tag)
{
    switch (tag) {
    case TIMER_SPINNER: {
        struct view *top = app_top(a);
        if (top && req_busy_label(a, top, NULL)) {
            spinner_tick(a->spinner);
            a->dirty = true;
            app_timer_own(a, TIMER_SPINNER, SPINNER_INTERVAL_MS);
        }
        break;
    }
    case TIMER_IDLE: {
        if (!a->logged_in)
            break;
        long long idle = app_now_ms() - a->last_input_ms;
        if (idle + 20 >= a->idle_ms) {
            char why[256], span[64];
            long secs = a->idle_ms / 1000;
            if (secs % 60 || secs < 60)
                snprintf(span, sizeof span, _("%ld seconds"), secs);
            else
                snprintf(span, sizeof span, _("%ld minutes"), secs / 60);
            snprintf(why, sizeof why, _("You were logged out after %s without input."), span);
            app_logout(a, why);
        } else {
            app_timer_own(a, TIMER_IDLE, a->idle_ms - (long)idle);
        }
        break;
    }
    default:
        break;
    }
}

/* Signals: the handlers only write the signal's number into a pipe; the loop acts on it. */
static struct sigaction old_winch;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (sig_write_fd >= 0)
        (void)!write(sig_write_fd, &b, 1);
    if (sig == SIGWINCH && old_winch.sa_handler != SIG_DFL && old_winch.sa_handler != SIG_IGN &&
        old_winch.sa_handler)
        old_winch.sa_handler(sig);
    errno = saved;
}

static int signals_init(struct app *a)
{
    if (pipe(a->sig_pipe))
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(a->sig_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(a->sig_pipe[i], F_SETFL, O_NONBLOCK);
    }
    sig_write_fd = a->sig_pipe[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGCONT, &sa, NULL);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, &old_winch);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static void read_signals(struct app *a)
{
    unsigned char b[64];
    ssize_t n;
    while ((n = read(a->sig_pipe[0], b, sizeof b)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (b[i] == SIGCONT) {
                /* Back from Ctrl-Z: the terminal may show anything; draw it all again. */
                clearok(curscr, TRUE);
                a->dirty = true;
            } else if (b[i] == SIGINT || b[i] == SIGTERM || b[i] == SIGHUP) {
                a->signal_received = b[i];
                a->running = false;
            }
        }
    }
}

static void handle_key(struct app *a, int key)
{
    a->last_input_ms = app_now_ms();
    if (key == WK_RESIZE) {
        app_relayout(a);
        return;
    }
    if (screen_too_small()) {
        /* Nothing acts on a screen the user cannot see; only leaving works. */
        if (key == WK_F10)
            app_quit(a);
        return;
    }
    a->dirty = true;
    if (a->dlg) {
        int flags = widget_key(dialog_widget(a->dlg), key);
        if (flags & WIDGET_CLOSE) {
            struct view *owner = a->dlg_view;
            int tag = a->dlg_tag, choice = dialog_choice(a->dlg);
            close_dialog(a);
            if (owner && owner->ops->dialog)
                owner->ops->dialog(owner, tag, choice);
        } else if (!(flags & WIDGET_HANDLED) && key == WK_F10) {
            close_dialog(a);
            app_quit(a);
        }
        return;
    }
    struct view *top = app_top(a);
    if (!top)
        return;
    /* An open drop-down takes Esc first (it closes, the request goes on). */
    if (key == WK_ESC && !widget_holds_esc(form_focused(top->form)) && app_cancel_visible(a, top)) {
        app_status(a, ROLE_STATUS, "%s", _("Cancelled."));
        return;
    }
    int flags = top->ops->key ? top->ops->key(top, key) : form_key(top->form, key);
    if (flags & WIDGET_HANDLED)
        return;
    int act = keys_action(top->keys_shown, top->n_keys, key);
    switch (act) {
    case -1:
        return;
    case ACT_HELP:
        show_help(a);
        return;
    case ACT_BACK:
        if (top->ops->action && keys_action(top->keys, top->n_own_keys, key) == ACT_BACK)
            top->ops->action(top, ACT_BACK);
        else
            app_back(a);
        return;
    case ACT_QUIT:
        app_quit(a);
        return;
    case ACT_RETRY:
        if (a->retry) {
            struct req *r = a->retry;
            a->retry = NULL;
            app_status_clear(a);
            if (!req_send(a, r))
                req_free(r);
        } else {
            app_status(a, ROLE_STATUS, "%s", _("Nothing to try again."));
        }
        return;
    default:
        if (top->ops->action)
            top->ops->action(top, act);
        return;
    }
}

static void read_keys(struct app *a)
{
    /* Everything typed so far, including what curses already buffered. */
    for (int i = 0; i < 256 && a->running; i++) {
        int key = screen_read_key(0);
        if (key == WK_NONE)
            return;
        handle_key(a, key);
    }
}

static void loop(struct app *a)
{
    struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                            {.fd = a->sig_pipe[0], .events = POLLIN}};
    while (a->running) {
        if (a->relayout) {
            a->relayout = false;
            layout_all(a);
        }
        if (a->dirty) {
            a->dirty = false;
            draw_all(a);
            screen_flush();
        }
        long wait = timers_next_ms(a);
        if (wait < 0 || wait > 60000)
            wait = 60000;
        api_client_poll(a->client, fds, 2, (int)wait);
        read_signals(a);
        if (!a->running)
            break;
        api_client_perform(a->client);
        read_keys(a);
        timers_fire(a);
    }
}

static void free_app(struct app *a)
{
    clear_stack(a);
    app_draft_drop(a);
    api_client_free(&a->client);
    statusline_free(&a->status);
    spinner_free(&a->spinner);
    keybar_free(&a->keybar);
    dialog_free(&a->dlg);
    if (a->sig_pipe[0] >= 0)
        close(a->sig_pipe[0]);
    if (a->sig_pipe[1] >= 0)
        close(a->sig_pipe[1]);
    sig_write_fd = -1;
    free(a);
}

int app_run(const struct tui_options *opts)
{
    struct app *a = calloc(1, sizeof *a);
    if (!a) {
        fprintf(stderr, "mxtui: out of memory\n");
        return 1;
    }
    a->sig_pipe[0] = a->sig_pipe[1] = -1;
    a->opts = *opts;
    a->lang = i18n_lang();
    a->profile = *mx_profile_default();
    a->idle_ms = (long)(opts->idle_minutes * 60000.0);
    if (a->idle_ms < 1000)
        a->idle_ms = 1000;
    struct api_client_options co = {
        .base_url = opts->api,
        .cacert = opts->cacert[0] ? opts->cacert : NULL,
        .allow_insecure_http = opts->insecure_http,
        .lang = a->lang,
    };
    enum api_status st = API_OK;
    a->client = api_client_new(&co, &st);
    if (!a->client) {
        if (st == API_ERR_INSECURE)
            fprintf(stderr, "mxtui: %s: %s\n", opts->api,
                    _("plain http is only allowed to this machine (loopback); use https, or "
                      "--insecure-http if you really mean it"));
        else
            fprintf(stderr, "mxtui: %s: %s\n", opts->api,
                    st == API_ERR_BAD_REQUEST ? _("not a usable address (https://host:port)")
                                              : api_status_message(st, a->lang));
        free_app(a);
        return 2;
    }
    a->status = statusline_new();
    a->spinner = spinner_new("");
    a->keybar = keybar_new(NULL, 0); /* each turn gives it the top view's table */
    if (!a->status || !a->spinner || !a->keybar) {
        fprintf(stderr, "mxtui: out of memory\n");
        free_app(a);
        return 1;
    }
    struct screen_opts so = {.theme = opts->mono ? THEME_MONO : THEME_AUTO};
    if (screen_init(&so)) {
        fprintf(stderr, "mxtui: %s\n", _("no usable terminal (is TERM set?)"));
        free_app(a);
        return 2;
    }
    i18n_set_utf8(sanitize_utf8());
    view_widget_words();
    if (signals_init(a)) {
        screen_end();
        fprintf(stderr, "mxtui: cannot set up signals: %s\n", strerror(errno));
        free_app(a);
        return 1;
    }
    a->running = true;
    app_push(a, login_view_new(a, opts->login[0] ? opts->login : NULL, NULL));
    loop(a);
    int sig = a->signal_received;
    /* The terminal first: after SIGHUP nobody may see it, but a terminal left in curses mode
     * is the worst outcome. Then the session, with a short deadline. */
    clear_stack(a);
    screen_end();
    end_session_now(a, LOGOUT_DEADLINE_MS);
    free_app(a);
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
        return 128 + sig;
    }
    return 0;
}
