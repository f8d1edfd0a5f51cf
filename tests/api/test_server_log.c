/* mxapid's request log (stderr, one line per request): every request is there with method, path
 * and status; no password, token, query string or body ever is; a path cannot forge lines. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(log, .init = up, .fini = down, .timeout = 60);

struct wait_for {
    const char *needle;
    char *text; /* the log when found (caller frees) */
};

static bool log_has(void *ctx)
{
    struct wait_for *w = ctx;
    free(w->text);
    w->text = test_read_file(sp.log, NULL);
    return w->text != NULL && strstr(w->text, w->needle) != NULL;
}

/* Waits (5 s) until the log contains needle; returns the whole log (caller frees). */
static char *wait_log(const char *needle)
{
    struct wait_for w = {.needle = needle};
    bool found = test_wait_until(log_has, &w, 5000);
    cr_assert(found, "no \"%s\" in the log:\n%s", needle, w.text ? w.text : "(none)");
    return w.text;
}

Test(log, one_line_per_request_without_secrets)
{
    char tok[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/packages/1/domains?q=secret-query-text", tok, NULL,
                           NULL, &r),
                 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/no-such.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 404);
    http_response_free(&r);
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10002\",\"password\":\"wrong-secret-pw\"}", &r),
                 0);
    cr_assert_eq(r.status, 401);
    http_response_free(&r);

    /* Each line is written when its request completes, by the worker thread that served it:
     * the lines of three requests need not arrive in their order, so each is waited for. */
    free(wait_log("POST /v1/sessions 201"));
    free(wait_log("GET /v1/packages/1/domains 200"));
    free(wait_log("GET /v1/domains/no-such.de/mx 404"));
    char *log = wait_log("POST /v1/sessions 401");
    cr_assert_null(strstr(log, "demo-10001"), "the password is in the log");
    cr_assert_null(strstr(log, "wrong-secret-pw"), "a password is in the log");
    cr_assert_null(strstr(log, tok), "the token is in the log");
    cr_assert_null(strstr(log, "secret-query-text"), "the query string is in the log");
    free(log);
}

Test(log, a_path_cannot_forge_log_lines)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/x%0a2026-01-01T00:00:00Z%20FORGED%0d%1b[2J", NULL,
                           NULL, NULL, &r),
                 0);
    cr_assert_eq(r.status, 404);
    http_response_free(&r);
    char *log = wait_log("FORGED");
    const char *f = strstr(log, "FORGED");
    /* The forged text stays inside the line of its request: no newline, CR or ESC before it. */
    const char *line = f;
    while (line > log && line[-1] != '\n')
        line--;
    cr_assert(strncmp(line, "2026-01-01T00:00:00Z", 20) != 0, "a forged line starts the log line");
    cr_assert_null(strchr(log, '\r'), "a carriage return reached the log");
    cr_assert_null(strchr(log, '\x1b'), "an escape character reached the log");
    free(log);
}

/* The method is as much the client's text as the path: control bytes in it (an escape sequence
 * that recolours or clears the terminal reading the log) must not reach the log either. */
Test(log, a_method_cannot_smuggle_control_bytes)
{
    static const char req[] = "G\x1b[2JE\x7fT\x01 /healthz HTTP/1.0\r\n\r\n";
    struct http_response r;
    cr_assert_eq(http_raw_exchange(sp.port, req, sizeof req - 1, 5000, &r), 0);
    cr_assert_eq(r.status, 405, "status %d", r.status);
    http_response_free(&r);
    char *log = wait_log(" /healthz 405");
    cr_assert_null(strchr(log, '\x1b'), "an escape character reached the log:\n%s", log);
    cr_assert_null(strchr(log, '\x7f'), "a DEL reached the log:\n%s", log);
    cr_assert_null(strchr(log, '\x01'), "a control byte reached the log:\n%s", log);
    cr_assert_not_null(strstr(log, "G?[2JE?T? /healthz 405"), "%s", log);
    free(log);
}
