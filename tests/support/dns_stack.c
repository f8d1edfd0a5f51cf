/* dns_stack: PowerDNS + mxapid publishing to it, and DNS questions with deadlines. */
#include "tests/support/dns_stack.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/dns_ask.h"
#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

/* A zone that is not mxapid's; www.other.test is the probe that tells PowerDNS is up. */
static const char OTHER_ZONE_SQL[] =
    "INSERT INTO domains(id,name,type,account) VALUES (100,'other.test','NATIVE','other-team');"
    "INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,auth) VALUES"
    " (100,'other.test','SOA','ns1.other.test. hostmaster.other.test. 7 3600 600 86400 60',60,0,"
    "0,1),"
    " (100,'other.test','NS','ns1.other.test',60,0,0,1),"
    " (100,'other.test','MX','mail.other.test',60,10,0,1),"
    " (100,'www.other.test','A','192.0.2.77',60,0,0,1),"
    " (100,'mail.other.test','A','192.0.2.78',60,0,0,1);"
    "INSERT INTO domainmetadata(domain_id,kind,content) VALUES (100,'SOA-EDIT-API','DEFAULT');";

static char *sql_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0;
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        if (lb)
            memcpy(s + la, b, lb);
        s[la + lb] = '\0';
    }
    return s;
}

int dns_stack_start(struct dns_stack *st, const struct dns_stack_opts *opts)
{
    memset(st, 0, sizeof *st);
    static const struct dns_stack_opts none = {0};
    if (!opts)
        opts = &none;
    char *sql = sql_join(OTHER_ZONE_SQL, opts->zone_sql);
    int rc = sql ? pdns_proc_start_api(&st->pdns, sql, "www." DNS_STACK_OTHER_ZONE) : -1;
    free(sql);
    if (rc != 0)
        return -1;
    snprintf(st->dig, sizeof st->dig, "dig @127.0.0.1 -p %d", st->pdns.port);
    if (opts->key) {
        snprintf(st->key_file, sizeof st->key_file, "%s/mxapid.key", st->pdns.dir);
        if (dns_stack_set_key(st, opts->key) != 0)
            return -1;
    } else {
        snprintf(st->key_file, sizeof st->key_file, "%s", st->pdns.key_file);
    }
    snprintf(st->arg_store[0], sizeof st->arg_store[0], "%s", st->pdns.api_url);
    snprintf(st->arg_store[1], sizeof st->arg_store[1], "127.0.0.1:%d", st->pdns.port);
    size_t n = 0;
    const char *fixed[] = {"--pdns-url", st->arg_store[0], "--pdns-key-file", st->key_file,
                           "--pdns-dns", st->arg_store[1], "--pdns-timeout", "2000",
                           "--pdns-retry-max", "2",
                           /* Tests poll the API while they wait for DNS. */
                           "--request-limit", "1000000"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        st->args[n++] = fixed[i];
    for (size_t i = 0; opts->mxapid_args && opts->mxapid_args[i]; i++) {
        if (n + 1 >= DNS_STACK_MAX_ARGS)
            return -1;
        st->args[n++] = opts->mxapid_args[i];
    }
    st->args[n] = NULL;
    if (api_server_start(&st->api, st->args) != 0) {
        dns_stack_dump_logs(st);
        return -1;
    }
    if (opts->no_wait)
        return 0;
    /* Ready: the publisher reached PowerDNS, created the zones and has nothing left to do. */
    if (!dns_stack_wait_health(st, true, 30000) ||
        dns_stack_soa_serial(st, "example.de", 2000) < 0) {
        fprintf(stderr, "dns_stack: the demo zones did not arrive in PowerDNS\n");
        dns_stack_dump_logs(st);
        return -1;
    }
    return 0;
}

int dns_stack_restart_mxapid(struct dns_stack *st)
{
    return api_server_restart(&st->api, st->args);
}

int dns_stack_set_key(struct dns_stack *st, const char *key)
{
    char line[600];
    int n = snprintf(line, sizeof line, "%s\n", key);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    return test_write_file(st->key_file, line, (size_t)n);
}

void dns_stack_dump_logs(const struct dns_stack *st)
{
    server_proc_dump_log(&st->api);
    char *log = st->pdns.log[0] ? test_read_file(st->pdns.log, NULL) : NULL;
    fprintf(stderr, "---- PowerDNS log ----\n%s\n", log ? log : "(none)");
    free(log);
}

void dns_stack_cleanup(struct dns_stack *st)
{
    server_proc_cleanup(&st->api);
    pdns_proc_cleanup(&st->pdns);
}

int dns_stack_mx(const struct dns_stack *st, const char *name, char *out, size_t size,
                 int timeout_ms)
{
    struct dns_ask_reply r;
    out[0] = '\0';
    if (dns_ask(st->pdns.port, name, DNS_ASK_MX, timeout_ms, &r) != 0 ||
        (r.rcode != 0 && r.rcode != 3))
        return -1;
    dns_ask_join(&r, name, DNS_ASK_MX, out, size);
    return 0;
}

bool dns_stack_wait_mx(const struct dns_stack *st, const char *name, const char *want,
                       int timeout_ms, char *last, size_t last_size)
{
    long long deadline = test_now_ms() + timeout_ms;
    char got[2048] = "(no answer)";
    for (;;) {
        long long left = deadline - test_now_ms();
        int rc =
            dns_stack_mx(st, name, got, sizeof got, left > 500 ? 500 : (left > 0 ? (int)left : 1));
        if (rc != 0)
            snprintf(got, sizeof got, "(no answer)");
        if (rc == 0 && strcmp(got, want) == 0)
            break;
        if (test_now_ms() >= deadline) {
            if (last)
                snprintf(last, last_size, "%s", got);
            return false;
        }
        test_pause_ms(5);
    }
    if (last)
        snprintf(last, last_size, "%s", got);
    return true;
}

long long dns_stack_soa_serial(const struct dns_stack *st, const char *zone, int timeout_ms)
{
    struct dns_ask_reply r;
    if (dns_ask(st->pdns.port, zone, DNS_ASK_SOA, timeout_ms, &r) != 0 || r.rcode != 0)
        return -1;
    for (size_t i = 0; i < r.n_answer; i++) {
        if (r.answer[i].type != DNS_ASK_SOA)
            continue;
        char mname[256], rname[256];
        long long serial = -1;
        if (sscanf(r.answer[i].data, "%255s %255s %lld", mname, rname, &serial) == 3)
            return serial;
    }
    return -1;
}

struct health_want {
    const struct dns_stack *st;
    bool reachable;
};

static bool health_is(void *ctx)
{
    const struct health_want *w = ctx;
    struct http_response r;
    if (http_call(w->st->api.port, "GET", "/healthz", NULL, NULL, NULL, &r) != 0)
        return false;
    const cJSON *reach = http_json_item(&r, "publisher.reachable");
    double backlog = http_json_number(&r, "publisher.backlog", -1);
    bool ok = r.status == 200 && cJSON_IsBool(reach) && cJSON_IsTrue(reach) == w->reachable &&
              (!w->reachable || backlog == 0);
    http_response_free(&r);
    return ok;
}

bool dns_stack_wait_health(const struct dns_stack *st, bool want_reachable, int timeout_ms)
{
    struct health_want w = {st, want_reachable};
    return test_wait_until(health_is, &w, timeout_ms);
}
