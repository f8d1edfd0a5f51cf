/* api/client transport: it never blocks its caller, times out, cancels, refuses insecure URLs
 * and turns garbage replies into protocol errors. The silent and garbage servers are fixtures
 * of the network (a socket in a thread that answers fixed bytes), not stand-ins for mxapid;
 * test_client_live.c has the transport tests against a live mxapid. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/client.h"
#include "tests/support/test_util.h"

/* A socket on 127.0.0.1 that accepts and either never answers (reply NULL) or answers every
 * request with reply and closes. */
struct fixture {
    int lfd;
    int port;
    const char *reply;
    size_t reply_len;
    pthread_t thread;
    volatile int stop;
    volatile int accepted;
    int held[64];
    int n_held;
};

static struct fixture fx;

static void read_request(int fd)
{
    char buf[4096];
    size_t n = 0;
    long long deadline = test_now_ms() + 3000;
    while (n + 1 < sizeof(buf) && test_now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t got = read(fd, buf + n, sizeof(buf) - 1 - n);
        if (got <= 0)
            return;
        n += (size_t)got;
        buf[n] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            return;
    }
}

static void *fixture_run(void *arg)
{
    struct fixture *f = arg;
    while (!f->stop) {
        struct pollfd p = {.fd = f->lfd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept(f->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        f->accepted++;
        if (!f->reply) {
            if (f->n_held < 64)
                f->held[f->n_held++] = fd;
            else
                close(fd);
            continue;
        }
        read_request(fd);
        size_t off = 0;
        while (off < f->reply_len) {
            ssize_t w = send(fd, f->reply + off, f->reply_len - off, MSG_NOSIGNAL);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        close(fd);
    }
    return NULL;
}

static void fixture_start(const char *reply, size_t len)
{
    memset(&fx, 0, sizeof(fx));
    fx.reply = reply;
    fx.reply_len = len;
    fx.lfd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fx.lfd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(fx.lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(fx.lfd, 64), 0);
    socklen_t alen = sizeof(a);
    cr_assert_eq(getsockname(fx.lfd, (struct sockaddr *)&a, &alen), 0);
    fx.port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&fx.thread, NULL, fixture_run, &fx), 0);
}

static void fixture_stop(void)
{
    if (fx.lfd <= 0)
        return;
    fx.stop = 1;
    pthread_join(fx.thread, NULL);
    for (int i = 0; i < fx.n_held; i++)
        close(fx.held[i]);
    close(fx.lfd);
    fx.lfd = 0;
}

static struct api_client *client_for(int port, long timeout_ms, size_t max_reply)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    struct api_client_options o = {
        .base_url = url, .timeout_ms = timeout_ms, .max_reply_bytes = max_reply};
    enum api_status st;
    struct api_client *c = api_client_new(&o, &st);
    cr_assert_not_null(c, "api_client_new: %s", api_status_name(st));
    return c;
}

struct got {
    int calls;
    enum api_status status;
    struct api_result *res;
};

static void on_done(struct api_result *res, void *user)
{
    struct got *g = user;
    g->calls++;
    g->status = res->status;
    g->res = api_result_keep(res);
}

/* Runs the client's loop until g completed or the deadline passed. */
static void run_until(struct api_client *c, struct got *g, int timeout_ms)
{
    long long deadline = test_now_ms() + timeout_ms;
    while (g->calls == 0 && test_now_ms() < deadline) {
        api_client_poll(c, NULL, 0, 100);
        api_client_perform(c);
    }
    cr_assert_eq(g->calls, 1, "no completion within %d ms", timeout_ms);
}

static void teardown(void)
{
    fixture_stop();
}

TestSuite(silent, .fini = teardown, .timeout = 30);

Test(silent, start_never_blocks_and_the_request_times_out)
{
    fixture_start(NULL, 0);
    struct api_client *c = client_for(fx.port, 300, 0);
    struct got g = {0};
    long long t0 = test_now_ms();
    uint64_t id = api_start_mx_get(c, "example.de", on_done, &g);
    long long took = test_now_ms() - t0;
    cr_assert_neq(id, 0);
    cr_assert_lt(took, 50, "starting a request took %lld ms", took);
    cr_assert_eq(g.calls, 0, "the callback ran from the start call");
    cr_assert_eq(api_client_pending(c), 1);
    run_until(c, &g, 5000);
    long long total = test_now_ms() - t0;
    cr_assert_eq(g.status, API_ERR_TIMEOUT, "%s", api_status_name(g.status));
    cr_assert_geq(total, 250, "timed out after %lld ms only", total);
    cr_assert_eq(g.res->http_status, 0);
    cr_assert_gt(strlen(g.res->error.message), 0);
    cr_assert_eq(api_client_pending(c), 0);
    api_result_free(&g.res);
    api_client_free(&c);
}

static bool accepted_one(void *ctx)
{
    struct api_client *c = ctx;
    api_client_poll(c, NULL, 0, 20);
    api_client_perform(c);
    return fx.accepted >= 1;
}

Test(silent, cancel_while_waiting_calls_back_once)
{
    fixture_start(NULL, 0);
    struct api_client *c = client_for(fx.port, 20000, 0);
    struct got g = {0};
    uint64_t id = api_start_dns(c, "example.de", on_done, &g);
    cr_assert(test_wait_until(accepted_one, c, 5000), "the fixture never saw the connection");
    cr_assert_eq(g.calls, 0);
    long long t0 = test_now_ms();
    cr_assert(api_request_cancel(c, id));
    cr_assert_lt(test_now_ms() - t0, 50);
    cr_assert_eq(g.calls, 1, "cancel did not call back synchronously");
    cr_assert_eq(g.status, API_ERR_CANCELLED);
    cr_assert_eq(g.res->id, id);
    cr_assert_eq(api_client_pending(c), 0);
    cr_assert_not(api_request_cancel(c, id), "cancelled twice");
    api_client_perform(c);
    cr_assert_eq(g.calls, 1);
    api_result_free(&g.res);
    api_client_free(&c);
}

Test(silent, free_cancels_what_is_in_flight)
{
    fixture_start(NULL, 0);
    struct api_client *c = client_for(fx.port, 20000, 0);
    struct got g[3] = {{0}};
    for (int i = 0; i < 3; i++)
        cr_assert_neq(api_start_health(c, on_done, &g[i]), 0);
    api_client_perform(c);
    api_client_free(&c);
    cr_assert_null(c);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(g[i].calls, 1);
        cr_assert_eq(g[i].status, API_ERR_CANCELLED);
        api_result_free(&g[i].res);
    }
}

Test(silent, unresolvable_name_does_not_block_the_start)
{
    struct api_client_options o = {.base_url = "https://mxtui-test.invalid", .timeout_ms = 3000};
    struct api_client *c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct got g = {0};
    long long t0 = test_now_ms();
    cr_assert_neq(api_start_health(c, on_done, &g), 0);
    cr_assert_lt(test_now_ms() - t0, 50);
    run_until(c, &g, 10000);
    cr_assert(g.status == API_ERR_NETWORK || g.status == API_ERR_TIMEOUT, "%s",
              api_status_name(g.status));
    api_result_free(&g.res);
    api_client_free(&c);
}

Test(silent, poll_reports_the_callers_descriptors)
{
    fixture_start(NULL, 0);
    struct api_client *c = client_for(fx.port, 20000, 0);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(write(p[1], "x", 1), 1);
    struct pollfd fds[1] = {{.fd = p[0], .events = POLLIN}};
    long long t0 = test_now_ms();
    int ready = api_client_poll(c, fds, 1, 5000);
    cr_assert_eq(ready, 1);
    cr_assert(fds[0].revents & POLLIN);
    cr_assert_lt(test_now_ms() - t0, 1000);
    /* wakeup ends a wait at once. */
    char ch;
    cr_assert_eq(read(p[0], &ch, 1), 1);
    api_client_wakeup(c);
    t0 = test_now_ms();
    ready = api_client_poll(c, fds, 1, 5000);
    cr_assert_eq(ready, 0);
    cr_assert_lt(test_now_ms() - t0, 1000);
    close(p[0]);
    close(p[1]);
    api_client_free(&c);
}

/* A negative timeout means "no timer of the caller's", as for poll(2): the wait lasts until a
 * descriptor, the network or a wakeup ends it. curl_multi_poll refuses a negative timeout, so it
 * used to fail at once (-1) and a loop without timers spun. */
Test(silent, negative_timeout_waits_instead_of_failing)
{
    struct api_client *c = client_for(9, 20000, 0);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(write(p[1], "x", 1), 1);
    struct pollfd fds[1] = {{.fd = p[0], .events = POLLIN}};
    cr_assert_eq(api_client_poll(c, fds, 1, -1), 1);
    cr_assert(fds[0].revents & POLLIN);
    char ch;
    cr_assert_eq(read(p[0], &ch, 1), 1);
    /* Nothing ready: it waits, until the wakeup ends the wait. */
    api_client_wakeup(c);
    fds[0].revents = 0;
    cr_assert_eq(api_client_poll(c, fds, 1, -1), 0);
    cr_assert_eq(fds[0].revents, 0);
    close(p[0]);
    close(p[1]);
    api_client_free(&c);
}

Test(silent, refused_connection_is_a_network_error)
{
    int port = test_free_port(false);
    cr_assert_gt(port, 0);
    struct api_client *c = client_for(port, 5000, 0);
    struct got g = {0};
    cr_assert_neq(api_start_packages(c, "10001", on_done, &g), 0);
    run_until(c, &g, 10000);
    cr_assert_eq(g.status, API_ERR_NETWORK, "%s", api_status_name(g.status));
    api_result_free(&g.res);
    api_client_free(&c);
}

/* URLs: https anywhere, http to loopback literals only, unless explicitly allowed. */
Test(silent, insecure_urls_are_refused)
{
    static const struct {
        const char *url;
        bool allow;
        enum api_status want;
    } cases[] = {
        {"https://api.example.net", false, API_OK},
        {"http://127.0.0.1:8080", false, API_OK},
        {"http://127.1.2.3:8080/", false, API_OK},
        {"http://localhost:8080", false, API_OK},
        {"http://[::1]:8080", false, API_OK},
        {"http://192.0.2.1:8080", false, API_ERR_INSECURE},
        {"http://api.example.net", false, API_ERR_INSECURE},
        {"http://127.0.0.1.example.net", false, API_ERR_INSECURE},
        {"http://192.0.2.1:8080", true, API_OK},
        {"ftp://127.0.0.1/", false, API_ERR_BAD_REQUEST},
        {"not a url", false, API_ERR_BAD_REQUEST},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct api_client_options o = {.base_url = cases[i].url,
                                       .allow_insecure_http = cases[i].allow};
        enum api_status st = API_ERR_SERVER;
        struct api_client *c = api_client_new(&o, &st);
        cr_expect_eq(st, cases[i].want, "%s: %s", cases[i].url, api_status_name(st));
        cr_expect_eq(c != NULL, cases[i].want == API_OK, "%s", cases[i].url);
        api_client_free(&c);
    }
}

TestSuite(garbage, .fini = teardown, .timeout = 30);

/* Starts a fixture answering reply, runs one packages call (or call when given) and returns
 * its status. */
static enum api_status answer_with(const char *reply, size_t len, size_t max_reply,
                                   struct api_result **out)
{
    fixture_start(reply, len);
    struct api_client *c = client_for(fx.port, 5000, max_reply);
    struct got g = {0};
    cr_assert_neq(api_start_packages(c, "10001", on_done, &g), 0);
    run_until(c, &g, 10000);
    api_client_free(&c);
    if (out)
        *out = g.res;
    else
        api_result_free(&g.res);
    return g.status;
}

static enum api_status answer_json(const char *status_line, const char *extra_headers,
                                   const char *body, struct api_result **out)
{
    static char reply[8192];
    int n = snprintf(reply, sizeof(reply),
                     "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n%s\r\n%s",
                     status_line, strlen(body), extra_headers, body);
    cr_assert(n > 0 && (size_t)n < sizeof(reply));
    return answer_with(reply, (size_t)n, 0, out);
}

#define GOOD_PACKAGES                                                                              \
    "{\"customer\":{\"id\":\"10001\",\"name\":\"Erika\"},\"packages\":[{\"id\":1,\"name\":"        \
    "\"Hosting Plus\",\"domains\":5}]}"

Test(garbage, a_good_reply_decodes)
{
    struct api_result *res = NULL;
    cr_assert_eq(answer_json("200 OK", "", GOOD_PACKAGES, &res), API_OK);
    cr_assert_eq(res->packages->count, 1);
    cr_assert_str_eq(res->packages->items[0].name, "Hosting Plus");
    api_result_free(&res);
}

Test(garbage, unknown_fields_are_ignored)
{
    struct api_result *res = NULL;
    const char *body = "{\"customer\":{\"id\":\"10001\",\"name\":\"Erika\",\"tier\":\"gold\"},"
                       "\"packages\":[{\"id\":1,\"name\":\"P\",\"domains\":5,\"new\":[1,2]}],"
                       "\"next\":null}";
    cr_assert_eq(answer_json("200 OK", "", body, &res), API_OK);
    cr_assert_eq(res->packages->items[0].domains, 5);
    api_result_free(&res);
}

Test(garbage, malformed_json)
{
    cr_assert_eq(answer_json("200 OK", "", "{\"customer\":{\"id\":\"1\",", NULL), API_ERR_PROTOCOL);
    cr_assert_eq(answer_json("200 OK", "", "<html>hello</html>", NULL), API_ERR_PROTOCOL);
}

Test(garbage, trailing_bytes_after_the_json)
{
    cr_assert_eq(answer_json("200 OK", "", GOOD_PACKAGES "x", NULL), API_ERR_PROTOCOL);
}

Test(garbage, empty_body)
{
    cr_assert_eq(answer_json("200 OK", "", "", NULL), API_ERR_PROTOCOL);
}

Test(garbage, wrong_types)
{
    cr_assert_eq(answer_json("200 OK", "",
                             "{\"customer\":{\"id\":\"10001\",\"name\":\"E\"},\"packages\":[{"
                             "\"id\":\"1\",\"name\":\"P\",\"domains\":5}]}",
                             NULL),
                 API_ERR_PROTOCOL);
}

Test(garbage, non_integer_and_missing_field)
{
    cr_assert_eq(answer_json("200 OK", "",
                             "{\"customer\":{\"id\":\"10001\",\"name\":\"E\"},\"packages\":[{"
                             "\"id\":1.5,\"name\":\"P\",\"domains\":5}]}",
                             NULL),
                 API_ERR_PROTOCOL);
}

Test(garbage, missing_field)
{
    cr_assert_eq(answer_json("200 OK", "",
                             "{\"customer\":{\"id\":\"10001\",\"name\":\"E\"},\"packages\":[{"
                             "\"id\":1,\"domains\":5}]}",
                             NULL),
                 API_ERR_PROTOCOL);
}

Test(garbage, hidden_nul_in_a_string)
{
    cr_assert_eq(answer_json("200 OK", "",
                             "{\"customer\":{\"id\":\"10001\",\"name\":\"E\\u0000vil\"},"
                             "\"packages\":[]}",
                             NULL),
                 API_ERR_PROTOCOL);
}

/* A reply cut short is a connection that broke (worth a retry), not a broken contract. */
Test(garbage, truncated_body)
{
    const char *reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500"
                        "\r\nConnection: close\r\n\r\n{\"customer\":{\"id\":";
    cr_assert_eq(answer_with(reply, strlen(reply), 0, NULL), API_ERR_NETWORK);
}

Test(garbage, not_http_at_all)
{
    const char *reply = "SSH-2.0-OpenSSH_9.2\r\n";
    enum api_status st = answer_with(reply, strlen(reply), 0, NULL);
    cr_assert(st == API_ERR_PROTOCOL || st == API_ERR_NETWORK, "%s", api_status_name(st));
}

static char *big_reply(size_t body_len, size_t *len)
{
    char head[256];
    int h = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     body_len);
    char *r = malloc((size_t)h + body_len);
    cr_assert_not_null(r);
    memcpy(r, head, (size_t)h);
    /* A valid JSON document: a long string in an unknown field. */
    char *b = r + h;
    static const char pre[] =
        "{\"customer\":{\"id\":\"1\",\"name\":\"E\"},\"packages\":[],\"pad\":\"";
    memcpy(b, pre, sizeof pre - 1);
    memset(b + sizeof pre - 1, 'a', body_len - (sizeof pre - 1) - 2);
    b[body_len - 2] = '"';
    b[body_len - 1] = '}';
    *len = (size_t)h + body_len;
    return r;
}

Test(garbage, oversized_reply_with_a_small_cap)
{
    size_t len;
    char *r = big_reply(4096, &len);
    cr_assert_eq(answer_with(r, len, 2048, NULL), API_ERR_PROTOCOL);
    fixture_stop();
    cr_assert_eq(answer_with(r, len, 8192, NULL), API_OK, "the same reply under the cap");
    free(r);
}

Test(garbage, oversized_reply_with_the_default_cap)
{
    size_t len;
    char *r = big_reply(API_REPLY_MAX_BYTES + 100, &len);
    cr_assert_eq(answer_with(r, len, 0, NULL), API_ERR_PROTOCOL);
    free(r);
}

Test(garbage, redirect_is_not_followed)
{
    cr_assert_eq(answer_json("302 Found", "Location: http://127.0.0.1:1/elsewhere\r\n", "{}", NULL),
                 API_ERR_PROTOCOL);
}

Test(garbage, server_error_without_envelope)
{
    struct api_result *res = NULL;
    cr_assert_eq(answer_json("502 Bad Gateway", "", "<html>bad gateway</html>", &res),
                 API_ERR_SERVER);
    cr_assert_eq(res->http_status, 502);
    cr_assert_gt(strlen(res->error.message), 0);
    api_result_free(&res);
}

Test(garbage, client_error_without_envelope)
{
    cr_assert_eq(answer_json("404 Not Found", "", "nope", NULL), API_ERR_PROTOCOL);
    fixture_stop();
    cr_assert_eq(answer_json("401 Unauthorized", "", "{\"error\":{\"code\":3}}", NULL),
                 API_ERR_PROTOCOL);
}

Test(garbage, rate_limited_carries_retry_after)
{
    struct api_result *res = NULL;
    cr_assert_eq(answer_json("429 Too Many Requests", "Retry-After: 7\r\n",
                             "{\"error\":{\"code\":\"too_many_requests\",\"message\":\"slow\"}}",
                             &res),
                 API_ERR_RATE_LIMITED);
    cr_assert_eq(res->error.retry_after, 7);
    cr_assert_str_eq(res->error.message, "slow");
    cr_assert_str_eq(res->error.code, "too_many_requests");
    api_result_free(&res);
}

Test(garbage, unexpected_success_status)
{
    cr_assert_eq(answer_json("204 No Content", "", "", NULL), API_ERR_PROTOCOL);
}

/* The token goes into the Authorization header of every later request as it is: a token that
 * would smuggle a header line (or is no RFC 6750 b64token at all) is a protocol error. */
Test(garbage, token_that_would_inject_a_header_is_refused)
{
    static const struct {
        const char *token;
        enum api_status want;
    } cases[] = {
        {"Rf2FzJ5TeJA2uu8_B8k_WQHs25vD8xUJcBQoV7ayqCI", API_OK},
        {"abc+/.~-_==", API_OK},
        {"abc\\r\\nX-Injected: 1", API_ERR_PROTOCOL},
        {"abc\\nX-Injected: 1", API_ERR_PROTOCOL},
        {"abc def", API_ERR_PROTOCOL},
        {"abc=def", API_ERR_PROTOCOL},
        {"\\u00e4bc", API_ERR_PROTOCOL},
        {"", API_ERR_PROTOCOL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[512];
        int n = snprintf(body, sizeof(body),
                         "{\"token\":\"%s\",\"expires_in\":900,\"actor\":{\"login\":\"10001\","
                         "\"role\":\"customer\",\"customer\":\"10001\",\"name\":\"E\"}}",
                         cases[i].token);
        cr_assert(n > 0 && (size_t)n < sizeof(body));
        struct api_result *res = api_result_new(API_CALL_LOGIN);
        cr_assert_not_null(res);
        enum api_status st = api_reply_decode(res, 201, body, (size_t)n, NULL, NULL, MX_LANG_EN);
        cr_expect_eq(st, cases[i].want, "%s: %s", cases[i].token, api_status_name(st));
        api_result_free(&res);
    }
}
