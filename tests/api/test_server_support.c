/* mxapid, live on loopback: what the support screens read — the customer search by number,
 * name or domain (with the matched domain), the mailbox and forward counts of the DNS
 * overview. */
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

TestSuite(support, .init = up, .fini = down, .timeout = 60);

static struct http_response get_ok(const char *path, const char *token)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "GET %s: %d %s", path, r.status, r.body);
    return r;
}

Test(support, dns_overview_counts_mailboxes_and_forwards_of_exactly_that_name)
{
    static const struct {
        const char *name;
        int mailboxes, forwards;
    } want[] = {
        {"example.de", 3, 2},           {"shop.example.de", 1, 0}, {"dyn.example.de", 0, 0},
        {"delegated.example.de", 0, 0}, {"www.example.de", 0, 0},  {"xn--mller-kva.de", 1, 1},
        {"m%C3%BCller.de", 1, 1},       {"example.org", 2, 0},     {"beispiel.de", 2, 1},
        {"zwei-faktor.de", 0, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/domains/%s/dns", want[i].name);
        struct http_response r = get_ok(path, staff);
        cJSON *mb = http_json_item(&r, "mailboxes"), *fw = http_json_item(&r, "forwards");
        cr_assert(cJSON_IsNumber(mb) && cJSON_IsNumber(fw), "%s: %s", want[i].name, r.body);
        cr_expect_eq(mb->valuedouble, want[i].mailboxes, "%s mailboxes: %s", want[i].name, r.body);
        cr_expect_eq(fw->valuedouble, want[i].forwards, "%s forwards: %s", want[i].name, r.body);
        http_response_free(&r);
    }
    /* The customer sees its own counts; another customer's name stays 404. */
    struct http_response r = get_ok("/v1/domains/example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 3);
    http_response_free(&r);
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/beispiel.de/dns", cust, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 404);
    http_response_free(&r);
}

/* The counts are the mail system's, read at each request: a change there shows at once. */
Test(support, counts_come_from_the_database)
{
    cr_assert_eq(server_proc_exec_sql(&sp,
                                      "UPDATE mail_counts SET mailboxes = 17, forwards = 4"
                                      " WHERE name = 'example.org';"
                                      "INSERT INTO mail_counts VALUES('dyn.example.de', 0, 9);"),
                 0);
    struct http_response r = get_ok("/v1/domains/example.org/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 17);
    cr_assert_eq(http_json_number(&r, "forwards", -1), 4);
    http_response_free(&r);
    r = get_ok("/v1/domains/dyn.example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 0);
    cr_assert_eq(http_json_number(&r, "forwards", -1), 9);
    http_response_free(&r);
    /* The database refuses a negative count. */
    cr_assert_neq(server_proc_exec_sql(&sp, "UPDATE mail_counts SET forwards = -1"), 0);
}

/* GET /v1/customers?q=<q as given, already percent-encoded> as staff; asserts 200. */
static struct http_response search(const char *q)
{
    char path[512];
    snprintf(path, sizeof path, "/v1/customers?q=%s", q);
    return get_ok(path, staff);
}

/* Asserts that the reply lists exactly one customer, id, with matched_domain (NULL: null). */
static void found_one(struct http_response *r, const char *id, const char *matched)
{
    cr_assert_eq(cJSON_GetArraySize(http_json_item(r, "customers")), 1, "%s", r->body);
    cr_assert_str_eq(http_json_string(r, "customers.0.id"), id, "%s", r->body);
    cJSON *m = http_json_item(r, "customers.0.matched_domain");
    cr_assert_not_null(m, "no matched_domain in %s", r->body);
    if (matched)
        cr_assert_str_eq(http_json_string(r, "customers.0.matched_domain"), matched, "%s", r->body);
    else
        cr_assert(cJSON_IsNull(m), "%s", r->body);
}

Test(support, customer_search_finds_the_owner_of_a_domain_in_either_form)
{
    static const struct {
        const char *q, *id, *matched;
    } cases[] = {
        {"m%C3%BCller", "10001", "m\xc3\xbcller.de"},      /* U-label */
        {"M%C3%9CLLER", "10001", "m\xc3\xbcller.de"},      /* U-label, upper case */
        {"xn--mller", "10001", "m\xc3\xbcller.de"},        /* A-label */
        {"XN--MLLER-KVA.DE", "10001", "m\xc3\xbcller.de"}, /* A-label, upper case */
        {"beispiel.de", "10002", "beispiel.de"},
        {"zwei-faktor", "10003", "zwei-faktor.de"},
        {"shop.example", "10001", "shop.example.de"}, /* a subdomain */
        {"example.org", "10001", "example.org"},      /* in the second package */
        {"EXAMPLE", "10001", "example.de"},           /* the first in listing order */
        /* Number and name: no matched domain, also when a domain would match too. */
        {"10002", "10002", NULL},
        {"Beispiel", "10002", NULL},
        {"mustermann", "10001", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_response r = search(cases[i].q);
        found_one(&r, cases[i].id, cases[i].matched);
        http_response_free(&r);
    }
    struct http_response r = search("nowhere.invalid");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "customers")), 0, "%s", r.body);
    http_response_free(&r);
    /* ".de": everybody with a .de name, by number, each with its first .de name. */
    r = search(".de");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "customers")), 3, "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "customers.0.matched_domain"), "example.de");
    cr_assert_str_eq(http_json_string(&r, "customers.1.matched_domain"), "beispiel.de");
    cr_assert_str_eq(http_json_string(&r, "customers.2.matched_domain"), "zwei-faktor.de");
    http_response_free(&r);
    /* An empty query lists everybody, by number, without matched domains. */
    r = search("");
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "customers")), 3, "%s", r.body);
    cr_assert(cJSON_IsNull(http_json_item(&r, "customers.2.matched_domain")), "%s", r.body);
    http_response_free(&r);
    /* Still staff only. */
    cr_assert_eq(http_call(sp.port, "GET", "/v1/customers?q=beispiel.de", cust, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 403);
    http_response_free(&r);
}

/* A domain whose stored U-label form carries terminal controls is found and named as stored,
 * escaped as JSON (the screens sanitise before drawing). */
Test(support, customer_search_on_a_hostile_domain_name)
{
    cr_assert_eq(server_proc_exec_sql(&sp, "INSERT INTO domains(name, display_name, kind, parent,"
                                           " package_id, ns_mode, sort_key) VALUES"
                                           " ('evil.example', 'evil\x1b]0;t\x07.example', 'domain',"
                                           " NULL, 3, 'provider', 'evil.example')"),
                 0);
    struct http_response r = search("evil");
    found_one(&r, "10002", "evil\x1b]0;t\x07.example");
    cr_assert(strstr(r.body, "evil\\u001b]0;t\\u0007.example"), "%s", r.body);
    http_response_free(&r);
}
