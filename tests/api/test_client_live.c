/* api/client against a live mxapid over the network: many requests in flight at once, a
 * stopped server, and HTTPS with a self-signed certificate (refused without the CA, accepted
 * with it). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

TestSuite(live, .timeout = 90);

struct slot {
    int calls;
    enum api_status status;
    enum api_call call;
    char name[64];
    char got[MX_HOST_SIZE];
};

static void on_slot(struct api_result *res, void *user)
{
    struct slot *s = user;
    s->calls++;
    s->status = res->status;
    s->call = res->call;
    if (res->status == API_OK && res->mx)
        snprintf(s->got, sizeof(s->got), "%s", res->mx->config.domain);
    else if (res->status == API_OK && res->dns)
        snprintf(s->got, sizeof(s->got), "%s", res->dns->domain);
}

/* Starts n requests at once (mx get and dns of every demo name, alternating), runs the loop
 * until all are done, and checks that each got its own right answer exactly once. */
static void many_in_flight(int n)
{
    struct server_proc sp;
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 30000};
    struct api_client *c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync ls = {0};
    struct api_result *r =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &ls), &ls);
    cr_assert_eq(r->status, API_OK);
    api_result_free(&r);

    static const char *const names[] = {"example.de",       "shop.example.de",
                                        "dyn.example.de",   "delegated.example.de",
                                        "xn--mller-kva.de", "example.org"};
    struct slot *slots = calloc((size_t)n, sizeof(*slots));
    cr_assert_not_null(slots);
    for (int i = 0; i < n; i++) {
        snprintf(slots[i].name, sizeof(slots[i].name), "%s", names[i % 6]);
        uint64_t id = (i % 2) ? api_start_dns(c, slots[i].name, on_slot, &slots[i])
                              : api_start_mx_get(c, slots[i].name, on_slot, &slots[i]);
        cr_assert_neq(id, 0);
    }
    cr_assert_eq(api_client_pending(c), (size_t)n);
    long long deadline = test_now_ms() + 60000;
    while (api_client_pending(c) > 0 && test_now_ms() < deadline) {
        api_client_poll(c, NULL, 0, 200);
        api_client_perform(c);
    }
    for (int i = 0; i < n; i++) {
        cr_assert_eq(slots[i].calls, 1, "request %d: %d callbacks", i, slots[i].calls);
        cr_assert_eq(slots[i].status, API_OK, "request %d (%s): %s", i, slots[i].name,
                     api_status_name(slots[i].status));
        cr_assert_eq(slots[i].call, (i % 2) ? API_CALL_DNS : API_CALL_MX_GET);
        cr_assert_str_eq(slots[i].got, slots[i].name, "request %d", i);
    }
    free(slots);
    api_client_free(&c);
    server_proc_cleanup(&sp);
}

Test(live, fifty_requests_in_flight_complete_correctly)
{
    many_in_flight(50);
}

/* More than mxapid's connections per address (64): the client queues instead of flooding. */
Test(live, two_hundred_requests_stay_under_the_servers_connection_limit)
{
    many_in_flight(200);
}

Test(live, stopped_server_is_a_network_error)
{
    struct server_proc sp;
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 10000};
    struct api_client *c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync s1 = {0};
    struct api_result *r = api_sync_wait(c, api_start_health(c, api_sync_done, &s1), &s1);
    cr_assert_eq(r->status, API_OK);
    api_result_free(&r);
    server_proc_stop(&sp);
    struct api_sync s2 = {0};
    r = api_sync_wait(c, api_start_health(c, api_sync_done, &s2), &s2);
    cr_assert_eq(r->status, API_ERR_NETWORK, "%s", api_status_name(r->status));
    cr_assert_eq(r->http_status, 0);
    api_result_free(&r);
    api_client_free(&c);
    server_proc_cleanup(&sp);
}

/* A self-signed certificate for 127.0.0.1: refused without --cacert, accepted with it. */
Test(live, https_self_signed_needs_the_cacert)
{
    char dir[256], key[300], cert[300], cmd[1200];
    cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxtui-tls"), 0);
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext "
             "'subjectAltName=IP:127.0.0.1,DNS:localhost' -days 1 -keyout '%s' -out '%s' "
             ">/dev/null 2>&1",
             key, cert);
    cr_assert_eq(system(cmd), 0, "openssl failed");
    const char *extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    struct server_proc sp;
    cr_assert_eq(api_server_start(&sp, extra), 0);
    cr_assert_eq(strncmp(sp.url, "https://", 8), 0, "url %s", sp.url);

    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 10000};
    struct api_client *c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync s1 = {0};
    struct api_result *r =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s1), &s1);
    cr_assert_eq(r->status, API_ERR_TLS, "%s", api_status_name(r->status));
    api_result_free(&r);
    cr_assert_not(api_client_logged_in(c));
    api_client_free(&c);

    o.cacert = cert;
    c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync s2 = {0};
    r = api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s2), &s2);
    cr_assert_eq(r->status, API_OK, "%s: %s", api_status_name(r->status), r->error.message);
    api_result_free(&r);
    struct api_sync s3 = {0};
    r = api_sync_wait(c, api_start_mx_get(c, "example.de", api_sync_done, &s3), &s3);
    cr_assert_eq(r->status, API_OK);
    api_result_free(&r);
    api_client_free(&c);
    server_proc_cleanup(&sp);
    test_rmtree(dir);
}
