/* mxapid's DNS checks never hold a worker: with a resolver that never answers, checks and saves
 * wait for their deadline while every other request is served; checks in flight are capped per
 * session and in total (429 too_many_checks beyond). */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static int silent_fd = -1;
static char resolver[32];

/* A UDP socket that takes every query and answers none. */
static void silent_up(void)
{
    silent_fd = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert_geq(silent_fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    cr_assert_eq(bind(silent_fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(silent_fd, (struct sockaddr *)&a, &alen), 0);
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", ntohs(a.sin_port));
}

static void down(void)
{
    server_proc_cleanup(&sp);
    if (silent_fd >= 0)
        close(silent_fd);
    silent_fd = -1;
}

TestSuite(checks, .init = silent_up, .fini = down, .timeout = 120);

/* Starts mxapid with the silent resolver, a DNS deadline of dns_ms and 2 workers. */
static void start(const char *dns_ms, const char *const *more)
{
    const char *args[24] = {"--resolver", resolver, "--dns-timeout",   dns_ms,
                            "--threads",  "2",      "--request-limit", "100000"};
    size_t n = 8;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        args[n++] = more[i];
    args[n] = NULL;
    cr_assert_eq(server_proc_start(&sp, args), 0, "mxapid did not start");
}

/* Sends a request on a fresh connection and leaves it open for its reply. */
static int send_open(const char *method, const char *path, const char *tok, const char *if_match,
                     const char *body)
{
    int fd = http_connect(sp.port, 5000);
    cr_assert_geq(fd, 0);
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n%s%s%s"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     method, path, tok, if_match ? "If-Match: " : "", if_match ? if_match : "",
                     if_match ? "\r\n" : "", strlen(body), body);
    cr_assert_eq(http_send_all(fd, req, (size_t)n, 5000), 0);
    return fd;
}

/* True when the server has sent nothing on fd yet. */
static bool still_waiting(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 0;
}

/* A GET that must be answered within 5 s (the checks wait 8 s for their resolver). */
static void served_meanwhile(const char *tok)
{
    struct http_response r;
    static const char health[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    cr_assert_eq(http_raw_exchange(sp.port, health, sizeof health - 1, 5000, &r), 0,
                 "/healthz was not answered while the checks waited");
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    char get[512];
    int n = snprintf(get, sizeof get,
                     "GET /v1/domains/example.de/mx HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                     tok);
    cr_assert_eq(http_raw_exchange(sp.port, get, (size_t)n, 5000, &r), 0,
                 "GET of the MX configuration was not answered while the checks waited");
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
}

Test(checks, waiting_checks_hold_no_worker)
{
    start("8000", NULL);
    enum { SESSIONS = 4, PER = 4 };
    char toks[SESSIONS + 1][128];
    for (int i = 0; i <= SESSIONS; i++)
        cr_assert_eq(http_login(sp.port, "10001", "demo-10001", toks[i], 128), 201);
    int fds[SESSIONS * PER];
    for (int i = 0; i < SESSIONS * PER; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"hosts\":[\"mx%d.elsewhere.test.\"]}", i);
        fds[i] = send_open("POST", "/v1/domains/example.de/mx/check", toks[i / PER], NULL, body);
    }
    served_meanwhile(toks[SESSIONS]);
    /* The GETs came back while every check was still waiting for the resolver. */
    for (int i = 0; i < SESSIONS * PER; i++)
        cr_assert(still_waiting(fds[i]), "check %d was answered before the GETs", i);
    for (int i = 0; i < SESSIONS * PER; i++) {
        struct http_response r;
        cr_assert_eq(http_read_response(fds[i], false, 20000, &r), 0, "check %d: no reply", i);
        cr_assert_eq(r.status, 200, "check %d: %d %s", i, r.status, r.body);
        cr_assert_str_eq(http_json_string(&r, "results.0.code"), "unverifiable");
        http_response_free(&r);
        close(fds[i]);
    }
}

Test(checks, a_saves_dns_part_holds_no_worker)
{
    start("8000", NULL);
    enum { N = 4 };
    const char *names[N] = {"example.de", "shop.example.de", "xn--mller-kva.de", "example.org"};
    char tok[128];
    cr_assert_eq(http_login(sp.port, "10001", "demo-10001", tok, sizeof tok), 201);
    int fds[N];
    for (int i = 0; i < N; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/domains/%s/mx", names[i]);
        fds[i] = send_open("PUT", path, tok, "\"1\"",
                           "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mx.elsewhere.test.\","
                           "\"priority\":10}]}");
    }
    char other[128];
    cr_assert_eq(http_login(sp.port, "10002", "demo-10002", other, sizeof other), 201);
    struct http_response r;
    static const char health[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    cr_assert_eq(http_raw_exchange(sp.port, health, sizeof health - 1, 5000, &r), 0,
                 "/healthz was not answered while the saves waited");
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/beispiel.de/mx", other, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    for (int i = 0; i < N; i++)
        cr_assert(still_waiting(fds[i]), "save %d was answered before the GETs", i);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(http_read_response(fds[i], false, 20000, &r), 0, "save %d: no reply", i);
        cr_assert_eq(r.status, 200, "save %d: %d %s", i, r.status, r.body);
        cr_assert_str_eq(http_json_string(&r, "warnings.0.code"), "unverifiable", "%s", r.body);
        cr_assert_eq(http_json_number(&r, "version", 0), 2);
        http_response_free(&r);
        close(fds[i]);
    }
}

/* Of the n checks on fds, waits (5 s) until `refused` of them were answered 429
 * too_many_checks with Retry-After; closes those and sets them to -1. The server may take the
 * connections in any order, so which ones are refused is not known beforehand. */
static void expect_refused(int *fds, int n, int refused)
{
    int got = 0;
    long long deadline = test_now_ms() + 5000;
    while (got < refused && test_now_ms() < deadline) {
        for (int i = 0; i < n; i++) {
            if (fds[i] < 0 || still_waiting(fds[i]))
                continue;
            struct http_response r;
            cr_assert_eq(http_read_response(fds[i], false, 2000, &r), 0);
            cr_assert_eq(r.status, 429, "%d %s", r.status, r.body);
            cr_assert_str_eq(http_error_code(&r), "too_many_checks");
            cr_assert_not_null(http_header_get(&r, "Retry-After"));
            http_response_free(&r);
            close(fds[i]);
            fds[i] = -1;
            got++;
        }
        test_pause_ms(10);
    }
    cr_assert_eq(got, refused, "%d of %d checks refused, want %d", got, n, refused);
}

Test(checks, checks_in_flight_are_capped)
{
    const char *caps[] = {"--checks-per-session", "2", "--checks-total", "3", NULL};
    start("8000", caps);
    char a[128], b[128];
    cr_assert_eq(http_login(sp.port, "10001", "demo-10001", a, sizeof a), 201);
    cr_assert_eq(http_login(sp.port, "10001", "demo-10001", b, sizeof b), 201);
    const char *body = "{\"hosts\":[\"mx.elsewhere.test.\"]}";
    const char *path = "/v1/domains/example.de/mx/check";
    /* Three of one session: one is over --checks-per-session. */
    int held[5];
    for (int i = 0; i < 3; i++)
        held[i] = send_open("POST", path, a, NULL, body);
    expect_refused(held, 3, 1);
    /* Two of another session: one fits, the other is over the total. */
    for (int i = 3; i < 5; i++)
        held[i] = send_open("POST", path, b, NULL, body);
    expect_refused(held + 3, 2, 1);
    /* A check of the own zones needs no lookup and is never refused. */
    struct http_response r;
    cr_assert_eq(
        http_call(sp.port, "POST", path, b, NULL, "{\"hosts\":[\"mail.example.de.\"]}", &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_response_free(&r);
    int waiting = 0;
    for (int i = 0; i < 5; i++) {
        if (held[i] < 0)
            continue;
        waiting++;
        cr_assert(still_waiting(held[i]), "check %d was answered early", i);
    }
    cr_assert_eq(waiting, 3);
    for (int i = 0; i < 5; i++) {
        if (held[i] < 0)
            continue;
        cr_assert_eq(http_read_response(held[i], false, 20000, &r), 0);
        cr_assert_eq(r.status, 200);
        http_response_free(&r);
        close(held[i]);
    }
    /* Their slots are free again. */
    cr_assert_eq(http_call(sp.port, "POST", path, a, NULL, body, &r), 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
}

/* SIGTERM while checks wait: they are answered (unverifiable) and the server exits 0. */
Test(checks, shutdown_answers_waiting_checks)
{
    const char *one[] = {"--checks-per-session", "1", NULL};
    start("30000", one);
    char tok[128];
    cr_assert_eq(http_login(sp.port, "10001", "demo-10001", tok, sizeof tok), 201);
    const char *body = "{\"hosts\":[\"mx.elsewhere.test.\"]}";
    int fd = send_open("POST", "/v1/domains/example.de/mx/check", tok, NULL, body);
    /* A second check of the session is refused exactly while the first waits: then the first
     * is parked in the server (not merely sent), which is what the shutdown must answer. If
     * the second overtook the first, the roles swap. */
    bool parked = false;
    for (int tries = 0; !parked && tries < 20; tries++) {
        int probe = send_open("POST", "/v1/domains/example.de/mx/check", tok, NULL, body);
        struct http_response r;
        if (http_read_response(probe, false, 2000, &r) == 0) {
            parked = r.status == 429;
            http_response_free(&r);
            close(probe);
        } else {
            /* The probe waits: the first was refused (or is about to be) in its place. */
            cr_assert_eq(http_read_response(fd, false, 5000, &r), 0);
            cr_assert_eq(r.status, 429);
            http_response_free(&r);
            close(fd);
            fd = probe;
        }
    }
    cr_assert(parked, "the first check never waited");
    served_meanwhile(tok);
    cr_assert(still_waiting(fd));
    int st = server_proc_stop(&sp);
    struct http_response r;
    cr_assert_eq(http_read_response(fd, false, 5000, &r), 0, "the waiting check got no reply");
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "results.0.code"), "unverifiable");
    http_response_free(&r);
    close(fd);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit status %d", st);
}
