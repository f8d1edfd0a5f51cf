/* When PowerDNS is down, answers 500 or refuses the key, a save still answers 200; the job waits
 * and is retried, the sanitised error shows (never the key), and DNS ends at the last save once
 * the fault is gone — also across a SIGKILL of mxapid. A live PowerDNS and a live mxapid
 * (tests/support/dns_stack); faults are made on the real processes (stopping PowerDNS, a trigger
 * in its database that makes every write fail, a wrong key file). */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/dns_stack.h"
#include "tests/support/test_util.h"

static struct dns_stack st;
static char token[128];

static const char BODY_A[] =
    "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}";
static const char MX_A[] = "10 mail.example.de.";
static const char BODY_B[] =
    "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mx2.example.de.\",\"priority\":30}],"
    "\"provider_backup\":true}";
static const char MX_B[] = "30 mx2.example.de.\n90 backup-mx.provider.example.";

static void start_with(const struct dns_stack_opts *o)
{
    cr_assert_eq(dns_stack_start(&st, o), 0, "PowerDNS + mxapid did not start");
    cr_assert_eq(api_login(st.api.port, "10001", "demo-10001", token), 0);
}

static void up(void)
{
    start_with(NULL);
}

static void down(void)
{
    dns_stack_cleanup(&st);
}

/* PUT body on example.de over the current version; returns the new version, fills state. */
static long long save(const char *body, char state[32])
{
    char etag[64];
    long long v = api_mx_version(st.api.port, token, "example.de", etag);
    cr_assert_geq(v, 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(st.api.port, token, "example.de", etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "the save must answer 200 whatever PowerDNS does: %d %s", r.status,
                 r.body);
    snprintf(state, 32, "%s", http_json_string(&r, "publication.state"));
    long long nv = (long long)http_json_number(&r, "version", -1);
    http_response_free(&r);
    return nv;
}

struct pub_want {
    const char *state;
    long long version;
    char body[8192]; /* the last GET */
};

static bool pub_is(void *ctx)
{
    struct pub_want *w = ctx;
    struct http_response r;
    if (http_call(st.api.port, "GET", "/v1/domains/example.de/mx", token, NULL, NULL, &r) != 0)
        return false;
    snprintf(w->body, sizeof w->body, "%s", r.body ? r.body : "");
    const char *s = http_json_string(&r, "publication.state");
    bool ok = r.status == 200 && s && strcmp(s, w->state) == 0 &&
              (long long)http_json_number(&r, "publication.version", -1) == w->version;
    http_response_free(&r);
    return ok;
}

/* Waits for the publication of example.de to be state at version; returns the last GET body. */
static const char *wait_pub(struct pub_want *w, const char *state, long long version, int ms)
{
    w->state = state;
    w->version = version;
    cr_assert(test_wait_until(pub_is, w, ms), "publication not %s v%lld: %s", state, version,
              w->body);
    return w->body;
}

/* The key must be in none of these: the server's log, its command line, an API reply. */
static void assert_no_key(const char *key, const char *api_body)
{
    char *log = test_read_file(st.api.log, NULL);
    cr_assert_not_null(log);
    cr_assert_null(strstr(log, key), "the key is in mxapid's log");
    free(log);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)st.api.pid);
    size_t len = 0;
    char *cmd = test_read_file(path, &len);
    cr_assert_not_null(cmd);
    for (size_t i = 0; i < len; i++)
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    cr_assert_null(strstr(cmd, key), "the key is on mxapid's command line");
    cr_assert(strstr(cmd, "--pdns-key-file"), "%s", cmd);
    free(cmd);
    cr_assert_null(strstr(api_body, key), "the key is in an API reply");
}

static bool log_has(const char *needle)
{
    char *log = test_read_file(st.api.log, NULL);
    bool has = log && strstr(log, needle);
    free(log);
    return has;
}

/* Runs sql in PowerDNS's own database (the fault injection of the 500 test). */
static void pdns_sql(const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(st.pdns.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    char *err = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s", err ? err : "");
    sqlite3_close(db);
}

TestSuite(outage, .init = up, .fini = down, .timeout = 180);

Test(outage, powerdns_stopped_then_started_ends_at_the_last_save)
{
    cr_assert_eq(pdns_proc_stop(&st.pdns), 0);
    char state[32];
    long long v1 = save(BODY_A, state);
    cr_assert_str_eq(state, "pending");
    cr_assert(dns_stack_wait_health(&st, false, 15000), "healthz does not report PowerDNS gone");
    struct pub_want w;
    const char *body = wait_pub(&w, "failed", v1, 15000);
    cr_assert(strstr(body, "PowerDNS unreachable") || strstr(body, "did not answer"), "%s", body);
    /* Nobody answers DNS now: the resource says so instead of showing stale records. */
    cr_assert(strstr(body, "\"dns\":null"), "%s", body);
    long long v2 = save(BODY_B, state);
    cr_assert(strcmp(state, "pending") == 0 || strcmp(state, "failed") == 0, "%s", state);
    struct http_response h;
    cr_assert_eq(http_call(st.api.port, "GET", "/healthz", NULL, NULL, NULL, &h), 0);
    cr_assert_geq(http_json_number(&h, "publisher.backlog", -1), 1, "%s", h.body);
    cr_assert(cJSON_IsString(http_json_item(&h, "publisher.last_error")), "%s", h.body);
    http_response_free(&h);

    cr_assert_eq(pdns_proc_restart(&st.pdns), 0, "PowerDNS did not come back");
    /* From the restart on, DNS may only ever show what was there before or the last save. */
    long long deadline = test_now_ms() + 20000;
    char mx[512] = "";
    while (test_now_ms() < deadline) {
        if (dns_stack_mx(&st, "example.de", mx, sizeof mx, 500) == 0) {
            cr_assert_str_neq(mx, MX_A, "DNS showed an older version than the last save");
            if (strcmp(mx, MX_B) == 0)
                break;
        }
        test_pause_ms(5);
    }
    cr_assert_str_eq(mx, MX_B);
    wait_pub(&w, "published", v2, 10000);
    cr_assert(dns_stack_wait_health(&st, true, 15000), "healthz: backlog not drained");
    cr_assert(log_has("PowerDNS answers again"), "no log line for the recovery");
}

Test(outage, powerdns_answering_500_fails_with_the_error_then_recovers)
{
    pdns_sql("CREATE TRIGGER mxtui_test_refuses BEFORE INSERT ON records"
             " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
    char state[32];
    long long v = save(BODY_A, state);
    cr_assert_str_eq(state, "pending");
    struct pub_want w;
    const char *body = wait_pub(&w, "failed", v, 15000);
    cr_assert(strstr(body, "PowerDNS answered HTTP 500"), "%s", body);
    cr_assert(log_has("mxapid: publish: PowerDNS answered HTTP 500"), "no clear log line");
    assert_no_key(st.pdns.api_key, body);
    struct http_response h;
    cr_assert_eq(http_call(st.api.port, "GET", "/healthz", NULL, NULL, NULL, &h), 0);
    const cJSON *le = http_json_item(&h, "publisher.last_error");
    cr_assert(cJSON_IsString(le) && strstr(le->valuestring, "HTTP 500"), "%s", h.body);
    cr_assert_geq(http_json_number(&h, "publisher.backlog", -1), 1, "%s", h.body);
    http_response_free(&h);
    /* Fixed: the retry (capped backoff: --pdns-retry-max 2) publishes without a new save. */
    pdns_sql("DROP TRIGGER mxtui_test_refuses;");
    char mx[512];
    cr_assert(dns_stack_wait_mx(&st, "example.de", MX_A, 15000, mx, sizeof mx), "DNS: %s", mx);
    body = wait_pub(&w, "published", v, 10000);
    cr_assert(strstr(body, "\"error\":null"), "%s", body);
}

/* PowerDNS too slow: stopped with SIGSTOP, it still accepts connections (the kernel does) but
 * answers nothing, so every call runs into mxapid's deadline (--pdns-timeout 2000). The PATCHes
 * that timed out still wait in PowerDNS's sockets and are carried out, in any order, once it
 * runs again; mxapid sends a timed-out zone's current records again every 5 s, so DNS ends, and
 * stays, at the last save. */
Test(outage, powerdns_too_slow_times_out_and_dns_ends_at_the_last_save)
{
    cr_assert_eq(kill(st.pdns.pid, SIGSTOP), 0);
    char state[32];
    long long v1 = save(BODY_A, state);
    cr_assert_str_eq(state, "pending");
    struct pub_want w;
    const char *body = wait_pub(&w, "failed", v1, 20000);
    cr_assert(strstr(body, "PowerDNS did not answer within 2000 ms"), "%s", body);
    long long v2 = save(BODY_B, state);
    wait_pub(&w, "failed", v2, 20000);
    cr_assert_eq(kill(st.pdns.pid, SIGCONT), 0);
    /* The last save, and for six seconds on end (longer than the 5 s of the resend). */
    long long deadline = test_now_ms() + 45000, since = -1;
    char mx[512] = "";
    while (test_now_ms() < deadline) {
        bool b = dns_stack_mx(&st, "example.de", mx, sizeof mx, 500) == 0 && strcmp(mx, MX_B) == 0;
        if (!b)
            since = -1;
        else if (since < 0)
            since = test_now_ms();
        if (since >= 0 && test_now_ms() - since >= 6000)
            break;
        test_pause_ms(20);
    }
    cr_assert(since >= 0 && test_now_ms() - since >= 6000,
              "DNS did not settle at the last save: %s", mx);
    wait_pub(&w, "published", v2, 10000);
}

Test(outage, mxapid_killed_with_jobs_pending_publishes_after_restart)
{
    cr_assert_eq(pdns_proc_stop(&st.pdns), 0);
    char state[32];
    save(BODY_A, state);
    long long v = save(BODY_B, state);
    server_proc_kill(&st.api);
    cr_assert_eq(pdns_proc_restart(&st.pdns), 0);
    cr_assert_eq(dns_stack_restart_mxapid(&st), 0, "mxapid did not restart");
    cr_assert_eq(api_login(st.api.port, "10001", "demo-10001", token), 0);
    char mx[512];
    cr_assert(dns_stack_wait_mx(&st, "example.de", MX_B, 20000, mx, sizeof mx), "DNS: %s", mx);
    struct pub_want w;
    wait_pub(&w, "published", v, 10000);
    cr_assert(dns_stack_wait_health(&st, true, 15000));
}

/* A wrong key: no zone can be made, every job fails with a clear error; the operator writes the
 * right key into the file and publishing goes on without a restart. */
Test(outage_key, wrong_key_fails_clearly_then_the_fixed_file_publishes, .fini = down,
     .timeout = 180)
{
    static const char wrong[] = "wrong-key-0123456789abcdef";
    const struct dns_stack_opts o = {.key = wrong, .no_wait = true};
    start_with(&o);
    char state[32];
    long long v = save(BODY_B, state);
    cr_assert_str_eq(state, "pending");
    struct pub_want w;
    const char *body = wait_pub(&w, "failed", v, 15000);
    cr_assert(strstr(body, "PowerDNS refused the API key (HTTP 401)"), "%s", body);
    cr_assert(log_has("mxapid: publish: PowerDNS refused the API key (HTTP 401)"),
              "no clear log line");
    assert_no_key(wrong, body);
    assert_no_key(st.pdns.api_key, body);
    cr_assert(dns_stack_wait_health(&st, false, 10000));
    cr_assert_eq(dns_stack_set_key(&st, st.pdns.api_key), 0);
    char mx[512];
    bool seen = dns_stack_wait_mx(&st, "example.de", MX_B, 20000, mx, sizeof mx);
    if (!seen)
        dns_stack_dump_logs(&st);
    cr_assert(seen, "DNS: %s", mx);
    wait_pub(&w, "published", v, 10000);
    cr_assert(dns_stack_wait_health(&st, true, 15000));
    assert_no_key(st.pdns.api_key, w.body);
}
