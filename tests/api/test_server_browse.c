/* mxapid, live on loopback: the read side — customers (staff), packages, paged and filtered
 * domains, the DNS overview with its preconditions, the provider profile, health. */
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
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", cust), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(browse, .init = up, .fini = down, .timeout = 60);

/* GET path as token; asserts 200 and returns the response. */
static struct http_response get_ok(const char *path, const char *token)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "GET %s: %d %s", path, r.status, r.body);
    return r;
}

static int array_size(struct http_response *r, const char *path)
{
    cJSON *a = http_json_item(r, path);
    cr_assert(cJSON_IsArray(a), "%s is not an array in %s", path, r->body);
    return cJSON_GetArraySize(a);
}

Test(browse, customers_by_number_and_by_name)
{
    struct http_response r = get_ok("/v1/customers?q=1000", staff);
    cr_assert_eq(array_size(&r, "customers"), 3, "%s", r.body);
    http_response_free(&r);
    r = get_ok("/v1/customers?q=10002", staff);
    cr_assert_eq(array_size(&r, "customers"), 1);
    cr_assert_str_eq(http_json_string(&r, "customers.0.id"), "10002");
    http_response_free(&r);
    r = get_ok("/v1/customers?q=mustermann", staff);
    cr_assert_eq(array_size(&r, "customers"), 1);
    cr_assert_str_eq(http_json_string(&r, "customers.0.id"), "10001");
    cr_assert_str_eq(http_json_string(&r, "customers.0.name"), "Erika Mustermann");
    cr_assert_eq(http_json_number(&r, "customers.0.packages", -1), 2);
    http_response_free(&r);
    r = get_ok("/v1/customers?q=nobody-is-called-this", staff);
    cr_assert_eq(array_size(&r, "customers"), 0);
    http_response_free(&r);
}

Test(browse, customers_is_staff_only)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/customers?q=1", cust, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(http_error_code(&r), "forbidden");
    http_response_free(&r);
}

Test(browse, packages_of_a_customer)
{
    struct http_response r = get_ok("/v1/customers/10001/packages", cust);
    cr_assert_str_eq(http_json_string(&r, "customer.id"), "10001");
    cr_assert_str_eq(http_json_string(&r, "customer.name"), "Erika Mustermann");
    cr_assert_eq(array_size(&r, "packages"), 2);
    cr_assert_eq(http_json_number(&r, "packages.0.id", -1), 1);
    cr_assert_str_eq(http_json_string(&r, "packages.0.name"), "Hosting Plus");
    cr_assert_eq(http_json_number(&r, "packages.0.domains", -1), 6);
    cr_assert_eq(http_json_number(&r, "packages.1.id", -1), 2);
    cr_assert_str_eq(http_json_string(&r, "packages.1.name"), "Mail Basic");
    cr_assert_eq(http_json_number(&r, "packages.1.domains", -1), 1);
    http_response_free(&r);
}

Test(browse, domains_sorted_with_subdomains_after_parent)
{
    struct http_response r = get_ok("/v1/packages/1/domains", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 6);
    cr_assert_eq(http_json_number(&r, "offset", -1), 0);
    cr_assert_eq(http_json_number(&r, "limit", -1), 50);
    cr_assert_str_eq(http_json_string(&r, "package.name"), "Hosting Plus");
    cJSON *list = http_json_item(&r, "domains");
    cr_assert_eq(cJSON_GetArraySize(list), 6);
    bool seen_shop = false, seen_muller = false;
    for (int i = 0; i < cJSON_GetArraySize(list); i++) {
        cJSON *d = cJSON_GetArrayItem(list, i);
        const char *name = cJSON_GetObjectItem(d, "name")->valuestring;
        const char *kind = cJSON_GetObjectItem(d, "kind")->valuestring;
        cJSON *parent = cJSON_GetObjectItem(d, "parent");
        if (strcmp(kind, "subdomain") == 0) {
            cr_assert(cJSON_IsString(parent), "%s without parent", name);
            bool parent_before = false;
            for (int j = 0; j < i; j++)
                if (strcmp(cJSON_GetObjectItem(cJSON_GetArrayItem(list, j), "name")->valuestring,
                           parent->valuestring) == 0)
                    parent_before = true;
            cr_assert(parent_before, "%s comes before its parent %s", name, parent->valuestring);
        } else {
            cr_assert(cJSON_IsNull(parent));
        }
        if (strcmp(name, "shop.example.de") == 0) {
            seen_shop = true;
            cr_assert_str_eq(cJSON_GetObjectItem(d, "mx_mode")->valuestring, "custom");
        }
        if (strcmp(name, "xn--mller-kva.de") == 0) {
            seen_muller = true;
            cr_assert_str_eq(cJSON_GetObjectItem(d, "display_name")->valuestring,
                             "m\xc3\xbcller.de");
        }
    }
    cr_assert(seen_shop && seen_muller);
    http_response_free(&r);
}

Test(browse, domains_paged)
{
    struct http_response a = get_ok("/v1/packages/1/domains?offset=0&limit=4", cust);
    struct http_response b = get_ok("/v1/packages/1/domains?offset=4&limit=4", cust);
    cr_assert_eq(http_json_number(&a, "total", -1), 6);
    cr_assert_eq(http_json_number(&b, "total", -1), 6);
    cr_assert_eq(array_size(&a, "domains"), 4);
    cr_assert_eq(array_size(&b, "domains"), 2);
    cr_assert_eq(http_json_number(&b, "offset", -1), 4);
    cr_assert_eq(http_json_number(&b, "limit", -1), 4);
    cr_assert_str_neq(http_json_string(&a, "domains.3.name"),
                      http_json_string(&b, "domains.0.name"));
    http_response_free(&a);
    http_response_free(&b);
    struct http_response c = get_ok("/v1/packages/1/domains?offset=100", cust);
    cr_assert_eq(array_size(&c, "domains"), 0);
    http_response_free(&c);
}

Test(browse, domains_bad_paging_is_400)
{
    const char *paths[] = {"/v1/packages/1/domains?limit=0", "/v1/packages/1/domains?limit=501",
                           "/v1/packages/1/domains?offset=-1", "/v1/packages/1/domains?limit=abc"};
    for (size_t i = 0; i < 4; i++) {
        struct http_response r;
        cr_assert_eq(http_call(sp.port, "GET", paths[i], cust, NULL, NULL, &r), 0);
        cr_expect_eq(r.status, 400, "%s: %d", paths[i], r.status);
        cr_expect_str_eq(http_error_code(&r), "bad_request", "%s", paths[i]);
        http_response_free(&r);
    }
}

Test(browse, domains_filtered_in_either_form)
{
    struct http_response r = get_ok("/v1/packages/1/domains?q=shop", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 1);
    cr_assert_str_eq(http_json_string(&r, "domains.0.name"), "shop.example.de");
    http_response_free(&r);
    r = get_ok("/v1/packages/1/domains?q=m%C3%BCller", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 1);
    cr_assert_str_eq(http_json_string(&r, "domains.0.name"), "xn--mller-kva.de");
    http_response_free(&r);
    r = get_ok("/v1/packages/1/domains?q=xn--mller", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 1);
    http_response_free(&r);
    r = get_ok("/v1/packages/1/domains?q=nothing-like-this", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 0);
    http_response_free(&r);
}

Test(browse, dns_overview_and_reasons)
{
    struct http_response r = get_ok("/v1/domains/shop.example.de/dns", cust);
    cr_assert_str_eq(http_json_string(&r, "kind"), "subdomain");
    cr_assert_str_eq(http_json_string(&r, "ns.mode"), "provider");
    cr_assert_gt(array_size(&r, "ns.servers"), 0);
    cr_assert_str_eq(http_json_string(&r, "a.0"), "192.0.2.11");
    cr_assert(cJSON_IsNull(http_json_item(&r, "cname")));
    cr_assert(cJSON_IsFalse(http_json_item(&r, "dyndns")));
    cr_assert_str_eq(http_json_string(&r, "mx.mode"), "custom");
    cr_assert_str_eq(http_json_string(&r, "mx.records.0.host"), "mail.example.de.");
    cr_assert(cJSON_IsTrue(http_json_item(&r, "own_mail_possible")));
    cr_assert_eq(array_size(&r, "reasons"), 0);
    http_response_free(&r);

    r = get_ok("/v1/domains/example.de/dns", cust);
    cr_assert_str_eq(http_json_string(&r, "txt.0"), "v=spf1 mx -all");
    cr_assert_str_eq(http_json_string(&r, "a.0"), "192.0.2.10");
    http_response_free(&r);

    r = get_ok("/v1/domains/dyn.example.de/dns", cust);
    cr_assert(cJSON_IsTrue(http_json_item(&r, "dyndns")));
    cr_assert(cJSON_IsFalse(http_json_item(&r, "own_mail_possible")));
    cr_assert_str_eq(http_json_string(&r, "reasons.0.code"), "dyndns_enabled");
    cr_assert_not_null(http_json_string(&r, "reasons.0.message"));
    http_response_free(&r);

    r = get_ok("/v1/domains/delegated.example.de/dns", cust);
    cr_assert_str_eq(http_json_string(&r, "ns.mode"), "own");
    cr_assert_str_eq(http_json_string(&r, "ns.servers.0"), "ns1.delegated-dns.example.");
    cr_assert_str_eq(http_json_string(&r, "reasons.0.code"), "subdomain_foreign_ns");
    http_response_free(&r);

    r = get_ok("/v1/domains/www.example.de/dns", cust);
    cr_assert_str_eq(http_json_string(&r, "cname"), "example.de.");
    cr_assert_str_eq(http_json_string(&r, "reasons.0.code"), "cname_on_name");
    cr_assert(cJSON_IsFalse(http_json_item(&r, "own_mail_possible")));
    http_response_free(&r);
}

Test(browse, provider_profile)
{
    struct http_response r = get_ok("/v1/provider", cust);
    cr_assert_not_null(http_json_string(&r, "name"));
    cr_assert_not_null(http_json_string(&r, "backup_host"));
    cr_assert_gt(array_size(&r, "backup_ips"), 0);
    cr_assert_gt(array_size(&r, "name_servers"), 0);
    cr_assert_gt(array_size(&r, "priority_options"), 0);
    cr_assert_eq(http_json_number(&r, "backup_delay_hours", -1), 4);
    cr_assert_eq(http_json_number(&r, "backup_retention_days", -1), 5);
    cr_assert_eq(http_json_number(&r, "propagation_hours", -1), 24);
    http_response_free(&r);
}

Test(browse, healthz)
{
    struct http_response r = get_ok("/healthz", NULL);
    cr_assert_str_eq(http_json_string(&r, "status"), "ok");
    /* Without --pdns-url publishing is off, and /healthz says so. */
    cr_assert(cJSON_IsFalse(http_json_item(&r, "publisher.enabled")), "%s", r.body);
    http_response_free(&r);
}

/* The bulk data set: customer 20001 with one package of N names, paged in full. */
Test(bulk, thousand_names_paged_and_filtered, .fini = down, .timeout = 120)
{
    const char *extra[] = {"--seed", "bulk:1000", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid with bulk:1000 did not start");
    char tok[128];
    cr_assert_eq(api_login(sp.port, "20001", "demo-20001", tok), 0);
    struct http_response r = get_ok("/v1/customers/20001/packages", tok);
    cr_assert_eq(array_size(&r, "packages"), 1);
    long long pid = (long long)http_json_number(&r, "packages.0.id", -1);
    cr_assert_eq(http_json_number(&r, "packages.0.domains", -1), 1000);
    http_response_free(&r);

    char path[128];
    int seen = 0;
    for (int offset = 0; offset < 1000; offset += 500) {
        snprintf(path, sizeof path, "/v1/packages/%lld/domains?offset=%d&limit=500", pid, offset);
        r = get_ok(path, tok);
        cr_assert_eq(http_json_number(&r, "total", -1), 1000);
        seen += array_size(&r, "domains");
        http_response_free(&r);
    }
    cr_assert_eq(seen, 1000);
    snprintf(path, sizeof path, "/v1/packages/%lld/domains?q=bulk0000123", pid);
    r = get_ok(path, tok);
    /* One domain and its three subdomains. */
    cr_assert_eq(http_json_number(&r, "total", -1), 4);
    cr_assert_str_eq(http_json_string(&r, "domains.0.name"), "bulk0000123.example");
    http_response_free(&r);
    /* The demo data is there too, and stays private. */
    struct http_response no;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &no), 0);
    cr_assert_eq(no.status, 404);
    http_response_free(&no);
}

/* Paging arguments are plain decimal numbers: a sign, blanks or a number too big for a long are
 * 400 on their field, not read as some number strtol makes of them. */
Test(browse, paging_arguments_are_plain_numbers)
{
    const char *args[][2] = {
        {"limit=%2B5", "limit"},
        {"limit=%205", "limit"},
        {"limit=5%20", "limit"},
        {"limit=", "limit"},
        {"offset=%2B0", "offset"},
        {"offset=%09%31", "offset"},
        {"offset=-0", "offset"},
        {"offset=0x1", "offset"},
        {"offset=99999999999999999999999", "offset"},
    };
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/packages/1/domains?%s", args[i][0]);
        struct http_response r;
        cr_assert_eq(http_call(sp.port, "GET", path, cust, NULL, NULL, &r), 0);
        cr_expect_eq(r.status, 400, "%s: %d %s", path, r.status, r.body);
        const char *field = http_json_string(&r, "error.details.0.field");
        cr_expect(field && strcmp(field, args[i][1]) == 0, "%s: %s", path, r.body);
        http_response_free(&r);
    }
    struct http_response r = get_ok("/v1/packages/1/domains?offset=0&limit=500", cust);
    cr_assert_eq(http_json_number(&r, "limit", -1), 500);
    http_response_free(&r);
}

/* An id in a path is written one way only: "+1", " 1" or "01" name no package. */
Test(browse, ids_in_paths_are_plain_numbers)
{
    const char *paths[] = {"/v1/packages/%2B1/domains", "/v1/packages/%201/domains",
                           "/v1/packages/01/domains", "/v1/packages/1%20/domains"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct http_response r;
        cr_assert_eq(http_call(sp.port, "GET", paths[i], cust, NULL, NULL, &r), 0);
        cr_expect_eq(r.status, 404, "%s: %d", paths[i], r.status);
        http_response_free(&r);
    }
}
