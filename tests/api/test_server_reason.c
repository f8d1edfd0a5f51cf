/* mxapid, live on loopback: the reason of a change — required from staff, optional for
 * customers, checked with the other rule errors (before the DNS check), trimmed, stored in the
 * audit entry and shown in the history; the optional JSON body of a restore. (An older
 * database gaining the column: test_server_migrate.) */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"

static struct server_proc sp;
static char cust[128], staff[128];

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(api_login(sp.port, "10002", "demo-10002", cust), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(reason, .init = up, .fini = down, .timeout = 60);

#define CUSTOM "\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]"

/* PUT beispiel.de at its current version as token with the members after "{"; asserts the
 * status and returns the reply. */
static struct http_response put(const char *token, const char *members, int status)
{
    char etag[64], body[2048];
    cr_assert_geq(api_mx_version(sp.port, token, "beispiel.de", etag), 1);
    snprintf(body, sizeof body, "{%s}", members);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, token, "beispiel.de", etag, body, &r), 0);
    cr_assert_eq(r.status, status, "PUT %s: %d %s", body, r.status, r.body);
    return r;
}

/* Asserts a 422 whose details are exactly the (field, code) pairs given, in order. */
static void expect_details(struct http_response *r, const char *const (*pairs)[2], int n)
{
    cr_assert_str_eq(http_error_code(r), "validation_failed", "%s", r->body);
    cr_assert_eq(cJSON_GetArraySize(http_json_item(r, "error.details")), n, "%s", r->body);
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "error.details.%d.field", i);
        cr_assert_str_eq(http_json_string(r, path), pairs[i][0], "%s", r->body);
        snprintf(path, sizeof path, "error.details.%d.code", i);
        cr_assert_str_eq(http_json_string(r, path), pairs[i][1], "%s", r->body);
        snprintf(path, sizeof path, "error.details.%d.message", i);
        cr_assert_not_null(http_json_string(r, path));
    }
}

static struct http_response history(const char *token)
{
    struct http_response r;
    cr_assert_eq(
        http_call(sp.port, "GET", "/v1/domains/beispiel.de/mx/history", token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    return r;
}

Test(reason, staff_must_give_one)
{
    struct http_response r = put(staff, CUSTOM, 422);
    const char *const required[][2] = {{"reason", "reason_required"}};
    expect_details(&r, required, 1);
    http_response_free(&r);
    /* Blanks alone say nothing. */
    r = put(staff, CUSTOM ",\"reason\":\" \\t \"", 422);
    expect_details(&r, required, 1);
    http_response_free(&r);
    r = put(staff, CUSTOM ",\"reason\":null", 422);
    expect_details(&r, required, 1);
    http_response_free(&r);
    /* German message on request. */
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, staff, "beispiel.de", etag), 1);
    char auth[192], ifm[96];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", staff);
    snprintf(ifm, sizeof ifm, "If-Match: %s", etag);
    const char *headers[] = {auth, ifm, "Content-Type: application/json", "Accept-Language: de",
                             NULL};
    const char *body = "{" CUSTOM "}";
    cr_assert_eq(
        http_request(sp.port, "PUT", "/v1/domains/beispiel.de/mx", headers, body, strlen(body), &r),
        0);
    cr_assert_eq(r.status, 422);
    cr_assert(strstr(http_json_string(&r, "error.details.0.message"), "Grund"), "%s", r.body);
    http_response_free(&r);
}

Test(reason, comes_with_the_other_rule_errors_before_the_dns_check)
{
    /* A host without its dot and a missing reason: one 422 with both. */
    struct http_response r = put(
        staff, "\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de\",\"priority\":10}]",
        422);
    const char *const both[][2] = {{"primary[0].host", "no_trailing_dot"},
                                   {"reason", "reason_required"}};
    expect_details(&r, both, 2);
    http_response_free(&r);
    /* A host with no address fails only in DNS: with the reason missing, DNS is not asked. */
    r = put(staff,
            "\"mode\":\"custom\",\"primary\":[{\"host\":\"nothere.example.de.\",\"priority\":10}]",
            422);
    const char *const only[][2] = {{"reason", "reason_required"}};
    expect_details(&r, only, 1);
    http_response_free(&r);
    r = put(staff,
            "\"mode\":\"custom\",\"primary\":[{\"host\":\"nothere.example.de.\",\"priority\":10}],"
            "\"reason\":\"T-1\"",
            422);
    const char *const dns[][2] = {{"primary[0].host", "no_address"}};
    expect_details(&r, dns, 1);
    http_response_free(&r);
}

Test(reason, stored_trimmed_and_shown_in_the_history)
{
    struct http_response r =
        put(staff, CUSTOM ",\"reason\":\"  Ticket #4711: customer asked \\n\"", 200);
    cr_assert_str_eq(http_json_string(&r, "updated_by"), "support");
    long long v = (long long)http_json_number(&r, "version", -1);
    http_response_free(&r);
    r = history(staff);
    cr_assert_eq(http_json_number(&r, "entries.0.version", -1), v);
    cr_assert_str_eq(http_json_string(&r, "entries.0.actor"), "support");
    cr_assert_str_eq(http_json_string(&r, "entries.0.on_behalf_of"), "10002");
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"), "Ticket #4711: customer asked");
    http_response_free(&r);

    /* A customer may say nothing: the entry carries null. */
    r = put(cust, "\"mode\":\"provider\"", 200);
    http_response_free(&r);
    r = history(cust);
    cJSON *why = http_json_item(&r, "entries.0.reason");
    cr_assert(cJSON_IsNull(why), "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "entries.0.actor"), "10002");
    cr_assert_str_eq(http_json_string(&r, "entries.1.reason"), "Ticket #4711: customer asked");
    http_response_free(&r);

    /* ... or something, in any script, up to 200 characters. */
    char members[1600] = CUSTOM ",\"reason\":\"";
    for (int i = 0; i < 200; i++)
        strncat(members, "\xc3\xbc", sizeof members - strlen(members) - 1);
    strncat(members, "\"", sizeof members - strlen(members) - 1);
    r = put(cust, members, 200);
    http_response_free(&r);
    r = history(cust);
    cr_assert_eq(strlen(http_json_string(&r, "entries.0.reason")), 400);
    http_response_free(&r);
}

Test(reason, hostile_or_too_long_is_refused)
{
    const char *bad[] = {
        "T-1\\u001b]0;owned\\u0007", /* OSC: sets a terminal's title */
        "T-1\\u001b[2J",             /* CSI: clears the screen */
        "T-1 \\u009b31m",            /* C1 CSI */
        "T-1 \\u202eevil",           /* right-to-left override */
        "T-1\\u200b",                /* zero-width space */
        "T-1\\tcolumns",             /* a tab inside */
        "line one\\nline two",       /* a line break inside */
        "T-1\\u2028",                /* line separator */
        "T-1 \xff\xfe",              /* not UTF-8 */
        "T-1 \x7f",                  /* DEL */
    };
    const char *const invalid[][2] = {{"reason", "reason_invalid"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char members[512];
        snprintf(members, sizeof members, CUSTOM ",\"reason\":\"%s\"", bad[i]);
        struct http_response r = put(cust, members, 422);
        expect_details(&r, invalid, 1);
        http_response_free(&r);
    }
    char members[1024] = CUSTOM ",\"reason\":\"";
    for (int i = 0; i < 201; i++)
        strncat(members, "x", sizeof members - strlen(members) - 1);
    strncat(members, "\"", sizeof members - strlen(members) - 1);
    struct http_response r = put(staff, members, 422);
    expect_details(&r, invalid, 1);
    http_response_free(&r);
    /* Not a string: the body is malformed. */
    r = put(staff, CUSTOM ",\"reason\":4711", 400);
    cr_assert_str_eq(http_error_code(&r), "bad_request");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "reason");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "wrong_type");
    http_response_free(&r);
    /* Nothing was saved by any of these. */
    r = history(staff);
    cr_assert_eq(http_json_number(&r, "total", -1), 0, "%s", r.body);
    http_response_free(&r);
}

/* POST restore of entry id as token with body (NULL: none) and extra content type. */
static struct http_response restore(const char *token, long long id, const char *body,
                                    const char *content_type, int status)
{
    char etag[64], path[128], auth[192], ifm[96], ct[96];
    cr_assert_geq(api_mx_version(sp.port, token, "beispiel.de", etag), 1);
    snprintf(path, sizeof path, "/v1/domains/beispiel.de/mx/history/%lld/restore", id);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(ifm, sizeof ifm, "If-Match: %s", etag);
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
    const char *headers[] = {auth, ifm, body ? ct : NULL, NULL};
    struct http_response r;
    cr_assert_eq(http_request(sp.port, "POST", path, headers, body, body ? strlen(body) : 0, &r),
                 0);
    cr_assert_eq(r.status, status, "restore %s: %d %s", body ? body : "-", r.status, r.body);
    return r;
}

Test(reason, restore_takes_an_optional_body_with_a_reason)
{
    struct http_response r = put(cust, CUSTOM, 200);
    http_response_free(&r);
    r = put(cust, "\"mode\":\"none\"", 200);
    http_response_free(&r);
    r = history(cust);
    long long id = (long long)http_json_number(&r, "entries.1.id", -1);
    http_response_free(&r);

    /* Staff: no body, an empty reason, an unknown member, a hostile reason, another type. */
    const char *const required[][2] = {{"reason", "reason_required"}};
    const char *const invalid[][2] = {{"reason", "reason_invalid"}};
    r = restore(staff, id, NULL, NULL, 422);
    expect_details(&r, required, 1);
    http_response_free(&r);
    r = restore(staff, id, "{}", NULL, 422);
    expect_details(&r, required, 1);
    http_response_free(&r);
    r = restore(staff, id, "{\"reason\":\"T-2\\u001b[31m\"}", NULL, 422);
    expect_details(&r, invalid, 1);
    http_response_free(&r);
    r = restore(staff, id, "{\"reason\":\"T-2\",\"mode\":\"none\"}", NULL, 400);
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "mode");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "unknown_field");
    http_response_free(&r);
    r = restore(staff, id, "reason=T-2", "application/x-www-form-urlencoded", 415);
    http_response_free(&r);
    r = restore(staff, id, "[\"T-2\"]", NULL, 400);
    http_response_free(&r);

    r = restore(staff, id, "{\"reason\":\" T-2 restore as asked \"}", NULL, 200);
    cr_assert_str_eq(http_json_string(&r, "mode"), "custom");
    http_response_free(&r);
    r = history(staff);
    cr_assert_str_eq(http_json_string(&r, "entries.0.action"), "restore");
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"), "T-2 restore as asked");
    http_response_free(&r);

    /* A customer may restore without a body, as before, or give a reason. */
    r = restore(cust, id, NULL, NULL, 200);
    http_response_free(&r);
    r = restore(cust, id, "{\"reason\":null}", NULL, 200);
    http_response_free(&r);
    r = history(cust);
    cr_assert(cJSON_IsNull(http_json_item(&r, "entries.0.reason")), "%s", r.body);
    cr_assert(cJSON_IsNull(http_json_item(&r, "entries.1.reason")), "%s", r.body);
    http_response_free(&r);
}
