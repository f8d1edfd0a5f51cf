/* mxapid, live on loopback: GET/PUT of the MX configuration with ETag/If-Match, rule and
 * precondition errors, codec errors, content type and DNS verdicts on save. */
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

TestSuite(mx, .init = up, .fini = down, .timeout = 60);

/* PUTs body on name with the current ETag; asserts the status; returns the response. */
static struct http_response put_now(const char *name, const char *body, int status)
{
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, name, etag), 1, "GET %s/mx failed", name);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, name, etag, body, &r), 0);
    cr_assert_eq(r.status, status, "PUT %s %s: %d %s", name, body, r.status, r.body);
    return r;
}

/* Asserts that some error detail has this field and code. */
static void has_detail(struct http_response *r, const char *array, const char *field,
                       const char *code)
{
    cJSON *details = http_json_item(r, array);
    cr_assert(cJSON_IsArray(details), "no %s in %s", array, r->body);
    cJSON *d;
    cJSON_ArrayForEach(d, details)
    {
        cJSON *f = cJSON_GetObjectItemCaseSensitive(d, "field");
        cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "code");
        if (cJSON_IsString(f) && cJSON_IsString(c) && strcmp(f->valuestring, field) == 0 &&
            strcmp(c->valuestring, code) == 0) {
            cJSON *m = cJSON_GetObjectItemCaseSensitive(d, "message");
            cr_assert(cJSON_IsString(m) && m->valuestring[0] != '\0', "detail without message");
            return;
        }
    }
    cr_assert_fail("no %s {field %s, code %s} in %s", array, field, code, r->body);
}

Test(mx, get_has_etag_and_the_documented_fields)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    long long v = (long long)http_json_number(&r, "version", -1);
    cr_assert_geq(v, 1);
    char want[32];
    snprintf(want, sizeof want, "\"%lld\"", v);
    cr_assert_str_eq(http_header_get(&r, "ETag"), want);
    cr_assert_str_eq(http_json_string(&r, "domain"), "example.de");
    cr_assert_str_eq(http_json_string(&r, "display_name"), "example.de");
    cr_assert_str_eq(http_json_string(&r, "kind"), "domain");
    cr_assert_str_eq(http_json_string(&r, "mode"), "provider");
    cr_assert(cJSON_IsArray(http_json_item(&r, "primary")));
    cr_assert(cJSON_IsArray(http_json_item(&r, "backup")));
    cr_assert(cJSON_IsBool(http_json_item(&r, "provider_backup")));
    cr_assert_gt(cJSON_GetArraySize(http_json_item(&r, "records")), 0,
                 "provider mode has the provider's records");
    cr_assert_str_eq(http_json_string(&r, "publication.state"), "disabled");
    http_response_free(&r);
}

Test(mx, seeded_custom_subdomain)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/shop.example.de/mx", tok, NULL, NULL, &r),
                 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "kind"), "subdomain");
    cr_assert_str_eq(http_json_string(&r, "mode"), "custom");
    cr_assert_str_eq(http_json_string(&r, "primary.0.host"), "mail.example.de.");
    cr_assert_eq(http_json_number(&r, "primary.0.priority", -1), 10);
    cr_assert_str_eq(http_json_string(&r, "records.0.host"), "mail.example.de.");
    cr_assert_eq(http_json_number(&r, "records.0.priority", -1), 10);
    http_response_free(&r);
}

Test(mx, idn_name_in_either_form)
{
    const char *paths[] = {"/v1/domains/m%C3%BCller.de/mx", "/v1/domains/xn--mller-kva.de/mx",
                           "/v1/domains/XN--MLLER-KVA.DE./mx"};
    for (size_t i = 0; i < 3; i++) {
        struct http_response r;
        cr_assert_eq(http_call(sp.port, "GET", paths[i], tok, NULL, NULL, &r), 0);
        cr_assert_eq(r.status, 200, "%s: %d", paths[i], r.status);
        cr_assert_str_eq(http_json_string(&r, "domain"), "xn--mller-kva.de");
        cr_assert_str_eq(http_json_string(&r, "display_name"), "m\xc3\xbcller.de");
        http_response_free(&r);
    }
}

Test(mx, put_without_if_match_is_428)
{
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", NULL, "{\"mode\":\"provider\"}", &r), 0);
    cr_assert_eq(r.status, 428);
    cr_assert_str_eq(http_error_code(&r), "if_match_required");
    http_response_free(&r);
}

Test(mx, put_saves_a_new_version)
{
    char etag[64];
    long long v = api_mx_version(sp.port, tok, "example.de", etag);
    const char *body = "{\"mode\":\"custom\",\"primary\":[{\"host\":\"MAIL.example.de.\","
                       "\"priority\":10}],\"backup\":[{\"host\":\"mx2.example.de.\",\"priority\":"
                       "50}],\"provider_backup\":false}";
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "version", -1), v + 1);
    char want[32];
    snprintf(want, sizeof want, "\"%lld\"", v + 1);
    cr_assert_str_eq(http_header_get(&r, "ETag"), want);
    cr_assert_str_eq(http_json_string(&r, "mode"), "custom");
    /* Normalised: lower case. */
    cr_assert_str_eq(http_json_string(&r, "primary.0.host"), "mail.example.de.");
    cr_assert_str_eq(http_json_string(&r, "records.0.host"), "mail.example.de.");
    cr_assert_str_eq(http_json_string(&r, "records.1.host"), "mx2.example.de.");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "records")), 2);
    cr_assert_str_eq(http_json_string(&r, "updated_by"), "10001");
    cJSON *w = http_json_item(&r, "warnings");
    cr_assert(cJSON_IsArray(w) && cJSON_GetArraySize(w) == 0, "warnings: %s", r.body);
    http_response_free(&r);

    /* What GET shows now. */
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_eq(http_json_number(&r, "version", -1), v + 1);
    cr_assert_str_eq(http_json_string(&r, "backup.0.host"), "mx2.example.de.");
    cr_assert_eq(http_json_number(&r, "backup.0.priority", -1), 50);
    http_response_free(&r);
}

Test(mx, stale_if_match_is_409_with_current)
{
    char etag[64];
    long long v = api_mx_version(sp.port, tok, "example.org", etag);
    struct http_response r = put_now(
        "example.org",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":5}]}", 200);
    http_response_free(&r);
    /* The old ETag is stale now. */
    cr_assert_eq(api_mx_put(sp.port, tok, "example.org", etag, "{\"mode\":\"provider\"}", &r), 0);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(http_error_code(&r), "stale");
    cr_assert_eq(http_json_number(&r, "error.current.version", -1), v + 1);
    cr_assert_str_eq(http_json_string(&r, "error.current.mode"), "custom");
    cr_assert_str_eq(http_json_string(&r, "error.current.primary.0.host"), "mail.example.de.");
    http_response_free(&r);
    /* Nothing was written by the stale PUT. */
    cr_assert_eq(api_mx_version(sp.port, tok, "example.org", etag), v + 1);
    /* A made-up version is stale too. */
    cr_assert_eq(
        api_mx_put(sp.port, tok, "example.org", "\"999999\"", "{\"mode\":\"provider\"}", &r), 0);
    cr_assert_eq(r.status, 409);
    http_response_free(&r);
}

Test(mx, rule_errors_are_422_with_details)
{
    struct http_response r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de\",\"priority\":10}]}", 422);
    cr_assert_str_eq(http_error_code(&r), "validation_failed");
    has_detail(&r, "error.details", "primary[0].host", "no_trailing_dot");
    http_response_free(&r);

    r = put_now("example.de", "{\"mode\":\"custom\",\"primary\":[]}", 422);
    has_detail(&r, "error.details", "primary", "no_primary");
    http_response_free(&r);

    r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":50}],"
        "\"backup\":[{\"host\":\"mx2.example.de.\",\"priority\":10}]}",
        422);
    has_detail(&r, "error.details", "backup[0].priority", "backup_not_lower_priority");
    http_response_free(&r);

    r = put_now("example.de",
                "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":"
                "70000}]}",
                422);
    has_detail(&r, "error.details", "primary[0].priority", "priority_out_of_range");
    http_response_free(&r);

    r = put_now("example.de",
                "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10},"
                "{\"host\":\"MAIL.EXAMPLE.DE.\",\"priority\":20}]}",
                422);
    has_detail(&r, "error.details", "primary[1].host", "duplicate_host");
    http_response_free(&r);

    r = put_now("example.de",
                "{\"mode\":\"none\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}",
                422);
    has_detail(&r, "error.details", "primary", "null_mx_not_alone");
    http_response_free(&r);
}

Test(mx, preconditions_on_field_mode)
{
    const char *body =
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}";
    struct http_response r = put_now("dyn.example.de", body, 422);
    has_detail(&r, "error.details", "mode", "dyndns_enabled");
    http_response_free(&r);
    r = put_now("delegated.example.de", body, 422);
    has_detail(&r, "error.details", "mode", "subdomain_foreign_ns");
    http_response_free(&r);
    r = put_now("www.example.de", body, 422);
    has_detail(&r, "error.details", "mode", "cname_on_name");
    http_response_free(&r);
    /* The provider's own mail stays possible there. */
    r = put_now("dyn.example.de", "{\"mode\":\"provider\"}", 200);
    http_response_free(&r);
}

Test(mx, dns_verdicts_on_save)
{
    struct http_response r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"nothing.example.de.\",\"priority\":10}]}",
        422);
    has_detail(&r, "error.details", "primary[0].host", "no_address");
    http_response_free(&r);

    r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"alias.example.de.\",\"priority\":10}]}",
        422);
    has_detail(&r, "error.details", "primary[0].host", "cname_target");
    http_response_free(&r);

    r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}],"
        "\"backup\":[{\"host\":\"v6.example.de.\",\"priority\":20}]}",
        200);
    has_detail(&r, "warnings", "backup[0].host", "aaaa_only");
    http_response_free(&r);

    /* Outside our zones, and the resolver refuses: saved, with a warning. */
    r = put_now("example.de",
                "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.elsewhere.test.\",\"priority\":"
                "10}]}",
                200);
    has_detail(&r, "warnings", "primary[0].host", "unverifiable");
    http_response_free(&r);
}

Test(mx, provider_backup_and_null_mx_records)
{
    struct http_response prov;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/provider", tok, NULL, NULL, &prov), 0);
    cr_assert_eq(prov.status, 200);
    const char *backup_host = http_json_string(&prov, "backup_host");
    cr_assert_not_null(backup_host, "profile: %s", prov.body);

    struct http_response r = put_now(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}],"
        "\"provider_backup\":true}",
        200);
    cr_assert(cJSON_IsTrue(http_json_item(&r, "provider_backup")));
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "records")), 2);
    cr_assert_str_eq(http_json_string(&r, "records.0.host"), "mail.example.de.");
    cr_assert_str_eq(http_json_string(&r, "records.1.host"), backup_host);
    http_response_free(&r);
    http_response_free(&prov);

    r = put_now("example.de", "{\"mode\":\"none\"}", 200);
    cr_assert_str_eq(http_json_string(&r, "mode"), "none");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "records")), 1);
    cr_assert_str_eq(http_json_string(&r, "records.0.host"), ".");
    cr_assert_eq(http_json_number(&r, "records.0.priority", -1), 0);
    http_response_free(&r);
}

Test(mx, codec_errors_are_400)
{
    struct {
        const char *body, *field, *code;
    } cases[] = {
        {"{\"mode\":\"provider\",\"extra\":1}", "extra", "unknown_field"},
        {"{\"primary\":[]}", "mode", "missing_field"},
        {"{\"mode\":\"mine\"}", "mode", "bad_value"},
        {"{\"mode\":7}", "mode", "wrong_type"},
        {"{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":1.5}]}",
         "primary[0].priority", "not_integer"},
        {"{\"mode\":\"custom\",\"primary\":[{\"host\":\"a\\u0000b.de.\",\"priority\":1}]}",
         "primary[0].host", "hidden_nul"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_response r = put_now("example.de", cases[i].body, 400);
        has_detail(&r, "error.details", cases[i].field, cases[i].code);
        http_response_free(&r);
    }
    struct http_response r = put_now("example.de", "{\"mode\":", 400);
    cr_assert_str_eq(http_error_code(&r), "json_syntax");
    http_response_free(&r);
}

Test(mx, wrong_content_type_is_415)
{
    char etag[64], auth[200], match[100];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    snprintf(match, sizeof match, "If-Match: %s", etag);
    const char *body = "{\"mode\":\"provider\"}";
    const char *types[] = {"Content-Type: text/plain",
                           "Content-Type: application/x-www-form-urlencoded", NULL};
    for (size_t i = 0; i < 3; i++) {
        const char *headers[] = {auth, match, types[i], NULL};
        struct http_response r;
        cr_assert_eq(http_request(sp.port, "PUT", "/v1/domains/example.de/mx", headers, body,
                                  strlen(body), &r),
                     0);
        cr_assert_eq(r.status, 415, "%s: %d", types[i] ? types[i] : "no type", r.status);
        cr_assert_str_eq(http_error_code(&r), "unsupported_media_type");
        http_response_free(&r);
    }
    /* With a charset parameter it is still JSON. */
    const char *headers[] = {auth, match, "Content-Type: application/json; charset=utf-8", NULL};
    struct http_response r;
    cr_assert_eq(
        http_request(sp.port, "PUT", "/v1/domains/example.de/mx", headers, body, strlen(body), &r),
        0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_response_free(&r);
}

Test(mx, body_over_the_cap_is_413)
{
    size_t n = (size_t)2 * 1024 * 1024;
    char *body = malloc(n + 1);
    cr_assert_not_null(body);
    memset(body, ' ', n);
    memcpy(body, "{\"mode\":\"provider\"", 18);
    body[n - 1] = '}';
    body[n] = '\0';
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, body, &r), 0);
    cr_assert_eq(r.status, 413);
    cr_assert_str_eq(http_error_code(&r), "payload_too_large");
    http_response_free(&r);
    free(body);
}

/* The server collects a body in its own buffer, not in libmicrohttpd's per-connection pool
 * (--conn-memory): a body of exactly the default cap (--max-body 65536) still goes through. */
Test(mx, body_at_the_cap_is_accepted)
{
    size_t n = 65536;
    char *body = malloc(n + 1);
    cr_assert_not_null(body);
    memset(body, ' ', n);
    memcpy(body, "{\"mode\":\"provider\"", 18);
    body[n - 1] = '}';
    body[n] = '\0';
    struct http_response r = put_now("example.de", body, 200);
    cr_assert_str_eq(http_json_string(&r, "mode"), "provider");
    http_response_free(&r);
    free(body);
}

Test(mx, staff_writes_on_behalf_of_the_customer)
{
    char staff[128], etag[64];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
    long long v = api_mx_version(sp.port, staff, "beispiel.de", etag);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, staff, "beispiel.de", etag,
                            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\","
                            "\"priority\":10}],\"reason\":\"T-1001\"}",
                            &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "version", -1), v + 1);
    cr_assert_str_eq(http_json_string(&r, "updated_by"), "support");
    http_response_free(&r);
    cr_assert_eq(
        http_call(sp.port, "GET", "/v1/domains/beispiel.de/mx/history", staff, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "entries.0.actor"), "support");
    cr_assert_str_eq(http_json_string(&r, "entries.0.on_behalf_of"), "10002");
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"), "T-1001");
    http_response_free(&r);
}

/* If-Match: "7", 7 and W/"7" name version 7; anything else is 400 on field If-Match — also a
 * number too big for any version (it must not be read as the largest one and answered 409). */
Test(mx, if_match_forms)
{
    char etag[64], val[96];
    long long v = api_mx_version(sp.port, tok, "example.org", etag);
    cr_assert_geq(v, 1);
    const char *forms[] = {"\"%lld\"", "%lld", "W/\"%lld\""};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(val, sizeof val, forms[i], v + (long long)i);
        struct http_response r;
        cr_assert_eq(api_mx_put(sp.port, tok, "example.org", val, "{\"mode\":\"provider\"}", &r),
                     0);
        cr_expect_eq(r.status, 200, "If-Match %s: %d %s", val, r.status, r.body);
        http_response_free(&r);
    }
    const char *bad[] = {"*",
                         "\"\"",
                         "\"abc\"",
                         "\"-1\"",
                         "\"+3\"",
                         "\"3",
                         "3\"",
                         "\"3\", \"4\"",
                         "W/3x",
                         "99999999999999999999",
                         "\"99999999999999999999\"",
                         "\"184467440737095516160\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_response r;
        cr_assert_eq(api_mx_put(sp.port, tok, "example.org", bad[i], "{\"mode\":\"provider\"}", &r),
                     0);
        cr_expect_eq(r.status, 400, "If-Match %s: %d %s", bad[i], r.status, r.body);
        const char *field = http_json_string(&r, "error.details.0.field");
        cr_expect(field && strcmp(field, "If-Match") == 0, "If-Match %s: %s", bad[i], r.body);
        http_response_free(&r);
    }
}

/* RFC 9110 8.3.1: blanks (space or tab) may stand around the ';' of the parameters, and type and
 * subtype are case-insensitive. All of these are JSON. */
Test(mx, content_type_variants_are_json)
{
    const char *types[] = {
        "Content-Type: application/json\t; charset=utf-8",
        "Content-Type: application/json ; charset=UTF-8", "Content-Type: Application/JSON",
        "Content-Type: application/json;charset=\"utf-8\"", "Content-Type: application/json\t"};
    char auth[200], match[100];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    const char *body = "{\"mode\":\"provider\"}";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char etag[64];
        cr_assert_geq(api_mx_version(sp.port, tok, "example.org", etag), 1);
        snprintf(match, sizeof match, "If-Match: %s", etag);
        const char *headers[] = {auth, match, types[i], NULL};
        struct http_response r;
        cr_assert_eq(http_request(sp.port, "PUT", "/v1/domains/example.org/mx", headers, body,
                                  strlen(body), &r),
                     0);
        cr_expect_eq(r.status, 200, "%s: %d %s", types[i], r.status, r.body);
        http_response_free(&r);
    }
}
