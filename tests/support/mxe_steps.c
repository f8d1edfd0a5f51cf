/* mxe_steps: shared steps of the MX editor's end-to-end tests; see mxe_steps.h. */
#include "tests/support/mxe_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

int mxe_keystrokes;

void mxe_key(struct tui *u, const char *name)
{
    mxe_keystrokes++;
    tui_key(u, name);
}

void mxe_type(struct tui *u, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80)
            mxe_keystrokes++;
    tui_type(u, text);
}

void mxe_type_host(struct tui *u, const char *host)
{
    tui_type(u, host);
}

struct filtered {
    struct tui *u;
    const char *line;
};

/* The filter line shows the name and at least one row matches (the page has arrived). */
static bool rows_match(void *ctx)
{
    struct filtered *f = ctx;
    term_pump(f->u->t, 5);
    return term_has_text(f->u->t, f->line) && !term_has_text(f->u->t, "(0 of");
}

bool mxe_open_from_domains(struct tui *u, const char *name, const char *ready)
{
    mxe_type(u, name);
    char want[300];
    snprintf(want, sizeof want, "/%s  (", name);
    struct filtered f = {u, want};
    if (!test_wait_until(rows_match, &f, TUI_WAIT_MS)) {
        tui_dump(u);
        return false;
    }
    mxe_key(u, "Enter");
    if (!tui_wait(u, "NS", TUI_WAIT_MS) || !tui_wait(u, "DynDNS", TUI_WAIT_MS))
        return false;
    mxe_type(u, "m");
    /* The heading shows at once; keys count once the configuration is there ("Version …"). */
    return tui_wait(u, ready, TUI_WAIT_MS) && tui_wait(u, "Version ", TUI_WAIT_MS) &&
           term_wait_idle(u->t, 60, TUI_WAIT_MS);
}

bool mxe_open(struct tui *u, const char *login, const char *password, const char *name,
              const char *ready)
{
    if (!tui_wait(u, "Passw", TUI_WAIT_MS))
        return false;
    mxe_type(u, login);
    mxe_key(u, "Enter");
    mxe_type(u, password);
    mxe_key(u, "Enter");
    /* A customer with several packages: the first (Hosting Plus) is the one. */
    if (!tui_wait(u, login, TUI_WAIT_MS) || !term_wait_idle(u->t, 80, TUI_WAIT_MS))
        return false;
    if (term_has_text(u->t, "Hosting Plus") && !term_has_text(u->t, "A-"))
        mxe_key(u, "Enter");
    if (!tui_wait(u, "A-", TUI_WAIT_MS)) /* the domain list's A-label column */
        return false;
    term_wait_idle(u->t, 60, TUI_WAIT_MS);
    return mxe_open_from_domains(u, name, ready);
}

char *mxe_api_get(struct tui *u, const char *login, const char *password, const char *name)
{
    char tok[256], path[512];
    if (http_login(u->sp.port, login, password, tok, sizeof tok) != 201)
        return NULL;
    snprintf(path, sizeof path, "/v1/domains/%s/mx", name);
    struct http_response r;
    if (http_call(u->sp.port, "GET", path, tok, NULL, NULL, &r) != 0)
        return NULL;
    char *body = r.status == 200 ? strdup(r.body) : NULL;
    http_response_free(&r);
    return body;
}
