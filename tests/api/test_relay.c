/* The relay of tests/support (relay.h) between a live mxapid and its clients: each mode proved
 * through raw HTTP and through api/client (and mxctl where a program is the point) — passing
 * through, a delayed reply that arrives late but whole, a blackholed request that times out, a
 * connection cut before and in the middle of a reply, refused connections, and back to normal
 * after each. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/prog_run.h"
#include "tests/support/relay.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static struct relay *rl;
static struct api_client *cl;
static char url[64];

static void up_with(const char *const *extra)
{
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    rl = relay_start(sp.port);
    cr_assert_not_null(rl);
    relay_url(rl, url, sizeof url);
    cr_assert_neq(relay_port(rl), sp.port);
}

static void up(void)
{
    up_with(NULL);
}

static void down(void)
{
    api_client_free(&cl);
    relay_free(&rl);
    cr_assert_null(rl);
    server_proc_cleanup(&sp);
}

TestSuite(relay, .init = up, .fini = down, .timeout = 60);

/* GET /healthz through the relay with a deadline; the status (0: nothing came). */
static int health(int timeout_ms, long long *took_ms)
{
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n";
    struct http_response r;
    long long t0 = test_now_ms();
    http_raw_exchange(relay_port(rl), req, sizeof req - 1, timeout_ms, &r);
    if (took_ms)
        *took_ms = test_now_ms() - t0;
    int status = r.status;
    if (status == 200)
        cr_assert_str_eq(http_json_string(&r, "status"), "ok", "%s", r.body);
    http_response_free(&r);
    return status;
}

static void client_with(long timeout_ms)
{
    api_client_free(&cl);
    struct api_client_options o = {.base_url = url, .timeout_ms = timeout_ms};
    enum api_status st;
    cl = api_client_new(&o, &st);
    cr_assert_not_null(cl, "%s", api_status_name(st));
}

/* A login through the client; its result (the caller frees it). */
static struct api_result *login(void)
{
    struct api_sync s = {0};
    struct api_result *res =
        api_sync_wait(cl, api_start_login(cl, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    cr_assert_not_null(res);
    return res;
}

static void expect_login(enum api_status st, const char *message)
{
    struct api_result *res = login();
    cr_assert_eq(res->status, st, "%s: %s", api_status_name(res->status), res->error.message);
    if (message)
        cr_assert_str_eq(res->error.message, message);
    api_result_free(&res);
}

Test(relay, passes_through)
{
    cr_assert_eq(health(5000, NULL), 200);
    client_with(10000);
    expect_login(API_OK, NULL);
    struct relay_stats st;
    relay_stats(rl, &st);
    cr_assert_geq(st.accepted, 2);
    cr_assert_gt(st.bytes_up, 0);
    cr_assert_gt(st.bytes_down, 0);
}

Test(relay, delayed_reply_arrives_late_but_whole)
{
    relay_set_delay_ms(rl, 800);
    long long took = 0;
    cr_assert_eq(health(5000, &took), 200);
    cr_assert_geq(took, 800, "took %lld ms", took);
    client_with(10000);
    long long t0 = test_now_ms();
    struct api_result *res = login();
    cr_assert_eq(res->status, API_OK, "%s", res->error.message);
    cr_assert_str_eq(res->session->actor.name, "Erika Mustermann");
    api_result_free(&res);
    cr_assert_geq(test_now_ms() - t0, 800);
    /* A reply of many chunks: every byte arrives, each chunk late. */
    struct api_sync s = {0};
    res = api_sync_wait(cl, api_start_domains(cl, 1, NULL, 0, 500, api_sync_done, &s), &s);
    cr_assert_eq(res->status, API_OK, "%s", res->error.message);
    cr_assert_eq(res->domains->count, 6);
    api_result_free(&res);
    relay_set_delay_ms(rl, 0);
    cr_assert_eq(health(5000, &took), 200);
    cr_assert_lt(took, 800, "back to normal, took %lld ms", took);
}

Test(relay, blackholed_request_times_out)
{
    relay_set_blackhole(rl, true);
    long long took = 0;
    cr_assert_eq(health(1000, &took), 0, "an answer through a blackhole");
    cr_assert_geq(took, 1000);
    client_with(1000);
    char want[160];
    snprintf(want, sizeof want, "Cannot reach %s: no answer within 1 s", url);
    expect_login(API_ERR_TIMEOUT, want);
    struct relay_stats st;
    relay_stats(rl, &st);
    cr_assert_eq(st.bytes_up, 0, "the blackhole passed a request on");
    relay_set_blackhole(rl, false);
    cr_assert_eq(health(5000, NULL), 200);
    client_with(10000);
    expect_login(API_OK, NULL);
}

static bool reply_held(void *ctx)
{
    (void)ctx;
    struct relay_stats st;
    relay_stats(rl, &st);
    return st.held > 0;
}

/* Cut while the whole reply is held: the client sees the connection closed before a reply. */
Test(relay, cut_before_the_reply)
{
    client_with(10000);
    relay_set_delay_ms(rl, 5000);
    struct api_sync s = {0};
    uint64_t id = api_start_login(cl, "10001", "demo-10001", NULL, api_sync_done, &s);
    cr_assert_neq(id, 0);
    /* The client works inside api_sync_wait only: drive it until the reply is in the relay. */
    long long deadline = test_now_ms() + 5000;
    while (!reply_held(NULL) && test_now_ms() < deadline) {
        api_client_poll(cl, NULL, 0, 10);
        api_client_perform(cl);
    }
    cr_assert(reply_held(NULL), "the reply never reached the relay");
    relay_cut(rl);
    struct api_result *res = api_sync_wait(cl, id, &s);
    cr_assert_not_null(res);
    char want[160];
    snprintf(want, sizeof want, "Cannot reach %s: connection closed before a reply", url);
    cr_assert_eq(res->status, API_ERR_NETWORK, "%s", api_status_name(res->status));
    cr_assert_str_eq(res->error.message, want);
    api_result_free(&res);
    struct relay_stats st;
    relay_stats(rl, &st);
    cr_assert_eq(st.open, 0);
    relay_set_delay_ms(rl, 0);
    expect_login(API_OK, NULL);
    /* Raw HTTP: held, cut, nothing came. */
    relay_set_delay_ms(rl, 5000);
    int fd = http_connect(relay_port(rl), 2000);
    cr_assert_geq(fd, 0);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n";
    cr_assert_eq(http_send_all(fd, req, sizeof req - 1, 2000), 0);
    cr_assert(test_wait_until(reply_held, NULL, 5000));
    relay_cut(rl);
    struct http_response r;
    cr_assert_eq(http_read_response(fd, false, 2000, &r), -1);
    cr_assert_eq(r.status, 0);
    http_response_free(&r);
    close(fd);
}

/* Cut in the middle: only part of a reply passes (limit_down), the client sees it cut short. */
Test(relay, cut_mid_reply)
{
    client_with(10000);
    expect_login(API_OK, NULL);
    relay_cut(rl); /* a fresh connection for the next request: the limit counts per connection */
    relay_set_limit_down(rl, 400);
    struct api_sync s = {0};
    struct api_result *res =
        api_sync_wait(cl, api_start_domains(cl, 1, NULL, 0, 500, api_sync_done, &s), &s);
    cr_assert_not_null(res);
    char en[192];
    snprintf(en, sizeof en, "Cannot reach %s: connection closed before the reply was complete",
             url);
    cr_assert_eq(res->status, API_ERR_NETWORK, "%s: %s", api_status_name(res->status),
                 res->error.message);
    cr_assert_str_eq(res->error.message, en);
    api_result_free(&res);
    struct relay_stats st;
    relay_stats(rl, &st);
    cr_assert_gt(st.bytes_down, 0);
    /* Raw HTTP: a part of the head, then the end. */
    relay_set_limit_down(rl, 60);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n";
    struct http_response r;
    http_raw_exchange(relay_port(rl), req, sizeof req - 1, 3000, &r);
    cr_assert_eq(r.status, 0, "a whole reply came through a 60-byte limit: %s", r.body);
    http_response_free(&r);
    relay_set_limit_down(rl, 0);
    cr_assert_eq(health(5000, NULL), 200);
}

/* mxctl, English and German: the login passes, the reply of `domains` (head and a part of the
 * body, on the same connection) is cut. */
Test(relay, mxctl_names_a_reply_cut_short)
{
    char dir[256], pw[320];
    cr_assert_eq(test_mkdtemp(dir, sizeof dir, "relay-mxctl"), 0);
    snprintf(pw, sizeof pw, "%s/pw", dir);
    cr_assert_eq(test_write_file(pw, "demo-10001\n", 11), 0);
    /* What a login costs on one connection, measured through the relay itself. */
    client_with(10000);
    expect_login(API_OK, NULL);
    api_client_free(&cl);
    struct relay_stats st;
    relay_stats(rl, &st);
    relay_set_limit_down(rl, st.bytes_down + 300);
    const char *langs[] = {"en", "de"};
    const char *cause[] = {"connection closed before the reply was complete",
                           "Verbindung vor dem Ende der Antwort geschlossen"};
    for (int i = 0; i < 2; i++) {
        const char *args[] = {"--lang", langs[i],  "--api", url, "--password-file", pw, "--login",
                              "10001",  "domains", "1",     NULL};
        struct prog_run r;
        cr_assert_eq(prog_run("mxctl", dir, NULL, args, 20000, &r), 0);
        char want[256];
        snprintf(want, sizeof want, "%s %s: %s", i ? "Keine Verbindung zu" : "Cannot reach", url,
                 cause[i]);
        cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, want), "want \"%s\" in: %s", want, r.err);
        prog_run_free(&r);
    }
    test_rmtree(dir);
}

Test(relay, refused_is_refused)
{
    relay_set_refuse(rl, true);
    cr_assert_eq(http_connect(relay_port(rl), 1000), -1, "connected to a refusing relay");
    cr_assert_eq(health(1000, NULL), 0);
    client_with(10000);
    char want[160];
    snprintf(want, sizeof want, "Cannot reach %s: connection refused", url);
    expect_login(API_ERR_NETWORK, want);
    relay_set_refuse(rl, false);
    cr_assert_eq(health(5000, NULL), 200);
    expect_login(API_OK, NULL);
}

/* A connection opened before the refusal stays: only new ones are refused. */
Test(relay, refuse_keeps_open_connections)
{
    int fd = http_connect(relay_port(rl), 2000);
    cr_assert_geq(fd, 0);
    cr_assert_eq(health(5000, NULL), 200); /* the relay has accepted fd by now */
    relay_set_refuse(rl, true);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n";
    cr_assert_eq(http_send_all(fd, req, sizeof req - 1, 2000), 0);
    struct http_response r;
    cr_assert_eq(http_read_response(fd, false, 5000, &r), 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    close(fd);
}

Test(relay, stop_closes_everything)
{
    int port = relay_port(rl);
    cr_assert_eq(health(5000, NULL), 200);
    relay_stop(rl);
    relay_stop(rl);
    cr_assert_eq(http_connect(port, 1000), -1);
    /* Controls on a stopped relay return at once. */
    long long t0 = test_now_ms();
    relay_set_delay_ms(rl, 10);
    cr_assert_lt(test_now_ms() - t0, 1000);
}
