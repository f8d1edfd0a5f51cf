/* app: mxtui's one event loop over a stack of views (screens). A view is a table of functions
 * (struct view_ops), one file per screen, like tig's view_ops: the loop calls through the table
 * and acts on what the handlers answer. The app owns the API client, the requests in flight
 * (each tied to the view that started it, so leaving a view cancels its requests), the timers,
 * the modal dialogs, and the chrome: breadcrumb, status line with spinner, key bar. It never
 * blocks: api_client_poll waits on the network, stdin and a signal pipe together. */
#ifndef TUI_APP_H
#define TUI_APP_H

#include "api/client.h"
#include "tui/options.h"
#include "widgets/form.h"
#include "widgets/keys.h"
#include "widgets/theme.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct view;

/* Actions every view may put in its key table; a view's own actions start at ACT_VIEW. */
enum app_action {
    ACT_HELP = 1, /* the help overlay, built from the view's key table */
    ACT_BACK,     /* cancel the request in flight, else leave the view */
    ACT_QUIT,     /* log out and end mxtui */
    ACT_RETRY,    /* send the request that failed on the network again */
    ACT_VIEW = 100,
};

/* Why a view is asked whether it may be left. */
enum leave_reason { LEAVE_BACK, LEAVE_QUIT, LEAVE_LOGOUT };

/* The table of one kind of view. Every function may be NULL except layout, draw and free. */
struct view_ops {
    const char *name; /* "login", "domains": for tests and the log */
    /* The view was pushed and is on top for the first time: start loading. */
    void (*enter)(struct view *v);
    /* Places the view's widgets inside area (between the breadcrumb and the status line). */
    void (*layout)(struct view *v, struct rect area);
    /* Draws the view on win; the terminal cursor is left where the focused widget wants it. */
    void (*draw)(struct view *v, WINDOW *win);
    /* One key the app did not take; returns enum widget_flags (WIDGET_HANDLED when used). */
    int (*key)(struct view *v, int key);
    /* A key-table action >= ACT_VIEW, or an app action the view handles itself. */
    void (*action)(struct view *v, int action);
    /* The result of a request this view started with app_request (tag: what it was for). The
     * result is the app's: copy what must stay (or api_result_keep it). */
    void (*result)(struct view *v, int tag, struct api_result *res);
    /* A timer this view set with app_timer came due. */
    void (*timer)(struct view *v, int tag);
    /* A dialog this view opened with app_dialog was answered: choice is the button, -1 Esc. */
    void (*dialog)(struct view *v, int tag, int choice);
    /* The view is on top again after the one above it left. */
    void (*resume)(struct view *v);
    /* Asked before the view is left: true lets it go now; false means the view asks the user
     * itself (and calls app_pop or app_quit when the answer allows). */
    bool (*may_leave)(struct view *v, enum leave_reason why);
    /* The session ends (idle logout, expiry): the view keeps what the user typed in the app
     * (app_stash) so that it can be offered again after the next login. */
    void (*stash)(struct view *v);
    /* Extra help text for the help overlay (translated), or NULL. */
    const char *(*help)(struct view *v);
    /* Frees the view and what it owns (its form too). */
    void (*free)(struct view *v);
};

/* What every view shares; a view kind embeds it as its first member. */
struct view {
    const struct view_ops *ops;
    struct app *app;
    struct form *form; /* the view's widgets (owned); may be NULL */
    char crumb[256];   /* this view's part of the breadcrumb ("Hosting Plus"); "" for none */
    bool overlay;      /* drawn over the view below it (a dialog with fields) */
    bool own_cursor;   /* the view places the terminal cursor itself (a scrolled canvas); else
                          the app puts it where the focused widget of v->form wants it */
    const struct key_binding *keys; /* the view's own key table as given (untranslated) */
    size_t n_own_keys;
    struct key_binding *keys_shown; /* the own keys and the common ones, translated: what the
                                       key bar and the help show and the app looks keys up in */
    size_t n_keys;
    char failed[512]; /* why the view's last request failed on the network ("" when none):
                         the view shows it where its data would be, until a request succeeds */
};

/* Draws v->failed with its mark and what to do (F5, Esc) at the top of r; returns the rows
 * used (0 when nothing failed). */
int view_draw_failure(struct view *v, WINDOW *win, struct rect r);

/* Sets up a view: ops, key table (must outlive the view; labels and descriptions are msgids,
 * translated here), an empty form. Returns 0, or -1 out of memory. */
int view_init(struct view *v, struct app *app, const struct view_ops *ops,
              const struct key_binding *keys, size_t n_keys);
/* Adds w to v's form (which owns it from then on). Returns false when w is NULL or could not be
 * added (then it is freed): the caller's constructor fails. */
bool view_add(struct view *v, struct widget *w);
/* Puts the terminal cursor back where v's focused widget wants it (after a view drew more
 * after its form), or hides it. */
void view_place_cursor(struct view *v, WINDOW *win);
/* Frees what view_init made (the form, the translated keys). */
void view_clear(struct view *v);

/* Runs mxtui with the options until the user quits or a signal ends it. Returns the exit
 * status for main (or the signal number + 128 after SIGHUP/SIGTERM/SIGINT). */
int app_run(const struct tui_options *opts);

/* The API client (owned by the app). */
struct api_client *app_client(struct app *a);
/* The options mxtui was started with. */
const struct tui_options *app_options(const struct app *a);
/* The person logged in (after a login): their actor as the server told it; NULL before. */
const struct api_actor *app_actor(const struct app *a);
/* Whether the person logged in is support staff (who must give a reason for a change). */
bool app_is_staff(const struct app *a);
/* The provider profile (the server's once loaded, else the built-in default). */
const struct mx_profile *app_profile(const struct app *a);
/* Keeps the server's profile (GET /v1/provider) for every screen; app_profile_known says
 * whether that happened in this session. */
void app_set_profile(struct app *a, const struct mx_profile *p);
bool app_profile_known(const struct app *a);

/* Pushes v on top of the stack (the app owns it from now on) and calls its enter. */
void app_push(struct app *a, struct view *v);
/* Removes the top view (cancels its requests, timers and dialogs, frees it) and resumes the
 * one below; with an empty stack the app goes back to the login screen. */
void app_pop(struct app *a);
/* Leaves the top view the way Esc does: asks may_leave first. */
void app_back(struct app *a);
/* Replaces the whole stack by v (after a login). */
void app_reset(struct app *a, struct view *v);
/* Logs out (best effort, with a short deadline) and ends the loop, asking may_leave first. */
void app_quit(struct app *a);
/* The top view (NULL with an empty stack). */
struct view *app_top(struct app *a);

/* A request to send. The app copies everything, so that it can send the same request again
 * after a network failure (Retry) or after a new login when the session expired. */
struct app_call {
    enum api_call call;
    const char *str;             /* customer id, package query, domain name */
    const char *query;           /* a filter (customers, domains) */
    long long num;               /* package id, history entry id */
    long long version;           /* MX_PUT, RESTORE: the version the user edited */
    long offset, limit;          /* DOMAINS, HISTORY */
    const struct mx_config *cfg; /* MX_PUT */
    const char *reason;          /* MX_PUT, RESTORE */
    const char *const *hosts;    /* MX_CHECK */
    size_t n_hosts;
    const char *label; /* the spinner's text while it runs ("Loading domains…") */
    bool quiet;        /* no spinner, no status line (background checks) */
};

/* Starts a request for view v; its result reaches v->ops->result with tag. Returns the id, or
 * 0 when it could not start (the status line says why). */
uint64_t app_request(struct view *v, int tag, const struct app_call *call);
/* Starts a login for v (no retry: the password is not kept); result with tag. */
uint64_t app_login(struct view *v, int tag, const char *login, const char *password,
                   const char *otp);
/* Cancels v's requests with tag (every one of v's when tag < 0); each is answered with
 * API_ERR_CANCELLED at once. Returns how many were cancelled. */
size_t app_cancel(struct view *v, int tag);
/* Whether v has a request with tag in flight (any tag when tag < 0). */
bool app_busy(const struct view *v, int tag);

/* Sets (or moves) v's timer tag to fire in ms milliseconds; app_timer_cancel removes it. */
void app_timer(struct view *v, int tag, long ms);
void app_timer_cancel(struct view *v, int tag);

/* Opens a modal dialog for v with title, text and buttons (copied; msgids already
 * translated); focus is the button chosen first (make it the safe one). The answer reaches
 * v->ops->dialog with tag. */
void app_dialog(struct view *v, int tag, const char *title, const char *text,
                const char *const *buttons, size_t n, size_t focus);
/* Whether a modal dialog is open. */
bool app_dialog_open(const struct app *a);

/* Shows text on the status line in role (ROLE_STATUS, ROLE_ERROR, ROLE_WARNING, ROLE_OK);
 * printf-style. Text from the network is fine: it is sanitised when drawn. */
void app_status(struct app *a, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Clears the status line. */
void app_status_clear(struct app *a);

/* Marks the screen for drawing at the end of this loop turn. */
void app_dirty(struct app *a);
/* Asks for a new layout (a view that changed its widgets). */
void app_relayout(struct app *a);

/* Keeps a draft the user typed across a logout: the owner's name (e.g. the domain), the
 * configuration (copied) and the version it was based on; app_draft gives it back once after
 * the next login (NULL when none or for another name), app_draft_drop forgets it. */
void app_stash(struct app *a, const char *name, const struct mx_config *cfg, long long version);
const struct mx_config *app_draft(struct app *a, const char *name, long long *version);
void app_draft_drop(struct app *a);

/* Says the session ended for a reason the login screen shows (idle logout, expiry). */
void app_logout(struct app *a, const char *why);

/* Called by the login view when a login succeeded: remembers the actor and opens the first
 * screen (customer search for staff, the packages of a customer). */
void app_logged_in(struct app *a, const struct api_session *s);
/* Called by the re-login overlay when a new login after an expired session succeeded: closes
 * the overlay and sends the requests that were parked again. */
void app_relogged_in(struct app *a, const struct api_session *s);
/* Called by the re-login overlay when the user gave up: back to the login screen. */
void app_relogin_cancelled(struct app *a);

/* Milliseconds of the monotonic clock. */
long long app_now_ms(void);

#endif
