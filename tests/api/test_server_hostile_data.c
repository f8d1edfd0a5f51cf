/* Test data with hostile strings, written with server_proc_exec_sql (the API cannot make it): a
 * customer name and a TXT record carrying terminal escape sequences (OSC title, CSI, an 8-bit
 * CSI), a bidi override and an invisible character. mxapid hands them out byte for byte (the C0
 * controls as JSON escapes); the client decodes them unchanged; mxctl shows them escaped, never
 * raw. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/prog_run.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

/* Sets the title, paints red, clears the screen (8-bit CSI), reverses the text, hides a mark. */
#define HOSTILE                                                                                    \
    "Max \x1b]0;pwned\x07 \x1b[31mRot\x1b[0m \xc2\x9b"                                             \
    "2J \xe2\x80\xae"                                                                              \
    "lesreveR\xe2\x80\x8b"
/* C0 controls go as escapes; C1, bidi and invisible characters as the UTF-8 they are. */
#define HOSTILE_JSON "Max \\u001b]0;pwned\\u0007 \\u001b[31mRot\\u001b[0m \xc2\x9b"
#define TXT                                                                                        \
    "v=spf1 \x1b[2J\x1b]0;title\x07 \xc2\x9b"                                                      \
    "1;1H \xe2\x80\xae-all"

static struct server_proc sp;
static char dir[256];

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxtui-hostile"), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
    if (dir[0])
        test_rmtree(dir);
}

TestSuite(hostile, .init = up, .fini = down, .timeout = 60);

static struct http_response get(const char *path, const char *token)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "GET %s: %d %s", path, r.status, r.body);
    return r;
}

/* Written while the server is stopped, read after the restart. */
Test(hostile, a_customer_name_and_a_txt_record_come_back_byte_for_byte)
{
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(server_proc_exec_sql(&sp, "UPDATE customers SET name = '" HOSTILE
                                           "' WHERE id = '10002';"
                                           "INSERT INTO records(name, type, value)"
                                           " VALUES('beispiel.de.', 'TXT', '" TXT "');"),
                 0);
    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    char staff[128], cust[128];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);

    struct http_response r = get("/v1/customers/10002/packages", staff);
    cr_assert_str_eq(http_json_string(&r, "customer.name"), HOSTILE);
    /* On the wire the C0 controls are escapes: no raw ESC or BEL in the body. */
    cr_assert(strstr(r.body, HOSTILE_JSON), "%s", r.body);
    cr_assert_null(memchr(r.body, 0x1b, r.body_len));
    cr_assert_null(memchr(r.body, 0x07, r.body_len));
    http_response_free(&r);
    r = get("/v1/customers?q=10002", staff);
    cr_assert_str_eq(http_json_string(&r, "customers.0.name"), HOSTILE);
    http_response_free(&r);
    r = get("/v1/domains/beispiel.de/dns", staff);
    cr_assert_str_eq(http_json_string(&r, "txt.0"), TXT);
    http_response_free(&r);

    /* The customer's own login carries the name too. */
    struct http_response login;
    const char *body = "{\"login\":\"10002\",\"password\":\"demo-10002\"}";
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL, body, &login), 0);
    cr_assert_eq(login.status, 201);
    cr_assert_str_eq(http_json_string(&login, "actor.name"), HOSTILE);
    http_response_free(&login);
    cr_assert_eq(api_login(sp.port, "10002", "demo-10002", cust), 0);

    /* Through the client: decoded unchanged (the screens sanitise, not the decoder). */
    struct api_client_options o = {.base_url = sp.url, .timeout_ms = 10000};
    struct api_client *c = api_client_new(&o, NULL);
    cr_assert_not_null(c);
    struct api_sync s = {0};
    struct api_result *res = api_sync_wait(
        c, api_start_login(c, "support", "demo-support", NULL, api_sync_done, &s), &s);
    cr_assert_eq(res->status, API_OK);
    api_result_free(&res);
    struct api_sync s2 = {0};
    res = api_sync_wait(c, api_start_packages(c, "10002", api_sync_done, &s2), &s2);
    cr_assert_eq(res->status, API_OK, "%s", res->error.message);
    cr_assert_str_eq(res->packages->customer_name, HOSTILE);
    api_result_free(&res);
    struct api_sync s3 = {0};
    res = api_sync_wait(c, api_start_dns(c, "beispiel.de", api_sync_done, &s3), &s3);
    cr_assert_eq(res->status, API_OK);
    cr_assert_eq(res->dns->n_txt, 1);
    cr_assert_str_eq(res->dns->txt[0], TXT);
    api_result_free(&res);
    api_client_free(&c);

    /* mxctl prints them escaped: the title, the colours and the direction stay untouched. */
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw", dir);
    cr_assert_eq(test_write_file(pw, "demo-support\n", 13), 0);
    const char *args[] = {"--api",   sp.url,      "--password-file", pw,  "--login",
                          "support", "customers", "10002",           NULL};
    struct prog_run run;
    cr_assert_eq(prog_run("mxctl", dir, NULL, args, 20000, &run), 0);
    cr_assert_eq(run.status, 0, "%s", run.err);
    cr_assert_null(strchr(run.out, 0x1b), "raw ESC in: %s", run.out);
    cr_assert_null(strchr(run.out, 0x07));
    cr_assert_null(strstr(run.out, "\xc2\x9b"));
    cr_assert_null(strstr(run.out, "\xe2\x80\xae"));
    cr_assert(strstr(run.out, "Max \\x1b]0;pwned\\x07 \\x1b[31mRot\\x1b[0m \\u{009b}2J "
                              "\\u{202e}lesreveR\\u{200b}"),
              "%s", run.out);
    prog_run_free(&run);
}

/* While the server runs (WAL): a data change is seen by the next request. */
Test(hostile, a_change_while_running_is_seen_at_once)
{
    char staff[128];
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
    cr_assert_eq(
        server_proc_exec_sql(&sp, "UPDATE customers SET name = '" HOSTILE "' WHERE id = '10001'"),
        0);
    struct http_response r = get("/v1/customers/10001/packages", staff);
    cr_assert_str_eq(http_json_string(&r, "customer.name"), HOSTILE);
    http_response_free(&r);
    /* A statement that fails changes nothing. */
    cr_assert_neq(server_proc_exec_sql(&sp, "UPDATE customers SET name = 'x' WHERE id = '10001';"
                                            "INSERT INTO nowhere VALUES(1)"),
                  0);
    r = get("/v1/customers/10001/packages", staff);
    cr_assert_str_eq(http_json_string(&r, "customer.name"), HOSTILE);
    http_response_free(&r);
}
