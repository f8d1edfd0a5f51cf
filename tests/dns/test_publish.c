/* A save through the API becomes what PowerDNS answers: the effective MX set for an own mail
 * server with backups and the provider's backup, provider mode, null MX, a subdomain; the SOA
 * serial grows; a delegation carries NS and no MX; the publication object shows state, version
 * and the records DNS answers; dig and mxctl show the same. A live PowerDNS (gsqlite3, API on)
 * and a live mxapid, both on ephemeral loopback ports (tests/support/dns_stack). */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/dns_ask.h"
#include "tests/support/dns_stack.h"
#include "tests/support/prog_run.h"
#include "tests/support/test_util.h"

static struct dns_stack st;
static char token[128];

static void up(void)
{
    cr_assert_eq(dns_stack_start(&st, NULL), 0, "PowerDNS + mxapid did not start");
    cr_assert_eq(api_login(st.api.port, "10001", "demo-10001", token), 0);
}

static void down(void)
{
    dns_stack_cleanup(&st);
}

/* Saves body on name over the current version; returns the new version (asserts a 200). */
static long long save(const char *name, const char *body, char *state, size_t state_size)
{
    char etag[64];
    long long v = api_mx_version(st.api.port, token, name, etag);
    cr_assert_geq(v, 1, "no version for %s", name);
    struct http_response r;
    cr_assert_eq(api_mx_put(st.api.port, token, name, etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "PUT %s: %d %s", name, r.status, r.body);
    long long nv = (long long)http_json_number(&r, "version", -1);
    cr_assert_eq(nv, v + 1);
    if (state)
        snprintf(state, state_size, "%s", http_json_string(&r, "publication.state"));
    http_response_free(&r);
    return nv;
}

/* GET name's MX into a parsed tree (caller frees). */
static cJSON *mx_get(const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "/v1/domains/%s/mx", name);
    struct http_response r;
    cr_assert_eq(http_call(st.api.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cJSON *j = cJSON_Parse(r.body);
    http_response_free(&r);
    cr_assert_not_null(j);
    return j;
}

/* publication.dns of a GET as the same text dns_stack_mx gives. */
static void pub_dns_text(const cJSON *mx, char *out, size_t size)
{
    const cJSON *dns = cJSON_GetObjectItem(cJSON_GetObjectItem(mx, "publication"), "dns");
    cr_assert(cJSON_IsArray(dns), "publication.dns is not a list");
    size_t used = 0;
    out[0] = '\0';
    const cJSON *e;
    cJSON_ArrayForEach(e, dns)
    {
        int w = snprintf(out + used, size - used, "%s%d %s", used ? "\n" : "",
                         cJSON_GetObjectItem(e, "priority")->valueint,
                         cJSON_GetObjectItem(e, "host")->valuestring);
        cr_assert(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

struct published {
    const char *name;
    long long version;
};

static bool is_published(void *ctx)
{
    const struct published *p = ctx;
    cJSON *mx = mx_get(p->name);
    const cJSON *pub = cJSON_GetObjectItem(mx, "publication");
    bool ok = strcmp(cJSON_GetObjectItem(pub, "state")->valuestring, "published") == 0 &&
              (long long)cJSON_GetObjectItem(pub, "version")->valuedouble == p->version;
    cJSON_Delete(mx);
    return ok;
}

/* Saves, then waits until DNS answers want and the API says published at that version. */
static void save_and_see(const char *name, const char *body, const char *want)
{
    char state[32];
    long long v = save(name, body, state, sizeof state);
    cr_assert(strcmp(state, "pending") == 0 || strcmp(state, "published") == 0,
              "state after save: %s", state);
    char got[1024];
    cr_assert(dns_stack_wait_mx(&st, name, want, 10000, got, sizeof got),
              "%s MX: DNS answers\n%s\nnot\n%s", name, got, want);
    struct published p = {name, v};
    cr_assert(test_wait_until(is_published, &p, 10000), "%s v%lld not published", name, v);
    cJSON *mx = mx_get(name);
    char live[1024];
    pub_dns_text(mx, live, sizeof live);
    cr_assert_str_eq(live, want, "publication.dns");
    const cJSON *pub = cJSON_GetObjectItem(mx, "publication");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(pub, "error")));
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(pub, "at")));
    cJSON_Delete(mx);
}

TestSuite(publish, .init = up, .fini = down, .timeout = 120);

Test(publish, own_servers_with_backups_and_the_provider_backup)
{
    long long before = dns_stack_soa_serial(&st, "example.de", 2000);
    cr_assert_gt(before, 0);
    save_and_see(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}],"
        "\"backup\":[{\"host\":\"mx2.example.de.\",\"priority\":20}],"
        "\"provider_backup\":true}",
        "10 mail.example.de.\n20 mx2.example.de.\n90 backup-mx.provider.example.");
    long long after = dns_stack_soa_serial(&st, "example.de", 2000);
    cr_assert_gt(after, before, "SOA serial %lld -> %lld", before, after);
    /* The zone data came along when the zone was created: dig shows the A of the target. */
    struct dns_ask_reply r;
    cr_assert_eq(dns_ask(st.pdns.port, "mail.example.de", DNS_ASK_A, 2000, &r), 0);
    char a[128];
    dns_ask_join(&r, "mail.example.de", DNS_ASK_A, a, sizeof a);
    cr_assert_str_eq(a, "192.0.2.25");
    cr_assert(r.aa, "PowerDNS is authoritative for example.de");
}

Test(publish, provider_mode_and_null_mx_and_back)
{
    save_and_see("example.de", "{\"mode\":\"none\"}", "0 .");
    save_and_see("example.de", "{\"mode\":\"provider\"}",
                 "10 mx1.provider.example.\n20 mx2.provider.example.");
    save_and_see("example.de",
                 "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mx2.example.de.\",\"priority\":5},"
                 "{\"host\":\"mail.example.de.\",\"priority\":7}]}",
                 "5 mx2.example.de.\n7 mail.example.de.");
}

Test(publish, subdomain_lives_in_its_parents_zone)
{
    long long before = dns_stack_soa_serial(&st, "example.de", 2000);
    save_and_see(
        "shop.example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mx2.example.de.\",\"priority\":15}],"
        "\"provider_backup\":true}",
        "15 mx2.example.de.\n90 backup-mx.provider.example.");
    cr_assert_gt(dns_stack_soa_serial(&st, "example.de", 2000), before);
    /* The parent's own MX is untouched by the subdomain's save. */
    char mx[512];
    cr_assert_eq(dns_stack_mx(&st, "example.de", mx, sizeof mx, 2000), 0);
    cr_assert_str_eq(mx, "10 mx1.provider.example.\n20 mx2.provider.example.");
}

Test(publish, delegated_subdomain_has_ns_in_the_parent_and_no_mx)
{
    struct dns_ask_reply r;
    cr_assert_eq(dns_ask(st.pdns.port, "delegated.example.de", DNS_ASK_MX, 2000, &r), 0);
    cr_assert_eq(r.n_answer, 0u, "a delegated name carries no MX here");
    char ns[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < r.n_authority; i++)
        if (r.authority[i].type == DNS_ASK_NS)
            used += (size_t)snprintf(ns + used, sizeof ns - used, "%s ", r.authority[i].data);
    cr_assert_str_eq(ns, "ns1.delegated-dns.example. ns2.delegated-dns.example. ");
    /* Provider mode may still be saved there; it cannot be published by us, and says why. */
    char state[32];
    save("delegated.example.de", "{\"mode\":\"provider\"}", state, sizeof state);
    cJSON *mx = NULL;
    long long deadline = test_now_ms() + 10000;
    const char *now = "";
    while (test_now_ms() < deadline) {
        cJSON_Delete(mx);
        mx = mx_get("delegated.example.de");
        now = cJSON_GetObjectItem(cJSON_GetObjectItem(mx, "publication"), "state")->valuestring;
        if (strcmp(now, "failed") == 0)
            break;
        test_pause_ms(20);
    }
    cr_assert_str_eq(now, "failed");
    const cJSON *err = cJSON_GetObjectItem(cJSON_GetObjectItem(mx, "publication"), "error");
    cr_assert(cJSON_IsString(err) && strstr(err->valuestring, "delegated"), "error: %s",
              cJSON_IsString(err) ? err->valuestring : "null");
    cJSON_Delete(mx);
}

Test(publish, dig_and_mxctl_show_the_live_record)
{
    save_and_see(
        "example.de",
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}",
        "10 mail.example.de.");
    /* The command make run prints, as a person types it. */
    char dig[128];
    snprintf(dig, sizeof dig, "exec dig @127.0.0.1 -p %d +short example.de MX", st.pdns.port);
    const char *sh[] = {"-c", dig, NULL};
    struct prog_run d;
    cr_assert_eq(prog_run("/bin/sh", st.api.dir, NULL, sh, 10000, &d), 0, "dig did not run");
    cr_assert_eq(d.status, 0, "dig: %s", d.err);
    cr_assert_str_eq(d.out, "10 mail.example.de.\n");
    prog_run_free(&d);
    /* mxctl mx get: the JSON on stdout carries the publication, a summary goes to stderr. */
    char pw[320];
    snprintf(pw, sizeof pw, "%s/pw-10001", st.api.dir);
    cr_assert_eq(test_write_file(pw, "demo-10001\n", 11), 0);
    const char *cmd[] = {"mx", "get", "example.de", NULL};
    struct prog_run m;
    cr_assert_eq(prog_run_mxctl(st.api.dir, st.api.url, "en", "10001", NULL, cmd, &m), 0,
                 "mxctl did not run");
    cr_assert_eq(m.status, 0, "mxctl: %s", m.err);
    cJSON *j = cJSON_Parse(m.out);
    cr_assert_not_null(j, "%s", m.out);
    const cJSON *pub = cJSON_GetObjectItem(j, "publication");
    cr_assert_str_eq(cJSON_GetObjectItem(pub, "state")->valuestring, "published");
    cr_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "dns"), 0), "host")
            ->valuestring,
        "mail.example.de.");
    cr_assert(strstr(m.err, "publication: published, version "), "stderr: %s", m.err);
    cr_assert(strstr(m.err, "DNS answers: 10 mail.example.de."), "stderr: %s", m.err);
    cJSON_Delete(j);
    prog_run_free(&m);
}

Test(publish, healthz_reports_the_publisher)
{
    struct http_response r;
    cr_assert_eq(http_call(st.api.port, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert(cJSON_IsTrue(http_json_item(&r, "publisher.enabled")), "%s", r.body);
    cr_assert(cJSON_IsTrue(http_json_item(&r, "publisher.reachable")), "%s", r.body);
    cr_assert_eq(http_json_number(&r, "publisher.backlog", -1), 0);
    cr_assert(cJSON_IsNull(http_json_item(&r, "publisher.last_error")), "%s", r.body);
    http_response_free(&r);
}
