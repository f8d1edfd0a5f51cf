/* tui_steps: shared steps of the mxtui end-to-end tests; see tui_steps.h. */
#include "tests/support/tui_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/support/api_steps.h"
#include "tests/support/relay.h"
#include "tests/support/test_util.h"

enum { MAX_ARGV = 48, MAX_ENV = 32 };

static const char *mxtui_path(void)
{
    static char path[1024];
    const char *dir = getenv("MXTUI_BINDIR");
    snprintf(path, sizeof path, "%s/mxtui", dir && dir[0] ? dir : "bin");
    return path;
}

static int write_config(struct tui *u, const char *text)
{
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/config/mxtui", u->home);
    char parent[512];
    snprintf(parent, sizeof parent, "%s/config", u->home);
    mkdir(parent, 0700);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/config", dir);
    return test_write_file(path, text, strlen(text));
}

static int start_term(struct tui *u, const struct tui_opts *o)
{
    const char *argv[MAX_ARGV];
    size_t n = 0;
    argv[n++] = mxtui_path();
    argv[n++] = "--api";
    argv[n++] = u->url;
    const char *lang = o->lang ? o->lang : "en";
    if (lang[0]) {
        argv[n++] = "--lang";
        argv[n++] = lang;
    }
    for (size_t i = 0; o->args && o->args[i] && n + 1 < MAX_ARGV; i++)
        argv[n++] = o->args[i];
    argv[n] = NULL;
    static char home_env[320], xdg_env[320];
    snprintf(home_env, sizeof home_env, "HOME=%s", u->home);
    snprintf(xdg_env, sizeof xdg_env, "XDG_CONFIG_HOME=%s/config", u->home);
    const char *env[MAX_ENV];
    size_t e = 0;
    env[e++] = home_env;
    env[e++] = xdg_env;
    for (size_t i = 0; o->env && o->env[i] && e + 1 < MAX_ENV; i++)
        env[e++] = o->env[i];
    env[e] = NULL;
    struct term_opts to = {.argv = argv,
                           .rows = o->rows ? o->rows : 24,
                           .cols = o->cols ? o->cols : 80,
                           .env = env,
                           .locale = o->locale,
                           .term = o->term};
    u->t = term_start(&to);
    if (!u->t) {
        fprintf(stderr, "tui_steps: cannot start %s\n", mxtui_path());
        return -1;
    }
    return 0;
}

int tui_begin(struct tui *u, const struct tui_opts *o)
{
    static const struct tui_opts none = {0};
    if (!o)
        o = &none;
    memset(u, 0, sizeof *u);
    u->sp.out_fd = -1;
    if (test_mkdtemp(u->home, sizeof u->home, "mxtui-home") != 0)
        return -1;
    if (o->config && write_config(u, o->config) != 0)
        return -1;
    if (!o->no_server) {
        if (api_server_start(&u->sp, o->server_args) != 0)
            return -1;
        u->have_server = true;
    }
    snprintf(u->url, sizeof u->url, "%s", o->url ? o->url : u->sp.url);
    if (o->relay) {
        u->relay = relay_start(u->sp.port);
        if (!u->relay)
            return -1;
        relay_url(u->relay, u->url, sizeof u->url);
        *o->relay = u->relay;
    }
    return start_term(u, o);
}

int tui_restart_term(struct tui *u, const struct tui_opts *o)
{
    static const struct tui_opts none = {0};
    term_free(&u->t);
    return start_term(u, o ? o : &none);
}

void tui_end(struct tui *u)
{
    term_free(&u->t);
    relay_free(&u->relay);
    if (u->have_server)
        server_proc_cleanup(&u->sp);
    u->have_server = false;
    if (u->home[0])
        test_rmtree(u->home);
    u->home[0] = 0;
}

void tui_dump(struct tui *u)
{
    char *s = u->t ? term_screen_text(u->t) : NULL;
    fprintf(stderr, "---- screen ----\n%s\n----------------\n", s ? s : "(none)");
    free(s);
}

bool tui_wait(struct tui *u, const char *text, int timeout_ms)
{
    if (term_wait_text(u->t, text, timeout_ms)) {
        /* The text can show in the middle of a frame: let the frame end before the test reads
         * more of the screen or types the next key. */
        term_wait_idle(u->t, 15, 1000);
        return true;
    }
    fprintf(stderr, "tui_steps: \"%s\" did not show\n", text);
    tui_dump(u);
    if (u->have_server)
        server_proc_dump_log(&u->sp);
    return false;
}

bool tui_wait_gone(struct tui *u, const char *text, int timeout_ms)
{
    if (term_wait_gone(u->t, text, timeout_ms))
        return true;
    fprintf(stderr, "tui_steps: \"%s\" did not go away\n", text);
    tui_dump(u);
    return false;
}

int tui_type(struct tui *u, const char *text)
{
    return term_send_text(u->t, text);
}

int tui_key(struct tui *u, const char *name)
{
    return term_send_key(u->t, name);
}

bool tui_login(struct tui *u, const char *login, const char *password, const char *then)
{
    if (!tui_wait(u, "Passw", TUI_WAIT_MS)) /* Password, Passwort */
        return false;
    if (login) {
        tui_key(u, "C-u");
        tui_type(u, login);
    }
    tui_key(u, "Enter");
    tui_type(u, password);
    tui_key(u, "Enter");
    return tui_wait(u, then, TUI_WAIT_MS);
}

bool tui_server_logged(struct tui *u, const char *text)
{
    char *log = test_read_file(u->sp.log, NULL);
    bool found = log && strstr(log, text);
    free(log);
    return found;
}

int tui_server_log_count(struct tui *u, const char *text)
{
    char *log = test_read_file(u->sp.log, NULL);
    int n = 0;
    for (const char *p = log; p && (p = strstr(p, text)); p++)
        n++;
    free(log);
    return n;
}

struct log_wait {
    struct tui *u;
    const char *text;
    int n;
};

static bool log_has(void *ctx)
{
    struct log_wait *w = ctx;
    return tui_server_log_count(w->u, w->text) >= w->n;
}

bool tui_wait_logged_n(struct tui *u, const char *text, int n, int timeout_ms)
{
    struct log_wait w = {u, text, n};
    if (test_wait_until(log_has, &w, timeout_ms))
        return true;
    fprintf(stderr, "tui_steps: the server log shows fewer than %d \"%s\"\n", n, text);
    server_proc_dump_log(&u->sp);
    return false;
}

bool tui_wait_logged(struct tui *u, const char *text, int timeout_ms)
{
    return tui_wait_logged_n(u, text, 1, timeout_ms);
}
