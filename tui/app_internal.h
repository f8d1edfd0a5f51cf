/* app_internal: what the files of the app module (tui/app*.c) share and nobody else uses —
 * the state of the loop, the requests in flight and the timers. The interface is tui/app.h. */
#ifndef TUI_APP_INTERNAL_H
#define TUI_APP_INTERNAL_H

#include "tui/app.h"
#include "widgets/dialog.h"

/* A request in flight (or parked until a new login, or kept for Retry). */
struct req {
    struct app *app;
    struct view *view; /* NULL once its view is gone: the result is dropped */
    int tag;
    uint64_t id;
    bool is_login;
    bool deliver_cancel;  /* a cancel the app made (Esc) is told to the view */
    struct app_call call; /* pointers into the owned copies below */
    char *str, *query, *reason, *label;
    char **hosts;
    struct mx_config *cfg;
    struct req *next;
};

/* A one-shot timer; view NULL for the app's own (tag enum app_timer_tag). */
struct timer {
    struct view *view;
    int tag;
    long long due_ms;
};

enum app_timer_tag { TIMER_SPINNER = 1, TIMER_IDLE };

enum { STACK_MAX = 16, TIMERS_MAX = 64 };

struct app {
    struct tui_options opts;
    struct api_client *client;
    enum mx_lang lang;
    /* the person logged in */
    bool logged_in;
    char actor_login[128], actor_role[16], actor_customer[64], actor_name[256];
    struct api_actor actor;
    struct mx_profile profile;
    bool profile_known;
    /* the stack of views, bottom first */
    struct view *stack[STACK_MAX];
    size_t depth;
    /* requests */
    struct req *inflight;
    struct req *parked; /* waiting for a new login after the session expired */
    struct req *retry;  /* the last request that failed on the network (F5 sends it again) */
    bool relogin_open;
    /* timers */
    struct timer timers[TIMERS_MAX];
    size_t n_timers;
    /* the modal dialog */
    struct dialog *dlg;
    struct view *dlg_view;
    int dlg_tag;
    /* the chrome */
    struct statusline *status;
    int status_rows; /* rows the status line takes now (1, up to 3 for a long message) */
    struct spinner *spinner;
    struct keybar *keybar;
    bool dirty, relayout, running;
    int exit_status;
    int signal_received;
    long long last_input_ms;
    long idle_ms;
    int sig_pipe[2];
    /* a draft kept across a logout */
    char draft_name[MX_HOST_SIZE];
    char draft_owner[128]; /* the login that typed it */
    struct mx_config *draft;
    long long draft_version;
};

/* Sends r (again): starts its call with the client and puts it in flight. Returns the id, or
 * 0 when the client refused to start it. */
uint64_t req_send(struct app *a, struct req *r);
/* Frees r and its copies. */
void req_free(struct req *r);
/* Cancels and forgets every request of v (v is going away); nothing reaches v. */
void req_drop_view(struct app *a, struct view *v);
/* Sends the parked requests again (after a new login). */
void req_resend_parked(struct app *a);
/* Forgets the parked requests. */
void req_drop_parked(struct app *a);
/* Whether v has non-quiet requests in flight, and the label of the newest. */
bool req_busy_label(const struct app *a, const struct view *v, const char **label);

/* Esc: cancels what v waits for (not its quiet background requests) and lets v know
 * (API_ERR_CANCELLED reaches its result). Returns how many were cancelled. */
size_t app_cancel_visible(struct app *a, struct view *v);

/* Milliseconds until the next timer is due (-1: none); fires the due ones. */
long timers_next_ms(struct app *a);
void timers_fire(struct app *a);
/* Forgets every timer of v. */
void timers_drop_view(struct app *a, struct view *v);
/* Sets one of the app's own timers; app_timer_fired is called when it is due. */
void app_timer_own(struct app *a, int tag, long ms);
void app_timer_fired(struct app *a, int tag);

/* app_view.c: closes the modal dialog (dismiss: and tells its owner choice -1), opens the
 * help of the top view, draws a whole frame, lays every view out for the screen's size. */
void close_dialog(struct app *a);
void dismiss_dialog(struct app *a);
void show_help(struct app *a);
void draw_all(struct app *a);
void layout_all(struct app *a);
/* Gives the widgets the user's words: the keys' names (Einfg, Entf, …) for key bar and help, a
 * filtered list's count, the "terminal too small" notice. */
void view_widget_words(void);

/* Opens the re-login overlay (once). */
void app_open_relogin(struct app *a);

#endif
