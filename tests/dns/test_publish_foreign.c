/* Zones in PowerDNS that mxapid does not own are left byte-for-byte unchanged: an unrelated zone
 * (other.test) and a zone named like one of mxapid's domains but of another account
 * (example.org) — through the start, saves on every side of them and a restart. A save on the
 * foreign-held name fails with a clear error instead. A live PowerDNS and a live mxapid. */
#include <criterion/criterion.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/dns_ask.h"
#include "tests/support/dns_stack.h"
#include "tests/support/test_util.h"

static struct dns_stack st;

static const char FOREIGN_ORG_SQL[] =
    "INSERT INTO domains(id,name,type,account) VALUES (200,'example.org','NATIVE','hosting-b');"
    "INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,auth) VALUES"
    " (200,'example.org','SOA','ns.b.example. admin.b.example. 41 3600 600 86400 60',60,0,0,1),"
    " (200,'example.org','NS','ns.b.example',60,0,0,1),"
    " (200,'example.org','MX','mx.b.example',60,5,0,1),"
    " (200,'example.org','A','198.51.100.99',60,0,0,1);"
    "INSERT INTO domainmetadata(domain_id,kind,content) VALUES (200,'SOA-EDIT-API','DEFAULT');";

static void down(void)
{
    dns_stack_cleanup(&st);
}

/* Every row of PowerDNS's tables that belongs to the zones named, every column with its type, in
 * a fixed order: equal text means equal bytes. */
static char *snapshot(void)
{
    static const char *const queries[] = {
        "SELECT * FROM domains WHERE name IN ('other.test','example.org') ORDER BY id",
        "SELECT * FROM records WHERE domain_id IN (SELECT id FROM domains WHERE name IN"
        " ('other.test','example.org')) ORDER BY id",
        "SELECT * FROM domainmetadata WHERE domain_id IN (SELECT id FROM domains WHERE name IN"
        " ('other.test','example.org')) ORDER BY id",
        "SELECT * FROM comments WHERE domain_id IN (SELECT id FROM domains WHERE name IN"
        " ('other.test','example.org')) ORDER BY id",
    };
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(st.pdns.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    size_t cap = 65536, len = 0;
    char *out = calloc(1, cap);
    cr_assert_not_null(out);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *s = NULL;
        cr_assert_eq(sqlite3_prepare_v2(db, queries[q], -1, &s, NULL), SQLITE_OK, "%s",
                     sqlite3_errmsg(db));
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const unsigned char *t = sqlite3_column_text(s, c);
                int w = snprintf(out + len, cap - len, "%d:%s|", sqlite3_column_type(s, c),
                                 t ? (const char *)t : "");
                cr_assert(w > 0 && (size_t)w < cap - len, "snapshot too large");
                len += (size_t)w;
            }
            out[len++] = '\n';
        }
        sqlite3_finalize(s);
        out[len++] = '#';
    }
    sqlite3_close(db);
    return out;
}

static long long save(int port, const char *token, const char *name, const char *body)
{
    char etag[64];
    long long v = api_mx_version(port, token, name, etag);
    cr_assert_geq(v, 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(port, token, name, etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "%s: %s", name, r.body);
    http_response_free(&r);
    return v + 1;
}

Test(foreign, zones_mxapid_does_not_own_stay_byte_for_byte, .fini = down, .timeout = 180)
{
    const struct dns_stack_opts o = {.zone_sql = FOREIGN_ORG_SQL};
    cr_assert_eq(dns_stack_start(&st, &o), 0);
    char *before = snapshot();
    /* What the test's SQL put there, so "before" is the state before mxapid ever ran. */
    cr_assert(strstr(before, "hosting-b") && strstr(before, "other-team"), "%s", before);
    cr_assert(strstr(before, "admin.b.example. 41 3600"), "%s", before);
    cr_assert(strstr(before, "hostmaster.other.test. 7 3600"), "%s", before);
    cr_assert(strstr(before, "mxapid") == NULL, "%s", before);

    char tok1[128], tok2[128];
    cr_assert_eq(api_login(st.api.port, "10001", "demo-10001", tok1), 0);
    static const char custom[] =
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}";
    save(st.api.port, tok1, "example.de", custom);
    save(st.api.port, tok1, "shop.example.de", "{\"mode\":\"none\"}");
    long long v = save(st.api.port, tok1, "example.org", custom);
    char mx[256];
    cr_assert(dns_stack_wait_mx(&st, "shop.example.de", "0 .", 10000, mx, sizeof mx), "%s", mx);
    /* The foreign-held name fails, says why, and is retried by nobody. */
    long long deadline = test_now_ms() + 10000;
    bool failed = false;
    while (!failed && test_now_ms() < deadline) {
        struct http_response r;
        cr_assert_eq(
            http_call(st.api.port, "GET", "/v1/domains/example.org/mx", tok1, NULL, NULL, &r), 0);
        const char *state = http_json_string(&r, "publication.state");
        const char *err = http_json_string(&r, "publication.error");
        failed = state && strcmp(state, "failed") == 0 &&
                 http_json_number(&r, "publication.version", -1) == (double)v && err &&
                 strstr(err, "belongs to account \"hosting-b\", not to mxapid");
        http_response_free(&r);
        if (!failed)
            test_pause_ms(50);
    }
    cr_assert(failed, "example.org did not fail with the foreign-zone error");
    cr_assert(dns_stack_wait_health(&st, true, 10000), "jobs still waiting");

    /* A restart syncs the zones again: still nothing touched. */
    server_proc_stop(&st.api);
    cr_assert_eq(dns_stack_restart_mxapid(&st), 0);
    cr_assert(dns_stack_wait_health(&st, true, 15000));
    cr_assert_eq(api_login(st.api.port, "10002", "demo-10002", tok2), 0);
    save(st.api.port, tok2, "beispiel.de", "{\"mode\":\"none\"}");
    cr_assert(dns_stack_wait_mx(&st, "beispiel.de", "0 .", 10000, mx, sizeof mx), "%s", mx);

    char *after = snapshot();
    cr_assert_str_eq(after, before, "a zone mxapid does not own changed");
    /* And DNS still answers their own data. */
    cr_assert_eq(dns_stack_soa_serial(&st, DNS_STACK_OTHER_ZONE, 2000), 7);
    cr_assert_eq(dns_stack_soa_serial(&st, "example.org", 2000), 41);
    cr_assert_eq(dns_stack_mx(&st, "example.org", mx, sizeof mx, 2000), 0);
    cr_assert_str_eq(mx, "5 mx.b.example.");
    free(before);
    free(after);
}
