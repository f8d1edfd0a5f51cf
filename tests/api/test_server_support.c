/* mxapid, live on loopback: what the support screens read — the mailbox and forward counts of
 * the DNS overview. */
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
        {"example.de", 3, 2},           {"shop.example.de", 1, 0},      {"dyn.example.de", 0, 0},
        {"delegated.example.de", 0, 0}, {"www.example.de", 0, 0},       {"xn--mller-kva.de", 1, 1},
        {"m%C3%BCller.de", 1, 1},       {"example.org", 2, 0},          {"beispiel.de", 2, 1},
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
    cr_assert_eq(server_proc_exec_sql(&sp, "UPDATE mail_counts SET mailboxes = 17, forwards = 4"
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
