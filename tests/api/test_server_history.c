/* mxapid, live on loopback: POST mx/check verdicts, GET mx/history and restoring an earlier
 * configuration as a new version. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"

static struct server_proc sp;
static char tok[128];

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(check, .init = up, .fini = down, .timeout = 60);
TestSuite(history, .init = up, .fini = down, .timeout = 60);

static struct http_response check(const char *body, int status)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/domains/example.de/mx/check", tok, NULL, body, &r),
                 0);
    cr_assert_eq(r.status, status, "check %s: %d %s", body, r.status, r.body);
    return r;
}

/* Asserts results[i]: host, verdict, code. */
static void result_is(struct http_response *r, int i, const char *host, const char *verdict,
                      const char *code)
{
    char path[64];
    snprintf(path, sizeof path, "results.%d.host", i);
    cr_assert_str_eq(http_json_string(r, path), host);
    snprintf(path, sizeof path, "results.%d.verdict", i);
    cr_assert_str_eq(http_json_string(r, path), verdict, "%s", host);
    snprintf(path, sizeof path, "results.%d.code", i);
    cr_assert_str_eq(http_json_string(r, path), code, "%s", host);
    snprintf(path, sizeof path, "results.%d.message", i);
    cr_assert_not_null(http_json_string(r, path));
}

Test(check, verdicts_per_host)
{
    struct http_response r =
        check("{\"hosts\":[\"mail.example.de.\",\"v6.example.de.\",\"alias.example.de.\","
              "\"nothing.example.de.\",\"mail.elsewhere.test.\",\"Mx2.Example.DE.\"]}",
              200);
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "results")), 6);
    result_is(&r, 0, "mail.example.de.", "accept", "ok");
    cr_assert_str_eq(http_json_string(&r, "results.0.a.0"), "192.0.2.25");
    cr_assert(cJSON_IsNull(http_json_item(&r, "results.0.cname")));
    result_is(&r, 1, "v6.example.de.", "warn", "aaaa_only");
    cr_assert_str_eq(http_json_string(&r, "results.1.aaaa.0"), "2001:db8::25");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "results.1.a")), 0);
    result_is(&r, 2, "alias.example.de.", "reject", "cname_target");
    cr_assert_str_eq(http_json_string(&r, "results.2.cname"), "mail.example.de.");
    result_is(&r, 3, "nothing.example.de.", "reject", "no_address");
    result_is(&r, 4, "mail.elsewhere.test.", "warn", "unverifiable");
    /* Normalised to lower case; the A record of mx2 comes from the demo zone. */
    result_is(&r, 5, "mx2.example.de.", "accept", "ok");
    cr_assert_str_eq(http_json_string(&r, "results.5.a.0"), "192.0.2.26");
    http_response_free(&r);
}

Test(check, syntax_errors_are_reject_with_the_host_as_sent)
{
    struct http_response r =
        check("{\"hosts\":[\"mail.example.de\",\"bad host.de.\",\"192.0.2.1\"]}", 200);
    result_is(&r, 0, "mail.example.de", "reject", "no_trailing_dot");
    result_is(&r, 1, "bad host.de.", "reject", "whitespace");
    cr_assert_str_eq(http_json_string(&r, "results.2.verdict"), "reject");
    http_response_free(&r);
}

Test(check, idn_host_shows_both_forms)
{
    struct http_response r = check("{\"hosts\":[\"m\xc3\xbcller.de.\"]}", 200);
    cr_assert_str_eq(http_json_string(&r, "results.0.host"), "xn--mller-kva.de.");
    cr_assert_str_eq(http_json_string(&r, "results.0.display"), "m\xc3\xbcller.de.");
    result_is(&r, 0, "xn--mller-kva.de.", "accept", "ok");
    http_response_free(&r);
}

Test(check, host_count_limits)
{
    struct http_response r = check("{\"hosts\":[]}", 400);
    http_response_free(&r);
    char body[2048] = "{\"hosts\":[";
    for (int i = 0; i < 17; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s\"h%d.example.de.\"", i ? "," : "", i);
        strncat(body, one, sizeof body - strlen(body) - 1);
    }
    strncat(body, "]}", sizeof body - strlen(body) - 1);
    r = check(body, 400);
    http_response_free(&r);
    r = check("{\"hosts\":[\"mail.example.de.\"],\"more\":1}", 400);
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "unknown_field");
    http_response_free(&r);
    r = check("{\"hosts\":\"mail.example.de.\"}", 400);
    http_response_free(&r);
}

Test(check, hidden_nul_in_a_host_is_refused_with_its_path)
{
    /* cJSON would cut the second host short at the escaped NUL: refused, naming that host. */
    struct http_response r =
        check("{\"hosts\":[\"mail.example.de.\",\"b\\u0000.evil.test.\"]}", 400);
    cr_assert_str_eq(http_error_code(&r), "bad_request");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "hosts[1]");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "hidden_nul");
    cr_assert_null(http_json_item(&r, "error.details.1"));
    http_response_free(&r);
    /* An escaped backslash before "u0000" hides nothing: a host with a backslash, rejected. */
    r = check("{\"hosts\":[\"b\\\\u0000.example.de.\"]}", 200);
    cr_assert_str_eq(http_json_string(&r, "results.0.host"), "b\\u0000.example.de.");
    cr_assert_str_eq(http_json_string(&r, "results.0.verdict"), "reject");
    http_response_free(&r);
}

/* PUTs a custom configuration with one primary of this priority; returns the new version. */
static long long put_priority(const char *name, int priority)
{
    char etag[64], body[256];
    cr_assert_geq(api_mx_version(sp.port, tok, name, etag), 1);
    snprintf(body, sizeof body,
             "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":%d}]}",
             priority);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, name, etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    long long v = (long long)http_json_number(&r, "version", -1);
    http_response_free(&r);
    return v;
}

static struct http_response get_history(const char *query)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/domains/example.de/mx/history%s", query);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    return r;
}

Test(history, newest_first_with_before_and_after)
{
    struct http_response r0 = get_history("");
    int total0 = (int)http_json_number(&r0, "total", -1);
    cr_assert_geq(total0, 0);
    http_response_free(&r0);

    long long v1 = put_priority("example.de", 11);
    long long v2 = put_priority("example.de", 22);
    cr_assert_eq(v2, v1 + 1);
    struct http_response r = get_history("");
    cr_assert_eq(http_json_number(&r, "total", -1), total0 + 2);
    cr_assert_eq(http_json_number(&r, "entries.0.version", -1), v2);
    cr_assert_eq(http_json_number(&r, "entries.1.version", -1), v1);
    cr_assert_str_eq(http_json_string(&r, "entries.0.actor"), "10001");
    cr_assert_str_eq(http_json_string(&r, "entries.0.action"), "update");
    cr_assert_not_null(http_json_string(&r, "entries.0.at"));
    cr_assert_gt(http_json_number(&r, "entries.0.id", -1), 0);
    cr_assert_eq(http_json_number(&r, "entries.0.after.primary.0.priority", -1), 22);
    cr_assert_eq(http_json_number(&r, "entries.0.before.primary.0.priority", -1), 11);
    cr_assert_str_eq(http_json_string(&r, "entries.1.before.mode"), "provider");
    cr_assert_str_eq(http_json_string(&r, "entries.1.after.mode"), "custom");
    http_response_free(&r);

    r = get_history("?offset=1&limit=1");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "entries")), 1);
    cr_assert_eq(http_json_number(&r, "entries.0.version", -1), v1);
    http_response_free(&r);
}

Test(history, restore_writes_a_new_version)
{
    long long v1 = put_priority("example.de", 11);
    put_priority("example.de", 22);
    struct http_response h = get_history("");
    cr_assert_eq(http_json_number(&h, "entries.1.version", -1), v1);
    long long id = (long long)http_json_number(&h, "entries.1.id", -1);
    http_response_free(&h);

    char path[128], etag[64];
    snprintf(path, sizeof path, "/v1/domains/example.de/mx/history/%lld/restore", id);
    long long cur = api_mx_version(sp.port, tok, "example.de", etag);

    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", path, tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 428);
    cr_assert_str_eq(http_error_code(&r), "if_match_required");
    http_response_free(&r);

    cr_assert_eq(http_call(sp.port, "POST", path, tok, "\"1\"", NULL, &r), 0);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(http_error_code(&r), "stale");
    cr_assert_eq(http_json_number(&r, "error.current.version", -1), cur);
    http_response_free(&r);

    cr_assert_eq(http_call(sp.port, "POST", path, tok, etag, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "version", -1), cur + 1);
    cr_assert_eq(http_json_number(&r, "primary.0.priority", -1), 11);
    http_response_free(&r);

    h = get_history("");
    cr_assert_eq(http_json_number(&h, "entries.0.version", -1), cur + 1);
    cr_assert_str_eq(http_json_string(&h, "entries.0.action"), "restore");
    cr_assert_eq(http_json_number(&h, "entries.0.after.primary.0.priority", -1), 11);
    http_response_free(&h);

    /* An entry that does not exist, or belongs to another name. */
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    cr_assert_eq(http_call(sp.port, "POST", "/v1/domains/example.de/mx/history/999999/restore", tok,
                           etag, NULL, &r),
                 0);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(http_error_code(&r), "not_found");
    http_response_free(&r);
    long long other = put_priority("example.org", 7);
    cr_assert_geq(other, 1);
    h = get_history("");
    long long de_id = (long long)http_json_number(&h, "entries.0.id", -1);
    http_response_free(&h);
    snprintf(path, sizeof path, "/v1/domains/example.org/mx/history/%lld/restore", de_id);
    cr_assert_geq(api_mx_version(sp.port, tok, "example.org", etag), 1);
    cr_assert_eq(http_call(sp.port, "POST", path, tok, etag, NULL, &r), 0);
    cr_assert_eq(r.status, 404, "restoring example.de's entry on example.org: %d", r.status);
    http_response_free(&r);
}

/* "hosts" twice: which list would be checked is ambiguous, so neither is. */
Test(check, a_repeated_member_is_refused)
{
    struct http_response r =
        check("{\"hosts\":[\"mail.example.de.\"],\"hosts\":[\"v6.example.de.\"]}", 400);
    cr_assert_str_eq(http_error_code(&r), "json_syntax");
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "hosts");
    http_response_free(&r);
}
