/* mxapid's sessions and login throttle live in the database: a token still works after a
 * restart on the same database, the brute-force counter and a used one-time code are still
 * there, and an account's oldest session ends when it opens more than --sessions-per-account. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"

static struct server_proc sp;

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(sessions, .fini = down, .timeout = 60);

static int get_status(const char *tok)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    int st = r.status;
    http_response_free(&r);
    return st;
}

/* SIGTERM, then a new mxapid on the same database. */
static void restart(const char *const *extra)
{
    cr_assert_eq(server_proc_stop(&sp) >= 0, 1);
    cr_assert_eq(api_server_restart(&sp, extra), 0, "mxapid did not restart");
}

Test(sessions, a_token_survives_a_restart)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    char tok[128], gone[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", gone), 0);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "DELETE", "/v1/sessions/current", gone, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 204);
    http_response_free(&r);
    cr_assert_eq(get_status(tok), 200);
    restart(NULL);
    cr_assert_eq(get_status(tok), 200, "the token did not survive the restart");
    /* The same session: logging it out ends it for good, also across another restart. */
    cr_assert_eq(http_call(sp.port, "DELETE", "/v1/sessions/current", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 204);
    http_response_free(&r);
    restart(NULL);
    cr_assert_eq(get_status(tok), 401);
    cr_assert_eq(get_status(gone), 401, "a logged-out token came back");
}

Test(sessions, the_login_throttle_survives_a_restart)
{
    const char *extra[] = {"--login-attempts", "3", "--login-window", "300", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0);
    char tok[128];
    for (int i = 0; i < 3; i++)
        cr_assert_eq(api_login(sp.port, "10002", "wrong", tok), 401);
    cr_assert_eq(api_login(sp.port, "10002", "demo-10002", tok), 429);
    restart(extra);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10002\",\"password\":\"demo-10002\"}", &r),
                 0);
    cr_assert_eq(r.status, 429, "the counter was reset by the restart: %d", r.status);
    cr_assert_not_null(http_header_get(&r, "Retry-After"));
    http_response_free(&r);
}

Test(sessions, a_used_one_time_code_stays_used_after_a_restart)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    char code[7], tok[128];
    cr_assert_eq(api_totp_now("OTTOZWEIFAKTOR2FADEMOMXTUI234567", code), 0);
    int st = http_login_otp(sp.port, "10003", "demo-10003", code, tok, sizeof tok);
    if (st == 401) { /* the step changed between generating and checking: take the next */
        cr_assert_eq(api_totp_now("OTTOZWEIFAKTOR2FADEMOMXTUI234567", code), 0);
        st = http_login_otp(sp.port, "10003", "demo-10003", code, tok, sizeof tok);
    }
    cr_assert_eq(st, 201);
    restart(NULL);
    cr_assert_eq(http_login_otp(sp.port, "10003", "demo-10003", code, tok, sizeof tok), 401,
                 "a one-time code opened a second session after the restart");
}

Test(sessions, the_oldest_session_ends_beyond_the_cap)
{
    const char *extra[] = {"--sessions-per-account", "2", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0);
    char t1[128], t2[128], t3[128], other[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", t1), 0);
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", t2), 0);
    cr_assert_eq(api_login(sp.port, "10002", "demo-10002", other), 0);
    cr_assert_eq(get_status(t1), 200);
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", t3), 0);
    cr_assert_eq(get_status(t1), 401, "the oldest session of 10001 still works");
    cr_assert_eq(get_status(t2), 200);
    cr_assert_eq(get_status(t3), 200);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/beispiel.de/mx", other, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "another account's session ended too");
    http_response_free(&r);
    /* Also in the database: the ended session does not come back with a restart. */
    restart(extra);
    cr_assert_eq(get_status(t1), 401);
    cr_assert_eq(get_status(t3), 200);
}
