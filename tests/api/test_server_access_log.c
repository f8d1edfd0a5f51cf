/* mxapid, live on loopback: the access log — every time a staff session opens a customer
 * (GET /v1/customers/{cid}/packages) it is recorded (who, which customer, when, from where);
 * a staff session that reaches a customer's data without opening it is recorded once; the log
 * is for staff only, newest first, paged. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"

static struct server_proc sp;
static char cust[128], staff[128];

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", cust), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(access_log, .init = up, .fini = down, .timeout = 60);

static int call(const char *method, const char *path, const char *token, const char *if_match,
                const char *body)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, method, path, token, if_match, body, &r), 0);
    int status = r.status;
    http_response_free(&r);
    return status;
}

static struct http_response access_log(const char *cid, const char *query, const char *token,
                                       int status)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/customers/%s/access-log%s", cid, query);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, status, "GET %s: %d %s", path, r.status, r.body);
    return r;
}

static int total(const char *cid)
{
    struct http_response r = access_log(cid, "", staff, 200);
    int n = (int)http_json_number(&r, "total", -1);
    http_response_free(&r);
    return n;
}

/* Now as RFC 3339 UTC ("2026-12-02T10:00:00Z"): such times compare as strings. */
static void now_utc(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether s has the form of now_utc's output. */
static bool is_utc(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
    if (!s || strlen(s) != sizeof form - 1)
        return false;
    for (size_t i = 0; form[i]; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
            return false;
    return true;
}

Test(access_log, staff_opening_a_customer_is_recorded_each_time)
{
    char before[32], after[32];
    now_utc(before);
    cr_assert_eq(call("GET", "/v1/customers/10002/packages", staff, NULL, NULL), 200);
    now_utc(after);
    struct http_response r = access_log("10002", "", staff, 200);
    cr_assert_str_eq(http_json_string(&r, "customer.id"), "10002");
    cr_assert_str_eq(http_json_string(&r, "customer.name"), "Max Beispiel");
    cr_assert_eq(http_json_number(&r, "total", -1), 1, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "offset", -1), 0);
    cr_assert_eq(http_json_number(&r, "limit", -1), 50);
    cr_assert_gt(http_json_number(&r, "entries.0.id", -1), 0);
    cr_assert_str_eq(http_json_string(&r, "entries.0.staff"), "support");
    cr_assert_str_eq(http_json_string(&r, "entries.0.staff_name"), "Support");
    cr_assert_str_eq(http_json_string(&r, "entries.0.address"), "127.0.0.1");
    cr_assert_str_eq(http_json_string(&r, "entries.0.via"), "open");
    const char *at = http_json_string(&r, "entries.0.at");
    cr_assert(is_utc(at) && strcmp(at, before) >= 0 && strcmp(at, after) <= 0,
              "at %s not within the request (%s .. %s)", at, before, after);
    long long first = (long long)http_json_number(&r, "entries.0.id", -1);
    http_response_free(&r);

    /* Opened again, and by a second staff session: newest first. */
    char staff2[128];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff2), 0);
    cr_assert_eq(call("GET", "/v1/customers/10002/packages", staff, NULL, NULL), 200);
    cr_assert_eq(call("GET", "/v1/customers/10002/packages", staff2, NULL, NULL), 200);
    r = access_log("10002", "", staff, 200);
    cr_assert_eq(http_json_number(&r, "total", -1), 3);
    cr_assert_gt(http_json_number(&r, "entries.0.id", -1),
                 http_json_number(&r, "entries.1.id", -1));
    cr_assert_eq(http_json_number(&r, "entries.2.id", -1), first);
    http_response_free(&r);
    /* Only that customer's log grows. */
    cr_assert_eq(total("10001"), 0);
    cr_assert_eq(total("10003"), 0);
}

Test(access_log, staff_only_and_unknown_customers)
{
    struct http_response r = access_log("10001", "", cust, 403);
    cr_assert_str_eq(http_error_code(&r), "forbidden");
    http_response_free(&r);
    r = access_log("10002", "", cust, 403);
    http_response_free(&r);
    r = access_log("99999", "", staff, 404);
    cr_assert_str_eq(http_error_code(&r), "not_found");
    http_response_free(&r);
    r = access_log("10001", "", NULL, 401);
    http_response_free(&r);
    r = access_log("10001", "?limit=0", staff, 400);
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "limit");
    http_response_free(&r);
    r = access_log("10001", "?offset=-1", staff, 400);
    http_response_free(&r);
    cr_assert_eq(call("POST", "/v1/customers/10001/access-log", staff, NULL, "{}"), 405);
    /* A customer opening itself is not an access to log; reading the log is not either. */
    cr_assert_eq(call("GET", "/v1/customers/10001/packages", cust, NULL, NULL), 200);
    cr_assert_eq(call("GET", "/v1/domains/example.de/mx", cust, NULL, NULL), 200);
    cr_assert_eq(total("10001"), 0);
    cr_assert_eq(total("10001"), 0);
}

/* Each way to a customer's data, in a fresh staff session that never opened the customer:
 * one entry "direct" per session, however many requests follow. */
Test(access_log, reaching_data_without_opening_is_recorded_once_per_session)
{
    char etag[64], path[128];
    long long v = api_mx_version(sp.port, cust, "example.de", etag);
    cr_assert_geq(v, 1);
    struct http_response h;
    cr_assert_eq(api_mx_put(sp.port, cust, "example.de", etag, "{\"mode\":\"none\"}", &h), 0);
    cr_assert_eq(h.status, 200);
    http_response_free(&h);
    cr_assert_eq(
        http_call(sp.port, "GET", "/v1/domains/example.de/mx/history", cust, NULL, NULL, &h), 0);
    long long entry = (long long)http_json_number(&h, "entries.0.id", -1);
    http_response_free(&h);
    snprintf(path, sizeof path, "/v1/domains/example.de/mx/history/%lld/restore", entry);
    cr_assert_eq(total("10001"), 0);

    struct {
        const char *method, *path, *body;
        bool versioned;
    } ways[] = {
        {"GET", "/v1/packages/1/domains", NULL, false},
        {"GET", "/v1/packages/2/domains?q=org", NULL, false},
        {"GET", "/v1/domains/example.de/dns", NULL, false},
        {"GET", "/v1/domains/m%C3%BCller.de/mx", NULL, false},
        {"POST", "/v1/domains/example.de/mx/check", "{\"hosts\":[\"mail.example.de.\"]}", false},
        {"GET", "/v1/domains/example.de/mx/history", NULL, false},
        {"PUT", "/v1/domains/example.de/mx", "{\"mode\":\"provider\",\"reason\":\"T-1\"}", true},
        {"POST", path, "{\"reason\":\"T-2\"}", true},
        /* Refused by the rules, but the customer's configuration was read for it. */
        {"PUT", "/v1/domains/example.de/mx", "{\"mode\":\"provider\"}", true},
    };
    int want = 0;
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        char fresh[128];
        cr_assert_eq(api_login(sp.port, "support", "demo-support", fresh), 0);
        for (int k = 0; k < 3; k++) {
            const char *im = NULL;
            if (ways[i].versioned) {
                cr_assert_geq(api_mx_version(sp.port, cust, "example.de", etag), 1);
                im = etag;
            }
            int st = call(ways[i].method, ways[i].path, fresh, im, ways[i].body);
            cr_assert(st == 200 || st == 422, "%s %s: %d", ways[i].method, ways[i].path, st);
        }
        want++;
        cr_assert_eq(total("10001"), want, "after %s %s", ways[i].method, ways[i].path);
    }
    struct http_response r = access_log("10001", "", staff, 200);
    cr_assert_str_eq(http_json_string(&r, "entries.0.via"), "direct");
    cr_assert_str_eq(http_json_string(&r, "entries.0.staff"), "support");
    cr_assert_str_eq(http_json_string(&r, "entries.0.address"), "127.0.0.1");
    http_response_free(&r);

    /* A session that opened the customer first adds its openings only. */
    char opener[128];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", opener), 0);
    cr_assert_eq(call("GET", "/v1/customers/10001/packages", opener, NULL, NULL), 200);
    cr_assert_eq(call("GET", "/v1/domains/example.de/dns", opener, NULL, NULL), 200);
    cr_assert_eq(call("GET", "/v1/packages/1/domains", opener, NULL, NULL), 200);
    cr_assert_eq(total("10001"), want + 1);
    r = access_log("10001", "", staff, 200);
    cr_assert_str_eq(http_json_string(&r, "entries.0.via"), "open");
    http_response_free(&r);
    /* A name that is not found reaches nobody's data. */
    char other[128];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", other), 0);
    cr_assert_eq(call("GET", "/v1/domains/nowhere.example/dns", other, NULL, NULL), 404);
    cr_assert_eq(call("GET", "/v1/packages/99/domains", other, NULL, NULL), 404);
    cr_assert_eq(total("10001"), want + 1);
}

Test(access_log, pages_newest_first)
{
    for (int i = 0; i < 5; i++)
        cr_assert_eq(call("GET", "/v1/customers/10003/packages", staff, NULL, NULL), 200);
    struct http_response all = access_log("10003", "", staff, 200);
    cr_assert_eq(http_json_number(&all, "total", -1), 5);
    struct http_response page = access_log("10003", "?offset=1&limit=2", staff, 200);
    cr_assert_eq(http_json_number(&page, "total", -1), 5);
    cr_assert_eq(http_json_number(&page, "offset", -1), 1);
    cr_assert_eq(http_json_number(&page, "limit", -1), 2);
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&page, "entries")), 2);
    cr_assert_eq(http_json_number(&page, "entries.0.id", -1),
                 http_json_number(&all, "entries.1.id", -2));
    cr_assert_eq(http_json_number(&page, "entries.1.id", -1),
                 http_json_number(&all, "entries.2.id", -2));
    http_response_free(&page);
    http_response_free(&all);
    struct http_response beyond = access_log("10003", "?offset=5", staff, 200);
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&beyond, "entries")), 0);
    http_response_free(&beyond);
}

/* The log is kept in the database: a restart (which ends every session) keeps it. */
Test(access_log, survives_a_restart)
{
    cr_assert_eq(call("GET", "/v1/customers/10002/packages", staff, NULL, NULL), 200);
    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
    cr_assert_eq(total("10002"), 1);
}
