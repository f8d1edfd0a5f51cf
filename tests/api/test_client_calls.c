/* api/client against a live mxapid on loopback: every call's success case and the error classes
 * the server can answer with (wrong password, expired token, other customer's domain, stale put,
 * rule errors with details, throttled login, forbidden, unauthorized). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static struct api_client *cl;

static void start_with(const char *const *extra)
{
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 20000};
    enum api_status st;
    cl = api_client_new(&o, &st);
    cr_assert_not_null(cl, "api_client_new: %s", api_status_name(st));
}

static void up(void)
{
    start_with(NULL);
}

static void down(void)
{
    api_client_free(&cl);
    server_proc_cleanup(&sp);
}

/* Waits for one request; the result belongs to the test. */
static struct api_result *wait_for(uint64_t id, struct api_sync *s)
{
    cr_assert_neq(id, 0, "the call did not start");
    struct api_result *res = api_sync_wait(cl, id, s);
    cr_assert_not_null(res);
    cr_assert_eq(res->id, id);
    cr_assert_not_null(res->error.message);
    return res;
}

static void expect_status(struct api_result *res, enum api_status want)
{
    cr_assert_eq(res->status, want, "status %s (%ld %s: %s), expected %s",
                 api_status_name(res->status), res->http_status, res->error.code,
                 res->error.message, api_status_name(want));
}

static void login(const char *id, const char *password)
{
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, id, password, NULL, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    api_result_free(&res);
    cr_assert(api_client_logged_in(cl));
}

static struct api_result *mx_get(const char *name)
{
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_mx_get(cl, name, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    return res;
}

static struct api_result *mx_put(const char *name, const struct mx_config *cfg, long long version)
{
    struct api_sync s = {0};
    return wait_for(api_start_mx_put(cl, name, cfg, version, NULL, api_sync_done, &s), &s);
}

TestSuite(calls, .init = up, .fini = down, .timeout = 60);

Test(calls, login_customer_and_actor)
{
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_eq(res->call, API_CALL_LOGIN);
    cr_assert_eq(res->http_status, 201);
    cr_assert_not_null(res->session);
    cr_assert_str_eq(res->session->actor.login, "10001");
    cr_assert_str_eq(res->session->actor.customer, "10001");
    cr_assert_not(res->session->actor.staff);
    cr_assert_gt(res->session->expires_in, 0);
    api_result_free(&res);
    cr_assert(api_client_logged_in(cl));
}

Test(calls, wrong_password_is_invalid_credentials)
{
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "10001", "wrong", NULL, api_sync_done, &s), &s);
    expect_status(res, API_ERR_INVALID_CREDENTIALS);
    cr_assert_eq(res->http_status, 401);
    cr_assert_str_eq(res->error.code, "invalid_credentials");
    cr_assert_gt(strlen(res->error.message), 0);
    cr_assert_null(res->session);
    api_result_free(&res);
    cr_assert_not(api_client_logged_in(cl));
}

Test(calls, without_login_is_unauthorized)
{
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_dns(cl, "example.de", api_sync_done, &s), &s);
    expect_status(res, API_ERR_UNAUTHORIZED);
    cr_assert_eq(res->http_status, 401);
    api_result_free(&res);
}

Test(calls, logout_forgets_the_token)
{
    login("10001", "demo-10001");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_logout(cl, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    api_result_free(&res);
    cr_assert_not(api_client_logged_in(cl));
    struct api_sync s2 = {0};
    res = wait_for(api_start_packages(cl, "10001", api_sync_done, &s2), &s2);
    expect_status(res, API_ERR_UNAUTHORIZED);
    api_result_free(&res);
}

Test(calls, packages_and_domains_with_filter)
{
    login("10001", "demo-10001");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_packages(cl, "10001", api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_str_eq(res->packages->customer_id, "10001");
    cr_assert_eq(res->packages->count, 2);
    long long hosting = -1;
    for (size_t i = 0; i < res->packages->count; i++)
        if (strcmp(res->packages->items[i].name, "Hosting Plus") == 0)
            hosting = res->packages->items[i].id;
    cr_assert_geq(hosting, 0, "no package Hosting Plus");
    api_result_free(&res);

    struct api_sync s2 = {0};
    res = wait_for(api_start_domains(cl, hosting, NULL, 0, 0, api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    const struct api_domains *d = res->domains;
    cr_assert_eq(d->package_id, hosting);
    cr_assert_eq(d->total, 6);
    cr_assert_eq(d->count, 6);
    bool shop = false;
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].name, "shop.example.de") == 0) {
            shop = true;
            cr_assert_eq(d->items[i].kind, MX_KIND_SUBDOMAIN);
            cr_assert_str_eq(d->items[i].parent, "example.de");
        }
    cr_assert(shop, "shop.example.de missing");
    api_result_free(&res);

    struct api_sync s3 = {0};
    res = wait_for(api_start_domains(cl, hosting, "shop", 0, 10, api_sync_done, &s3), &s3);
    expect_status(res, API_OK);
    cr_assert_eq(res->domains->count, 1);
    cr_assert_str_eq(res->domains->items[0].name, "shop.example.de");
    cr_assert_eq(res->domains->limit, 10);
    api_result_free(&res);

    struct api_sync s4 = {0};
    res = wait_for(api_start_domains(cl, hosting, NULL, 1, 2, api_sync_done, &s4), &s4);
    expect_status(res, API_OK);
    cr_assert_eq(res->domains->count, 2);
    cr_assert_eq(res->domains->offset, 1);
    cr_assert_eq(res->domains->total, 6);
    api_result_free(&res);
}

Test(calls, dns_overview_and_preconditions)
{
    login("10001", "demo-10001");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_dns(cl, "example.de", api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_str_eq(res->dns->domain, "example.de");
    cr_assert_eq(res->dns->kind, MX_KIND_DOMAIN);
    cr_assert(res->dns->own_mail_possible);
    api_result_free(&res);

    struct api_sync s2 = {0};
    res = wait_for(api_start_dns(cl, "dyn.example.de", api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    cr_assert(res->dns->dyndns);
    cr_assert_not(res->dns->own_mail_possible);
    bool found = false;
    for (size_t i = 0; i < res->dns->n_reasons; i++)
        found |= strcmp(res->dns->reasons[i].code, "dyndns_enabled") == 0;
    cr_assert(found, "no dyndns_enabled reason");
    api_result_free(&res);
}

Test(calls, idn_name_is_percent_encoded)
{
    login("10001", "demo-10001");
    struct api_result *res = mx_get("müller.de");
    cr_assert_str_eq(res->mx->config.domain, "xn--mller-kva.de");
    cr_assert_str_eq(res->mx->config.display_name, "müller.de");
    api_result_free(&res);
}

/* A name is one path segment whatever it holds: "." and ".." must not be dot segments that curl
 * squashes ("/v1/domains/../mx" became "/v1/mx", another route). Without a login the domain
 * routes answer unauthorized; a request that went elsewhere comes back not_found. */
Test(calls, dot_names_stay_in_their_segment)
{
    static const char *const names[] = {"..", ".", "..."};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct api_sync s1 = {0}, s2 = {0}, s3 = {0};
        struct api_result *res = wait_for(api_start_mx_get(cl, names[i], api_sync_done, &s1), &s1);
        cr_expect_eq(res->status, API_ERR_UNAUTHORIZED, "mx %s: %s", names[i],
                     api_status_name(res->status));
        api_result_free(&res);
        res = wait_for(api_start_dns(cl, names[i], api_sync_done, &s2), &s2);
        cr_expect_eq(res->status, API_ERR_UNAUTHORIZED, "dns %s: %s", names[i],
                     api_status_name(res->status));
        api_result_free(&res);
        res = wait_for(api_start_packages(cl, names[i], api_sync_done, &s3), &s3);
        cr_expect_eq(res->status, API_ERR_UNAUTHORIZED, "packages %s: %s", names[i],
                     api_status_name(res->status));
        api_result_free(&res);
    }
}

Test(calls, mx_get_put_stale_and_history_restore)
{
    login("10001", "demo-10001");
    struct api_result *got = mx_get("example.de");
    long long v0 = got->mx->config.version;
    cr_assert_eq(api_etag_version(got->mx->etag), v0, "ETag %s vs version %lld", got->mx->etag, v0);
    api_result_free(&got);

    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "mail.example.de.", 10), 0);
    cr_assert_eq(mx_config_add_entry(&cfg, true, "mx2.example.de.", 50), 0);
    struct api_result *res = mx_put("example.de", &cfg, v0);
    expect_status(res, API_OK);
    cr_assert_eq(res->mx->config.version, v0 + 1);
    cr_assert_eq(res->mx->config.mode, MX_MODE_CUSTOM);
    cr_assert_eq(res->mx->config.n_primary, 1);
    cr_assert_str_eq(res->mx->config.primary[0].host, "mail.example.de.");
    cr_assert_eq(api_etag_version(res->mx->etag), v0 + 1);
    api_result_free(&res);

    /* The same version again is stale: the server's current configuration comes along. */
    res = mx_put("example.de", &cfg, v0);
    expect_status(res, API_ERR_CONFLICT);
    cr_assert_eq(res->http_status, 409);
    cr_assert_str_eq(res->error.code, "stale");
    cr_assert_not_null(res->error.current);
    cr_assert_eq(res->error.current->version, v0 + 1);
    cr_assert_eq(res->error.current->mode, MX_MODE_CUSTOM);
    api_result_free(&res);
    mx_config_clear(&cfg);

    struct api_sync s = {0};
    res = wait_for(api_start_history(cl, "example.de", 0, 0, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_geq(res->history->count, 1);
    const struct api_history_entry *e = &res->history->items[0];
    cr_assert_eq(e->version, v0 + 1);
    cr_assert_str_eq(e->action, "update");
    cr_assert_str_eq(e->actor, "10001");
    cr_assert_eq(e->after.mode, MX_MODE_CUSTOM);
    cr_assert_eq(e->after.n_backup, 1);
    long long entry = e->id;
    bool before_provider = e->has_before && e->before.mode == MX_MODE_PROVIDER;
    api_result_free(&res);

    /* Restoring the entry writes its configuration again as a new version. */
    struct api_sync s2 = {0};
    res =
        wait_for(api_start_restore(cl, "example.de", entry, v0 + 1, NULL, api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    cr_assert_eq(res->mx->config.version, v0 + 2);
    cr_assert_eq(res->mx->config.mode, MX_MODE_CUSTOM);
    api_result_free(&res);
    (void)before_provider;
}

Test(calls, rule_errors_carry_every_detail)
{
    login("10001", "demo-10001");
    struct api_result *got = mx_get("example.de");
    long long v = got->mx->config.version;
    api_result_free(&got);
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "mail.example.de", 50), 0);
    cr_assert_eq(mx_config_add_entry(&cfg, true, "mx2.example.de.", 10), 0);
    struct api_result *res = mx_put("example.de", &cfg, v);
    mx_config_clear(&cfg);
    expect_status(res, API_ERR_VALIDATION);
    cr_assert_eq(res->http_status, 422);
    cr_assert_geq(res->error.n_details, 1);
    bool dot = false;
    for (size_t i = 0; i < res->error.n_details; i++) {
        const struct api_detail *d = &res->error.details[i];
        cr_assert_not_null(d->field);
        cr_assert_not_null(d->message);
        if (strcmp(d->field, "primary[0].host") == 0 && strcmp(d->code, "no_trailing_dot") == 0)
            dot = true;
    }
    cr_assert(dot, "no detail primary[0].host no_trailing_dot");
    api_result_free(&res);
}

Test(calls, mx_check_verdicts)
{
    login("10001", "demo-10001");
    const char *hosts[] = {"mail.example.de.", "v6.example.de.", "alias.example.de."};
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_mx_check(cl, "example.de", hosts, 3, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_eq(res->check->count, 3);
    cr_assert_eq(res->check->items[0].verdict, MX_SEV_OK);
    cr_assert_eq(res->check->items[0].n_a, 1);
    cr_assert_str_eq(res->check->items[0].a[0], "192.0.2.25");
    cr_assert_eq(res->check->items[1].verdict, MX_SEV_WARN);
    cr_assert_str_eq(res->check->items[1].code, "aaaa_only");
    cr_assert_eq(res->check->items[2].verdict, MX_SEV_REJECT);
    cr_assert_str_eq(res->check->items[2].code, "cname_target");
    api_result_free(&res);
}

Test(calls, provider_profile_and_health)
{
    login("10001", "demo-10001");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_provider(cl, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert_not_null(res->profile);
    cr_assert_gt(strlen(res->profile->name), 0);
    cr_assert_gt(res->profile->n_mail_hosts, 0);
    api_result_free(&res);
    struct api_sync s2 = {0};
    res = wait_for(api_start_health(cl, api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    api_result_free(&res);
}

Test(calls, other_customers_domain_is_not_found)
{
    login("10002", "demo-10002");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_mx_get(cl, "example.de", api_sync_done, &s), &s);
    expect_status(res, API_ERR_NOT_FOUND);
    cr_assert_eq(res->http_status, 404);
    api_result_free(&res);
    struct api_sync s2 = {0};
    res = wait_for(api_start_packages(cl, "10001", api_sync_done, &s2), &s2);
    cr_assert(res->status == API_ERR_NOT_FOUND || res->status == API_ERR_FORBIDDEN, "%s",
              api_status_name(res->status));
    api_result_free(&res);
}

Test(calls, customers_search_staff_only)
{
    login("10001", "demo-10001");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_customers(cl, "100", api_sync_done, &s), &s);
    expect_status(res, API_ERR_FORBIDDEN);
    api_result_free(&res);

    login("support", "demo-support");
    struct api_sync s2 = {0};
    res = wait_for(api_start_customers(cl, "10001", api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    cr_assert_geq(res->customers->count, 1);
    cr_assert_str_eq(res->customers->items[0].id, "10001");
    api_result_free(&res);
}

Test(calls, staff_login_has_no_customer)
{
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "support", "demo-support", NULL, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    cr_assert(res->session->actor.staff);
    cr_assert_null(res->session->actor.customer);
    api_result_free(&res);
}

Test(calls, german_messages_from_the_server)
{
    api_client_set_lang(cl, MX_LANG_DE);
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "10001", "wrong", NULL, api_sync_done, &s), &s);
    expect_status(res, API_ERR_INVALID_CREDENTIALS);
    cr_assert_gt(strlen(res->error.message), 0);
    cr_assert_str_neq(res->error.message, "");
    api_result_free(&res);
    cr_assert_str_eq(api_status_message(API_ERR_NETWORK, MX_LANG_DE),
                     "Der Server ist nicht erreichbar. Bitte Adresse und Netzwerk prüfen.");
}

/* The demo's 2FA account (tests/support/api_steps, docs/demo.md). */
#define TOTP_SECRET "OTTOZWEIFAKTOR2FADEMOMXTUI234567"

Test(calls, otp_required_then_login_with_the_code)
{
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "10003", "demo-10003", NULL, api_sync_done, &s), &s);
    expect_status(res, API_ERR_OTP_REQUIRED);
    cr_assert_str_eq(res->error.code, "otp_required");
    api_result_free(&res);
    /* A code can go stale at a 30 s step boundary: one more try with a fresh one. */
    enum api_status st = API_ERR_OTP_REQUIRED;
    for (int i = 0; i < 2 && st != API_OK; i++) {
        char code[7];
        cr_assert_eq(api_totp_now(TOTP_SECRET, code), 0);
        struct api_sync s2 = {0};
        res = wait_for(api_start_login(cl, "10003", "demo-10003", code, api_sync_done, &s2), &s2);
        st = res->status;
        api_result_free(&res);
    }
    cr_assert_eq(st, API_OK, "%s", api_status_name(st));
    cr_assert(api_client_logged_in(cl));
}

TestSuite(expiry, .fini = down, .timeout = 60);

/* The token expires after one idle second; the gap between probes grows until one finds it
 * expired, then the client has forgotten it. */
Test(expiry, expired_token_is_session_expired)
{
    const char *extra[] = {"--session-idle", "1", NULL};
    start_with(extra);
    login("10001", "demo-10001");
    long long deadline = test_now_ms() + 20000;
    int gap = 1100;
    enum api_status st = API_OK;
    while (test_now_ms() < deadline && st == API_OK) {
        long long next = test_now_ms() + gap;
        while (test_now_ms() < next)
            test_pause_ms(50);
        struct api_sync s = {0};
        struct api_result *res = wait_for(api_start_packages(cl, "10001", api_sync_done, &s), &s);
        st = res->status;
        api_result_free(&res);
        gap *= 2;
    }
    cr_assert_eq(st, API_ERR_SESSION_EXPIRED, "%s", api_status_name(st));
    cr_assert_not(api_client_logged_in(cl));
}

TestSuite(throttle, .fini = down, .timeout = 60);

Test(throttle, throttled_login_is_rate_limited_with_retry_after)
{
    const char *extra[] = {"--login-attempts", "3", "--login-window", "60", NULL};
    start_with(extra);
    for (int i = 0; i < 3; i++) {
        struct api_sync s = {0};
        struct api_result *res =
            wait_for(api_start_login(cl, "10001", "bad", NULL, api_sync_done, &s), &s);
        expect_status(res, API_ERR_INVALID_CREDENTIALS);
        api_result_free(&res);
    }
    struct api_sync s = {0};
    struct api_result *res =
        wait_for(api_start_login(cl, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    expect_status(res, API_ERR_RATE_LIMITED);
    cr_assert_eq(res->http_status, 429);
    cr_assert(res->error.retry_after >= 1 && res->error.retry_after <= 60, "retry_after %ld",
              res->error.retry_after);
    api_result_free(&res);
    cr_assert_not(api_client_logged_in(cl));
}
