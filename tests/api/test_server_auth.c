/* mxapid, live on loopback: sessions, logout, expiry, throttling, TOTP, and the authorization
 * matrix (customer, other customer, staff, no token, unknown token, expired token). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

/* The demo's 2FA account (server/seed.h SEED_DEMO_TOTP_SECRET, docs/demo.md). */
#define TOTP_LOGIN    "10003"
#define TOTP_PASSWORD "demo-10003"
#define TOTP_SECRET   "OTTOZWEIFAKTOR2FADEMOMXTUI234567"

static struct server_proc sp;

static void start_with(const char *const *extra)
{
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
}

static void up(void)
{
    start_with(NULL);
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

static void login_ok(const char *login, const char *password, char tok[128])
{
    int rc = api_login(sp.port, login, password, tok);
    cr_assert_eq(rc, 0, "login %s: status %d", login, rc);
}

/* Sends a call and asserts its status and, when code is non-NULL, its error.code. */
static void expect(const char *method, const char *path, const char *token, const char *if_match,
                   const char *body, int status, const char *code)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, method, path, token, if_match, body, &r), 0,
                 "%s %s: no response", method, path);
    cr_expect_eq(r.status, status, "%s %s: status %d, expected %d; body %s", method, path, r.status,
                 status, r.body);
    if (code != NULL) {
        const char *got = http_error_code(&r);
        cr_expect(got != NULL && strcmp(got, code) == 0, "%s %s: error.code %s, expected %s",
                  method, path, got ? got : "(none)", code);
    }
    http_response_free(&r);
}

TestSuite(auth, .init = up, .fini = down, .timeout = 60);

Test(auth, login_customer_201_with_actor)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\",\"password\":\"demo-10001\"}", &r),
                 0);
    cr_assert_eq(r.status, 201, "body %s", r.body);
    const char *ct = http_header_get(&r, "Content-Type");
    cr_assert(ct != NULL && strncmp(ct, "application/json", 16) == 0);
    const char *tok = http_json_string(&r, "token");
    cr_assert(tok != NULL && strlen(tok) >= 20, "token too short");
    cr_assert_gt(http_json_number(&r, "expires_in", 0), 0);
    cr_assert_str_eq(http_json_string(&r, "actor.login"), "10001");
    cr_assert_str_eq(http_json_string(&r, "actor.role"), "customer");
    cr_assert_str_eq(http_json_string(&r, "actor.customer"), "10001");
    cr_assert_not_null(http_json_string(&r, "actor.name"));
    http_response_free(&r);
}

Test(auth, login_staff_has_null_customer)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"support\",\"password\":\"demo-support\"}", &r),
                 0);
    cr_assert_eq(r.status, 201, "body %s", r.body);
    cr_assert_str_eq(http_json_string(&r, "actor.role"), "staff");
    cr_assert(cJSON_IsNull(http_json_item(&r, "actor.customer")));
    http_response_free(&r);
}

Test(auth, two_logins_get_different_tokens)
{
    char a[128], b[128];
    login_ok("10001", "demo-10001", a);
    login_ok("10001", "demo-10001", b);
    cr_assert_str_neq(a, b);
}

Test(auth, wrong_password_and_unknown_login_are_alike)
{
    struct http_response r1, r2;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\",\"password\":\"wrong\"}", &r1),
                 0);
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"99999\",\"password\":\"wrong\"}", &r2),
                 0);
    cr_assert_eq(r1.status, 401);
    cr_assert_eq(r2.status, 401);
    cr_assert_str_eq(http_error_code(&r1), "invalid_credentials");
    cr_assert_str_eq(http_error_code(&r2), "invalid_credentials");
    cr_assert_str_eq(http_json_string(&r1, "error.message"),
                     http_json_string(&r2, "error.message"));
    http_response_free(&r1);
    http_response_free(&r2);
}

Test(auth, login_body_errors)
{
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"10001\"}", 400, NULL);
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"10001\",\"password\":", 400,
           "json_syntax");
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":10001,\"password\":\"demo-10001\"}", 400,
           NULL);
    expect("POST", "/v1/sessions", NULL, NULL, "[]", 400, NULL);
}

/* cJSON would cut "10001\u0000x" to "10001": the login must be refused on its field, not
 * answered as 10001's. */
Test(auth, login_hiding_a_nul_is_refused_on_its_field)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\\u0000x\",\"password\":\"demo-10001\"}", &r),
                 0);
    cr_assert_eq(r.status, 400, "status %d: %s", r.status, r.body);
    cr_assert_str_eq(http_error_code(&r), "bad_request");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "login");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "hidden_nul");
    cr_assert_null(http_json_string(&r, "token"));
    http_response_free(&r);
}

Test(auth, german_messages_on_request)
{
    const char *headers[] = {"Content-Type: application/json", "Accept-Language: de-DE,de;q=0.9",
                             NULL};
    const char *body = "{\"login\":\"10001\",\"password\":\"wrong\"}";
    struct http_response de, en;
    cr_assert_eq(http_request(sp.port, "POST", "/v1/sessions", headers, body, strlen(body), &de),
                 0);
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL, body, &en), 0);
    cr_assert_eq(de.status, 401);
    cr_assert_str_eq(http_error_code(&de), "invalid_credentials");
    cr_assert_str_neq(http_json_string(&de, "error.message"),
                      http_json_string(&en, "error.message"));
    http_response_free(&de);
    http_response_free(&en);
}

Test(auth, logout_ends_the_session)
{
    char tok[128];
    login_ok("10001", "demo-10001", tok);
    expect("GET", "/v1/customers/10001/packages", tok, NULL, NULL, 200, NULL);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "DELETE", "/v1/sessions/current", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 204);
    cr_assert_eq(r.body_len, 0);
    http_response_free(&r);
    expect("GET", "/v1/customers/10001/packages", tok, NULL, NULL, 401, "unauthorized");
    expect("DELETE", "/v1/sessions/current", tok, NULL, NULL, 401, "unauthorized");
    expect("DELETE", "/v1/sessions/current", NULL, NULL, NULL, 401, "unauthorized");
}

Test(auth, healthz_needs_no_token)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "status"), "ok");
    http_response_free(&r);
}

/* Every route of another customer's name, as 10002 and as staff and as nobody. */
Test(auth, authorization_matrix)
{
    char owner[128], other[128], staff[128];
    login_ok("10001", "demo-10001", owner);
    login_ok("10002", "demo-10002", other);
    login_ok("support", "demo-support", staff);
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, owner, "example.de", etag), 1);
    const char *put = "{\"mode\":\"provider\"}";
    const char *chk = "{\"hosts\":[\"mail.example.de.\"]}";

    struct {
        const char *method, *path, *body;
        bool staff_only;
    } routes[] = {
        {"GET", "/v1/customers/10001/packages", NULL, false},
        {"GET", "/v1/packages/1/domains", NULL, false},
        {"GET", "/v1/packages/2/domains", NULL, false},
        {"GET", "/v1/domains/example.de/dns", NULL, false},
        {"GET", "/v1/domains/shop.example.de/dns", NULL, false},
        {"GET", "/v1/domains/example.de/mx", NULL, false},
        {"GET", "/v1/domains/xn--mller-kva.de/mx", NULL, false},
        {"GET", "/v1/domains/example.org/mx", NULL, false},
        {"POST", "/v1/domains/example.de/mx/check", chk, false},
        {"GET", "/v1/domains/example.de/mx/history", NULL, false},
        {"GET", "/v1/customers?q=10001", NULL, true},
        {"GET", "/v1/customers/10001/access-log", NULL, true},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const char *m = routes[i].method, *p = routes[i].path, *b = routes[i].body;
        expect(m, p, NULL, NULL, b, 401, "unauthorized");
        expect(m, p, "not-a-real-token-but-long-enough-000000000", NULL, b, 401, "unauthorized");
        expect(m, p, staff, NULL, b, 200, NULL);
        if (routes[i].staff_only) {
            expect(m, p, owner, NULL, b, 403, "forbidden");
            expect(m, p, other, NULL, b, 403, "forbidden");
        } else {
            expect(m, p, owner, NULL, b, 200, NULL);
            expect(m, p, other, NULL, b, 404, "not_found");
        }
    }
    /* Writes: the other customer cannot even learn that the name exists. */
    expect("PUT", "/v1/domains/example.de/mx", NULL, etag, put, 401, "unauthorized");
    expect("PUT", "/v1/domains/example.de/mx", other, etag, put, 404, "not_found");
    expect("POST", "/v1/domains/example.de/mx/history/1/restore", other, etag, NULL, 404,
           "not_found");
    expect("POST", "/v1/domains/example.de/mx/history/1/restore", NULL, etag, NULL, 401,
           "unauthorized");
    /* The provider profile: any session. */
    expect("GET", "/v1/provider", NULL, NULL, NULL, 401, "unauthorized");
    expect("GET", "/v1/provider", other, NULL, NULL, 200, NULL);
    /* The other customer's own things stay visible to it, not to 10001. */
    expect("GET", "/v1/domains/beispiel.de/mx", other, NULL, NULL, 200, NULL);
    expect("GET", "/v1/domains/beispiel.de/mx", owner, NULL, NULL, 404, "not_found");
    expect("GET", "/v1/customers/10002/packages", owner, NULL, NULL, 404, "not_found");
    expect("GET", "/v1/packages/3/domains", owner, NULL, NULL, 404, "not_found");
    expect("GET", "/v1/customers/10002/packages", staff, NULL, NULL, 200, NULL);
}

/* A foreign name and a name that does not exist must be indistinguishable. */
Test(auth, foreign_is_identical_to_missing)
{
    char other[128];
    login_ok("10002", "demo-10002", other);
    const char *pairs[][2] = {
        {"/v1/domains/example.de/mx", "/v1/domains/no-such-name.de/mx"},
        {"/v1/domains/example.de/dns", "/v1/domains/no-such-name.de/dns"},
        {"/v1/domains/example.de/mx/history", "/v1/domains/no-such-name.de/mx/history"},
        {"/v1/customers/10001/packages", "/v1/customers/99999/packages"},
        {"/v1/packages/1/domains", "/v1/packages/9999/domains"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct http_response a, b;
        cr_assert_eq(http_call(sp.port, "GET", pairs[i][0], other, NULL, NULL, &a), 0);
        cr_assert_eq(http_call(sp.port, "GET", pairs[i][1], other, NULL, NULL, &b), 0);
        cr_expect_eq(a.status, 404, "%s: %d", pairs[i][0], a.status);
        cr_expect_eq(b.status, 404, "%s: %d", pairs[i][1], b.status);
        cr_expect(a.body_len == b.body_len && memcmp(a.body, b.body, a.body_len) == 0,
                  "%s and %s answer differently: %s / %s", pairs[i][0], pairs[i][1], a.body,
                  b.body);
        http_response_free(&a);
        http_response_free(&b);
    }
}

Test(auth, otp_required_then_201_with_the_code)
{
    expect("POST", "/v1/sessions", NULL, NULL,
           "{\"login\":\"" TOTP_LOGIN "\",\"password\":\"" TOTP_PASSWORD "\"}", 401,
           "otp_required");
    expect("POST", "/v1/sessions", NULL, NULL,
           "{\"login\":\"" TOTP_LOGIN "\",\"password\":\"" TOTP_PASSWORD "\",\"otp\":\"000000x\"}",
           401, "otp_required");
    /* A wrong password with a code is still just invalid credentials. */
    expect("POST", "/v1/sessions", NULL, NULL,
           "{\"login\":\"" TOTP_LOGIN "\",\"password\":\"nope\",\"otp\":\"123456\"}", 401,
           "invalid_credentials");
    char code[7], tok[128];
    cr_assert_eq(api_totp_now(TOTP_SECRET, code), 0);
    int status = http_login_otp(sp.port, TOTP_LOGIN, TOTP_PASSWORD, code, tok, sizeof tok);
    if (status != 201) {
        /* The code may have rolled over to the next 30 s step in between: one more try. */
        cr_assert_eq(api_totp_now(TOTP_SECRET, code), 0);
        status = http_login_otp(sp.port, TOTP_LOGIN, TOTP_PASSWORD, code, tok, sizeof tok);
    }
    cr_assert_eq(status, 201);
    expect("GET", "/v1/customers/10003/packages", tok, NULL, NULL, 200, NULL);
    /* A code opens one session only: replaying it is refused. */
    char again[128];
    cr_assert_eq(http_login_otp(sp.port, TOTP_LOGIN, TOTP_PASSWORD, code, again, sizeof again), 401,
                 "a replayed one-time code opened a second session");
}

Test(auth, wrong_otp_is_rejected)
{
    char code[7];
    cr_assert_eq(api_totp_now(TOTP_SECRET, code), 0);
    /* A code that is surely not valid now: every digit shifted. */
    for (int i = 0; i < 6; i++)
        code[i] = (char)('0' + (code[i] - '0' + 5) % 10);
    char tok[128];
    cr_assert_eq(http_login_otp(sp.port, TOTP_LOGIN, TOTP_PASSWORD, code, tok, sizeof tok), 401);
}

TestSuite(expiry, .fini = down, .timeout = 60);
TestSuite(throttle, .fini = down, .timeout = 60);

/* Waits until the token has been idle long enough to expire. Every use renews it, so the gap
 * between two probes grows until one probe finds it expired (or the deadline passes). */
Test(expiry, idle_token_expires)
{
    const char *extra[] = {"--session-idle", "1", NULL};
    start_with(extra);
    char tok[128];
    login_ok("10001", "demo-10001", tok);
    expect("GET", "/v1/customers/10001/packages", tok, NULL, NULL, 200, NULL);
    long long deadline = test_now_ms() + 20000;
    int gap = 1100;
    int status = 200;
    const char *code = NULL;
    struct http_response r = {0};
    while (test_now_ms() < deadline) {
        long long next = test_now_ms() + gap;
        while (test_now_ms() < next)
            test_pause_ms(50);
        http_response_free(&r);
        cr_assert_eq(http_call(sp.port, "GET", "/v1/customers/10001/packages", tok, NULL, NULL, &r),
                     0);
        status = r.status;
        code = http_error_code(&r);
        if (status != 200)
            break;
        gap *= 2;
    }
    cr_assert_eq(status, 401, "the idle token never expired");
    cr_assert_str_eq(code, "session_expired");
    http_response_free(&r);
    /* A fresh login works at once. */
    login_ok("10001", "demo-10001", tok);
    expect("GET", "/v1/customers/10001/packages", tok, NULL, NULL, 200, NULL);
}

Test(throttle, fourth_bad_login_is_429_with_retry_after)
{
    const char *extra[] = {"--login-attempts", "3", "--login-window", "60", NULL};
    start_with(extra);
    for (int i = 0; i < 3; i++)
        expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"10001\",\"password\":\"bad\"}",
               401, "invalid_credentials");
    struct http_response r;
    /* Even the right password waits now. */
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\",\"password\":\"demo-10001\"}", &r),
                 0);
    cr_assert_eq(r.status, 429, "body %s", r.body);
    cr_assert_str_eq(http_error_code(&r), "too_many_requests");
    const char *ra = http_header_get(&r, "Retry-After");
    cr_assert_not_null(ra, "429 without Retry-After");
    int secs = atoi(ra);
    cr_assert(secs >= 1 && secs <= 60, "Retry-After: %s", ra);
    http_response_free(&r);
}

Test(throttle, per_client_address_across_logins)
{
    const char *extra[] = {"--login-attempts", "3", "--login-window", "60", NULL};
    start_with(extra);
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"a1\",\"password\":\"x\"}", 401,
           "invalid_credentials");
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"a2\",\"password\":\"x\"}", 401,
           "invalid_credentials");
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"a3\",\"password\":\"x\"}", 401,
           "invalid_credentials");
    /* Three different logins from one address: the address itself is throttled now. */
    expect("POST", "/v1/sessions", NULL, NULL, "{\"login\":\"10002\",\"password\":\"demo-10002\"}",
           429, "too_many_requests");
}

Test(throttle, good_logins_are_not_counted)
{
    const char *extra[] = {"--login-attempts", "3", "--login-window", "60", NULL};
    start_with(extra);
    char tok[128];
    for (int i = 0; i < 6; i++)
        login_ok("10001", "demo-10001", tok);
}

Test(throttle, request_limit_per_session)
{
    const char *extra[] = {"--request-limit", "5", "--request-window", "60", NULL};
    start_with(extra);
    char tok[128];
    login_ok("10001", "demo-10001", tok);
    for (int i = 0; i < 5; i++)
        expect("GET", "/v1/provider", tok, NULL, NULL, 200, NULL);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/provider", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 429);
    cr_assert_str_eq(http_error_code(&r), "too_many_requests");
    cr_assert_not_null(http_header_get(&r, "Retry-After"));
    http_response_free(&r);
    /* Another session has its own window. */
    char tok2[128];
    login_ok("10001", "demo-10001", tok2);
    expect("GET", "/v1/provider", tok2, NULL, NULL, 200, NULL);
}

/* Guesses sent side by side must not all slip past the counter while the first ones are still
 * being verified: with 2 attempts allowed, 12 concurrent wrong passwords get exactly two 401s.
 * A real password hash cost makes each check take long enough for the requests to overlap. */
Test(throttle, concurrent_guesses_are_counted_before_they_are_checked, .timeout = 90)
{
    const char *extra[] = {
        "--login-attempts", "2", "--login-window", "60", "--threads", "6", "--hash-cost",
        "interactive",      NULL};
    start_with(extra);
    static const char body[] = "{\"login\":\"10001\",\"password\":\"wrong\"}";
    char req[256];
    int len = snprintf(req, sizeof req,
                       "POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       sizeof body - 1, body);
    enum { N = 12 };
    int fds[N];
    for (int i = 0; i < N; i++) {
        fds[i] = http_connect(sp.port, 5000);
        cr_assert_geq(fds[i], 0, "connect %d", i);
        /* Pacing, not waiting: accepted one by one, the connections spread over the threads. */
        test_pause_ms(10);
    }
    for (int i = 0; i < N; i++)
        cr_assert_eq(http_send_all(fds[i], req, (size_t)len, 5000), 0);
    int n401 = 0, n429 = 0;
    for (int i = 0; i < N; i++) {
        struct http_response r;
        cr_assert_eq(http_read_response(fds[i], false, 60000, &r), 0, "no reply %d", i);
        n401 += r.status == 401;
        n429 += r.status == 429;
        http_response_free(&r);
        close(fds[i]);
    }
    cr_assert_eq(n401, 2, "%d wrong passwords were checked (2 allowed), %d refused with 429", n401,
                 n429);
    cr_assert_eq(n429, N - 2);
}

/* A session over its request limit can still be ended: logging out must never be refused, or a
 * token the person meant to end stays valid until it idles out. */
Test(throttle, logout_works_over_the_request_limit)
{
    const char *extra[] = {"--request-limit", "2", "--request-window", "600", NULL};
    start_with(extra);
    char tok[128];
    login_ok("10001", "demo-10001", tok);
    expect("GET", "/v1/provider", tok, NULL, NULL, 200, NULL);
    expect("GET", "/v1/provider", tok, NULL, NULL, 200, NULL);
    expect("GET", "/v1/provider", tok, NULL, NULL, 429, "too_many_requests");
    expect("DELETE", "/v1/sessions/current", tok, NULL, NULL, 204, NULL);
    expect("GET", "/v1/provider", tok, NULL, NULL, 401, "unauthorized");
}

/* A member given twice is ambiguous (a proxy may read the last, cJSON reads the first): refused
 * like a repeated member of a PUT body, not answered as one of the two logins. */
Test(auth, a_repeated_login_member_is_refused)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\",\"login\":\"10002\",\"password\":\"demo-10001\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 400, "status %d: %s", r.status, r.body);
    cr_assert_str_eq(http_error_code(&r), "json_syntax");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "login");
    cr_assert_null(http_json_string(&r, "token"));
    http_response_free(&r);
}

/* The writes and the check, too: 10002 learns nothing of 10001's names or history entries, not
 * even through a history id of 10001 restored on 10002's own name. */
Test(auth, foreign_writes_and_history_ids_are_identical_to_missing)
{
    char owner[128], other[128], etag[64];
    login_ok("10001", "demo-10001", owner);
    login_ok("10002", "demo-10002", other);
    cr_assert_geq(api_mx_version(sp.port, owner, "example.de", etag), 1);
    struct http_response w;
    cr_assert_eq(api_mx_put(sp.port, owner, "example.de", etag, "{\"mode\":\"none\"}", &w), 0);
    cr_assert_eq(w.status, 200, "%s", w.body);
    long long saved = (long long)http_json_number(&w, "version", -1);
    http_response_free(&w);
    cr_assert_eq(
        http_call(sp.port, "GET", "/v1/domains/example.de/mx/history", owner, NULL, NULL, &w), 0);
    long long id = (long long)http_json_number(&w, "entries.0.id", -1);
    http_response_free(&w);
    cr_assert_gt(id, 0);
    char own_etag[64];
    cr_assert_geq(api_mx_version(sp.port, other, "beispiel.de", own_etag), 1);

    char foreign_restore[128], own_restore[128];
    snprintf(foreign_restore, sizeof foreign_restore,
             "/v1/domains/example.de/mx/history/%lld/restore", id);
    snprintf(own_restore, sizeof own_restore, "/v1/domains/beispiel.de/mx/history/%lld/restore",
             id);
    struct {
        const char *method, *a, *b, *if_match, *body;
    } pairs[] = {
        {"PUT", "/v1/domains/example.de/mx", "/v1/domains/no-such-name.de/mx", "\"1\"",
         "{\"mode\":\"provider\"}"},
        {"POST", "/v1/domains/example.de/mx/check", "/v1/domains/no-such-name.de/mx/check", NULL,
         "{\"hosts\":[\"mail.example.de.\"]}"},
        {"POST", foreign_restore, "/v1/domains/no-such-name.de/mx/history/1/restore", "\"1\"",
         NULL},
        {"POST", own_restore, "/v1/domains/beispiel.de/mx/history/999999/restore", own_etag, NULL},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct http_response a, b;
        cr_assert_eq(http_call(sp.port, pairs[i].method, pairs[i].a, other, pairs[i].if_match,
                               pairs[i].body, &a),
                     0);
        cr_assert_eq(http_call(sp.port, pairs[i].method, pairs[i].b, other, pairs[i].if_match,
                               pairs[i].body, &b),
                     0);
        cr_expect_eq(a.status, 404, "%s %s: %d %s", pairs[i].method, pairs[i].a, a.status, a.body);
        cr_expect(a.body_len == b.body_len && memcmp(a.body, b.body, a.body_len) == 0,
                  "%s and %s answer differently: %s / %s", pairs[i].a, pairs[i].b, a.body, b.body);
        http_response_free(&a);
        http_response_free(&b);
    }
    /* Nothing of 10001's changed. */
    cr_assert_eq(api_mx_version(sp.port, owner, "example.de", etag), saved);
}
