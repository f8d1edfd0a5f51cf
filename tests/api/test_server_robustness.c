/* mxapid, live on loopback: malformed, oversized, deep, odd and slow requests — each is refused
 * with the documented status, and normal requests keep working afterwards. */
#include <criterion/criterion.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

#define MAX_BODY 4096

static struct server_proc sp;

static void up(void)
{
    const char *extra[] = {"--max-body", "4096", "--conn-timeout", "2", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(robust, .init = up, .fini = down, .timeout = 90);
TestSuite(limits, .fini = down);

/* The server is alive and correct: a login and a GET of the MX configuration succeed. */
static void still_works(void)
{
    cr_assert_neq(kill(sp.pid, 0), -1, "mxapid died");
    char tok[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0, "login failed afterwards");
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "domain"), "example.de");
    http_response_free(&r);
}

static char *token(void)
{
    static char tok[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    return tok;
}

/* Sends raw bytes; asserts that the reply is the given status, or (expect 0) that the server
 * either refused with some 4xx/5xx or closed the connection. */
static void raw_expect(const void *bytes, size_t len, int status)
{
    struct http_response r;
    int rc = http_raw_exchange(sp.port, bytes, len, 5000, &r);
    if (status == 0)
        cr_assert(rc != 0 || r.status >= 400, "accepted garbage: %d", r.status);
    else
        cr_assert_eq(r.status, status, "%.40s...: status %d, expected %d", (const char *)bytes,
                     r.status, status);
    http_response_free(&r);
}

Test(robust, malformed_request_lines)
{
    const char *reqs[] = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /healthz\r\nHost: x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "\r\n\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++)
        raw_expect(reqs[i], strlen(reqs[i]), 0);
    const char *v99 = "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n";
    raw_expect(v99, strlen(v99), 505);
    still_works();
}

/* RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host. */
Test(robust, http11_without_host_is_400)
{
    const char *nohost = "GET /healthz HTTP/1.1\r\n\r\n";
    raw_expect(nohost, strlen(nohost), 400);
    still_works();
}

Test(robust, garbage_bytes)
{
    size_t n = (size_t)64 * 1024;
    unsigned char *junk = malloc(n);
    cr_assert_not_null(junk);
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    raw_expect(junk, n, 0);
    junk[0] = 0;
    raw_expect(junk, 100, 0);
    free(junk);
    still_works();
}

Test(robust, bad_json_and_wrong_type)
{
    struct http_response r;
    const char *bodies[] = {"{\"login\":", "{'login':'10001'}", "\xff\xfe{}", "nul\x01l", ""};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        const char *headers[] = {"Content-Type: application/json", NULL};
        cr_assert_eq(http_request(sp.port, "POST", "/v1/sessions", headers, bodies[i],
                                  strlen(bodies[i]), &r),
                     0);
        cr_expect_eq(r.status, 400, "body %zu: %d", i, r.status);
        http_response_free(&r);
    }
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL, "{\"login\":", &r), 0);
    cr_assert_str_eq(http_error_code(&r), "json_syntax");
    http_response_free(&r);
    /* Invalid UTF-8 inside a string. */
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\xc3\x28\",\"password\":\"x\"}", &r),
                 0);
    cr_assert(r.status == 400 || r.status == 401, "%d", r.status);
    http_response_free(&r);
    still_works();
}

Test(robust, wrong_content_type_is_415)
{
    const char *body = "{\"login\":\"10001\",\"password\":\"demo-10001\"}";
    const char *types[] = {"Content-Type: text/plain", "Content-Type: multipart/form-data",
                           "Content-Type: application/jsonx", NULL};
    for (size_t i = 0; i < 4; i++) {
        const char *headers[] = {types[i], NULL};
        struct http_response r;
        cr_assert_eq(http_request(sp.port, "POST", "/v1/sessions", headers, body, strlen(body), &r),
                     0);
        cr_expect_eq(r.status, 415, "%s: %d", types[i] ? types[i] : "none", r.status);
        cr_expect_str_eq(http_error_code(&r), "unsupported_media_type");
        http_response_free(&r);
    }
    still_works();
}

Test(robust, oversized_bodies_are_413)
{
    size_t n = MAX_BODY + 1000;
    char *body = malloc(n + 1);
    cr_assert_not_null(body);
    memset(body, ' ', n);
    memcpy(body, "{\"login\":\"10001\",\"password\":\"demo-10001\"", 40);
    body[n - 1] = '}';
    body[n] = '\0';
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL, body, &r), 0);
    cr_assert_eq(r.status, 413);
    cr_assert_str_eq(http_error_code(&r), "payload_too_large");
    http_response_free(&r);

    char *tok = token();
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, body, &r), 0);
    cr_assert_eq(r.status, 413);
    http_response_free(&r);
    free(body);

    /* A claimed length far over the cap is refused before any body is sent. */
    const char *huge = "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 999999999999\r\n\r\n";
    raw_expect(huge, strlen(huge), 413);

    /* Chunked bodies count too. */
    char chunked[8192];
    int len = snprintf(chunked, sizeof chunked,
                       "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    for (int i = 0; i < 3; i++) {
        len += snprintf(chunked + len, sizeof chunked - (size_t)len, "7d0\r\n");
        memset(chunked + len, ' ', 2000);
        len += 2000;
        len += snprintf(chunked + len, sizeof chunked - (size_t)len, "\r\n");
    }
    len += snprintf(chunked + len, sizeof chunked - (size_t)len, "0\r\n\r\n");
    raw_expect(chunked, (size_t)len, 413);
    still_works();
}

Test(robust, deep_nesting_is_400_json_too_deep)
{
    size_t depth = 1000;
    char *deep = malloc(depth * 2 + 64);
    cr_assert_not_null(deep);
    size_t n = 0;
    n += (size_t)snprintf(deep, 64, "{\"mode\":");
    for (size_t i = 0; i < depth; i++)
        deep[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    char *tok = token();
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, deep, &r), 0);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_str_eq(http_error_code(&r), "json_too_deep");
    http_response_free(&r);
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL, deep, &r), 0);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(http_error_code(&r), "json_too_deep");
    http_response_free(&r);
    free(deep);
    still_works();
}

Test(robust, odd_methods_are_405)
{
    char *tok = token();
    struct {
        const char *method, *path;
    } cases[] = {
        {"PATCH", "/v1/domains/example.de/mx"},
        {"DELETE", "/v1/domains/example.de/mx"},
        {"DELETE", "/v1/provider"},
        {"PUT", "/healthz"},
        {"GET", "/v1/sessions"},
        {"POST", "/v1/domains/example.de/dns"},
        {"GET", "/v1/domains/example.de/mx/check"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_response r;
        cr_assert_eq(http_call(sp.port, cases[i].method, cases[i].path, tok, NULL, NULL, &r), 0);
        cr_expect_eq(r.status, 405, "%s %s: %d", cases[i].method, cases[i].path, r.status);
        cr_expect_str_eq(http_error_code(&r), "method_not_allowed");
        http_response_free(&r);
    }
    still_works();
}

Test(robust, unknown_paths_are_404)
{
    char *tok = token();
    const char *paths[] = {"/",
                           "/v1",
                           "/v1/nope",
                           "/v2/provider",
                           "/v1/domains",
                           "/v1/domains/example.de",
                           "/v1/domains/example.de/mx/extra",
                           "/v1/domains/example.de/mx/history/abc/restore/x",
                           "/%2e%2e/%2e%2e/etc/passwd",
                           "/v1/domains/..%2f..%2f/mx"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct http_response r;
        cr_assert_eq(http_call(sp.port, "GET", paths[i], tok, NULL, NULL, &r), 0);
        cr_expect_eq(r.status, 404, "%s: %d", paths[i], r.status);
        cr_expect_str_eq(http_error_code(&r), "not_found", "%s", paths[i]);
        http_response_free(&r);
    }
    /* A name too long to be a domain. */
    char path[2048] = "/v1/domains/";
    for (int i = 0; i < 30; i++)
        strncat(path, "abcdefghijklmnopqrstuvwxyz.", sizeof path - strlen(path) - 1);
    strncat(path, "de/mx", sizeof path - strlen(path) - 1);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, tok, NULL, NULL, &r), 0);
    cr_assert(r.status == 404 || r.status == 400, "%d", r.status);
    http_response_free(&r);
    still_works();
}

Test(robust, header_flood_is_refused)
{
    size_t n = (size_t)200 * 1024;
    char *req = malloc(n + 128);
    cr_assert_not_null(req);
    int len = snprintf(req, 128, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + len, 'a', n);
    static const char end[] = "\r\n\r\n";
    memcpy(req + len + n, end, sizeof end - 1);
    raw_expect(req, (size_t)len + n + sizeof end - 1, 0);
    free(req);
    still_works();
}

/* A client that sends half a request and stops must neither block others nor stay forever. */
Test(robust, half_request_times_out_and_others_go_on)
{
    int fd = http_connect(sp.port, 5000);
    cr_assert_geq(fd, 0);
    const char *half = "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 100\r\n\r\n{\"login\":";
    cr_assert_eq(http_send_all(fd, half, strlen(half), 5000), 0);
    still_works();
    /* --conn-timeout 2: the server drops the stalled connection (EOF, or a 408 first). */
    long long t0 = test_now_ms();
    char buf[4096];
    bool closed = false;
    while (test_now_ms() - t0 < 15000) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 500) == 1) {
            ssize_t got = read(fd, buf, sizeof buf);
            if (got <= 0) {
                closed = true;
                break;
            }
        }
    }
    close(fd);
    cr_assert(closed, "the stalled connection was still open after 15 s");
    still_works();
}

Test(robust, many_requests_on_one_keep_alive_connection)
{
    int fd = http_connect(sp.port, 5000);
    cr_assert_geq(fd, 0);
    for (int i = 0; i < 50; i++) {
        const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        cr_assert_eq(http_send_all(fd, req, strlen(req), 5000), 0);
        struct http_response r;
        cr_assert_eq(http_read_response(fd, false, 5000, &r), 0, "reply %d missing", i);
        cr_assert_eq(r.status, 200);
        http_response_free(&r);
    }
    close(fd);
    still_works();
}

/* --per-ip 4: a fifth simultaneous connection from one address is dropped; once the others
 * close, requests are served again. */
Test(limits, per_ip_connection_limit, .timeout = 60)
{
    const char *extra[] = {"--per-ip", "4", "--conn-timeout", "20", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    /* Each held connection completes one keep-alive request first: only then is it certain
     * that the server has accepted it and counts it (a bare connect() may still sit in the
     * kernel's backlog, which made this test flaky under load). */
    const char *keep = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    int held[4];
    for (int i = 0; i < 4; i++) {
        held[i] = http_connect(sp.port, 5000);
        cr_assert_geq(held[i], 0);
        cr_assert_eq(http_send_all(held[i], keep, strlen(keep), 5000), 0);
        struct http_response r;
        cr_assert_eq(http_read_response(held[i], false, 5000, &r), 0, "held connection %d", i);
        cr_assert_eq(r.status, 200);
        http_response_free(&r);
    }
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    bool refused = false;
    long long deadline = test_now_ms() + 10000;
    while (!refused && test_now_ms() < deadline) {
        struct http_response r;
        int rc = http_raw_exchange(sp.port, req, strlen(req), 2000, &r);
        refused = rc != 0 || r.status == 503;
        http_response_free(&r);
        if (!refused)
            test_pause_ms(20);
    }
    cr_assert(refused, "a fifth connection from one address was served");
    for (int i = 0; i < 4; i++)
        close(held[i]);
    /* Served again once the server has seen the closes. */
    bool served = false;
    deadline = test_now_ms() + 10000;
    while (!served && test_now_ms() < deadline) {
        struct http_response r;
        served = http_raw_exchange(sp.port, req, strlen(req), 2000, &r) == 0 && r.status == 200;
        http_response_free(&r);
        if (!served)
            test_pause_ms(20);
    }
    cr_assert(served, "not served after the held connections closed");
    still_works();
}
