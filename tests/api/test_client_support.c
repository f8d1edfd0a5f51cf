/* api/client against a live mxapid on loopback: what the support screens need — the reason of
 * a save and of a restore (sent, refused, decoded from the history), the mail counts of the
 * DNS overview, the customer search by domain, the access log. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/server_proc.h"

static struct server_proc sp;
static struct api_client *cl;

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 20000};
    enum api_status st;
    cl = api_client_new(&o, &st);
    cr_assert_not_null(cl, "api_client_new: %s", api_status_name(st));
}

static void down(void)
{
    api_client_free(&cl);
    server_proc_cleanup(&sp);
}

TestSuite(support, .init = up, .fini = down, .timeout = 60);

/* Waits for one request; the result belongs to the test. */
static struct api_result *wait_for(uint64_t id, struct api_sync *s)
{
    cr_assert_neq(id, 0, "the call did not start");
    struct api_result *res = api_sync_wait(cl, id, s);
    cr_assert_not_null(res);
    cr_assert_eq(res->id, id);
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
}

static long long mx_version(const char *name)
{
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_mx_get(cl, name, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    long long v = res->mx->config.version;
    api_result_free(&res);
    return v;
}

static struct api_result *put(const char *name, const struct mx_config *cfg, const char *reason)
{
    struct api_sync s = {0};
    long long v = mx_version(name);
    return wait_for(api_start_mx_put(cl, name, cfg, v, reason, api_sync_done, &s), &s);
}

static struct api_result *history(const char *name)
{
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_history(cl, name, 0, 0, api_sync_done, &s), &s);
    expect_status(res, API_OK);
    return res;
}

Test(support, staff_saves_with_a_reason_the_history_shows)
{
    login("support", "demo-support");
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "mail.example.de.", 10), 0);

    /* Without one (NULL or ""), staff are refused with the rule's own code. */
    const char *none[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        struct api_result *res = put("beispiel.de", &cfg, none[i]);
        expect_status(res, API_ERR_VALIDATION);
        cr_assert_eq(res->error.n_details, 1);
        cr_assert_str_eq(res->error.details[0].field, "reason");
        cr_assert_eq(res->error.details[0].code_value, MX_REASON_REQUIRED);
        api_result_free(&res);
    }
    /* What the client refuses to send the server refuses too: the same rule on both sides. */
    const char *bad = "T-1 \x1b]0;title\x07";
    cr_assert_eq(mx_reason_check(bad, strlen(bad), true), MX_REASON_INVALID);
    struct api_result *res = put("beispiel.de", &cfg, bad);
    expect_status(res, API_ERR_VALIDATION);
    cr_assert_eq(res->error.details[0].code_value, MX_REASON_INVALID);
    api_result_free(&res);

    res = put("beispiel.de", &cfg, "T-4711 \"quoted\" \\ and more");
    expect_status(res, API_OK);
    cr_assert_str_eq(res->mx->config.updated_by, "support");
    long long v = res->mx->config.version;
    api_result_free(&res);
    mx_config_clear(&cfg);

    res = history("beispiel.de");
    cr_assert_geq(res->history->count, 1);
    cr_assert_eq(res->history->items[0].version, v);
    cr_assert_str_eq(res->history->items[0].reason, "T-4711 \"quoted\" \\ and more");
    long long id = res->history->items[0].id;
    api_result_free(&res);

    /* Restore: without a reason refused for staff, with one stored. */
    struct api_sync s = {0};
    res = wait_for(api_start_restore(cl, "beispiel.de", id, v, NULL, api_sync_done, &s), &s);
    expect_status(res, API_ERR_VALIDATION);
    cr_assert_eq(res->error.details[0].code_value, MX_REASON_REQUIRED);
    api_result_free(&res);
    struct api_sync s2 = {0};
    res = wait_for(
        api_start_restore(cl, "beispiel.de", id, v, "T-4712 back again", api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    cr_assert_eq(res->mx->config.version, v + 1);
    api_result_free(&res);
    res = history("beispiel.de");
    cr_assert_str_eq(res->history->items[0].action, "restore");
    cr_assert_str_eq(res->history->items[0].reason, "T-4712 back again");
    api_result_free(&res);
}

Test(support, a_customer_may_say_nothing)
{
    login("10002", "demo-10002");
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_NONE;
    struct api_result *res = put("beispiel.de", &cfg, NULL);
    expect_status(res, API_OK);
    long long v = res->mx->config.version;
    api_result_free(&res);
    res = history("beispiel.de");
    cr_assert_null(res->history->items[0].reason);
    long long id = res->history->items[0].id;
    api_result_free(&res);
    struct api_sync s = {0};
    res = wait_for(api_start_restore(cl, "beispiel.de", id, v, "", api_sync_done, &s), &s);
    expect_status(res, API_OK);
    api_result_free(&res);
    res = history("beispiel.de");
    cr_assert_null(res->history->items[0].reason);
    api_result_free(&res);
}

Test(support, dns_overview_has_the_mail_counts)
{
    login("10001", "demo-10001");
    static const struct {
        const char *name;
        long mailboxes, forwards;
    } want[] = {{"example.de", 3, 2},
                {"shop.example.de", 1, 0},
                {"m\xc3\xbcller.de", 1, 1},
                {"example.org", 2, 0},
                {"www.example.de", 0, 0}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct api_sync s = {0};
        struct api_result *res = wait_for(api_start_dns(cl, want[i].name, api_sync_done, &s), &s);
        expect_status(res, API_OK);
        cr_expect_eq(res->dns->mailboxes, want[i].mailboxes, "%s", want[i].name);
        cr_expect_eq(res->dns->forwards, want[i].forwards, "%s", want[i].name);
        api_result_free(&res);
    }
}

Test(support, customer_search_by_domain_names_the_match)
{
    login("support", "demo-support");
    static const struct {
        const char *q, *id, *matched;
    } cases[] = {{"m\xc3\xbcller", "10001", "m\xc3\xbcller.de"},
                 {"xn--mller", "10001", "m\xc3\xbcller.de"},
                 {"beispiel.de", "10002", "beispiel.de"},
                 {"Beispiel", "10002", NULL},
                 {"10003", "10003", NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct api_sync s = {0};
        struct api_result *res =
            wait_for(api_start_customers(cl, cases[i].q, api_sync_done, &s), &s);
        expect_status(res, API_OK);
        cr_assert_eq(res->customers->count, 1, "%s", cases[i].q);
        cr_assert_str_eq(res->customers->items[0].id, cases[i].id);
        if (cases[i].matched)
            cr_assert_str_eq(res->customers->items[0].matched_domain, cases[i].matched);
        else
            cr_assert_null(res->customers->items[0].matched_domain, "%s", cases[i].q);
        api_result_free(&res);
    }
}

static struct api_result *access_log(const char *cid, long offset, long limit)
{
    struct api_sync s = {0};
    return wait_for(api_start_access_log(cl, cid, offset, limit, api_sync_done, &s), &s);
}

Test(support, access_log_of_a_customer_staff_opened)
{
    login("support", "demo-support");
    struct api_sync s = {0};
    struct api_result *res = wait_for(api_start_packages(cl, "10002", api_sync_done, &s), &s);
    expect_status(res, API_OK);
    api_result_free(&res);
    /* A domain of 10001 without opening it: recorded once for this session. */
    struct api_sync s2 = {0};
    res = wait_for(api_start_dns(cl, "example.org", api_sync_done, &s2), &s2);
    expect_status(res, API_OK);
    api_result_free(&res);

    res = access_log("10002", 0, 0);
    expect_status(res, API_OK);
    cr_assert_eq(res->call, API_CALL_ACCESS_LOG);
    const struct api_access_log *l = res->access_log;
    cr_assert_not_null(l);
    cr_assert_str_eq(l->customer_id, "10002");
    cr_assert_str_eq(l->customer_name, "Max Beispiel");
    cr_assert_eq(l->total, 1);
    cr_assert_eq(l->offset, 0);
    cr_assert_eq(l->limit, 50);
    cr_assert_eq(l->count, 1);
    cr_assert_gt(l->items[0].id, 0);
    cr_assert_eq(strlen(l->items[0].at), 20);
    cr_assert_str_eq(l->items[0].staff, "support");
    cr_assert_str_eq(l->items[0].staff_name, "Support");
    cr_assert_str_eq(l->items[0].address, "127.0.0.1");
    cr_assert_str_eq(l->items[0].via, "open");
    api_result_free(&res);
    res = access_log("10001", 0, 1);
    expect_status(res, API_OK);
    cr_assert_eq(res->access_log->count, 1);
    cr_assert_str_eq(res->access_log->items[0].via, "direct");
    api_result_free(&res);

    res = access_log("99999", 0, 0);
    expect_status(res, API_ERR_NOT_FOUND);
    api_result_free(&res);
    cr_assert_eq(api_start_access_log(cl, "", 0, 0, api_sync_done, &s), 0);
    cr_assert_eq(api_start_access_log(cl, "10001", -1, 0, api_sync_done, &s), 0);

    login("10001", "demo-10001");
    res = access_log("10001", 0, 0);
    expect_status(res, API_ERR_FORBIDDEN);
    cr_assert_null(res->access_log);
    api_result_free(&res);
}
