/* The project's own client (api/client) decodes the publication: state, version, time, error and
 * the records DNS answers — after a save, once published, and while PowerDNS is gone. A live
 * PowerDNS and a live mxapid (tests/support/dns_stack). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/dns_stack.h"
#include "tests/support/test_util.h"

static struct dns_stack st;
static struct api_client *c;

static void up(void)
{
    cr_assert_eq(dns_stack_start(&st, NULL), 0);
    struct api_client_options o = {.base_url = st.api.url, .timeout_ms = 10000};
    c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync s = {0};
    struct api_result *r =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    cr_assert_eq(r->status, API_OK);
    api_result_free(&r);
}

static void down(void)
{
    api_client_free(&c);
    dns_stack_cleanup(&st);
}

static struct api_result *get(const char *name)
{
    struct api_sync s = {0};
    struct api_result *r = api_sync_wait(c, api_start_mx_get(c, name, api_sync_done, &s), &s);
    cr_assert_eq(r->status, API_OK, "%s", api_status_name(r->status));
    return r;
}

struct want {
    long long version;
};

static bool published(void *ctx)
{
    const struct want *w = ctx;
    struct api_result *r = get("shop.example.de");
    const struct mx_publication *p = &r->mx->config.publication;
    bool ok = strcmp(p->state, "published") == 0 && p->version == w->version && p->has_dns &&
              p->n_dns == 2;
    api_result_free(&r);
    return ok;
}

TestSuite(client, .init = up, .fini = down, .timeout = 120);

Test(client, decodes_the_publication_and_the_live_records)
{
    struct api_result *r = get("shop.example.de");
    const struct mx_publication *p = &r->mx->config.publication;
    cr_assert_str_eq(p->state, "published");
    cr_assert(p->has_dns);
    cr_assert_eq(p->n_dns, 1u);
    cr_assert_str_eq(p->dns[0].host, "mail.example.de.");
    cr_assert_eq(p->dns[0].priority, 10);
    struct mx_config next = {0};
    cr_assert_eq(mx_config_copy(&next, &r->mx->config), 0);
    long long v = r->mx->config.version;
    api_result_free(&r);

    next.provider_backup = true;
    struct api_sync s = {0};
    r = api_sync_wait(c, api_start_mx_put(c, "shop.example.de", &next, v, NULL, api_sync_done, &s),
                      &s);
    cr_assert_eq(r->status, API_OK, "%s: %s", api_status_name(r->status), r->error.message);
    cr_assert_eq(r->mx->config.version, v + 1);
    cr_assert(strcmp(r->mx->config.publication.state, "pending") == 0 ||
                  strcmp(r->mx->config.publication.state, "published") == 0,
              "%s", r->mx->config.publication.state);
    api_result_free(&r);
    mx_config_clear(&next);

    struct want w = {v + 1};
    cr_assert(test_wait_until(published, &w, 10000), "not published");
    r = get("shop.example.de");
    p = &r->mx->config.publication;
    cr_assert_str_eq(p->dns[1].host, "backup-mx.provider.example.");
    cr_assert_eq(p->dns[1].priority, 90);
    cr_assert_eq(strlen(p->at), strlen("2026-11-27T20:00:00Z"), "at: %s", p->at);
    cr_assert_str_eq(p->error, "");
    api_result_free(&r);
}

Test(client, without_powerdns_the_records_are_unknown_and_the_error_shows)
{
    cr_assert_eq(pdns_proc_stop(&st.pdns), 0);
    struct api_result *r = get("example.de");
    struct mx_config next = {0};
    cr_assert_eq(mx_config_copy(&next, &r->mx->config), 0);
    long long v = r->mx->config.version;
    api_result_free(&r);
    next.mode = MX_MODE_NONE;
    struct api_sync s = {0};
    r = api_sync_wait(c, api_start_mx_put(c, "example.de", &next, v, NULL, api_sync_done, &s), &s);
    cr_assert_eq(r->status, API_OK);
    cr_assert(!r->mx->config.publication.has_dns, "no DNS answer, no records");
    api_result_free(&r);
    mx_config_clear(&next);
    long long deadline = test_now_ms() + 15000;
    bool failed = false;
    while (!failed && test_now_ms() < deadline) {
        r = get("example.de");
        const struct mx_publication *p = &r->mx->config.publication;
        failed =
            strcmp(p->state, "failed") == 0 && strstr(p->error, "PowerDNS") != NULL && !p->has_dns;
        api_result_free(&r);
        if (!failed)
            test_pause_ms(50);
    }
    cr_assert(failed, "the failure did not show through the client");
}
