/* mxapid and UTF-8: invalid sequences inside JSON strings of a request are refused (400
 * json_syntax with the field's path), and every reply is valid UTF-8 JSON — also when the
 * database holds a stray byte imported from elsewhere (it leaves as U+FFFD). A strict reader,
 * Python's json module, reads such a reply back. */
#include <criterion/criterion.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "api/mx_rules.h"
#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

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

TestSuite(utf8, .init = up, .fini = down, .timeout = 60);

/* The reply is valid UTF-8 and is the error code with one detail on field. */
static void expect_syntax_on(struct http_response *r, const char *field)
{
    cr_assert(mx_utf8_valid(r->body, r->body_len), "reply is not UTF-8: %s", r->body);
    cr_assert_eq(r->status, 400, "%d %s", r->status, r->body);
    cr_assert_str_eq(http_error_code(r), "json_syntax", "%s", r->body);
    cr_assert_str_eq(http_json_string(r, "error.details.0.field"), field, "%s", r->body);
}

Test(utf8, invalid_sequence_in_a_put_host_is_json_syntax)
{
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag,
                            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail\xff.example.de.\","
                            "\"priority\":10}]}",
                            &r),
                 0);
    expect_syntax_on(&r, "primary[0].host");
    http_response_free(&r);
}

Test(utf8, invalid_sequence_in_a_check_host_is_json_syntax)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/domains/example.de/mx/check", tok, NULL,
                           "{\"hosts\":[\"mail.example.de.\",\"a\xc3\x28.example.de.\"]}", &r),
                 0);
    expect_syntax_on(&r, "hosts[1]");
    http_response_free(&r);
}

Test(utf8, invalid_sequence_in_a_login_is_json_syntax)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/sessions", NULL, NULL,
                           "{\"login\":\"10001\xc2\x9b\xed\xa0\x80\",\"password\":\"x\"}", &r),
                 0);
    /* U+009B itself is valid UTF-8 (a C1 control, refused by the login lookup); the encoded
     * surrogate after it is not. */
    expect_syntax_on(&r, "login");
    http_response_free(&r);
}

/* A member name with a stray byte names itself in the detail: that path must not carry the
 * byte out raw either. */
Test(utf8, invalid_member_name_leaves_as_replacement_character)
{
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(
        api_mx_put(sp.port, tok, "example.de", etag, "{\"mode\":\"provider\",\"x\x9b\":1}", &r), 0);
    cr_assert(mx_utf8_valid(r.body, r.body_len), "reply is not UTF-8: %s", r.body);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_str_eq(http_error_code(&r), "json_syntax", "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "error.details.0.field"), "x\xef\xbf\xbd", "%s", r.body);
    http_response_free(&r);
}

/* Python 3's json module on the reply body: exit status 0 and the TXT strings printed as JSON
 * with ASCII escapes into out. */
static int python_reads(const struct http_response *r, const char *expr, char *out, size_t size)
{
    char dir[256], in[320], res[320], cmd[1200];
    cr_assert_eq(test_mkdtemp(dir, sizeof dir, "mxtui-utf8"), 0);
    snprintf(in, sizeof in, "%s/body", dir);
    snprintf(res, sizeof res, "%s/out", dir);
    cr_assert_eq(test_write_file(in, r->body, r->body_len), 0);
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys; d=json.loads(open(sys.argv[1],\"rb\").read()); "
             "print(json.dumps(%s))' '%s' >'%s' 2>&1",
             expr, in, res);
    int st = system(cmd);
    char *text = test_read_file(res, NULL);
    snprintf(out, size, "%s", text ? text : "");
    free(text);
    test_rmtree(dir);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes a TXT record and a customer name holding a raw 0x9B, as an import from elsewhere
 * might, straight into the server's database. */
static void store_stray_bytes(void)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(sp.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int rc = sqlite3_exec(db,
                          "INSERT INTO records(name, type, value) VALUES"
                          " ('example.de.', 'TXT', 'v=spf1 ' || CAST(X'9B' AS TEXT) || ' -all');"
                          "UPDATE customers SET name = 'Erika ' || CAST(X'9B' AS TEXT) ||"
                          " ' Mustermann' WHERE id = '10001';",
                          NULL, NULL, &err);
    cr_assert_eq(rc, SQLITE_OK, "%s", err ? err : "?");
    sqlite3_close(db);
}

Test(utf8, stored_stray_byte_leaves_as_replacement_character)
{
    store_stray_bytes();
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/dns", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char out[512];
    int st = python_reads(&r, "d[\"txt\"]", out, sizeof out);
    cr_assert_eq(st, 0, "Python's json refused the DNS overview: %s", out);
    cr_assert_not_null(strstr(out, "v=spf1 \\ufffd -all"), "%s", out);
    http_response_free(&r);

    cr_assert_eq(http_call(sp.port, "GET", "/v1/customers/10001/packages", tok, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    st = python_reads(&r, "d[\"customer\"][\"name\"]", out, sizeof out);
    cr_assert_eq(st, 0, "Python's json refused the packages: %s", out);
    cr_assert_str_eq(out, "\"Erika \\ufffd Mustermann\"\n");
    http_response_free(&r);
}
