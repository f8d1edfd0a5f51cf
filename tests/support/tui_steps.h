/* tui_steps: the steps the end-to-end tests of mxtui repeat — a demo mxapid on loopback, bin/mxtui
 * in a pseudo-terminal against it (with a private HOME and config dir, English unless told),
 * waits that print the screen when they fail, and the login. */
#ifndef TUI_STEPS_H
#define TUI_STEPS_H

#include <stdbool.h>

#include "tests/harness/harness.h"
#include "tests/support/server_proc.h"

/* Deadline of one wait for something to show; only a failing test waits this long. */
#define TUI_WAIT_MS 10000

/* How to start a run. Zero values: a demo mxapid (api_server_start), 24x80, English, no
 * config file. */
struct tui_opts {
    const char *const *server_args; /* extra mxapid arguments */
    bool no_server;                 /* start no mxapid (then give url) */
    const char *url;                /* connect mxtui here instead (a relay); NULL: the server */
    const char *const *args;        /* extra mxtui arguments */
    const char *const *env;         /* extra environment entries "NAME=value" */
    const char *lang;               /* --lang value; NULL: "en"; "" gives none (the locale) */
    const char *config;             /* contents of $XDG_CONFIG_HOME/mxtui/config, or NULL */
    const char *locale;             /* LANG/LC_ALL, default C.UTF-8 */
    const char *term;               /* TERM, default xterm-256color */
    int rows, cols;
    struct relay **relay; /* non-NULL: put a relay (tests/support/relay) between mxtui
                             and the server and store it here; tui_end frees it */
};

/* One run: the server (when started), the terminal, the private home. */
struct tui {
    struct server_proc sp;
    bool have_server;
    struct term *t;
    char home[256];
    char url[128]; /* what mxtui was pointed at */
    struct relay *relay;
};

/* Starts the server (unless no_server) and mxtui. Returns 0, or -1 with the reason on stderr. */
int tui_begin(struct tui *u, const struct tui_opts *o);
/* Starts mxtui again in the same run (after it exited), with the same options. */
int tui_restart_term(struct tui *u, const struct tui_opts *o);
/* Stops mxtui and the server and removes the private home. */
void tui_end(struct tui *u);

/* Waits until text shows, then for the end of that frame (15 ms without output); on timeout
 * prints the screen (and the server log) to stderr and returns false. */
bool tui_wait(struct tui *u, const char *text, int timeout_ms);
/* Waits until text is gone; on timeout prints the screen and returns false. */
bool tui_wait_gone(struct tui *u, const char *text, int timeout_ms);
/* Prints the screen to stderr (for a failing assertion's diagnosis). */
void tui_dump(struct tui *u);

/* Types text / sends a named key (see term_send_key). Return 0 or -1. */
int tui_type(struct tui *u, const char *text);
int tui_key(struct tui *u, const char *name);

/* Logs in on the login screen (login, Enter, password, Enter) and waits for `then` (the first
 * text of the next screen). Returns whether it showed. */
bool tui_login(struct tui *u, const char *login, const char *password, const char *then);

/* Whether the server log holds a line containing text (e.g. "DELETE /v1/sessions/current"). */
bool tui_server_logged(struct tui *u, const char *text);
/* How many lines of the server log contain text. */
int tui_server_log_count(struct tui *u, const char *text);
/* Waits until at least n lines of the server log contain text. */
bool tui_wait_logged_n(struct tui *u, const char *text, int n, int timeout_ms);
/* Waits until the server log holds text. */
bool tui_wait_logged(struct tui *u, const char *text, int timeout_ms);

#endif
